import TextProcessing

/// Adds special tokens around the sequences following a template such as
/// `[CLS] $A [SEP] $B:1 [SEP]:1`, and sets each token's type id.
public struct TemplateProcessing: PostProcessor {
    /// One element of a template.
    public enum Piece: Sendable, Equatable {
        /// The first (`A`) or second (`B`) sequence, with the type id of its tokens.
        case sequence(isPair: Bool, typeID: UInt32)
        /// A special token by name, with its type id.
        case specialToken(name: String, typeID: UInt32)
    }

    /// A named special token: the ids and token strings it expands to.
    public struct SpecialToken: Sendable, Equatable {
        public var name: String
        public var ids: [TokenID]
        public var tokens: [String]

        public init(name: String, ids: [TokenID], tokens: [String]) {
            self.name = name
            self.ids = ids
            self.tokens = tokens
        }
    }

    /// The template for one sequence.
    public var single: [Piece]
    /// The template for a pair of sequences.
    public var pair: [Piece]
    /// The special tokens the templates name.
    public var specialTokens: [SpecialToken]

    public init(single: [Piece], pair: [Piece], specialTokens: [SpecialToken]) {
        self.single = single
        self.pair = pair
        self.specialTokens = specialTokens
    }

    public func processEncodings(_ encodings: [Encoding], addSpecialTokens: Bool) -> [Encoding] {
        let first = encodings[0], second = encodings.count > 1 ? encodings[1] : nil
        var result = Encoding()
        for piece in second == nil ? single : pair {
            switch piece {
            case .sequence(let isPair, let typeID):
                guard let sequence = isPair ? second : first else { continue }
                var part = sequence
                part.typeIDs = Array(repeating: typeID, count: part.count)
                part.sequenceIDs = Array(repeating: isPair ? 1 : 0, count: part.count)
                result.append(contentsOf: part)
            case .specialToken(let name, let typeID):
                guard addSpecialTokens, let special = specialTokens.first(where: { $0.name == name }) else { continue }
                for (id, token) in zip(special.ids, special.tokens) {
                    result.append(id: id, token: token, offsets: 0..<0, typeID: typeID, special: true, sequence: nil)
                }
            }
        }
        return [result]
    }

    public func addedTokenCount(isPair: Bool) -> Int {
        (isPair ? pair : single).reduce(0) { count, piece in
            guard case .specialToken(let name, _) = piece else { return count }
            return count + (specialTokens.first { $0.name == name }?.ids.count ?? 0)
        }
    }
}

/// RoBERTa's post-processor: `<s> A </s>` and `<s> A </s></s> B </s>`, every type id 0,
/// with byte-level offset trimming.
public struct RobertaProcessing: PostProcessor {
    public var separator: (token: String, id: TokenID)
    public var classifier: (token: String, id: TokenID)
    public var trimOffsets: Bool
    public var addPrefixSpace: Bool

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

/// BERT's post-processor: `[CLS] A [SEP]` and `[CLS] A [SEP] B [SEP]`, the second sequence with type id 1.
public struct BertProcessing: PostProcessor {
    public var separator: (token: String, id: TokenID)
    public var classifier: (token: String, id: TokenID)

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

/// Post-processors applied one after the other.
public struct PostProcessorSequence: PostProcessor {
    public var processors: [any PostProcessor]

    public init(_ processors: [any PostProcessor]) { self.processors = processors }

    public func processEncodings(_ encodings: [Encoding], addSpecialTokens: Bool) -> [Encoding] {
        processors.reduce(encodings) { $1.processEncodings($0, addSpecialTokens: addSpecialTokens) }
    }

    public func addedTokenCount(isPair: Bool) -> Int { processors.reduce(0) { $0 + $1.addedTokenCount(isPair: isPair) } }
}
