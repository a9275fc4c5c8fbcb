import Alignment
import Foundation
import Store
import Support
import Tensors
import TextProcessing
import Tokenization

/// Expands a Hugging Face model directory: its tokenizer gains target-language tokens, its
/// embedding (and untied head, and vocabulary biases) gain rows initialized from source
/// rows, and everything else is copied byte for byte. The output directory is written
/// under a temporary name and moved into place only when complete (see ``AtomicOutput``).
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
        /// The vocabulary size of the auxiliary tokenizer trained on the target corpus.
        public var auxiliaryVocabularySize = 50_000
        /// The helper model directory, for `clp`.
        public var helperModel: String?
        /// The helper's input embedding tensor, when its architecture is not recognized.
        public var helperEmbeddingTensor: String?
        /// How CLP weighs the anchors.
        public var clpWeighting: CLPWeighting = .ratio
        /// How tokens are matched between the source and the helper.
        public var matching: HelperVocabulary.Matching = .exact
        /// The parallel corpus, for `transtokenize`.
        public var parallel: ParallelCorpusReader.Source?
        /// How the parallel corpus is cleaned and aligned, for `transtokenize`.
        public var alignment = ParallelAlignment.Options()
        /// The trans-tokenization recipe's options.
        public var mapping = TokenMapping.Options()

        /// Options adding `newTokens` tokens with the defaults.
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

    /// The largest `padToMultiple` accepted.
    public static let maximumPadMultiple = 65_536

    /// Expands the model at `directory` with `targetCorpus` into `output` (opened with the paths
    /// read as its inputs); for `transtokenize`, the alignment table is also written to
    /// `saveAlignment` when given. `progress` receives stage names.
    public static func run(directory: String, targetCorpus: CorpusReader, output: AtomicOutput, saveAlignment: AtomicOutput? = nil,
                           options: Options, progress: (String) -> Void = { _ in }) throws -> Summary {
        if options.method == .transtokenize && options.parallel == nil { throw TransferError.invalidModel("--method transtokenize needs --parallel") }
        if let multiple = options.padToMultiple, !(1...maximumPadMultiple).contains(multiple) {
            throw TransferError.invalidModel("the row count can be padded to a multiple between 1 and \(maximumPadMultiple), not \(multiple)")
        }
        guard options.newTokens > 0 else { throw TransferError.invalidModel("the number of new tokens must be positive, not \(options.newTokens)") }
        let model = try SourceModel(directory: directory, inputTensor: options.inputTensor, headTensor: options.headTensor)
        let source = model.tokenizer, sourceRows = model.rows, names = model.names, tensors = model.tensors

        progress("reading the target corpus")
        var lines: [String] = []
        _ = try targetCorpus.forEachDocument { line, _ in lines.append(line.withoutLineEnding) }
        progress("training the auxiliary tokenizer")
        let words = try VocabularyExpansion.wordCounter(for: source).count(lines)
        let expansion = try VocabularyExpansion(source: source, words: words, count: options.newTokens,
                                                auxiliaryVocabularySize: options.auxiliaryVocabularySize)
        progress("initializing \(options.newTokens) rows by \(options.method.rawValue)")
        var initializations = try Initializers(source: source, expansion: expansion).initializations(options.method, lines: lines)
        var expandedRows = max(sourceRows, Int(expansion.newTokens.last!.id) + 1)
        if let multiple = options.padToMultiple, multiple > 1, expandedRows % multiple != 0 {
            expandedRows += multiple - expandedRows % multiple
        }

        var explicit: [TokenID: Int] = [:]
        var explicitRows: [CLPTransfer.Matrix] = []
        if options.method == .clp {
            guard let helperDirectory = options.helperModel else { throw TransferError.invalidModel("--method clp needs --helper-model") }
            progress("CLP-Transfer from \(helperDirectory)")
            let helper = try HelperModel(directory: helperDirectory, matching: options.matching, embeddingTensor: options.helperEmbeddingTensor)
            let (ids, result, anchors) = try helper.transfer(source: source, sourceRows: sourceRows,
                                                             targets: expansion.newTokens.map { ($0.id, $0.token) },
                                                             tensors: tensors, weighting: options.clpWeighting)
            let positionOf = Dictionary(uniqueKeysWithValues: initializations.indices.map { (initializations[$0].id, $0) })
            for (index, id) in ids.enumerated() where result.succeeded[index] {
                explicit[id] = index
                let position = positionOf[id]!
                initializations[position] = TokenInitialization(
                    id: id, method: .clp,
                    weights: result.largestWeights[index].map { (anchors[$0.anchor], $0.weight) }.sorted { $0.0 < $1.0 })
            }
            explicitRows = result.rows
        }
        var transTokenization: ExpansionTransTokenization?
        if options.method == .transtokenize, let corpus = options.parallel {
            transTokenization = try ExpansionTransTokenization(initializations: &initializations, corpus: corpus, directory: directory,
                                                               source: source, expanded: expansion.tokenizer, options: options,
                                                               saveAlignment: saveAlignment, progress: progress)
        }
        var replacements: [String: (shape: [Int], bytes: OwnedBytes)] = [:]
        for (index, rows) in tensors.enumerated() {
            progress("computing \(names[index])")
            var shape = rows.info.shape
            shape[0] = expandedRows
            let byID = Dictionary(uniqueKeysWithValues: initializations.map { ($0.id, $0) })
            replacements[names[index]] = (shape, try rows.rebuilt(
                rows: expandedRows, explicit: explicitRows.isEmpty ? nil : explicitRows[index], seed: options.seed) { row in
                guard let initialization = byID[TokenID(row)] else { return row < sourceRows ? .copy(row) : .mean }
                if let position = explicit[initialization.id] { return .explicit(position) }
                return initialization.method == .random ? .random : .weights(initialization.weights)
            })
        }

        let records = initializations.map { initialization in
            ProvenanceStore.Record(
                id: Int(initialization.id),
                token: expansion.tokenizer.model.vocabulary.string(for: initialization.id) ?? "",
                text: expansion.tokenizer.decode([initialization.id]),
                method: transTokenization?.kinds[initialization.id].map { "transtokenize-\($0.rawValue)" } ?? initialization.method.rawValue,
                sources: initialization.weights.map { (Int($0.id), $0.weight) })
        }
        let writer = ModelDirectoryWriter(source: directory, checkpoint: model.checkpoint, config: model.config, replacedFiles: ["tokenizer.json"])
        try writer.write(to: output, replacements: replacements, configSizes: [("vocab_size", expandedRows)], provenance: records, settings: [
            ("source", directory), ("method", options.method.rawValue), ("seed", String(options.seed)),
            ("new_tokens", String(options.newTokens)), ("rows", String(expandedRows)),
        ] + (transTokenization?.settings ?? []), progress: progress) { temporary in
            try expansion.tokenizer.write(to: (temporary as NSString).appendingPathComponent("tokenizer.json"))
            if let json = transTokenization?.json {
                try TokenMapping.write(json, inDirectory: temporary)
            }
        }
        var methods: [InitializationMethod: Int] = [:]
        for initialization in initializations { methods[initialization.method, default: 0] += 1 }
        return Summary(added: expansion.newTokens.count, methods: methods, sourceRows: sourceRows, expandedRows: expandedRows,
                       tensors: replacements.keys.sorted())
    }
}
