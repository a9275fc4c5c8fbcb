/// A trie over Unicode scalar sequences that finds, at a position, the longest stored
/// sequence starting there. Scanning left to right and taking the longest match at the
/// first position that has one gives leftmost-longest matching, as Hugging Face's
/// Aho-Corasick automaton does, in time bounded by the text length times the longest token.
struct TokenTrie: Sendable {
    private var children: [[UInt32: Int32]] = [[:]]
    private var values: [TokenID?] = [nil]
    /// One bit per scalar value that starts a stored sequence.
    private var firstScalars: [UInt64] = []

    var isEmpty: Bool { firstScalars.isEmpty }

    mutating func insert(_ scalars: [UInt32], value: TokenID) {
        guard let first = scalars.first else { return }
        if firstScalars.isEmpty { firstScalars = Array(repeating: 0, count: 0x110000 / 64) }
        firstScalars[Int(first >> 6)] |= 1 << UInt64(first & 63)
        var node = 0
        for scalar in scalars {
            if let next = children[node][scalar] {
                node = Int(next)
            } else {
                children.append([:])
                values.append(nil)
                children[node][scalar] = Int32(children.count - 1)
                node = children.count - 1
            }
        }
        values[node] = value
    }

    /// The longest match starting at `start`: its end and value.
    @inline(__always)
    func longestMatch(in text: UnsafeBufferPointer<UInt32>, at start: Int) -> (end: Int, value: TokenID)? {
        let first = text[start]
        guard first < 0x110000, firstScalars[Int(first >> 6)] & (1 << UInt64(first & 63)) != 0 else { return nil }
        var node = 0
        var best: (Int, TokenID)?
        var index = start
        while index < text.count, let next = children[node][text[index]] {
            node = Int(next)
            index += 1
            if let value = values[node] { best = (index, value) }
        }
        return best
    }
}
