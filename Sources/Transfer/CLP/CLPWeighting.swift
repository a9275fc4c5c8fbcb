/// How CLP-Transfer turns the similarities of a token to the anchors into weights.
public enum CLPWeighting: Sendable, Equatable {
    /// The reference: each similarity divided by their sum (negatives kept).
    case ratio
    /// Sparsemax of the similarities (CLP+): a sparse distribution over the closest anchors.
    case sparsemax
    /// The reference formula over the `k` most similar anchors only.
    case topK(Int)

    /// The weights of `similarities`, in place; false when they cannot be formed (the
    /// similarities sum to nearly zero).
    func apply(_ similarities: UnsafeMutableBufferPointer<Double>, scratch: inout [Double]) -> Bool {
        switch self {
        case .ratio:
            return Self.normalizeBySum(similarities)
        case .topK(let k):
            if k < similarities.count {
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: similarities)
                scratch.sort(by: >)
                let threshold = scratch[max(0, k - 1)]
                var equalKept = k - scratch.prefix(k).filter { $0 > threshold }.count
                for index in similarities.indices where similarities[index] <= threshold {
                    if similarities[index] == threshold && equalKept > 0 {
                        equalKept -= 1
                    } else {
                        similarities[index] = 0
                    }
                }
            }
            return Self.normalizeBySum(similarities)
        case .sparsemax:
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: similarities)
            scratch.sort(by: >)
            var cumulative: Double = 0
            var support = 0
            var supportSum: Double = 0
            for (index, value) in scratch.enumerated() {
                cumulative += value
                if 1 + Double(index + 1) * value > cumulative {
                    support = index + 1
                    supportSum = cumulative
                }
            }
            let tau = (supportSum - 1) / Double(max(support, 1))
            for index in similarities.indices { similarities[index] = max(0, similarities[index] - tau) }
            return support > 0
        }
    }

    private static func normalizeBySum(_ values: UnsafeMutableBufferPointer<Double>) -> Bool {
        var sum: Double = 0
        var magnitude: Double = 0
        for value in values {
            sum += value
            magnitude += abs(value)
        }
        guard abs(sum) > 1e-9 * max(magnitude, 1) else { return false }
        let scale = 1 / sum
        for index in values.indices { values[index] *= scale }
        return true
    }
}
