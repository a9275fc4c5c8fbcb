import TextProcessing
import Tokenization
import Training

/// Adds target-language tokens to a BPE tokenizer, keeping every source id, token and merge.
///
/// BPE training continues from the source tokenizer's own segmentation of the target corpus
/// (`ContinuedBPETrainer`, in Training): the corpus is counted with the source normalizer and
/// pre-tokenizer, every source merge is applied, and new merges are learned on top. They are
/// appended after all source merges, so no source merge changes rank and every new token is
/// produced by the encoder on the text it was learned from. Characters the source only
/// reaches through byte fallback are added when a merge needs them.
public struct VocabularyExpansion: Sendable {
    /// One added token.
    public struct NewToken: Sendable, Equatable {
        /// Its id.
        public var id: TokenID
        /// Its vocabulary string, as UTF-8.
        public var token: [UInt8]
        /// The merge that forms it, or nil for a character added on its own.
        public var merge: (TokenID, TokenID)?
        /// How often the encoder produces it on the target corpus (0: only a step towards longer tokens).
        public var occurrences: UInt64

        /// Token `token` with id `id`, formed by `merge` (nil for a character added on its own).
        public init(id: TokenID, token: [UInt8], merge: (TokenID, TokenID)?, occurrences: UInt64 = 1) {
            self.id = id
            self.token = token
            self.merge = merge
            self.occurrences = occurrences
        }

        public static func == (lhs: NewToken, rhs: NewToken) -> Bool {
            lhs.id == rhs.id && lhs.token == rhs.token && lhs.merge?.0 == rhs.merge?.0 && lhs.merge?.1 == rhs.merge?.1
                && lhs.occurrences == rhs.occurrences
        }
    }

    /// The expanded tokenizer.
    public let tokenizer: Tokenizer
    /// The new tokens, in id order.
    public let newTokens: [NewToken]
    /// The merges the training refused (already a token, protected text, refused script).
    public let refused: ContinuedBPETrainer.Refusals

    /// An expansion already made: `tokenizer` holds the source vocabulary and merges
    /// followed by `newTokens`.
    public init(tokenizer: Tokenizer, newTokens: [NewToken]) {
        self.tokenizer = tokenizer
        self.newTokens = newTokens
        refused = ContinuedBPETrainer.Refusals()
    }

    /// Expands `source` by `count` tokens learned from `words` (the target corpus counted
    /// with the source pipeline, see ``wordCounter(for:)``), leaving the segmentation of
    /// `protectedWords` (counted the same way) unchanged and adding only tokens `accepts`
    /// allows. Throws when the corpus yields fewer.
    public init(source: Tokenizer, words: WordCounts, count: Int, protectedWords: WordCounts? = nil,
                accepts: (@Sendable ([UInt8]) -> Bool)? = nil, progress: ((Int) -> Void)? = nil) throws {
        guard let model = source.bpe else {
            throw TransferError.unsupported("vocabulary expansion needs a BPE tokenizer (this one is \(type(of: source.model)))")
        }
        var configuration = ContinuedBPETrainer.Configuration(newTokens: count)
        configuration.protectedWords = protectedWords
        configuration.accepts = accepts
        let firstID = TokenID(source.vocabularySize)
        let result = try ContinuedBPETrainer(configuration).train(
            words, continuing: model, firstID: firstID,
            isTaken: { source.addedVocabulary.id(for: String(decoding: $0, as: UTF8.self)) != nil }, progress: progress)
        guard result.newTokens.count == count else {
            throw TransferError.notEnoughNewTokens(requested: count, available: result.newTokens.count)
        }

        var vocabulary = model.vocabulary
        for (id, token) in source.addedVocabulary.tokens where vocabulary.token(for: id) == nil {
            vocabulary.insert(Array(token.content.utf8), id: id)
        }
        newTokens = result.newTokens.enumerated().map { index, token in
            let id = firstID + TokenID(index)
            vocabulary.insert(token.token, id: id)
            return NewToken(id: id, token: token.token, merge: token.left.map { ($0, token.right!) }, occurrences: token.occurrences)
        }
        let expandedModel = try BPEModel(
            vocabulary: vocabulary, merges: model.merges + result.merges, unknownToken: model.unknownToken,
            continuingSubwordPrefix: model.continuingSubwordPrefix, endOfWordSuffix: model.endOfWordSuffix,
            fuseUnknown: model.fuseUnknown, byteFallback: model.byteFallback, ignoreMerges: model.ignoreMerges,
            dropout: model.dropout)
        tokenizer = try source.replacingModel(expandedModel)
        refused = result.refused
    }

    /// The new tokens the expanded model cannot produce: its merges do not turn a new token's own
    /// string, as a word, into that token (with `ignore_merges` off, which would otherwise find
    /// every vocabulary string whole). Tokens of a continuing-subword model (`##ab`) are tested
    /// only through their occurrences on the target corpus. Empty unless something is wrong.
    public func unreachableTokens() throws -> [NewToken] {
        guard var model = tokenizer.bpe else { return [] }
        if model.ignoreMerges {
            model = try BPEModel(vocabulary: model.vocabulary, merges: model.merges, unknownToken: model.unknownToken,
                                 continuingSubwordPrefix: model.continuingSubwordPrefix, endOfWordSuffix: model.endOfWordSuffix,
                                 fuseUnknown: model.fuseUnknown, byteFallback: model.byteFallback, ignoreMerges: false)
        }
        var workspace = BPEWorkspace()
        var tokens: [ModelToken] = []
        let prefix = model.continuingSubwordPrefix.map { Array($0.utf8) }
        return newTokens.filter { token in
            if let prefix, token.token.starts(with: prefix) { return token.occurrences == 0 }
            let scalars = String(decoding: token.token, as: UTF8.self).unicodeScalars.map(\.value)
            tokens.removeAll(keepingCapacity: true)
            scalars.withUnsafeBufferPointer { model.tokenize($0, workspace: &workspace, into: &tokens, cached: false) }
            return tokens.count != 1 || tokens[0].id != token.id
        }
    }

    /// How many new tokens the encoder never produces on the target corpus.
    public var deadTokens: Int { newTokens.count { $0.occurrences == 0 } }

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
