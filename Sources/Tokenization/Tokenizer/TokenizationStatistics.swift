import TextProcessing

/// The numbers people compare tokenizers by, accumulated over texts: bytes and characters
/// per token, tokens per whitespace-separated word, the rate of unknown and byte-fallback
/// tokens, how often a word is cut into three tokens or more, and how much of the vocabulary
/// is used.
public struct TokenizationStatistics: Sendable {
    /// Texts (documents) encoded.
    public private(set) var documents = 0
    /// UTF-8 bytes encoded.
    public private(set) var bytes = 0
    /// Characters (Unicode scalars) encoded.
    public private(set) var characters = 0
    /// Whitespace-separated words.
    public private(set) var words = 0
    /// Words that three tokens or more overlap.
    public private(set) var wordsSplitIntoThreeOrMore = 0
    /// Tokens produced (without post-processor special tokens).
    public private(set) var tokens = 0
    /// Tokens that are the unknown token.
    public private(set) var unknownTokens = 0
    /// Tokens that are `<0xNN>` byte-fallback tokens.
    public private(set) var byteFallbackTokens = 0
    /// How often each id occurs.
    public private(set) var idCounts: [TokenID: Int] = [:]

    public init() {}

    /// Adds one text and its encoding, as `tokenizer` produced it (without special tokens).
    /// A word is a maximal run of non-whitespace characters (Rust's `char::is_whitespace`, as
    /// `WhitespaceSplit`); a token counts for every word its character offsets overlap.
    public mutating func add(_ text: String, encoding: Encoding, tokenizer: Tokenizer) {
        documents += 1
        bytes += text.utf8.count
        var wordStarts: [Int] = []
        var wordEnds: [Int] = []
        var inWord = false
        var position = 0
        for scalar in text.unicodeScalars {
            let isSpace = CharacterClass.of(scalar.value).contains(.whitespace)
            if !isSpace && !inWord { wordStarts.append(position) }
            if isSpace && inWord { wordEnds.append(position) }
            inWord = !isSpace
            position += 1
        }
        if inWord { wordEnds.append(position) }
        characters += position
        words += wordStarts.count
        var pieces = [Int](repeating: 0, count: wordStarts.count)
        var first = 0
        for range in encoding.offsets where !range.isEmpty {
            while first < wordEnds.count && wordEnds[first] <= range.lowerBound { first += 1 }
            var word = first
            while word < wordStarts.count && wordStarts[word] < range.upperBound {
                if wordEnds[word] > range.lowerBound { pieces[word] += 1 }
                word += 1
            }
        }
        wordsSplitIntoThreeOrMore += pieces.lazy.filter { $0 >= 3 }.count
        tokens += encoding.ids.count
        let unknown = tokenizer.model.unknownToken.flatMap { tokenizer.model.vocabulary.id(for: $0) }
        for id in encoding.ids {
            idCounts[id, default: 0] += 1
            if id == unknown { unknownTokens += 1 }
            if tokenizer.model.isByteFallbackToken(id) { byteFallbackTokens += 1 }
        }
    }

    /// Adds everything counted in `other`.
    public mutating func merge(_ other: TokenizationStatistics) {
        documents += other.documents
        bytes += other.bytes
        characters += other.characters
        words += other.words
        wordsSplitIntoThreeOrMore += other.wordsSplitIntoThreeOrMore
        tokens += other.tokens
        unknownTokens += other.unknownTokens
        byteFallbackTokens += other.byteFallbackTokens
        idCounts.merge(other.idCounts, uniquingKeysWith: +)
    }

    /// Bytes per token.
    public var bytesPerToken: Double { tokens == 0 ? 0 : Double(bytes) / Double(tokens) }
    /// Characters per token.
    public var charactersPerToken: Double { tokens == 0 ? 0 : Double(characters) / Double(tokens) }
    /// Tokens per byte.
    public var tokensPerByte: Double { bytes == 0 ? 0 : Double(tokens) / Double(bytes) }
    /// Tokens per whitespace-separated word (the "fertility").
    public var tokensPerWord: Double { words == 0 ? 0 : Double(tokens) / Double(words) }
    /// The share of words that three tokens or more overlap.
    public var splitWordRate: Double { words == 0 ? 0 : Double(wordsSplitIntoThreeOrMore) / Double(words) }
    /// The share of tokens that are unknown.
    public var unknownRate: Double { tokens == 0 ? 0 : Double(unknownTokens) / Double(tokens) }
    /// The share of tokens that are byte-fallback tokens.
    public var byteFallbackRate: Double { tokens == 0 ? 0 : Double(byteFallbackTokens) / Double(tokens) }

    /// The share of the `vocabularySize` ids that occur at least once.
    public func vocabularyUsage(vocabularySize: Int) -> Double {
        vocabularySize == 0 ? 0 : Double(idCounts.count) / Double(vocabularySize)
    }
}
