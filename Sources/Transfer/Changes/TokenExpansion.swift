import Support
import TextProcessing
import Tokenization
import Training

/// An expansion by tokens learned from target-language text (see ``VocabularyExpansion``):
/// every source id, token, merge and row is kept, and the new tokens are the ids to initialize.
public struct TokenExpansion: VocabularyChange {
    /// The target-language text.
    public var corpus: CorpusReader
    /// How many tokens to add.
    public var count: Int
    /// Text whose segmentation must not change (nil protects nothing).
    public var protected: ProtectedText? = .englishSample
    /// How many lines of the protected text may encode differently before the expansion is refused.
    public var maximumChangedLines = 0
    /// The scripts new tokens may be written in (nil: any).
    public var scripts: ScriptSet?

    /// An expansion by `count` tokens learned from `corpus`, protecting the built-in English sample.
    public init(corpus: CorpusReader, count: Int) throws {
        guard count > 0 else { throw TransferError.noNewTokens(requested: count) }
        self.corpus = corpus
        self.count = count
    }

    public func apply(to source: Tokenizer, rows: Int, directory: String, progress: (String) -> Void) throws -> ChangedVocabulary {
        progress("counting the target corpus")
        let counter = VocabularyExpansion.wordCounter(for: source)
        let (words, _) = try counter.count(corpus, strippingLineEndings: true)
        let protectedWords = try protected.map { text -> WordCounts in
            progress("counting the protected text")
            return try text.words(counter)
        }
        let convention = VocabularyConvention(of: source)
        let accepts = scripts.map { scripts in
            { @Sendable (token: [UInt8]) -> Bool in convention.decoded(token).map { scripts.admits($0.bytes) } ?? false }
        }
        progress("learning \(count) new tokens")
        let expansion = try VocabularyExpansion(source: source, words: words, count: count, protectedWords: protectedWords, accepts: accepts)
        let tokenizer = expansion.tokenizer
        var counts = ["dead": expansion.deadTokens, "unreachable": expansion.unreachableTokens.count,
                      "refused_existing": expansion.refused.existing, "refused_protected": expansion.refused.protected,
                      "refused_script": expansion.refused.filtered]
        if let protected {
            progress("checking the protected text")
            let (lines, changed, first) = try protected.changedLines(source: source, expanded: tokenizer)
            if changed > maximumChangedLines {
                throw TransferError.protectedTextChanged(changed: changed, lines: lines, allowed: maximumChangedLines, first: first ?? "")
            }
            counts["protected_lines"] = lines
            counts["protected_lines_changed"] = changed
        }
        var changed = ChangedVocabulary(
            tokenizer: tokenizer, expansion: expansion, rows: max(rows, Int(expansion.newTokens.last!.id) + 1), keptRows: rows,
            initialized: expansion.newTokens.map(\.id), replacedFiles: [ModelFiles.tokenizer],
            describe: { id in (tokenizer.model.vocabulary.string(for: id) ?? "", tokenizer.decode([id])) },
            writeFiles: { directory in try tokenizer.write(to: PathName.join(directory, ModelFiles.tokenizer)) })
        changed.corpus = .corpus(corpus)
        changed.counts = counts
        return changed
    }

    /// The provenance settings of the expansion's options.
    var settings: [(key: String, value: String)] {
        [("protected_text", protected?.label ?? "none"), ("max_changed_lines", String(maximumChangedLines)),
         ("scripts", scripts?.shortNames.joined(separator: ",") ?? "any")]
    }
}
