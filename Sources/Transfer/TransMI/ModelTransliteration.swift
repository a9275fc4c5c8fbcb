import Foundation
import Store
import Support
import Tensors
import TextProcessing
import Tokenization

/// TransMI on a model directory: the tokenizer gains the transliterated tokens, the
/// embedding (and untied head, and vocabulary biases) gain their rows, or a static model's
/// quantized vocabulary its tokens (see `QuantizedVocabularyRows`), and everything else is kept; written to a temporary directory and moved into place when complete.
public enum ModelTransliteration {
    /// What to do.
    public struct Options: Sendable {
        /// How a new token comes from its group.
        public var mode: TransliterationMerge.Mode
        /// The ICU transform.
        public var transform = "Any-Latin; Latin-ASCII"
        /// The input embedding tensor, when the architecture is not recognized.
        public var inputTensor: String?
        /// The output head tensor, when the architecture is not recognized.
        public var headTensor: String?

        /// TransMI with `mode`.
        public init(mode: TransliterationMerge.Mode) { self.mode = mode }
    }

    /// What was done: tokens added (BPE pieces included), entries skipped and dropped.
    public struct Summary: Sendable {
        /// Tokens added, BPE pieces added for them, entries skipped and dropped, and rows in all.
        public var added: Int, parts: Int, unsupported: Int, empty: Int, rows: Int
    }

    /// Runs TransMI on the model at `directory` into `output` (opened with the source directory as its input).
    public static func run(directory: String, output: AtomicOutput, options: Options, progress: (String) -> Void = { _ in }) throws -> Summary {
        let model = try SourceModel(directory: directory, inputTensor: options.inputTensor, headTensor: options.headTensor, acceptsQuantized: true)
        let source = model.tokenizer, sourceRows = model.rows
        progress("transliterating the vocabulary")
        let merge = try TransliterationMerge(source: source, mode: options.mode, transform: options.transform)
        let rows = max(sourceRows, Int(merge.newTokens.last?.id ?? 0) + 1)
        let byID = Dictionary(uniqueKeysWithValues: merge.newTokens.map { ($0.id, $0) })
        var replacements: [String: (shape: [Int], bytes: OwnedBytes)] = [:]
        var configSizes = [(key: "vocab_size", value: rows)]
        if let quantized = model.quantized {
            progress("computing the quantized vocabulary")
            replacements = try QuantizedVocabularyRows(source: quantized).rebuilt(rows: rows) { byID[TokenID($0)]?.weights }
            configSizes = [("vocabulary_quantization", replacements[QuantizedVocabulary.clusterName]!.shape[0])]
        }
        for (name, builder) in zip(model.names, model.tensors) {
            var shape = builder.info.shape
            shape[0] = rows
            progress("computing \(name)")
            replacements[name] = (shape, try builder.rebuilt(rows: rows, seed: 0) { row in
                if let token = byID[TokenID(row)] { return .weights(token.weights) }
                return row < sourceRows ? .copy(row) : .mean
            })
        }
        let records = merge.newTokens.map { token in
            ProvenanceStore.Record(id: Int(token.id), token: token.token, text: token.text,
                                   method: token.isPart ? "transmi-part" : "transmi-\(options.mode.rawValue)",
                                   sources: token.weights.map { (Int($0.id), $0.weight) })
        }
        let writer = ModelDirectoryWriter(source: directory, checkpoint: model.checkpoint, config: model.config, replacedFiles: ["tokenizer.json"])
        try writer.write(to: output, replacements: replacements, configSizes: configSizes, provenance: records, settings: [
            ("source", directory), ("method", "transmi"), ("mode", options.mode.rawValue), ("transform", options.transform),
        ], progress: progress) { temporary in
            try merge.tokenizer.write(to: (temporary as NSString).appendingPathComponent("tokenizer.json"))
        }
        let parts = merge.newTokens.filter(\.isPart).count
        return Summary(added: merge.newTokens.count - parts, parts: parts, unsupported: merge.unsupported, empty: merge.empty, rows: rows)
    }
}
