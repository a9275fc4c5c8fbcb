import Foundation
import Support
import Tensors
import Tokenization

/// What a training engine sees in a model or tokenizer directory: the vocabulary size against
/// `config.json`'s `vocab_size` and the embedding (and head) rows, every special token with its
/// id and where it was declared, the merges format and the text pipeline; and every
/// inconsistency among them (``problems``). Every model-writing transform runs it on its output
/// before moving it into place.
public struct ModelDirectoryInspection {
    /// A vocabulary tensor and its rows.
    public struct Tensor: Sendable {
        /// Its name in the checkpoint.
        public var name: String
        /// Its first dimension.
        public var rows: Int
        /// The safetensors file holding it.
        public var file: String
    }

    /// The directory inspected.
    public let directory: String
    /// Its `tokenizer.json`.
    public let tokenizerPath: String
    /// The tokenizer's tokens and ids.
    public let vocabulary: VocabularyListing
    /// The special tokens by role.
    public let specialTokens: SpecialTokens
    /// `config.json`'s `vocab_size`, if any.
    public let configVocabularySize: Int?
    /// The input embedding, when the directory holds weights Polytoken recognizes.
    public let embedding: Tensor?
    /// The untied output head, if any.
    public let head: Tensor?
    /// The normalizer, pre-tokenizer, post-processor and decoder, each as its type (a
    /// sequence's as its members' types).
    public let pipeline: [(stage: String, summary: String)]
    /// Each inconsistency, naming its file and key; empty for a consistent directory.
    public let problems: [String]

    /// Inspects `path`: a directory, or a `tokenizer.json` file (with the files beside it).
    public init(path: String) throws {
        let isDirectory = FileStatus(path: path)?.kind == .directory
        directory = isDirectory ? path : PathName.directory(of: path)
        tokenizerPath = isDirectory ? PathName.join(path, ModelFiles.tokenizer) : path
        guard FileManager.default.fileExists(atPath: tokenizerPath) else {
            throw InputError(path: tokenizerPath, message: "no tokenizer.json")
        }
        let document = try JSONValue.parse(contentsOf: tokenizerPath)
        vocabulary = try VocabularyListing(document: document, path: tokenizerPath)
        specialTokens = try SpecialTokens(vocabulary: vocabulary, directory: directory)
        pipeline = ["normalizer", "pre_tokenizer", "post_processor", "decoder"].map { ($0, Self.summary(of: document[$0] ?? .null)) }
        var problems = specialTokens.problems.map(\.description)
        for (token, stored, assigned) in vocabulary.misnumberedTokens {
            problems.append("\(tokenizerPath) added_tokens: \(token.debugDescription) is stored at id \(stored), but tokenizers gives it id \(assigned)")
        }
        if let problem = specialTokens.unknownTokenProblem(in: vocabulary, path: tokenizerPath) { problems.append(problem.description) }

        let configPath = PathName.join(directory, ModelFiles.config)
        var configNode: JSONNode?
        if FileManager.default.fileExists(atPath: configPath) {
            let config = try JSONValue.parse(contentsOf: configPath)
            guard case .object = config else { throw ConfigurationError(path: configPath, message: "expected a JSON object") }
            configNode = JSONNode(config, path: configPath)
        }
        configVocabularySize = try configNode?.optionalMember("vocab_size")?.int()
        if isDirectory, !FileManager.default.fileExists(atPath: PathName.join(directory, ModelFiles.tokenizerConfig)) {
            problems.append("\(PathName.join(directory, ModelFiles.tokenizerConfig)): missing, so transformers guesses the tokenizer class and special tokens")
        }
        let hasWeights = try isDirectory && FileManager.default.contentsOfDirectory(atPath: directory).contains { $0.hasSuffix(".safetensors") }
        var embedding: Tensor?, head: Tensor?
        if hasWeights {
            let checkpoint = try Checkpoint(directory: directory)
            if try QuantizedVocabulary(checkpoint: checkpoint) == nil,
               let layout = try? EmbeddingLayout.find(in: checkpoint, tieWordEmbeddings: try configNode?.optionalMember("tie_word_embeddings")?.bool()) {
                let tensor = { (name: String) in checkpoint.tensor(name).map { Tensor(name: name, rows: $0.info.shape.first ?? 0, file: $0.file.path) }! }
                embedding = tensor(layout.input)
                head = layout.head.map(tensor)
            }
        }
        (self.embedding, self.head) = (embedding, head)
        if let embedding {
            if vocabulary.count > embedding.rows {
                problems.append("\(tokenizerPath): \(vocabulary.count) ids but \(embedding.name) has only \(embedding.rows) rows")
            }
            if let head, head.rows != embedding.rows {
                problems.append("\(head.file) \(head.name): \(head.rows) rows but \(embedding.name) has \(embedding.rows)")
            }
            if let size = configVocabularySize, size != embedding.rows {
                problems.append("\(configPath) vocab_size: \(size) but \(embedding.name) has \(embedding.rows) rows")
            }
        } else if let size = configVocabularySize, size < vocabulary.count {
            problems.append("\(configPath) vocab_size: \(size) but \(tokenizerPath) has \(vocabulary.count) ids")
        }
        self.problems = problems
    }

    /// The lines `polytoken inspect` prints.
    public var report: [String] {
        var lines = ["tokenizer: \(tokenizerPath) (\(vocabulary.modelType), \(vocabulary.count) ids, \(vocabulary.addedTokens.count) added tokens"
            + (vocabulary.mergesFormat.map { ", merges as \($0.rawValue)" } ?? "") + ")"]
        lines.append("config.json vocab_size: " + (configVocabularySize.map(String.init) ?? "none"))
        lines.append("embedding: " + (embedding.map { "\($0.name), \($0.rows) rows" } ?? "none found"))
        if embedding != nil { lines.append("head: " + (head.map { "\($0.name), \($0.rows) rows" } ?? "tied to the embedding")) }
        for (stage, summary) in pipeline { lines.append("\(stage): \(summary)") }
        for role in SpecialTokens.Role.allCases {
            guard let token = specialTokens.tokens[role] else { continue }
            let id = vocabulary.id(for: token).map(String.init) ?? "not in the vocabulary"
            let places = specialTokens.declarations[role]?.map(\.description).joined(separator: "; ") ?? "found by its usual name"
            lines.append("\(role.rawValue): \(token.debugDescription) = \(id) (\(places))")
        }
        if !specialTokens.additional.isEmpty {
            lines.append("additional special tokens: " + specialTokens.additional.map(\.debugDescription).joined(separator: " "))
        }
        lines.append(problems.isEmpty ? "consistent" : "\(problems.count) problem\(problems.count == 1 ? "" : "s"):")
        return lines + problems.map { "  \($0)" }
    }

    private static func summary(of component: JSONValue) -> String {
        guard case .string(let type)? = component["type"] else { return "none" }
        for key in ["normalizers", "pretokenizers", "processors", "decoders"] {
            if case .array(let members)? = component[key] { return "\(type)[" + members.map(summary(of:)).joined(separator: ", ") + "]" }
        }
        return type
    }
}
