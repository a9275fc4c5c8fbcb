/// An open-addressing hash table from a pair of token ids (packed as `left << 32 | right`)
/// to a 64-bit value: the storage behind merge tables and pair counts.
public struct PairTable: Sendable {
    private var keys: [UInt64]
    private var values: [UInt64]
    private var mask: Int
    /// The number of pairs stored.
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

    /// The key of the pair (`left`, `right`).
    @inline(__always)
    public static func key(_ left: TokenID, _ right: TokenID) -> UInt64 { UInt64(left) << 32 | UInt64(right) }

    @inline(__always)
    private func slot(of key: UInt64) -> Int {
        keys.withUnsafeBufferPointer { keys in
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29) & mask
            while keys[slot] != key && keys[slot] != Self.empty { slot = (slot + 1) & mask }
            return slot
        }
    }

    /// The value stored for `key`, or nil.
    @inline(__always)
    public func value(for key: UInt64) -> UInt64? {
        let slot = slot(of: key)
        return keys[slot] == key ? values[slot] : nil
    }

    /// Stores `value` for `key`, replacing any earlier value.
    @inline(__always)
    public mutating func set(_ key: UInt64, _ value: UInt64) {
        values[insertionSlot(key)] = value
    }

    /// Adds `delta` (wrapping) to the value of `key`, which starts at 0.
    @inline(__always)
    public mutating func add(_ key: UInt64, _ delta: UInt64) {
        let slot = insertionSlot(key)
        values[slot] &+= delta
    }

    private mutating func insertionSlot(_ key: UInt64) -> Int {
        var slot = slot(of: key)
        if keys[slot] == Self.empty {
            if (count + 1) * 2 > keys.count {
                grow()
                slot = self.slot(of: key)
            }
            keys[slot] = key
            count += 1
        }
        return slot
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: Self.empty, count: oldKeys.count * 2)
        values = Array(repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        for (key, value) in zip(oldKeys, oldValues) where key != Self.empty {
            let slot = slot(of: key)
            keys[slot] = key
            values[slot] = value
        }
    }
}
