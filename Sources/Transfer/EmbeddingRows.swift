import Foundation
import Support
import Tensors
import Tokenization

/// Builds a resized vocabulary tensor: the source rows copied byte for byte, new tokens'
/// rows computed from their initializations, other rows past the source (padding to a
/// multiple) set to the mean source row. Computation is in Double; values are stored in the
/// source dtype.
struct EmbeddingRows {
    let file: SafetensorsFile
    let info: TensorInfo

    /// The vocabulary tensor `info` of `file`: a matrix (rows × width, width at least 1) or, when
    /// `isBias`, a vector, of a floating-point dtype.
    init(file: SafetensorsFile, info: TensorInfo, isBias: Bool = false) throws {
        let location = "\(file.path): \(info.name)"
        guard info.dtype.isFloatingPoint else {
            throw TensorError(location, "dtype \(info.dtype.rawValue) cannot be initialized (only F64, F32, F16, BF16)")
        }
        if isBias {
            guard info.shape.count == 1 else { throw TensorError(location, "has shape \(info.shape); a vocabulary bias is a vector") }
        } else {
            guard info.shape.count == 2, info.shape[1] > 0 else {
                throw TensorError(location, "has shape \(info.shape); an embedding matrix is rows × width with a width of at least 1")
            }
        }
        self.file = file
        self.info = info
    }

    var rows: Int { info.shape[0] }
    var width: Int { info.shape.count > 1 ? info.shape[1...].reduce(1, *) : 1 }

    /// The rows at `indices`, in double precision.
    func gathering(_ indices: [Int]) -> Matrix {
        let source = file.bytes(of: info).baseAddress!
        var values = [Double](repeating: 0, count: indices.count * width)
        values.withUnsafeMutableBufferPointer { values in
            for (row, index) in indices.enumerated() {
                ElementConversion.read(source, from: index * width, count: width, info.dtype, into: values.baseAddress! + row * width)
            }
        }
        return Matrix(rows: indices.count, width: width, values: values)
    }

    /// Where a row of a rebuilt tensor comes from.
    enum RowSource {
        /// A byte copy of this source row.
        case copy(Int)
        /// The weighted sum of these source rows, minus `centering` times the mean source row.
        case weights([(id: TokenID, weight: Double)], centering: Double = 0)
        /// This row of a matrix computed elsewhere.
        case explicit(Matrix, Int)
        /// The mean source row.
        case mean
        /// A seeded normal draw with the source rows' per-column mean and deviation.
        case random
    }

    /// The tensor with `newRows` rows, in the source dtype, row `r` made as `source(r)` says.
    /// Runs of at least a mebibyte of consecutive source rows copied in order stay in the source
    /// file; every other row is computed (or copied) into memory. Random rows draw, in row
    /// order, from one generator seeded with `seed`.
    func rebuilt(rows newRows: Int, seed: UInt64, source rowSource: (Int) throws -> RowSource) throws -> RebuiltTensor {
        let source = file.bytes(of: info).baseAddress!
        let rowBytes = width * info.dtype.size
        var plan: [RowSource] = []
        plan.reserveCapacity(newRows)
        for row in 0..<newRows { plan.append(try rowSource(row)) }
        // Which rows start a run kept in the file, and how long it is.
        let minimumRun = max(1, (1 << 20) / rowBytes)
        var runs: [Int: Int] = [:]
        var computedRows = 0
        var row = 0
        while row < newRows {
            guard case .copy(let first) = plan[row] else {
                computedRows += 1
                row += 1
                continue
            }
            var end = row + 1
            while end < newRows, case .copy(let next) = plan[end], next == first + (end - row) { end += 1 }
            if end - row >= minimumRun { runs[row] = end - row } else { computedRows += end - row }
            row = end
        }
        let output = OwnedBytes(uninitializedCount: computedRows * rowBytes)
        let target = output.buffer.baseAddress!
        var parts: [RebuiltTensor.Part] = []
        var written = 0, pendingStart = 0
        func flushComputed() {
            if written > pendingStart { parts.append(.computed(pendingStart..<written)) }
            pendingStart = written
        }
        // The statistics take a pass over every row: only rows of the mean or random need them.
        var computed: (mean: [Double], deviation: [Double])?
        func moments() -> (mean: [Double], deviation: [Double]) {
            if computed == nil { computed = statistics() }
            return computed!
        }
        var random = SplitMix64(seed: seed)
        var values = [Double](repeating: 0, count: width), scratch = values
        row = 0
        while row < newRows {
            if let count = runs[row], case .copy(let first) = plan[row] {
                flushComputed()
                let start = info.dataRange.lowerBound + first * rowBytes
                parts.append(.source(file, start..<(start + count * rowBytes)))
                row += count
                continue
            }
            let destination = target + written
            written += rowBytes
            switch plan[row] {
            case .copy(let from):
                destination.copyMemory(from: source + from * rowBytes, byteCount: rowBytes)
                row += 1
                continue
            case .weights(let weights, let centering):
                for column in 0..<width { values[column] = 0 }
                for (id, weight) in weights {
                    scratch.withUnsafeMutableBufferPointer {
                        ElementConversion.read(source, from: Int(id) * width, count: width, info.dtype, into: $0.baseAddress!)
                    }
                    for column in 0..<width { values[column] += weight * scratch[column] }
                }
                if centering != 0 {
                    let mean = moments().mean
                    for column in 0..<width { values[column] -= centering * mean[column] }
                }
            case .explicit(let matrix, let index):
                for column in 0..<width { values[column] = matrix.values[index * width + column] }
            case .mean:
                values = moments().mean
            case .random:
                let (mean, deviation) = moments()
                for column in 0..<width { values[column] = mean[column] + deviation[column] * Self.normal(&random) }
            }
            for column in 0..<width { ElementConversion.write(Float(values[column]), destination, column, info.dtype) }
            row += 1
        }
        flushComputed()
        var shape = info.shape
        shape[0] = newRows
        return RebuiltTensor(shape: shape, parts: parts, computed: output)
    }

    /// The per-column mean and (population) standard deviation of the source rows.
    func statistics() -> (mean: [Double], deviation: [Double]) {
        let source = file.bytes(of: info).baseAddress!
        var mean = [Double](repeating: 0, count: width)
        var squares = [Double](repeating: 0, count: width)
        var values = [Double](repeating: 0, count: width)
        for row in 0..<rows {
            values.withUnsafeMutableBufferPointer { ElementConversion.read(source, from: row * width, count: width, info.dtype, into: $0.baseAddress!) }
            for column in 0..<width {
                let value = values[column]
                mean[column] += value
                squares[column] += value * value
            }
        }
        let count = Double(max(rows, 1))
        let deviation = (0..<width).map { column in
            (max(0, squares[column] / count - (mean[column] / count) * (mean[column] / count))).squareRoot()
        }
        return (mean.map { $0 / count }, deviation)
    }

    /// A standard normal draw (Box–Muller).
    static func normal(_ random: inout SplitMix64) -> Double {
        let u = (Double(random.next() >> 11) + 0.5) * 0x1p-53
        let v = Double(random.next() >> 11) * 0x1p-53
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }
}

/// Bytes owned by a reference, so that writers can borrow them for as long as it lives.
final class OwnedBytes {
    let buffer: UnsafeMutableRawBufferPointer

    /// `count` zero bytes.
    init(count: Int) {
        buffer = .allocate(byteCount: count, alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
    }

    /// `count` bytes that the caller writes, every one, before any is read.
    init(uninitializedCount count: Int) {
        buffer = .allocate(byteCount: count, alignment: 16)
    }

    deinit { buffer.deallocate() }
}

extension EmbeddingRows {
    /// The largest Euclidean norm of a row, the rows split over every core (the maximum of
    /// exact per-row sums, so the result does not depend on the split).
    func largestRowNorm() throws -> Double {
        nonisolated(unsafe) let source = file.bytes(of: info).baseAddress!
        let (rows, width, dtype) = (self.rows, self.width, info.dtype)
        let chunk = 4096
        let maxima = try parallelMap(count: (rows + chunk - 1) / chunk, makeState: { [Double](repeating: 0, count: width) }) { values, part -> Double in
            var largest: Double = 0
            values.withUnsafeMutableBufferPointer { values in
                for row in (part * chunk)..<min(rows, (part + 1) * chunk) {
                    ElementConversion.read(source, from: row * width, count: width, dtype, into: values.baseAddress!)
                    var sum: Double = 0
                    for value in values { sum += value * value }
                    largest = max(largest, sum)
                }
            }
            return largest
        }
        return (maxima.max() ?? 0).squareRoot()
    }
}
