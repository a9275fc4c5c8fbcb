import Alignment
import ArgumentParser
import Foundation
import Support
import Tensors
import Training
import Transfer

/// The `polytoken` command line.
public struct Polytoken: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "polytoken",
        abstract: "Tokenizer building and vocabulary transfer, exactly compatible with Hugging Face tokenizers.",
        discussion: """
            Every command has --help with examples. Shell completion: \
            polytoken --generate-completion-script bash > /etc/bash_completion.d/polytoken (or zsh, fish).
            """,
        version: "\(Polytoken.version)",
        subcommands: [PreTokenizeCommand.self, NormalizeCommand.self, EncodeCommand.self, TrainCommand.self, DecodeCommand.self, StatsCommand.self, CountCommand.self, ExpandCommand.self, TransferCommand.self, TransMICommand.self, AlignCommand.self, TransTokenizeCommand.self, InspectCommand.self, ConvertCommand.self, MergeShardsCommand.self])

    /// The version of Polytoken (the command line, the library and the Python package).
    public static let version: StaticString = "0.1.0"

    public init() {}

    /// Runs the command line. An error is reported on one line of standard error (`Error: `, the
    /// file or option and what is wrong), with exit status 64 for a usage error and 1 otherwise.
    public static func main() {
        let command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            report(error, usage: true)
        }
        do {
            var command = command
            try command.run()
        } catch {
            report(error, usage: error is ValidationError)
        }
    }

    /// Runs the command `arguments` name (without the program name) in this process, as the
    /// command line would, and returns its summary as a compact JSON object: what the command line
    /// prints of a command that writes a tokenizer or a model, counted; nil for the commands whose
    /// output is their result (`encode`, `decode`, …), which write standard output as usual.
    /// A failure throws ``Failure`` with the command line's message.
    public static func run(arguments: [String]) throws(Failure) -> String? {
        let parsed: ParsableCommand
        do {
            parsed = try parseAsRoot(arguments)
        } catch {
            throw failure(error, usage: true, arguments: arguments)
        }
        do {
            if let command = parsed as? any SummarizingCommand {
                return JSONWriter.compact(try command.summary().json)
            }
            var command = parsed
            try command.run()
            return nil
        } catch {
            throw failure(error, usage: error is ValidationError, arguments: arguments)
        }
    }

    /// A command that failed: the command line's one-line message and exit status.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, on one line, naming the file or option.
        public let message: String
        /// The exit status: 64 for a usage error, 0 for `--help` (the message is the help), 1 otherwise.
        public let status: Int32
        public var description: String { message }
    }

    private static func report(_ error: Error, usage: Bool) -> Never {
        let code = exitCode(for: error)
        if code == .success { exit(withError: error) }
        if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
        let failure = failure(error, usage: usage, arguments: Array(CommandLine.arguments.dropFirst()))
        FileHandle.standardError.write(Data("Error: \(failure.message)\n".utf8))
        Foundation.exit(failure.status)
    }

    /// The message and status the command line gives for `error`.
    static func failure(_ error: Error, usage: Bool, arguments: [String]) -> Failure {
        let code = exitCode(for: error)
        if code == .success { return Failure(message: fullMessage(for: error), status: 0) }
        if let exit = error as? ExitCode { return Failure(message: "exit status \(exit.rawValue)", status: exit.rawValue) }
        var message: String
        switch error {
        case let error as OutputError where error.reason == .exists:
            message = "\(error.path): exists; choose another output or pass --force to replace it"
        case let error as OutputError:
            message = error.description
        case TransferError.helperVocabularyDisjoint:
            message = "\(error) (try --match decoded)"
        case let error as TensorError where error.needsTensorName:
            message = "\(error) with --embedding-tensor"
        case let error as ParallelCorpusReader.FormatError where error.skippable:
            message = "\(error) (pass --skip-malformed to skip such lines)"
        case TransferError.specialTokenConflicts:
            message = "\(error) (with --special-token-map ROLE=TOKEN)"
        case TransferError.missingSpecialTokens:
            message = "\(error) (with --special-token-map ROLE=TOKEN, or --add-missing-special-tokens)"
        case TrainingError.vocabularyTooSmall:
            message = "\(error) with --limit-alphabet"
        case is ValidationError, is CleanExit:
            message = Self.message(for: error)
        default:
            message = String(describing: error)
            if message.isEmpty || usage { message = Self.message(for: error) }
        }
        message = message.split(whereSeparator: \.isNewline).joined(separator: "; ")
        if usage, let name = arguments.first, configuration.subcommands.contains(where: { $0._commandName == name }) {
            message += " (see 'polytoken \(name) --help')"
        }
        return Failure(message: message, status: usage ? ExitCode.validationFailure.rawValue : code.rawValue)
    }
}
