import Foundation
import Tokenization

/// How often each word occurs in a corpus: an open-addressing hash table from the
/// word's UTF-8 bytes to a 64-bit count. Memory grows with the number of distinct words,
/// never with the corpus.
public struct WordCounts: Sendable {
    private var arena: [UInt8] = []
    private var entries: [Entry]
    private var mask: Int
    /// The number of distinct words.
    public private(set) var count = 0

    struct Entry: Sendable {
        var hash: UInt64 = 0
        var start: Int = 0
        var length: Int32 = -1
        var count: UInt64 = 0
    }

    /// No words.
    public init() {
        entries = Array(repeating: Entry(), count: 1024)
        mask = 1023
    }

    /// Adds `count` occurrences of `word`.
    @inline(__always)
    public mutating func add(_ word: UnsafeBufferPointer<UInt8>, count amount: UInt64 = 1) {
        add(word, hash: ByteStringTable.hash(word), count: amount)
    }

    /// Adds `count` occurrences of `word`.
    public mutating func add(_ word: [UInt8], count amount: UInt64 = 1) {
        word.withUnsafeBufferPointer { add($0, count: amount) }
    }

    private mutating func add(_ word: UnsafeBufferPointer<UInt8>, hash h: UInt64, count amount: UInt64) {
        if (count + 1) * 2 > entries.count { grow() }
        let found: Int? = entries.withUnsafeMutableBufferPointer { entries in
            arena.withUnsafeBufferPointer { arena in
                var slot = Int(truncatingIfNeeded: h) & mask
                while true {
                    let entry = entries[slot]
                    if entry.length < 0 { return -1 - slot }
                    if entry.hash == h && Int(entry.length) == word.count
                        && (word.isEmpty || memcmp(arena.baseAddress! + entry.start, word.baseAddress!, word.count) == 0) {
                        entries[slot].count &+= amount
                        return nil
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
        guard let found else { return }
        let slot = -1 - found
        entries[slot] = Entry(hash: h, start: arena.count, length: Int32(word.count), count: amount)
        arena.append(contentsOf: word)
        count += 1
    }

    private mutating func grow() {
        let old = entries
        entries = Array(repeating: Entry(), count: old.count * 2)
        mask = entries.count - 1
        for entry in old where entry.length >= 0 {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while entries[slot].length >= 0 { slot = (slot + 1) & mask }
            entries[slot] = entry
        }
    }

    /// Adds every count of `other`.
    public mutating func merge(_ other: WordCounts) {
        other.forEach { word, count in add(word, count: count) }
    }

    /// Calls `body` with each word and its count, in table order.
    public func forEach(_ body: (UnsafeBufferPointer<UInt8>, UInt64) throws -> Void) rethrows {
        try arena.withUnsafeBufferPointer { arena in
            for entry in entries where entry.length >= 0 {
                try body(UnsafeBufferPointer(rebasing: arena[entry.start..<(entry.start + Int(entry.length))]), entry.count)
            }
        }
    }

    /// The words and counts sorted by the words' bytes: a deterministic order.
    public func sorted() -> [(word: [UInt8], count: UInt64)] {
        var live = entries.filter { $0.length >= 0 }
        return arena.withUnsafeBufferPointer { arena in
            let base = arena.baseAddress
            live.sort { a, b in
                let common = Int(min(a.length, b.length))
                let order = common == 0 ? 0 : memcmp(base! + a.start, base! + b.start, common)
                return order != 0 ? order < 0 : a.length < b.length
            }
            return live.map { (Array(arena[$0.start..<($0.start + Int($0.length))]), $0.count) }
        }
    }

    /// The sum of all counts.
    public var totalCount: UInt64 {
        var total: UInt64 = 0
        forEach { total &+= $1 }
        return total
    }
}
