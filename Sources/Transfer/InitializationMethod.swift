import Tokenization

/// How the embedding rows of new tokens are initialized (Yamaguchi, Villavicencio and Aletras, 2024).
public enum InitializationMethod: String, Sendable, CaseIterable {
    /// A per-dimension normal draw with the source rows' mean and standard deviation, seeded.
    case random
    /// The mean of the rows of the token's source segmentation.
    case mean
    /// The binary-tree average along the merges that form the token.
    case merge
    /// The frequency-weighted average over the source segmentations of the token's occurrences in the target corpus.
    case align
    /// Align, falling back to Merge, falling back to Mean, per token (then Random).
    case heuristic
    /// CLP-Transfer from a helper model whose vocabulary has the token, else `heuristic`.
    case clp
    /// Trans-tokenization from a word-aligned parallel corpus, else `heuristic`.
    case transtokenize
}

/// A new token's row as a weighted sum of source rows, and the method that produced it.
public struct TokenInitialization: Sendable, Equatable {
    /// The new token's id.
    public var id: TokenID
    /// The method that produced the weights (never `heuristic`; `random` when none applied).
    /// For `clp`, the weights are the largest of its dense weights over the anchors.
    public var method: InitializationMethod
    /// Source ids and their weights (summing to 1), sorted by id; empty for `random`.
    public var weights: [(id: TokenID, weight: Double)]

    /// The initialization of token `id`.
    public init(id: TokenID, method: InitializationMethod, weights: [(id: TokenID, weight: Double)]) {
        self.id = id
        self.method = method
        self.weights = weights
    }

    public static func == (lhs: TokenInitialization, rhs: TokenInitialization) -> Bool {
        lhs.id == rhs.id && lhs.method == rhs.method && lhs.weights.count == rhs.weights.count
            && zip(lhs.weights, rhs.weights).allSatisfy { $0.id == $1.id && $0.weight == $1.weight }
    }
}

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
