import Support
import Tokenization

/// TransMI's change: the source vocabulary gains the transliterations of its tokens (see
/// ``TransliterationMerge``), each new row the merge's combination of its sources. It also
/// changes a static model's quantized vocabulary.
public struct TransliterationExpansion: VocabularyChange {
    /// How a new token comes from its group.
    public var mode: TransliterationMerge.Mode
    /// The ICU transform.
    public var transform = "Any-Latin; Latin-ASCII"

    /// TransMI with `mode`.
    public init(mode: TransliterationMerge.Mode) { self.mode = mode }

    public var acceptsQuantizedVocabulary: Bool { true }

    public func apply(to source: Tokenizer, rows: Int, directory: String, progress: (String) -> Void) throws -> ChangedVocabulary {
        progress("transliterating the vocabulary")
        let merge = try TransliterationMerge(source: source, mode: mode, transform: transform)
        let byID = Dictionary(uniqueKeysWithValues: merge.newTokens.map { ($0.id, $0) })
        let tokenizer = merge.tokenizer
        var changed = ChangedVocabulary(
            tokenizer: tokenizer, rows: max(rows, Int(merge.newTokens.last?.id ?? 0) + 1), keptRows: rows,
            initialized: merge.newTokens.map(\.id), listing: VocabularyListing(tokenizer), replacesTokenizer: false,
            describe: { id in byID[id].map { ($0.token, $0.text) } ?? ("", "") },
            writeFiles: { directory in try tokenizer.write(to: PathName.join(directory, ModelFiles.tokenizer)) })
        for token in merge.newTokens {
            changed.plans[token.id] = .weights(token.weights, by: .transliteration(mode, isPart: token.isPart))
        }
        changed.counts = ["unsupported": merge.unsupported, "empty": merge.empty]
        return changed
    }
}
