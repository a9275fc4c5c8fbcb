import Foundation

/// Progress on standard error: on a terminal, one line redrawn in place (a bar, the share done,
/// bytes/s and time left when the total is known); otherwise a plain line every
/// ``plainInterval`` seconds, so logs of long runs show they are alive.
final class Progress {
    private let terminal = isatty(STDERR_FILENO) == 1
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drew = false
    /// The bytes the work will read, when known: then the share done and the time left are shown.
    var total: Int?

    /// Seconds between plain lines when standard error is not a terminal.
    static let plainInterval: TimeInterval = 10

    init(total: Int? = nil) {
        self.total = total
    }

    /// Shows `message` (on a terminal at most ten times a second unless `force`).
    func update(_ message: @autoclosure () -> String, force: Bool = false) {
        let now = Date()
        if terminal {
            guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(message())".utf8))
        } else {
            guard now.timeIntervalSince(lastDraw) >= Self.plainInterval, now.timeIntervalSince(started) >= Self.plainInterval else { return }
            FileHandle.standardError.write(Data("\(message())\n".utf8))
        }
        lastDraw = now
        drew = true
    }

    /// Shows the stage a multi-step command (one that writes a model) has reached, with the time so far.
    func stage(_ message: String) {
        update("\(Self.duration(Date().timeIntervalSince(started))): \(message)", force: true)
    }

    /// Reports `count` bytes read so far: MB, MB/s and, with a ``total``, a bar, the share and the time left.
    func bytes(_ count: Int, label: String, detail: String = "") {
        update(describe(bytes: count, label: label, detail: detail))
    }

    /// The line ``bytes(_:label:detail:)`` shows.
    func describe(bytes count: Int, label: String, detail: String = "") -> String {
        let seconds = max(Date().timeIntervalSince(started), 1e-9)
        let rate = Double(count) / 1e6 / seconds
        var line = "\(label): "
        if let total, total > 0 {
            let share = min(1, Double(count) / Double(total))
            if terminal {
                let filled = Int(share * 24)
                line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 24 - filled) + "] "
            }
            let left = Double(max(0, total - count)) / 1e6 / max(rate, 1e-9)
            line += String(format: "%3.0f%%, %.1f of %.1f MB, %.1f MB/s, %@ left", 100 * share, Double(count) / 1e6,
                           Double(total) / 1e6, rate, Self.duration(left))
        } else {
            line += String(format: "%.1f MB, %.1f MB/s", Double(count) / 1e6, rate)
        }
        return detail.isEmpty ? line : line + ", " + detail
    }

    /// Ends the line on a terminal.
    func finish() {
        guard terminal, drew else { return }
        FileHandle.standardError.write(Data("\n".utf8))
        drew = false
    }

    /// `seconds` as `42 s`, `3 min 05 s` or `2 h 07 min`.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return String(format: "%d min %02d s", whole / 60, whole % 60) }
        return String(format: "%d h %02d min", whole / 3600, whole % 3600 / 60)
    }
}
