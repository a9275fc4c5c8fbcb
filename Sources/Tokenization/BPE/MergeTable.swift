/// The merges of a BPE model as an open-addressing hash table from an id pair to the
/// merge's rank and the id of the token it forms.
public struct MergeTable: Sendable {
    private var keys: [UInt64]
    private var values: [UInt64]
    private var mask: Int
    /// The number of distinct pairs.
    public private(set) var count = 0

    private static let empty = UInt64.max

    /// An empty table sized for about `capacity` pairs.
    public init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: Self.empty, count: size)
        values = Array(repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The rank and result of merging `left` with `right`, or nil when no merge exists.
    @inline(__always)
    public func merge(_ left: TokenID, _ right: TokenID) -> (rank: UInt32, result: TokenID)? {
        let key = UInt64(left) << 32 | UInt64(right)
        return keys.withUnsafeBufferPointer { keys in
            var slot = Self.slot(key, mask)
            while true {
                let stored = keys[slot]
                if stored == key {
                    let value = values[slot]
                    return (UInt32(truncatingIfNeeded: value >> 32), UInt32(truncatingIfNeeded: value))
                }
                if stored == Self.empty { return nil }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Records that `left` and `right` merge into `result` with `rank`; a pair already
    /// present is overwritten, so the later of duplicate merges wins, as in Hugging Face.
    public mutating func set(_ left: TokenID, _ right: TokenID, rank: UInt32, result: TokenID) {
        if (count + 1) * 2 > keys.count { grow() }
        let key = UInt64(left) << 32 | UInt64(right)
        var slot = Self.slot(key, mask)
        while keys[slot] != Self.empty && keys[slot] != key { slot = (slot + 1) & mask }
        if keys[slot] == Self.empty { count += 1 }
        keys[slot] = key
        values[slot] = UInt64(rank) << 32 | UInt64(result)
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: Self.empty, count: oldKeys.count * 2)
        values = Array(repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        for (key, value) in zip(oldKeys, oldValues) where key != Self.empty {
            var slot = Self.slot(key, mask)
            while keys[slot] != Self.empty { slot = (slot + 1) & mask }
            keys[slot] = key
            values[slot] = value
        }
    }
}
