import ArgumentParser
import Foundation
import TextProcessing
import Tokenization

/// `polytoken stats`: how a tokenizer cuts each file.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Per-file tokenization statistics: bytes per token, tokens per word, unknown and byte-fallback rates, vocabulary usage.",
        discussion: """
            Words are whitespace-separated, so tokens per word is not meaningful for scripts written \
            without spaces (Chinese, Japanese, Thai); compare bytes or characters per token there. \
            Special tokens of the post-processor are not counted, nor, in line mode, the line endings.
            """)

    @Option(help: "The tokenizer.json to measure.")
    var tokenizer: String

    @Option(help: "What one document is: line (default) or file.")
    var documents: CorpusReader.DocumentMode = .line

    @Option(help: "What to do with a line that is not valid UTF-8: skip (default) or replace.")
    var onInvalidUtf8: CorpusReader.InvalidUTF8Policy = .skip

    @Argument(help: "Files, directories or .gz files; '-' for standard input.")
    var paths: [String] = ["-"]

    func run() throws {
        let tokenizer = try Tokenizer(contentsOf: self.tokenizer)
        let size = tokenizer.vocabularySize
        var rows: [(String, TokenizationStatistics)] = []
        var total = TokenizationStatistics()
        let listing = try CorpusReader(paths: paths).listing()
        for entry in listing.skipped { warn("warning: \(entry)") }
        for file in listing.files {
            let (statistics, summary) = try TokenizationStatistics.measure([tokenizer], over: CorpusReader(paths: [file], policy: onInvalidUtf8, mode: documents))
            warn(about: summary)
            rows.append((file, statistics[0]))
            total.merge(statistics[0])
        }
        if rows.count > 1 { rows.append(("total", total)) }
        let width = max(4, rows.map(\.0.count).max() ?? 4)
        print("file".padding(toLength: width, withPad: " ", startingAt: 0)
              + "      bytes     tokens  bytes/tok  chars/tok  tok/word   unk %  bytefb %  vocab used %")
        for (name, s) in rows {
            print(name.padding(toLength: width, withPad: " ", startingAt: 0) + String(
                format: " %10d %10d %10.2f %10.2f %9.2f %7.3f %9.3f %13.2f", s.bytes, s.tokens, s.bytesPerToken,
                s.charactersPerToken, s.tokensPerWord, 100 * s.unknownRate, 100 * s.byteFallbackRate,
                100 * s.vocabularyUsage(vocabularySize: size)))
        }
    }
}
