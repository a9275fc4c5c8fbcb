import Support
import TextProcessing

/// A WordLevel model with Hugging Face `tokenizers` semantics: each pre-tokenized piece is one
/// token, looked up whole; a piece not in the vocabulary becomes the unknown token.
public struct WordLevelModel: TokenizerModel {
    /// The vocabulary.
    public let vocabulary: Vocabulary
    /// The id of the unknown token.
    public let unknownID: TokenID

    /// A model of `vocabulary`; throws when `unknownToken` is not in it (Hugging Face fails at the
    /// first piece outside the vocabulary instead).
    public init(vocabulary: Vocabulary, unknownToken: String = "<unk>") throws {
        guard let unknownID = vocabulary.id(for: unknownToken) else {
            throw TokenizerError.invalidModel("the unknown token \(unknownToken.debugDescription) is not in the vocabulary")
        }
        self.vocabulary = vocabulary
        self.unknownID = unknownID
    }

    public var unknownToken: String? { vocabulary.string(for: unknownID) }
    public var isStochastic: Bool { false }
    public func isByteFallbackToken(_ id: TokenID) -> Bool { false }

    public func tokenize(_ piece: UnsafeBufferPointer<UInt32>, workspace: inout BPEWorkspace, into tokens: inout [ModelToken], cached: Bool) {
        guard !piece.isEmpty else { return }
        _ = workspace.loadUTF8(piece)
        let id = workspace.bytes.withUnsafeBufferPointer { vocabulary.id(for: $0) } ?? unknownID
        tokens.append(ModelToken(id: id, start: 0, end: Int32(piece.count)))
    }

    public var json: JSONValue {
        .object([
            JSONMember("type", .string("WordLevel")),
            JSONMember("vocab", .object(vocabulary.entries.map { JSONMember(String(decoding: $0.token, as: UTF8.self), .number(Double($0.id))) })),
            JSONMember("unk_token", .string(unknownToken ?? "<unk>")),
        ])
    }
}
