import Foundation

/// A bounded cache from a piece's UTF-8 bytes to its token ids, for the ids-only encoder.
///
/// Open addressing over 32-byte slots. A piece of up to 16 bytes is kept in its slot as two
/// words, and up to two ids likewise, so a hit on a short piece (most pieces) reads one slot:
/// one memory access, no comparison loop, no allocation, no reference counting. Longer keys
/// and id lists live in two arenas. When `capacity` pieces are stored, the cache starts over
/// empty, so memory stays bounded (about 20 MB per thread at most) and the pieces of the
/// text at hand are the ones cached. One cache belongs to one thread.
final class PieceIDCache {
    /// Pieces of this many bytes or more are not cached.
    static let maximumLength = 256
    /// At most this many pieces are cached.
    static let capacity = 1 << 18

    private struct Slot {
        /// The hash's high half with the low bit set; 0 for an empty slot.
        var tag: UInt32
        var keyLength: UInt16
        var idCount: UInt16
        /// The ids when at most two, else the arena offset of the ids in `ids.0`.
        var ids: (UInt32, UInt32)
        /// The key's words (see ``words(_:)``) when at most 16 bytes, else its arena offset in `key.0`.
        var key: (UInt64, UInt64)
    }

    private let slotMask: Int
    private let slots: UnsafeMutablePointer<Slot>
    // One thread owns the cache, so the dynamic exclusivity checks of class properties are
    // left out.
    @exclusivity(unchecked) private var keys: Arena<UInt8>
    @exclusivity(unchecked) private var ids: Arena<TokenID>
    /// The number of cached pieces.
    @exclusivity(unchecked) private(set) var count = 0

    init() {
        let slotCount = Self.capacity * 2
        slotMask = slotCount - 1
        // Zeroed memory is empty slots; calloc leaves untouched pages to the kernel, so a cache
        // that holds few pieces costs little memory and no start-up time.
        slots = calloc(slotCount, MemoryLayout<Slot>.stride)!.bindMemory(to: Slot.self, capacity: slotCount)
        keys = Arena(capacity: 1 << 16)
        ids = Arena(capacity: 1 << 14)
    }

    deinit {
        free(slots)
        keys.deallocate()
        ids.deallocate()
    }

    /// A piece of at most 16 bytes as two words that, with its length, determine it: the
    /// first and last 8 (or 4) bytes as overlapping loads, or the first, middle and last byte.
    @inline(__always)
    private static func words(_ key: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        let count = key.count
        guard let base = UnsafeRawPointer(key.baseAddress), count > 0 else { return (0, 0) }
        if count >= 8 {
            return (base.loadUnaligned(as: UInt64.self), base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
        }
        if count >= 4 {
            return (UInt64(base.loadUnaligned(as: UInt32.self)) | UInt64(base.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << 32, 0)
        }
        return (UInt64(key[0]) | UInt64(key[count >> 1]) << 8 | UInt64(key[count - 1]) << 16, 0)
    }

    /// A hash of a piece for this cache: whole 8-byte words, the tail as one overlapping load.
    @inline(__always)
    private static func hash(_ key: UnsafeBufferPointer<UInt8>, words: (UInt64, UInt64)) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(key.count &+ 1)
        @inline(__always) func mix(_ word: UInt64) {
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
        }
        if key.count <= 16 {
            mix(words.0)
            mix(words.1)
        } else {
            let base = UnsafeRawPointer(key.baseAddress!)
            var index = 0
            while index + 8 < key.count {
                mix(base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                index += 8
            }
            mix(base.loadUnaligned(fromByteOffset: key.count - 8, as: UInt64.self))
        }
        return h ^ (h >> 29)
    }

    /// Appends the cached ids of `key` to `output` and returns true, or returns false with
    /// the slot where `key` would be stored.
    @inline(__always)
    func append(_ key: UnsafeBufferPointer<UInt8>, to output: IDBuffer) -> (found: Bool, slot: Int) {
        let words = Self.words(key)
        let hash = Self.hash(key, words: words)
        let tag = UInt32(truncatingIfNeeded: hash >> 32) | 1
        var index = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let slot = slots[index]
            if slot.tag == 0 { return (false, index) }
            if slot.tag == tag && Int(slot.keyLength) == key.count && matches(slot, key, words) {
                if slot.idCount == 1 {
                    output.append(slot.ids.0)
                } else if slot.idCount == 2 {
                    output.append(slot.ids.0)
                    output.append(slot.ids.1)
                } else {
                    let start = ids.base + Int(slot.ids.0)
                    for offset in 0..<Int(slot.idCount) { output.append(start[offset]) }
                }
                return (true, index)
            }
            index = (index + 1) & slotMask
        }
    }

    @inline(__always)
    private func matches(_ slot: Slot, _ key: UnsafeBufferPointer<UInt8>, _ words: (UInt64, UInt64)) -> Bool {
        if key.count <= 16 { return slot.key == words }
        return memcmp(keys.base + Int(slot.key.0), key.baseAddress!, key.count) == 0
    }

    /// Stores `value` as the ids of `key`, which ``append(_:to:)`` did not find and placed at
    /// `slot`; a full cache is emptied first (and the slot found again).
    func store(_ key: UnsafeBufferPointer<UInt8>, slot: Int, _ value: UnsafeBufferPointer<TokenID>) {
        guard key.count < Self.maximumLength, value.count <= Int(UInt16.max) else { return }
        var index = slot
        let words = Self.words(key)
        let hash = Self.hash(key, words: words)
        if count == Self.capacity {
            removeAll()
            index = Int(truncatingIfNeeded: hash) & slotMask
        }
        var stored = Slot(tag: UInt32(truncatingIfNeeded: hash >> 32) | 1, keyLength: UInt16(key.count), idCount: UInt16(value.count),
                          ids: (0, 0), key: words)
        if key.count > 16 {
            stored.key = (UInt64(keys.count), 0)
            keys.append(key)
        }
        if value.count <= 2 {
            stored.ids = (value.first ?? 0, value.count == 2 ? value[1] : 0)
        } else {
            stored.ids = (UInt32(ids.count), 0)
            ids.append(value)
        }
        slots[index] = stored
        count += 1
    }

    /// Empties the cache, keeping its memory.
    func removeAll() {
        slots.update(repeating: Slot(tag: 0, keyLength: 0, idCount: 0, ids: (0, 0), key: (0, 0)), count: slotMask + 1)
        keys.removeAll()
        ids.removeAll()
        count = 0
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

    mutating func removeAll() { count = 0 }

    func deallocate() { base.deallocate() }
}
