import TextProcessing
import Tokenization
import Training

/// Adds target-language tokens to a BPE tokenizer, keeping every source id, token and merge.
///
/// An auxiliary BPE is trained on the target corpus with the source tokenizer's own
/// normalizer and pre-tokenizer. Its merges are walked in rank order; each merge whose
/// result is new adds the parts it needs (characters the source only reaches through
/// byte fallback) and then the result, until the requested number of tokens is reached.
/// Every new token is thus reachable, and the new merges are appended after all source
/// merges, so no source merge changes rank.
public struct VocabularyExpansion: Sendable {
    /// One added token.
    public struct NewToken: Sendable, Equatable {
        /// Its id.
        public var id: TokenID
        /// Its vocabulary string, as UTF-8.
        public var token: [UInt8]
        /// The merge that forms it, or nil for a character added on its own.
        public var merge: (TokenID, TokenID)?

        /// Token `token` with id `id`, formed by `merge` (nil for a character added on its own).
        public init(id: TokenID, token: [UInt8], merge: (TokenID, TokenID)?) {
            self.id = id
            self.token = token
            self.merge = merge
        }

        public static func == (lhs: NewToken, rhs: NewToken) -> Bool {
            lhs.id == rhs.id && lhs.token == rhs.token && lhs.merge?.0 == rhs.merge?.0 && lhs.merge?.1 == rhs.merge?.1
        }
    }

    /// The expanded tokenizer.
    public let tokenizer: Tokenizer
    /// The new tokens, in id order.
    public let newTokens: [NewToken]

    /// An expansion already made: `tokenizer` holds the source vocabulary and merges
    /// followed by `newTokens`.
    public init(tokenizer: Tokenizer, newTokens: [NewToken]) {
        self.tokenizer = tokenizer
        self.newTokens = newTokens
    }

    /// Expands `source` by `count` tokens learned from `words` (the target corpus counted
    /// with the source pipeline, see ``wordCounter(for:)``). Throws when the corpus yields fewer.
    public init(source: Tokenizer, words: WordCounts, count: Int, auxiliaryVocabularySize: Int = 50_000) throws {
        guard let model = source.bpe else {
            throw TransferError.unsupported("vocabulary expansion needs a BPE tokenizer (this one is \(type(of: source.model)))")
        }
        let byteLevel = ByteLevelAlphabet.characters.allSatisfy { model.vocabulary.id(forScalar: $0) != nil }
        var configuration = BPETrainer.Configuration(vocabularySize: auxiliaryVocabularySize)
        configuration.continuingSubwordPrefix = model.continuingSubwordPrefix
        configuration.endOfWordSuffix = model.endOfWordSuffix
        if byteLevel { configuration.initialAlphabet = ByteLevelAlphabet.characters.map { Unicode.Scalar($0)! } }
        let auxiliary = try BPETrainer(configuration).train(words)

        var vocabulary = model.vocabulary
        var merges = model.merges
        var nextID = TokenID(source.vocabularySize)
        for (id, token) in source.addedVocabulary.tokens where vocabulary.token(for: id) == nil {
            vocabulary.insert(Array(token.content.utf8), id: id)
        }
        var added: [NewToken] = []
        func isTaken(_ token: [UInt8]) -> Bool {
            vocabulary.id(for: token) != nil || source.addedVocabulary.id(for: String(decoding: token, as: UTF8.self)) != nil
        }
        func add(_ token: [UInt8], merge: (TokenID, TokenID)?) {
            vocabulary.insert(token, id: nextID)
            added.append(NewToken(id: nextID, token: token, merge: merge))
            if let merge { merges.append(merge) }
            nextID += 1
        }
        walk: for (left, right) in auxiliary.merges {
            let leftToken = auxiliary.vocabulary.token(for: left)!, rightToken = auxiliary.vocabulary.token(for: right)!
            var joinedRight = rightToken
            if let prefix = model.continuingSubwordPrefix, joinedRight.starts(with: prefix.utf8) {
                joinedRight.removeFirst(prefix.utf8.count)
            }
            let result = leftToken + joinedRight
            guard !isTaken(result) else { continue }
            for part in [leftToken, rightToken] where !isTaken(part) {
                guard added.count < count else { break walk }
                add(part, merge: nil)
            }
            guard added.count < count else { break }
            add(result, merge: (vocabulary.id(for: leftToken)!, vocabulary.id(for: rightToken)!))
        }
        guard added.count == count else {
            throw TransferError.notEnoughNewTokens(requested: count, available: added.count)
        }
        let expandedModel = try BPEModel(
            vocabulary: vocabulary, merges: merges, unknownToken: model.unknownToken,
            continuingSubwordPrefix: model.continuingSubwordPrefix, endOfWordSuffix: model.endOfWordSuffix,
            fuseUnknown: model.fuseUnknown, byteFallback: model.byteFallback, ignoreMerges: model.ignoreMerges,
            dropout: model.dropout)
        tokenizer = try source.replacingModel(expandedModel)
        newTokens = added
    }

    /// A word counter with the source tokenizer's normalizer and pre-tokenizer. A source
    /// without a pre-tokenizer (Llama-2 and other SentencePiece conversions, whose whole text
    /// is one BPE word) is counted in words cut before each `▁`, as SentencePiece trains:
    /// otherwise the new tokens would span words (`e▁`, `▁of▁the`).
    public static func wordCounter(for source: Tokenizer) -> WordCounter {
        guard source.pipeline.preTokenizer == nil else { return WordCounter(pipeline: source.pipeline) }
        return WordCounter(pipeline: TextPipeline(normalizer: source.pipeline.normalizer,
                                                  preTokenizer: Split(string: "\u{2581}", behavior: .mergedWithNext)))
    }
}
