/// A checkpoint or model directory that cannot be read or written, with where and why.
public struct TensorError: Error, CustomStringConvertible, Sendable {
    /// The file (and tensor, where it applies) of the problem.
    public let location: String
    /// What is wrong.
    public let message: String
    /// Whether the tensor was searched by architecture and not found: naming it would fix this.
    public var needsTensorName = false

    /// An error at `location`.
    public init(_ location: String, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}
