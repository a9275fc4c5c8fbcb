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

    private struct Symbol {
        var id: TokenID
        var length: Int
    }

    private struct QueueEntry: MergeCandidate {
        var count: Int64
        var pair: UInt64
        /// Index of the entry's word list in the trainer's position lists.
        var positions: Int

        /// Whether this entry is merged before `other`.
        @inline(__always)
        func precedes(_ other: QueueEntry) -> Bool {
            count != other.count ? count > other.count : pair < other.pair
        }
    }

    /// Trains on `words` (each word's UTF-8 bytes as the pre-tokenizer produced it). `progress`
    /// is called with the number of merges done so far.
    public func train(_ words: WordCounts, progress: ((Int) -> Void)? = nil) throws -> Result {
        var vocabulary = Vocabulary()
        for token in configuration.specialTokens where vocabulary.id(for: token) == nil {
            vocabulary.append(Array(token.utf8))
        }
        let sortedWords = words.sorted()
        let scalarWords = sortedWords.map { String(decoding: $0.word, as: UTF8.self).unicodeScalars.map(\.value) }

        var frequencies: [UInt32: UInt64] = [:]
        for (index, scalars) in scalarWords.enumerated() {
            for scalar in scalars { frequencies[scalar, default: 0] &+= sortedWords[index].count }
        }
        for scalar in configuration.initialAlphabet { frequencies[scalar.value] = .max }
        var alphabet = frequencies.map { (scalar: $0.key, count: $0.value) }
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
        var symbolsOfWord: [[Symbol]] = []
        symbolsOfWord.reserveCapacity(scalarWords.count)
        for scalars in scalarWords {
            var symbols: [Symbol] = []
            symbols.reserveCapacity(scalars.count)
            for (position, scalar) in scalars.enumerated() {
                var token = Array(String(Unicode.Scalar(scalar)!).utf8)
                guard vocabulary.id(for: token) != nil else { continue }
                if position > 0, let prefix { token = prefix + token }
                if position == scalars.count - 1, let suffix { token += suffix }
                let id = vocabulary.id(for: token) ?? vocabulary.append(token)
                symbols.append(Symbol(id: id, length: 1))
            }
            symbolsOfWord.append(symbols)
        }
        let counts = sortedWords.map { Int64(clamping: $0.count) }

        var pairCounts = PairCounts(capacity: symbolsOfWord.count * 2)
        var positions: [UInt64: [Int32]] = [:]
        for (index, symbols) in symbolsOfWord.enumerated() where symbols.count > 1 {
            for position in 0..<(symbols.count - 1) {
                let pair = UInt64(symbols[position].id) << 32 | UInt64(symbols[position + 1].id)
                pairCounts.add(pair, counts[index])
                if positions[pair]?.last != Int32(index) { positions[pair, default: []].append(Int32(index)) }
            }
        }
        var queue = MergeQueue<QueueEntry>(capacity: positions.count)
        var positionLists: [[Int32]] = []
        var freeLists: [Int] = []
        func store(_ words: [Int32]) -> Int {
            if let free = freeLists.popLast() {
                positionLists[free] = words
                return free
            }
            positionLists.append(words)
            return positionLists.count - 1
        }
        for (pair, words) in positions.sorted(by: { $0.key < $1.key }) where pairCounts[pair] > 0 {
            queue.push(QueueEntry(count: pairCounts[pair], pair: pair, positions: store(words)))
        }
        positions.removeAll()

        let maximumLength = configuration.maximumTokenLength ?? .max
        var merges: [(TokenID, TokenID)] = []
        var updated: [UInt64: [Int32]] = [:]
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
            progress?(merges.count)

            let wordIndices = positionLists[top.positions]
            positionLists[top.positions] = []
            freeLists.append(top.positions)
            for wordIndex in wordIndices {
                let word = Int(wordIndex)
                let wordCount = counts[word]
                func change(_ pair: UInt64, _ delta: Int64) {
                    pairCounts.add(pair, delta * wordCount)
                    if delta > 0, updated[pair]?.last != wordIndex { updated[pair, default: []].append(wordIndex) }
                }
                var symbols = symbolsOfWord[word]
                symbolsOfWord[word] = []
                var index = 0
                while index < symbols.count {
                    if symbols[index].id == left && index + 1 < symbols.count && symbols[index + 1].id == right {
                        let merged = Symbol(id: newID, length: symbols[index].length + symbols[index + 1].length)
                        if index > 0 {
                            change(UInt64(symbols[index - 1].id) << 32 | UInt64(left), -1)
                            if symbols[index - 1].length + merged.length < maximumLength {
                                change(UInt64(symbols[index - 1].id) << 32 | UInt64(newID), 1)
                            }
                        }
                        symbols[index] = merged
                        symbols.remove(at: index + 1)
                        if index < symbols.count - 1 {
                            change(UInt64(right) << 32 | UInt64(symbols[index + 1].id), -1)
                            if symbols[index + 1].length + merged.length < maximumLength {
                                change(UInt64(newID) << 32 | UInt64(symbols[index + 1].id), 1)
                            }
                        }
                    }
                    index += 1
                }
                symbolsOfWord[word] = symbols
            }
            for (pair, words) in updated.sorted(by: { $0.key < $1.key }) {
                let count = pairCounts[pair]
                if count > 0 { queue.push(QueueEntry(count: count, pair: pair, positions: store(words.sorted()))) }
            }
            updated.removeAll(keepingCapacity: true)
        }
        return Result(vocabulary: vocabulary, merges: merges)
    }
}
