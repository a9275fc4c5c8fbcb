/// The fast path of a pipeline that only cuts text into pieces: no normalizer, and a
/// pre-tokenizer that is an isolated split (GPT-2's ByteLevel, or Split followed by a
/// ByteLevel without regex and without prefix space). Its pieces are slices of the
/// original text, so they are found without any alignment bookkeeping; the byte-level
/// mapping, a bijection of UTF-8 bytes, is left to the caller.
public struct PieceSplitter: Sendable {
    /// The pattern whose matches are the pieces.
    public let pattern: any SplitPattern
    /// Whether the pipeline maps the pieces' bytes to byte-level characters.
    public let byteLevel: Bool

    /// The fast path of `pipeline`, or nil when it rewrites text in ways a slice cannot express.
    public init?(_ pipeline: TextPipeline) {
        guard pipeline.normalizer == nil, let preTokenizer = pipeline.preTokenizer else { return nil }
        if let byteLevel = preTokenizer as? ByteLevel, !byteLevel.addPrefixSpace, byteLevel.useRegex {
            pattern = GPT2Scanner()
            self.byteLevel = true
            return
        }
        var steps = (preTokenizer as? PreTokenizerSequence)?.preTokenizers ?? [preTokenizer]
        var mapsBytes = false
        if let last = steps.last as? ByteLevel, !last.addPrefixSpace, !last.useRegex {
            steps.removeLast()
            mapsBytes = true
        }
        guard steps.count == 1, let split = steps[0] as? Split, split.behavior == .isolated, !split.invert,
              !(split.pattern is RegexPattern) else { return nil }
        pattern = split.pattern
        byteLevel = mapsBytes
    }

    /// The pieces of `text` as scalar-offset ranges; `scalars` is a reusable buffer.
    public func pieces(of text: String, scalars: inout [UInt32]) -> [Range<Int>] {
        scalars.removeAll(keepingCapacity: true)
        for scalar in text.unicodeScalars { scalars.append(scalar.value) }
        return scalars.withUnsafeBufferPointer { pattern.matches(in: $0) }
    }

    /// Appends the text of the piece at `range` of `scalars` to `out`, byte-level mapped
    /// when the pipeline maps bytes: the piece as the general pipeline would produce it.
    @inline(__always)
    public func appendText(of range: Range<Int>, in scalars: [UInt32], to out: inout [UInt32]) {
        if byteLevel {
            for scalar in scalars[range] { ByteLevelAlphabet.appendMapped(scalar, to: &out) }
        } else {
            out.append(contentsOf: scalars[range])
        }
    }
}
