import CBLAS
import Foundation
import Support

/// CLP-Transfer (Ostendorff and Rehm, 2023): a token the source model lacks gets the
/// weighted sum of the source rows of the anchors (tokens both vocabularies share), with
/// weights from its cosine similarities to those anchors in a helper model's embedding space.
///
/// Similarities are one matrix product (targets × anchors over the helper dimension) and
/// the rows another (targets × anchors times anchors × source width), both computed in
/// blocks of targets with OpenBLAS on all cores, so memory stays at a block of similarities.
/// Both are in double precision: the reference divides by the sum of the similarities,
/// which amplifies single-precision rounding wherever that sum is small.
///
/// A target fails when its similarities sum to nearly zero; ``AnchorRows/largestWeights``
/// holds at most ``recordedWeights`` weights per target.
public struct CLPTransfer: AnchorCombination {
    /// The weighting.
    public var weighting: CLPWeighting
    /// Targets per block.
    public var blockSize: Int
    /// How many of each target's weights the result records.
    public var recordedWeights: Int

    /// A transfer with `weighting`, computing `blockSize` targets at a time and recording each target's `recordedWeights` largest weights.
    public init(weighting: CLPWeighting = .ratio, blockSize: Int = 1024, recordedWeights: Int = 16) {
        self.weighting = weighting
        self.blockSize = blockSize
        self.recordedWeights = recordedWeights
    }

    public var method: RowProvenance.Method { .clp }

    public func compute(targets: Matrix, anchorHelperRows: Matrix, anchorSourceRows: [Matrix]) throws -> AnchorRows {
        try BLAS.require()
        precondition(targets.width == anchorHelperRows.width)
        let anchors = anchorHelperRows.normalizingRows()
        let normalizedTargets = targets.normalizingRows()
        var rows = anchorSourceRows.map { Matrix(rows: targets.rows, width: $0.width, values: [Double](repeating: 0, count: targets.rows * $0.width)) }
        var succeeded = [Bool](repeating: false, count: targets.rows)
        var largest: [[(anchor: Int, weight: Double)]] = Array(repeating: [], count: targets.rows)
        var similarities = [Double](repeating: 0, count: min(blockSize, targets.rows) * anchors.rows)
        var scratch: [Double] = []
        var start = 0
        while start < targets.rows {
            let count = min(blockSize, targets.rows - start)
            normalizedTargets.values.withUnsafeBufferPointer { targetValues in
                anchors.values.withUnsafeBufferPointer { anchorValues in
                    similarities.withUnsafeMutableBufferPointer { output in
                        pt_dgemm_abt(Int32(count), Int32(anchors.rows), Int32(anchors.width), 1,
                                     targetValues.baseAddress! + start * anchors.width, anchorValues.baseAddress!, 0, output.baseAddress!)
                    }
                }
            }
            similarities.withUnsafeMutableBufferPointer { output in
                for row in 0..<count {
                    let weights = UnsafeMutableBufferPointer(rebasing: output[(row * anchors.rows)..<((row + 1) * anchors.rows)])
                    if weighting.apply(weights, scratch: &scratch) {
                        succeeded[start + row] = true
                        largest[start + row] = Self.largest(weights, count: recordedWeights)
                    } else {
                        for index in weights.indices { weights[index] = 0 }
                    }
                }
            }
            for (index, source) in anchorSourceRows.enumerated() {
                precondition(source.rows == anchors.rows)
                similarities.withUnsafeBufferPointer { weights in
                    source.values.withUnsafeBufferPointer { sourceValues in
                        rows[index].values.withUnsafeMutableBufferPointer { output in
                            pt_dgemm_ab(Int32(count), Int32(source.width), Int32(anchors.rows), 1, weights.baseAddress!,
                                        sourceValues.baseAddress!, 0, output.baseAddress! + start * source.width)
                        }
                    }
                }
            }
            start += count
        }
        return AnchorRows(rows: rows, succeeded: succeeded, largestWeights: largest)
    }

    /// The `count` weights of largest magnitude (index, weight), largest first, ties by index.
    static func largest(_ weights: UnsafeMutableBufferPointer<Double>, count: Int) -> [(anchor: Int, weight: Double)] {
        var best: [(anchor: Int, weight: Double)] = []
        best.reserveCapacity(count + 1)
        for index in weights.indices where weights[index] != 0 {
            let magnitude = abs(weights[index])
            if best.count == count, let last = best.last, abs(last.weight) >= magnitude { continue }
            var position = best.count
            while position > 0 && abs(best[position - 1].weight) < magnitude { position -= 1 }
            best.insert((index, weights[index]), at: position)
            if best.count > count { best.removeLast() }
        }
        return best
    }

    /// Times the similarity product as ``compute(targets:anchorHelperRows:anchorSourceRows:)``
    /// does it (double precision, one `dgemm`) on seeded values for `targets` × `anchors` rows
    /// of `width` columns: the seconds taken, the GFLOP/s and the BLAS threads. Throws when
    /// OpenBLAS cannot be loaded.
    public static func measureSimilarity(targets: Int, anchors: Int, width: Int) throws -> (seconds: Double, gigaflops: Double, threads: Int) {
        try BLAS.require()
        var random = SplitMix64(seed: 1)
        func values(_ count: Int) -> [Double] { (0..<count).map { _ in Double(random.next() >> 11) * 0x1p-52 - 1 } }
        let left = values(targets * width), right = values(anchors * width)
        var product = [Double](repeating: 0, count: targets * anchors)
        let started = Date()
        left.withUnsafeBufferPointer { a in
            right.withUnsafeBufferPointer { b in
                product.withUnsafeMutableBufferPointer { c in
                    pt_dgemm_abt(Int32(targets), Int32(anchors), Int32(width), 1, a.baseAddress!, b.baseAddress!, 0, c.baseAddress!)
                }
            }
        }
        let seconds = Date().timeIntervalSince(started)
        return (seconds, 2 * Double(targets) * Double(anchors) * Double(width) / seconds / 1e9, Int(pt_blas_threads()))
    }
}
