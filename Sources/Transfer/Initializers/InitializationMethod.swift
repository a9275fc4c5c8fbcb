import Tokenization

/// How an expansion initializes the rows of its new tokens: which initializers it tries, in
/// order (Yamaguchi, Villavicencio and Aletras, 2024, for the heuristics).
public enum InitializationMethod: String, Sendable, CaseIterable {
    /// A per-dimension normal draw with the source rows' mean and standard deviation, seeded.
    case random
    /// The mean of the rows of the token's source segmentation.
    case mean
    /// The binary-tree average along the merges that form the token, else `mean`.
    case merge
    /// The frequency-weighted average over the source segmentations of the token's occurrences in the target corpus, else `mean`.
    case align
    /// Align, falling back to Merge, falling back to Mean, per token (then Random).
    case heuristic
    /// CLP-Transfer from a helper model whose vocabulary has the token, else `heuristic`.
    case clp
    /// Orthogonal Matching Pursuit from a helper model whose vocabulary has the token, else `heuristic`.
    case omp
    /// Trans-tokenization from a word-aligned parallel corpus, else `heuristic`.
    case transtokenize

    /// The heuristic chain: Align, Merge, Mean, then Random.
    public static var heuristicChain: [any RowInitializer] { [AlignInitializer(), MergeInitializer(), MeanInitializer(), RandomInitializer()] }

    /// The initializers of this method, in order. A token Merge or Align cannot place (a character
    /// added alone; a token the encoder never produces on the target corpus, only a step towards
    /// longer ones) gets the Mean row: a random row would take probability at every position of
    /// the languages the model already serves. `clp`, `omp` and `transtokenize` start with `own`,
    /// which they need (a ``HelperInitializer`` or a ``TransTokenizationInitializer``); the others ignore it.
    public func initializers(_ own: (any RowInitializer)? = nil) throws -> [any RowInitializer] {
        switch self {
        case .random: return [RandomInitializer()]
        case .mean: return [MeanInitializer(), RandomInitializer()]
        case .merge: return [MergeInitializer(), MeanInitializer(), RandomInitializer()]
        case .align: return [AlignInitializer(), MeanInitializer(), RandomInitializer()]
        case .heuristic: return Self.heuristicChain
        case .clp, .omp, .transtokenize:
            guard let own else { throw TransferError.methodNeedsInitializer(method: rawValue) }
            return [own] + Self.heuristicChain
        }
    }
}
