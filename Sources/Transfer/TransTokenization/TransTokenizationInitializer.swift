import Alignment
import Foundation
import Support
import TextProcessing
import Tokenization

/// Trans-tokenization as an initializer: the alignment table (given, or computed from a
/// parallel corpus between the source tokenizer and the target one) is mapped by the
/// reference recipe (``TokenMapping``), and each target token takes its weights: a copy when
/// one source token carries them all. The mapping of the tokens it planned is also written
/// as `token_mapping.json`, and the alignment's settings recorded.
public struct TransTokenizationInitializer: RowInitializer {
    /// Where the alignment comes from.
    public enum AlignmentSource {
        /// A stored table.
        case table(AlignmentStore.Contents)
        /// A parallel corpus, aligned with `options`; the table is also written to `save` when given.
        case parallel(ParallelCorpusReader.Source, ParallelAlignment.Options, save: AtomicOutput?)
    }

    /// The alignment.
    public var alignment: AlignmentSource
    /// The recipe's options.
    public var options: TokenMapping.Options
    /// Whether every target token is planned, those the recipe leaves unmapped with its
    /// unknown-token fallback and the weights heaviest first, as the reference lists them (a
    /// replacement, where nothing else maps them); otherwise (an expansion) unmapped tokens are
    /// left to the next initializer and the weights are by id, like the heuristics'.
    public var mapsEveryToken: Bool
    /// Trans-tokenization from `alignment`.
    public init(alignment: AlignmentSource, options: TokenMapping.Options = .init(), mapsEveryToken: Bool) {
        self.alignment = alignment
        self.options = options
        self.mapsEveryToken = mapsEveryToken
    }

    public func plan(_ ids: [TokenID], in context: TransferContext, into plans: inout RowPlans) throws {
        guard let target = context.target else { throw TransferError.needsTargetTokenizer(method: "transtokenize") }
        let contents: AlignmentStore.Contents
        switch alignment {
        case .table(let table): contents = table
        case .parallel(let corpus, let alignmentOptions, let save):
            contents = try ParallelAlignment.run(corpus, source: context.source, target: target, options: alignmentOptions, progress: context.progress)
            if let save { try AlignmentStore.write(contents, to: save) }
        }
        context.progress("mapping \(target.vocabularySize) target tokens")
        let mapping = try TokenMapping(alignment: contents, source: context.source, sourceRoles: context.sourceSpecialTokens,
                                       target: target, targetRoles: context.specialTokens, options: options)
        var planned: [Int] = []
        for id in ids {
            let kind = mapping.kinds[Int(id)]
            guard mapsEveryToken || kind != .unmapped else { continue }
            let weights = mapsEveryToken ? mapping.weights[Int(id)] : mapping.weights[Int(id)].sorted { $0.id < $1.id }
            let values: RowPlan.Values = weights.count == 1 ? .copy(weights[0].id) : .weights(weights)
            plans[id] = RowPlan(values, RowProvenance(.transTokenization(kind), sources: weights))
            planned.append(Int(id))
        }
        let json = mapping.json(source: context.source, target: target, ids: planned)
        plans.addFile(TokenMapping.fileName) { path in try Data(JSONWriter.compact(json).utf8).write(to: URL(fileURLWithPath: path)) }
        for (key, value) in TokenMapping.settings(alignment: contents, options: options) { plans.record(key, value) }
    }
}
