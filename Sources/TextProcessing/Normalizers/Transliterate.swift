/// ICU transliteration by transform id, for example `Any-Latin; Latin-ASCII`.
///
/// Each run of non-whitespace is transliterated on its own, so every output scalar stays
/// aligned with the word it came from.
public struct Transliterate: Normalizer {
    /// The ICU transform id.
    public let transformID: String
    private let transliterator: ICUTransliterator

    /// Opens the transform; throws when ICU does not know `transformID`.
    public init(_ transformID: String) throws {
        self.transformID = transformID
        transliterator = try ICUTransliterator(transformID)
    }

    public func normalize(_ text: inout NormalizedString) {
        var start = text.scalars.count
        while start > 0 {
            var end = start
            while end > 0 && CharacterClass.of(text.scalars[end - 1]).contains(.whitespace) { end -= 1 }
            start = end
            while start > 0 && !CharacterClass.of(text.scalars[start - 1]).contains(.whitespace) { start -= 1 }
            guard start < end else { break }
            let word = Array(text.scalars[start..<end])
            let output = transliterator.transliterate(word)
            if output != word {
                if output.isEmpty {
                    text.scalars.removeSubrange(start..<end)
                    text.alignments.removeSubrange(start..<end)
                } else {
                    text.replaceSegment(start..<end, with: output)
                }
            }
        }
    }
}
