import Support
import TextProcessing

extension ComponentDecoding {
    /// The post-processor described by `node` (the value of `tokenizer.json`'s `post_processor`).
    public static func postProcessor(_ node: JSONNode) throws -> any PostProcessor {
        let type = try node.member("type").string()
        switch type {
        case "ByteLevel":
            return ByteLevelProcessor(trimOffsets: try node.bool("trim_offsets", default: true),
                                      addPrefixSpace: try node.bool("add_prefix_space", default: true))
        case "TemplateProcessing":
            func pieces(_ key: String) throws -> [TemplateProcessing.Piece] {
                try node.member(key).elements().map { element in
                    if let sequence = try element.optionalMember("Sequence") {
                        let id = try sequence.member("id").string()
                        guard id == "A" || id == "B" else {
                            throw ConfigurationError(path: "\(sequence.path).id", message: "expected \"A\" or \"B\"")
                        }
                        return .sequence(isPair: id == "B", typeID: try sequence.member("type_id").uint32())
                    }
                    if let special = try element.optionalMember("SpecialToken") {
                        return .specialToken(name: try special.member("id").string(), typeID: try special.member("type_id").uint32())
                    }
                    throw ConfigurationError(path: element.path, message: "expected {\"Sequence\": …} or {\"SpecialToken\": …}")
                }
            }
            let specials = try node.member("special_tokens").members().map { name, entry in
                TemplateProcessing.SpecialToken(
                    name: name,
                    ids: try entry.member("ids").elements().map { try $0.uint32() },
                    tokens: try entry.member("tokens").elements().map { try $0.string() })
            }
            let processor = TemplateProcessing(single: try pieces("single"), pair: try pieces("pair"), specialTokens: specials)
            for case .specialToken(let name, _) in processor.single + processor.pair where !specials.contains(where: { $0.name == name }) {
                throw ConfigurationError(path: "\(node.path).special_tokens", message: "missing the special token \(name.debugDescription)")
            }
            return processor
        case "RobertaProcessing", "BertProcessing":
            func pair(_ key: String) throws -> (String, TokenID) {
                let elements = try node.member(key).elements()
                guard elements.count == 2 else { throw ConfigurationError(path: "\(node.path).\(key)", message: "expected [token, id]") }
                return (try elements[0].string(), try elements[1].uint32())
            }
            if type == "BertProcessing" {
                return BertProcessing(separator: try pair("sep"), classifier: try pair("cls"))
            }
            return RobertaProcessing(separator: try pair("sep"), classifier: try pair("cls"),
                                     trimOffsets: try node.bool("trim_offsets", default: true),
                                     addPrefixSpace: try node.bool("add_prefix_space", default: true))
        case "Sequence":
            return PostProcessorSequence(try node.member("processors").elements().map(postProcessor))
        default:
            throw ConfigurationError(path: "\(node.path).type", message: "unknown post-processor type \(type.debugDescription)")
        }
    }
}
