import TextProcessing

/// The numbers people compare tokenizers by, accumulated over texts: bytes and characters
/// per token, tokens per whitespace-separated word, the rate of unknown and byte-fallback
/// tokens, and how much of the vocabulary is used.
public struct TokenizationStatistics: Sendable {
    /// UTF-8 bytes encoded.
    public private(set) var bytes = 0
    /// Characters (Unicode scalars) encoded.
    public private(set) var characters = 0
    /// Whitespace-separated words.
    public private(set) var words = 0
    /// Tokens produced (without post-processor special tokens).
    public private(set) var tokens = 0
    /// Tokens that are the unknown token.
    public private(set) var unknownTokens = 0
    /// Tokens that are `<0xNN>` byte-fallback tokens.
    public private(set) var byteFallbackTokens = 0
    /// How often each id occurs.
    public private(set) var idCounts: [TokenID: Int] = [:]

    public init() {}

    /// Adds one text and its ids, as `tokenizer` produced them.
    public mutating func add(_ text: String, ids: [TokenID], tokenizer: Tokenizer) {
        bytes += text.utf8.count
        var inWord = false
        for scalar in text.unicodeScalars {
            characters += 1
            let isSpace = CharacterClass.of(scalar.value).contains(.whitespace)
            if !isSpace && !inWord { words += 1 }
            inWord = !isSpace
        }
        tokens += ids.count
        let unknown = tokenizer.model.unknownToken.flatMap { tokenizer.model.vocabulary.id(for: $0) }
        for id in ids {
            idCounts[id, default: 0] += 1
            if id == unknown { unknownTokens += 1 }
        }
        byteFallbackTokens += ids.filter { tokenizer.model.isByteFallbackToken($0) }.count
    }

    /// Adds everything counted in `other`.
    public mutating func merge(_ other: TokenizationStatistics) {
        bytes += other.bytes
        characters += other.characters
        words += other.words
        tokens += other.tokens
        unknownTokens += other.unknownTokens
        byteFallbackTokens += other.byteFallbackTokens
        idCounts.merge(other.idCounts, uniquingKeysWith: +)
    }

    /// Bytes per token.
    public var bytesPerToken: Double { tokens == 0 ? 0 : Double(bytes) / Double(tokens) }
    /// Characters per token.
    public var charactersPerToken: Double { tokens == 0 ? 0 : Double(characters) / Double(tokens) }
    /// Tokens per whitespace-separated word (the "fertility").
    public var tokensPerWord: Double { words == 0 ? 0 : Double(tokens) / Double(words) }
    /// The share of tokens that are unknown.
    public var unknownRate: Double { tokens == 0 ? 0 : Double(unknownTokens) / Double(tokens) }
    /// The share of tokens that are byte-fallback tokens.
    public var byteFallbackRate: Double { tokens == 0 ? 0 : Double(byteFallbackTokens) / Double(tokens) }

    /// The share of the `vocabularySize` ids that occur at least once.
    public func vocabularyUsage(vocabularySize: Int) -> Double {
        vocabularySize == 0 ? 0 : Double(idCounts.count) / Double(vocabularySize)
    }
}
