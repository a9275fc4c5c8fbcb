import Foundation
import Support

/// The special tokens of a Hugging Face model or tokenizer directory, by role, as token
/// strings: read once from every file that declares them (`tokenizer_config.json`,
/// `special_tokens_map.json`, and the ids of `config.json` and `generation_config.json`), with
/// where each was declared and every disagreement between them.
///
/// Ids never travel by number: ``remapped(_:path:from:to:)`` writes a configuration's ids
/// for another vocabulary by token string, and ``tokenizerConfig(for:base:defaults:)`` and
/// ``specialTokensMap(for:)`` write the tokenizer files for a new tokenizer.
public struct SpecialTokens: Sendable {
    /// The roles `transformers` knows.
    public enum Role: String, Sendable, CaseIterable {
        case bos, eos, unk, pad, cls, sep, mask

        /// Its key in `tokenizer_config.json` and `special_tokens_map.json` (`eos_token`).
        public var tokenKey: String { "\(rawValue)_token" }
        /// Its key in `config.json` and `generation_config.json` (`eos_token_id`).
        public var idKey: String { "\(rawValue)_token_id" }
    }

    /// One place that names a role's token.
    public struct Declaration: Sendable, Equatable, CustomStringConvertible {
        /// The file (`config.json`), relative to the directory.
        public var file: String
        /// The JSON key (`eos_token_id`, `eos_token_id[1]`).
        public var key: String
        /// The token string; for an id, its token (nil when the id is outside the vocabulary).
        public var token: String?
        /// The id, when declared by id.
        public var id: Int?

        public var description: String {
            let token = self.token.map { $0.debugDescription } ?? "no token"
            return id.map { "\(file) \(key) = \($0) (\(token))" } ?? "\(file) \(key) = \(token)"
        }
    }

    /// The token of each role.
    public private(set) var tokens: [Role: String]
    /// Where each role was declared (empty for roles found by their usual names).
    public private(set) var declarations: [Role: [Declaration]]
    /// `additional_special_tokens` (`extra_special_tokens` in `transformers` 5: chat-template
    /// tokens and the like).
    public private(set) var additional: [String]
    /// The key `additional` was read from.
    public private(set) var additionalKey = "additional_special_tokens"
    /// The ids of the configuration keys that have no role (``otherIDKeys``), with their tokens.
    public private(set) var otherIDs: [Declaration] = []
    /// Roles a tokenizer file declares as `null`: no token, whatever a configuration id says.
    public private(set) var declaredNone: Set<Role> = []
    /// Declarations that disagree, ids outside the vocabulary, tokens the vocabulary lacks, a
    /// stale `added_tokens_decoder`; each names its file and key.
    public var problems: [ConfigurationError] { taggedProblems.map(\.problem) }
    private var taggedProblems: [(role: Role?, problem: ConfigurationError)] = []
    /// The roles decided by the caller rather than the files.
    public private(set) var overridden: Set<Role> = []
    /// The directory read, if any.
    public private(set) var directory: String?

    /// The configuration keys that hold special-token ids.
    public static let idKeys = Role.allCases.map(\.idKey) + otherIDKeys
    /// The configuration keys of special-token ids that have no role: the first token an
    /// encoder-decoder's decoder reads, the tokens generation forces first and last.
    public static let otherIDKeys = ["decoder_start_token_id", "forced_bos_token_id", "forced_eos_token_id"]
    /// The files read, in the order their declarations count.
    public static let files = [ModelFiles.tokenizerConfig, ModelFiles.specialTokensMap, ModelFiles.config, ModelFiles.generationConfig]

    private static let usualNames: [Role: [String]] = [
        .pad: ["<pad>", "[PAD]", "<|pad|>", "<|finetune_right_pad_id|>"],
        .unk: ["<unk>", "[UNK]"],
        .bos: ["<s>", "<bos>", "<|begin_of_text|>", "<|startoftext|>"],
        .eos: ["</s>", "<eos>", "<|end_of_text|>", "<|endoftext|>"],
        .cls: ["[CLS]", "<cls>"],
        .sep: ["[SEP]", "<sep>"],
        .mask: ["[MASK]", "<mask>"],
    ]

    /// Roles given explicitly, with no declarations.
    public init(tokens: [Role: String], additional: [String] = []) {
        self.tokens = tokens
        self.additional = additional
        declarations = [:]
    }

    /// The special tokens of the tokenizer listed by `vocabulary` as the files of `directory` (if
    /// any) declare them. Without
    /// `tokenizer_config.json` and `special_tokens_map.json`, roles no configuration declares are
    /// found by their usual names among the added special tokens (`</s>`, `[SEP]`, `<|endoftext|>`),
    /// or, for unk, as the token the model emits.
    public init(vocabulary: VocabularyListing, directory: String?) throws {
        self.init(tokens: [:])
        self.directory = directory
        let documents = try Self.files.map { name -> (String, JSONNode)? in
            guard let directory else { return nil }
            let path = PathName.join(directory, name)
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            let value = try JSONValue.parse(contentsOf: path)
            guard case .object = value else { throw ConfigurationError(path: path, message: "expected a JSON object") }
            return (name, JSONNode(value, path: path))
        }
        for case let (name, node)? in documents {
            if name == ModelFiles.tokenizerConfig || name == ModelFiles.specialTokensMap {
                try readStrings(node, file: name, vocabulary: vocabulary)
            } else {
                try readIDs(node, file: name, vocabulary: vocabulary)
            }
        }
        let declaresStrings = documents[0] != nil || documents[1] != nil
        for role in Role.allCases {
            resolve(role, vocabulary: vocabulary, byUsualName: !declaresStrings)
        }
    }

    /// These tokens with `overrides` deciding roles (nil: the role has no token); their problems are dropped.
    public func overriding(_ overrides: [Role: String?]) -> SpecialTokens {
        var result = self
        for (role, token) in overrides {
            result.tokens[role] = token
            result.overridden.insert(role)
            result.taggedProblems.removeAll { $0.role == role }
        }
        return result
    }

    /// The id of `role`'s token in `vocabulary`, or nil.
    public func id(of role: Role, in vocabulary: VocabularyListing) -> TokenID? { tokens[role].flatMap { vocabulary.id(for: $0) } }

    private mutating func readStrings(_ node: JSONNode, file: String, vocabulary: VocabularyListing) throws {
        for role in Role.allCases {
            guard let member = try node.optionalMember(role.tokenKey) else { continue }
            guard let token = try Self.tokenString(member) else {
                declaredNone.insert(role)
                continue
            }
            declarations[role, default: []].append(Declaration(file: file, key: role.tokenKey, token: token, id: nil))
        }
        for key in ["additional_special_tokens", "extra_special_tokens"] {
            guard let list = try node.optionalMember(key) else { continue }
            additionalKey = key
            // A list of tokens, or (transformers 4.5x's extra_special_tokens) an object of named ones.
            let elements = list.value.isArray ? try list.elements() : try list.members().map(\.node)
            for element in elements {
                if let token = try Self.tokenString(element), !additional.contains(token) { additional.append(token) }
            }
        }
        if file == ModelFiles.tokenizerConfig, let decoder = try node.optionalMember("added_tokens_decoder") {
            for (key, entry) in try decoder.members() {
                let path = "\(decoder.path)[\(key.debugDescription)]"
                guard let id = UInt32(key) else {
                    taggedProblems.append((nil, ConfigurationError(path: path, message: "added_tokens_decoder key \(key.debugDescription) is not an id")))
                    continue
                }
                let content = try entry.member("content").string()
                let actual = vocabulary.token(for: id)
                if actual != content {
                    taggedProblems.append((nil, ConfigurationError(path: path, message: "added_tokens_decoder names \(content.debugDescription) for id \(id), but the tokenizer's id \(id) is "
                        + (actual.map { $0.debugDescription } ?? "outside its vocabulary") + " (a stale tokenizer_config.json?)")))
                }
            }
        }
    }

    private mutating func readIDs(_ node: JSONNode, file: String, vocabulary: VocabularyListing) throws {
        for key in Self.idKeys {
            guard let member = try node.optionalMember(key) else { continue }
            let role = Role.allCases.first { $0.idKey == key }
            for (index, id) in try Self.ids(member).enumerated() {
                let entryKey = member.value.isArray ? "\(key)[\(index)]" : key
                let token = id >= 0 && id <= Int(UInt32.max) ? vocabulary.token(for: UInt32(id)) : nil
                let declaration = Declaration(file: file, key: entryKey, token: token, id: id)
                if let role {
                    declarations[role, default: []].append(declaration)
                } else {
                    otherIDs.append(declaration)
                    if token == nil {
                        taggedProblems.append((nil, ConfigurationError(path: place(file), message: "\(entryKey) \(id) is outside the vocabulary (\(vocabulary.count) ids)")))
                    }
                }
            }
        }
    }

    private mutating func resolve(_ role: Role, vocabulary: VocabularyListing, byUsualName: Bool) {
        let declared = declarations[role] ?? []
        let strings = declared.filter { $0.id == nil }
        let ids = declared.filter { $0.id != nil }
        var token = strings.first?.token
        for other in strings.dropFirst() where other.token != token {
            taggedProblems.append((role, ConfigurationError(path: place(other.file), message: "\(role.rawValue) token disagrees: \(strings[0]) but \(other)")))
        }
        for declaration in ids where declaration.token == nil {
            taggedProblems.append((role, ConfigurationError(path: place(declaration.file), message: "\(role.rawValue) \(declaration.key) \(declaration.id!) is outside the vocabulary (\(vocabulary.count) ids)")))
        }
        // A list (generation_config's eos) names several tokens; the role's token must be among them.
        var groups: [String: [Declaration]] = [:]
        for declaration in ids where declaration.token != nil { groups[declaration.file + " " + declaration.key.prefix { $0 != "[" }, default: []].append(declaration) }
        var decider = strings.first
        // A role a tokenizer file declares null has no token; its ids are only remapped.
        for group in groups.values.sorted(by: { $0[0].file < $1[0].file }) where !declaredNone.contains(role) || strings.first != nil {
            if let token, let decider {
                if !group.contains(where: { $0.token == token }) {
                    taggedProblems.append((role, ConfigurationError(path: place(group[0].file), message: "\(role.rawValue) token disagrees: \(decider) but \(group.map(\.description).joined(separator: ", "))")))
                }
            } else {
                token = group[0].token
                decider = group[0]
            }
        }
        if token == nil, byUsualName, role == .unk { token = vocabulary.unknownToken }
        if token == nil, byUsualName {
            let special = Set(vocabulary.addedTokens.filter(\.token.special).map(\.token.content))
            token = Self.usualNames[role]!.first { special.contains($0) }
        }
        guard let token else { return }
        tokens[role] = token
        if vocabulary.id(for: token) == nil, let first = strings.first {
            taggedProblems.append((role, ConfigurationError(path: place(first.file), message: "\(role.rawValue) token \(token.debugDescription) (\(first.key)) is not in the vocabulary")))
        }
    }

    /// The path of `file` in the directory read.
    func place(_ file: String) -> String { directory.map { PathName.join($0, file) } ?? file }

    /// A token given as a string or as an object with `content`; nil for null.
    private static func tokenString(_ node: JSONNode) throws -> String? {
        switch node.value {
        case .null: return nil
        case .string(let token): return token
        default: return try node.member("content").string()
        }
    }

    /// The ids of an id or a list of ids; none for null.
    private static func ids(_ node: JSONNode) throws -> [Int] {
        switch node.value {
        case .null: return []
        case .array: return try node.elements().map { try $0.int() }
        default: return [try node.int()]
        }
    }
}

extension JSONValue {
    /// Whether this is an array.
    var isArray: Bool { if case .array = self { return true } else { return false } }
}
