import ArgumentParser
import Foundation
import TextProcessing
import Training

/// `polytoken count`: counts the words of a corpus into an SQLite file for later trainings.
struct CountCommand: SummarizingCommand {
    static let configuration = CommandConfiguration(
        commandName: "count",
        abstract: "Count the words of a corpus (on all cores) into an SQLite file that `train --counts` reuses.",
        discussion: """
            Count each shard of a large corpus separately, then pass all the files to `train --counts`: they merge.

            Examples:
              polytoken count --preset llama3 -o shard1.sqlite part1/
              polytoken count --field text -o shard2.sqlite 'part2/*.jsonl.zst'
              polytoken train --counts shard1.sqlite --counts shard2.sqlite --vocab-size 32000 -o tokenizer.json
            """)

    @Option(help: "The tokenizer family whose pipeline cuts the words: \(TrainingPreset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var preset: TrainingPreset = .llama3

    @Option(name: .shortAndLong, help: "The SQLite file to write (atomically; an existing file is replaced).")
    var output: String

    @OptionGroup var threading: ThreadOptions

    @OptionGroup var input: CorpusOptions

    func summary() throws -> CommandSummary {
        let reader = try input.reader()
        let destination = try openOutput(output, .file, replacing: true, inputs: input.paths)
        let progress = Progress(total: try reader.plainInputSize())
        let counter = WordCounter(pipeline: try preset.pipeline(), threads: threading.threads)
        let (words, summary) = try counter.count(reader) { progress.bytes($0, label: "counting") }
        progress.finish()
        warn(about: summary)
        try WordCountStore.save(words, metadata: .init(pipeline: "preset:\(preset.rawValue)", documents: summary.documents,
                                                       bytes: summary.bytes), to: destination)
        var result = CommandSummary()
        result.add("output", .string(output))
        result.add("documents", summary.documents)
        result.add("bytes", summary.bytes)
        result.add("words", words.count)
        result.notes.append("\(summary.documents) documents, \(words.count) distinct words -> \(output)")
        return result
    }
}
