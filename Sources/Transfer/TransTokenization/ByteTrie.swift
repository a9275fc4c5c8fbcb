/// A trie of byte strings, each with a value: the index behind trans-tokenization's fallback
/// for unaligned tokens (which stored tokens a token contains, and which extend it).
struct ByteTrie {
    private var children: [[(byte: UInt8, node: Int32)]] = [[]]
    private var values: [Int32] = [-1]

    /// Stores `value` for `key`.
    mutating func insert(_ key: [UInt8], value: Int32) {
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

    /// The values of stored keys occurring in `text`, with their start offsets.
    func occurrences(in text: [UInt8]) -> [(start: Int, value: Int32)] {
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
    func extensions(of prefix: [UInt8]) -> [Int32] {
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
