import TextProcessing

/// Joins all tokens into one string.
public struct FuseDecoder: Decoder {
    public init() {}

    public func decodeChain(_ tokens: [String]) -> [String] { [tokens.joined()] }
}
