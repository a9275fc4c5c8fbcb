import Foundation
import TextProcessing

/// Writing files so that an interrupted run never leaves a truncated file behind.
public enum AtomicFile {
    /// Writes `data` to a temporary file in the destination's directory, then renames it over `path`.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw ConfigurationError(path: path, message: "cannot write: \(error.localizedDescription)")
        }
    }
}
