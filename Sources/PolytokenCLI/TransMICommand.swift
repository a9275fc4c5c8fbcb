import ArgumentParser
import Foundation
import Support
import Transfer

extension TransliterationMerge.Mode: ExpressibleByArgument {}

/// `polytoken transmi`: adds transliterated tokens (TransMI) to a model directory.
struct TransMICommand: SummarizingCommand {
    static let configuration = CommandConfiguration(
        commandName: "transmi",
        abstract: "Add the transliterations of a model's vocabulary as new tokens (TransMI).",
        discussion: """
            Every vocabulary entry is transliterated with an ICU transform, keeping the word-start marker; spaces, \
            combining marks and modifier letters in the result are removed, entries of scripts the transform leaves \
            unchanged are skipped, empty results dropped. A new token's score (Unigram) and row come from the source \
            tokens that transliterate to it, by --mode. BPE tokens are made reachable with appended merges (and the \
            intermediate pieces they need); Unigram pieces are appended with their scores.

            Examples:
              polytoken transmi --model llama2/ --mode max -o llama2-transmi/
            """)

    @Option(help: "The source model directory.")
    var model: String

    @Option(help: "max (the most probable source), min (the least probable) or average (the mean).")
    var mode: TransliterationMerge.Mode = .max

    @Option(help: "The ICU transform id.")
    var transform: String = "Any-Latin; Latin-ASCII"

    @OptionGroup var modelWrite: ModelWriteOptions

    @Option(name: .shortAndLong, help: "The output model directory.")
    var output: String

    func summary() throws -> CommandSummary {
        let destination = try modelWrite.open(output, inputs: [model])
        let progress = Progress()
        let report = try modelWrite.configured(.transMI(directory: model, mode: mode, transform: transform)).run(into: destination) {
            progress.stage($0)
        }
        progress.finish()
        let parts = report.methods[.transliteration(mode, isPart: true)] ?? 0
        var summary = CommandSummary(report: report, output: output)
        summary.lines.insert("added \(report.initialized - parts) tokens and \(parts) pieces they need; \(report.counts["unsupported"] ?? 0) entries skipped (script unchanged by the transform), \(report.counts["empty"] ?? 0) dropped (empty); \(report.rows) rows -> \(output)", at: 0)
        return summary
    }
}
