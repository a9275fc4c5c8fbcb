/// Why an output cannot be written, with the output's path.
public struct OutputError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        /// The output exists and replacing it was not asked for.
        case exists
        /// The output is (or would replace a directory holding) the input at this path.
        case isInput(String)
        /// Another process holds the output's lock file at this path.
        case locked(String)
        /// Any other problem, described.
        case other(String)
    }

    /// The output path, as given.
    public let path: String
    /// What went wrong.
    public let reason: Reason

    /// An error about the output at `path`.
    public init(_ path: String, _ reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// An error about the output at `path`, described by `message`.
    public init(_ path: String, _ message: String) {
        self.init(path, .other(message))
    }

    public var description: String {
        switch reason {
        case .exists: return "\(path): already exists (replacing it was not asked for)"
        case .isInput(let input):
            return "\(path): the output would replace the input \(input)"
        case .locked(let lock): return "\(path): another run is writing it (it holds \(lock)); wait for it to finish"
        case .other(let message): return "\(path): \(message)"
        }
    }
}
