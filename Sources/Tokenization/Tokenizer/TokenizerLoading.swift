import Foundation
import Support
import TextProcessing

extension Tokenizer {
    /// Loads a tokenizer file of any ``TokenizerFormat`` (a `tokenizer.json`, a SentencePiece
    /// model, a GGUF file, a tiktoken rank file of a built-in encoding's size). A SentencePiece
    /// model, and a GGUF `t5` file, encode exactly as `sentencepiece` (see
    /// ``SentencePieceModelFile/tokenizer(postProcessor:)``).
    /// Errors name the file and the JSON path, key or record of the problem.
    public init(contentsOf path: String) throws {
        switch try TokenizerFormat.detect(path) {
        case .sentencePiece:
            self = try SentencePieceModelFile(contentsOf: path).tokenizer()
            return
        case .gguf:
            let metadata = try GGUFMetadata(contentsOf: path, keeping: GGUFTokenizer.isTokenizerKey)
            if let tokenizer = try GGUFTokenizer.sentencePieceTokenizer(metadata) {
                self = tokenizer
                return
            }
            try self.init(json: GGUFTokenizer.document(metadata), source: path)
            return
        default: break
        }
        try self.init(json: TokenizerFormat.document(contentsOf: path), source: path)
    }

    /// Builds a tokenizer from a parsed `tokenizer.json` document; `source` names it in errors.
    public init(json document: JSONValue, source: String = "tokenizer.json") throws {
        try self.init(json: document, source: source, bpeTables: nil)
    }

    /// Builds a tokenizer from a document whose BPE vocabulary and merges, when `bpeTables`
    /// gives them, were already read (from a ``TokenizerCache`` file).
    init(json document: JSONValue, source: String, bpeTables: BPETables?) throws {
        let root = JSONNode(document, path: "\(source):")
        if let version = try root.optionalMember("version"), try version.string() != "1.0" {
            throw ConfigurationError(path: version.path, message: "unsupported version (expected \"1.0\")")
        }
        let pipeline = try TextPipeline(tokenizerJSON: root)
        let modelNode = try root.member("model")
        var addedCount = 0
        if case .array(let added)? = document["added_tokens"] { addedCount = added.count }
        let model: any TokenizerModel
        switch try modelNode.optionalMember("type")?.string() {
        case "Unigram": model = try Self.unigramModel(modelNode)
        case "WordPiece": model = try Self.wordPieceModel(modelNode, addedTokenCount: addedCount)
        case "WordLevel": model = try Self.wordLevelModel(modelNode, addedTokenCount: addedCount)
        default: model = try Self.bpeModel(modelNode, addedTokenCount: addedCount, tables: bpeTables)
        }
        let addedTokens = try root.optionalMember("added_tokens")?.elements().map { node in
            AddedToken(try node.member("content").string(),
                       singleWord: try node.bool("single_word", default: false),
                       leftStrip: try node.bool("lstrip", default: false),
                       rightStrip: try node.bool("rstrip", default: false),
                       normalized: try node.bool("normalized", default: true),
                       special: try node.bool("special", default: false))
        } ?? []
        try self.init(
            model: model, addedTokens: addedTokens, pipeline: pipeline,
            postProcessor: try root.optionalMember("post_processor").map(ComponentDecoding.postProcessor),
            decoder: try root.optionalMember("decoder").map(ComponentDecoding.decoder),
            truncation: try root.optionalMember("truncation").map(Truncation.init),
            padding: try root.optionalMember("padding").map(Padding.init),
            document: document, mergesFormat: bpeTables?.mergesFormat)
    }

    /// A BPE model's vocabulary and merges, read already.
    struct BPETables {
        var vocabulary: Vocabulary
        var merges: [(TokenID, TokenID)]
        /// The id each merge forms.
        var results: [TokenID]
        var mergesFormat: MergesFormat?
    }

    /// The ids a vocabulary of `count` entries (model and added tokens) may use. Hugging Face
    /// allows holes between ids; the vocabulary is a table by id, so ids are bounded by the
    /// file's own size rather than allocating in proportion to whatever id it names.
    static func idLimit(entries count: Int) -> Int { 2 * count + 1024 }

    static func bpeModel(_ node: JSONNode, addedTokenCount: Int = 0, tables: BPETables? = nil) throws -> BPEModel {
        if let type = try node.optionalMember("type") {
            let name = try type.string()
            guard name == "BPE" else {
                throw ConfigurationError(path: type.path, message: "unsupported model type \(name.debugDescription) (expected \"BPE\", \"WordPiece\", \"WordLevel\" or \"Unigram\")")
            }
        }
        let vocabulary = try tables?.vocabulary ?? vocabularyTable(try node.member("vocab"), addedTokenCount: addedTokenCount)
        var merges: [(TokenID, TokenID)] = tables?.merges ?? []
        if tables == nil, let mergesNode = try node.optionalMember("merges") {
            guard case .array(let elements) = mergesNode.value else {
                throw ConfigurationError(path: mergesNode.path, message: "expected an array")
            }
            merges.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                let path = { "\(mergesNode.path)[\(index)]" }
                let left: String, right: String
                switch element {
                case .string(let line):
                    let parts = MergesFormat.parts(of: line)
                    guard parts.count == 2 else { throw ConfigurationError(path: path(), message: "a merge must have exactly two parts") }
                    (left, right) = (String(parts[0]), String(parts[1]))
                case .array(let pair):
                    guard pair.count == 2, case .string(let first) = pair[0], case .string(let second) = pair[1] else {
                        throw ConfigurationError(path: path(), message: "a merge must have exactly two parts")
                    }
                    (left, right) = (first, second)
                default:
                    throw ConfigurationError(path: path(), message: "expected a merge as [\"a\", \"b\"] or \"a b\"")
                }
                guard let leftID = vocabulary.id(for: left), let rightID = vocabulary.id(for: right) else {
                    let missing = vocabulary.id(for: left) == nil ? left : right
                    throw ConfigurationError(path: path(), message: "merge part \(missing.debugDescription) is not in the vocabulary")
                }
                merges.append((leftID, rightID))
            }
        }
        let dropout = try node.optionalMember("dropout").map { Float(try $0.double()) }
        if let dropout, !(0...1).contains(dropout) {
            throw ConfigurationError(path: "\(node.path).dropout", message: "dropout must be between 0 and 1")
        }
        do {
            return try BPEModel(
                vocabulary: vocabulary, merges: merges, results: tables?.results,
                unknownToken: try node.optionalMember("unk_token")?.string(),
                continuingSubwordPrefix: try node.optionalMember("continuing_subword_prefix")?.string(),
                endOfWordSuffix: try node.optionalMember("end_of_word_suffix")?.string(),
                fuseUnknown: try node.bool("fuse_unk", default: false),
                byteFallback: try node.bool("byte_fallback", default: false),
                ignoreMerges: try node.bool("ignore_merges", default: false),
                dropout: dropout)
        } catch let error as TokenizerError {
            throw ConfigurationError(path: node.path, message: error.description)
        }
    }

    static func wordPieceModel(_ node: JSONNode, addedTokenCount: Int) throws -> WordPieceModel {
        let vocabulary = try vocabularyTable(try node.member("vocab"), addedTokenCount: addedTokenCount)
        do {
            return try WordPieceModel(vocabulary: vocabulary, unknownToken: try node.optionalMember("unk_token")?.string() ?? "[UNK]",
                                      continuingSubwordPrefix: try node.optionalMember("continuing_subword_prefix")?.string() ?? "##",
                                      maximumCharactersPerWord: try node.optionalMember("max_input_chars_per_word")?.int(in: 0...Int(Int32.max)) ?? 100)
        } catch let error as TokenizerError {
            throw ConfigurationError(path: node.path, message: error.description)
        }
    }

    static func wordLevelModel(_ node: JSONNode, addedTokenCount: Int) throws -> WordLevelModel {
        let vocabulary = try vocabularyTable(try node.member("vocab"), addedTokenCount: addedTokenCount)
        do {
            return try WordLevelModel(vocabulary: vocabulary, unknownToken: try node.optionalMember("unk_token")?.string() ?? "<unk>")
        } catch let error as TokenizerError {
            throw ConfigurationError(path: node.path, message: error.description)
        }
    }

    /// The `{token: id}` table of a BPE, WordPiece or WordLevel model, ids bounded by ``idLimit(entries:)``.
    static func vocabularyTable(_ vocabNode: JSONNode, addedTokenCount: Int) throws -> Vocabulary {
        guard case .object(let entries) = vocabNode.value else {
            throw ConfigurationError(path: vocabNode.path, message: "expected an object of token: id")
        }
        var vocabulary = Vocabulary(capacity: entries.count)
        var seenIDs = Set<TokenID>(minimumCapacity: entries.count)
        let limit = idLimit(entries: entries.count + addedTokenCount)
        for entry in entries {
            guard case .number(let number) = entry.value, let id = TokenID(exactly: number) else {
                throw ConfigurationError(path: "\(vocabNode.path).\(entry.key)", message: "expected a non-negative integer id")
            }
            guard Int(id) < limit else {
                throw ConfigurationError(path: "\(vocabNode.path).\(entry.key)",
                                         message: "id \(id) is far beyond this vocabulary of \(entries.count + addedTokenCount) tokens (ids must stay below \(limit))")
            }
            let bytes = Array(entry.key.utf8)
            guard seenIDs.insert(id).inserted else {
                throw ConfigurationError(path: "\(vocabNode.path).\(entry.key)", message: "duplicate id \(id)")
            }
            guard vocabulary.id(for: bytes) == nil else {
                throw ConfigurationError(path: "\(vocabNode.path).\(entry.key)", message: "duplicate token")
            }
            vocabulary.insert(bytes, id: id)
        }
        return vocabulary
    }

    static func unigramModel(_ node: JSONNode) throws -> UnigramModel {
        let vocab = try node.member("vocab")
        guard case .array(let elements) = vocab.value else { throw ConfigurationError(path: vocab.path, message: "expected an array of [piece, score]") }
        let pieces = try elements.enumerated().map { index, element -> (String, Double) in
            guard case .array(let pair) = element, pair.count == 2, case .string(let piece) = pair[0], case .number(let score) = pair[1] else {
                throw ConfigurationError(path: "\(vocab.path)[\(index)]", message: "expected [piece, score]")
            }
            return (piece, score)
        }
        do {
            return try UnigramModel(pieces: pieces, unknownID: try node.optionalMember("unk_id")?.int(),
                                    byteFallback: try node.bool("byte_fallback", default: false))
        } catch let error as TokenizerError {
            throw ConfigurationError(path: node.path, message: error.description)
        }
    }
}
