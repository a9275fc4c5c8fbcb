import Foundation
import Support
import TextProcessing

/// A tiktoken rank file (`cl100k_base.tiktoken`, Llama 3's `tokenizer.model`): one
/// `base64-token rank` line per token. A token's rank is its id and its priority when merging.
/// Read, it becomes the byte-level BPE `tokenizer.json` `transformers` converts it into (every
/// split of a token into two tokens a merge, `ignore_merges`); written, a byte-level BPE whose
/// merges are exactly those its ids imply.
public struct TiktokenRanks: Sendable {
    /// The tokens and their ranks, in file order.
    public let entries: [(token: [UInt8], rank: Int)]

    /// Whether `prefix` (the start of a file) looks like a rank file: a base64 token, one space,
    /// a decimal rank.
    public static func looksLikeRanks(_ prefix: Data) -> Bool {
        let line = prefix.prefix { $0 != 0x0A }
        guard let space = line.firstIndex(of: 0x20), space > line.startIndex else { return false }
        let token = line[..<space], rank = line[line.index(after: space)...].filter { $0 != 0x0D }
        let base64 = token.allSatisfy { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2B || $0 == 0x2F || $0 == 0x3D }
        return base64 && !rank.isEmpty && rank.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// Parses a rank file; errors name `path` and the line (not base64, no rank, a rank or token seen before).
    public init(_ data: Data, path: String) throws {
        var entries: [(token: [UInt8], rank: Int)] = []
        var ranks = Set<Int>()
        var tokens = Set<[UInt8]>()
        for (number, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let line = line.last == 0x0D ? line.dropLast() : line
            if line.isEmpty { continue }
            let where_ = "\(path): line \(number + 1)"
            let fields = line.split(separator: 0x20, omittingEmptySubsequences: false)
            guard fields.count == 2, let rank = Int(String(decoding: fields[1], as: UTF8.self)), rank >= 0, rank < Int(Int32.max) else {
                throw ConfigurationError(path: where_, message: "expected a base64 token, one space and a rank")
            }
            guard let decoded = Data(base64Encoded: Data(fields[0])), !decoded.isEmpty else {
                throw ConfigurationError(path: where_, message: "the token is not valid base64")
            }
            let token = [UInt8](decoded)
            guard ranks.insert(rank).inserted else { throw ConfigurationError(path: where_, message: "rank \(rank) appears twice") }
            guard tokens.insert(token).inserted else { throw ConfigurationError(path: where_, message: "the token \(String(decoding: fields[0], as: UTF8.self)) appears twice") }
            entries.append((token, rank))
        }
        guard !entries.isEmpty else { throw ConfigurationError(path: path, message: "no ranks") }
        self.entries = entries
    }

    /// The ranks of a byte-level BPE `tokenizer`: its model's tokens (special tokens aside) as
    /// bytes, ranked by id.
    /// Throws, saying why, when the ids do not rank the merges as tiktoken would (the merges
    /// the ranks imply differ from the model's), or the model is not a plain byte-level BPE;
    /// errors name `source` and the JSON path.
    public init(_ tokenizer: Tokenizer, source: String = "tokenizer.json") throws {
        guard let model = tokenizer.model as? BPEModel else {
            throw ConfigurationError(path: "\(source): model", message: "a tiktoken rank file holds a byte-level BPE; this model is \(VocabularyListing(tokenizer).modelType)")
        }
        var features: [String] = []
        if model.byteFallback { features.append("byte fallback") }
        if model.unknownToken != nil { features.append("an unknown token") }
        if model.continuingSubwordPrefix != nil || model.endOfWordSuffix != nil { features.append("a continuing-subword prefix or end-of-word suffix") }
        if model.dropout != nil { features.append("dropout") }
        guard features.isEmpty else {
            throw ConfigurationError(path: "\(source): model", message: "a tiktoken rank file cannot carry \(features.joined(separator: ", "))")
        }
        var entries: [(token: [UInt8], rank: Int)] = []
        for entry in model.vocabulary.entries where tokenizer.addedVocabulary.tokens[entry.id]?.special != true {
            guard let bytes = ByteLevelAlphabet.decode(entry.token) else {
                throw ConfigurationError(path: "\(source): model.vocab", message: "\(String(decoding: entry.token, as: UTF8.self).debugDescription) (id \(entry.id)) is not a byte-level token")
            }
            entries.append((bytes, Int(entry.id)))
        }
        self.entries = entries.sorted { $0.rank < $1.rank }
        let implied = try mergePairs(path: "\(source): model.vocab")
        let actual = model.merges.map { left, right in (Int(left), Int(right)) }
        if let first = zip(implied, actual).enumerated().first(where: { $0.element.0 != $0.element.1 }) ?? (implied.count != actual.count
            ? (min(implied.count, actual.count), ((-1, -1), (-1, -1))) : nil) {
            throw ConfigurationError(path: "\(source): model.merges[\(first.offset)]", message: "tiktoken joins any two adjacent tokens whose concatenation is a token, by rank; ranked by id, these tokens imply \(implied.count) merges, and the model's \(actual.count) differ from them at merge \(first.offset), so a rank file could encode some text differently")
        }
    }

    /// The rank file's bytes: one `base64 rank` line per token, by rank.
    public var data: Data {
        var text = ""
        for (token, rank) in entries.sorted(by: { $0.rank < $1.rank }) {
            text += Data(token).base64EncodedString() + " \(rank)\n"
        }
        return Data(text.utf8)
    }

    /// The merges the ranks imply, as pairs of ranks: tiktoken joins any two adjacent tokens whose
    /// concatenation is a token, lowest rank first, so every split of a token into two tokens is a
    /// merge, ranked by the token's rank, then by the ranks of the parts (as `transformers`' converter
    /// lists them). Errors name a single byte without a rank (such text could not be encoded).
    func mergePairs(path: String) throws -> [(Int, Int)] {
        var rankOf: [[UInt8]: Int] = [:]
        rankOf.reserveCapacity(entries.count)
        for (token, rank) in entries { rankOf[token] = rank }
        for byte in 0...255 where rankOf[[UInt8(byte)]] == nil {
            throw ConfigurationError(path: path, message: "the single byte 0x\(String(byte, radix: 16, uppercase: true)) has no rank, so some text cannot be encoded")
        }
        var pairs: [(Int, Int)] = []
        for (token, _) in entries.sorted(by: { $0.rank < $1.rank }) where token.count > 1 {
            var local: [(Int, Int)] = []
            for split in 1..<token.count {
                guard let left = rankOf[Array(token[..<split])] else { continue }
                if let right = rankOf[Array(token[split...])] { local.append((left, right)) }
            }
            pairs += local.sorted { $0 < $1 }
        }
        return pairs
    }

    /// The `tokenizer.json` document of these ranks with `encoding`'s pattern and special tokens.
    public func document(encoding: TiktokenEncoding, path: String) throws -> JSONValue {
        let pairs = try mergePairs(path: path)
        var byRank: [Int: String] = [:]
        var vocab: [JSONMember] = []
        vocab.reserveCapacity(entries.count)
        for (token, rank) in entries.sorted(by: { $0.rank < $1.rank }) {
            let string = ByteLevelAlphabet.encode(token)
            byRank[rank] = string
            vocab.append(JSONMember(string, .number(Double(rank))))
        }
        let merges = JSONValue.array(pairs.map { .array([.string(byRank[$0.0]!), .string(byRank[$0.1]!)]) })
        // The special tokens are in the model's vocabulary too, so that their ids are kept where the
        // ranks leave holes (cl100k_base has none at 100256): Hugging Face gives an added token that
        // the model lacks the next free id instead.
        for (token, id) in encoding.specialTokens {
            guard byRank[Int(id)] == nil else {
                throw ConfigurationError(path: path, message: "the special token \(token) of \(encoding.name) has id \(id), which is also a rank of the file")
            }
            vocab.append(JSONMember(token, .number(Double(id))))
        }
        func object(_ members: [(String, JSONValue)]) -> JSONValue { .object(members.map { JSONMember($0.0, $0.1) }) }
        let added = encoding.specialTokens.map { token, id in AddedToken(token, normalized: false, special: true).json(id: id) }
        let byteLevel = { (prefix: Bool, trim: Bool, regex: Bool) in
            object([("type", .string("ByteLevel")), ("add_prefix_space", .bool(prefix)), ("trim_offsets", .bool(trim)), ("use_regex", .bool(regex))])
        }
        let split = object([("type", .string("Split")), ("pattern", object([("Regex", .string(encoding.splitPattern))])),
                            ("behavior", .string("Isolated")), ("invert", .bool(false))])
        return object([
            ("version", .string("1.0")), ("truncation", .null), ("padding", .null), ("added_tokens", .array(added)), ("normalizer", .null),
            ("pre_tokenizer", object([("type", .string("Sequence")), ("pretokenizers", .array([split, byteLevel(false, true, false)]))])),
            ("post_processor", byteLevel(true, false, true)), ("decoder", byteLevel(true, true, true)),
            ("model", object([
                ("type", .string("BPE")), ("dropout", .null), ("unk_token", .null), ("continuing_subword_prefix", .null),
                ("end_of_word_suffix", .null), ("fuse_unk", .bool(false)), ("byte_fallback", .bool(false)), ("ignore_merges", .bool(true)),
                ("vocab", .object(vocab)), ("merges", merges),
            ])),
        ])
    }

    /// The built-in encoding with which these ranks read back into `tokenizer` exactly: the
    /// same document but for the model's vocabulary and merges (which the ranks carry), or nil
    /// when none does: then a rank file loses what the tokenizer has beyond its ranks.
    public func encoding(reproducing tokenizer: Tokenizer) -> TiktokenEncoding? {
        func withoutTables(_ document: JSONValue) -> JSONValue {
            guard case .object(var members) = document, case .object(var model)? = document["model"] else { return document }
            model.removeAll { $0.key == "vocab" || $0.key == "merges" }
            members.set("model", .object(model))
            return .object(members)
        }
        let expected = withoutTables(tokenizer.json)
        let special = tokenizer.addedVocabulary.tokens.filter(\.value.special).map { ($0.value.content, $0.key) }.sorted { $0.1 < $1.1 }
        return TiktokenEncoding.builtIn.first { encoding in
            guard encoding.specialTokens.count == special.count,
                  zip(encoding.specialTokens, special).allSatisfy({ $0.token.utf8.elementsEqual($1.0.utf8) && $0.id == $1.1 }),
                  let document = try? self.document(encoding: encoding, path: ""),
                  let readBack = try? Tokenizer(json: document) else { return false }
            return withoutTables(readBack.json) == expected
        }
    }

    /// The built-in encoding these ranks belong to: the one of their size.
    public func inferredEncoding(path: String) throws -> TiktokenEncoding {
        guard let encoding = TiktokenEncoding.forRankCount(entries.count) else {
            let sizes = TiktokenEncoding.builtIn.compactMap { encoding in encoding.rankCount.map { "\(encoding.name) \($0)" } }
            throw ConfigurationError(path: path, message: "a tiktoken rank file of \(entries.count) ranks matches no built-in encoding by size (\(sizes.joined(separator: ", "))); name its encoding")
        }
        return encoding
    }
}
