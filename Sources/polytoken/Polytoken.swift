import Alignment
import ArgumentParser
import Foundation
import Support
import Tensors
import Training
import Transfer

/// The `polytoken` command line.
@main
struct Polytoken: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "polytoken",
        abstract: "Tokenizer building and vocabulary transfer, exactly compatible with Hugging Face tokenizers.",
        subcommands: [PreTokenizeCommand.self, NormalizeCommand.self, EncodeCommand.self, TrainCommand.self, DecodeCommand.self, StatsCommand.self, CountCommand.self, ExpandCommand.self, TransferCommand.self, TransMICommand.self, AlignCommand.self, TransTokenizeCommand.self, InspectCommand.self, ConvertCommand.self])

    /// Runs the command line. An error is reported on one line of standard error (`Error: `, the
    /// file or option and what is wrong), with exit status 64 for a usage error and 1 otherwise.
    static func main() {
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

    private static func report(_ error: Error, usage: Bool) -> Never {
        let code = exitCode(for: error)
        if code == .success { exit(withError: error) }
        if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
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
        if usage, let name = CommandLine.arguments.dropFirst().first, configuration.subcommands.contains(where: { $0._commandName == name }) {
            message += " (see 'polytoken \(name) --help')"
        }
        FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
        Foundation.exit(usage ? ExitCode.validationFailure.rawValue : code.rawValue)
    }
}
