import Tokenization

/// The lists of words that may hold each candidate pair of BPE training, in one pool of word
/// indices. A list is stored once, when its pair appears, and read when the pair is merged.
/// Lists are never freed one by one: the lists of pairs still waiting outweigh those of merged
/// pairs (on 48 MB of English, 2.7 of 4.9 million indices at the end), so the pool stays within
/// about twice what is live, with no allocation per list.
struct WordLists {
    /// Where a list lies in the pool.
    struct List {
        var start: Int
        var count: Int
    }

    private var pool: [Int32] = []

    /// Stores each pair's words, ascending and without repeats, for every adjacent pair of
    /// `words`, and adds each pair's weighted count to `counts`. The pairs come in ascending order.
    mutating func storeInitialPairs(of words: SymbolWords, counting counts: inout PairCounts) -> [(UInt64, List)] {
        var index = PairTable(capacity: words.count * 2)
        var pairs: [UInt64] = [], sizes: [Int] = [], last: [Int] = []
        words.forEachPair { pair, word in
            counts.add(pair, words.count(of: word))
            if let found = index.value(for: pair) {
                let slot = Int(found)
                if last[slot] != word {
                    last[slot] = word
                    sizes[slot] += 1
                }
            } else {
                index.set(pair, UInt64(pairs.count))
                pairs.append(pair)
                sizes.append(1)
                last.append(word)
            }
        }
        var lists: [List] = []
        lists.reserveCapacity(pairs.count)
        var start = pool.count
        for size in sizes {
            lists.append(List(start: start, count: 0))
            start += size
        }
        pool.append(contentsOf: repeatElement(-1, count: start - pool.count))
        words.forEachPair { pair, word in
            let slot = Int(index.value(for: pair)!)
            let list = lists[slot]
            if list.count > 0 && pool[list.start + list.count - 1] == Int32(word) { return }
            pool[list.start + list.count] = Int32(word)
            lists[slot].count += 1
        }
        return zip(pairs, lists).sorted { $0.0 < $1.0 }
    }

    /// Stores the words of each pair in `gained` (pairs with their word, in word order), in
    /// ascending pair order; `gained` is left sorted.
    mutating func store(gained: inout [(pair: UInt64, word: Int32)]) -> [(UInt64, List)] {
        gained.sort { $0.pair != $1.pair ? $0.pair < $1.pair : $0.word < $1.word }
        var result: [(UInt64, List)] = []
        var index = 0
        while index < gained.count {
            let pair = gained[index].pair
            let start = pool.count
            while index < gained.count && gained[index].pair == pair {
                if pool.count == start || pool[pool.count - 1] != gained[index].word { pool.append(gained[index].word) }
                index += 1
            }
            result.append((pair, List(start: start, count: pool.count - start)))
        }
        return result
    }

    /// Calls `body` with the words of `list`.
    func withWords<T>(of list: List, _ body: (UnsafeBufferPointer<Int32>) throws -> T) rethrows -> T {
        try pool.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[list.start..<(list.start + list.count)])) }
    }
}
