import Foundation
import Tokenization

/// Trains a BPE vocabulary and merges from word counts, reproducing Hugging Face's
/// `BpeTrainer` exactly: ids go to the special tokens, then the alphabet by code point,
/// then merges; the pair with the highest count is merged first, ties going to the
/// smallest (left id, right id); training stops at the vocabulary size or at the first
/// pair below `minimumFrequency`; `maximumTokenLength` keeps Hugging Face's strict `<`
/// (the effective limit is `max(2, n - 1)` characters).
///
/// Unlike Hugging Face, counts are 64-bit (no overflow on huge corpora) and the run is
/// deterministic: words are processed in byte order, so the ids of prefixed or suffixed
/// characters (`##a`, `a</w>`) follow the first word, in byte order, that needs them,
/// and `limitAlphabet` drops, among equally frequent characters, the highest code points first.
public struct BPETrainer: Sendable {
    /// What to train.
    public struct Configuration: Sendable {
        /// The size of the vocabulary to reach (special tokens and alphabet included).
        public var vocabularySize: Int
        /// Merges of pairs seen fewer times than this end training.
        public var minimumFrequency: UInt64 = 0
        /// Tokens given the first ids, in order.
        public var specialTokens: [String] = []
        /// The most characters the alphabet keeps (the least frequent are dropped).
        public var limitAlphabet: Int?
        /// Characters always in the alphabet, even when absent from the corpus.
        public var initialAlphabet: [Unicode.Scalar] = []
        /// Hugging Face's `max_token_length`.
        public var maximumTokenLength: Int?
        /// Prefix of every character that does not start a word (`##`).
        public var continuingSubwordPrefix: String?
        /// Suffix of the last character of every word (`</w>`).
        public var endOfWordSuffix: String?
        /// Threads for the merge phase (all cores by default); the merges do not depend on it.
        public var threads: Int?

        /// Default options for a vocabulary of `vocabularySize` tokens.
        public init(vocabularySize: Int) { self.vocabularySize = vocabularySize }
    }

    /// The result: the vocabulary and the merges in rank order.
    public struct Result: Sendable {
        public var vocabulary: Vocabulary
        public var merges: [(TokenID, TokenID)]
    }

    /// The configuration.
    public var configuration: Configuration

    public init(_ configuration: Configuration) { self.configuration = configuration }

    private struct QueueEntry: MergeCandidate {
        var count: Int64
        var pair: UInt64
        /// The words that may hold the pair.
        var list: WordLists.List

        /// Whether this entry is merged before `other`.
        @inline(__always)
        func precedes(_ other: QueueEntry) -> Bool {
            count != other.count ? count > other.count : pair < other.pair
        }
    }

    /// Trains on `words` (each word's UTF-8 bytes as the pre-tokenizer produced it). `progress`
    /// is called with the number of merges done so far; an error it throws stops training.
    public func train(_ words: WordCounts, progress: ((Int) throws -> Void)? = nil) throws -> Result {
        var vocabulary = Vocabulary()
        for token in configuration.specialTokens where vocabulary.id(for: token) == nil {
            vocabulary.append(Array(token.utf8))
        }
        let sortedWords = words.sorted()
        var frequencies = [UInt64](repeating: 0, count: 0x110000)
        for (word, count) in sortedWords {
            for scalar in String(decoding: word, as: UTF8.self).unicodeScalars { frequencies[Int(scalar.value)] &+= count }
        }
        for scalar in configuration.initialAlphabet { frequencies[Int(scalar.value)] = .max }
        var alphabet = frequencies.indices.filter { frequencies[$0] > 0 }.map { (scalar: UInt32($0), count: frequencies[$0]) }
        frequencies = []
        if let limit = configuration.limitAlphabet, alphabet.count > limit {
            alphabet.sort { $0.count != $1.count ? $0.count < $1.count : $0.scalar > $1.scalar }
            alphabet.removeFirst(alphabet.count - limit)
        }
        alphabet.sort { $0.scalar < $1.scalar }
        for (scalar, _) in alphabet {
            let token = Array(String(Unicode.Scalar(scalar)!).utf8)
            if vocabulary.id(for: token) == nil { vocabulary.append(token) }
        }
        if vocabulary.count > configuration.vocabularySize {
            throw TrainingError.vocabularyTooSmall(requested: configuration.vocabularySize, minimum: vocabulary.count)
        }

        let prefix = configuration.continuingSubwordPrefix.map { Array($0.utf8) }
        let suffix = configuration.endOfWordSuffix.map { Array($0.utf8) }
        // The symbol of each character, by place in its word (0: alone, 1: first, 2: inner, 3: last);
        // nil when the alphabet dropped the character. Ids go to prefixed or suffixed characters
        // in the order words first need them.
        var symbolOf: [UInt64: TokenID?] = [:]
        func symbol(_ scalar: UInt32, first: Bool, last: Bool) -> TokenID? {
            let place: UInt64 = first ? (last ? 0 : 1) : (last ? 3 : 2)
            let key = UInt64(scalar) << 2 | place
            if let known = symbolOf[key] { return known }
            var token = Array(String(Unicode.Scalar(scalar)!).utf8)
            var id: TokenID?
            if vocabulary.id(for: token) != nil {
                if !first, let prefix { token = prefix + token }
                if last, let suffix { token += suffix }
                id = vocabulary.id(for: token) ?? vocabulary.append(token)
            }
            symbolOf[key] = id
            return id
        }
        var symbols: [TokenID] = [], lengths: [Int32] = [], starts = [0]
        starts.reserveCapacity(sortedWords.count + 1)
        for (word, _) in sortedWords {
            let scalars = String(decoding: word, as: UTF8.self).unicodeScalars
            var position = scalars.startIndex
            while position != scalars.endIndex {
                let next = scalars.index(after: position)
                if let id = symbol(scalars[position].value, first: position == scalars.startIndex, last: next == scalars.endIndex) {
                    symbols.append(id)
                    lengths.append(1)
                }
                position = next
            }
            starts.append(symbols.count)
        }
        let threads = configuration.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let words = SymbolWords(symbols: symbols, lengths: lengths, starts: starts,
                                counts: sortedWords.map { Int64(clamping: $0.count) }, threads: threads)
        symbols = []
        lengths = []

        var pairCounts = PairCounts(capacity: words.count * 2)
        var lists = WordLists()
        var queue = MergeQueue<QueueEntry>(capacity: words.count)
        func push(_ pair: UInt64, _ list: WordLists.List) {
            let count = pairCounts[pair]
            if count > 0 { queue.push(QueueEntry(count: count, pair: pair, list: list)) }
        }
        for (pair, list) in lists.storeInitialPairs(of: words, counting: &pairCounts) { push(pair, list) }

        let maximumLength = configuration.maximumTokenLength ?? .max
        var merges: [(TokenID, TokenID)] = []
        var changes = SymbolWords.Changes()
        while vocabulary.count < configuration.vocabularySize, var top = queue.pop() {
            let current = pairCounts[top.pair]
            if top.count != current {
                top.count = current
                queue.push(top)
                continue
            }
            if top.count < 1 || UInt64(top.count) < configuration.minimumFrequency { break }
            let left = TokenID(top.pair >> 32), right = TokenID(top.pair & 0xFFFF_FFFF)
            var rightToken = vocabulary.token(for: right)!
            if let prefix, rightToken.starts(with: prefix) { rightToken.removeFirst(prefix.count) }
            let newToken = vocabulary.token(for: left)! + rightToken
            let newID = vocabulary.id(for: newToken) ?? vocabulary.append(newToken)
            merges.append((left, right))
            try progress?(merges.count)

            changes.removeAll()
            lists.withWords(of: top.list) {
                words.merge(left, right, into: newID, in: $0, maximumLength: maximumLength, countingMergedPair: false, changes: &changes)
            }
            for (pair, amount) in changes.deltas { pairCounts.add(pair, amount) }
            for (pair, list) in lists.store(gained: &changes.gained) { push(pair, list) }
        }
        return Result(vocabulary: vocabulary, merges: merges)
    }
}
