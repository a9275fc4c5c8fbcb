/// The o200k pre-tokenization pattern (GPT-4o), scanned by hand.
public struct O200kScanner: SplitPattern {
    /// The regular expression this scanner reproduces.
    public static let pattern = [
        #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
        #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
        #"\p{N}{1,3}"#,
        #" ?[^\s\p{L}\p{N}]+[\r\n/]*"#,
        #"\s*[\r\n]+"#,
        #"\s+(?!\S)"#,
        #"\s+"#,
    ].joined(separator: "|")

    private static let upperClass: CharacterClass = [.uppercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .mark]
    private static let lowerClass: CharacterClass = [.lowercaseLetter, .modifierLetter, .otherLetter, .mark]

    public init() {}

    public func matches(in scalars: UnsafeBufferPointer<UInt32>) -> [Range<Int>] {
        ScalarCursor(text: scalars).tile(matchEnd)
    }

    @inline(__always) private func isUpper(_ s: ScalarCursor, _ i: Int) -> Bool {
        i < s.count && !s.classes(at: i).isDisjoint(with: Self.upperClass)
    }

    @inline(__always) private func isLower(_ s: ScalarCursor, _ i: Int) -> Bool {
        i < s.count && !s.classes(at: i).isDisjoint(with: Self.lowerClass)
    }

    /// `[Upper]*[Lower]+` at `j`, with backtracking: the greedy upper run, then a lower
    /// run; if none follows, the last scalar of the upper run that is also lower ends it.
    private func casedWord(_ s: ScalarCursor, from j: Int) -> Int? {
        let upperEnd = s.run(from: j) { isUpper(s, $0) }
        if isLower(s, upperEnd) { return s.run(from: upperEnd + 1) { isLower(s, $0) } }
        var q = upperEnd - 1
        while q >= j {
            if isLower(s, q) { return q + 1 }
            q -= 1
        }
        return nil
    }

    /// `[Upper]+[Lower]*` at `j`.
    private func upperWord(_ s: ScalarCursor, from j: Int) -> Int? {
        guard isUpper(s, j) else { return nil }
        let upperEnd = s.run(from: j + 1) { isUpper(s, $0) }
        return s.run(from: upperEnd) { isLower(s, $0) }
    }

    private func matchEnd(_ s: ScalarCursor, at i: Int) -> Int {
        let hasPrefix = s.isLetterPrefix(i)
        var end: Int? = nil
        if hasPrefix { end = casedWord(s, from: i + 1) }
        if end == nil { end = casedWord(s, from: i) }
        if end == nil, hasPrefix { end = upperWord(s, from: i + 1) }
        if end == nil { end = upperWord(s, from: i) }
        if let end { return s.contraction(at: end, caseInsensitive: true) ?? end }
        if s.isNumber(i) {
            var end = i + 1
            while end - i < 3 && s.isNumber(end) { end += 1 }
            return end
        }
        let j = s.text[i] == 0x20 ? i + 1 : i
        if s.isOther(j) {
            let end = s.run(from: j + 1, while: s.isOther)
            return s.run(from: end) { $0 < s.count && (s.text[$0] == 0x0A || s.text[$0] == 0x0D || s.text[$0] == 0x2F) }
        }
        if let end = s.whitespaceThroughNewline(at: i) { return end }
        return s.whitespace(at: i)
    }
}
