/// An unusable store file, with the file and what is wrong with it (the table and row where it applies).
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// The file.
    public let path: String
    /// What is wrong with it.
    public let message: String

    /// An error about the store at `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
