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
        /// When the target corpus is written in a script the protected text does not use (each a
        /// tenth of the letters; Cyrillic for Russian protected by English), tokens holding a
        /// character outside ASCII, the protected text and its scripts (a Cyrillic letter, `。`),
        /// which never occur in the protected languages; otherwise
        /// (German protected by English) any token with a letter. Either way, numbers and
        /// punctuation learned from the target text do not re-segment the protected languages.
        case automatic
        /// Any token.
        case any
        /// Tokens written in these scripts (see `ScriptSet.admits(_:)`).
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
        let accepts = admission(words: words, protectedWords: protectedWords, convention: convention)
        progress("learning \(count) new tokens")
        var expansion = try VocabularyExpansion(source: source, words: words, count: count, protectedWords: protectedWords, accepts: accepts)
        let refused = expansion.refused
        let sentencePiece = try SentencePieceModelFile.beside(tokenizerIn: directory).map { model in
            progress("growing tokenizer.model")
            let grown = try model.expanding(expansion.tokenizer, source: PathName.join(directory, ModelFiles.sentencePieceModel))
            expansion = VocabularyExpansion(tokenizer: grown.tokenizer, newTokens: expansion.newTokens)
            return grown.model
        }
        let tokenizer = expansion.tokenizer
        var counts = ["dead": expansion.deadTokens, "unreachable": try expansion.unreachableTokens().count,
                      "refused_existing": refused.existing, "refused_protected": refused.protected,
                      "refused_script": refused.filtered]
        var protectedIDs = Set<TokenID>()
        if let protected {
            progress("checking the protected text")
            let (lines, changed, first) = try protected.changedLines(source: source, expanded: tokenizer, ids: &protectedIDs)
            if changed > maximumChangedLines {
                throw TransferError.protectedTextChanged(changed: changed, lines: lines, allowed: maximumChangedLines, first: first ?? "")
            }
            counts["protected_lines"] = lines
            counts["protected_lines_changed"] = changed
        }
        var changed = ChangedVocabulary(
            tokenizer: tokenizer, expansion: expansion, rows: max(rows, Int(expansion.newTokens.last!.id) + 1), keptRows: rows,
            initialized: expansion.newTokens.map(\.id), listing: VocabularyListing(tokenizer), replacesTokenizer: false,
            describe: { id in (tokenizer.model.vocabulary.string(for: id) ?? "", tokenizer.decode([id])) },
            writeFiles: { directory in
                try tokenizer.write(to: PathName.join(directory, ModelFiles.tokenizer))
                if let sentencePiece {
                    try AtomicOutput(PathName.join(directory, ModelFiles.sentencePieceModel), kind: .file, replacing: true).write(try sentencePiece.data)
                }
            })
        changed.corpus = .corpus(corpus)
        changed.counts = counts
        changed.protectedIDs = protectedIDs
        return changed
    }

    /// The test a new token (its vocabulary string) must pass, nil when any token may be added.
    private func admission(words: WordCounts, protectedWords: WordCounts?,
                           convention: VocabularyConvention) -> (@Sendable ([UInt8]) -> Bool)? {
        let text = { @Sendable (token: [UInt8]) -> [UInt8]? in convention.decoded(token)?.bytes }
        switch scripts {
        case .any:
            return nil
        case .only(let set):
            return { token in text(token).map(set.admits) ?? false }
        case .automatic:
            var target = ScriptHistogram(), served = ScriptHistogram()
            var servedCharacters = Set<UInt32>()
            words.forEach { word, count in text(Array(word)).map { target.add($0, times: count) } }
            protectedWords?.forEach { word, count in
                guard let bytes = text(Array(word)) else { return }
                served.add(bytes, times: count)
                for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars { servedCharacters.insert(scalar.value) }
            }
            let servedScripts = served.scripts(withShare: 0.1)
            let newScripts = target.scripts(withShare: 0.1).codes.subtracting(servedScripts.codes)
            if newScripts.isEmpty { return { token in text(token).map(ScriptSet.hasLetter) ?? false } }
            let characters = servedCharacters
            return { token in
                guard let bytes = text(token) else { return false }
                var whole = false
                for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars where scalar.value != 0xFFFD {
                    if !scalar.isASCII && !characters.contains(scalar.value) && !servedScripts.contains(scalar) { return true }
                    whole = true
                }
                return !whole
            }
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
