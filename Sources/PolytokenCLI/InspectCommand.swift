import ArgumentParser
import Foundation
import Transfer

/// `polytoken inspect`: what a training engine will see in a model or tokenizer directory.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a training engine will see in a model or tokenizer directory: sizes, rows, special tokens, merges format, text pipeline.",
        discussion: """
            Examples:
              polytoken inspect llama2-ru/
              polytoken inspect --check llama2-ru/
            """)

    @Flag(help: "Exit with status 1 when anything is inconsistent (ids out of range, special tokens that disagree between files or are missing from the vocabulary, fewer rows than ids).")
    var check = false

    @Argument(help: "A model or tokenizer directory, or a tokenizer.json.")
    var path: String

    func run() throws {
        let inspection = try ModelDirectoryInspection(path: path)
        print(inspection.report.joined(separator: "\n"))
        if check, !inspection.problems.isEmpty { throw ExitCode.failure }
    }
}
