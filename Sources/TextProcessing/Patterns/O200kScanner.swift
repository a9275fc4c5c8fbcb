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
        var result: [Range<Int>] = []
        ScalarCursor(text: scalars).tile(into: &result, matchEnd)
        return result
    }

    public func matches(inUTF8 bytes: UnsafeBufferPointer<UInt8>, into ranges: inout [Range<Int>]) {
        UTF8Cursor(text: bytes).tile(into: &ranges, matchEnd)
    }

    @inline(__always) private func isUpper<Cursor: TextCursor>(_ s: Cursor, _ i: Int) -> Bool {
        i < s.count && !s.classes(at: i).isDisjoint(with: Self.upperClass)
    }

    @inline(__always) private func isLower<Cursor: TextCursor>(_ s: Cursor, _ i: Int) -> Bool {
        i < s.count && !s.classes(at: i).isDisjoint(with: Self.lowerClass)
    }

    /// `[Upper]*[Lower]+` at `j`, with backtracking: the greedy upper run, then a lower
    /// run; if none follows, the last scalar of the upper run that is also lower ends it.
    private func casedWord<Cursor: TextCursor>(_ s: Cursor, from j: Int) -> Int? {
        let upperEnd = s.run(from: j) { isUpper(s, $0) }
        if isLower(s, upperEnd) { return s.run(from: s.after(upperEnd)) { isLower(s, $0) } }
        var q = upperEnd
        while q > j {
            q = s.before(q)
            if isLower(s, q) { return s.after(q) }
        }
        return nil
    }

    /// `[Upper]+[Lower]*` at `j`.
    private func upperWord<Cursor: TextCursor>(_ s: Cursor, from j: Int) -> Int? {
        guard isUpper(s, j) else { return nil }
        let upperEnd = s.run(from: s.after(j)) { isUpper(s, $0) }
        return s.run(from: upperEnd) { isLower(s, $0) }
    }

    private func matchEnd<Cursor: TextCursor>(_ s: Cursor, at i: Int) -> Int {
        let hasPrefix = s.isLetterPrefix(i)
        var end: Int? = nil
        let next = hasPrefix ? s.after(i) : i
        if hasPrefix { end = casedWord(s, from: next) }
        if end == nil { end = casedWord(s, from: i) }
        if end == nil, hasPrefix { end = upperWord(s, from: next) }
        if end == nil { end = upperWord(s, from: i) }
        if let end { return s.contraction(at: end, caseInsensitive: true) ?? end }
        if s.isNumber(i) { return s.digits(from: i, limit: 3) }
        let j = s.unit(at: i) == 0x20 ? i + 1 : i
        if s.isOther(j) {
            let end = s.run(from: s.after(j), lacking: [.space, .letter, .number])
            return s.run(from: end) { (index: Int) -> Bool in
                guard index < s.count else { return false }
                let unit = s.unit(at: index)
                return unit == 0x0A || unit == 0x0D || unit == 0x2F
            }
        }
        if let end = s.whitespaceThroughNewline(at: i) { return end }
        return s.whitespace(at: i)
    }
}
