import Foundation
import Support
import TextProcessing
import Tokenization

/// The token strings of any `tokenizer.json` (BPE, WordPiece, Unigram, WordLevel) with their
/// ids, and the key each is matched by: its exact string, or its decoded text with a
/// word-start flag, so that `Ġword`, `▁word` and `word` (WordPiece, not `##word`) meet.
public struct HelperVocabulary: Sendable {
    /// How tokens of different conventions are matched.
    public enum Matching: String, Sendable, CaseIterable {
        /// Identical strings only (the reference).
        case exact
        /// Identical decoded text and word-start flag.
        case decoded
    }

    /// Ids by matching key.
    public let ids: [[UInt8]: Int]
    /// Token strings (UTF-8) by id.
    public let tokens: [Int: [UInt8]]
    /// How its vocabulary writes word starts and bytes.
    public let convention: VocabularyConvention
    /// How its tokens are matched.
    public let matching: Matching

    /// Reads the vocabulary (model entries and added tokens) of the tokenizer.json at `path`.
    public init(contentsOf path: String, matching: Matching) throws {
        let document = JSONNode(try JSONValue.parse(contentsOf: path), path: "\(path):")
        let model = try document.member("model")
        var entries: [(String, Int)] = []
        let vocab = try model.member("vocab")
        func id(_ node: JSONNode) throws -> Int {
            let id = try node.int()
            guard id >= 0 else { throw ConfigurationError(path: node.path, message: "expected a non-negative integer id") }
            return id
        }
        switch vocab.value {
        case .object:
            for (token, node) in try vocab.members() { entries.append((token, try id(node))) }
        case .array:
            for (index, element) in try vocab.elements().enumerated() {
                guard let piece = try element.elements().first else { throw ConfigurationError(path: element.path, message: "expected [piece, score]") }
                entries.append((try piece.string(), index))
            }
        default:
            throw ConfigurationError(path: vocab.path, message: "expected an object or an array")
        }
        for token in try document.optionalMember("added_tokens")?.elements() ?? [] {
            entries.append((try token.member("content").string(), try id(token.member("id"))))
        }
        let type = try model.optionalMember("type")?.string()
        convention = VocabularyConvention(tokens: Set(entries.map(\.0)), wordPiecePrefix: type == "WordPiece"
            ? try model.optionalMember("continuing_subword_prefix")?.string() ?? "##" : nil)
        self.matching = matching
        var ids: [[UInt8]: Int] = [:]
        var tokens: [Int: [UInt8]] = [:]
        for (token, id) in entries {
            let bytes = Array(token.utf8)
            let key = Self.key(bytes, convention, matching)
            if ids[key] == nil { ids[key] = id }
            if tokens[id] == nil { tokens[id] = bytes }
        }
        self.ids = ids
        self.tokens = tokens
    }

    /// The matching key of a token string of a vocabulary following `convention`.
    static func key(_ token: [UInt8], _ convention: VocabularyConvention, _ matching: Matching) -> [UInt8] {
        matching == .decoded ? convention.decodedKey(token) : token
    }

    /// The id of the helper token matching `token`, a string of a vocabulary shaped like `other`'s.
    func id(matching token: [UInt8], from other: VocabularyConvention) -> Int? {
        ids[Self.key(token, other, matching)]
    }
}
