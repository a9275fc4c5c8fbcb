import Foundation

/// A one-line progress display on standard error, shown only when it is a terminal.
final class Progress {
    private let enabled = isatty(STDERR_FILENO) == 1
    private let started = Date()
    private var lastDraw = Date.distantPast

    /// Redraws the line with `message` (at most ten times a second unless `force`).
    func update(_ message: @autoclosure () -> String, force: Bool = false) {
        guard enabled else { return }
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(message())".utf8))
    }

    /// Reports bytes read so far with the throughput.
    func bytes(_ count: Int, label: String) {
        let seconds = max(Date().timeIntervalSince(started), 1e-9)
        update(String(format: "%@: %.1f MB read, %.1f MB/s", label, Double(count) / 1e6, Double(count) / 1e6 / seconds))
    }

    /// Ends the line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
