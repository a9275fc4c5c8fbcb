import Tokenization

/// Merge: a new token's row is the binary-tree average along the merges that form it (see ``HeuristicRules/merge()``).
public struct MergeInitializer: RowInitializer {
    /// The initializer.
    public init() {}

    public func plan(_ ids: [TokenID], in context: TransferContext, into plans: inout RowPlans) throws {
        let merged = HeuristicRules(source: context.source, expansion: try context.requireExpansion(for: "merge")).merge()
        for id in ids {
            if let weights = merged[id] { plans[id] = .weights(weights, by: .merge) }
        }
    }
}
