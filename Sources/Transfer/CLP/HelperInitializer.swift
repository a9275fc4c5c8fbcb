import Tokenization

/// Places the tokens a helper model has: each gets a combination of the anchors' source rows
/// (CLP-Transfer's, or another ``AnchorCombination``); tokens the helper lacks, or whose
/// combination fails, are left to the next initializer.
public struct HelperInitializer: RowInitializer {
    /// Which shared tokens are the anchors.
    public enum Anchors: Sendable {
        /// Every source token the helper has (an expansion: the targets are its new tokens).
        case sourceTokens
        /// The rows already planned as copies of a source row (a replacement by the helper's
        /// vocabulary, after ``SharedTokenCopy``: target ids are helper ids).
        case copiedRows
    }

    /// The helper model.
    public let helper: HelperModel
    /// How rows are combined from the anchors.
    public var combination: any AnchorCombination
    /// Which shared tokens are the anchors.
    public var anchors: Anchors

    /// Rows from `helper` combined by `combination` over `anchors`.
    public init(helper: HelperModel, combination: any AnchorCombination, anchors: Anchors) {
        self.helper = helper
        self.combination = combination
        self.anchors = anchors
    }

    /// CLP-Transfer from `helper` with `weighting` over `anchors`.
    public init(helper: HelperModel, weighting: CLPWeighting = .ratio, anchors: Anchors) {
        self.init(helper: helper, combination: CLPTransfer(weighting: weighting), anchors: anchors)
    }

    public func plan(_ ids: [TokenID], in context: TransferContext, into plans: inout RowPlans) throws {
        let targets: [TokenID], result: AnchorRows, anchorSources: [TokenID]
        switch anchors {
        case .sourceTokens:
            let wanted = Set(ids)
            context.progress("\(combination.method.label) from \(helper.directory)")
            (targets, result, anchorSources) = try helper.transfer(
                source: context.source, sourceRows: context.sourceRows,
                targets: try context.requireExpansion(for: combination.method.label).newTokens.filter { wanted.contains($0.id) }.map { ($0.id, $0.token) },
                tensors: context.tensors, combination: combination)
        case .copiedRows:
            var copies: [Int: TokenID] = [:]
            for (id, plan) in plans.plans {
                if case .copy(let sourceID) = plan.values { copies[Int(id)] = sourceID }
            }
            let anchorHelpers = copies.keys.sorted()
            anchorSources = anchorHelpers.map { copies[$0]! }
            context.progress("\(combination.method.label): \(ids.count) tokens from \(anchorHelpers.count) anchors")
            targets = ids
            result = try combination.compute(
                targets: helper.embedding.gathering(ids.map(Int.init)), anchorHelperRows: helper.embedding.gathering(anchorHelpers),
                anchorSourceRows: context.tensors.map { $0.gathering(anchorSources.map(Int.init)) })
        }
        let rows = ExplicitRows(result.rows)
        for (index, id) in targets.enumerated() where result.succeeded[index] {
            let weights = RowProvenance.combining(result.largestWeights[index].map { (anchorSources[$0.anchor], $0.weight) }).sorted { $0.id < $1.id }
            plans[id] = RowPlan(.explicit(rows, index), RowProvenance(combination.method, sources: weights))
        }
    }
}
