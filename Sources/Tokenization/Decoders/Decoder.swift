import TextProcessing

/// Turns token strings back into text. Decoders chain: each maps the list of token
/// strings to a new list, and the final list is joined.
public protocol Decoder: Sendable {
    /// Transforms the token strings.
    func decodeChain(_ tokens: [String]) -> [String]
}

extension Decoder {
    /// The text of `tokens`.
    public func decode(_ tokens: [String]) -> String { decodeChain(tokens).joined() }
}

/// Decoders applied one after the other.
public struct DecoderSequence: Decoder {
    /// The decoders, in order.
    public var decoders: [any Decoder]

    /// A sequence of `decoders`.
    public init(_ decoders: [any Decoder]) { self.decoders = decoders }

    public func decodeChain(_ tokens: [String]) -> [String] {
        decoders.reduce(tokens) { $1.decodeChain($0) }
    }
}
