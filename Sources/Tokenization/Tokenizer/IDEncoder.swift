import TextProcessing

/// The ids-only encoder of a tokenizer whose pipeline only cuts text into pieces (a
/// ``PieceSplitter``) and whose model is BPE without dropout or subword decorations: the
/// path of `encode` and of batch encoding to ids.
///
/// It works on the text's UTF-8 bytes throughout: the scanner finds pieces as byte ranges,
/// each piece's ids come from a per-thread cache keyed by its bytes, and a piece met for the
/// first time starts from its bytes' (or scalars') ids through a 256-entry table, merged by
/// ``BPEModel``. Anything outside that (a text holding an added token's content, a byte or
/// scalar missing from the vocabulary) is left to the general path, which the caller runs
/// when ``encode(_:workspace:bpe:)`` returns false: the ids are always the general path's.
final class IDEncoder: Sendable {
    private let splitter: PieceSplitter
    private let model: BPEModel
    /// With a byte-level pipeline, the id of each byte's character; `missing` when the
    /// vocabulary lacks it.
    private let byteIDs: [TokenID]
    /// With a byte-level pipeline, the UTF-8 of each byte's character (one or two bytes, the
    /// second 0 when unused), for whole-piece lookups.
    private let mappedUTF8: [(UInt8, UInt8)]
    private let addedTokens: ByteTrie
    private static let missing = TokenID.max

    /// The encoder of a tokenizer with this splitter, model and added tokens, or nil when the
    /// model is not a deterministic undecorated BPE.
    init?(splitter: PieceSplitter?, model: any TokenizerModel, addedTokens: [String]) {
        guard let splitter, let model = model as? BPEModel, !model.isStochastic, model.continuingSubwordPrefix == nil,
              model.endOfWordSuffix == nil else { return nil }
        self.splitter = splitter
        self.model = model
        let characters = splitter.byteLevel ? ByteLevelAlphabet.characters : []
        byteIDs = characters.map { model.vocabulary.id(forScalar: $0) ?? Self.missing }
        mappedUTF8 = characters.map { character in
            let bytes = Array(String(Unicode.Scalar(character)!).utf8)
            return (bytes[0], bytes.count > 1 ? bytes[1] : 0)
        }
        var trie = ByteTrie()
        for (index, token) in addedTokens.enumerated() { trie.insert(Array(token.utf8), value: Int32(index)) }
        self.addedTokens = trie
    }

    /// The scratch space of one thread.
    struct Workspace {
        var pieces: [Range<Int>] = []
        var symbols: [TokenID] = []
        var ranks: [UInt64] = []
        var key: [UInt8] = []
        var scalars: [UInt32] = []
        var tokens: [ModelToken] = []
        // Made on first use: a state that only builds encodings (`encode`, called with a fresh
        // state per text in several loops) never allocates the ids path's cache and buffer.
        lazy var cache = PieceIDCache()
        /// The ids being produced.
        lazy var output = IDBuffer()
    }

    /// Appends the ids of `text` (valid UTF-8) to `workspace.output`; false, with nothing
    /// appended, when the text holds an added token's content and needs the general path.
    func encode(_ text: UnsafeBufferPointer<UInt8>, workspace: inout Workspace, bpe: inout BPEWorkspace) -> Bool {
        if addedTokens.occurs(in: text) { return false }
        let output = workspace.output, cache = workspace.cache
        encode(text, output: output, cache: cache, workspace: &workspace, bpe: &bpe)
        return true
    }

    /// Encodes `texts[range]` in order, each framed by `prefix` and `suffix` in
    /// `workspace.output`, appending the output's count after each to `ends`; stops at the first
    /// text that needs the general path (its content holds an added token's, or it is not
    /// contiguous UTF-8) and returns its index, or `range.upperBound`. Per-text costs (fetching
    /// the buffers, the pattern) are paid once per call.
    func encode(_ texts: UnsafeBufferPointer<String>, range: Range<Int>, prefix: [TokenID], suffix: [TokenID],
                workspace: inout Workspace, bpe: inout BPEWorkspace, ends: inout [Int]) -> Int {
        let output = workspace.output, cache = workspace.cache
        for index in range {
            let done = texts[index].utf8.withContiguousStorageIfAvailable { text -> Bool in
                if addedTokens.occurs(in: text) { return false }
                output.append(contentsOf: prefix)
                encode(text, output: output, cache: cache, workspace: &workspace, bpe: &bpe)
                output.append(contentsOf: suffix)
                return true
            }
            guard done == true else { return index }
            ends.append(output.count)
        }
        return range.upperBound
    }

    @inline(__always)
    private func encode(_ text: UnsafeBufferPointer<UInt8>, output: IDBuffer, cache: PieceIDCache,
                        workspace: inout Workspace, bpe: inout BPEWorkspace) {
        workspace.pieces.removeAll(keepingCapacity: true)
        splitter.pattern.matches(inUTF8: text, into: &workspace.pieces)
        for range in workspace.pieces {
            let piece = UnsafeBufferPointer(rebasing: text[range])
            let (found, slot) = cache.append(piece, to: output)
            if found { continue }
            let first = output.count
            encodePiece(piece, workspace: &workspace, bpe: &bpe)
            cache.store(piece, slot: slot, output.ids(from: first))
        }
    }

    /// Appends the ids of a piece met for the first time to `workspace.output`.
    private func encodePiece(_ piece: UnsafeBufferPointer<UInt8>, workspace: inout Workspace, bpe: inout BPEWorkspace) {
        let ids = workspace.output
        if model.ignoreMerges {
            let whole: TokenID?
            if splitter.byteLevel {
                workspace.key.removeAll(keepingCapacity: true)
                mappedUTF8.withUnsafeBufferPointer { mapped in
                    for byte in piece {
                        let (first, second) = mapped[Int(byte)]
                        workspace.key.append(first)
                        if second != 0 { workspace.key.append(second) }
                    }
                }
                whole = workspace.key.withUnsafeBufferPointer { model.vocabulary.id(for: $0) }
            } else {
                whole = model.vocabulary.id(for: piece)
            }
            if let whole {
                ids.append(whole)
                return
            }
        }
        workspace.symbols.removeAll(keepingCapacity: true)
        var known = true
        if splitter.byteLevel {
            for byte in piece {
                let id = byteIDs[Int(byte)]
                known = known && id != Self.missing
                workspace.symbols.append(id)
            }
        } else {
            for scalar in String(decoding: piece, as: UTF8.self).unicodeScalars {
                let id = model.vocabulary.id(forScalar: scalar.value) ?? Self.missing
                known = known && id != Self.missing
                workspace.symbols.append(id)
            }
        }
        if known {
            model.merge(&workspace.symbols, ranks: &workspace.ranks, workspace: &bpe)
            ids.append(contentsOf: workspace.symbols)
            return
        }
        // A scalar the vocabulary lacks: byte fallback, unknown token or nothing, as the model says.
        workspace.scalars.removeAll(keepingCapacity: true)
        for scalar in String(decoding: piece, as: UTF8.self).unicodeScalars {
            if splitter.byteLevel {
                ByteLevelAlphabet.appendMapped(scalar.value, to: &workspace.scalars)
            } else {
                workspace.scalars.append(scalar.value)
            }
        }
        workspace.tokens.removeAll(keepingCapacity: true)
        workspace.scalars.withUnsafeBufferPointer { model.tokenize($0, workspace: &bpe, into: &workspace.tokens, cached: false) }
        ids.append(contentsOf: workspace.tokens.lazy.map(\.id))
    }
}
