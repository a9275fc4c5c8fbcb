import Support
import TextProcessing

/// A WordPiece model (BERT) with Hugging Face `tokenizers` semantics: greedy longest match
/// first, each piece after the first looked up with the continuing-subword prefix (`##`); a
/// piece longer than ``maximumCharactersPerWord`` characters, or one that cannot be covered,
/// becomes the unknown token whole.
public struct WordPieceModel: TokenizerModel {
    /// The vocabulary.
    public let vocabulary: Vocabulary
    /// The id of the unknown token.
    public let unknownID: TokenID
    /// The prefix of every token that does not start a piece.
    public let continuingSubwordPrefix: String
    /// Pieces with more characters become the unknown token.
    public let maximumCharactersPerWord: Int
    private let prefix: [UInt8]

    /// A model of `vocabulary`; throws when `unknownToken` is not in it.
    public init(vocabulary: Vocabulary, unknownToken: String = "[UNK]", continuingSubwordPrefix: String = "##", maximumCharactersPerWord: Int = 100) throws {
        guard let unknownID = vocabulary.id(for: unknownToken) else {
            throw TokenizerError.invalidModel("the unknown token \(unknownToken.debugDescription) is not in the vocabulary")
        }
        self.vocabulary = vocabulary
        self.unknownID = unknownID
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maximumCharactersPerWord = maximumCharactersPerWord
        prefix = Array(continuingSubwordPrefix.utf8)
    }

    public var unknownToken: String? { vocabulary.string(for: unknownID) }
    public var isStochastic: Bool { false }
    public func isByteFallbackToken(_ id: TokenID) -> Bool { false }

    public func tokenize(_ piece: UnsafeBufferPointer<UInt32>, workspace: inout BPEWorkspace, into tokens: inout [ModelToken], cached: Bool) {
        guard !piece.isEmpty else { return }
        guard piece.count <= maximumCharactersPerWord else {
            tokens.append(ModelToken(id: unknownID, start: 0, end: Int32(piece.count)))
            return
        }
        let byteStart = workspace.loadUTF8(piece)
        if cached, workspace.bytes.withUnsafeBufferPointer({ workspace.cache.append($0, to: &tokens) }) { return }
        let firstNew = tokens.count
        var candidate: [UInt8] = []
        var start = 0
        while start < piece.count {
            var end = piece.count
            var found: TokenID?
            while start < end {
                candidate.removeAll(keepingCapacity: true)
                if start > 0 { candidate.append(contentsOf: prefix) }
                candidate.append(contentsOf: workspace.bytes[byteStart[start]..<byteStart[end]])
                if let id = vocabulary.id(for: candidate) {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else {
                tokens.removeSubrange(firstNew...)
                tokens.append(ModelToken(id: unknownID, start: 0, end: Int32(piece.count)))
                break
            }
            tokens.append(ModelToken(id: found, start: Int32(start), end: Int32(end)))
            start = end
        }
        if cached { workspace.bytes.withUnsafeBufferPointer { workspace.cache.store($0, tokens[firstNew...]) } }
    }

    public var json: JSONValue {
        .object([
            JSONMember("type", .string("WordPiece")),
            JSONMember("unk_token", .string(unknownToken ?? "[UNK]")),
            JSONMember("continuing_subword_prefix", .string(continuingSubwordPrefix)),
            JSONMember("max_input_chars_per_word", .number(Double(maximumCharactersPerWord))),
            JSONMember("vocab", .object(vocabulary.entries.map { JSONMember(String(decoding: $0.token, as: UTF8.self), .number(Double($0.id))) })),
        ])
    }
}
