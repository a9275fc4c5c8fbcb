/// The GPT-2 pre-tokenization pattern, scanned by hand:
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
public struct GPT2Scanner: SplitPattern {
    /// The regular expression this scanner reproduces.
    public static let pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#

    public init() {}

    public func matches(in scalars: UnsafeBufferPointer<UInt32>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        ScalarCursor(text: scalars).tile(into: &result, matchEnd)
        return result
    }

    public func matches(inUTF8 bytes: UnsafeBufferPointer<UInt8>, into ranges: inout [Range<Int>]) {
        UTF8Cursor(text: bytes).tile(into: &ranges, matchEnd)
    }

    @inline(__always)
    private func matchEnd<Cursor: TextCursor>(_ s: Cursor, at i: Int) -> Int {
        if let end = s.contraction(at: i, caseInsensitive: false) { return end }
        let j = s.unit(at: i) == 0x20 ? i + 1 : i
        if s.isLetter(j) { return s.run(from: j, having: .letter) }
        if s.isNumber(j) { return s.run(from: j, having: .number) }
        if s.isOther(j) { return s.run(from: j, lacking: [.space, .letter, .number]) }
        // Only whitespace is left: every scalar is \s, \p{L}, \p{N} or other.
        return s.whitespace(at: i)
    }
}
