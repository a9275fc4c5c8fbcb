import TextProcessing

/// The byte-level post-processor: with `trimOffsets`, token offsets leave out the
/// spaces (`Ġ`) the token starts or ends with.
public struct ByteLevelProcessor: PostProcessor {
    /// Whether offsets are trimmed.
    public var trimOffsets: Bool
    /// Whether a single leading space of the first token is kept (it was added, not typed).
    public var addPrefixSpace: Bool

    /// A byte-level post-processor (Hugging Face's defaults: both true).
    public init(trimOffsets: Bool = true, addPrefixSpace: Bool = true) {
        self.trimOffsets = trimOffsets
        self.addPrefixSpace = addPrefixSpace
    }

    public func processEncodings(_ encodings: [Encoding], addSpecialTokens: Bool) -> [Encoding] {
        trimOffsets ? encodings.map(trim) : encodings
    }

    public func addedTokenCount(isPair: Bool) -> Int { 0 }

    func trim(_ encoding: Encoding) -> Encoding {
        var encoding = encoding
        for index in encoding.ids.indices {
            encoding.offsets[index] = Self.trimmed(encoding.offsets[index], token: encoding.tokens[index],
                                                   isFirst: index == 0, addPrefixSpace: addPrefixSpace)
        }
        return encoding
    }

    static func trimmed(_ offsets: Range<Int>, token: String, isFirst: Bool, addPrefixSpace: Bool) -> Range<Int> {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar.value == 0x120 || CharacterClass.of(scalar.value).contains(.whitespace)
        }
        var leading = token.unicodeScalars.prefix(while: isSpace).count
        let trailing = token.unicodeScalars.reversed().prefix(while: isSpace).count
        var start = offsets.lowerBound, end = offsets.upperBound
        if leading > 0 {
            if (isFirst || start == 0) && addPrefixSpace && leading == 1 { leading = 0 }
            start = min(start + leading, end)
        }
        if trailing > 0 && end >= trailing { end = max(end - trailing, start) }
        return start..<end
    }
}
