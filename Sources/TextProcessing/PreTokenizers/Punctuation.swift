/// Splits on punctuation characters (ASCII punctuation and Unicode `P*`), each one a delimiter.
public struct Punctuation: PreTokenizer {
    /// What happens to the punctuation characters.
    public let behavior: SplitDelimiterBehavior

    public init(behavior: SplitDelimiterBehavior = .isolated) { self.behavior = behavior }

    public func preTokenize(_ text: inout PreTokenizedString) {
        let pattern = ScalarPredicatePattern { CharacterClass.of($0).contains(.punctuation) }
        text.split { _, piece in piece.split(by: pattern, behavior: behavior) }
    }
}

/// BERT's pre-tokenizer: whitespace splitting, then every punctuation character isolated.
public struct BertPreTokenizer: PreTokenizer {
    public init() {}

    public func preTokenize(_ text: inout PreTokenizedString) {
        WhitespaceSplit().preTokenize(&text)
        Punctuation(behavior: .isolated).preTokenize(&text)
    }
}
