/// An open-addressing hash table from a pair of token ids (packed as `left << 32 | right`)
/// to a 64-bit value: the storage behind merge tables, pair counts and alignment tables.
/// Each key sits beside its value, so a lookup touches one cache line; the operations are
/// inlinable so that hot loops in other modules probe without a call.
@frozen
public struct PairTable: Sendable {
    /// Key, value, key, value, …; a slot's key is `empty` when the slot is free.
    @usableFromInline var slots: [UInt64]
    @usableFromInline var mask: Int
    @usableFromInline var stored = 0
    @usableFromInline static let empty = UInt64.max

    /// The number of pairs stored.
    public var count: Int { stored }

    /// An empty table sized for about `capacity` pairs.
    public init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Self.emptySlots(size)
        mask = size - 1
    }

    private static func emptySlots(_ size: Int) -> [UInt64] {
        var slots = [UInt64](repeating: 0, count: 2 * size)
        for slot in 0..<size { slots[2 * slot] = empty }
        return slots
    }

    /// The key of the pair (`left`, `right`).
    @inlinable @inline(__always)
    public static func key(_ left: TokenID, _ right: TokenID) -> UInt64 { UInt64(left) << 32 | UInt64(right) }

    /// The slot holding `key`, or the free slot where it would go.
    @inlinable @inline(__always)
    func slot(of key: UInt64) -> Int {
        slots.withUnsafeBufferPointer { slots in
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29) & mask
            while slots[2 * slot] != key && slots[2 * slot] != Self.empty { slot = (slot + 1) & mask }
            return slot
        }
    }

    /// The value stored for `key`, or nil.
    @inlinable @inline(__always)
    public func value(for key: UInt64) -> UInt64? {
        let slot = slot(of: key)
        return slots[2 * slot] == key ? slots[2 * slot + 1] : nil
    }

    /// Stores `value` for `key`, replacing any earlier value.
    @inlinable @inline(__always)
    public mutating func set(_ key: UInt64, _ value: UInt64) {
        slots[2 * insertionSlot(key) + 1] = value
    }

    /// Stores `value` for `key` unless the key is present; returns whether it was absent.
    @inlinable @inline(__always)
    public mutating func insertIfAbsent(_ key: UInt64, _ value: UInt64) -> Bool {
        let before = stored
        let slot = insertionSlot(key)
        guard stored > before else { return false }
        slots[2 * slot + 1] = value
        return true
    }

    /// Adds `delta` (wrapping) to the value of `key`, which starts at 0.
    @inlinable @inline(__always)
    public mutating func add(_ key: UInt64, _ delta: UInt64) {
        slots[2 * insertionSlot(key) + 1] &+= delta
    }

    /// The slot of `key`, claimed for it (value 0) if it was absent.
    @inlinable
    mutating func insertionSlot(_ key: UInt64) -> Int {
        var slot = slot(of: key)
        if slots[2 * slot] == Self.empty {
            if (stored + 1) * 4 > slots.count {
                grow()
                slot = self.slot(of: key)
            }
            slots[2 * slot] = key
            slots[2 * slot + 1] = 0
            stored += 1
        }
        return slot
    }

    @usableFromInline
    mutating func grow() {
        let old = slots
        slots = Self.emptySlots(old.count)
        mask = old.count - 1
        for index in stride(from: 0, to: old.count, by: 2) where old[index] != Self.empty {
            let slot = slot(of: old[index])
            slots[2 * slot] = old[index]
            slots[2 * slot + 1] = old[index + 1]
        }
    }
}
