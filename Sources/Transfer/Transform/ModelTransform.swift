import Foundation
import Support
import Tensors
import TextProcessing
import Tokenization

/// The one transfer pipeline: opens a source model directory, applies a vocabulary change,
/// plans every row with a chain of initializers, rebuilds the vocabulary tensors (input
/// embedding, untied head, biases, or a static model's quantized vocabulary), and writes the
/// output directory with its provenance database, the configurations' special-token ids and the
/// tokenizer files written for the new vocabulary. The other files are copied byte for byte.
///
/// `expand`, `transfer`, `transtokenize` and `transmi` are configurations of it (see
/// ``expansion(directory:corpus:newTokens:method:initializer:)`` and its siblings).
public struct ModelTransform {
    /// Which model to read.
    public struct Source: Sendable {
        /// The model directory.
        public var directory: String
        /// The input embedding tensor, when the architecture is not recognized.
        public var inputTensor: String?
        /// The output head tensor, when the architecture is not recognized.
        public var headTensor: String?

        /// The model at `directory`, its tensors found by architecture.
        public init(directory: String) { self.directory = directory }
    }

    /// What was done.
    public struct Report: Sendable {
        /// Rows of the source and of the output.
        public var sourceRows: Int, rows: Int
        /// The ids the initializers planned.
        public var initialized: Int
        /// How many planned rows each method made.
        public var methods: [RowProvenance.Method: Int]
        /// Counts the vocabulary change reports.
        public var counts: [String: Int]
        /// The tensors rebuilt.
        public var tensors: [String]
        /// How many rows each method made that ``RowCheck`` refused (their ids went to the next initializer).
        public var rejected: [RowProvenance.Method: Int]
    }

    /// The source model.
    public var source: Source
    /// The vocabulary change.
    public var change: any VocabularyChange
    /// The initializers, in the order they are tried for each row.
    public var initializers: [any RowInitializer]
    /// The seed of the random rows.
    public var seed: UInt64 = 0
    /// How far the output-head rows of Mean, Merge, Align and trans-tokenization
    /// (`RowProvenance.Method.isCentered`) are pulled towards minus the mean source row: each
    /// such row of the head (the untied head, or the embedding of a tied language model; see
    /// `SourceModel.outputHead`) is its weighted sum minus this multiple of the head's mean
    /// source row. nil (the default of an expansion): ``defaultCentering`` when the model has an
    /// output head, else 0. A non-zero value is refused for a model without one. On SmolLM2
    /// (tied), 0.1 cut the zero-shot held-out loss of Mean, Merge and Align by 2–13% and, in a
    /// numpy run on Arabic, of trans-tokenization by 9%, English unchanged: the new rows take less probability at
    /// positions where they are not the target (`tools/reports/expansion-row-variants.md`).
    public var centering: Double? = 0
    /// The centering an expansion uses when ``centering`` is nil and the model has an output head.
    public static let defaultCentering = 0.1
    /// Pads the row count up to a multiple of this, if set.
    public var padToMultiple: Int?
    /// Roles whose output token the user decides (nil: no token), over the source's declarations.
    public var specialTokenMap: [SpecialTokens.Role: String?] = [:]
    /// Whether source special tokens the new vocabulary lacks are added to it (rows copied from
    /// the source's) rather than refused; a missing unk becomes the new model's unknown token.
    public var addsMissingSpecialTokens = false
    /// How the output's merges are written; nil keeps the source's when the tokenizer is extended
    /// (pairs when strings cannot hold a new merge), the target's when it is replaced.
    public var mergesFormat: MergesFormat?
    /// The provenance settings of a run of a transform, given the output's row count; the
    /// initializers' settings follow them.
    public var settings: (_ transform: ModelTransform, _ rows: Int) -> [(key: String, value: String)]

    /// The largest `padToMultiple` accepted.
    public static let maximumPadMultiple = 65_536

    /// A transform of `source` by `change`, its rows planned by `initializers`.
    public init(source: Source, change: any VocabularyChange, initializers: [any RowInitializer],
                settings: @escaping (_ transform: ModelTransform, _ rows: Int) -> [(key: String, value: String)]) {
        self.source = source
        self.change = change
        self.initializers = initializers
        self.settings = settings
    }

    /// Runs the transform into `output` (opened with the paths read as its inputs); `progress`
    /// receives stage names.
    public func run(into output: AtomicOutput, progress: @escaping (String) -> Void = { _ in }) throws -> Report {
        if let multiple = padToMultiple, !(1...Self.maximumPadMultiple).contains(multiple) {
            throw TransferError.invalidOption("the row count can be padded to a multiple between 1 and \(Self.maximumPadMultiple), not \(multiple)")
        }
        let model = try SourceModel(directory: source.directory, inputTensor: source.inputTensor, headTensor: source.headTensor,
                                    acceptsQuantized: change.acceptsQuantizedVocabulary)
        let centering = try centering(of: model)
        let sourceListing = VocabularyListing(model.tokenizer)
        let sourceSpecialTokens = try SpecialTokens(vocabulary: sourceListing, directory: source.directory)
        let requested = sourceSpecialTokens.overriding(specialTokenMap)
        guard requested.problems.isEmpty else { throw TransferError.specialTokenConflicts(requested.problems) }
        var vocabulary = try change.apply(to: model.tokenizer, rows: model.rows, directory: source.directory, progress: progress)
        let specialTokens = try outputSpecialTokens(requested, source: sourceListing, vocabulary: &vocabulary)
        var rows = vocabulary.rows
        if let multiple = padToMultiple, multiple > 1, rows % multiple != 0 { rows += multiple - rows % multiple }

        var plans = RowPlans(vocabulary.plans)
        let context = try TransferContext(source: model.tokenizer, sourceRows: model.rows, target: vocabulary.tokenizer,
                                      expansion: vocabulary.expansion, corpus: vocabulary.corpus, directory: source.directory,
                                      sourceSpecialTokens: sourceSpecialTokens, specialTokens: specialTokens, tensors: model.tensors, protectedIDs: vocabulary.protectedIDs, progress: progress)
        try context.plan(vocabulary.initialized, with: initializers, into: &plans)
        let unplanned = vocabulary.initialized.filter { plans[$0] == nil }
        if let first = unplanned.first { throw TransferError.unplannedRows(count: unplanned.count, first: first) }

        let replacements = try rebuild(model, rows: rows, vocabulary: vocabulary, plans: plans, centering: centering, progress: progress)
        let centeringSettings = centering == 0 ? [] : [("centering", String(centering)), ("centered_tensor", model.names[model.outputHead!])]
        var config = [(key: "vocab_size", value: rows)]
        if model.quantized != nil { config = [("vocabulary_quantization", replacements[QuantizedVocabulary.clusterName]!.shape[0])] }
        var methods: [RowProvenance.Method: Int] = [:]
        let records = vocabulary.initialized.map { id -> ProvenanceStore.Record in
            let provenance = plans[id]!.provenance
            methods[provenance.method, default: 0] += 1
            let (token, text) = vocabulary.describe(id)
            return ProvenanceStore.Record(id: Int(id), token: token, text: text, method: provenance.method.label,
                                          sources: provenance.sources.map { (Int($0.id), $0.weight) },
                                          rejected: (plans.rejections[id] ?? []).map { ($0.method.label, $0.problem) })
        }
        let files = plans.files
        let writer = ModelDirectoryWriter(source: source.directory, checkpoint: model.checkpoint, config: model.config,
                                          tokenizer: .init(source: sourceListing, target: vocabulary.listing, specialTokens: specialTokens,
                                                           mergesFormat: mergesFormat ?? (vocabulary.replacesTokenizer ? nil : model.tokenizer.mergesFormat),
                                                           mergesFormatAsked: mergesFormat != nil))
        try writer.write(to: output, replacements: replacements, configSizes: config, provenance: records,
                         settings: settings(self, rows) + centeringSettings + plans.settings,
                         progress: progress) { temporary in
            try vocabulary.writeFiles(temporary)
            for file in files { try file.write(PathName.join(temporary, file.name)) }
        }
        var rejected: [RowProvenance.Method: Int] = [:]
        for attempts in plans.rejections.values {
            for attempt in attempts { rejected[attempt.method, default: 0] += 1 }
        }
        return Report(sourceRows: model.rows, rows: rows, initialized: vocabulary.initialized.count, methods: methods,
                      counts: vocabulary.counts, tensors: replacements.keys.sorted(), rejected: rejected)
    }

    /// The output's special tokens: `requested` when `vocabulary` has them all; otherwise, with
    /// ``addsMissingSpecialTokens``, unk becomes the token the new model emits and the other
    /// missing tokens are appended to `vocabulary` with the source's rows; otherwise an error.
    /// An unk that is not what the new model emits is refused.
    private func outputSpecialTokens(_ requested: SpecialTokens, source: VocabularyListing, vocabulary: inout ChangedVocabulary) throws -> SpecialTokens {
        var specialTokens = requested
        var missing = specialTokens.missing(in: vocabulary.listing)
        if addsMissingSpecialTokens, missing.contains(where: { $0.role == .unk }), let unknown = vocabulary.listing.unknownToken {
            // The new model emits its own unknown token: an added one would never be produced.
            specialTokens = specialTokens.overriding([.unk: unknown])
            missing = specialTokens.missing(in: vocabulary.listing)
        }
        if !missing.contains(where: { $0.role == .unk }), let problem = specialTokens.unknownTokenProblem(in: vocabulary.listing, path: "the new tokenizer.json") {
            throw TransferError.specialTokenConflicts([problem])
        }
        guard !missing.isEmpty else { return specialTokens }
        let sourceIDs = missing.map { source.id(for: $0.token) }
        guard addsMissingSpecialTokens, vocabulary.replacesTokenizer, !sourceIDs.contains(nil) else { throw TransferError.missingSpecialTokens(missing) }
        vocabulary = vocabulary.appendingSpecialTokens(zip(missing, sourceIDs).map { ($0.token, $1!) })
        return specialTokens
    }

    /// The centering of `model`'s output-head rows in this run (see ``centering``), checked
    /// before any work.
    private func centering(of model: SourceModel) throws -> Double {
        guard let asked = centering else { return model.outputHead == nil ? 0 : Self.defaultCentering }
        guard asked != 0 else { return 0 }
        guard (0...1).contains(asked) else { throw TransferError.invalidOption("the centering must be between 0 and 1, not \(asked)") }
        if let quantized = model.quantized {
            throw TransferError.unsupported("\(quantized.mapping.file.path): centering rows is not supported for a quantized vocabulary")
        }
        guard model.outputHead != nil else {
            throw TransferError.unsupported("\(source.directory): centering pulls the rows of an output head, and this model has none "
                                            + "(no head tensor, and config.json's architectures names no language model)")
        }
        return asked
    }

    /// The rebuilt vocabulary tensors, by name; `centering` applies to the output head's rows.
    private func rebuild(_ model: SourceModel, rows: Int, vocabulary: ChangedVocabulary, plans: RowPlans, centering: Double,
                         progress: (String) -> Void) throws -> [String: RebuiltTensor] {
        var replacements: [String: RebuiltTensor] = [:]
        if let quantized = model.quantized {
            progress("computing the quantized vocabulary")
            let rebuilt = try QuantizedVocabularyRows(source: quantized).rebuilt(rows: rows) { row in
                switch plans[TokenID(row)]?.values {
                case nil: return nil
                case .weights(let weights)?: return weights
                case .copy(let id)?: return [(id, 1)]
                case .explicit?, .random?:
                    throw TransferError.inconsistentModel(path: quantized.mapping.file.path, problem: "row \(row) of a quantized vocabulary can only combine source tokens")
                }
            }
            replacements = rebuilt.mapValues { RebuiltTensor(shape: $0.shape, bytes: $0.bytes) }
        }
        for (index, (name, tensor)) in zip(model.names, model.tensors).enumerated() {
            progress("computing \(name)")
            replacements[name] = try tensor.rebuilt(rows: rows, seed: seed) { row in
                guard let plan = plans[TokenID(row)] else { return row < vocabulary.keptRows ? .copy(row) : .mean }
                switch plan.values {
                case .copy(let id): return .copy(Int(id))
                case .weights(let weights):
                    return .weights(weights, centering: index == model.outputHead && plan.provenance.method.isCentered ? centering : 0)
                case .explicit(let rows, let position): return .explicit(rows.matrices[index], position)
                case .random: return .random
                }
            }
        }
        return replacements
    }
}
