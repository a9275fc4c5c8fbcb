import ArgumentParser
import Foundation
import Reports
import Support
import TextProcessing
import Tokenization

/// `polytoken stats`: compares tokenizers on per-language corpora.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Compare tokenizers on per-language corpora: tokens per byte and per word, words cut into 3+ tokens, parity on parallel text, unknown and byte-fallback rates, vocabulary use, longest tokens.",
        discussion: """
            Each file is a language named by its name up to the first dot (en.txt, de.txt.gz); a \
            directory of files is a language per file, a directory of directories a language per \
            subdirectory. Words are whitespace-separated, so tokens per word means little for scripts \
            written without spaces (Chinese, Japanese, Thai); compare tokens per byte there. Parity is, \
            on parallel text (--parallel REF-LANG.tsv files), a language's tokens per token of the \
            reference language. Special tokens of the post-processor are not counted, nor line endings.

            Examples:
              polytoken stats --tokenizer llama2/tokenizer.json corpora-samples/monolingual
              polytoken stats --tokenizer base=llama2/tokenizer.json --tokenizer expanded=out/tokenizer.json \\
                  corpora-samples/monolingual --parallel corpora-samples/parallel -o report.html
              polytoken stats --tokenizer tokenizer.json --json de.txt ru.txt > stats.json
            """)

    @Option(help: "A tokenizer to measure: a tokenizer.json or a model directory, optionally named NAME=PATH (repeat to compare several).")
    var tokenizer: [String] = []

    @Option(parsing: .upToNextOption, help: "Parallel files REF-LANG.tsv (or directories of them): the reference language's text, a tab, the other language's; gives parity.")
    var parallel: [String] = []

    @Flag(help: "Print the comparison as JSON instead of a table.")
    var json = false

    @Option(name: .shortAndLong, help: "Write the report as one self-contained HTML file (charts as inline SVG); written atomically, an existing file is replaced.")
    var output: String?

    @Option(help: "The report's title.")
    var title = "Tokenizer report"

    @OptionGroup var threading: ThreadOptions

    @Option(help: "What one document is: line (default; its line ending is not part of it) or file.")
    var documents: CorpusReader.DocumentMode = .line

    @Option(help: "What to do with a line that is not valid UTF-8: skip (default) or replace.")
    var onInvalidUtf8: CorpusReader.InvalidUTF8Policy = .skip

    @Argument(help: "Language files or directories (.gz and .zst read too); '-' (default) for standard input, which must not be a terminal.")
    var paths: [String] = ["-"]

    func validate() throws {
        guard !tokenizer.isEmpty else { throw ValidationError("give at least one --tokenizer") }
    }

    func run() throws {
        try refuseTerminalInput(paths)
        let named = tokenizer.map(Self.name)
        if let empty = named.first(where: { $0.path.isEmpty }) { throw ValidationError("--tokenizer \(empty.name)=: give the path after =") }
        for (index, entry) in named.enumerated() where named[..<index].contains(where: { $0.name == entry.name }) {
            throw ValidationError("two tokenizers are named \(entry.name): name them with --tokenizer NAME=PATH")
        }
        let destination = try output.map { try openOutput($0, .file, replacing: true, inputs: paths + parallel + named.map(\.path)) }
        do {
            let tokenizers = try named.map {
                FileStatus(path: $0.path)?.kind == .directory ? try Tokenizer(modelDirectory: $0.path) : try Tokenizer(contentsOf: $0.path)
            }
            let languages = try LanguageCorpus.languages(in: paths)
            let total = try CorpusReader(paths: languages.flatMap(\.paths)).plainInputSize()
            let progress = Progress(total: total)
            let (comparison, summaries) = try TokenizerComparison.measure(
                tokenizers, names: named.map(\.name), languages: languages, parallel: parallel, mode: documents,
                policy: onInvalidUtf8, threads: threading.threads) { progress.bytes($0, label: "measuring") }
            progress.finish()
            summaries.forEach(warn(about:))
            if let destination {
                try destination.write(Data(comparison.html(title: title).utf8))
            }
            if json {
                print(JSONWriter.pretty(comparison.json))
            } else if output == nil || isatty(STDOUT_FILENO) == 1 {
                print(comparison.table, terminator: "")
            }
            if let output { warn("report -> \(output)") }
        } catch {
            destination?.abandon()
            throw error
        }
    }

    /// The name and path of a `--tokenizer` value: `NAME=PATH` when no file is at the whole value,
    /// else the path named by its directory (for a `tokenizer.json`) or its file name.
    static func name(_ value: String) -> (name: String, path: String) {
        if FileStatus(path: value) == nil, let equals = value.firstIndex(of: "="), equals != value.startIndex {
            return (String(value[..<equals]), String(value[value.index(after: equals)...]))
        }
        let parts = value.split(separator: "/").map(String.init)
        guard let last = parts.last else { return (value, value) }
        if last == "tokenizer.json", parts.count > 1 { return (parts[parts.count - 2], value) }
        return (last.hasSuffix(".json") ? String(last.dropLast(5)) : last, value)
    }
}
