import Alignment
import ArgumentParser
import Foundation
import Support
import Tokenization
import Transfer

/// `polytoken transtokenize`: replaces a model's tokenizer, initializing rows from a parallel corpus.
struct TransTokenizeCommand: SummarizingCommand {
    static let configuration = CommandConfiguration(
        commandName: "transtokenize",
        abstract: "Replace a model's tokenizer by a target one, each row the alignment-weighted average of source rows (trans-tokenization).",
        discussion: """
            The parallel corpus (source-model language first) is word-aligned natively (see `polytoken align`), or a \
            stored alignment is reused with --alignment-table. Target tokens get weighted source tokens by the reference \
            recipe (minimum count, word pairs spread over token pairs, numbers, identity, special tokens by role, \
            fallback from longer and contained tokens); the mapping is written to token_mapping.json.

            Examples:
              polytoken transtokenize --model llama2/ --target-tokenizer de/tokenizer.json --parallel corpora-samples/parallel/en-de.tsv -o llama2-de/
            """)

    @Option(help: "The source model directory.")
    var model: String

    @Option(help: "The target tokenizer.json.")
    var targetTokenizer: String

    @OptionGroup var alignment: AlignmentOptions

    @Option(help: "A translation table written by `polytoken align` (instead of --parallel).")
    var alignmentTable: String?

    @OptionGroup var transTokenization: TransTokenizationOptions

    @OptionGroup var modelWrite: ModelWriteOptions

    @Option(name: .shortAndLong, help: "The output model directory.")
    var output: String

    func validate() throws {
        guard (alignmentTable == nil) != (alignment.parallel == nil) else {
            throw ValidationError("give a parallel corpus (--parallel) or a stored alignment (--alignment-table), one of them")
        }
        if alignmentTable != nil && transTokenization.saveAlignment != nil {
            throw ValidationError("--save-alignment stores an alignment computed from --parallel; --alignment-table is one already")
        }
    }

    func summary() throws -> CommandSummary {
        let inputs = [model, targetTokenizer] + alignment.inputs + [alignmentTable].compactMap { $0 }
        let destination = try modelWrite.open(output, inputs: inputs)
        let table = try transTokenization.openTable(inputs: inputs, beside: destination)
        let transform = ModelTransform.transTokenization(
            directory: model, targetTokenizer: targetTokenizer,
            alignment: try alignmentTable.map { .table(try AlignmentStore.read($0)) } ?? .parallel(alignment.source!, alignment.options, save: table),
            options: transTokenization.mapping)
        let progress = Progress()
        let report = try modelWrite.configured(transform).run(into: destination) { progress.stage($0) }
        progress.finish()
        var summary = CommandSummary(report: report, output: output)
        summary.lines.insert("\(report.rows) rows: \(report.methods[.transTokenization(.aligned)] ?? 0) aligned, \(report.methods[.transTokenization(.smoothed)] ?? 0) from longer or contained tokens, \(report.methods[.transTokenization(.unmapped)] ?? 0) unmapped -> \(output)", at: 0)
        return summary
    }
}
