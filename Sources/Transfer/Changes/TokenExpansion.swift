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
    /// The scripts new tokens may be written in.
    public var scripts: ScriptChoice = .automatic

    /// Which scripts new tokens may be written in.
    public enum ScriptChoice: Sendable {
        /// The scripts of the target corpus the protected text does not use (each at least a
        /// tenth of the letters), such as Cyrillic for Russian protected by English; when there
        /// is none (German protected by English), any token with a letter. Tokens of digits,
        /// punctuation and spaces alone are never added: they would re-segment every language.
        case automatic
        /// Any token.
        case any
        /// Tokens written in these scripts (see ``ScriptSet/admits(_:)``).
        case only(ScriptSet)
    }

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
        let chosen = choose(words: words, protectedWords: protectedWords, convention: convention)
        let accepts = chosen.map { scripts in
            { @Sendable (token: [UInt8]) -> Bool in
                guard let text = convention.decoded(token)?.bytes else { return false }
                return scripts.codes.isEmpty ? ScriptSet.hasLetter(text) : scripts.admits(text)
            }
        }
        progress("learning \(count) new tokens")
        let expansion = try VocabularyExpansion(source: source, words: words, count: count, protectedWords: protectedWords, accepts: accepts)
        let tokenizer = expansion.tokenizer
        if let chosen { progress("new tokens in scripts: \(chosen.codes.isEmpty ? "any, with a letter" : chosen.shortNames.joined(separator: ","))") }
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

    /// The scripts new tokens may be in (an empty set: any token with a letter), nil for any token.
    private func choose(words: WordCounts, protectedWords: WordCounts?, convention: VocabularyConvention) -> ScriptSet? {
        switch scripts {
        case .any: return nil
        case .only(let set): return set
        case .automatic:
            func histogram(_ words: WordCounts?) -> ScriptHistogram {
                var histogram = ScriptHistogram()
                words?.forEach { word, count in
                    if let text = convention.decoded(Array(word))?.bytes { histogram.add(text, times: count) }
                }
                return histogram
            }
            let target = histogram(words).scripts(withShare: 0.1).codes
            let served = histogram(protectedWords).scripts(withShare: 0.1).codes
            return ScriptSet(codes: target.subtracting(served))
        }
    }

    /// The provenance settings of the expansion's options.
    var settings: [(key: String, value: String)] {
        let chosen: String
        switch scripts {
        case .automatic: chosen = "automatic"
        case .any: chosen = "any"
        case .only(let set): chosen = set.shortNames.joined(separator: ",")
        }
        return [("protected_text", protected?.label ?? "none"), ("max_changed_lines", String(maximumChangedLines)), ("scripts", chosen)]
    }
}
