import Foundation
import Support

/// Reads the bytes of a file or standard input, decompressed when the name ends in a
/// ``streamDecoders`` suffix (`.gz`, `.zst`).
final class ByteSource {
    private let handle: UnsafeMutablePointer<FILE>
    private let ownsHandle: Bool
    private let path: String
    private var decoder: (any StreamDecoder)?
    private var compressed = [UInt8](repeating: 0, count: 1 << 16)
    private var compressedStart = 0
    private var compressedEnd = 0
    private var atEndOfInput = false
    private var inUnit = false
    /// The file's status when opened, when it is a regular file.
    private let openedStatus: FileStatus?

    init(path: String) throws {
        self.path = path
        if path == "-" {
            guard let input = fdopen(STDIN_FILENO, "rb") else {
                throw CorpusReader.ReadError(path: path, message: "cannot read standard input")
            }
            handle = input
            ownsHandle = false
        } else {
            guard let opened = fopen(path, "rb") else {
                throw CorpusReader.ReadError(path: path, message: String(cString: strerror(errno)))
            }
            handle = opened
            ownsHandle = true
        }
        openedStatus = FileStatus(descriptor: fileno(handle)).flatMap { $0.kind == .regular ? $0 : nil }
        if let format = streamDecoders.first(where: { path.hasSuffix($0.suffix) }) {
            guard let decoder = format.make() else {
                if ownsHandle { fclose(handle) }
                throw CorpusReader.ReadError(path: path, message: "out of memory opening its decoder")
            }
            self.decoder = decoder
        }
    }

    deinit {
        if ownsHandle { fclose(handle) }
    }

    /// Throws when the file changed since it was opened (it was being written: what was read may be a prefix).
    func checkUnchanged() throws {
        guard let openedStatus, let now = FileStatus(descriptor: fileno(handle)) else { return }
        guard now.size == openedStatus.size, now.modified == openedStatus.modified else {
            throw CorpusReader.ReadError(path: path, message: "changed while it was read (\(openedStatus.size) bytes when opened, \(now.size) at the end); read it again once it is complete")
        }
    }

    /// Fills `buffer` with the next bytes; returns 0 at the end.
    func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        guard decoder != nil else {
            let n = fread(buffer.baseAddress, 1, buffer.count, handle)
            if n == 0 && ferror(handle) != 0 { throw CorpusReader.ReadError(path: path, message: "read error") }
            return n
        }
        while true {
            if compressedStart == compressedEnd && !atEndOfInput {
                compressedEnd = compressed.withUnsafeMutableBufferPointer { fread($0.baseAddress, 1, $0.count, handle) }
                compressedStart = 0
                if compressedEnd == 0 {
                    if ferror(handle) != 0 { throw CorpusReader.ReadError(path: path, message: "read error") }
                    atEndOfInput = true
                }
            }
            if compressedStart == compressedEnd && atEndOfInput {
                if inUnit { throw CorpusReader.ReadError(path: path, message: "truncated \(type(of: decoder!).formatName) data") }
                return 0
            }
            let step: (consumed: Int, produced: Int, endOfUnit: Bool)
            do {
                step = try compressed.withUnsafeBufferPointer { input throws(StreamDecoderError) in
                    try decoder!.decode(UnsafeBufferPointer(rebasing: input[compressedStart..<compressedEnd]), into: buffer)
                }
            } catch {
                throw CorpusReader.ReadError(path: path, message: error.message)
            }
            compressedStart += step.consumed
            inUnit = !step.endOfUnit
            if step.produced > 0 { return step.produced }
        }
    }
}
