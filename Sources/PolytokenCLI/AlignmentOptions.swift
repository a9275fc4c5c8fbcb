import Alignment
import ArgumentParser
import Support
import Transfer

extension WordAligner.Model: ExpressibleByArgument {}

/// The parallel corpus and aligner options shared by `align` and `transtokenize`.
struct AlignmentOptions: ParsableArguments {
    @Option(help: "The parallel corpus: a TSV file (source-language text, a tab, target-language text), or with --parallel-target the source-language side, one sentence per line.")
    var parallel: String?

    @Option(help: "The target-language side, line-aligned with --parallel.")
    var parallelTarget: String?

    @Flag(help: "Skip (and count) lines without a tab or with invalid UTF-8 instead of failing.")
    var skipMalformed = false

    @Option(parsing: .unconditional, help: "Drop pairs with more tokens than this on either side.")
    var maxTokens = 160

    @Option(parsing: .unconditional, help: "Drop pairs whose token counts differ by more than this factor.")
    var maxLengthRatio = 9.0

    @Option(help: "The alignment prior: ibm1 (IBM Model 1 with NULL, as the reference runs fast_align) or diagonal (fast_align's -d -o).")
    var aligner: WordAligner.Model = .ibm1

    @Option(parsing: .unconditional, help: "EM iterations; the soft counts of the last one are used.")
    var iterations = 6

    /// The files these options read.
    var inputs: [String] { [parallel, parallelTarget].compactMap { $0 } }

    func validate() throws {
        try require(maxTokens, atLeast: 1, "--max-tokens")
        guard maxLengthRatio.isFinite, maxLengthRatio >= 1 else {
            throw ValidationError("--max-length-ratio must be a finite number of at least 1, not \(maxLengthRatio)")
        }
        try require(iterations, in: 1...1000, "--iterations")
        if parallelTarget != nil && parallel == nil { throw ValidationError("--parallel-target needs --parallel (the source-language side)") }
    }

    /// The corpus, or nil when none was given.
    var source: ParallelCorpusReader.Source? {
        guard let parallel else { return nil }
        return parallelTarget.map { .lines(source: parallel, target: $0) } ?? .tsv(parallel)
    }

    /// The alignment options.
    var options: ParallelAlignment.Options {
        var options = ParallelAlignment.Options()
        options.cleaning.maximumTokens = maxTokens
        options.cleaning.maximumLengthRatio = maxLengthRatio
        options.skipMalformed = skipMalformed
        options.aligner.model = aligner
        options.aligner.iterations = iterations
        return options
    }
}

/// The trans-tokenization options shared by `transtokenize` and `expand --method transtokenize`.
struct TransTokenizationOptions: ParsableArguments {
    @Option(help: "Also store the computed alignment here (SQLite, as `polytoken align` writes it).")
    var saveAlignment: String?

    @Option(parsing: .unconditional, help: "Word pairs counted fewer times are ignored.")
    var minimumCount = 10

    func validate() throws {
        try require(minimumCount, atLeast: 0, "--minimum-count")
    }

    /// The recipe's options these name.
    var mapping: TokenMapping.Options {
        var options = TokenMapping.Options()
        options.minimumCount = minimumCount
        return options
    }

    /// Opens the `--save-alignment` file, if given, which must be none of `inputs` and not inside
    /// the output model directory `model` (replaced as a whole).
    func openTable(inputs: [String], beside model: AtomicOutput) throws -> AtomicOutput? {
        guard let saveAlignment else { return nil }
        guard !model.contains(saveAlignment) else {
            throw ValidationError("--save-alignment \(saveAlignment) lies inside the output directory, which is replaced as a whole")
        }
        return try openOutput(saveAlignment, .file, replacing: true, inputs: inputs)
    }
}
