/// A byte-pair-encoding model with Hugging Face `tokenizers` semantics.
///
/// A piece is split into Unicode scalars, each looked up in the vocabulary (with the
/// continuing-subword prefix and end-of-word suffix when set); unknown scalars become
/// `<0xNN>` byte tokens with byte fallback, else the unknown token (fused when
/// `fuseUnknown`), else they are dropped. Merges are then applied with a min-heap
/// keyed by (rank, position): a pair formed by a merge competes at once with the
/// pairs already queued, and of duplicate merges the later one wins.
public struct BPEModel: TokenizerModel {
    /// The vocabulary.
    public let vocabulary: Vocabulary
    /// The merges in rank order, as pairs of operand ids.
    public let merges: [(TokenID, TokenID)]
    /// The merges by pair, with rank and result.
    public let mergeTable: MergeTable
    /// The token standing for unknown scalars, if any.
    public let unknownToken: String?
    /// Prepended to every scalar that does not start the piece, if set.
    public let continuingSubwordPrefix: String?
    /// Appended to the last scalar of the piece, if set.
    public let endOfWordSuffix: String?
    /// Whether consecutive unknown scalars become one unknown token.
    public let fuseUnknown: Bool
    /// Whether unknown scalars are spelled with `<0xNN>` byte tokens.
    public let byteFallback: Bool
    /// Whether a piece that is itself a vocabulary entry is emitted whole.
    public let ignoreMerges: Bool
    /// The probability of skipping each merge (BPE-dropout), if set.
    public let dropout: Float?

    private let unknownID: TokenID?
    private let byteTokenIDs: [TokenID?]

    /// A model from a vocabulary and merges given as operand ids in rank order.
    ///
    /// Throws when a merge's result is not in the vocabulary, or the unknown token is missing.
    public init(vocabulary: Vocabulary, merges: [(TokenID, TokenID)], unknownToken: String? = nil,
                continuingSubwordPrefix: String? = nil, endOfWordSuffix: String? = nil,
                fuseUnknown: Bool = false, byteFallback: Bool = false, ignoreMerges: Bool = false,
                dropout: Float? = nil) throws {
        try self.init(vocabulary: vocabulary, merges: merges, results: nil, unknownToken: unknownToken,
                      continuingSubwordPrefix: continuingSubwordPrefix, endOfWordSuffix: endOfWordSuffix, fuseUnknown: fuseUnknown,
                      byteFallback: byteFallback, ignoreMerges: ignoreMerges, dropout: dropout)
    }

    /// A model whose merges' results, when `results` gives them (from a checksummed
    /// ``TokenizerCache`` file), are not looked up again: only their lengths are checked.
    init(vocabulary: Vocabulary, merges: [(TokenID, TokenID)], results: [TokenID]?, unknownToken: String?,
         continuingSubwordPrefix: String?, endOfWordSuffix: String?, fuseUnknown: Bool, byteFallback: Bool, ignoreMerges: Bool,
         dropout: Float?) throws {
        precondition(results == nil || results!.count == merges.count, "one result per merge")
        self.vocabulary = vocabulary
        self.merges = merges
        self.unknownToken = unknownToken
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.endOfWordSuffix = endOfWordSuffix
        self.fuseUnknown = fuseUnknown
        self.byteFallback = byteFallback
        self.ignoreMerges = ignoreMerges
        self.dropout = dropout
        let prefixLength = continuingSubwordPrefix?.utf8.count ?? 0
        var table = MergeTable(capacity: merges.count)
        var joined: [UInt8] = []
        for (rank, (left, right)) in merges.enumerated() {
            if let results {
                guard let leftLength = vocabulary.withToken(for: left, { $0?.count }),
                      let rightLength = vocabulary.withToken(for: right, { $0?.count }),
                      let resultLength = vocabulary.withToken(for: results[rank], { $0?.count }),
                      prefixLength > 0 || resultLength == leftLength + rightLength else {
                    throw TokenizerError.invalidModel("merge \(rank) does not form the token given as its result")
                }
                table.set(left, right, rank: UInt32(rank), result: results[rank])
                continue
            }
            joined.removeAll(keepingCapacity: true)
            let found = vocabulary.withToken(for: left) { leftToken in
                vocabulary.withToken(for: right) { rightToken -> Bool in
                    guard let leftToken, let rightToken else { return false }
                    let dropped = prefixLength > 0 && rightToken.starts(with: continuingSubwordPrefix!.utf8) ? prefixLength : 0
                    joined.append(contentsOf: leftToken)
                    joined.append(contentsOf: rightToken[dropped...])
                    return true
                }
            }
            guard found else { throw TokenizerError.invalidModel("merge \(rank) refers to an id outside the vocabulary") }
            guard let result = joined.withUnsafeBufferPointer({ vocabulary.id(for: $0) }) else {
                let prefix = continuingSubwordPrefix.map { Array($0.utf8) } ?? []
                let rightToken = vocabulary.token(for: right)!
                let dropped = !prefix.isEmpty && rightToken.starts(with: prefix) ? prefix.count : 0
                throw TokenizerError.invalidModel(
                    "merge \(rank) (\(vocabulary.string(for: left)!.debugDescription), "
                        + "\(String(decoding: rightToken[dropped...], as: UTF8.self).debugDescription)) forms a token missing from the vocabulary")
            }
            table.set(left, right, rank: UInt32(rank), result: result)
        }
        mergeTable = table
        if let unknownToken {
            guard let id = vocabulary.id(for: unknownToken) else {
                throw TokenizerError.invalidModel("the unknown token \(unknownToken.debugDescription) is not in the vocabulary")
            }
            unknownID = id
        } else {
            unknownID = nil
        }
        byteTokenIDs = (0..<256).map { vocabulary.id(for: Self.byteTokenName(UInt8($0))) }
    }

    public var isStochastic: Bool { (dropout ?? 0) > 0 }

    public func isByteFallbackToken(_ id: TokenID) -> Bool {
        byteFallback && byteTokenIDs.contains(id)
    }

    /// The name of the byte-fallback token of `byte`: `<0x0A>`.
    public static func byteTokenName(_ byte: UInt8) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        return String(decoding: [UInt8(ascii: "<"), UInt8(ascii: "0"), UInt8(ascii: "x"),
                                 hex[Int(byte >> 4)], hex[Int(byte & 15)], UInt8(ascii: ">")], as: UTF8.self)
    }

    /// The id each merge forms, in rank order.
    var mergeResults: [TokenID] { merges.map { mergeTable.merge($0.0, $0.1)!.result } }

    /// Appends the tokens of `piece` (Unicode scalar values) to `tokens`. With `cached`
    /// (the default), results are looked up in and stored to the workspace's cache,
    /// except under dropout.
    public func tokenize(_ piece: UnsafeBufferPointer<UInt32>, workspace: inout BPEWorkspace, into tokens: inout [ModelToken],
                         cached: Bool) {
        guard !piece.isEmpty else { return }
        let usesCache = cached && (dropout ?? 0) <= 0
        if ignoreMerges || usesCache {
            workspace.bytes.removeAll(keepingCapacity: true)
            for scalar in piece { appendUTF8(scalar, to: &workspace.bytes) }
        }
        if ignoreMerges, let id = workspace.bytes.withUnsafeBufferPointer({ vocabulary.id(for: $0) }) {
            tokens.append(ModelToken(id: id, start: 0, end: Int32(piece.count)))
            return
        }
        if usesCache, workspace.bytes.withUnsafeBufferPointer({ workspace.cache.append($0, to: &tokens) }) { return }
        let firstNew = tokens.count
        buildSymbols(piece, workspace: &workspace)
        mergeAll(workspace: &workspace)
        var index = workspace.symbols.isEmpty ? -1 : 0
        workspace.symbols.withUnsafeBufferPointer { symbols in
            while index >= 0 {
                let symbol = symbols[index]
                tokens.append(ModelToken(id: symbol.id, start: symbol.start, end: symbol.end))
                index = Int(symbol.next)
            }
        }
        if usesCache && workspace.cache.accepts(length: workspace.bytes.count) {
            let bytes = workspace.bytes
            bytes.withUnsafeBufferPointer { workspace.cache.store($0, tokens[firstNew...]) }
        }
    }

    @inline(__always)
    private func appendUTF8(_ scalar: UInt32, to bytes: inout [UInt8]) {
        if scalar < 0x80 {
            bytes.append(UInt8(scalar))
        } else {
            bytes.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
        }
    }

    private func buildSymbols(_ piece: UnsafeBufferPointer<UInt32>, workspace: inout BPEWorkspace) {
        workspace.symbols.removeAll(keepingCapacity: true)
        var pendingUnknown: BPEWorkspace.Symbol?
        let decorated = continuingSubwordPrefix != nil || endOfWordSuffix != nil
        var decoratedBytes: [UInt8] = []
        func add(_ symbol: BPEWorkspace.Symbol, to symbols: inout [BPEWorkspace.Symbol]) {
            var symbol = symbol
            symbol.previous = Int32(symbols.count) - 1
            symbol.next = -1
            if !symbols.isEmpty { symbols[symbols.count - 1].next = Int32(symbols.count) }
            symbols.append(symbol)
        }
        for (position, scalar) in piece.enumerated() {
            let start = Int32(position), end = Int32(position + 1)
            var id: TokenID?
            if decorated {
                decoratedBytes.removeAll(keepingCapacity: true)
                if position > 0, let prefix = continuingSubwordPrefix { decoratedBytes.append(contentsOf: prefix.utf8) }
                appendUTF8(scalar, to: &decoratedBytes)
                if position == piece.count - 1, let suffix = endOfWordSuffix { decoratedBytes.append(contentsOf: suffix.utf8) }
                id = vocabulary.id(for: decoratedBytes)
            } else {
                id = vocabulary.id(forScalar: scalar)
            }
            if let id {
                if let unknown = pendingUnknown {
                    add(unknown, to: &workspace.symbols)
                    pendingUnknown = nil
                }
                add(.init(id: id, start: start, end: end, previous: 0, next: 0), to: &workspace.symbols)
                continue
            }
            if byteFallback {
                if !decorated {
                    decoratedBytes.removeAll(keepingCapacity: true)
                    appendUTF8(scalar, to: &decoratedBytes)
                }
                if decoratedBytes.allSatisfy({ byteTokenIDs[Int($0)] != nil }) {
                    for byte in decoratedBytes {
                        add(.init(id: byteTokenIDs[Int(byte)]!, start: start, end: end, previous: 0, next: 0), to: &workspace.symbols)
                    }
                    continue
                }
            }
            guard let unknownID else { continue }
            if var unknown = pendingUnknown {
                if fuseUnknown {
                    unknown.end = end
                    pendingUnknown = unknown
                    continue
                }
                add(unknown, to: &workspace.symbols)
            }
            pendingUnknown = .init(id: unknownID, start: start, end: end, previous: 0, next: 0)
        }
        if let unknown = pendingUnknown { add(unknown, to: &workspace.symbols) }
    }

    /// Pieces of at most this many symbols are merged by scanning for the lowest rank, which
    /// is cheaper than the heap there; longer ones by the heap, in O(n log n).
    static let scanLimit = 48

    /// Merges `symbols`, the ids of a piece's scalars (every scalar in the vocabulary, no
    /// subword decorations, no dropout), in place into the ids BPE makes of the piece: the same
    /// ids as ``tokenize(_:workspace:into:cached:)``. Of equal ranks the leftmost pair is merged
    /// first, the heap's order. `ranks` is scratch space.
    func merge(_ symbols: inout [TokenID], ranks: inout [UInt64], workspace: inout BPEWorkspace) {
        guard symbols.count > BPEModel.scanLimit else {
            scanMerge(&symbols, ranks: &ranks)
            return
        }
        workspace.symbols.removeAll(keepingCapacity: true)
        for (position, id) in symbols.enumerated() {
            workspace.symbols.append(.init(id: id, start: Int32(position), end: Int32(position + 1),
                                           previous: Int32(position - 1), next: position + 1 < symbols.count ? Int32(position + 1) : -1))
        }
        mergeAll(workspace: &workspace)
        symbols.removeAll(keepingCapacity: true)
        var index = 0
        while index >= 0 {
            symbols.append(workspace.symbols[index].id)
            index = Int(workspace.symbols[index].next)
        }
    }

    /// The merges of a short piece: each round merges the leftmost pair of lowest rank. A
    /// rank entry holds the rank in its high 32 bits and the result id in its low ones.
    @inline(__always)
    private func scanMerge(_ symbols: inout [TokenID], ranks: inout [UInt64]) {
        let none = UInt64.max
        var count = symbols.count
        symbols.withUnsafeMutableBufferPointer { symbols in
            ranks.removeAll(keepingCapacity: true)
            for position in 0..<max(0, count - 1) {
                let merge = mergeTable.merge(symbols[position], symbols[position + 1])
                ranks.append(merge.map { UInt64($0.rank) << 32 | UInt64($0.result) } ?? none)
            }
            ranks.withUnsafeMutableBufferPointer { ranks in
                while count > 1 {
                    var best = 0
                    for position in 1..<(count - 1) where ranks[position] >> 32 < ranks[best] >> 32 { best = position }
                    if ranks[best] == none { break }
                    symbols[best] = TokenID(truncatingIfNeeded: ranks[best])
                    count -= 1
                    for position in (best + 1)..<count { symbols[position] = symbols[position + 1] }
                    for position in best..<(count - 1) { ranks[position] = ranks[position + 1] }
                    if best + 1 < count {
                        ranks[best] = mergeTable.merge(symbols[best], symbols[best + 1]).map { UInt64($0.rank) << 32 | UInt64($0.result) } ?? none
                    }
                    if best > 0 {
                        ranks[best - 1] = mergeTable.merge(symbols[best - 1], symbols[best]).map { UInt64($0.rank) << 32 | UInt64($0.result) } ?? none
                    }
                }
            }
        }
        symbols.removeLast(symbols.count - count)
    }

    private func mergeAll(workspace: inout BPEWorkspace) {
        workspace.heap.removeAll(keepingCapacity: true)
        workspace.skipped.removeAll(keepingCapacity: true)
        let count = workspace.symbols.count
        guard count > 1 else { return }
        for position in 0..<(count - 1) {
            if let merge = mergeTable.merge(workspace.symbols[position].id, workspace.symbols[position + 1].id) {
                workspace.push(.init(key: UInt64(merge.rank) << 32 | UInt64(position), result: merge.result))
            }
        }
        let dropout = self.dropout ?? 0
        while let top = workspace.pop() {
            workspace.mergeSteps += 1
            if dropout > 0 && Float(Double(workspace.random.next() >> 11) * 0x1p-53) < dropout {
                workspace.skipped.append(top)
                continue
            }
            for entry in workspace.skipped { workspace.push(entry) }
            workspace.skipped.removeAll(keepingCapacity: true)
            let position = Int(top.key & 0xFFFF_FFFF)
            let current = workspace.symbols[position]
            if current.end == -1 || current.next == -1 { continue }
            let nextPosition = Int(current.next)
            let right = workspace.symbols[nextPosition]
            guard let merge = mergeTable.merge(current.id, right.id), merge.result == top.result else { continue }
            workspace.symbols[position].id = top.result
            workspace.symbols[position].end = right.end
            workspace.symbols[position].next = right.next
            workspace.symbols[nextPosition].end = -1
            if right.next >= 0 { workspace.symbols[Int(right.next)].previous = Int32(position) }
            let merged = workspace.symbols[position]
            if merged.previous >= 0, let pair = mergeTable.merge(workspace.symbols[Int(merged.previous)].id, merged.id) {
                workspace.push(.init(key: UInt64(pair.rank) << 32 | UInt64(merged.previous), result: pair.result))
            }
            if merged.next >= 0, let pair = mergeTable.merge(merged.id, workspace.symbols[Int(merged.next)].id) {
                workspace.push(.init(key: UInt64(pair.rank) << 32 | UInt64(position), result: pair.result))
            }
        }
    }
}
