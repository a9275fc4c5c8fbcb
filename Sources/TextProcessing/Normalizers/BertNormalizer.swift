/// BERT's normalizer: control-character cleanup, spaces around CJK ideographs, accent
/// stripping and lowercasing, each optional, in that order.
public struct BertNormalizer: Normalizer {
    /// Removes control characters and turns every whitespace character into a space.
    public let cleanText: Bool
    /// Surrounds CJK ideographs with spaces.
    public let handleChineseCharacters: Bool
    /// Decomposes (NFD) and removes nonspacing marks; `nil` follows `lowercase`.
    public let stripAccents: Bool?
    /// Lowercases, as ``Lowercase``.
    public let lowercase: Bool
    private let nfd: UnicodeNormalizer

    public init(cleanText: Bool = true, handleChineseCharacters: Bool = true, stripAccents: Bool? = nil, lowercase: Bool = true) throws {
        self.cleanText = cleanText
        self.handleChineseCharacters = handleChineseCharacters
        self.stripAccents = stripAccents
        self.lowercase = lowercase
        nfd = try UnicodeNormalizer(.nfd)
    }

    public func normalize(_ text: inout NormalizedString) {
        if cleanText {
            text.filter { !CharacterClass.of($0).contains(.bertControl) }
            text.transformEach { scalar, out in
                out.append(CharacterClass.of(scalar).contains(.bertWhitespace) ? 0x20 : scalar)
            }
        }
        if handleChineseCharacters, text.scalars.contains(where: { CharacterClass.of($0).contains(.bertChinese) }) {
            text.transformEach { scalar, out in
                if CharacterClass.of(scalar).contains(.bertChinese) {
                    out.append(contentsOf: [0x20, scalar, 0x20])
                } else {
                    out.append(scalar)
                }
            }
        }
        if stripAccents ?? lowercase {
            nfd.normalize(&text)
            text.filter { !CharacterClass.of($0).contains(.bertNonspacingMark) }
        }
        if lowercase { Lowercase().normalize(&text) }
    }
}
