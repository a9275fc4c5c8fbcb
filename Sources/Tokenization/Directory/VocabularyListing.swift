import Foundation
import Support

/// The token strings and ids of any `tokenizer.json` (BPE, WordPiece, Unigram, WordLevel model
/// entries and the added tokens), read without building its model: what a model directory's
/// other files are checked and written against. Added tokens get the ids `tokenizers` gives
/// them, whatever ids the file claims (see ``misnumberedTokens``).
public struct VocabularyListing: Sendable {
    /// The tokens by id.
    private var tokens: [TokenID: String]
    /// The ids by token string (compared by bytes; an added token wins over a model entry).
    private var ids: [[UInt8]: TokenID]
    /// The number of model entries (`tokenizers`' model vocabulary size).
    private let modelEntries: Int
    /// The added tokens, by id as `tokenizers` numbers them, in file order.
    public private(set) var addedTokens: [(id: TokenID, token: AddedToken)]
    /// Added tokens whose id in the file is not the one `tokenizers` gives them (and Polytoken
    /// uses): the file says one thing, every reader does another.
    public private(set) var misnumberedTokens: [(token: String, stored: TokenID, assigned: TokenID)] = []
    /// The model type (`BPE`, `WordPiece`, `Unigram`, `WordLevel`).
    public let modelType: String
    /// The token the model emits for unknown text, if any (`model.unk_token`, Unigram's `unk_id`).
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
        let entries = tokenizer.model.vocabulary.entries.map { (id: $0.id, token: String(decoding: $0.token, as: UTF8.self)) }
        let added = tokenizer.addedVocabulary.order.map { (id: $0, token: tokenizer.addedVocabulary.tokens[$0]!) }
        self.init(entries: entries, modelType: tokenizer.model is BPEModel ? "BPE" : tokenizer.model is WordPieceModel ? "WordPiece"
                    : tokenizer.model is WordLevelModel ? "WordLevel" : "Unigram",
                  unknownToken: tokenizer.model.unknownToken, mergesFormat: tokenizer.bpe?.merges.isEmpty == false ? .pairs : nil)
        for (id, token) in added { _ = add(token, stored: id) }
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
        var unknown: String?
        if case .string(let token)? = model.value["unk_token"] {
            unknown = token
        } else if let node = try model.optionalMember("unk_id"), node.value != .null {
            let id = try node.uint32()
            guard Int(id) < entries.count else { throw ConfigurationError(path: node.path, message: "unk_id \(id) is not a piece id (the vocabulary has \(entries.count))") }
            unknown = entries[Int(id)].token
        }
        self.init(entries: entries, modelType: try model.optionalMember("type")?.string() ?? "BPE", unknownToken: unknown,
                  mergesFormat: MergesFormat(of: document.value))
        for node in try document.optionalMember("added_tokens")?.elements() ?? [] {
            let token = AddedToken(try node.member("content").string(), singleWord: try node.bool("single_word", default: false),
                                   leftStrip: try node.bool("lstrip", default: false), rightStrip: try node.bool("rstrip", default: false),
                                   normalized: try node.bool("normalized", default: true), special: try node.bool("special", default: false))
            _ = add(token, stored: try node.member("id").uint32())
        }
    }

    private init(entries: [(id: TokenID, token: String)], modelType: String, unknownToken: String?, mergesFormat: MergesFormat?) {
        var tokens: [TokenID: String] = [:]
        var ids: [[UInt8]: TokenID] = [:]
        for (id, token) in entries {
            tokens[id] = token
            ids[Array(token.utf8)] = id
        }
        self.tokens = tokens
        self.ids = ids
        modelEntries = entries.count
        count = entries.map { Int($0.id) + 1 }.max() ?? 0
        addedTokens = []
        self.modelType = modelType
        self.unknownToken = unknownToken
        self.mergesFormat = mergesFormat
    }

    /// The id `tokenizers` gives the next added token that is not a model entry: past the
    /// highest added id, or the model's size.
    public var nextAddedID: TokenID {
        let size = TokenID(modelEntries)
        guard let highest = addedTokens.map(\.id).max() else { return size }
        return highest >= size || size == 0 ? highest + 1 : size
    }

    /// Adds `token` as `tokenizers` numbers it (the model's id, an earlier added id of the same
    /// content, or ``nextAddedID``); `stored` is the id the file claims. Returns the id.
    private mutating func add(_ token: AddedToken, stored: TokenID?) -> TokenID {
        let key = Array(token.content.utf8)
        let existing = addedTokens.first { $0.token.content == token.content }
        // Until an added token of this content exists, `ids` holds only model entries.
        let id = existing?.id ?? ids[key] ?? nextAddedID
        if let stored, stored != id { misnumberedTokens.append((token.content, stored, id)) }
        guard existing == nil else { return id }
        tokens[id] = token.content
        ids[key] = id
        count = max(count, Int(id) + 1)
        addedTokens.append((id, token))
        return id
    }

    /// This vocabulary with `tokens` added as `tokenizers` numbers them; returns it and their ids.
    public func appending(_ tokens: [AddedToken]) -> (listing: VocabularyListing, ids: [TokenID]) {
        var result = self
        let ids = tokens.map { result.add($0, stored: nil) }
        return (result, ids)
    }
}
