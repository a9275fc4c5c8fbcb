/// Applies pre-tokenizers one after the other.
public struct PreTokenizerSequence: PreTokenizer {
    /// The pre-tokenizers, in order.
    public let preTokenizers: [any PreTokenizer]

    public init(_ preTokenizers: [any PreTokenizer]) { self.preTokenizers = preTokenizers }

    public func preTokenize(_ text: inout PreTokenizedString) throws {
        for preTokenizer in preTokenizers { try preTokenizer.preTokenize(&text) }
    }
}
