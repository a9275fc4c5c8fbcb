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

    /// The convention of `tokenizer`'s vocabulary: byte-level when it has every byte character,
    /// else WordPiece-style when its BPE model has a continuation prefix, else metaspace when a
    /// token starts with `▁`.
    public init(of tokenizer: Tokenizer) {
        let vocabulary = tokenizer.model.vocabulary
        if ByteLevelAlphabet.characters.allSatisfy({ vocabulary.id(forScalar: $0) != nil }) {
            self = .byteLevel
        } else if let prefix = tokenizer.bpe?.continuingSubwordPrefix {
            self = .wordPiece(prefix)
        } else if vocabulary.entries.contains(where: { $0.token.starts(with: Self.metaspaceMarker) }) {
            self = .metaspace
        } else {
            self = .plain
        }
    }

    /// The convention of a vocabulary of `tokens`: WordPiece when `wordPiecePrefix` is given (a
    /// WordPiece model's), else byte-level when it has every byte character, else metaspace when
    /// a token starts with `▁`.
    public init(tokens: Set<String>, wordPiecePrefix: String?) {
        if let wordPiecePrefix {
            self = .wordPiece(wordPiecePrefix)
        } else if ByteLevelAlphabet.characters.allSatisfy({ tokens.contains(String(Unicode.Scalar($0)!)) }) {
            self = .byteLevel
        } else if tokens.contains(where: { $0.utf8.starts(with: Self.metaspaceMarker) }) {
            self = .metaspace
        } else {
            self = .plain
        }
    }

    /// A token's decoded text with a word-start flag: `[1 or 0] + bytes`, so that `Ġword`,
    /// `▁word` and `word` (WordPiece, not `##word`) meet; `[0xFF, byte]` for a metaspace
    /// vocabulary's byte-fallback token; the token itself when it cannot be decoded.
    public func decodedKey(_ token: [UInt8]) -> [UInt8] {
        let text = String(decoding: token, as: UTF8.self)
        var wordStart = false
        var bytes: [UInt8] = []
        switch self {
        case .byteLevel:
            var decoded: [UInt8] = []
            for scalar in text.unicodeScalars {
                guard let byte = ByteLevelAlphabet.byte(of: scalar.value) else { return token }
                decoded.append(byte)
            }
            wordStart = decoded.first == 0x20
            bytes = wordStart ? Array(decoded.dropFirst()) : decoded
        case .metaspace:
            if let byte = ByteFallbackDecoder.byte(of: text) { return [0xFF, byte] }
            wordStart = token.starts(with: Self.metaspaceMarker)
            bytes = Array(token.dropFirst(wordStart ? Self.metaspaceMarker.count : 0))
        case .wordPiece(let prefix):
            let prefixBytes = Array(prefix.utf8)
            wordStart = !token.starts(with: prefixBytes)
            bytes = Array(token.dropFirst(wordStart ? 0 : prefixBytes.count))
        case .plain:
            bytes = token
        }
        return [wordStart ? 1 : 0] + bytes
    }
}
