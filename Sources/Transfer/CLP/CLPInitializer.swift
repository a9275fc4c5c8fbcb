import Tokenization

/// CLP-Transfer as an initializer: each target token the helper model has gets the CLP
/// combination of the anchors' source rows (see ``CLPTransfer``); tokens the helper lacks, or
/// whose similarities sum to nearly zero, are left to the next initializer.
public struct CLPInitializer: RowInitializer {
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
    /// How the anchors are weighted.
    public var weighting: CLPWeighting
    /// Which shared tokens are the anchors.
    public var anchors: Anchors

    /// CLP from `helper` with `weighting` over `anchors`.
    public init(helper: HelperModel, weighting: CLPWeighting = .ratio, anchors: Anchors) {
        self.helper = helper
        self.weighting = weighting
        self.anchors = anchors
    }

    public func plan(_ ids: [TokenID], in context: TransferContext, into plans: inout RowPlans) throws {
        let targets: [TokenID], result: CLPTransfer.Result, anchorSources: [TokenID]
        switch anchors {
        case .sourceTokens:
            let wanted = Set(ids)
            context.progress("CLP-Transfer from \(helper.directory)")
            (targets, result, anchorSources) = try helper.transfer(
                source: context.source, sourceRows: context.sourceRows,
                targets: try context.requireExpansion(for: "clp").newTokens.filter { wanted.contains($0.id) }.map { ($0.id, $0.token) },
                tensors: context.tensors, weighting: weighting)
        case .copiedRows:
            var copies: [Int: TokenID] = [:]
            for (id, plan) in plans.plans {
                if case .copy(let sourceID) = plan.values { copies[Int(id)] = sourceID }
            }
            let anchorHelpers = copies.keys.sorted()
            anchorSources = anchorHelpers.map { copies[$0]! }
            context.progress("CLP-Transfer: \(ids.count) tokens from \(anchorHelpers.count) anchors")
            targets = ids
            result = CLPTransfer(weighting: weighting).compute(
                targets: helper.embedding.gathering(ids.map(Int.init)), anchorHelperRows: helper.embedding.gathering(anchorHelpers),
                anchorSourceRows: context.tensors.map { $0.gathering(anchorSources.map(Int.init)) })
        }
        let rows = ExplicitRows(result.rows)
        for (index, id) in targets.enumerated() where result.succeeded[index] {
            let weights = result.largestWeights[index].map { (anchorSources[$0.anchor], $0.weight) }.sorted { $0.0 < $1.0 }
            plans[id] = RowPlan(.explicit(rows, index), RowProvenance(.clp, sources: weights))
        }
    }
}
