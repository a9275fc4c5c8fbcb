import Foundation
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
    let convention: Convention
    /// How its tokens are matched.
    public let matching: Matching

    enum Convention { case byteLevel, metaspace, wordPiece(String), plain }

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
        let strings = Set(entries.map(\.0))
        if type == "WordPiece" {
            convention = .wordPiece(try model.optionalMember("continuing_subword_prefix")?.string() ?? "##")
        } else if ByteLevelAlphabet.characters.allSatisfy({ strings.contains(String(Unicode.Scalar($0)!)) }) {
            convention = .byteLevel
        } else if strings.contains(where: { $0.utf8.starts(with: Self.metaspace) }) {
            convention = .metaspace
        } else {
            convention = .plain
        }
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

    /// `▁` in UTF-8. Prefixes are compared as bytes: as `Character`s, `▁` or `#` followed by a
    /// combining mark would be one grapheme and never match.
    static let metaspace = Array("\u{2581}".utf8)

    /// The matching key of a token string of a vocabulary following `convention`.
    static func key(_ token: [UInt8], _ convention: Convention, _ matching: Matching) -> [UInt8] {
        guard matching == .decoded else { return token }
        let text = String(decoding: token, as: UTF8.self)
        var wordStart = false
        var bytes: [UInt8] = []
        switch convention {
        case .byteLevel:
            var decoded: [UInt8] = []
            for scalar in text.unicodeScalars {
                guard let byte = ByteLevelAlphabet.byte(of: scalar.value) else { return token }
                decoded.append(byte)
            }
            wordStart = decoded.first == 0x20
            bytes = wordStart ? Array(decoded.dropFirst()) : decoded
        case .metaspace:
            if let byte = ByteFallbackDecoder.byte(of: text) { return [0xFF, byte] }
            wordStart = token.starts(with: Self.metaspace)
            bytes = Array(token.dropFirst(wordStart ? Self.metaspace.count : 0))
        case .wordPiece(let prefix):
            let prefixBytes = Array(prefix.utf8)
            wordStart = !token.starts(with: prefixBytes)
            bytes = Array(token.dropFirst(wordStart ? 0 : prefixBytes.count))
        case .plain:
            bytes = token
        }
        return [wordStart ? 1 : 0] + bytes
    }

    /// The id of the helper token matching `token`, a string of a vocabulary shaped like `other`'s.
    func id(matching token: [UInt8], from other: HelperVocabulary.Convention) -> Int? {
        ids[Self.key(token, other, matching)]
    }

    /// The convention of a tokenizer's vocabulary.
    static func convention(of tokenizer: Tokenizer) -> Convention {
        let vocabulary = tokenizer.model.vocabulary
        if ByteLevelAlphabet.characters.allSatisfy({ vocabulary.id(forScalar: $0) != nil }) { return .byteLevel }
        if let prefix = tokenizer.bpe?.continuingSubwordPrefix { return .wordPiece(prefix) }
        if vocabulary.entries.contains(where: { $0.token.starts(with: metaspace) }) { return .metaspace }
        return .plain
    }
}
