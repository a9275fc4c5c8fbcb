/// One pre-tokenization step, as the `pre_tokenizer` of `tokenizer.json`: it cuts text
/// into pieces (and may rewrite them, as ByteLevel and Metaspace do).
public protocol PreTokenizer: Sendable {
    /// Cuts every piece of `text` further.
    func preTokenize(_ text: inout PreTokenizedString) throws
}

extension PreTokenizer {
    /// Pre-tokenizes a string, returning the pieces with their original character
    /// offsets, as Python's `pre_tokenize_str` does.
    public func preTokenize(_ text: String) throws -> [(text: String, offsets: Range<Int>)] {
        var pieces = PreTokenizedString(text)
        try preTokenize(&pieces)
        return pieces.pieces
    }
}

/// A split pattern that matches every scalar satisfying a predicate, each scalar its own match.
struct ScalarPredicatePattern: SplitPattern {
    let predicate: @Sendable (UInt32) -> Bool

    func matches(in scalars: UnsafeBufferPointer<UInt32>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for (index, scalar) in scalars.enumerated() where predicate(scalar) {
            result.append(index..<(index + 1))
        }
        return result
    }
}
