import Foundation

/// Reading a whole input file (a `tokenizer.json`, a `config.json`), with messages that say
/// what is wrong in words rather than as a system error domain and code.
public enum InputFile {
    /// The bytes of `path`. Throws ``InputError`` when it is missing, a dangling link, a
    /// directory or unreadable. Streams (a FIFO, `/dev/stdin`) are read to their end.
    public static func read(_ path: String) throws -> Data {
        guard let status = FileStatus(path: path) else {
            throw InputError(path, FileStatus(linkAt: path) == nil ? "no such file" : "a symbolic link to a missing file")
        }
        if status.kind == .directory { throw InputError(path, "is a directory, not a file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(path, "cannot open: \(systemErrorMessage())")
        }
        defer { try? handle.close() }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw InputError(path, "cannot read: \((error as NSError).localizedDescription)")
        }
    }
}
