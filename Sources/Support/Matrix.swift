/// A dense row-major matrix.
public struct Matrix: Sendable {
    /// The number of rows.
    public var rows: Int
    /// The number of columns.
    public var width: Int
    /// The values, row after row.
    public var values: [Double]

    /// A `rows` × `width` matrix of `values`.
    public init(rows: Int, width: Int, values: [Double]) {
        precondition(values.count == rows * width)
        self.rows = rows
        self.width = width
        self.values = values
    }

    /// This matrix with every row scaled to unit length (zero rows stay zero).
    public func normalizingRows() -> Matrix {
        var copy = self
        copy.values.withUnsafeMutableBufferPointer { values in
            for row in 0..<rows {
                var norm: Double = 0
                for column in 0..<width { norm += values[row * width + column] * values[row * width + column] }
                let scale = norm > 0 ? 1 / norm.squareRoot() : 0
                for column in 0..<width { values[row * width + column] *= scale }
            }
        }
        return copy
    }
}
