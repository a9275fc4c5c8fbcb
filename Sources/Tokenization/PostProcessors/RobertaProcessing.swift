/// RoBERTa's post-processor: `<s> A </s>` and `<s> A </s></s> B </s>`, every type id 0,
/// with byte-level offset trimming.
public struct RobertaProcessing: PostProcessor {
    /// The separator token and its id (`</s>`).
    public var separator: (token: String, id: TokenID)
    /// The classifier token and its id (`<s>`).
    public var classifier: (token: String, id: TokenID)
    /// Whether offsets leave out leading and trailing spaces.
    public var trimOffsets: Bool
    /// Whether a single added leading space of the first token is kept in its offsets.
    public var addPrefixSpace: Bool

    /// A RoBERTa post-processor.
    public init(separator: (String, TokenID), classifier: (String, TokenID), trimOffsets: Bool = true, addPrefixSpace: Bool = true) {
        self.separator = separator
        self.classifier = classifier
        self.trimOffsets = trimOffsets
        self.addPrefixSpace = addPrefixSpace
    }

    private var template: TemplateProcessing {
        TemplateProcessing(
            single: [.specialToken(name: "cls", typeID: 0), .sequence(isPair: false, typeID: 0), .specialToken(name: "sep", typeID: 0)],
            pair: [.specialToken(name: "cls", typeID: 0), .sequence(isPair: false, typeID: 0), .specialToken(name: "sep", typeID: 0),
                   .specialToken(name: "sep", typeID: 0), .sequence(isPair: true, typeID: 0), .specialToken(name: "sep", typeID: 0)],
            specialTokens: [.init(name: "cls", ids: [classifier.id], tokens: [classifier.token]),
                            .init(name: "sep", ids: [separator.id], tokens: [separator.token])])
    }

    public func processEncodings(_ encodings: [Encoding], addSpecialTokens: Bool) -> [Encoding] {
        let trimmer = ByteLevelProcessor(trimOffsets: trimOffsets, addPrefixSpace: addPrefixSpace)
        var encodings = trimOffsets ? encodings.map(trimmer.trim) : encodings
        for index in encodings.indices { encodings[index].typeIDs = Array(repeating: 0, count: encodings[index].count) }
        guard addSpecialTokens else { return encodings }
        return template.processEncodings(encodings, addSpecialTokens: true)
    }

    public func addedTokenCount(isPair: Bool) -> Int { isPair ? 4 : 2 }
}
