import ArgumentParser
import Foundation
import TextProcessing
import Training

/// `polytoken count`: counts the words of a corpus into an SQLite file for later trainings.
struct CountCommand: SummarizingCommand {
    static let configuration = CommandConfiguration(
        commandName: "count",
        abstract: "Count the words of a corpus (on all cores) into an SQLite file that `train --counts` reuses.",
        discussion: "Count each shard of a large corpus separately, then pass all the files to `train --counts`: they merge.")

    @Option(help: "The tokenizer family whose pipeline cuts the words: \(TrainingPreset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var preset: TrainingPreset = .llama3

    @Option(help: "What one document is: line (default, as Hugging Face's train(files)) or file.")
    var documents: CorpusReader.DocumentMode = .line

    @Option(help: "What to do with a line that is not valid UTF-8: skip (default) or replace.")
    var onInvalidUtf8: CorpusReader.InvalidUTF8Policy = .skip

    @Option(parsing: .unconditional, help: "Threads (default: all cores).")
    var threads: Int?

    @Option(name: .shortAndLong, help: "The SQLite file to write (atomically; an existing file is replaced).")
    var output: String

    @Argument(help: "Files, directories (read recursively) or .gz files; '-' for standard input.")
    var paths: [String] = ["-"]

    func validate() throws {
        try require(threads, in: 1...maximumThreads, "--threads")
    }

    func summary() throws -> CommandSummary {
        let destination = try openOutput(output, .file, replacing: true, inputs: paths)
        let progress = Progress()
        let counter = WordCounter(pipeline: try preset.pipeline(), threads: threads)
        let reader = CorpusReader(paths: paths, policy: onInvalidUtf8, mode: documents)
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
