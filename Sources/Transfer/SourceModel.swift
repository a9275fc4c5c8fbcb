import Foundation
import Support
import Tensors
import TextProcessing
import Tokenization

/// A source model directory as every transfer reads it: its tokenizer, `config.json`,
/// checkpoint and vocabulary tensors (input embedding, untied head, biases), checked to
/// agree with each other.
struct SourceModel {
    let directory: String
    let tokenizer: Tokenizer
    let config: JSONValue
    let checkpoint: Checkpoint
    /// The vocabulary tensors' names: input, then head, then biases.
    let names: [String]
    /// The vocabulary tensors, in the order of `names`.
    let tensors: [EmbeddingRows]
    /// Their common row count (for a quantized vocabulary, the tokens it maps).
    let rows: Int
    /// The quantized vocabulary of a static embedding model, in place of vocabulary tensors.
    let quantized: QuantizedVocabulary?
    /// The index in `tensors` of the rows that score the next token: the untied head, or the
    /// input embedding of a tied language model (`config.json` `architectures` names a
    /// `…ForCausalLM`, `…LMHeadModel`, `…ForMaskedLM` or `…ForConditionalGeneration`); nil for
    /// an embedding model or an architecture that does not say.
    let outputHead: Int?

    /// Class-name endings of the architectures whose embedding is also their output head when
    /// no head tensor is separate.
    static let languageModelHeads = ["ForCausalLM", "LMHeadModel", "ForMaskedLM", "ForConditionalGeneration"]

    /// Opens `directory`; `inputTensor`/`headTensor` name the tensors for unrecognized architectures.
    /// A quantized vocabulary (model2vec's `embeddings`, `mapping`, `weights`) is accepted only
    /// when `acceptsQuantized`. Throws when `vocab_size`, the tokenizer's ids and the tensors'
    /// rows disagree.
    init(directory: String, inputTensor: String?, headTensor: String?, acceptsQuantized: Bool = false) throws {
        let tokenizerPath = Tokenizer.file(inModelDirectory: directory)
        let configPath = (directory as NSString).appendingPathComponent(ModelFiles.config)
        self.directory = directory
        try Self.checkDirectory(directory)
        tokenizer = try Tokenizer(modelDirectory: directory)
        config = try JSONValue.parse(contentsOf: configPath)
        let configNode = JSONNode(config, path: configPath)
        checkpoint = try Checkpoint(directory: directory)
        if inputTensor == nil, let quantized = try QuantizedVocabulary(checkpoint: checkpoint) {
            guard acceptsQuantized else {
                throw TransferError.unsupported("\(quantized.mapping.file.path): a quantized static-model vocabulary (embeddings, mapping, weights) is supported by transmi only")
            }
            guard tokenizer.vocabularySize <= quantized.tokenCount else {
                throw TransferError.inconsistentModel(path: tokenizerPath, problem: "has \(tokenizer.vocabularySize) ids but \(QuantizedVocabulary.mappingName) only \(quantized.tokenCount) entries")
            }
            self.quantized = quantized
            (names, tensors, rows, outputHead) = ([], [], quantized.tokenCount, nil)
            return
        }
        quantized = nil
        let layout = try EmbeddingLayout.find(in: checkpoint, tieWordEmbeddings: try configNode.optionalMember("tie_word_embeddings")?.bool(),
                                              input: inputTensor, head: headTensor)
        names = [layout.input] + (layout.head.map { [$0] } ?? []) + layout.biases
        let architectures = try configNode.optionalMember("architectures")?.elements().map { try $0.string() } ?? []
        let languageModel = architectures.contains { name in Self.languageModelHeads.contains { name.hasSuffix($0) } }
        outputHead = layout.head != nil ? 1 : languageModel ? 0 : nil
        let rows = checkpoint.tensor(layout.input)!.info.shape[0]
        self.rows = rows
        if let declared = try configNode.optionalMember("vocab_size")?.int(), declared != rows {
            throw TransferError.inconsistentModel(path: configPath, problem: "vocab_size is \(declared) but \(layout.input) has \(rows) rows")
        }
        guard tokenizer.vocabularySize <= rows else {
            throw TransferError.inconsistentModel(path: tokenizerPath, problem: "has \(tokenizer.vocabularySize) ids but \(layout.input) only \(rows) rows")
        }
        let checkpoint = self.checkpoint
        tensors = try names.map { name -> EmbeddingRows in
            let tensor = checkpoint.tensor(name)!
            guard tensor.info.shape.first == rows else {
                throw TransferError.inconsistentModel(path: tensor.file.path, problem: "\(name) has shape \(tensor.info.shape), expected \(rows) rows")
            }
            return try EmbeddingRows(file: tensor.file, info: tensor.info, isBias: layout.biases.contains(name))
        }
    }

    /// Throws unless `directory` is an existing directory.
    static func checkDirectory(_ directory: String) throws {
        switch FileStatus(path: directory)?.kind {
        case .directory?: return
        case nil: throw TransferError.noModelDirectory(path: directory, isFile: false)
        default: throw TransferError.noModelDirectory(path: directory, isFile: true)
        }
    }
}
