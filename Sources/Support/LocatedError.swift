/// An error about a place (a file, a JSON path in it, a table row) and what is wrong there.
/// `Kind` keeps the errors of different readers apart, so that each can be caught on its own,
/// with one implementation: ``InputError``, ``ConfigurationError`` and Store's `StoreError`.
public struct LocatedError<Kind>: Error, CustomStringConvertible, Sendable {
    /// Where the problem is.
    public let path: String
    /// What is wrong there.
    public let message: String

    /// An error at `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// An error at `path`.
    public init(_ path: String, _ message: String) {
        self.init(path: path, message: message)
    }

    public var description: String { "\(path): \(message)" }
}

/// The kind of ``InputError``.
public enum InputProblem {}
/// An input that cannot be read, with its path and why.
public typealias InputError = LocatedError<InputProblem>

/// The kind of ``ConfigurationError``.
public enum ConfigurationProblem {}
/// A JSON document (a `tokenizer.json` component, a `config.json`) that is malformed or unknown,
/// with the JSON path of the problem.
public typealias ConfigurationError = LocatedError<ConfigurationProblem>
