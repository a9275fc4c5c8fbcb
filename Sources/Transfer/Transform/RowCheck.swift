import Support
import Tokenization

/// The check every planned row passes before it is kept: finite values, weights that sum to 1
/// (within 1e-6) when none is negative, in every vocabulary tensor a norm no larger than the
/// largest source row's times ``maximumNormRatio``, and in an expansion, unless the row composes
/// the token's own pieces (Mean, Merge, Align: `OO` is `O` twice), no more than half its weight
/// on one token of the protected text (a trans-tokenized Arabic comma copying `,` takes its
/// probability wherever English would use it). A row that fails goes to the next
/// initializer of the chain, and the failure is recorded in the provenance database: one
/// ill-conditioned combination (CLP's ratio weighting can give weights summing in magnitude to
/// 29) would otherwise make a row 34 times longer than any the model has, and wreck it.
public struct RowCheck {
    /// How much longer than the longest source row a new row may be.
    public static let maximumNormRatio = 1.0

    private let tensors: [EmbeddingRows]
    private let largestNorms: [Double]
    private let protectedIDs: Set<TokenID>

    init(tensors: [EmbeddingRows], protectedIDs: Set<TokenID> = []) throws {
        self.tensors = tensors
        self.protectedIDs = protectedIDs
        largestNorms = try tensors.map { try $0.largestRowNorm() }
    }

    /// Why `plan` cannot be kept, or nil when it can; `describing` names a source token.
    func problem(with plan: RowPlan, describing: (TokenID) -> String = { String($0) }) -> String? {
        if !plan.provenance.method.composesPieces,
           let (id, weight) = plan.provenance.sources.first(where: { $0.weight > 0.5 && protectedIDs.contains($0.id) }) {
            return "it puts \(weight) of its weight on \(describing(id).debugDescription), a token of the protected text"
        }
        switch plan.values {
        case .copy, .random:
            return nil
        case .weights(let weights):
            guard weights.allSatisfy({ $0.weight.isFinite }) else { return "a weight is not finite" }
            let sum = weights.reduce(0) { $0 + $1.weight }
            if weights.allSatisfy({ $0.weight >= 0 }), abs(sum - 1) > 1e-6 {
                return "its weights sum to \(sum), not 1"
            }
            for (index, tensor) in tensors.enumerated() {
                let rows = tensor.gathering(weights.map { Int($0.id) })
                var row = [Double](repeating: 0, count: rows.width)
                for (position, (_, weight)) in weights.enumerated() {
                    for column in 0..<rows.width { row[column] += weight * rows.values[position * rows.width + column] }
                }
                if let problem = normProblem(row[...], tensor: index) { return problem }
            }
            return nil
        case .explicit(let rows, let position):
            for (index, matrix) in rows.matrices.enumerated() {
                let row = matrix.values[(position * matrix.width)..<((position + 1) * matrix.width)]
                guard row.allSatisfy(\.isFinite) else { return "a value is not finite" }
                if let problem = normProblem(row, tensor: index) { return problem }
            }
            return nil
        }
    }

    private func normProblem(_ row: ArraySlice<Double>, tensor index: Int) -> String? {
        guard index < largestNorms.count, largestNorms[index] > 0 else { return nil }
        let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm <= largestNorms[index] * Self.maximumNormRatio else {
            return "its \(tensors[index].info.name) row has norm \(norm), above the longest source row's \(largestNorms[index])"
        }
        return nil
    }
}
