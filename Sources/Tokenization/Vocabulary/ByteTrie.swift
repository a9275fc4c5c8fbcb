import Foundation

/// A trie of byte strings, each with a value: which stored strings a text contains, which
/// extend a prefix (trans-tokenization's fallback for unaligned tokens), and whether any occurs
/// at all (the ids encoder's test for added tokens).
public struct ByteTrie: Sendable {
    private var children: [[(byte: UInt8, node: Int32)]] = [[]]
    private var values: [Int32] = [-1]
    /// The byte every stored key starts with, when they share one (`<` for most tokenizers'
    /// special tokens): ``occurs(in:)`` then finds candidates with `memchr`.
    private var sharedFirstByte: UInt8?
    private var firstBytes = [Bool](repeating: false, count: 256)

    /// An empty trie.
    public init() {}

    /// Stores `value` (not negative) for `key` (not empty).
    public mutating func insert(_ key: [UInt8], value: Int32) {
        guard let first = key.first else { return }
        sharedFirstByte = !firstBytes.contains(true) || sharedFirstByte == first ? first : nil
        firstBytes[Int(first)] = true
        var node = 0
        for byte in key {
            if let child = children[node].first(where: { $0.byte == byte }) {
                node = Int(child.node)
            } else {
                children.append([])
                values.append(-1)
                children[node].append((byte, Int32(children.count - 1)))
                node = children.count - 1
            }
        }
        values[node] = value
    }

    private func child(_ node: Int, _ byte: UInt8) -> Int? {
        children[node].first { $0.byte == byte }.map { Int($0.node) }
    }

    /// Whether a stored key occurs in `text`.
    public func occurs(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress, firstBytes.contains(true) else { return false }
        if let shared = sharedFirstByte {
            var start = 0
            while start < text.count, let found = memchr(base + start, Int32(shared), text.count - start) {
                let position = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if occurs(in: text, at: position) { return true }
                start = position + 1
            }
            return false
        }
        return text.indices.contains { firstBytes[Int(text[$0])] && occurs(in: text, at: $0) }
    }

    /// Whether a stored key starts at `start` of `text`.
    private func occurs(in text: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        var node = 0
        for byte in text[start...] {
            guard let next = child(node, byte) else { return false }
            if values[next] >= 0 { return true }
            node = next
        }
        return false
    }

    /// The values of stored keys occurring in `text`, with their start offsets.
    public func occurrences(in text: [UInt8]) -> [(start: Int, value: Int32)] {
        var found: [(Int, Int32)] = []
        for start in text.indices {
            var node = 0
            for byte in text[start...] {
                guard let next = child(node, byte) else { break }
                node = next
                if values[node] >= 0 { found.append((start, values[node])) }
            }
        }
        return found
    }

    /// The values of stored keys that start with `prefix` and are longer than it.
    public func extensions(of prefix: [UInt8]) -> [Int32] {
        var node = 0
        for byte in prefix {
            guard let next = child(node, byte) else { return [] }
            node = next
        }
        var found: [Int32] = [], stack = children[node].map { Int($0.node) }
        while let next = stack.popLast() {
            if values[next] >= 0 { found.append(values[next]) }
            stack.append(contentsOf: children[next].map { Int($0.node) })
        }
        return found
    }
}
