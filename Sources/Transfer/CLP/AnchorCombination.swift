import Support

/// How the row of a token a helper model has is combined from the anchors (tokens both
/// vocabularies share): CLP-Transfer's similarity weights (``CLPTransfer``), or a sparse
/// approximation by Orthogonal Matching Pursuit (``OrthogonalMatchingPursuit``). A new
/// combination is one conforming type, used through ``HelperInitializer``.
public protocol AnchorCombination: Sendable {
    /// The method the provenance database records.
    var method: RowProvenance.Method { get }

    /// The rows of `targets` (helper embedding rows) from `anchorHelperRows` (the anchors'
    /// helper rows) and, per source matrix, `anchorSourceRows` (the anchors' rows in it).
    /// Throws when OpenBLAS cannot be loaded.
    func compute(targets: Matrix, anchorHelperRows: Matrix, anchorSourceRows: [Matrix]) throws -> AnchorRows
}

/// The rows an ``AnchorCombination`` computed, for its targets in order.
public struct AnchorRows: Sendable {
    /// Per source matrix, the new rows (targets × that matrix's width); rows of failed targets are zero.
    public var rows: [Matrix]
    /// Whether each target got weights.
    public var succeeded: [Bool]
    /// Per target, its largest weights by magnitude (anchor index, weight), largest first.
    public var largestWeights: [[(anchor: Int, weight: Double)]]
}
