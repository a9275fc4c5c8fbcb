import Foundation

/// An open-addressing hash table from byte strings to 32-bit values, queried with
/// borrowed bytes so that lookups never allocate. Keys are compared byte for byte.
public struct ByteStringTable: Sendable {
    private var arena: [UInt8] = []
    private var entries: [Entry]
    private var mask: Int
    /// The number of keys.
    public private(set) var count = 0

    private struct Entry: Sendable {
        var hash: UInt64 = 0
        var start: UInt32 = 0
        var length: UInt32 = 0
        var value: UInt32 = 0
        var used = false
    }

    /// An empty table sized for about `capacity` keys.
    public init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        entries = Array(repeating: Entry(), count: size)
        mask = size - 1
    }

    /// A fast 64-bit hash of `bytes` (FNV-1a over 8-byte words, then a final mix).
    @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(bytes.count)
        var index = 0
        let count = bytes.count
        let base = UnsafeRawPointer(bytes.baseAddress)
        while index + 8 <= count {
            h = (h ^ base!.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            index += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while index < count {
            tail |= UInt64(bytes[index]) << shift
            shift += 8
            index += 1
        }
        h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
        return h ^ (h >> 32)
    }

    /// The value stored for `key`, or nil.
    @inline(__always)
    public func value(for key: UnsafeBufferPointer<UInt8>) -> UInt32? {
        let h = Self.hash(key)
        return entries.withUnsafeBufferPointer { entries in
            arena.withUnsafeBufferPointer { arena in
                var slot = Int(truncatingIfNeeded: h) & mask
                while true {
                    let entry = entries[slot]
                    if !entry.used { return nil }
                    if entry.hash == h && Int(entry.length) == key.count
                        && (key.count == 0 || memcmp(arena.baseAddress! + Int(entry.start), key.baseAddress!, key.count) == 0) {
                        return entry.value
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// The value stored for `key`, or nil.
    public func value(for key: [UInt8]) -> UInt32? {
        key.withUnsafeBufferPointer { value(for: $0) }
    }

    /// Stores `value` for `key`, replacing any earlier value.
    public mutating func set(_ key: [UInt8], _ value: UInt32) {
        key.withUnsafeBufferPointer { _ = set($0, value) }
    }

    /// Stores `value` for `key`, replacing any earlier value; returns where the key's bytes are
    /// kept (see ``withKeyBytes(_:)``).
    @discardableResult
    public mutating func set(_ key: UnsafeBufferPointer<UInt8>, _ value: UInt32) -> Int {
        if (count + 1) * 2 > entries.count { grow() }
        let h = Self.hash(key)
        let mask = self.mask
        let replaced = entries.withUnsafeMutableBufferPointer { entries -> Int? in
            arena.withUnsafeBufferPointer { arena in
                var slot = Int(truncatingIfNeeded: h) & mask
                while entries[slot].used {
                    let entry = entries[slot]
                    if entry.hash == h && Int(entry.length) == key.count
                        && (key.isEmpty || memcmp(arena.baseAddress! + Int(entry.start), key.baseAddress!, key.count) == 0) {
                        entries[slot].value = value
                        return Int(entry.start)
                    }
                    slot = (slot + 1) & mask
                }
                entries[slot] = Entry(hash: h, start: UInt32(arena.count), length: UInt32(key.count), value: value, used: true)
                return nil
            }
        }
        if let replaced { return replaced }
        let start = arena.count
        arena.append(contentsOf: key)
        count += 1
        return start
    }

    /// Calls `body` with the bytes of every key, one after the other: a key stored at `start`
    /// (as ``set(_:_:)-(UnsafeBufferPointer<UInt8>,_)`` returns) with `length` bytes is
    /// `bytes[start..<start + length]`.
    @inline(__always)
    public func withKeyBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer(body)
    }

    private mutating func grow() {
        let old = entries
        entries = Array(repeating: Entry(), count: old.count * 2)
        mask = entries.count - 1
        for entry in old where entry.used {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while entries[slot].used { slot = (slot + 1) & mask }
            entries[slot] = entry
        }
    }
}
