import Foundation
import Tensors
import Tokenization

/// Extends a quantized vocabulary (see `QuantizedVocabulary`) with new tokens, each a weighted
/// sum of source token vectors. A token whose sources all share one cluster keeps that cluster
/// with the combined weight, exactly. Any other token gets a cluster row of its own: in an I8
/// table its vector is scaled so that its largest magnitude is 127 and rounded (model2vec's
/// symmetric quantization, per row), with the inverse scale as the token's weight; in a
/// floating-point table the row is the vector itself with weight 1.
struct QuantizedVocabularyRows {
    let source: QuantizedVocabulary

    /// The three tensors for `rows` tokens, by name. `weights(row)` gives a new token's sources;
    /// nil keeps a source token as it is.
    func rebuilt(rows: Int, weights rowWeights: (Int) throws -> [(id: TokenID, weight: Double)]?) throws -> [String: (shape: [Int], bytes: OwnedBytes)] {
        var mapping = [Int](repeating: 0, count: rows)
        var scales = [Double?](repeating: nil, count: rows)
        var newClusters: [[Double]] = []
        for row in 0..<rows {
            guard let sources = try rowWeights(row) else {
                guard row < source.tokenCount else {
                    throw TransferError.inconsistentModel(path: source.mapping.file.path, problem: "row \(row) is past the quantized vocabulary and has no initialization")
                }
                mapping[row] = source.cluster(of: row)
                continue
            }
            let clusters = Set(sources.map { source.cluster(of: Int($0.id)) })
            if clusters.count == 1, let cluster = clusters.first {
                mapping[row] = cluster
                scales[row] = sources.reduce(0) { $0 + $1.weight * source.weight(of: Int($1.id)) }
                continue
            }
            var vector = [Double](repeating: 0, count: source.dimension)
            for (id, weight) in sources {
                let scaled = weight * source.weight(of: Int(id))
                for (column, value) in source.clusterRow(source.cluster(of: Int(id))).enumerated() { vector[column] += scaled * value }
            }
            mapping[row] = source.clusterCount + newClusters.count
            if source.clusters.info.dtype == .i8 {
                let scale = (vector.map(abs).max() ?? 0) / 127
                scales[row] = scale
                newClusters.append(vector.map { scale > 0 ? ($0 / scale).rounded() : 0 })
            } else {
                scales[row] = 1
                newClusters.append(vector)
            }
        }
        return [
            QuantizedVocabulary.clusterName: ([source.clusterCount + newClusters.count, source.dimension], clusterBytes(appending: newClusters)),
            QuantizedVocabulary.mappingName: ([rows], mappingBytes(mapping)),
            QuantizedVocabulary.weightName: ([rows], weightBytes(scales)),
        ]
    }

    private func clusterBytes(appending rows: [[Double]]) -> OwnedBytes {
        let info = source.clusters.info
        let sourceBytes = source.clusters.file.bytes(of: info)
        let rowBytes = source.dimension * info.dtype.size
        let output = OwnedBytes(count: sourceBytes.count + rows.count * rowBytes)
        let target = output.buffer.baseAddress!
        target.copyMemory(from: sourceBytes.baseAddress!, byteCount: sourceBytes.count)
        for (index, row) in rows.enumerated() {
            let start = source.clusterCount * source.dimension + index * source.dimension
            for (column, value) in row.enumerated() {
                if info.dtype == .i8 {
                    target.storeBytes(of: Int8(value), toByteOffset: start + column, as: Int8.self)
                } else {
                    ElementConversion.write(Float(value), target, start + column, info.dtype)
                }
            }
        }
        return output
    }

    private func mappingBytes(_ mapping: [Int]) -> OwnedBytes {
        let dtype = source.mapping.info.dtype
        let output = OwnedBytes(count: mapping.count * dtype.size)
        for (index, cluster) in mapping.enumerated() {
            if dtype == .i64 {
                output.buffer.storeBytes(of: Int64(cluster).littleEndian, toByteOffset: index * 8, as: Int64.self)
            } else {
                output.buffer.storeBytes(of: Int32(cluster).littleEndian, toByteOffset: index * 4, as: Int32.self)
            }
        }
        return output
    }

    /// Source tokens' weights are copied byte for byte; new tokens' (non-nil) are stored.
    private func weightBytes(_ scales: [Double?]) -> OwnedBytes {
        let dtype = source.weights.info.dtype
        let sourceBytes = source.weights.file.bytes(of: source.weights.info)
        let output = OwnedBytes(count: scales.count * dtype.size)
        let target = output.buffer.baseAddress!
        target.copyMemory(from: sourceBytes.baseAddress!, byteCount: min(sourceBytes.count, output.buffer.count))
        for (index, scale) in scales.enumerated() {
            if let scale { ElementConversion.write(Float(scale), target, index, dtype) }
        }
        return output
    }
}
