import Foundation
import Tokenization

/// The words of a BPE training run, each a sequence of symbols, in one flat buffer that merges
/// rewrite in place. A merge over many words splits them across threads; the changes come back
/// in word order, so every result is the same whatever the thread count.
final class SymbolWords: @unchecked Sendable {
    /// Symbol ids; word `w` holds `ids[spans[w].start..<spans[w].end]`.
    private let ids: UnsafeMutableBufferPointer<TokenID>
    /// The number of characters of each symbol.
    private let lengths: UnsafeMutableBufferPointer<Int32>
    private let spans: UnsafeMutableBufferPointer<Span>
    private let threads: Int
    /// Each worker's changes, kept to reuse their storage.
    private var parts: [Changes]

    /// Where a word lies, and how often it occurs.
    private struct Span {
        var start: Int
        var end: Int
        var count: Int64
    }

    /// Merges over fewer words than this stay on the calling thread.
    private static let parallelWords = 1024

    /// Words given as consecutive runs of `symbols` (and their character `lengths`): word `w`
    /// is `symbols[starts[w]..<starts[w + 1]]` and occurs `counts[w]` times.
    init(symbols: [TokenID], lengths: [Int32], starts: [Int], counts: [Int64], threads: Int) {
        precondition(symbols.count == lengths.count && starts.count == counts.count + 1)
        self.threads = max(1, threads)
        parts = Array(repeating: Changes(), count: self.threads)
        count = counts.count
        ids = .allocate(capacity: symbols.count)
        _ = ids.initialize(from: symbols)
        self.lengths = .allocate(capacity: lengths.count)
        _ = self.lengths.initialize(from: lengths)
        spans = .allocate(capacity: counts.count)
        for word in 0..<counts.count {
            (spans.baseAddress! + word).initialize(to: Span(start: starts[word], end: starts[word + 1], count: counts[word]))
        }
    }

    deinit {
        ids.deallocate()
        lengths.deallocate()
        spans.deallocate()
    }

    /// The number of words.
    let count: Int

    /// How often word `word` occurs.
    func count(of word: Int) -> Int64 { spans[word].count }

    /// The current symbols of word `word`.
    func symbols(of word: Int) -> UnsafeBufferPointer<TokenID> {
        UnsafeBufferPointer(rebasing: UnsafeBufferPointer(ids)[spans[word].start..<spans[word].end])
    }

    /// Calls `body` with every adjacent pair of symbols and its word, word after word.
    func forEachPair(_ body: (_ pair: UInt64, _ word: Int) -> Void) {
        for word in 0..<count where spans[word].end - spans[word].start > 1 {
            for index in spans[word].start..<(spans[word].end - 1) { body(PairTable.key(ids[index], ids[index + 1]), word) }
        }
    }

    /// What a merge changed: pair counts (weighted by word counts) and the pairs each word gained.
    struct Changes {
        /// Count changes, weighted by the word's count.
        var deltas: [(pair: UInt64, amount: Int64)] = []
        /// Pairs gained, with their word, in word order.
        var gained: [(pair: UInt64, word: Int32)] = []

        mutating func append(_ other: Changes) {
            deltas.append(contentsOf: other.deltas)
            gained.append(contentsOf: other.gained)
        }

        /// Forgets every change, keeping the storage.
        mutating func removeAll() {
            deltas.removeAll(keepingCapacity: true)
            gained.removeAll(keepingCapacity: true)
        }
    }

    /// Replaces every occurrence of `(left, right)` in `words` (ascending word indices) by
    /// `merged`, scanning each word left to right as Hugging Face does. Pairs with `merged` whose
    /// characters would reach `maximumLength` are not counted; the merged pair's own count is
    /// lowered only when `countingMergedPair`. The changes are appended to `changes`.
    func merge(_ left: TokenID, _ right: TokenID, into merged: TokenID, in words: UnsafeBufferPointer<Int32>,
               maximumLength: Int, countingMergedPair: Bool, changes: inout Changes) {
        let workers = words.count >= Self.parallelWords ? threads : 1
        guard workers > 1 else {
            mergeWords(left, right, into: merged, in: words, maximumLength: maximumLength,
                       countingMergedPair: countingMergedPair, changes: &changes)
            return
        }
        parts.withUnsafeMutableBufferPointer { parts in
            nonisolated(unsafe) let parts = parts
            nonisolated(unsafe) let words = words
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let part = UnsafeBufferPointer(rebasing: words[(worker * words.count / workers)..<((worker + 1) * words.count / workers)])
                parts[worker].removeAll()
                mergeWords(left, right, into: merged, in: part, maximumLength: maximumLength,
                           countingMergedPair: countingMergedPair, changes: &parts[worker])
            }
            for part in parts { changes.append(part) }
        }
    }

    private func mergeWords(_ left: TokenID, _ right: TokenID, into merged: TokenID, in words: UnsafeBufferPointer<Int32>,
                            maximumLength: Int, countingMergedPair: Bool, changes: inout Changes) {
        let mergedPair = PairTable.key(left, right)
        for wordIndex in words {
            let word = Int(wordIndex)
            let span = spans[word]
            let count = span.count, start = span.start, end = span.end
            var read = start, write = start
            while read < end {
                guard ids[read] == left, read + 1 < end, ids[read + 1] == right else {
                    ids[write] = ids[read]
                    lengths[write] = lengths[read]
                    read += 1
                    write += 1
                    continue
                }
                let length = lengths[read] + lengths[read + 1]
                if countingMergedPair { changes.deltas.append((mergedPair, -count)) }
                if write > start {
                    let previous = ids[write - 1]
                    changes.deltas.append((PairTable.key(previous, left), -count))
                    if Int(lengths[write - 1] + length) < maximumLength {
                        let pair = PairTable.key(previous, merged)
                        changes.deltas.append((pair, count))
                        changes.gained.append((pair, wordIndex))
                    }
                }
                if read + 2 < end {
                    let next = ids[read + 2]
                    changes.deltas.append((PairTable.key(right, next), -count))
                    if Int(lengths[read + 2] + length) < maximumLength {
                        let pair = PairTable.key(merged, next)
                        changes.deltas.append((pair, count))
                        changes.gained.append((pair, wordIndex))
                    }
                }
                ids[write] = merged
                lengths[write] = length
                read += 2
                write += 1
            }
            spans[word].end = write
        }
    }
}
