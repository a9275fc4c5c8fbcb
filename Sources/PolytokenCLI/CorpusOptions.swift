import ArgumentParser
import Foundation
import TextProcessing

/// The options of every command that reads a corpus: the inputs, what a document is, and what
/// to do with bad input.
struct CorpusOptions: ParsableArguments {
    @Option(help: "What one document is: line (default; its line ending is not part of it) or file.")
    var documents: CorpusReader.DocumentMode = .line

    @Option(help: "What to do with a line that is not valid UTF-8: skip (default) or replace.")
    var onInvalidUtf8: CorpusReader.InvalidUTF8Policy = .skip

    @Option(help: "Read JSON Lines: each line is a record whose field (a key, or a dotted path such as meta.text) is the document.")
    var field: String?

    @Flag(help: "With --field, skip records that are not JSON or lack the field (counted and reported) instead of stopping.")
    var skipBadRecords = false

    @Argument(help: "Files, directories (read recursively), .gz or .zst files, or glob patterns; '-' (default) for standard input, which must not be a terminal.")
    var paths: [String] = ["-"]

    func validate() throws {
        if skipBadRecords && field == nil { throw ValidationError("--skip-bad-records is for JSON Lines: give --field too") }
    }

    /// The reader of the inputs; refuses to wait on a terminal for standard input.
    func reader() throws -> CorpusReader {
        try refuseTerminalInput(paths)
        return CorpusReader(paths: paths, policy: onInvalidUtf8, mode: field == nil ? documents : .line,
                            field: try field.map { try JSONField($0) }, badRecords: skipBadRecords ? .skip : .fail)
    }
}

/// The thread count of a command that splits its work over cores.
struct ThreadOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Threads (default: all cores). The output does not depend on it.")
    var threads: Int?

    func validate() throws {
        try require(threads, in: 1...maximumThreads, "--threads")
    }
}

/// Throws a usage error when `paths` read standard input and it is a terminal: a command
/// started without its corpus would otherwise wait for typing.
func refuseTerminalInput(_ paths: [String]) throws {
    if paths.contains("-") && isatty(STDIN_FILENO) == 1 {
        throw ValidationError("no input: give corpus files, or pipe text in (standard input is a terminal)")
    }
}
