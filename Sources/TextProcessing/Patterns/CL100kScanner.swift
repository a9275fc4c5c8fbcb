/// The cl100k / Llama-3 pre-tokenization pattern, and its Qwen2 variant with single
/// digits, scanned by hand:
/// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
public struct CL100kScanner: SplitPattern {
    /// The Llama-3 spelling of the pattern.
    public static let llama3Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    /// The Qwen2 pattern: the same with `\p{N}` instead of `\p{N}{1,3}`.
    public static let qwen2Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// The longest run of digits one piece may hold: 3 for Llama-3, 1 for Qwen2.
    public let maxDigits: Int

    /// A scanner for Llama-3 (`maxDigits` 3) or Qwen2 (`maxDigits` 1).
    public init(maxDigits: Int = 3) { self.maxDigits = maxDigits }

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
        if let end = s.contraction(at: i, caseInsensitive: true) { return end }
        if s.isLetter(i) { return s.run(from: s.after(i), having: .letter) }
        if s.isLetterPrefix(i) {
            let next = s.after(i)
            if s.isLetter(next) { return s.run(from: s.after(next), having: .letter) }
        }
        if s.isNumber(i) { return s.digits(from: i, limit: maxDigits) }
        let j = s.unit(at: i) == 0x20 ? i + 1 : i
        if s.isOther(j) {
            let end = s.run(from: s.after(j), lacking: [.space, .letter, .number])
            return s.run(from: end, while: s.isNewline)
        }
        if let end = s.whitespaceThroughNewline(at: i) { return end }
        return s.whitespace(at: i)
    }
}
