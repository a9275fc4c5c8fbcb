import CBLAS
import Support

/// Orthogonal Matching Pursuit over the anchors, as mergekit's `tokensurgeon` transplants
/// tokenizers without training (arXiv 2506.06607): a target's helper row is approximated by at
/// most ``atoms`` anchors' helper rows, each step choosing the anchor with the largest
/// |⟨residual, anchor⟩| (unnormalized, ties to the lowest anchor) and refitting all chosen
/// coefficients by least squares; the same coefficients then combine the anchors' source rows.
///
/// Coefficients may be negative and need not sum to 1, so ``RowCheck`` bounds the rows it
/// makes. Double precision; the projection uses modified Gram–Schmidt with a second pass, and
/// an anchor that is (numerically) a combination of those chosen is skipped. The correlations
/// of a block of targets are one matrix product per step, with OpenBLAS on all cores.
public struct OrthogonalMatchingPursuit: AnchorCombination {
    /// The most anchors a target combines (tokensurgeon's `k`).
    public var atoms: Int
    /// Targets per block.
    public var blockSize: Int

    /// OMP with at most `atoms` anchors per target, `blockSize` targets at a time.
    public init(atoms: Int = 64, blockSize: Int = 128) {
        self.atoms = atoms
        self.blockSize = blockSize
    }

    public var method: RowProvenance.Method { .omp }

    public func compute(targets: Matrix, anchorHelperRows anchors: Matrix, anchorSourceRows: [Matrix]) throws -> AnchorRows {
        try BLAS.require()
        precondition(targets.width == anchors.width)
        let width = anchors.width, anchorCount = anchors.rows
        let anchorNorms = (0..<anchorCount).map { Self.norm(anchors.values[($0 * width)..<(($0 + 1) * width)]) }
        var rows = anchorSourceRows.map { Matrix(rows: targets.rows, width: $0.width, values: [Double](repeating: 0, count: targets.rows * $0.width)) }
        var succeeded = [Bool](repeating: false, count: targets.rows)
        var largest: [[(anchor: Int, weight: Double)]] = Array(repeating: [], count: targets.rows)
        var start = 0
        while start < targets.rows {
            let count = min(blockSize, targets.rows - start)
            var pursuits = (0..<count).map { Pursuit(target: Array(targets.values[((start + $0) * width)..<((start + $0 + 1) * width)]), anchors: anchorCount) }
            var residuals = pursuits.flatMap(\.residual)
            var correlations = [Double](repeating: 0, count: count * anchorCount)
            for _ in 0..<min(atoms, anchorCount) {
                guard pursuits.contains(where: { !$0.done }) else { break }
                residuals.withUnsafeBufferPointer { left in
                    anchors.values.withUnsafeBufferPointer { right in
                        correlations.withUnsafeMutableBufferPointer { output in
                            pt_dgemm_abt(Int32(count), Int32(anchorCount), Int32(width), 1, left.baseAddress!, right.baseAddress!, 0, output.baseAddress!)
                        }
                    }
                }
                for index in 0..<count where !pursuits[index].done {
                    pursuits[index].step(correlations[(index * anchorCount)..<((index + 1) * anchorCount)], anchors: anchors, anchorNorms: anchorNorms)
                    residuals.replaceSubrange((index * width)..<((index + 1) * width), with: pursuits[index].residual)
                }
            }
            for (index, pursuit) in pursuits.enumerated() {
                let coefficients = pursuit.coefficients()
                guard !coefficients.isEmpty else { continue }
                let target = start + index
                succeeded[target] = true
                largest[target] = zip(pursuit.selected, coefficients).map { (anchor: $0, weight: $1) }
                    .sorted { abs($0.weight) != abs($1.weight) ? abs($0.weight) > abs($1.weight) : $0.anchor < $1.anchor }
                for (matrixIndex, source) in anchorSourceRows.enumerated() {
                    precondition(source.rows == anchorCount)
                    let sourceWidth = source.width
                    for (anchor, coefficient) in zip(pursuit.selected, coefficients) {
                        for column in 0..<sourceWidth {
                            rows[matrixIndex].values[target * sourceWidth + column] += coefficient * source.values[anchor * sourceWidth + column]
                        }
                    }
                }
            }
            start += count
        }
        return AnchorRows(rows: rows, succeeded: succeeded, largestWeights: largest)
    }

    static func norm(_ values: ArraySlice<Double>) -> Double { values.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    static func dot(_ left: [Double], _ right: ArraySlice<Double>) -> Double {
        var sum: Double = 0
        var index = right.startIndex
        for value in left {
            sum += value * right[index]
            index += 1
        }
        return sum
    }

    /// The pursuit of one target: the anchors chosen, an orthonormal basis of their span and the
    /// triangular factor relating them (chosen anchors = basis × factor).
    private struct Pursuit {
        let targetNorm: Double
        var residual: [Double]
        var selected: [Int] = []
        var used: [Bool]
        var basis: [[Double]] = []
        /// Column t of the upper-triangular factor: its first t + 1 entries.
        var factor: [[Double]] = []
        /// The target's coordinates in the basis.
        var projections: [Double] = []
        var done = false

        init(target: [Double], anchors: Int) {
            residual = target
            used = [Bool](repeating: false, count: anchors)
            targetNorm = OrthogonalMatchingPursuit.norm(target[...])
            done = targetNorm == 0
        }

        /// Chooses the next anchor from the residual's `correlations` with every anchor.
        mutating func step(_ correlations: ArraySlice<Double>, anchors: Matrix, anchorNorms: [Double]) {
            if OrthogonalMatchingPursuit.norm(residual[...]) <= 1e-10 * targetNorm {
                done = true
                return
            }
            let width = anchors.width
            for _ in 0..<8 {
                var best = -1
                var bestValue = -1.0
                for (offset, value) in correlations.enumerated() where !used[offset] && abs(value) > bestValue {
                    best = offset
                    bestValue = abs(value)
                }
                guard best >= 0 else { break }
                used[best] = true
                var candidate = Array(anchors.values[(best * width)..<((best + 1) * width)])
                var column = [Double](repeating: 0, count: basis.count + 1)
                for _ in 0..<2 {
                    for (index, vector) in basis.enumerated() {
                        let projection = OrthogonalMatchingPursuit.dot(vector, candidate[...])
                        column[index] += projection
                        for position in 0..<width { candidate[position] -= projection * vector[position] }
                    }
                }
                let length = OrthogonalMatchingPursuit.norm(candidate[...])
                guard length > 1e-10 * anchorNorms[best] else { continue }
                column[basis.count] = length
                for position in 0..<width { candidate[position] /= length }
                let projection = OrthogonalMatchingPursuit.dot(candidate, residual[...])
                for position in 0..<width { residual[position] -= projection * candidate[position] }
                basis.append(candidate)
                factor.append(column)
                projections.append(projection)
                selected.append(best)
                return
            }
            done = true
        }

        /// The least-squares coefficients of the chosen anchors (back-substitution).
        func coefficients() -> [Double] {
            let count = selected.count
            var result = [Double](repeating: 0, count: count)
            for row in stride(from: count - 1, through: 0, by: -1) {
                var value = projections[row]
                for column in (row + 1)..<max(row + 1, count) { value -= factor[column][row] * result[column] }
                result[row] = value / factor[row][row]
            }
            return result
        }
    }
}
