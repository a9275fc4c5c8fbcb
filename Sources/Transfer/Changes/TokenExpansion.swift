import Support
import TextProcessing
import Tokenization

/// An expansion by tokens learned from target-language text (see ``VocabularyExpansion``):
/// every source id, token, merge and row is kept, and the new tokens are the ids to initialize.
public struct TokenExpansion: VocabularyChange {
    /// The target-language text.
    public var corpus: CorpusReader
    /// How many tokens to add.
    public var count: Int
    /// The vocabulary size of the auxiliary tokenizer trained on the corpus.
    public var auxiliaryVocabularySize = 50_000

    /// An expansion by `count` tokens learned from `corpus`.
    public init(corpus: CorpusReader, count: Int) throws {
        guard count > 0 else { throw TransferError.noNewTokens(requested: count) }
        self.corpus = corpus
        self.count = count
    }

    public func apply(to source: Tokenizer, rows: Int, directory: String, progress: (String) -> Void) throws -> ChangedVocabulary {
        progress("counting the target corpus")
        let (words, _) = try VocabularyExpansion.wordCounter(for: source).count(corpus, strippingLineEndings: true)
        progress("training the auxiliary tokenizer")
        let expansion = try VocabularyExpansion(source: source, words: words, count: count, auxiliaryVocabularySize: auxiliaryVocabularySize)
        let tokenizer = expansion.tokenizer
        var changed = ChangedVocabulary(
            tokenizer: tokenizer, expansion: expansion, rows: max(rows, Int(expansion.newTokens.last!.id) + 1), keptRows: rows,
            initialized: expansion.newTokens.map(\.id), replacedFiles: [ModelFiles.tokenizer],
            describe: { id in (tokenizer.model.vocabulary.string(for: id) ?? "", tokenizer.decode([id])) },
            writeFiles: { directory in try tokenizer.write(to: PathName.join(directory, ModelFiles.tokenizer)) })
        changed.corpus = .corpus(corpus)
        return changed
    }
}
