/// Counts of symbol pairs during BPE training: an open-addressing hash table from a pair
/// (left id in the high 32 bits, right id in the low ones) to a signed 64-bit count.
struct PairCounts {
    private var keys: [UInt64]
    private var counts: [Int64]
    private var mask: Int
    private var used = 0
    private static let empty = UInt64.max

    init(capacity: Int) {
        var size = 1024
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: Self.empty, count: size)
        counts = Array(repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    private func slot(of key: UInt64) -> Int {
        keys.withUnsafeBufferPointer { keys in
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29) & mask
            while keys[slot] != key && keys[slot] != Self.empty { slot = (slot + 1) & mask }
            return slot
        }
    }

    /// The count of `pair` (0 if never seen).
    @inline(__always)
    subscript(pair: UInt64) -> Int64 {
        let slot = slot(of: pair)
        return keys[slot] == pair ? counts[slot] : 0
    }

    /// Adds `delta` to the count of `pair`.
    @inline(__always)
    mutating func add(_ pair: UInt64, _ delta: Int64) {
        var slot = slot(of: pair)
        if keys[slot] == Self.empty {
            if (used + 1) * 2 > keys.count {
                grow()
                slot = self.slot(of: pair)
            }
            keys[slot] = pair
            used += 1
        }
        counts[slot] += delta
    }

    private mutating func grow() {
        let oldKeys = keys, oldCounts = counts
        keys = Array(repeating: Self.empty, count: oldKeys.count * 2)
        counts = Array(repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        for (key, count) in zip(oldKeys, oldCounts) where key != Self.empty {
            let slot = slot(of: key)
            keys[slot] = key
            counts[slot] = count
        }
    }
}
