import Tokenization

/// Align: a new token's row weighs the source segmentations of its occurrences in the target
/// corpus by their counts (see ``HeuristicRules/align(_:)``).
public struct AlignInitializer: RowInitializer {
    /// The initializer.
    public init() {}

    public func plan(_ ids: [TokenID], in context: TransferContext, into plans: inout RowPlans) throws {
        let aligned = try HeuristicRules(source: context.source, expansion: try context.requireExpansion(for: "align")).align(context.corpus)
        for id in ids {
            if let weights = aligned[id] { plans[id] = .weights(weights, by: .align) }
        }
    }
}
