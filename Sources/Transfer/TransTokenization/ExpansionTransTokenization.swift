import Alignment
import Store
import Support
import TextProcessing
import Tokenization

/// Trans-tokenization in expansion mode: the parallel corpus is aligned between the source
/// tokenizer (source-language side) and the expanded tokenizer (target-language side), the
/// reference recipe maps every expanded token, and each new token it maps (aligned, or
/// smoothed from longer and contained tokens) takes its weights. New tokens it leaves
/// unmapped keep their fallback initialization (the heuristic one), as CLP does.
struct ExpansionTransTokenization {
    /// The recipe's kind of each new token it initialized.
    var kinds: [TokenID: TokenMapping.Kind] = [:]
    /// The mapping of the new tokens it initialized, as `token_mapping.json` holds it.
    var json: JSONValue
    /// The alignment's settings, for the provenance database.
    var settings: [(key: String, value: String)]

    /// Aligns `corpus`, maps the new tokens and replaces their entries in `initializations`; the
    /// alignment table is also written to `saveAlignment` when given.
    init(initializations: inout [TokenInitialization], corpus: ParallelCorpusReader.Source, directory: String,
         source: Tokenizer, expanded: Tokenizer, options: ModelExpansion.Options, saveAlignment: AtomicOutput?,
         progress: (String) -> Void) throws {
        let alignment = try ParallelAlignment.run(corpus, source: source, target: expanded, options: options.alignment, progress: progress)
        if let saveAlignment { try AlignmentStore.write(alignment, to: saveAlignment) }
        progress("mapping \(expanded.vocabularySize) expanded tokens")
        let roles = try SpecialTokenRoles(tokenizer: source, directory: directory)
        let mapping = try TokenMapping(alignment: alignment, source: source, sourceRoles: roles,
                                       target: expanded, targetRoles: roles, options: options.mapping)
        for position in initializations.indices {
            let id = initializations[position].id, kind = mapping.kinds[Int(id)]
            guard kind != .unmapped else { continue }
            initializations[position] = TokenInitialization(id: id, method: .transtokenize,
                                                            weights: mapping.weights[Int(id)].sorted { $0.id < $1.id })
            kinds[id] = kind
        }
        json = mapping.json(source: source, target: expanded, ids: kinds.keys.sorted().map(Int.init))
        settings = TokenMapping.settings(alignment: alignment, options: options.mapping)
    }
}
