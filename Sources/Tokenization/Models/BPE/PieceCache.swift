/// A bounded cache from a piece's UTF-8 bytes to the tokens it encodes to. Lookups
/// borrow the key and never allocate; once `capacity` pieces are stored, later ones are
/// simply not cached (as Hugging Face's cache), so memory stays bounded.
struct PieceCache {
    private var keys = ByteStringTable(capacity: 4096)
    private var tokens: [ModelToken] = []
    private var ranges: [Range<Int>] = []
    /// Pieces longer than this many bytes are not cached.
    static let maximumLength = 256
    /// At most this many pieces are cached.
    static let capacity = 262_144

    /// Appends the cached tokens of `key` to `output`; false when `key` is not cached.
    @inline(__always)
    func append(_ key: UnsafeBufferPointer<UInt8>, to output: inout [ModelToken]) -> Bool {
        guard let index = keys.value(for: key) else { return false }
        let range = ranges[Int(index)]
        tokens.withUnsafeBufferPointer { output.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
        return true
    }

    /// Whether a piece of `length` bytes may be stored.
    @inline(__always)
    func accepts(length: Int) -> Bool { length < Self.maximumLength && keys.count < Self.capacity }

    /// Stores `value` as the tokens of `key`.
    mutating func store(_ key: UnsafeBufferPointer<UInt8>, _ value: ArraySlice<ModelToken>) {
        guard accepts(length: key.count) else { return }
        ranges.append(tokens.count..<(tokens.count + value.count))
        tokens.append(contentsOf: value)
        keys.set(Array(key), UInt32(ranges.count - 1))
    }
}
