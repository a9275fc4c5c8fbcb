import TextProcessing

/// How a vocabulary writes word starts and bytes: byte-level (every byte a character, `Ġ` the
/// space), SentencePiece's metaspace (`▁` before a word), WordPiece's continuation prefix
/// (`##` inside a word), or plain strings. Tokens of different conventions meet on their
/// ``decodedKey(_:)``.
public enum VocabularyConvention: Sendable, Equatable {
    /// Byte-level: every byte is a character of `ByteLevelAlphabet`.
    case byteLevel
    /// `▁` marks a word start.
    case metaspace
    /// This prefix marks a continuation inside a word.
    case wordPiece(String)
    /// No marker.
    case plain

    /// `▁` in UTF-8. Prefixes are compared as bytes: as `Character`s, `▁` or `#` followed by a
    /// combining mark would be one grapheme and never match.
    public static let metaspaceMarker = Array("\u{2581}".utf8)

    /// The convention of `tokenizer`'s vocabulary, decided by majority evidence: byte-level when
    /// it has most byte characters and more tokens start with `Ġ` than with `▁` (real byte-level
    /// vocabularies lack some byte characters), else WordPiece-style when its BPE model has a
    /// continuation prefix, else metaspace when a token starts with `▁`.
    public init(of tokenizer: Tokenizer) {
        let vocabulary = tokenizer.model.vocabulary
        let entries = vocabulary.entries.lazy.map(\.token)
        if Self.isByteLevel(byteCharacters: ByteLevelAlphabet.characters.count { vocabulary.id(forScalar: $0) != nil }, tokens: entries) {
            self = .byteLevel
        } else if let prefix = tokenizer.bpe?.continuingSubwordPrefix {
            self = .wordPiece(prefix)
        } else if entries.contains(where: { $0.starts(with: Self.metaspaceMarker) }) {
            self = .metaspace
        } else {
            self = .plain
        }
    }

    /// The convention of a vocabulary of `tokens`: WordPiece when `wordPiecePrefix` is given (a
    /// WordPiece model's), else byte-level by majority evidence (see ``init(of:)``), else
    /// metaspace when a token starts with `▁`.
    public init(tokens: Set<String>, wordPiecePrefix: String?) {
        if let wordPiecePrefix {
            self = .wordPiece(wordPiecePrefix)
        } else if Self.isByteLevel(byteCharacters: ByteLevelAlphabet.characters.count { tokens.contains(String(Unicode.Scalar($0)!)) },
                                   tokens: tokens.lazy.map { Array($0.utf8) }) {
            self = .byteLevel
        } else if tokens.contains(where: { $0.utf8.starts(with: Self.metaspaceMarker) }) {
            self = .metaspace
        } else {
            self = .plain
        }
    }

    /// `Ġ` (the byte-level space) in UTF-8.
    private static let byteLevelSpace = Array("\u{120}".utf8)

    /// Whether a vocabulary with `byteCharacters` of the 256 byte characters and these tokens is
    /// byte-level: most byte characters present, and more words starting with `Ġ` than with `▁`.
    private static func isByteLevel<S: Sequence>(byteCharacters: Int, tokens: S) -> Bool where S.Element == [UInt8] {
        guard byteCharacters * 2 > ByteLevelAlphabet.characters.count else { return false }
        var spaced = 0, metaspaced = 0
        for token in tokens {
            if token.starts(with: byteLevelSpace) { spaced += 1 } else if token.starts(with: metaspaceMarker) { metaspaced += 1 }
        }
        return spaced > metaspaced
    }

    /// A token's decoded text with a word-start flag: `[1 or 0] + bytes`, so that `Ġword`,
    /// `▁word` and `word` (WordPiece, not `##word`) meet; `[0xFF, byte]` for a metaspace
    /// vocabulary's byte-fallback token; the token itself when it cannot be decoded.
    public func decodedKey(_ token: [UInt8]) -> [UInt8] {
        if case .metaspace = self, let byte = ByteFallbackDecoder.byte(of: String(decoding: token, as: UTF8.self)) { return [0xFF, byte] }
        guard let (wordStart, bytes) = decoded(token) else { return token }
        return [wordStart ? 1 : 0] + bytes
    }

    /// Whether a token starts a word, and the bytes of its text without the marker; nil when it
    /// cannot be decoded (a byte-level vocabulary's token with a character outside the alphabet).
    public func decoded(_ token: [UInt8]) -> (wordStart: Bool, bytes: [UInt8])? {
        switch self {
        case .byteLevel:
            var decoded: [UInt8] = []
            for scalar in String(decoding: token, as: UTF8.self).unicodeScalars {
                guard let byte = ByteLevelAlphabet.byte(of: scalar.value) else { return nil }
                decoded.append(byte)
            }
            let wordStart = decoded.first == 0x20
            return (wordStart, wordStart ? Array(decoded.dropFirst()) : decoded)
        case .metaspace:
            let wordStart = token.starts(with: Self.metaspaceMarker)
            return (wordStart, Array(token.dropFirst(wordStart ? Self.metaspaceMarker.count : 0)))
        case .wordPiece(let prefix):
            let prefixBytes = Array(prefix.utf8)
            let wordStart = !token.starts(with: prefixBytes)
            return (wordStart, Array(token.dropFirst(wordStart ? 0 : prefixBytes.count)))
        case .plain:
            return (false, token)
        }
    }
}
