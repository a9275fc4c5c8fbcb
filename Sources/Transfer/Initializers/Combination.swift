import Tokenization

/// Weighted sums of source rows, kept as id → weight while they are combined.
struct Combination {
    var weights: [TokenID: Double] = [:]

    /// The sum of `parts`, each scaled by its factor.
    static func sum(_ parts: [(Combination, Double)]) -> Combination {
        var result = Combination()
        for (part, factor) in parts {
            for (id, weight) in part.weights { result.weights[id, default: 0] += weight * factor }
        }
        return result
    }

    /// The row of one source id.
    static func source(_ id: TokenID) -> Combination { Combination(weights: [id: 1]) }

    /// The weights sorted by id.
    var sorted: [(id: TokenID, weight: Double)] { weights.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
}
