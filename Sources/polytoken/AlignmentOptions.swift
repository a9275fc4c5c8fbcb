import Alignment
import ArgumentParser
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

    @Option(help: "Drop pairs with more tokens than this on either side.")
    var maxTokens = 160

    @Option(help: "Drop pairs whose token counts differ by more than this factor.")
    var maxLengthRatio = 9.0

    @Option(help: "The alignment prior: ibm1 (IBM Model 1 with NULL, as the reference runs fast_align) or diagonal (fast_align's -d -o).")
    var aligner: WordAligner.Model = .ibm1

    @Option(help: "EM iterations; the soft counts of the last one are used.")
    var iterations = 6

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

    @Option(help: "Word pairs counted fewer times are ignored.")
    var minimumCount = 10
}
