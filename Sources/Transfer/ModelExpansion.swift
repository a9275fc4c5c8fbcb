import Foundation
import Store
import Tensors
import TextProcessing
import Tokenization

/// Expands a Hugging Face model directory: its tokenizer gains target-language tokens, its
/// embedding (and untied head, and vocabulary biases) gain rows initialized from source
/// rows, and everything else is copied byte for byte. The output directory is written
/// under a temporary name and moved into place only when complete.
public struct ModelExpansion {
    /// What to do.
    public struct Options: Sendable {
        /// How many tokens to add.
        public var newTokens: Int
        /// How their rows are initialized.
        public var method: InitializationMethod = .heuristic
        /// Seed of the random rows.
        public var seed: UInt64 = 0
        /// Pads the row count up to a multiple of this, if set.
        public var padToMultiple: Int?
        /// The input embedding tensor, when the architecture is not recognized.
        public var inputTensor: String?
        /// The output head tensor, when the architecture is not recognized.
        public var headTensor: String?
        /// Replaces an existing output directory.
        public var force = false
        /// The vocabulary size of the auxiliary tokenizer trained on the target corpus.
        public var auxiliaryVocabularySize = 50_000

        public init(newTokens: Int) { self.newTokens = newTokens }
    }

    /// What was done.
    public struct Summary: Sendable {
        /// Tokens added.
        public var added: Int
        /// How many new rows each method produced.
        public var methods: [InitializationMethod: Int]
        /// Rows of the source and of the expanded matrices.
        public var sourceRows: Int, expandedRows: Int
        /// The tensors resized.
        public var tensors: [String]
    }

    /// Expands the model at `directory` with `targetCorpus` into `output`; `progress` receives stage names.
    public static func run(directory: String, targetCorpus: CorpusReader, output: String, options: Options,
                           progress: (String) -> Void = { _ in }) throws -> Summary {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: output) && !options.force { throw TransferError.outputExists(output) }
        let tokenizerPath = (directory as NSString).appendingPathComponent("tokenizer.json")
        let configPath = (directory as NSString).appendingPathComponent("config.json")
        let source = try Tokenizer(contentsOf: tokenizerPath)
        let config = try JSONValue.parse(try readFile(configPath), source: configPath)
        let configNode = JSONNode(config, path: configPath)
        let checkpoint = try Checkpoint(directory: directory)
        let layout = try EmbeddingLayout.find(in: checkpoint, tieWordEmbeddings: try configNode.optionalMember("tie_word_embeddings")?.bool(),
                                              input: options.inputTensor, head: options.headTensor)
        let input = checkpoint.tensor(layout.input)!
        let sourceRows = input.info.shape[0]
        if let declared = try configNode.optionalMember("vocab_size")?.int(), declared != sourceRows {
            throw TransferError.invalidModel("\(configPath): vocab_size is \(declared) but \(layout.input) has \(sourceRows) rows")
        }
        guard source.vocabularySize <= sourceRows else {
            throw TransferError.invalidModel("\(tokenizerPath) has \(source.vocabularySize) ids but \(layout.input) only \(sourceRows) rows")
        }

        progress("reading the target corpus")
        var lines: [String] = []
        _ = try targetCorpus.forEachDocument { line, _ in lines.append(line.withoutLineEnding) }
        progress("training the auxiliary tokenizer")
        let words = try VocabularyExpansion.wordCounter(for: source).count(lines)
        let expansion = try VocabularyExpansion(source: source, words: words, count: options.newTokens,
                                                auxiliaryVocabularySize: options.auxiliaryVocabularySize)
        progress("initializing \(options.newTokens) rows by \(options.method.rawValue)")
        let initializations = try Initializers(source: source, expansion: expansion).initializations(options.method, lines: lines)
        var expandedRows = max(sourceRows, Int(expansion.newTokens.last!.id) + 1)
        if let multiple = options.padToMultiple, multiple > 1, expandedRows % multiple != 0 {
            expandedRows += multiple - expandedRows % multiple
        }

        var replacements: [String: (shape: [Int], bytes: OwnedBytes)] = [:]
        for name in [layout.input] + (layout.head.map { [$0] } ?? []) + layout.biases {
            let tensor = checkpoint.tensor(name)!
            guard tensor.info.shape.first == sourceRows else {
                throw TransferError.invalidModel("\(tensor.file.path): \(name) has shape \(tensor.info.shape), expected \(sourceRows) rows")
            }
            progress("computing \(name)")
            let rows = EmbeddingRows(file: tensor.file, info: tensor.info)
            var shape = tensor.info.shape
            shape[0] = expandedRows
            replacements[name] = (shape, try rows.resized(to: expandedRows, initializations: initializations, seed: options.seed))
        }

        let parent = (output as NSString).deletingLastPathComponent
        let temporary = ((parent.isEmpty ? "." : parent) as NSString)
            .appendingPathComponent(".\((output as NSString).lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        try? fileManager.removeItem(atPath: temporary)
        do {
            try fileManager.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            for name in try fileManager.contentsOfDirectory(atPath: directory).sorted() {
                let from = (directory as NSString).appendingPathComponent(name)
                let to = (temporary as NSString).appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                if !fileManager.fileExists(atPath: from, isDirectory: &isDirectory) || isDirectory.boolValue || name.hasSuffix(".safetensors") || name == "config.json" || name == "tokenizer.json"
                    || name == "model.safetensors.index.json" { continue }
                try fileManager.copyItem(atPath: from, toPath: to)
            }
            var totalSize = 0
            for file in checkpoint.files {
                let name = (file.path as NSString).lastPathComponent
                progress("writing \(name)")
                let entries = file.tensors.map { tensor -> SafetensorsWriter.Entry in
                    if let replacement = replacements[tensor.name] {
                        return SafetensorsWriter.Entry(name: tensor.name, dtype: tensor.dtype, shape: replacement.shape,
                                                       content: .bytes(UnsafeRawBufferPointer(replacement.bytes.buffer)))
                    }
                    return SafetensorsWriter.Entry(name: tensor.name, dtype: tensor.dtype, shape: tensor.shape, content: .tensor(file, tensor))
                }
                try withExtendedLifetime(replacements) {
                    try SafetensorsWriter.write(entries, metadata: file.metadata, to: (temporary as NSString).appendingPathComponent(name))
                }
                totalSize += entries.reduce(0) { $0 + $1.shape.reduce(1, *) * $1.dtype.size }
            }
            if checkpoint.isSharded {
                try writeIndex(from: (directory as NSString).appendingPathComponent("model.safetensors.index.json"),
                               to: (temporary as NSString).appendingPathComponent("model.safetensors.index.json"), totalSize: totalSize)
            }
            try writeConfig(config, vocabularySize: expandedRows, to: (temporary as NSString).appendingPathComponent("config.json"))
            try expansion.tokenizer.write(to: (temporary as NSString).appendingPathComponent("tokenizer.json"))
            let records = initializations.map { initialization in
                ProvenanceStore.Record(
                    id: Int(initialization.id),
                    token: expansion.tokenizer.model.vocabulary.string(for: initialization.id) ?? "",
                    text: expansion.tokenizer.decode([initialization.id]),
                    method: initialization.method.rawValue,
                    sources: initialization.weights.map { (Int($0.id), $0.weight) })
            }
            try ProvenanceStore.write(records, settings: [
                ("source", directory), ("method", options.method.rawValue), ("seed", String(options.seed)),
                ("new_tokens", String(options.newTokens)), ("rows", String(expandedRows)),
            ], to: (temporary as NSString).appendingPathComponent("provenance.sqlite"))
            if fileManager.fileExists(atPath: output) { try fileManager.removeItem(atPath: output) }
            guard rename(temporary, output) == 0 else {
                throw TransferError.invalidModel("cannot move \(temporary) to \(output): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? fileManager.removeItem(atPath: temporary)
            throw error
        }
        var methods: [InitializationMethod: Int] = [:]
        for initialization in initializations { methods[initialization.method, default: 0] += 1 }
        return Summary(added: expansion.newTokens.count, methods: methods, sourceRows: sourceRows, expandedRows: expandedRows,
                       tensors: replacements.keys.sorted())
    }

    private static func readFile(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TransferError.invalidModel("\(path): cannot read: \(error.localizedDescription)")
        }
    }

    private static func writeConfig(_ config: JSONValue, vocabularySize: Int, to path: String) throws {
        guard case .object(var members) = config else { throw TransferError.invalidModel("config.json is not an object") }
        if let index = members.firstIndex(where: { $0.key == "vocab_size" }) {
            members[index].value = .number(Double(vocabularySize))
        } else {
            members.append(JSONMember("vocab_size", .number(Double(vocabularySize))))
        }
        try Data(JSONWriter.pretty(.object(members)).utf8).write(to: URL(fileURLWithPath: path))
    }

    private static func writeIndex(from source: String, to path: String, totalSize: Int) throws {
        guard case .object(var members) = try JSONValue.parse(try readFile(source), source: source) else {
            throw TransferError.invalidModel("\(source) is not an object")
        }
        if let index = members.firstIndex(where: { $0.key == "metadata" }), case .object(var metadata) = members[index].value {
            if let total = metadata.firstIndex(where: { $0.key == "total_size" }) { metadata[total].value = .number(Double(totalSize)) }
            members[index].value = .object(metadata)
        }
        try Data(JSONWriter.pretty(.object(members)).utf8).write(to: URL(fileURLWithPath: path))
    }
}
