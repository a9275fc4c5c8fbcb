import Support
import TextProcessing

extension ComponentDecoding {
    /// The decoder described by `node` (the value of `tokenizer.json`'s `decoder`).
    public static func decoder(_ node: JSONNode) throws -> any Decoder {
        let type = try node.member("type").string()
        switch type {
        case "ByteLevel":
            return ByteLevelDecoder()
        case "ByteFallback":
            return ByteFallbackDecoder()
        case "Fuse":
            return FuseDecoder()
        case "Strip":
            let content = try node.member("content").string().unicodeScalars
            guard content.count == 1 else { throw ConfigurationError(path: "\(node.path).content", message: "expected one character") }
            return StripDecoder(content: content.first!, start: try node.member("start").int(), stop: try node.member("stop").int())
        case "Replace":
            let content = try node.member("content").string()
            let pattern = try node.member("pattern")
            if let string = try pattern.optionalMember("String") {
                return ReplaceDecoder(string: try string.string(), content: content)
            }
            if let regex = try pattern.optionalMember("Regex") {
                do {
                    return try ReplaceDecoder(regex: try regex.string(), content: content)
                } catch {
                    throw ConfigurationError(path: regex.path, message: "\(error)")
                }
            }
            throw ConfigurationError(path: pattern.path, message: "expected {\"String\": …} or {\"Regex\": …}")
        case "Metaspace":
            let replacement = try node.optionalMember("replacement")?.string().unicodeScalars ?? "\u{2581}".unicodeScalars
            guard replacement.count == 1 else { throw ConfigurationError(path: "\(node.path).replacement", message: "expected one character") }
            var scheme = Metaspace.PrependScheme.always
            if let value = try node.optionalMember("prepend_scheme") {
                guard let parsed = Metaspace.PrependScheme(rawValue: try value.string()) else {
                    throw ConfigurationError(path: value.path, message: "expected \"always\", \"first\" or \"never\"")
                }
                scheme = parsed
            } else if try node.optionalMember("add_prefix_space")?.bool() == false {
                scheme = .never
            }
            return MetaspaceDecoder(replacement: replacement.first!, prependScheme: scheme, split: try node.bool("split", default: true))
        case "WordPiece":
            return WordPieceDecoder(prefix: try node.optionalMember("prefix")?.string() ?? "##", cleanup: try node.bool("cleanup", default: true))
        case "Sequence":
            return DecoderSequence(try node.member("decoders").elements().map(decoder))
        default:
            throw ConfigurationError(path: "\(node.path).type", message: "unknown decoder type \(type.debugDescription)")
        }
    }
}
