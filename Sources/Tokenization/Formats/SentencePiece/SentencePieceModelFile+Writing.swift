import Foundation
import Support
import TextProcessing

extension SentencePieceModelFile {
    /// The special token of each role the model names (`trainer_spec`'s `unk_id`, `bos_id`,
    /// `eos_id` and `pad_id`, when they are pieces).
    public var specialTokens: [SpecialTokens.Role: String] {
        let spec = proto.trainerSpec
        var roles: [SpecialTokens.Role: String] = [:]
        for (role, id) in [(SpecialTokens.Role.unk, spec.unkID), (.bos, spec.bosID), (.eos, spec.eosID), (.pad, spec.padID)]
        where proto.pieces.indices.contains(Int(id)) {
            roles[role] = proto.pieces[Int(id)].piece
        }
        return roles
    }

    /// The SentencePiece model of `tokenizer`, a BPE or Unigram model whose ids run from 0 without
    /// holes. Pieces: the unknown token and the special added tokens become unknown and control
    /// pieces, other added tokens user-defined pieces, `<0xNN>` tokens of byte fallback byte pieces.
    /// BPE scores rank each piece by the first merge that forms it, so that the merges SentencePiece
    /// derives from them are the tokenizer's when it lists them that way. The normalizer spec is read
    /// from the normalizer steps ``document()`` writes (`Precompiled`, the extra-whitespace
    /// `Replace`s, `Prepend`, the `▁` `Replace`). ``loss(against:)`` says what does not read back.
    /// Errors name `source`.
    public init(_ tokenizer: Tokenizer, source: String) throws {
        func fail(_ message: String) -> ConfigurationError { ConfigurationError(path: source, message: message) }
        let vocabulary = tokenizer.model.vocabulary
        let count = tokenizer.vocabularySize
        var tokens: [String] = []
        tokens.reserveCapacity(count)
        for id in 0..<count {
            guard let token = tokenizer.token(for: TokenID(id)) else { throw fail("id \(id) has no token; a SentencePiece model numbers its pieces without holes") }
            tokens.append(token)
        }
        var proto = Sentencepiece_ModelProto()
        var trainer = Sentencepiece_TrainerSpec()
        var scores = [Float](repeating: 0, count: count)
        let unknownToken: String?
        let byteFallback: Bool
        switch tokenizer.model {
        case let model as UnigramModel:
            trainer.modelType = .unigram
            for id in model.scores.indices { scores[id] = Float(model.scores[id]) }
            unknownToken = model.unknownToken
            byteFallback = model.byteFallback
        case let model as BPEModel:
            trainer.modelType = .bpe
            guard model.continuingSubwordPrefix == nil, model.endOfWordSuffix == nil else {
                throw fail("a BPE model with a continuing-subword prefix or end-of-word suffix has no SentencePiece form")
            }
            scores = try Self.scores(merges: model.merges, vocabulary: vocabulary, count: count, source: source)
            unknownToken = model.unknownToken
            byteFallback = model.byteFallback
        default:
            throw fail("a \(VocabularyListing(tokenizer).modelType) model has no SentencePiece form (SentencePiece models are BPE or Unigram)")
        }
        let added = tokenizer.addedVocabulary
        for (id, token) in tokens.enumerated() {
            var piece = Sentencepiece_ModelProto.SentencePiece()
            piece.piece = token
            piece.score = scores[id]
            if token == unknownToken {
                piece.type = .unknown
            } else if let addedToken = added.tokens[TokenID(id)] {
                piece.type = addedToken.special ? .control : .userDefined
            } else if byteFallback, ByteFallbackDecoder.byte(of: token) != nil {
                piece.type = .byte
            } else {
                piece.type = .normal
            }
            proto.pieces.append(piece)
        }
        guard let unknownID = proto.pieces.firstIndex(where: { $0.type == .unknown }) else {
            throw fail("the model has no unknown token; a SentencePiece model needs one")
        }
        trainer.vocabSize = Int32(count)
        trainer.byteFallback = byteFallback
        trainer.unkID = Int32(unknownID)
        trainer.unkPiece = tokens[unknownID]
        for (role, name) in [(SpecialTokens.Role.bos, "<s>"), (.eos, "</s>"), (.pad, "<pad>")] {
            let id = proto.pieces.firstIndex { $0.type == .control && $0.piece == name }.map(Int32.init) ?? -1
            switch role {
            case .bos: trainer.bosID = id; trainer.bosPiece = name
            case .eos: trainer.eosID = id; trainer.eosPiece = name
            default: trainer.padID = id; trainer.padPiece = name
            }
        }
        proto.trainerSpec = trainer
        proto.normalizerSpec = Self.normalizerSpec(tokenizer.document)
        try self.init(proto: proto, path: source)
    }

    /// Scores from which ``SentencePieceMerges`` derives `merges` again, when any do: pieces in the
    /// order of their first merge, each scored below the one before, except that pieces whose
    /// merges interleave share a score (the derivation then orders their merges by the lengths of
    /// the parts); a piece no merge forms scores below them all.
    static func scores(merges: [(TokenID, TokenID)], vocabulary: Vocabulary, count: Int, source: String) throws -> [Float] {
        var span = [Range<Int>?](repeating: nil, count: count)
        var order: [Int] = []
        for (index, (left, right)) in merges.enumerated() {
            guard let formed = vocabulary.id(for: vocabulary.token(for: left)! + vocabulary.token(for: right)!), Int(formed) < count else {
                throw ConfigurationError(path: source, message: "merges[\(index)] forms a token outside the vocabulary")
            }
            let piece = Int(formed)
            if let known = span[piece] { span[piece] = known.lowerBound..<(index + 1) } else { span[piece] = index..<(index + 1); order.append(piece) }
        }
        var scores = [Float?](repeating: nil, count: count)
        var level = 0
        var groupEnd = -1
        for piece in order {
            let merged = span[piece]!
            if merged.lowerBound >= groupEnd, groupEnd >= 0 { level += 1 }
            groupEnd = max(groupEnd, merged.upperBound)
            scores[piece] = -Float(level)
        }
        return scores.indices.map { scores[$0] ?? -Float(level + 1 + $0) }
    }

    /// The normalizer spec the steps of `document`'s normalizer spell, as ``document()`` writes
    /// them; other steps are left out (``loss(against:)`` reports them).
    static func normalizerSpec(_ document: JSONValue) -> Sentencepiece_NormalizerSpec {
        var spec = Sentencepiece_NormalizerSpec()
        spec.addDummyPrefix = false
        spec.removeExtraWhitespaces = false
        spec.escapeWhitespaces = false
        var steps: [JSONValue] = []
        if let normalizer = document["normalizer"] {
            if case .string("Sequence")? = normalizer["type"], case .array(let list)? = normalizer["normalizers"] { steps = list } else { steps = [normalizer] }
        }
        for step in steps {
            switch (step["type"], step["pattern"]?["Regex"] ?? step["pattern"]?["String"], step["content"]) {
            case (.string("Precompiled")?, _, _):
                if case .string(let base64)? = step["precompiled_charsmap"], let data = Data(base64Encoded: base64) {
                    spec.precompiledCharsmap = data
                }
            case (.string("Prepend")?, _, _): spec.addDummyPrefix = true
            case (.string("Replace")?, .string(" ")?, .string("▁")?): spec.escapeWhitespaces = true
            case (.string("Replace")?, .string(" {2,}")?, .string(" ")?): spec.removeExtraWhitespaces = true
            default: break
            }
        }
        spec.name = spec.precompiledCharsmap.isEmpty ? "identity" : "precompiled"
        return spec
    }

    /// The parts of `tokenizer` this model does not read back: the members of its `tokenizer.json`
    /// that differ from this model's ``document()``. BPE merges that form the same piece one after
    /// another may come back in another order: sentencepiece tries the splits of a piece leftmost
    /// first, whatever their order.
    public func loss(against tokenizer: Tokenizer) throws -> [String] {
        let twinTokenizer = try Tokenizer(json: document(), source: path)
        let twin = twinTokenizer.json
        let original = tokenizer.json
        var lost: [String] = []
        for key in ["added_tokens", "normalizer", "pre_tokenizer", "post_processor", "decoder"] where twin[key] != original[key] {
            lost.append(key)
        }
        if case .object(let twinModel)? = twin["model"], case .object(let originalModel)? = original["model"] {
            for member in originalModel where member.key != "merges" && twinModel.first(where: { $0.key == member.key })?.value != member.value {
                lost.append("model.\(member.key)")
            }
        }
        if let bpe = tokenizer.bpe, Self.pieceOrder(bpe) != twinTokenizer.bpe.map(Self.pieceOrder) { lost.append("model.merges") }
        return lost
    }

    /// A BPE model's merges as (formed piece, left, right) ids, the merges of each run forming
    /// one piece sorted.
    static func pieceOrder(_ model: BPEModel) -> [[TokenID]] {
        let vocabulary = model.vocabulary
        var result: [[TokenID]] = []
        var run: [[TokenID]] = []
        for (left, right) in model.merges {
            let formed = vocabulary.id(for: vocabulary.token(for: left)! + vocabulary.token(for: right)!) ?? TokenID.max
            if let last = run.last, last[0] != formed {
                result.append(contentsOf: run.sorted { $0.lexicographicallyPrecedes($1) })
                run.removeAll()
            }
            run.append([formed, left, right])
        }
        return result + run.sorted { $0.lexicographicallyPrecedes($1) }
    }
}
