import Support
import Tokenization

/// Continues the training of a BPE model on new text: each word starts from the model's own
/// segmentation of it (its normalizer and pre-tokenizer already applied by the counter, all
/// its merges applied here), and new merges are learned on top, the most frequent pair first.
///
/// New merges rank after every source merge, so the encoder applies them exactly as they were
/// learned: each new token is produced on the text it was learned from, by construction.
/// Characters the model only reaches through byte fallback or its unknown token become new
/// tokens when a merge needs them. A merge is refused when its result is already a token (the
/// encoder would go on with source merges from it), when it would change the segmentation of
/// ``Configuration/protectedWords``, or when ``Configuration/accepts`` refuses its result.
/// Ties between equally frequent pairs go to the smallest pair of ids, so the run is
/// deterministic whatever the thread count.
public struct ContinuedBPETrainer: Sendable {
    /// What to learn.
    public struct Configuration: Sendable {
        /// How many tokens to add (merge results and the characters they need).
        public var newTokens: Int
        /// Words, counted with the same pipeline, whose segmentation must not change.
        public var protectedWords: WordCounts?
        /// Whether a new token, given as its vocabulary string, may be added; nil accepts all.
        public var accepts: (@Sendable ([UInt8]) -> Bool)?

        /// Learns `newTokens` tokens, protecting nothing.
        public init(newTokens: Int) { self.newTokens = newTokens }
    }

    /// One learned token.
    public struct NewToken: Sendable, Equatable {
        /// Its vocabulary string, as UTF-8.
        public var token: [UInt8]
        /// The ids of the merge that forms it, or nil for a character added on its own.
        public var left: TokenID?, right: TokenID?
        /// How often it occurs in the final segmentation of the training words (0: a dead token,
        /// only a step towards longer ones).
        public var occurrences: UInt64
    }

    /// Why merges were refused, and how many.
    public struct Refusals: Sendable, Equatable {
        /// Merges whose result was already a token.
        public var existing = 0
        /// Merges that would have changed the protected words.
        public var protected = 0
        /// Merges whose result ``Configuration/accepts`` refused.
        public var filtered = 0

        /// No merge refused.
        public init() {}
    }

    /// The result: new tokens with consecutive ids from the first id given, and their merges
    /// (fewer tokens than asked for when the words offer no more merges).
    public struct Result: Sendable {
        /// The new tokens, in id order.
        public var newTokens: [NewToken]
        /// The new merges in rank order, to append after the source merges.
        public var merges: [(TokenID, TokenID)]
        /// The merges refused.
        public var refused: Refusals
    }

    /// The configuration.
    public var configuration: Configuration

    public init(_ configuration: Configuration) { self.configuration = configuration }

    /// Learns new tokens for `model` from `words`; new ids start at `firstID`, and `isTaken`
    /// tells strings that cannot become new tokens besides the model's vocabulary (added tokens).
    /// `progress` receives the number of tokens added so far.
    public func train(_ words: WordCounts, continuing model: BPEModel, firstID: TokenID,
                      isTaken: ([UInt8]) -> Bool = { _ in false }, progress: ((Int) -> Void)? = nil) throws -> Result {
        var table = SymbolTable(model: model, firstInternal: TokenID(max(model.vocabulary.idLimit, Int(firstID))))
        let sortedWords = words.sorted()
        var symbolsOfWord = try table.segment(sortedWords.map(\.word), with: model)
        let counts = sortedWords.map { Int64(clamping: $0.count) }

        var protectedPairs = Set<UInt64>(), protectedSymbols = Set<TokenID>(), protectedStrings = Set<[UInt8]>()
        if let protectedWords = configuration.protectedWords {
            let words = protectedWords.sorted().map(\.word)
            for symbols in try table.segment(words, with: model) {
                for symbol in symbols where table.isProvisional(symbol) { protectedSymbols.insert(symbol) }
                for (left, right) in zip(symbols, symbols.dropFirst()) { protectedPairs.insert(Self.pair(left, right)) }
            }
            if model.ignoreMerges { protectedStrings = Set(words) }
        }

        var pairCounts = PairCounts(capacity: symbolsOfWord.count * 2)
        var wordsOfPair: [UInt64: [Int32]] = [:]
        for (index, symbols) in symbolsOfWord.enumerated() {
            for (left, right) in zip(symbols, symbols.dropFirst()) {
                let pair = Self.pair(left, right)
                pairCounts.add(pair, counts[index])
                if wordsOfPair[pair]?.last != Int32(index) { wordsOfPair[pair, default: []].append(Int32(index)) }
            }
        }
        var queue = MergeQueue<Candidate>(capacity: wordsOfPair.count)
        for pair in wordsOfPair.keys.sorted() { queue.push(Candidate(count: pairCounts[pair], pair: pair)) }

        var added: [TokenID] = []
        var merges: [(TokenID, TokenID)] = []
        var refused = Refusals()
        var refusedPairs = Set<UInt64>()
        var updated: [UInt64: [Int32]] = [:]
        let prefix = model.continuingSubwordPrefix.map { Array($0.utf8) }
        learning: while added.count < configuration.newTokens, var top = queue.pop() {
            if refusedPairs.contains(top.pair) { continue }
            let current = pairCounts[top.pair]
            if top.count != current {
                top.count = current
                if current > 0 { queue.push(top) }
                continue
            }
            if top.count < 1 { break }
            let left = TokenID(top.pair >> 32), right = TokenID(top.pair & 0xFFFF_FFFF)
            var rightToken = table.token(right)
            if let prefix, rightToken.starts(with: prefix) { rightToken.removeFirst(prefix.count) }
            let result = table.token(left) + rightToken
            if table.id(of: result) != nil || isTaken(result) {
                refused.existing += 1
            } else if protectedPairs.contains(top.pair) || protectedSymbols.contains(left) || protectedSymbols.contains(right)
                        || protectedStrings.contains(result) {
                refused.protected += 1
            } else if let accepts = configuration.accepts, !accepts(result) {
                refused.filtered += 1
            } else {
                for part in [left, right] where table.isProvisional(part) && !table.isAdded(part) {
                    guard added.count < configuration.newTokens else { break learning }
                    table.add(part)
                    added.append(part)
                }
                guard added.count < configuration.newTokens else { break }
                let merged = table.create(result)
                table.add(merged)
                added.append(merged)
                merges.append((left, right))
                progress?(added.count)
                for wordIndex in Set(wordsOfPair.removeValue(forKey: top.pair) ?? []).sorted() {
                    let word = Int(wordIndex)
                    func change(_ pair: UInt64, _ delta: Int64) {
                        pairCounts.add(pair, delta * counts[word])
                        if delta > 0, updated[pair]?.last != wordIndex { updated[pair, default: []].append(wordIndex) }
                    }
                    var symbols = symbolsOfWord[word]
                    symbolsOfWord[word] = []
                    var index = 0
                    while index + 1 < symbols.count {
                        if symbols[index] == left && symbols[index + 1] == right {
                            change(top.pair, -1)
                            if index > 0 {
                                change(Self.pair(symbols[index - 1], left), -1)
                                change(Self.pair(symbols[index - 1], merged), 1)
                            }
                            symbols[index] = merged
                            symbols.remove(at: index + 1)
                            if index + 1 < symbols.count {
                                change(Self.pair(right, symbols[index + 1]), -1)
                                change(Self.pair(merged, symbols[index + 1]), 1)
                            }
                        }
                        index += 1
                    }
                    symbolsOfWord[word] = symbols
                }
                for (pair, words) in updated.sorted(by: { $0.key < $1.key }) {
                    wordsOfPair[pair, default: []].append(contentsOf: words)
                    let count = pairCounts[pair]
                    if count > 0 { queue.push(Candidate(count: count, pair: pair)) }
                }
                updated.removeAll(keepingCapacity: true)
                continue
            }
            refusedPairs.insert(top.pair)
        }

        var occurrences: [TokenID: UInt64] = [:]
        for (index, symbols) in symbolsOfWord.enumerated() {
            for symbol in symbols where table.isAdded(symbol) { occurrences[symbol, default: 0] += UInt64(counts[index]) }
        }
        var finalID: [TokenID: TokenID] = [:]
        for (index, symbol) in added.enumerated() { finalID[symbol] = firstID + TokenID(index) }
        func external(_ id: TokenID) -> TokenID { finalID[id] ?? id }
        var mergeIndex = 0
        let newTokens = added.map { symbol -> NewToken in
            var token = NewToken(token: table.token(symbol), left: nil, right: nil, occurrences: occurrences[symbol] ?? 0)
            if !table.isProvisional(symbol) {
                let (left, right) = merges[mergeIndex]
                mergeIndex += 1
                token.left = external(left)
                token.right = external(right)
            }
            return token
        }
        return Result(newTokens: newTokens, merges: merges.map { (external($0.0), external($0.1)) }, refused: refused)
    }

    @inline(__always)
    private static func pair(_ left: TokenID, _ right: TokenID) -> UInt64 { UInt64(left) << 32 | UInt64(right) }

    private struct Candidate: MergeCandidate {
        var count: Int64
        var pair: UInt64

        func precedes(_ other: Candidate) -> Bool { count != other.count ? count > other.count : pair < other.pair }
    }
}

/// The symbols of continued training: the model's ids, then provisional characters (those the
/// model only reaches by byte fallback or as unknown), then the tokens the training creates.
private struct SymbolTable {
    let model: BPEModel
    /// The first id past the model's (and its added tokens') ids.
    let firstInternal: TokenID
    private var tokens: [[UInt8]] = []
    private var ids: [[UInt8]: TokenID] = [:]
    private var provisional: [Bool] = []
    private var added: [Bool] = []

    init(model: BPEModel, firstInternal: TokenID) {
        self.model = model
        self.firstInternal = firstInternal
    }

    /// The vocabulary string of `id`.
    func token(_ id: TokenID) -> [UInt8] {
        id < firstInternal ? model.vocabulary.token(for: id) ?? [] : tokens[Int(id - firstInternal)]
    }

    /// The id of `token` among the model's tokens and the tokens created so far (not provisional characters).
    func id(of token: [UInt8]) -> TokenID? {
        if let id = model.vocabulary.id(for: token) { return id }
        guard let id = ids[token], !provisional[Int(id - firstInternal)] else { return nil }
        return id
    }

    /// Whether `id` is a character the model lacks.
    func isProvisional(_ id: TokenID) -> Bool { id >= firstInternal && provisional[Int(id - firstInternal)] }

    /// Whether `id` was added to the vocabulary.
    func isAdded(_ id: TokenID) -> Bool { id >= firstInternal && added[Int(id - firstInternal)] }

    /// Marks `id` as added.
    mutating func add(_ id: TokenID) { added[Int(id - firstInternal)] = true }

    /// A new token spelled `token`.
    mutating func create(_ token: [UInt8]) -> TokenID { intern(token, provisional: false) }

    private mutating func intern(_ token: [UInt8], provisional isProvisional: Bool) -> TokenID {
        if let id = ids[token] { return id }
        let id = firstInternal + TokenID(tokens.count)
        tokens.append(token)
        provisional.append(isProvisional)
        added.append(false)
        ids[token] = id
        return id
    }

    /// Each word's segmentation by the model (on all cores), with provisional characters in
    /// place of byte-fallback and unknown tokens.
    mutating func segment(_ words: [[UInt8]], with model: BPEModel) throws -> [[TokenID]] {
        let unknown = model.unknownToken.flatMap { model.vocabulary.id(for: $0) }
        let prefix = model.continuingSubwordPrefix.map { Array($0.utf8) } ?? []
        let suffix = model.endOfWordSuffix.map { Array($0.utf8) } ?? []
        let pieces = try parallelMap(count: words.count, makeState: { (BPEWorkspace(), [ModelToken]()) }) { state, index -> [Piece] in
            let scalars = String(decoding: words[index], as: UTF8.self).unicodeScalars.map(\.value)
            state.1.removeAll(keepingCapacity: true)
            scalars.withUnsafeBufferPointer { model.tokenize($0, workspace: &state.0, into: &state.1, cached: true) }
            var result: [Piece] = []
            var lastCharacter = -1
            for token in state.1 {
                guard model.isByteFallbackToken(token.id) || token.id == unknown else {
                    result.append(.token(token.id))
                    continue
                }
                for position in Int(token.start)..<Int(token.end) where position > lastCharacter {
                    var bytes = position > 0 ? prefix : []
                    bytes += Array(String(Unicode.Scalar(scalars[position])!).utf8)
                    if position == scalars.count - 1 { bytes += suffix }
                    result.append(.character(bytes))
                    lastCharacter = position
                }
            }
            return result
        }
        return pieces.map { word in
            word.map { piece in
                switch piece {
                case .token(let id): return id
                case .character(let bytes): return intern(bytes, provisional: true)
                }
            }
        }
    }

    private enum Piece {
        case token(TokenID)
        case character([UInt8])
    }
}
