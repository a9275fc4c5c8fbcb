/// The merges of a BPE model: from an id pair to the merge's rank and the id of the token it forms.
public struct MergeTable: Sendable {
    private var table: PairTable

    /// An empty table sized for about `capacity` pairs.
    public init(capacity: Int = 16) { table = PairTable(capacity: capacity) }

    /// The number of distinct pairs.
    public var count: Int { table.count }

    /// The rank and result of merging `left` with `right`, or nil when no merge exists.
    @inline(__always)
    public func merge(_ left: TokenID, _ right: TokenID) -> (rank: UInt32, result: TokenID)? {
        guard let value = table.value(for: PairTable.key(left, right)) else { return nil }
        return (UInt32(truncatingIfNeeded: value >> 32), UInt32(truncatingIfNeeded: value))
    }

    /// Records that `left` and `right` merge into `result` with `rank`; a pair already
    /// present is overwritten, so the later of duplicate merges wins, as in Hugging Face.
    public mutating func set(_ left: TokenID, _ right: TokenID, rank: UInt32, result: TokenID) {
        table.set(PairTable.key(left, right), UInt64(rank) << 32 | UInt64(result))
    }
}
