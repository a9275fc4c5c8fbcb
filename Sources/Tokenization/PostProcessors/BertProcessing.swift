/// BERT's post-processor: `[CLS] A [SEP]` and `[CLS] A [SEP] B [SEP]`, the second sequence with type id 1.
public struct BertProcessing: PostProcessor {
    /// The separator token and its id (`[SEP]`).
    public var separator: (token: String, id: TokenID)
    /// The classifier token and its id (`[CLS]`).
    public var classifier: (token: String, id: TokenID)

    /// A BERT post-processor.
    public init(separator: (String, TokenID), classifier: (String, TokenID)) {
        self.separator = separator
        self.classifier = classifier
    }

    public func processEncodings(_ encodings: [Encoding], addSpecialTokens: Bool) -> [Encoding] {
        guard addSpecialTokens else { return encodings }
        return TemplateProcessing(
            single: [.specialToken(name: "cls", typeID: 0), .sequence(isPair: false, typeID: 0), .specialToken(name: "sep", typeID: 0)],
            pair: [.specialToken(name: "cls", typeID: 0), .sequence(isPair: false, typeID: 0), .specialToken(name: "sep", typeID: 0),
                   .sequence(isPair: true, typeID: 1), .specialToken(name: "sep", typeID: 1)],
            specialTokens: [.init(name: "cls", ids: [classifier.id], tokens: [classifier.token]),
                            .init(name: "sep", ids: [separator.id], tokens: [separator.token])]
        ).processEncodings(encodings, addSpecialTokens: true)
    }

    public func addedTokenCount(isPair: Bool) -> Int { isPair ? 3 : 2 }
}
