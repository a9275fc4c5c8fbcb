import Foundation
import Support
import TextProcessing

/// The tokenizer of a GGUF file as the equivalent `tokenizer.json`, for the tokenizer kinds
/// llama.cpp runs: byte-level BPE (`gpt2`, with the pre-tokenizers of ``GGUFPreTokenizer``),
/// SentencePiece-style BPE with byte fallback (`llama`), WordPiece (`bert`) and SentencePiece
/// Unigram (`t5`, read as the SentencePiece model it came from). The result is what Hugging Face
/// `transformers` converts the original tokenizer into.
public enum GGUFTokenizer {
    /// The supported `tokenizer.ggml.model` values.
    public static let supportedModels = ["gpt2", "llama", "gemma4", "bert", "t5"]

    /// Whether `key` is one of the tokenizer's (`tokenizer.…`): the only entries conversion reads.
    public static func isTokenizerKey(_ key: String) -> Bool { key.utf8.starts(with: "tokenizer.".utf8) }

    /// The special token of each role the file names by id (`tokenizer.ggml.bos_token_id`, …),
    /// as tokens of the converted vocabulary.
    public static func specialTokens(_ metadata: GGUFMetadata) throws -> [SpecialTokens.Role: String] {
        guard let tokens = try metadata.strings("tokenizer.ggml.tokens") else { return [:] }
        let isWordPiece = try metadata.string("tokenizer.ggml.model") == "bert"
        let keys: [(SpecialTokens.Role, String)] = [
            (.bos, "bos"), (.eos, "eos"), (.unk, "unknown"), (.pad, "padding"), (.cls, "cls"), (.sep, "seperator"), (.mask, "mask"),
        ]
        var roles: [SpecialTokens.Role: String] = [:]
        for (role, key) in keys {
            guard let id = try metadata.integer("tokenizer.ggml.\(key)_token_id"), tokens.indices.contains(id) else { continue }
            roles[role] = isWordPiece ? wordPieceToken(tokens[id]) : tokens[id]
        }
        return roles
    }

    /// A token of llama.cpp's phantom-space WordPiece vocabulary as the original wrote it.
    static func wordPieceToken(_ token: String) -> String {
        let bytes = token.utf8
        if bytes.starts(with: "▁".utf8) { return String(token.unicodeScalars.dropFirst()) }
        if bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") { return token }
        return "##" + token
    }

    /// GGUF token types (`tokenizer.ggml.token_type`).
    enum TokenType: Int {
        case normal = 1, unknown, control, userDefined, unused, byte
    }

    /// The `tokenizer.json` document of the tokenizer in `metadata`. Errors name the file and key.
    public static func document(_ metadata: GGUFMetadata) throws -> JSONValue {
        let path = metadata.path
        func fail(_ message: String) -> ConfigurationError { ConfigurationError(path: path, message: message) }
        guard let kind = try metadata.string("tokenizer.ggml.model") else { throw fail("tokenizer.ggml.model: missing (the file holds no tokenizer)") }
        guard let tokens = try metadata.strings("tokenizer.ggml.tokens") else { throw fail("tokenizer.ggml.tokens: missing") }
        let types = try metadata.integers("tokenizer.ggml.token_type")?.map { TokenType(rawValue: $0) } ?? Array(repeating: .normal, count: tokens.count)
        guard types.count == tokens.count else {
            throw fail("tokenizer.ggml.token_type: \(types.count) types for \(tokens.count) tokens")
        }
        if let bad = types.firstIndex(of: nil) { throw fail("tokenizer.ggml.token_type[\(bad)]: unknown token type") }
        var gguf = Source(metadata: metadata, tokens: tokens, types: types.map { $0! })
        switch kind {
        case "gpt2": return try gguf.byteLevelBPE()
        case "llama": return try gguf.sentencePieceBPE()
        case "gemma4": return try gguf.sentencePieceBPE(merges: gguf.merges())
        case "bert": return try gguf.wordPiece()
        case "t5":
            guard case .object(var members) = try sentencePieceModel(metadata)!.document() else { throw fail("t5: no document") }
            members.set("post_processor", try gguf.template(addBOSByDefault: false) ?? .null)
            return .object(members)
        default:
            throw fail("tokenizer.ggml.model: \(kind.debugDescription) is not supported (supported: \(supportedModels.joined(separator: ", ")))")
        }
    }

    /// The tokenizer of a `t5` file, encoding exactly as `sentencepiece` with the model it came
    /// from, with the tokens its `add_bos_token`/`add_eos_token` flags put around each text; nil for
    /// another kind.
    public static func sentencePieceTokenizer(_ metadata: GGUFMetadata) throws -> Tokenizer? {
        guard let model = try sentencePieceModel(metadata) else { return nil }
        let source = Source(metadata: metadata, tokens: model.pieces.map(\.piece), types: [])
        return try model.tokenizer(postProcessor: try source.template(addBOSByDefault: false))
    }

    /// The SentencePiece model of a `t5` file (a Unigram model such as T5's or XLM-R's, which
    /// llama.cpp runs as `sentencepiece` does), or nil for another kind. Errors name the file and key.
    public static func sentencePieceModel(_ metadata: GGUFMetadata) throws -> SentencePieceModelFile? {
        guard try metadata.string("tokenizer.ggml.model") == "t5" else { return nil }
        func fail(_ message: String) -> ConfigurationError { ConfigurationError(path: metadata.path, message: message) }
        guard let tokens = try metadata.strings("tokenizer.ggml.tokens") else { throw fail("tokenizer.ggml.tokens: missing") }
        guard let scores = try metadata.numbers("tokenizer.ggml.scores"), scores.count == tokens.count else {
            throw fail("tokenizer.ggml.scores: missing or not one per token")
        }
        let types = try metadata.integers("tokenizer.ggml.token_type") ?? Array(repeating: 1, count: tokens.count)
        guard types.count == tokens.count else { throw fail("tokenizer.ggml.token_type: \(types.count) types for \(tokens.count) tokens") }
        var proto = Sentencepiece_ModelProto()
        for (index, token) in tokens.enumerated() {
            guard let type = Sentencepiece_ModelProto.SentencePiece.TypeEnum(rawValue: types[index]) else {
                throw fail("tokenizer.ggml.token_type[\(index)]: unknown token type \(types[index])")
            }
            var piece = Sentencepiece_ModelProto.SentencePiece()
            piece.piece = token
            piece.score = Float(scores[index])
            piece.type = type
            proto.pieces.append(piece)
        }
        proto.trainerSpec.modelType = .unigram
        proto.trainerSpec.byteFallback = types.contains(TokenType.byte.rawValue)
        proto.trainerSpec.treatWhitespaceAsSuffix = try metadata.bool("tokenizer.ggml.treat_whitespace_as_suffix") ?? false
        for (key, set) in [("unknown", { (p: inout Sentencepiece_TrainerSpec, id: Int32) in p.unkID = id }), ("bos", { $0.bosID = $1 }),
                           ("eos", { $0.eosID = $1 }), ("padding", { $0.padID = $1 })] {
            set(&proto.trainerSpec, Int32(try metadata.integer("tokenizer.ggml.\(key)_token_id").flatMap { tokens.indices.contains($0) ? $0 : nil } ?? -1))
        }
        let charsmap = try metadata.integers("tokenizer.ggml.precompiled_charsmap") ?? []
        if let bad = charsmap.firstIndex(where: { !(0...255).contains($0) }) {
            throw fail("tokenizer.ggml.precompiled_charsmap[\(bad)]: \(charsmap[bad]) is not a byte")
        }
        proto.normalizerSpec.precompiledCharsmap = Data(charsmap.map { UInt8($0) })
        proto.normalizerSpec.name = charsmap.isEmpty ? "identity" : "precompiled"
        proto.normalizerSpec.addDummyPrefix = try metadata.bool("tokenizer.ggml.add_space_prefix") ?? true
        proto.normalizerSpec.removeExtraWhitespaces = try metadata.bool("tokenizer.ggml.remove_extra_whitespaces") ?? true
        proto.normalizerSpec.escapeWhitespaces = try metadata.bool("tokenizer.ggml.escape_whitespaces") ?? true
        return try SentencePieceModelFile(proto: proto, path: metadata.path)
    }

    /// The tokenizer of one file, with the pieces every kind shares.
    struct Source {
        let metadata: GGUFMetadata
        let tokens: [String]
        let types: [TokenType]

        func fail(_ message: String) -> ConfigurationError { ConfigurationError(path: metadata.path, message: message) }

        /// The token at the id stored under `key`, checked against the vocabulary.
        func token(_ key: String) throws -> (token: String, id: TokenID)? {
            guard let id = try metadata.integer("tokenizer.ggml.\(key)") else { return nil }
            guard tokens.indices.contains(id) else { throw fail("tokenizer.ggml.\(key): id \(id) is outside the \(tokens.count) tokens") }
            return (tokens[id], TokenID(id))
        }

        /// Control, unknown and user-defined tokens as `added_tokens` (control and unknown ones special).
        func addedTokens() -> [JSONValue] {
            types.indices.compactMap { id in
                let type = types[id]
                guard type == .control || type == .unknown || type == .userDefined else { return nil }
                return AddedToken(tokens[id], normalized: false, special: type != .userDefined).json(id: TokenID(id))
            }
        }

        /// A template adding the beginning and end tokens the file asks for, or nil.
        func template(addBOSByDefault: Bool) throws -> JSONValue? {
            let begin = try metadata.bool("tokenizer.ggml.add_bos_token") ?? addBOSByDefault ? try token("bos_token_id") : nil
            let end = try metadata.bool("tokenizer.ggml.add_eos_token") ?? false ? try token("eos_token_id") : nil
            guard begin != nil || end != nil else { return nil }
            return TemplateProcessing.surrounding(begin: begin, end: end).json
        }

        func vocabulary(_ entries: [String]) -> JSONValue {
            var seen = Set<[UInt8]>()
            var members: [JSONMember] = []
            members.reserveCapacity(entries.count)
            for (id, token) in entries.enumerated() where seen.insert(Array(token.utf8)).inserted {
                members.append(JSONMember(token, .number(Double(id))))
            }
            return .object(members)
        }

        func document(normalizer: JSONValue = .null, preTokenizer: JSONValue = .null, postProcessor: JSONValue?,
                      decoder: JSONValue, model: JSONValue) -> JSONValue {
            .object([
                JSONMember("version", .string("1.0")), JSONMember("truncation", .null), JSONMember("padding", .null),
                JSONMember("added_tokens", .array(addedTokens())), JSONMember("normalizer", normalizer),
                JSONMember("pre_tokenizer", preTokenizer), JSONMember("post_processor", postProcessor ?? .null),
                JSONMember("decoder", decoder), JSONMember("model", model),
            ])
        }

        /// The file's merges (`tokenizer.ggml.merges`), each two tokens whose concatenation is a token.
        func merges() throws -> [JSONValue] {
            guard let merges = try metadata.strings("tokenizer.ggml.merges") else { throw fail("tokenizer.ggml.merges: missing") }
            let known = Set(tokens.map { Array($0.utf8) })
            return try merges.enumerated().map { position, merge -> JSONValue in
                // As llama.cpp reads them: split at the first space after the first byte.
                let bytes = Array(merge.utf8)
                let space = bytes.dropFirst().firstIndex(of: 0x20)
                let parts = space.map { [bytes[..<$0], bytes[($0 + 1)...]] } ?? []
                guard parts.count == 2, known.contains(Array(parts[0])), known.contains(Array(parts[1])),
                      known.contains(Array(parts[0]) + Array(parts[1])) else {
                    throw fail("tokenizer.ggml.merges[\(position)]: \(merge.debugDescription) is not two tokens whose concatenation is a token")
                }
                return .array([.string(String(decoding: parts[0], as: UTF8.self)), .string(String(decoding: parts[1], as: UTF8.self))])
            }
        }

        /// `gpt2`: byte-level BPE with the merges of the file.
        func byteLevelBPE() throws -> JSONValue {
            guard let name = try metadata.string("tokenizer.ggml.pre"), name != "default" else {
                throw fail("tokenizer.ggml.pre: missing or \"default\", so the pre-tokenizer of the original is unknown (llama.cpp guesses one); supported: \(GGUFPreTokenizer.supportedNames.joined(separator: ", "))")
            }
            guard let family = GGUFPreTokenizer.family(named: name) else {
                throw fail("tokenizer.ggml.pre: \(name.debugDescription) is not supported (supported: \(GGUFPreTokenizer.supportedNames.joined(separator: ", ")))")
            }
            let pairs = try merges()
            let byteLevel = JSONValue.object([
                JSONMember("type", .string("ByteLevel")), JSONMember("add_prefix_space", .bool(true)),
                JSONMember("trim_offsets", .bool(family.trimsOffsets)), JSONMember("use_regex", .bool(true)),
            ])
            let postProcessor = try template(addBOSByDefault: family.addsBOSByDefault).map {
                JSONValue.object([JSONMember("type", .string("Sequence")), JSONMember("processors", .array([byteLevel, $0]))])
            } ?? byteLevel
            let model = JSONValue.object([
                JSONMember("type", .string("BPE")), JSONMember("dropout", .null), JSONMember("unk_token", .null),
                JSONMember("continuing_subword_prefix", .null), JSONMember("end_of_word_suffix", .null),
                JSONMember("fuse_unk", .bool(false)), JSONMember("byte_fallback", .bool(false)),
                JSONMember("ignore_merges", .bool(family.ignoreMerges)), JSONMember("vocab", vocabulary(tokens)), JSONMember("merges", .array(pairs)),
            ])
            let decoder = JSONValue.object([
                JSONMember("type", .string("ByteLevel")), JSONMember("add_prefix_space", .bool(true)),
                JSONMember("trim_offsets", .bool(true)), JSONMember("use_regex", .bool(true)),
            ])
            return document(normalizer: family.normalizer, preTokenizer: family.preTokenizer, postProcessor: postProcessor, decoder: decoder, model: model)
        }

        /// `llama`: SentencePiece BPE as the original Llama `tokenizer.json` has it: merges from the
        /// scores as `transformers` derives them (every split of a piece into two pieces, ordered by
        /// the piece's score, then the longer left and right parts first), byte fallback, `▁` for
        /// spaces and one prepended to the text unless `add_space_prefix` is false. `gemma4`: the
        /// same with the file's own `merges`.
        func sentencePieceBPE(merges explicit: [JSONValue]? = nil) throws -> JSONValue {
            let pairs: [JSONValue]
            if let explicit {
                pairs = explicit
            } else {
                guard let scores = try metadata.numbers("tokenizer.ggml.scores") else { throw fail("tokenizer.ggml.scores: missing") }
                guard scores.count == tokens.count else { throw fail("tokenizer.ggml.scores: \(scores.count) scores for \(tokens.count) tokens") }
                pairs = SentencePieceMerges.merges(tokens: tokens, scores: scores).map {
                    JSONValue.array([.string(tokens[$0.left]), .string(tokens[$0.right])])
                }
            }
            guard let unknown = try token("unknown_token_id")?.token ?? tokens.indices.first(where: { types[$0] == .unknown }).map({ tokens[$0] }) else {
                throw fail("tokenizer.ggml.unknown_token_id: missing, and no token has the unknown type")
            }
            let prefixSpace = try metadata.bool("tokenizer.ggml.add_space_prefix") ?? true
            let replace = JSONValue.object([
                JSONMember("type", .string("Replace")), JSONMember("pattern", .object([JSONMember("String", .string(" "))])), JSONMember("content", .string("▁")),
            ])
            let normalizer = prefixSpace
                ? JSONValue.object([JSONMember("type", .string("Sequence")), JSONMember("normalizers", .array([
                    .object([JSONMember("type", .string("Prepend")), JSONMember("prepend", .string("▁"))]), replace,
                ]))])
                : replace
            var decoders: [JSONValue] = [
                .object([JSONMember("type", .string("Replace")), JSONMember("pattern", .object([JSONMember("String", .string("▁"))])), JSONMember("content", .string(" "))]),
                .object([JSONMember("type", .string("ByteFallback"))]), .object([JSONMember("type", .string("Fuse"))]),
            ]
            if prefixSpace {
                decoders.append(.object([JSONMember("type", .string("Strip")), JSONMember("content", .string(" ")), JSONMember("start", .number(1)), JSONMember("stop", .number(0))]))
            }
            let model = JSONValue.object([
                JSONMember("type", .string("BPE")), JSONMember("dropout", .null), JSONMember("unk_token", .string(unknown)),
                JSONMember("continuing_subword_prefix", .null), JSONMember("end_of_word_suffix", .null),
                JSONMember("fuse_unk", .bool(true)), JSONMember("byte_fallback", .bool(true)), JSONMember("ignore_merges", .bool(false)),
                JSONMember("vocab", vocabulary(tokens)), JSONMember("merges", .array(pairs)),
            ])
            return document(normalizer: normalizer, postProcessor: try template(addBOSByDefault: true),
                            decoder: .object([JSONMember("type", .string("Sequence")), JSONMember("decoders", .array(decoders))]), model: model)
        }

        /// `bert`: WordPiece, its vocabulary turned back from llama.cpp's phantom-space form
        /// (`▁word` starts a word, `word` continues one, `[…]` is special) into `word` and `##word`.
        mutating func wordPiece() throws -> JSONValue {
            let original = tokens.map(GGUFTokenizer.wordPieceToken)
            self = Source(metadata: metadata, tokens: original, types: types)
            let unknown = try token("unknown_token_id")?.token ?? "[UNK]"
            let begin = try token("cls_token_id") ?? token("bos_token_id")
            let end = try token("seperator_token_id") ?? token("eos_token_id")
            let postProcessor = begin != nil || end != nil ? TemplateProcessing.surrounding(begin: begin, end: end, beginsPair: false).json : nil
            let model = JSONValue.object([
                JSONMember("type", .string("WordPiece")), JSONMember("unk_token", .string(unknown)),
                JSONMember("continuing_subword_prefix", .string("##")), JSONMember("max_input_chars_per_word", .number(100)),
                JSONMember("vocab", vocabulary(original)),
            ])
            let normalizer = JSONValue.object([
                JSONMember("type", .string("BertNormalizer")), JSONMember("clean_text", .bool(true)),
                JSONMember("handle_chinese_chars", .bool(true)), JSONMember("strip_accents", .null), JSONMember("lowercase", .bool(true)),
            ])
            let decoder = JSONValue.object([JSONMember("type", .string("WordPiece")), JSONMember("prefix", .string("##")), JSONMember("cleanup", .bool(true))])
            return document(normalizer: normalizer, preTokenizer: .object([JSONMember("type", .string("BertPreTokenizer"))]),
                            postProcessor: postProcessor, decoder: decoder, model: model)
        }
    }
}
