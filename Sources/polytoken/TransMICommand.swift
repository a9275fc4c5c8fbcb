import ArgumentParser
import Foundation
import Support
import Transfer

extension TransliterationMerge.Mode: ExpressibleByArgument {}

/// `polytoken transmi`: adds transliterated tokens (TransMI) to a model directory.
struct TransMICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transmi",
        abstract: "Add the transliterations of a model's vocabulary as new tokens (TransMI).",
        discussion: """
            Every vocabulary entry is transliterated with an ICU transform, keeping the word-start marker; spaces, \
            combining marks and modifier letters in the result are removed, entries of scripts the transform leaves \
            unchanged are skipped, empty results dropped. A new token's score (Unigram) and row come from the source \
            tokens that transliterate to it, by --mode. BPE tokens are made reachable with appended merges (and the \
            intermediate pieces they need); Unigram pieces are appended with their scores.
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

    func run() throws {
        var options = ModelTransliteration.Options(mode: mode)
        options.transform = transform
        options.inputTensor = modelWrite.embeddingTensor
        options.headTensor = modelWrite.headTensor
        let destination = try modelWrite.open(output, inputs: [model])
        let progress = Progress()
        let summary = try ModelTransliteration.run(directory: model, output: destination, options: options) { progress.update($0, force: true) }
        progress.finish()
        print("added \(summary.added) tokens and \(summary.parts) pieces they need; \(summary.unsupported) entries skipped (script unchanged by the transform), \(summary.empty) dropped (empty); \(summary.rows) rows -> \(output)")
    }
}
