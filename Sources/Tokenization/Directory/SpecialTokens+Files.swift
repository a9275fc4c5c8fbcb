import Support

/// A special token a new vocabulary lacks.
public struct MissingSpecialToken: Error, CustomStringConvertible, Sendable {
    /// Its role; nil for an additional special token or a decoder-start id.
    public var role: SpecialTokens.Role?
    /// The token string.
    public var token: String
    /// Where it was declared (file and key).
    public var place: String

    public var description: String {
        "\(place): the special token \(token.debugDescription)\(role.map { " (\($0.rawValue))" } ?? "") is not in the new vocabulary"
    }
}

extension SpecialTokens {
    /// The role tokens and additional special tokens `vocabulary` lacks.
    public func missing(in vocabulary: VocabularyListing) -> [MissingSpecialToken] {
        let roles = Role.allCases.compactMap { role -> MissingSpecialToken? in
            guard let token = tokens[role], vocabulary.id(for: token) == nil else { return nil }
            let place = declarations[role]?.first.map { "\(self.place($0.file)) \($0.key)" } ?? (overridden.contains(role) ? "the special-token map" : "the usual name")
            return MissingSpecialToken(role: role, token: token, place: place)
        }
        return roles + additional.filter { vocabulary.id(for: $0) == nil }.map {
            MissingSpecialToken(role: nil, token: $0, place: "\(place(ModelFiles.tokenizerConfig)) additional_special_tokens")
        }
    }

    /// `config` (the `config.json` or `generation_config.json` at `path`) with every special-token
    /// id it holds written for `target`: an overridden role's id is its token's (a list becomes
    /// that one id), any other id is that of the token it names in `source`. Never an id by number; throws
    /// ``MissingSpecialToken`` when `target` lacks a token.
    public func remapped(_ config: JSONValue, path: String, from source: VocabularyListing, to target: VocabularyListing) throws -> JSONValue {
        guard case .object(var members) = config else { throw ConfigurationError(path: path, message: "expected a JSON object") }
        for index in members.indices where Self.idKeys.contains(members[index].key) {
            let key = members[index].key
            let role = Role.allCases.first { "\($0.rawValue)_token_id" == key }
            func id(of token: String) throws -> JSONValue {
                guard let id = target.id(for: token) else { throw MissingSpecialToken(role: role, token: token, place: "\(path) \(key)") }
                return .number(Double(id))
            }
            if let role, overridden.contains(role), members[index].value != .null {
                let value = try tokens[role].map(id(of:)) ?? .null
                members[index].value = members[index].value.isArray && value != .null ? .array([value]) : value
                continue
            }
            func remap(_ value: JSONValue) throws -> JSONValue {
                guard case .number(let number) = value, let old = TokenID(exactly: number) else {
                    throw ConfigurationError(path: path, message: "\(key) must be a non-negative integer id")
                }
                guard let token = source.token(for: old) else {
                    throw ConfigurationError(path: path, message: "\(key) \(old) is outside the vocabulary (\(source.count) ids)")
                }
                return try id(of: token)
            }
            switch members[index].value {
            case .null: continue
            case .array(let values): members[index].value = .array(try values.map(remap))
            case let value: members[index].value = try remap(value)
            }
        }
        return .object(members)
    }

    /// Fields of `tokenizer_config.json` that configure one tokenizer class, dropped when the tokenizer is replaced.
    static let classFields: Set<String> = [
        "add_bos_token", "add_eos_token", "add_prefix_space", "legacy", "vocab_file", "merges_file", "sp_model_kwargs",
        "do_lower_case", "do_basic_tokenize", "never_split", "tokenize_chinese_chars", "strip_accents", "errors",
        "spaces_between_special_tokens", "use_default_system_prompt", "auto_map",
    ]

    /// The `tokenizer_config.json` of a tokenizer with `vocabulary` and these special tokens: every
    /// field of `base` (the source's, such as its `chat_template`) kept, except, when `replacing`
    /// the tokenizer, those of the source's tokenizer class (the class becomes
    /// `PreTrainedTokenizerFast`); `added_tokens_decoder` and the special tokens written anew.
    /// `defaults` are set where `base` lacks them.
    public func tokenizerConfig(for vocabulary: VocabularyListing, base: JSONValue?, replacing: Bool,
                                defaults: [JSONMember] = []) -> JSONValue {
        var members: [JSONMember] = []
        if case .object(let baseMembers)? = base { members = baseMembers }
        if replacing { members.removeAll { Self.classFields.contains($0.key) } }
        func set(_ key: String, _ value: JSONValue?) {
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let value { members[index].value = value } else { members.remove(at: index) }
            } else if let value {
                members.append(JSONMember(key, value))
            }
        }
        set("added_tokens_decoder", .object(vocabulary.addedTokens.map { id, token in
            JSONMember(String(id), .object([
                JSONMember("content", .string(token.content)), JSONMember("lstrip", .bool(token.leftStrip)),
                JSONMember("normalized", .bool(token.normalized)), JSONMember("rstrip", .bool(token.rightStrip)),
                JSONMember("single_word", .bool(token.singleWord)), JSONMember("special", .bool(token.special)),
            ]))
        }))
        for role in Role.allCases {
            let key = "\(role.rawValue)_token"
            set(key, tokens[role].map { .string($0) } ?? (members.contains { $0.key == key } ? .null : nil))
        }
        set("additional_special_tokens", additional.isEmpty ? nil : .array(additional.map { .string($0) }))
        for member in defaults where !members.contains(where: { $0.key == member.key }) { members.append(member) }
        if replacing || base == nil { set("tokenizer_class", .string("PreTrainedTokenizerFast")) }
        if base == nil { members.sort { $0.key < $1.key } }
        return .object(members)
    }

    /// The `special_tokens_map.json` of a tokenizer with `vocabulary` and these special tokens.
    public func specialTokensMap(for vocabulary: VocabularyListing) -> JSONValue {
        var members: [JSONMember] = []
        if !additional.isEmpty { members.append(JSONMember("additional_special_tokens", .array(additional.map { .string($0) }))) }
        for role in Role.allCases {
            guard let content = tokens[role] else { continue }
            let token = vocabulary.addedTokens.first { $0.token.content == content }?.token ?? AddedToken(content, normalized: false, special: true)
            members.append(JSONMember("\(role.rawValue)_token", .object([
                JSONMember("content", .string(content)), JSONMember("lstrip", .bool(token.leftStrip)),
                JSONMember("normalized", .bool(token.normalized)), JSONMember("rstrip", .bool(token.rightStrip)),
                JSONMember("single_word", .bool(token.singleWord)),
            ])))
        }
        return .object(members.sorted { $0.key < $1.key })
    }
}
