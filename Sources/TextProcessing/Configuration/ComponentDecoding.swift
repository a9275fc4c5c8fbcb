import Support

/// Builds normalizers and pre-tokenizers from their `tokenizer.json` form.
public enum ComponentDecoding {
    /// The normalizer described by `node` (the value of `tokenizer.json`'s `normalizer`).
    /// `mode` selects the Unicode data of the NFC/NFD/NFKC/NFKD forms.
    public static func normalizer(_ node: JSONNode, mode: UnicodeVersionMode = .huggingFace) throws -> any Normalizer {
        let type = try node.member("type").string()
        switch type {
        case "NFC", "NFD", "NFKC", "NFKD", "NFKC_Casefold":
            return try UnicodeNormalizer(UnicodeNormalizer.Form(rawValue: type)!, mode: mode)
        case "Lowercase":
            return Lowercase()
        case "Strip":
            return Strip(left: try node.bool("strip_left", default: true), right: try node.bool("strip_right", default: true))
        case "StripAccents":
            return StripAccents()
        case "Replace":
            let content = try node.member("content").string()
            let pattern = try node.member("pattern")
            if let string = try pattern.optionalMember("String") {
                return Replace(string: try string.string(), content: content)
            }
            if let regex = try pattern.optionalMember("Regex") {
                return try wrap(regex.path) { try Replace(regex: try regex.string(), content: content) }
            }
            throw ConfigurationError(path: pattern.path, message: "expected {\"String\": …} or {\"Regex\": …}")
        case "Prepend":
            return Prepend(try node.member("prepend").string())
        case "Sequence":
            return NormalizerSequence(try node.member("normalizers").elements().map { try normalizer($0, mode: mode) })
        case "BertNormalizer":
            return try BertNormalizer(
                cleanText: try node.bool("clean_text", default: true),
                handleChineseCharacters: try node.bool("handle_chinese_chars", default: true),
                stripAccents: try node.optionalMember("strip_accents")?.bool(),
                lowercase: try node.bool("lowercase", default: true))
        case "Precompiled":
            let charsmap = try node.member("precompiled_charsmap")
            do {
                return try Precompiled(base64: try charsmap.string())
            } catch let error as ConfigurationError {
                throw ConfigurationError(path: charsmap.path, message: error.message)
            }
        case "Transliterate":
            let id = try node.member("id")
            return try wrap(id.path) { try Transliterate(try id.string()) }
        default:
            throw ConfigurationError(path: "\(node.path).type", message: "unknown normalizer type \(type.debugDescription)")
        }
    }

    /// The pre-tokenizer described by `node` (the value of `tokenizer.json`'s `pre_tokenizer`).
    public static func preTokenizer(_ node: JSONNode) throws -> any PreTokenizer {
        let type = try node.member("type").string()
        switch type {
        case "ByteLevel":
            return ByteLevel(
                addPrefixSpace: try node.bool("add_prefix_space", default: true),
                trimOffsets: try node.bool("trim_offsets", default: true),
                useRegex: try node.bool("use_regex", default: true))
        case "Split":
            let pattern = try node.member("pattern")
            let behavior = try delimiterBehavior(try node.member("behavior"))
            let invert = try node.bool("invert", default: false)
            if let string = try pattern.optionalMember("String") {
                return Split(string: try string.string(), behavior: behavior, invert: invert)
            }
            if let regex = try pattern.optionalMember("Regex") {
                return try wrap(regex.path) { try Split(regex: try regex.string(), behavior: behavior, invert: invert) }
            }
            throw ConfigurationError(path: pattern.path, message: "expected {\"String\": …} or {\"Regex\": …}")
        case "Metaspace":
            let replacementNode = try node.member("replacement")
            let replacementText = try replacementNode.string()
            guard replacementText.unicodeScalars.count == 1, let replacement = replacementText.unicodeScalars.first else {
                throw ConfigurationError(path: replacementNode.path, message: "expected exactly one character")
            }
            var scheme = Metaspace.PrependScheme.always
            if let schemeNode = try node.optionalMember("prepend_scheme") {
                guard let parsed = Metaspace.PrependScheme(rawValue: try schemeNode.string()) else {
                    throw ConfigurationError(path: schemeNode.path, message: "expected \"always\", \"first\" or \"never\"")
                }
                scheme = parsed
            } else if try node.bool("add_prefix_space", default: true) == false {
                scheme = .never
            }
            return Metaspace(replacement: replacement, prependScheme: scheme, split: try node.bool("split", default: true))
        case "Whitespace":
            return Whitespace()
        case "WhitespaceSplit":
            return WhitespaceSplit()
        case "Punctuation":
            let behavior = try node.optionalMember("behavior").map(delimiterBehavior) ?? .isolated
            return Punctuation(behavior: behavior)
        case "BertPreTokenizer":
            return BertPreTokenizer()
        case "Digits":
            return Digits(individualDigits: try node.bool("individual_digits", default: false))
        case "Sequence":
            return PreTokenizerSequence(try node.member("pretokenizers").elements().map(preTokenizer))
        case "WordBoundary":
            let locale = try node.optionalMember("locale")?.string() ?? ""
            let behavior = try node.optionalMember("behavior").map(delimiterBehavior) ?? .mergedWithNext
            return try wrap(node.path) { try WordBoundary(locale: locale, behavior: behavior) }
        default:
            throw ConfigurationError(path: "\(node.path).type", message: "unknown pre-tokenizer type \(type.debugDescription)")
        }
    }

    private static func delimiterBehavior(_ node: JSONNode) throws -> SplitDelimiterBehavior {
        let name = try node.string()
        guard let behavior = SplitDelimiterBehavior(rawValue: name) else {
            throw ConfigurationError(path: node.path, message: "unknown split behavior \(name.debugDescription)")
        }
        return behavior
    }

    /// Re-throws an ICU failure as a ``ConfigurationError`` at `path`.
    private static func wrap<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ICUError {
            throw ConfigurationError(path: path, message: error.description)
        }
    }
}
