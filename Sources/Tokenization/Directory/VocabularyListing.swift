import Foundation
import Support

/// The token strings and ids of any `tokenizer.json` (BPE, WordPiece, Unigram, WordLevel model
/// entries and the added tokens), read without building its model: what a model directory's
/// other files are checked and written against.
public struct VocabularyListing: Sendable {
    /// The tokens by id.
    private var tokens: [TokenID: String]
    /// The ids by token string (compared by bytes; the added token wins over a model entry).
    private var ids: [[UInt8]: TokenID]
    /// The added tokens, by id.
    public private(set) var addedTokens: [(id: TokenID, token: AddedToken)]
    /// The model type (`BPE`, `WordPiece`, `Unigram`, `WordLevel`).
    public let modelType: String
    /// The token the model emits for unknown text, if any (`model.unk_token`).
    public let unknownToken: String?
    /// How a BPE model's merges are written (Polytoken's tokenizers write pairs), nil for other models or no merges.
    public let mergesFormat: MergesFormat?

    /// One more than the largest id.
    public private(set) var count: Int

    /// The token of `id`, if any.
    public func token(for id: TokenID) -> String? { tokens[id] }

    /// The id of `token`, if any.
    public func id(for token: String) -> TokenID? { ids[Array(token.utf8)] }

    /// The vocabulary of `tokenizer`.
    public init(_ tokenizer: Tokenizer) {
        var entries = tokenizer.model.vocabulary.entries.map { (id: $0.id, token: String(decoding: $0.token, as: UTF8.self)) }
        let added = tokenizer.addedVocabulary.tokens.sorted { $0.key < $1.key }.map { (id: $0.key, token: $0.value) }
        entries += added.map { ($0.id, $0.token.content) }
        self.init(entries: entries, addedTokens: added, modelType: tokenizer.model is BPEModel ? "BPE" : tokenizer.model is WordPieceModel ? "WordPiece" : "Unigram",
                  unknownToken: tokenizer.model.unknownToken, mergesFormat: tokenizer.bpe?.merges.isEmpty == false ? .pairs : nil)
    }

    /// The vocabulary of the `tokenizer.json` at `path`.
    public init(contentsOf path: String) throws {
        try self.init(document: try JSONValue.parse(contentsOf: path), path: path)
    }

    /// The vocabulary of a `tokenizer.json` document read from `path`.
    public init(document value: JSONValue, path: String) throws {
        let document = JSONNode(value, path: "\(path):")
        let model = try document.member("model")
        var entries: [(id: TokenID, token: String)] = []
        let vocab = try model.member("vocab")
        switch vocab.value {
        case .object:
            for (token, node) in try vocab.members() { entries.append((try node.uint32(), token)) }
        case .array:
            for (index, element) in try vocab.elements().enumerated() {
                guard let piece = try element.elements().first else { throw ConfigurationError(path: element.path, message: "expected [piece, score]") }
                entries.append((TokenID(index), try piece.string()))
            }
        default:
            throw ConfigurationError(path: vocab.path, message: "expected an object or an array")
        }
        var added: [(id: TokenID, token: AddedToken)] = []
        for node in try document.optionalMember("added_tokens")?.elements() ?? [] {
            let token = AddedToken(try node.member("content").string(), singleWord: try node.bool("single_word", default: false),
                                   leftStrip: try node.bool("lstrip", default: false), rightStrip: try node.bool("rstrip", default: false),
                                   normalized: try node.bool("normalized", default: true), special: try node.bool("special", default: false))
            added.append((try node.member("id").uint32(), token))
            entries.append((added.last!.id, token.content))
        }
        var unknown: String?
        switch model.value["unk_token"] {
        case .string(let token)?: unknown = token
        case .number(let id)?: unknown = TokenID(exactly: id).flatMap { id in entries.last { $0.id == id }?.token }
        default: unknown = try model.optionalMember("unk_id").flatMap { node in
            TokenID(exactly: try node.double()).flatMap { id in entries.last { $0.id == id }?.token } }
        }
        self.init(entries: entries, addedTokens: added, modelType: try model.optionalMember("type")?.string() ?? "BPE",
                  unknownToken: unknown, mergesFormat: MergesFormat(of: document.value))
    }

    /// This vocabulary with `tokens` added at their ids.
    public func appending(_ tokens: [(id: TokenID, token: AddedToken)]) -> VocabularyListing {
        var result = self
        for (id, token) in tokens {
            result.tokens[id] = token.content
            result.ids[Array(token.content.utf8)] = id
            result.count = max(result.count, Int(id) + 1)
        }
        result.addedTokens += tokens
        return result
    }

    private init(entries: [(id: TokenID, token: String)], addedTokens: [(id: TokenID, token: AddedToken)], modelType: String,
                 unknownToken: String?, mergesFormat: MergesFormat?) {
        self.unknownToken = unknownToken
        var tokens: [TokenID: String] = [:]
        var ids: [[UInt8]: TokenID] = [:]
        for (id, token) in entries {
            tokens[id] = token
            ids[Array(token.utf8)] = id
        }
        self.tokens = tokens
        count = entries.map { Int($0.id) + 1 }.max() ?? 0
        self.ids = ids
        self.addedTokens = addedTokens
        self.modelType = modelType
        self.mergesFormat = mergesFormat
    }
}
