import Tokenization

/// Mean: a new token's row is the mean of the rows of its source segmentation (see ``HeuristicRules/mean(_:)``).
public struct MeanInitializer: RowInitializer {
    /// The initializer.
    public init() {}

    public func plan(_ ids: [TokenID], in context: TransferContext, into plans: inout RowPlans) throws {
        let rules = HeuristicRules(source: context.source, expansion: try context.requireExpansion(for: "mean"))
        for id in ids {
            if let weights = rules.mean(id) { plans[id] = .weights(weights, by: .mean) }
        }
    }
}
