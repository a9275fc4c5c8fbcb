/// Keeps runs of word characters and runs of other non-space characters
/// (`\w+|[^\w\s]+`, with the Rust `regex` crate's classes) and drops whitespace.
public struct Whitespace: PreTokenizer {
    public init() {}

    public func preTokenize(_ text: inout PreTokenizedString) {
        text.split { _, piece in piece.split(by: WordOrSymbolRuns(), behavior: .removed, invert: true) }
    }
}

/// The matches of `\w+|[^\w\s]+`.
struct WordOrSymbolRuns: SplitPattern {
    func matches(in scalars: UnsafeBufferPointer<UInt32>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var i = 0
        while i < scalars.count {
            let classes = CharacterClass.of(scalars[i])
            if classes.contains(.whitespace) {
                i += 1
                continue
            }
            let isWord = classes.contains(.word)
            var end = i + 1
            while end < scalars.count {
                let next = CharacterClass.of(scalars[end])
                if isWord ? !next.contains(.word) : (next.contains(.word) || next.contains(.whitespace)) { break }
                end += 1
            }
            result.append(i..<end)
            i = end
        }
        return result
    }
}

/// Splits on whitespace (Rust's `char::is_whitespace`), dropping it.
public struct WhitespaceSplit: PreTokenizer {
    public init() {}

    public func preTokenize(_ text: inout PreTokenizedString) {
        let pattern = ScalarPredicatePattern { CharacterClass.of($0).contains(.whitespace) }
        text.split { _, piece in piece.split(by: pattern, behavior: .removed) }
    }
}
