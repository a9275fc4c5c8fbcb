import Support
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
        /// The name templates refer to it by.
        public var name: String
        /// The ids it expands to.
        public var ids: [TokenID]
        /// The token strings it expands to.
        public var tokens: [String]

        /// A named special token.
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

    /// A template post-processor.
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

    /// The template that puts `begin` before and `end` after each sequence (`<s> $A </s>`,
    /// `<s> $A </s> <s> $B:1 </s>:1`), as Hugging Face converters write it; BERT's pair has no
    /// `begin` before its second sequence (`beginsPair` false).
    public static func surrounding(begin: (token: String, id: TokenID)?, end: (token: String, id: TokenID)?, beginsPair: Bool = true) -> TemplateProcessing {
        func frame(_ isPair: Bool) -> [Piece] {
            let type: UInt32 = isPair ? 1 : 0
            let start: [Piece] = isPair && !beginsPair ? [] : begin.map { [.specialToken(name: $0.token, typeID: type)] } ?? []
            return start + [.sequence(isPair: isPair, typeID: type)]
                + (end.map { [.specialToken(name: $0.token, typeID: type)] } ?? [])
        }
        var specials: [SpecialToken] = []
        for token in [begin, end].compactMap({ $0 }) where !specials.contains(where: { $0.name == token.token }) {
            specials.append(SpecialToken(name: token.token, ids: [token.id], tokens: [token.token]))
        }
        return TemplateProcessing(single: frame(false), pair: frame(false) + frame(true), specialTokens: specials)
    }

    /// The post-processor in `tokenizer.json` form.
    public var json: JSONValue {
        func pieces(_ template: [Piece]) -> JSONValue {
            .array(template.map { piece in
                switch piece {
                case .sequence(let isPair, let typeID):
                    return .object([JSONMember("Sequence", .object([JSONMember("id", .string(isPair ? "B" : "A")), JSONMember("type_id", .number(Double(typeID)))]))])
                case .specialToken(let name, let typeID):
                    return .object([JSONMember("SpecialToken", .object([JSONMember("id", .string(name)), JSONMember("type_id", .number(Double(typeID)))]))])
                }
            })
        }
        return .object([
            JSONMember("type", .string("TemplateProcessing")), JSONMember("single", pieces(single)), JSONMember("pair", pieces(pair)),
            JSONMember("special_tokens", .object(specialTokens.map { special in
                JSONMember(special.name, .object([
                    JSONMember("id", .string(special.name)), JSONMember("ids", .array(special.ids.map { .number(Double($0)) })),
                    JSONMember("tokens", .array(special.tokens.map { .string($0) })),
                ]))
            })),
        ])
    }
}
