import Support
import Tokenization

/// How one row of a transformed vocabulary tensor is made, and what is recorded about it.
public struct RowPlan: Sendable {
    /// Where the row's values come from.
    public enum Values: Sendable {
        /// A byte copy of this source row.
        case copy(TokenID)
        /// The weighted sum of these source rows.
        case weights([(id: TokenID, weight: Double)])
        /// Rows computed elsewhere: this row of each vocabulary tensor's matrix, in the source model's tensor order.
        case explicit(ExplicitRows, Int)
        /// A seeded normal draw with the source rows' per-column mean and deviation.
        case random
    }

    /// The row's values.
    public var values: Values
    /// The method and its evidence, for the provenance database.
    public var provenance: RowProvenance

    /// A row made from `values`, recorded as `provenance`.
    public init(_ values: Values, _ provenance: RowProvenance) {
        self.values = values
        self.provenance = provenance
    }
}

/// Rows computed outside the source rows (by CLP, for instance): one matrix per vocabulary
/// tensor of the source model, in its tensor order, each with one row per planned token.
public final class ExplicitRows: Sendable {
    /// The matrices, one per vocabulary tensor.
    public let matrices: [Matrix]

    /// Rows held in `matrices`.
    public init(_ matrices: [Matrix]) { self.matrices = matrices }
}

/// The method that made a row and its evidence: the source ids and weights it combines.
public struct RowProvenance: Sendable {
    /// The method.
    public enum Method: Sendable, Hashable {
        /// A kept or shared token's source row.
        case copy
        /// A seeded random draw.
        case random
        /// The mean of the token's source segmentation.
        case mean
        /// The binary-tree average along the token's merges.
        case merge
        /// The frequency-weighted segmentations of the token's occurrences in the target corpus.
        case align
        /// CLP-Transfer: the largest weights over the anchors.
        case clp
        /// Orthogonal Matching Pursuit over the anchors: the largest coefficients.
        case omp
        /// Trans-tokenization, and how the recipe mapped the token.
        case transTokenization(TokenMapping.Kind)
        /// TransMI: a transliterated token, or a BPE piece one needs.
        case transliteration(TransliterationMerge.Mode, isPart: Bool)
        /// A method defined outside Polytoken, recorded under this label.
        case named(String)

        /// Whether the method combines the rows of the token's own pieces (Mean, Merge, Align),
        /// rather than rows of other tokens it maps the token to.
        public var composesPieces: Bool {
            switch self {
            case .mean, .merge, .align: return true
            default: return false
            }
        }

        /// Whether ``ModelTransform/centering`` applies to the method's output-head rows: the
        /// combinations that score better centered on SmolLM2 (Mean, Merge, Align,
        /// trans-tokenization); CLP and OMP rows, already of smaller norm, score worse centered.
        public var isCentered: Bool {
            switch self {
            case .mean, .merge, .align, .transTokenization: return true
            default: return false
            }
        }

        /// The label the provenance database records.
        public var label: String {
            switch self {
            case .copy: return "copy"
            case .random: return "random"
            case .mean: return "mean"
            case .merge: return "merge"
            case .align: return "align"
            case .clp: return "clp"
            case .omp: return "omp"
            case .transTokenization(let kind): return "transtokenize-\(kind.rawValue)"
            case .transliteration(_, isPart: true): return "transmi-part"
            case .transliteration(let mode, isPart: false): return "transmi-\(mode.rawValue)"
            case .named(let label): return label
            }
        }
    }

    /// The method.
    public var method: Method
    /// Source ids and weights, as the method reports them (empty for a random row).
    public var sources: [(id: TokenID, weight: Double)]

    /// `method` with evidence `sources`.
    public init(_ method: Method, sources: [(id: TokenID, weight: Double)] = []) {
        self.method = method
        self.sources = sources
    }

    /// `weights` with the weights of a source id listed more than once added into one, in
    /// order of first appearance.
    public static func combining(_ weights: [(id: TokenID, weight: Double)]) -> [(id: TokenID, weight: Double)] {
        var combined: [(id: TokenID, weight: Double)] = []
        var position: [TokenID: Int] = [:]
        for (id, weight) in weights {
            if let index = position[id] {
                combined[index].weight += weight
            } else {
                position[id] = combined.count
                combined.append((id, weight))
            }
        }
        return combined
    }
}

extension RowPlan {
    /// The weighted sum of `weights`, recorded as made by `method`; the weights of a source id
    /// listed more than once (`aa` as `a` + `a`) are added into one.
    public static func weights(_ weights: [(id: TokenID, weight: Double)], by method: RowProvenance.Method) -> RowPlan {
        let combined = RowProvenance.combining(weights)
        return RowPlan(.weights(combined), RowProvenance(method, sources: combined))
    }

    /// A seeded random row.
    public static let random = RowPlan(.random, RowProvenance(.random))
}
