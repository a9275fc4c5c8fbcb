import ArgumentParser
import Foundation
import Support
import TextProcessing
import Tokenization
import Transfer

extension InitializationMethod: ExpressibleByArgument {}
extension HelperVocabulary.Matching: ExpressibleByArgument {}

/// The CLP weighting options shared by `expand` and `transfer`.
struct CLPOptions: ParsableArguments {
    @Option(help: "For clp: the helper model directory (tokenizer.json and safetensors) whose vocabulary has the tokens to place.")
    var helperModel: String?

    @Option(help: "For clp: the helper's input embedding tensor, for architectures Polytoken does not recognize.")
    var helperEmbeddingTensor: String?

    @Option(help: "For clp: how anchors are weighted: ratio (the reference: similarity over their sum) or sparsemax (CLP+).")
    var clpWeights: String = "ratio"

    @Option(parsing: .unconditional, help: "For clp: keep only the K most similar anchors (reference formula over them).")
    var clpTopK: Int?

    @Option(help: "For clp: match tokens by exact string (default, as the reference) or by decoded text and word start (Ġ, ▁ and ## conventions meet).")
    var match: HelperVocabulary.Matching = .exact

    /// The weighting these options name.
    func weighting() throws -> CLPWeighting {
        if let clpTopK {
            guard clpTopK > 0, clpWeights == "ratio" else { throw ValidationError("--clp-top-k needs a positive K and ratio weights") }
            return .topK(clpTopK)
        }
        switch clpWeights {
        case "ratio": return .ratio
        case "sparsemax": return .sparsemax
        default: throw ValidationError("--clp-weights must be ratio or sparsemax")
        }
    }
}

/// `polytoken expand`: adds target-language tokens to a model directory.
struct ExpandCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expand",
        abstract: "Add target-language tokens to a model's tokenizer and initialize their embeddings.",
        discussion: """
            The model directory holds tokenizer.json, config.json and safetensors weights (model.safetensors or \
            shards with model.safetensors.index.json). Every source id, token, merge and row is kept; other tensors \
            and files are copied byte for byte. The output also holds provenance.sqlite: per new token, the method \
            and the source ids and weights its row combines.
            """)

    @Option(help: "The source model directory.")
    var model: String

    @Option(name: .customLong("target-corpus"), parsing: .upToNextOption, help: "Target-language text: files, directories or .gz files, one document per line.")
    var targetCorpus: [String]

    @Option(name: .customLong("new-tokens"), parsing: .unconditional, help: "How many tokens to add.")
    var newTokens: Int

    @Option(help: "Initialization: heuristic (align, else merge, else mean), align, merge, mean, random, clp (from --helper-model, else heuristic), or transtokenize (from --parallel, else heuristic).")
    var method: InitializationMethod = .heuristic

    @Option(parsing: .unconditional, help: "Seed of the random rows.")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Pad the row count to a multiple of this (such as 8 or 64).")
    var padToMultiple: Int?

    @OptionGroup var clp: CLPOptions

    @OptionGroup(title: "Trans-tokenization") var alignment: AlignmentOptions

    @OptionGroup(title: "Trans-tokenization") var transTokenization: TransTokenizationOptions

    @OptionGroup var modelWrite: ModelWriteOptions

    @Option(name: .shortAndLong, help: "The output model directory (written under a temporary name, then moved into place).")
    var output: String

    func validate() throws {
        try require(newTokens, atLeast: 1, "--new-tokens")
        try require(padToMultiple, in: 1...ModelExpansion.maximumPadMultiple, "--pad-to-multiple")
        guard (method == .transtokenize) == (alignment.parallel != nil) else {
            throw ValidationError("--method transtokenize and --parallel go together")
        }
    }

    func run() throws {
        var options = ModelExpansion.Options(newTokens: newTokens)
        options.method = method
        options.seed = seed
        options.padToMultiple = padToMultiple
        options.inputTensor = modelWrite.embeddingTensor
        options.headTensor = modelWrite.headTensor
        options.helperModel = clp.helperModel
        options.helperEmbeddingTensor = clp.helperEmbeddingTensor
        options.clpWeighting = try clp.weighting()
        options.matching = clp.match
        options.parallel = alignment.source
        options.alignment = alignment.options
        options.mapping.minimumCount = transTokenization.minimumCount
        let inputs = [model] + targetCorpus + [clp.helperModel].compactMap { $0 } + alignment.inputs
        let destination = try modelWrite.open(output, inputs: inputs)
        let table = try transTokenization.openTable(inputs: inputs, beside: destination)
        for entry in try CorpusReader(paths: targetCorpus).listing().skipped { warn("warning: \(entry)") }
        let progress = Progress()
        let summary = try ModelExpansion.run(directory: model, targetCorpus: CorpusReader(paths: targetCorpus), output: destination,
                                             saveAlignment: table, options: options) { progress.update($0, force: true) }
        progress.finish()
        let before = try Tokenizer(contentsOf: (model as NSString).appendingPathComponent("tokenizer.json"))
        let after = try Tokenizer(contentsOf: PathName.join(destination.resolvedPath, "tokenizer.json"))
        var statisticsBefore = TokenizationStatistics(), statisticsAfter = TokenizationStatistics()
        try CorpusReader(paths: targetCorpus).forEachDocument { line, _ in
            statisticsBefore.add(line, ids: try before.encode(line, addSpecialTokens: false).ids, tokenizer: before)
            statisticsAfter.add(line, ids: try after.encode(line, addSpecialTokens: false).ids, tokenizer: after)
        }
        let methods = InitializationMethod.allCases.compactMap { method in summary.methods[method].map { "\(method.rawValue) \($0)" } }
        print("added \(summary.added) tokens (\(methods.joined(separator: ", "))); rows \(summary.sourceRows) -> \(summary.expandedRows) in \(summary.tensors.joined(separator: ", "))")
        print(String(format: "target corpus: %.3f -> %.3f tokens per word, %.2f -> %.2f bytes per token",
                     statisticsBefore.tokensPerWord, statisticsAfter.tokensPerWord, statisticsBefore.bytesPerToken, statisticsAfter.bytesPerToken))
    }
}
