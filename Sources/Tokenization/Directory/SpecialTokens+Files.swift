import Support

/// A special token a new vocabulary lacks.
public struct MissingSpecialToken: Error, CustomStringConvertible, Sendable {
    /// Its role; nil for an additional special token or an id without a role (decoder start).
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
    /// The special tokens `vocabulary` lacks, each once: the role tokens, every token a
    /// configuration id names (all of an eos list, the decoder start; an overridden role's own
    /// list is rewritten instead), and the additional special tokens.
    public func missing(in vocabulary: VocabularyListing) -> [MissingSpecialToken] {
        var candidates: [MissingSpecialToken] = []
        for role in Role.allCases {
            if let token = tokens[role] {
                let place = overridden.contains(role) ? "the special-token map"
                    : declarations[role]?.first.map { "\(self.place($0.file)) \($0.key)" } ?? "the usual name"
                candidates.append(MissingSpecialToken(role: role, token: token, place: place))
            }
            guard !overridden.contains(role) else { continue }
            for declaration in declarations[role] ?? [] where declaration.id != nil {
                if let token = declaration.token { candidates.append(MissingSpecialToken(role: role, token: token, place: "\(place(declaration.file)) \(declaration.key)")) }
            }
        }
        for declaration in otherIDs {
            if let token = declaration.token { candidates.append(MissingSpecialToken(role: nil, token: token, place: "\(place(declaration.file)) \(declaration.key)")) }
        }
        candidates += additional.map { MissingSpecialToken(role: nil, token: $0, place: "\(place(ModelFiles.tokenizerConfig)) \(additionalKey)") }
        var seen = Set<String>()
        return candidates.filter { vocabulary.id(for: $0.token) == nil && seen.insert($0.token).inserted }
    }

    /// The problem when the unk token is not the token the model of `vocabulary` (its
    /// `tokenizer.json` at `path`) emits for unknown text; nil when they agree or either is absent.
    public func unknownTokenProblem(in vocabulary: VocabularyListing, path: String) -> ConfigurationError? {
        guard let emitted = vocabulary.unknownToken, let unknown = tokens[.unk], unknown != emitted else { return nil }
        let place = overridden.contains(.unk) ? "the special-token map" : declarations[.unk]?.first.map(\.description) ?? "by its usual name"
        return ConfigurationError(path: "\(path) model.unk_token",
                                  message: "the model emits \(emitted.debugDescription) for unknown text, but the unk token is \(unknown.debugDescription) (\(place))")
    }

    /// `config` (the `config.json` or `generation_config.json` at `path`) with every special-token
    /// id it holds written for `target`: an overridden role's id is its token's (in a list, first,
    /// followed by the other listed tokens `target` has), any other id is that of the token it
    /// names in `source`. Never an id by number; throws ``MissingSpecialToken`` when `target`
    /// lacks a token.
    public func remapped(_ config: JSONValue, path: String, from source: VocabularyListing, to target: VocabularyListing) throws -> JSONValue {
        guard case .object(var members) = config else { throw ConfigurationError(path: path, message: "expected a JSON object") }
        for index in members.indices where Self.idKeys.contains(members[index].key) {
            let key = members[index].key
            let role = Role.allCases.first { $0.idKey == key }
            func id(of token: String) throws -> JSONValue {
                guard let id = target.id(for: token) else { throw MissingSpecialToken(role: role, token: token, place: "\(path) \(key)") }
                return .number(Double(id))
            }
            if let role, overridden.contains(role) {
                let value = try tokens[role].map(id(of:)) ?? .null
                if case .array(let old) = members[index].value, value != .null {
                    let replaced = declarations[role]?.first { $0.file == PathName.name(of: path) && $0.key.hasPrefix(key) }?.token
                    let others = old.compactMap { entry -> JSONValue? in
                        guard case .number(let number) = entry, let id = TokenID(exactly: number), let token = source.token(for: id),
                              token != replaced, token != tokens[role], let kept = target.id(for: token) else { return nil }
                        return .number(Double(kept))
                    }
                    members[index].value = .array([value] + others)
                } else {
                    members[index].value = value
                }
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

    /// Fields of `tokenizer_config.json` that configure one tokenizer class, dropped with it.
    static let classFields: Set<String> = [
        "add_bos_token", "add_eos_token", "add_prefix_space", "legacy", "vocab_file", "merges_file", "sp_model_kwargs",
        "do_lower_case", "do_basic_tokenize", "never_split", "tokenize_chinese_chars", "strip_accents", "errors",
        "spaces_between_special_tokens", "use_default_system_prompt", "auto_map",
    ]

    /// The `tokenizer_config.json` of a tokenizer with `vocabulary` and these special tokens: every
    /// field of `base` (the source's, such as its `chat_template`) kept, except those of the
    /// source's tokenizer class: the class becomes `PreTrainedTokenizerFast`, which takes the
    /// whole pipeline from `tokenizer.json` (a model-specific class may rebuild parts of it, or
    /// add its own unknown token). `added_tokens_decoder` and the special tokens are written
    /// anew; `defaults` are set where `base` lacks them.
    public func tokenizerConfig(for vocabulary: VocabularyListing, base: JSONValue?, defaults: [JSONMember] = []) -> JSONValue {
        var members: [JSONMember] = []
        if case .object(let baseMembers)? = base { members = baseMembers }
        members.removeAll { Self.classFields.contains($0.key) }
        members.set("added_tokens_decoder", .object(vocabulary.addedTokens.sorted { $0.id < $1.id }.map { id, token in
            JSONMember(String(id), token.transformersJSON(withSpecial: true))
        }))
        for role in Role.allCases {
            let key = role.tokenKey
            members.set(key, tokens[role].map { .string($0) } ?? (members.contains { $0.key == key } ? .null : nil))
        }
        members.set(additionalKey, additional.isEmpty ? nil : .array(additional.map { .string($0) }))
        for member in defaults where !members.contains(where: { $0.key == member.key }) { members.append(member) }
        members.set("tokenizer_class", .string("PreTrainedTokenizerFast"))
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
            members.append(JSONMember(role.tokenKey, token.transformersJSON(withSpecial: false)))
        }
        return .object(members.sorted { $0.key < $1.key })
    }
}
