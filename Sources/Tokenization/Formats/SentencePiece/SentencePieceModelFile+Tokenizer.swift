import Foundation
import Support
import TextProcessing

extension SentencePieceModelFile {
    /// The tokenizer of this model, encoding exactly as `sentencepiece` does: its own normalizer,
    /// user-defined pieces matched whole, control pieces never matched in text, and for BPE the
    /// pair that forms the best-scored piece merged first. Its ``Tokenizer/json`` is
    /// ``document()`` without the control pieces among the added tokens. `postProcessor` (a
    /// `tokenizer.json` post-processor) adds tokens around each text; a model file names none.
    public func tokenizer(postProcessor: JSONValue? = nil) throws -> Tokenizer {
        var document = try document()
        if let postProcessor, case .object(var members) = document {
            members.set("post_processor", postProcessor)
            document = .object(members)
        }
        let root = JSONNode(document, path: "\(path):")
        let pieces = self.pieces
        let model: any TokenizerModel
        switch kind {
        case .bpe:
            model = try Tokenizer.bpeModel(try root.member("model"), addedTokenCount: 0)
        case .unigram:
            let normalScores = pieces.filter { $0.type == .normal }.map(\.score)
            model = try UnigramModel(
                pieces: pieces.map { ($0.piece, Double($0.score)) }, unknownID: pieces.firstIndex { $0.type == .unknown },
                byteFallback: byteFallback, matchable: pieces.map { $0.type == .normal || $0.type == .userDefined },
                unknownScore: Double((normalScores.min() ?? .greatestFiniteMagnitude) - 10), singlePrecision: true)
        }
        let userDefined = pieces.filter { $0.type == .userDefined }.map { AddedToken($0.piece, normalized: true) }
        return try Tokenizer(model: model, addedTokens: userDefined, pipeline: TextPipeline(normalizer: normalizer, preTokenizer: nil),
                             postProcessor: try root.optionalMember("post_processor").map(ComponentDecoding.postProcessor),
                             decoder: try root.optionalMember("decoder").map(ComponentDecoding.decoder),
                             document: document)
    }

    /// What the `tokenizer.json` twin of this model (``document()``) cannot reproduce; empty when
    /// `tokenizers` encodes every text as `sentencepiece` does, apart from the control pieces,
    /// which `tokenizers` matches in text as special tokens (as `transformers` converts them).
    public var lossInTokenizerJSON: [String] {
        var losses: [String] = []
        if !proto.normalizerSpec.precompiledCharsmap.isEmpty {
            losses.append("the normalization rules (precompiled_charsmap \(proto.normalizerSpec.name.debugDescription)): tokenizers applies them grapheme by grapheme with the shortest rule, sentencepiece with the longest rule at each byte")
        }
        if pieces.contains(where: { $0.type == .userDefined }) {
            losses.append("the user-defined pieces: tokenizers cuts the text at them before normalizing, so the text after one gets the dummy-prefix ▁ that sentencepiece does not add")
        }
        if proto.trainerSpec.treatWhitespaceAsSuffix {
            losses.append("treat_whitespace_as_suffix: tokenizers has no normalizer that appends ▁ after the text")
        }
        if kind == .unigram {
            losses.append("the Unigram segmentation: tokenizers sums piece scores in double precision, sentencepiece in single, so ties such as \"999\" as 9|99 or 99|9 can fall the other way")
        }
        if kind == .unigram, pieces.contains(where: { $0.type == .unused }) {
            losses.append("the unused pieces: tokenizers' Unigram matches them in text")
        }
        return losses
    }

    /// The `tokenizer.json` document of this model, as `transformers` converts a SentencePiece
    /// model but closer to `sentencepiece`: the normalizer spec as `Precompiled`, `Replace` and
    /// `Prepend` steps; BPE merges derived from the scores (only normal pieces are formed by a
    /// merge); control and unknown pieces as special added tokens, user-defined ones as plain
    /// added tokens; the ▁-to-space decoder with byte fallback. No post-processor: a model file
    /// does not say which tokens to add around a text. ``lossInTokenizerJSON`` says what differs.
    public func document() throws -> JSONValue {
        let pieces = self.pieces
        let tokens = pieces.map(\.piece)
        func object(_ members: (String, JSONValue)...) -> JSONValue { .object(members.map { JSONMember($0.0, $0.1) }) }
        func replace(regex: String? = nil, string: String? = nil, _ content: String) -> JSONValue {
            object(("type", .string("Replace")), ("pattern", regex.map { object(("Regex", .string($0))) } ?? object(("String", .string(string!)))),
                   ("content", .string(content)))
        }
        let spec = proto.normalizerSpec
        var normalizers: [JSONValue] = []
        if !spec.precompiledCharsmap.isEmpty {
            normalizers.append(object(("type", .string("Precompiled")), ("precompiled_charsmap", .string(spec.precompiledCharsmap.base64EncodedString()))))
        }
        if spec.removeExtraWhitespaces {
            normalizers.append(replace(regex: " {2,}", " "))
            normalizers.append(replace(regex: "\\A +", ""))
            normalizers.append(replace(regex: spec.escapeWhitespaces ? "[ ▁]+\\z" : " +\\z", ""))
        }
        if spec.addDummyPrefix, !proto.trainerSpec.treatWhitespaceAsSuffix {
            normalizers.append(object(("type", .string("Prepend")), ("prepend", .string(spec.escapeWhitespaces ? "▁" : " "))))
        }
        if spec.escapeWhitespaces { normalizers.append(replace(string: " ", "▁")) }
        let normalizer: JSONValue = normalizers.isEmpty ? .null
            : normalizers.count == 1 ? normalizers[0] : object(("type", .string("Sequence")), ("normalizers", .array(normalizers)))

        var decoders: [JSONValue] = []
        if spec.escapeWhitespaces { decoders.append(replace(string: "▁", " ")) }
        if byteFallback { decoders.append(object(("type", .string("ByteFallback")))) }
        decoders.append(object(("type", .string("Fuse"))))
        if spec.addDummyPrefix, !proto.trainerSpec.treatWhitespaceAsSuffix {
            decoders.append(object(("type", .string("Strip")), ("content", .string(" ")), ("start", .number(1)), ("stop", .number(0))))
        }
        let unknown = pieces.firstIndex { $0.type == .unknown }!
        let model: JSONValue
        switch kind {
        case .bpe:
            var seen = Set<[UInt8]>()
            var vocab: [JSONMember] = []
            for (id, token) in tokens.enumerated() where seen.insert(Array(token.utf8)).inserted { vocab.append(JSONMember(token, .number(Double(id)))) }
            let merges = SentencePieceMerges.merges(tokens: tokens, scores: pieces.map { Double($0.score) }) { pieces[$0].type == .normal }
            model = object(
                ("type", .string("BPE")), ("dropout", .null), ("unk_token", .string(tokens[unknown])),
                ("continuing_subword_prefix", .null), ("end_of_word_suffix", .null), ("fuse_unk", .bool(true)),
                ("byte_fallback", .bool(byteFallback)), ("ignore_merges", .bool(false)), ("vocab", .object(vocab)),
                ("merges", .array(merges.map { .array([.string(tokens[$0.left]), .string(tokens[$0.right])]) })))
        case .unigram:
            model = object(
                ("type", .string("Unigram")), ("unk_id", .number(Double(unknown))),
                ("vocab", .array(pieces.map { .array([.string($0.piece), .number(Double($0.score))]) })), ("byte_fallback", .bool(byteFallback)))
        }
        let added = pieces.indices.compactMap { id -> JSONValue? in
            switch pieces[id].type {
            case .control, .unknown: return AddedToken(tokens[id], normalized: false, special: true).json(id: TokenID(id))
            case .userDefined: return AddedToken(tokens[id], normalized: false, special: false).json(id: TokenID(id))
            default: return nil
            }
        }
        return object(
            ("version", .string("1.0")), ("truncation", .null), ("padding", .null), ("added_tokens", .array(added)),
            ("normalizer", normalizer), ("pre_tokenizer", .null), ("post_processor", .null),
            ("decoder", object(("type", .string("Sequence")), ("decoders", .array(decoders)))), ("model", model))
    }
}
