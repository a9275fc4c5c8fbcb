import ArgumentParser
import Foundation
import Reports
import Support
import TextProcessing
import Tokenization
import Transfer

extension InitializationMethod: ExpressibleByArgument {}
extension HelperVocabulary.Matching: ExpressibleByArgument {}

/// The CLP weighting options shared by `expand` and `transfer`.
struct CLPOptions: ParsableArguments {
    @Option(help: "For clp and omp: the helper model directory (tokenizer.json and safetensors) whose vocabulary has the tokens to place.")
    var helperModel: String?

    @Option(help: "For clp and omp: the helper's input embedding tensor, for architectures Polytoken does not recognize.")
    var helperEmbeddingTensor: String?

    @Option(name: .customLong("omp-atoms"), parsing: .unconditional, help: "For omp: the most anchors a token combines (tokensurgeon's k).")
    var ompAtoms = 64

    @Option(help: "For clp: how anchors are weighted: ratio (the reference: similarity over their sum) or sparsemax (CLP+). Default: sparsemax for expand (ratio rows, thinly spread over thousands of anchors, took 36% of the probability at English positions of SmolLM2, +0.57 bits per byte), ratio for transfer.")
    var clpWeights: String?

    @Option(parsing: .unconditional, help: "For clp: keep only the K most similar anchors (reference formula over them).")
    var clpTopK: Int?

    @Option(help: "For clp and omp: match tokens by exact string (default, as the reference) or by decoded text and word start (Ġ, ▁ and ## conventions meet).")
    var match: HelperVocabulary.Matching = .exact

    /// The helper model these options name, if any.
    func helper() throws -> HelperModel? {
        try helperModel.map { try HelperModel(directory: $0, matching: match, embeddingTensor: helperEmbeddingTensor) }
    }

    /// The combination `method` (clp or omp) names with these options, CLP weighted by
    /// `defaultWeights` unless `--clp-weights` or `--clp-top-k` says otherwise.
    func combination(_ method: String, defaultWeights: String) throws -> any AnchorCombination {
        switch method {
        case "clp": return CLPTransfer(weighting: try weighting(default: defaultWeights))
        case "omp":
            guard ompAtoms > 0 else { throw ValidationError("--omp-atoms must be positive") }
            return OrthogonalMatchingPursuit(atoms: ompAtoms)
        default: throw ValidationError("the method must be clp or omp, not \(method)")
        }
    }

    /// The weighting these options name, `defaultWeights` when they name none.
    func weighting(default defaultWeights: String) throws -> CLPWeighting {
        if let clpTopK {
            guard clpTopK > 0, (clpWeights ?? "ratio") == "ratio" else { throw ValidationError("--clp-top-k needs a positive K and ratio weights") }
            return .topK(clpTopK)
        }
        switch clpWeights ?? defaultWeights {
        case "ratio": return .ratio
        case "sparsemax": return .sparsemax
        default: throw ValidationError("--clp-weights must be ratio or sparsemax")
        }
    }
}

/// `polytoken expand`: adds target-language tokens to a model directory.
struct ExpandCommand: SummarizingCommand {
    static let configuration = CommandConfiguration(
        commandName: "expand",
        abstract: "Add target-language tokens to a model's tokenizer and initialize their embeddings.",
        discussion: """
            The model directory holds tokenizer.json, config.json and safetensors weights (model.safetensors or \
            shards with model.safetensors.index.json). Every source id, token, merge and row is kept; other tensors \
            and files are copied byte for byte. The output also holds provenance.sqlite: per new token, the method \
            and the source ids and weights its row combines.

            Examples:
              polytoken expand --model llama2/ --target-corpus corpora-samples/monolingual/ru.txt --new-tokens 4000 -o llama2-ru/
              polytoken expand --model llama2/ --target-corpus ru/ --new-tokens 4000 --report report.html -o llama2-ru/
              polytoken expand --model llama2/ --target-corpus ru/ --new-tokens 4000 --method clp --helper-model ru-helper/ -o llama2-ru-clp/
            """)

    @Option(help: "The source model directory.")
    var model: String

    @Option(name: .customLong("target-corpus"), parsing: .upToNextOption, help: "Target-language text: files, directories or .gz files, one document per line.")
    var targetCorpus: [String]

    @Option(name: .customLong("new-tokens"), parsing: .unconditional, help: "How many tokens to add.")
    var newTokens: Int

    @Option(name: .customLong("protect-corpus"), parsing: .upToNextOption, help: "Text in the languages the model already serves (files, directories or .gz files): no new token may change how it is encoded. Default: a built-in English sample; `none` protects nothing.")
    var protectCorpus: [String] = []

    @Option(name: .customLong("max-changed-lines"), parsing: .unconditional, help: "Refuse the expansion when more protected lines than this encode differently.")
    var maxChangedLines = 0

    @Option(help: "Which scripts new tokens are written in (besides the spaces, marks and joiners between words): auto (when the target corpus uses a script the protected text does not, such as Cyrillic for Russian, tokens holding a character outside ASCII, the protected text and its scripts; otherwise any token with a letter), any, or ISO 15924 codes or names, comma-separated (Hebr,Cyrillic).")
    var scripts = "auto"

    @Option(help: "Initialization: heuristic (align, else merge, else mean), align or merge (else mean), mean, random, clp or omp (from --helper-model, else heuristic), or transtokenize (from --parallel, else heuristic).")
    var method: InitializationMethod = .heuristic

    @Option(parsing: .unconditional, help: "Seed of the random rows.")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Pull the output-head rows Mean, Merge, Align and trans-tokenization make towards minus the head's mean source row by this much (0 to 1; 0 keeps the recipes' rows). Default: 0.1 for a language model (a head tensor, or config.json architectures naming one), 0 otherwise. On SmolLM2 0.1 cut the zero-shot held-out loss by 2-13%: new rows take less probability where they are not the target.")
    var center: Double?

    @Option(parsing: .unconditional, help: "Pad the row count to a multiple of this (such as 8 or 64).")
    var padToMultiple: Int?

    @OptionGroup var clp: CLPOptions

    @OptionGroup(title: "Trans-tokenization") var alignment: AlignmentOptions

    @OptionGroup(title: "Trans-tokenization") var transTokenization: TransTokenizationOptions

    @OptionGroup var modelWrite: ModelWriteOptions

    @Option(name: .shortAndLong, help: "The output model directory (written under a temporary name, then moved into place).")
    var output: String

    @Option(name: .customLong("report"), help: "Also write an HTML report (as `polytoken stats -o`) comparing the source and the expanded tokenizer on the target and protected corpora, each file a language. Replaced with --force.")
    var reportFile: String?

    func validate() throws {
        try require(newTokens, atLeast: 1, "--new-tokens")
        try require(padToMultiple, in: 1...ModelTransform.maximumPadMultiple, "--pad-to-multiple")
        try require(maxChangedLines, atLeast: 0, "--max-changed-lines")
        try require(center, in: 0...1, "--center")
        guard (method == .transtokenize) == (alignment.parallel != nil) else {
            throw ValidationError("--method transtokenize and --parallel go together")
        }
        guard ![.clp, .omp].contains(method) || clp.helperModel != nil else { throw ValidationError("--method \(method.rawValue) needs --helper-model") }
    }

    func summary() throws -> CommandSummary {
        let protects = protectCorpus == ["none"] ? [] : protectCorpus
        let inputs = [model] + targetCorpus + protects + [clp.helperModel].compactMap { $0 } + alignment.inputs
        let destination = try modelWrite.open(output, inputs: inputs)
        let reportDestination = try reportFile.map { try openOutput($0, .file, replacing: modelWrite.force, inputs: inputs + [output]) }
        let table = try transTokenization.openTable(inputs: inputs, beside: destination)
        for entry in try CorpusReader(paths: targetCorpus).listing().skipped { warn("warning: \(entry)") }
        var initializer: (any RowInitializer)?
        if [.clp, .omp].contains(method), let helper = try clp.helper() {
            initializer = HelperInitializer(helper: helper, combination: try clp.combination(method.rawValue, defaultWeights: "sparsemax"), anchors: .sourceTokens)
        } else if method == .transtokenize, let parallel = alignment.source {
            initializer = TransTokenizationInitializer(alignment: .parallel(parallel, alignment.options, save: table),
                                                       options: transTokenization.mapping, mapsEveryToken: false)
        }
        var expansion = try TokenExpansion(corpus: CorpusReader(paths: targetCorpus), count: newTokens)
        if protectCorpus == ["none"] {
            expansion.protected = nil
        } else if !protects.isEmpty {
            expansion.protected = .corpus(CorpusReader(paths: protects))
        }
        expansion.maximumChangedLines = maxChangedLines
        switch scripts {
        case "auto": expansion.scripts = .automatic
        case "any": expansion.scripts = .any
        default: expansion.scripts = .only(try ScriptSet(names: scripts.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }))
        }
        var transform = modelWrite.configured(try ModelTransform.expansion(directory: model, change: expansion, method: method,
                                                                           initializer: initializer))
        transform.seed = seed
        if let center { transform.centering = center }
        transform.padToMultiple = padToMultiple
        let progress = Progress()
        let report = try transform.run(into: destination) { progress.stage($0) }
        progress.finish()
        let before = try Tokenizer(modelDirectory: model)
        let after = try Tokenizer(contentsOf: PathName.join(destination.resolvedPath, ModelFiles.tokenizer))
        let statistics = try TokenizationStatistics.measure([before, after], over: CorpusReader(paths: targetCorpus)).statistics
        if let reportDestination, let reportFile {
            let languages = try LanguageCorpus.languages(in: targetCorpus + protects)
            let comparison = try TokenizerComparison.measure([before, after], names: ["source", "expanded"], languages: languages).comparison
            try reportDestination.write(Data(comparison.html(title: "Expansion of \(model) to \(output)").utf8))
            warn("report -> \(reportFile)")
        }
        var summary = CommandSummary(report: report, output: output)
        summary.add("tokens_per_word", .array(statistics.map { .number($0.tokensPerWord) }))
        summary.add("bytes_per_token", .array(statistics.map { .number($0.bytesPerToken) }))
        let methods = report.methods.map { "\($0.key.label) \($0.value)" }.sorted()
        summary.lines.insert("added \(report.initialized) tokens (\(methods.joined(separator: ", "))); rows \(report.sourceRows) -> \(report.rows) in \(report.tensors.joined(separator: ", "))", at: 0)
        summary.lines.append(String(format: "target corpus: %.3f -> %.3f tokens per word, %.2f -> %.2f bytes per token",
                                    statistics[0].tokensPerWord, statistics[1].tokensPerWord, statistics[0].bytesPerToken, statistics[1].bytesPerToken))
        let counts = report.counts
        summary.lines.append("new tokens: \(counts["dead", default: 0]) never produced on the target corpus (steps towards longer tokens), \(counts["unreachable", default: 0]) unreachable")
        summary.lines.append("merges refused: \(counts["refused_existing", default: 0]) already tokens, \(counts["refused_protected", default: 0]) changing protected text, \(counts["refused_script", default: 0]) outside the scripts")
        if let lines = counts["protected_lines"] {
            summary.lines.append("protected text: \(lines) lines, \(counts["protected_lines_changed", default: 0]) encoded differently")
        }
        if let unreachable = counts["unreachable"], unreachable > 0 {
            summary.notes.append("warning: \(unreachable) new tokens cannot be produced by the encoder; please report this")
        }
        return summary
    }
}
