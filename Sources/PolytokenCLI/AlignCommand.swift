import Alignment
import ArgumentParser
import Foundation
import Support
import Tokenization

/// `polytoken align`: word-aligns a parallel corpus and stores the translation table.
struct AlignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "align",
        abstract: "Word-align a parallel corpus and store the translation table in SQLite.",
        discussion: """
            Each side is tokenized with its tokenizer and sub-word tokens are grouped into words; EM (IBM Model 1 with \
            a NULL word, or fast_align's diagonal prior) gives the expected counts of every (source word, target word) \
            pair. The table, pruned as fast_align exports it, serves `transtokenize --alignment-table` and can be inspected \
            with sqlite3 (tables units, pairs, settings).

            Examples:
              polytoken align --source-tokenizer en/tokenizer.json --target-tokenizer de/tokenizer.json --parallel corpora-samples/parallel/en-de.tsv -o alignment.sqlite
            """)

    @Option(help: "The source model's tokenizer.json (source-language side).")
    var sourceTokenizer: String

    @Option(help: "The target tokenizer.json (target-language side).")
    var targetTokenizer: String

    @OptionGroup var alignment: AlignmentOptions

    @Option(name: .shortAndLong, help: "The SQLite file to write (atomically; an existing file is replaced).")
    var output: String

    func validate() throws {
        guard alignment.source != nil else { throw ValidationError("give the parallel corpus with --parallel") }
    }

    func run() throws {
        let destination = try openOutput(output, .file, replacing: true, inputs: [sourceTokenizer, targetTokenizer] + alignment.inputs)
        let progress = Progress()
        let contents = try ParallelAlignment.run(alignment.source!, source: try Tokenizer(contentsOf: sourceTokenizer),
                                                 target: try Tokenizer(contentsOf: targetTokenizer), options: alignment.options) { progress.stage($0) }
        try AlignmentStore.write(contents, to: destination)
        progress.finish()
        print("\(contents.sourceUnits.count) source and \(contents.targetUnits.count) target words, \(contents.pairs.count) pairs -> \(output)")
    }
}
