import Support

/// A token matched in the text before the model runs, as `tokenizer.json`'s `added_tokens` describe it.
public struct AddedToken: Sendable, Equatable {
    /// The text of the token.
    public var content: String
    /// Whether it only matches as a whole word (no word character on either side).
    public var singleWord: Bool
    /// Whether it absorbs the whitespace before it.
    public var leftStrip: Bool
    /// Whether it absorbs the whitespace after it.
    public var rightStrip: Bool
    /// Whether it is matched in the normalized text rather than the raw text.
    public var normalized: Bool
    /// Whether it is a special token (skipped when decoding with `skipSpecialTokens`).
    public var special: Bool

    /// An added token; `normalized` defaults to `!special`, as in Hugging Face.
    public init(_ content: String, singleWord: Bool = false, leftStrip: Bool = false, rightStrip: Bool = false,
                normalized: Bool? = nil, special: Bool = false) {
        self.content = content
        self.singleWord = singleWord
        self.leftStrip = leftStrip
        self.rightStrip = rightStrip
        self.normalized = normalized ?? !special
        self.special = special
    }
}

extension AddedToken {
    /// The token at `id` as `tokenizer.json`'s `added_tokens` lists it.
    public func json(id: TokenID) -> JSONValue {
        .object([
            JSONMember("id", .number(Double(id))), JSONMember("content", .string(content)), JSONMember("single_word", .bool(singleWord)),
            JSONMember("lstrip", .bool(leftStrip)), JSONMember("rstrip", .bool(rightStrip)), JSONMember("normalized", .bool(normalized)),
            JSONMember("special", .bool(special)),
        ])
    }

    /// The token as `transformers` writes it: in `tokenizer_config.json`'s `added_tokens_decoder`
    /// (with `special`) or in `special_tokens_map.json` (without).
    func transformersJSON(withSpecial: Bool) -> JSONValue {
        .object([
            JSONMember("content", .string(content)), JSONMember("lstrip", .bool(leftStrip)), JSONMember("normalized", .bool(normalized)),
            JSONMember("rstrip", .bool(rightStrip)), JSONMember("single_word", .bool(singleWord)),
        ] + (withSpecial ? [JSONMember("special", .bool(special))] : []))
    }
}
