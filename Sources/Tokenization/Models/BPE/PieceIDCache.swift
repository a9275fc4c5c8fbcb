import Foundation

/// A bounded cache from a piece's UTF-8 bytes to its token ids, for the ids-only encoder.
///
/// Open addressing over one flat slot array; keys and ids live in two arenas, so a lookup
/// is a hash, one or two slot probes and a byte comparison, with no allocation and no
/// reference counting. Once `capacity` pieces are stored, later ones are not cached (as in
/// Hugging Face's cache), so memory stays bounded: about 32 MB per thread at most. One cache
/// belongs to one thread.
final class PieceIDCache {
    /// Pieces of this many bytes or more are not cached.
    static let maximumLength = 256
    /// At most this many pieces are cached.
    static let capacity = 1 << 18

    private struct Entry {
        var hash: UInt64
        var keyStart: UInt32
        var keyLength: UInt32
        var idStart: UInt32
        var idCount: UInt32
    }

    private let slotMask: Int
    /// Entry index + 1 per slot, 0 when empty.
    private let slots: UnsafeMutablePointer<UInt32>
    private let entries: UnsafeMutablePointer<Entry>
    // One thread owns the cache, so the dynamic exclusivity checks of class properties
    // (a third of a lookup's cost) are left out.
    @exclusivity(unchecked) private var keys: Arena<UInt8>
    @exclusivity(unchecked) private var ids: Arena<TokenID>
    /// The number of cached pieces.
    @exclusivity(unchecked) private(set) var count = 0

    init() {
        let slotCount = Self.capacity * 2
        slotMask = slotCount - 1
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        entries = .allocate(capacity: Self.capacity)
        keys = Arena(capacity: 1 << 16)
        ids = Arena(capacity: 1 << 14)
    }

    deinit {
        slots.deallocate()
        entries.deallocate()
        keys.deallocate()
        ids.deallocate()
    }

    /// Appends the cached ids of `key` (with hash `hash`) to `output`; false when not cached.
    @inline(__always)
    func append(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, to output: inout [TokenID]) -> Bool {
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let stored = slots[slot]
            if stored == 0 { return false }
            let entry = entries[Int(stored) - 1]
            if entry.hash == hash && Int(entry.keyLength) == key.count
                && memcmp(keys.base + Int(entry.keyStart), key.baseAddress!, key.count) == 0 {
                let start = ids.base + Int(entry.idStart)
                for index in 0..<Int(entry.idCount) { output.append(start[index]) }
                return true
            }
            slot = (slot + 1) & slotMask
        }
    }

    /// Stores `value` as the ids of `key` (not yet cached), when there is room.
    func store(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, _ value: ArraySlice<TokenID>) {
        guard key.count < Self.maximumLength, count < Self.capacity else { return }
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while slots[slot] != 0 { slot = (slot + 1) & slotMask }
        entries[count] = Entry(hash: hash, keyStart: UInt32(keys.count), keyLength: UInt32(key.count),
                               idStart: UInt32(ids.count), idCount: UInt32(value.count))
        keys.append(key)
        value.withUnsafeBufferPointer { ids.append($0) }
        count += 1
        slots[slot] = UInt32(count)
    }
}

/// A growable buffer of trivial values, addressed by raw pointer.
private struct Arena<Element> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    mutating func append(_ values: UnsafeBufferPointer<Element>) {
        guard let source = values.baseAddress, !values.isEmpty else { return }
        if count + values.count > capacity {
            capacity = max(capacity * 2, count + values.count)
            let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
            grown.moveInitialize(from: base, count: count)
            base.deallocate()
            base = grown
        }
        (base + count).initialize(from: source, count: values.count)
        count += values.count
    }

    func deallocate() { base.deallocate() }
}
