import Foundation
import Support
import TextProcessing

/// A complete tokenizer as `tokenizer.json` describes it: added tokens, normalizer,
/// pre-tokenizer, model (BPE or Unigram), post-processor and decoder, with Hugging Face semantics.
public struct Tokenizer: Sendable {
    /// The model.
    public let model: any TokenizerModel
    /// The added (and special) tokens.
    public let addedVocabulary: AddedVocabulary
    /// The normalizer and pre-tokenizer.
    public let pipeline: TextPipeline
    /// The post-processor, if any.
    public let postProcessor: (any PostProcessor)?
    /// The decoder, if any.
    public let decoder: (any Decoder)?
    /// Truncation applied by ``encode(_:pair:addSpecialTokens:state:)``, if any.
    public let truncation: Truncation?
    /// Padding applied by ``encodeBatch(_:addSpecialTokens:seed:workers:)``, if any.
    public let padding: Padding?
    /// The `tokenizer.json` document this tokenizer was read from, without the model's `vocab`
    /// and `merges` (the model holds them); writing keeps its other fields.
    public let document: JSONValue
    /// How the document wrote the model's merges, if it had any.
    public let mergesFormat: MergesFormat?
    private let splitter: PieceSplitter?
    private let idEncoder: IDEncoder?

    /// A tokenizer from its parts. `document` is the `tokenizer.json` form of the
    /// pipeline, post-processor and decoder, written back by ``write(to:)-(String)``;
    /// `mergesFormat` defaults to the document's.
    public init(model: any TokenizerModel, addedTokens: [AddedToken], pipeline: TextPipeline, postProcessor: (any PostProcessor)?,
                decoder: (any Decoder)?, truncation: Truncation? = nil, padding: Padding? = nil, document: JSONValue,
                mergesFormat: MergesFormat? = nil) throws {
        self.model = model
        self.pipeline = pipeline
        self.postProcessor = postProcessor
        self.decoder = decoder
        self.truncation = truncation
        self.padding = padding
        self.mergesFormat = mergesFormat ?? MergesFormat(of: document)
        self.document = Self.withoutModelTables(document)
        var added = AddedVocabulary()
        for token in addedTokens { try added.add(token, vocabulary: model.vocabulary, normalizer: pipeline.normalizer) }
        addedVocabulary = added
        splitter = PieceSplitter(pipeline)
        idEncoder = IDEncoder(splitter: splitter, model: model, addedTokens: addedTokens.map(\.content))
    }

    /// `document` without `model.vocab` and `model.merges`, which are large and which the model
    /// itself holds (writing takes them from it).
    static func withoutModelTables(_ document: JSONValue) -> JSONValue {
        guard case .object(var members) = document, let index = members.firstIndex(where: { $0.key == "model" }),
              case .object(let model) = members[index].value else { return document }
        members[index].value = .object(model.filter { $0.key != "vocab" && $0.key != "merges" })
        return .object(members)
    }

    /// The encoding state of one thread: model workspace, scratch buffers and piece caches.
    /// Reusing one across calls keeps the caches warm. Copies share the ids path's cache and
    /// buffer, so a state must never be used by two threads at once: give each its own `State()`.
    public struct State {
        var workspace: BPEWorkspace
        var scalars: [UInt32] = []
        var mapped: [UInt32] = []
        var origin: [Int32] = []
        var bytes: [UInt8] = []
        var pieceTokens: [ModelToken] = []
        var pieceCache = PieceCache()
        var idWorkspace = IDEncoder.Workspace()
        /// When not nil, ``tokenize(_:state:ids:offsets:)`` appends each token's string here, as
        /// Hugging Face gives it: an added token's (normalized) text, else what the model says.
        var tokenTexts: [String]?

        /// A fresh state; `seed` drives BPE-dropout when the model has it.
        public init(seed: UInt64 = 0) { workspace = BPEWorkspace(seed: seed) }
    }

    /// The model, when it is BPE.
    public var bpe: BPEModel? { model as? BPEModel }

    /// This tokenizer with another model (an expanded vocabulary), everything else kept;
    /// added tokens keep their ids.
    public func replacingModel(_ model: any TokenizerModel) throws -> Tokenizer {
        try Tokenizer(model: model, addedTokens: addedVocabulary.order.map { addedVocabulary.tokens[$0]! }, pipeline: pipeline,
                      postProcessor: postProcessor, decoder: decoder, truncation: truncation, padding: padding, document: document,
                      mergesFormat: mergesFormat)
    }

    /// The token with `id`: an added token's content or the vocabulary entry.
    public func token(for id: TokenID) -> String? {
        addedVocabulary.tokens[id]?.content ?? model.vocabulary.string(for: id)
    }

    /// The id of `token`, added tokens first.
    public func id(for token: String) -> TokenID? {
        addedVocabulary.id(for: token) ?? model.vocabulary.id(for: token)
    }

    /// The number of ids: the vocabulary plus the added tokens that are not in it.
    public var vocabularySize: Int {
        max(model.vocabulary.idLimit, (addedVocabulary.tokens.keys.max().map { Int($0) + 1 }) ?? 0)
    }

    /// Appends the ids and original character offsets of the tokens of `text`, before
    /// post-processing: the fast path of ``encode(_:pair:addSpecialTokens:state:)``.
    public func tokenize(_ text: String, state: inout State, ids: inout [TokenID], offsets: inout [Range<Int>]) throws {
        state.scalars.removeAll(keepingCapacity: true)
        for scalar in text.unicodeScalars { state.scalars.append(scalar.value) }
        if let splitter {
            let parts = state.scalars.withUnsafeBufferPointer { addedVocabulary.parts(of: $0, normalized: false) }
            for part in parts {
                if let id = part.id {
                    ids.append(id)
                    offsets.append(part.range)
                    if state.tokenTexts != nil { state.tokenTexts!.append(String(scalarValues: state.scalars[part.range])) }
                } else {
                    tokenizeFast(part.range, splitter: splitter, state: &state, ids: &ids, offsets: &offsets)
                }
            }
            return
        }
        let whole = NormalizedString(scalars: state.scalars)
        for (part, addedID) in addedVocabulary.split(whole, normalized: false) {
            if let addedID {
                ids.append(addedID)
                offsets.append(part.originalOffsets)
                if state.tokenTexts != nil { state.tokenTexts!.append(String(scalarValues: part.scalars[...])) }
            } else {
                var normalized = part
                try pipeline.normalizer?.normalize(&normalized)
                for (subpart, normalizedID) in addedVocabulary.split(normalized, normalized: true) {
                    if let normalizedID {
                        ids.append(normalizedID)
                        offsets.append(subpart.originalOffsets)
                        if state.tokenTexts != nil { state.tokenTexts!.append(String(scalarValues: subpart.scalars[...])) }
                        continue
                    }
                    var pieces = PreTokenizedString(subpart)
                    try pipeline.preTokenizer?.preTokenize(&pieces)
                    for piece in pieces.splits { tokenizePiece(piece, state: &state, ids: &ids, offsets: &offsets) }
                }
            }
        }
    }

    private func tokenizePiece(_ piece: NormalizedString, state: inout State, ids: inout [TokenID], offsets: inout [Range<Int>]) {
        state.pieceTokens.removeAll(keepingCapacity: true)
        piece.scalars.withUnsafeBufferPointer { model.tokenize($0, workspace: &state.workspace, into: &state.pieceTokens, cached: true) }
        for token in state.pieceTokens {
            ids.append(token.id)
            offsets.append(piece.alignments[Int(token.start)].lowerBound..<piece.alignments[Int(token.end) - 1].upperBound)
            if state.tokenTexts != nil {
                state.tokenTexts!.append(model.tokenString(for: token.id, text: String(scalarValues: piece.scalars[Int(token.start)..<Int(token.end)])))
            }
        }
    }

    /// Encodes the text at `part` of `state.scalars` on the fast path: pieces are slices of
    /// the original text, cached by their UTF-8 bytes with offsets relative to the piece.
    private func tokenizeFast(_ part: Range<Int>, splitter: PieceSplitter, state: inout State,
                              ids: inout [TokenID], offsets: inout [Range<Int>]) {
        let ranges = state.scalars.withUnsafeBufferPointer {
            splitter.pattern.matches(in: UnsafeBufferPointer(rebasing: $0[part]))
        }
        for local in ranges {
            let range = (part.lowerBound + local.lowerBound)..<(part.lowerBound + local.upperBound)
            state.bytes.removeAll(keepingCapacity: true)
            for index in range {
                let scalar = state.scalars[index]
                if scalar < 0x80 {
                    state.bytes.append(UInt8(scalar))
                } else {
                    state.bytes.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
                }
            }
            state.pieceTokens.removeAll(keepingCapacity: true)
            let usesCache = !model.isStochastic
            let cached = usesCache && state.bytes.withUnsafeBufferPointer { state.pieceCache.append($0, to: &state.pieceTokens) }
            if !cached {
                encodePiece(range, splitter: splitter, state: &state)
                let bytes = state.bytes
                if usesCache { bytes.withUnsafeBufferPointer { state.pieceCache.store($0, state.pieceTokens[...]) } }
            }
            let base = range.lowerBound
            for token in state.pieceTokens {
                ids.append(token.id)
                offsets.append((base + Int(token.start))..<(base + Int(token.end)))
                if state.tokenTexts != nil {
                    let text = String(scalarValues: state.scalars[(base + Int(token.start))..<(base + Int(token.end))])
                    state.tokenTexts!.append(model.tokenString(for: token.id, text: text))
                }
            }
        }
    }

    /// Fills `state.pieceTokens` with the tokens of the piece at `range`, their offsets
    /// relative to the piece in original scalars.
    private func encodePiece(_ range: Range<Int>, splitter: PieceSplitter, state: inout State) {
        state.mapped.removeAll(keepingCapacity: true)
        state.origin.removeAll(keepingCapacity: true)
        for index in range {
            let before = state.mapped.count
            if splitter.byteLevel {
                ByteLevelAlphabet.appendMapped(state.scalars[index], to: &state.mapped)
            } else {
                state.mapped.append(state.scalars[index])
            }
            for _ in before..<state.mapped.count { state.origin.append(Int32(index - range.lowerBound)) }
        }
        state.mapped.withUnsafeBufferPointer {
            model.tokenize($0, workspace: &state.workspace, into: &state.pieceTokens, cached: false)
        }
        for index in state.pieceTokens.indices {
            let token = state.pieceTokens[index]
            state.pieceTokens[index].start = state.origin[Int(token.start)]
            state.pieceTokens[index].end = state.origin[Int(token.end) - 1] + 1
        }
    }

    /// The ids of `text` without special tokens: the fastest way to encode.
    public func encodeIDs(_ text: String, state: inout State) throws -> [TokenID] {
        let output = state.idWorkspace.output
        output.removeAll()
        try appendIDs(of: text, state: &state)
        return Array(output.ids())
    }

    /// Appends the ids of `text` without special tokens to `state.idWorkspace.output`.
    @inline(__always)
    private func appendIDs(of text: String, state: inout State) throws {
        if let idEncoder, text.utf8.withContiguousStorageIfAvailable({
            idEncoder.encode($0, workspace: &state.idWorkspace, bpe: &state.workspace)
        }) == true {
            return
        }
        var ids: [TokenID] = []
        var offsets: [Range<Int>] = []
        try tokenize(text, state: &state, ids: &ids, offsets: &offsets)
        state.idWorkspace.output.append(contentsOf: ids)
    }

    private func rawEncoding(_ text: String, sequence: Int, state: inout State) throws -> Encoding {
        var ids: [TokenID] = []
        var offsets: [Range<Int>] = []
        state.tokenTexts = []
        defer { state.tokenTexts = nil }
        try tokenize(text, state: &state, ids: &ids, offsets: &offsets)
        var encoding = Encoding()
        encoding.ids = ids
        encoding.offsets = offsets
        encoding.tokens = state.tokenTexts!
        encoding.typeIDs = Array(repeating: 0, count: ids.count)
        encoding.specialTokensMask = Array(repeating: 0, count: ids.count)
        encoding.attentionMask = Array(repeating: 1, count: ids.count)
        encoding.sequenceIDs = Array(repeating: sequence, count: ids.count)
        return encoding
    }

    /// Encodes `text` (and an optional second sequence) as Hugging Face's `Tokenizer.encode`
    /// does: tokens, post-processing with special tokens when `addSpecialTokens`, and the
    /// file's truncation. Offsets are character offsets into each sequence.
    public func encode(_ text: String, pair: String? = nil, addSpecialTokens: Bool = true, state: inout State) throws -> Encoding {
        var first = try rawEncoding(text, sequence: 0, state: &state)
        var second = try pair.map { try rawEncoding($0, sequence: 1, state: &state) }
        if let truncation {
            let added = addSpecialTokens ? (postProcessor?.addedTokenCount(isPair: pair != nil) ?? 0) : 0
            truncation.truncate(&first, &second, added: added)
        }
        guard let postProcessor else {
            if let second { first.append(contentsOf: second) }
            return first
        }
        return postProcessor.process(first, pair: second, addSpecialTokens: addSpecialTokens)
    }

    /// Encodes `text` with a fresh state.
    public func encode(_ text: String, pair: String? = nil, addSpecialTokens: Bool = true) throws -> Encoding {
        var state = State()
        return try encode(text, pair: pair, addSpecialTokens: addSpecialTokens, state: &state)
    }

    /// Encodes a batch on `workers` (default: new ones, one per core), in order, then applies the
    /// file's padding. Under BPE-dropout, text `i` draws from `seed + i`, so results do not
    /// depend on the thread count. Workers kept across batches keep their piece caches warm.
    public func encodeBatch(_ texts: [String], addSpecialTokens: Bool = true, seed: UInt64 = 0,
                            workers: ParallelWorkers<State>? = nil) throws -> [Encoding] {
        let usesDropout = model.isStochastic
        let workers = workers ?? ParallelWorkers(threads: min(ProcessInfo.processInfo.activeProcessorCount, max(1, texts.count))) { State() }
        var encodings = try workers.map(count: texts.count) { state, index in
            if usesDropout { state.workspace.random = SplitMix64(seed: seed &+ UInt64(index)) }
            return try encode(texts[index], addSpecialTokens: addSpecialTokens, state: &state)
        }
        padding?.pad(&encodings)
        return encodings
    }

    /// The ids of a batch, exactly those of ``encodeBatch(_:addSpecialTokens:seed:workers:)``.
    public func encodeBatchIDs(_ texts: [String], addSpecialTokens: Bool = true, seed: UInt64 = 0,
                               workers: ParallelWorkers<State>? = nil) throws -> [[TokenID]] {
        let flat = try encodeBatchFlat(texts, addSpecialTokens: addSpecialTokens, seed: seed, workers: workers)
        return (0..<flat.count).map { Array(flat[$0]) }
    }

    /// The ids of a batch in one flat array, exactly those of
    /// ``encodeBatch(_:addSpecialTokens:seed:workers:)``: the fastest way to encode many texts.
    /// Without truncation or padding in the file, no encodings (token strings, offsets, masks)
    /// are built: the special tokens the post-processor puts around a sequence are worked out
    /// once, and each worker writes the ids of consecutive texts into one buffer.
    public func encodeBatchFlat(_ texts: [String], addSpecialTokens: Bool = true, seed: UInt64 = 0,
                                workers: ParallelWorkers<State>? = nil) throws -> FlatIDs {
        guard truncation == nil, padding == nil, let (prefix, suffix) = specialTokenFrame(addSpecialTokens: addSpecialTokens) else {
            var flat = FlatIDs()
            for encoding in try encodeBatch(texts, addSpecialTokens: addSpecialTokens, seed: seed, workers: workers) {
                flat.ids += encoding.ids
                flat.offsets.append(flat.ids.count)
            }
            return flat
        }
        let usesDropout = model.isStochastic
        let workers = workers ?? ParallelWorkers(threads: min(ProcessInfo.processInfo.activeProcessorCount, max(1, texts.count))) { State() }
        let chunk = Self.flatChunk
        let chunks = try workers.map(count: (texts.count + chunk - 1) / chunk) { state, index in
            let range = (index * chunk)..<min(texts.count, (index + 1) * chunk)
            var part = FlatIDs()
            part.offsets.reserveCapacity(range.count + 1)
            let output = state.idWorkspace.output
            output.removeAll()
            var index = range.lowerBound
            while index < range.upperBound {
                if let idEncoder {
                    index = texts.withUnsafeBufferPointer {
                        idEncoder.encode($0, range: index..<range.upperBound, prefix: prefix, suffix: suffix,
                                         workspace: &state.idWorkspace, bpe: &state.workspace, ends: &part.offsets)
                    }
                    if index == range.upperBound { break }
                }
                if usesDropout { state.workspace.random = SplitMix64(seed: seed &+ UInt64(index)) }
                output.append(contentsOf: prefix)
                try appendIDs(of: texts[index], state: &state)
                output.append(contentsOf: suffix)
                part.offsets.append(output.count)
                index += 1
            }
            part.ids = Array(output.ids())
            return part
        }
        guard chunks.count != 1 else { return chunks[0] }
        var flat = FlatIDs()
        flat.ids.reserveCapacity(chunks.reduce(0) { $0 + $1.ids.count })
        flat.offsets.reserveCapacity(texts.count + 1)
        for part in chunks { flat.append(contentsOf: part) }
        return flat
    }

    /// Texts per unit of work of ``encodeBatchFlat(_:addSpecialTokens:seed:workers:)``.
    static let flatChunk = 256

    /// The ids the post-processor puts before and after a single sequence, found by processing a
    /// one-token sequence; nil when the sequence does not come out once and whole.
    private func specialTokenFrame(addSpecialTokens: Bool) -> (prefix: [TokenID], suffix: [TokenID])? {
        guard let postProcessor else { return ([], []) }
        let marker = TokenID.max
        var probe = Encoding()
        probe.ids = [marker]
        probe.tokens = [""]
        probe.offsets = [0..<1]
        probe.typeIDs = [0]
        probe.specialTokensMask = [0]
        probe.attentionMask = [1]
        probe.sequenceIDs = [0]
        let ids = postProcessor.process(probe, pair: nil, addSpecialTokens: addSpecialTokens).ids
        guard ids.count(where: { $0 == marker }) == 1, let index = ids.firstIndex(of: marker) else { return nil }
        return (Array(ids[..<index]), Array(ids[(index + 1)...]))
    }

    /// The text of `ids`, through the decoder; with `skipSpecialTokens`, special added tokens are left out.
    public func decode(_ ids: [TokenID], skipSpecialTokens: Bool = false) -> String {
        let tokens = ids.compactMap { id -> String? in
            if let added = addedVocabulary.tokens[id] {
                return skipSpecialTokens && added.special ? nil : added.content
            }
            return model.vocabulary.string(for: id)
        }
        guard let decoder else { return tokens.joined(separator: " ") }
        return decoder.decode(tokens)
    }
}
