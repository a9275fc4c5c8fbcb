import Tokenization

/// Signed 64-bit counts of symbol pairs during BPE training.
struct PairCounts {
    private var table: PairTable

    init(capacity: Int) { table = PairTable(capacity: capacity) }

    /// The count of `pair` (0 if never seen).
    @inline(__always)
    subscript(pair: UInt64) -> Int64 { Int64(bitPattern: table.value(for: pair) ?? 0) }

    /// Adds `delta` to the count of `pair`.
    @inline(__always)
    mutating func add(_ pair: UInt64, _ delta: Int64) { table.add(pair, UInt64(bitPattern: delta)) }
}
