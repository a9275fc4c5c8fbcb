import ArgumentParser
import Foundation
import TextProcessing

/// `polytoken normalize`: writes each input line normalized.
struct NormalizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Normalize or transliterate text line by line.",
        discussion: """
            Examples:
              polytoken normalize --form NFKC notes.txt
              polytoken normalize --transform 'Any-Latin; Latin-ASCII' ru.txt
            """)

    @Option(help: "A Unicode form: NFC, NFD, NFKC, NFKD or NFKC_Casefold.")
    var form: UnicodeNormalizer.Form?

    @Option(help: "An ICU transform id applied after the form, for example 'Any-Latin; Latin-ASCII'.")
    var transform: String?

    @Flag(help: "Use the system ICU's current Unicode instead of Hugging Face's Unicode 9.0.")
    var modernUnicode = false

    @Option(help: "Use the normalizer of this tokenizer.json.")
    var tokenizer: String?

    @Option(help: "What to do with a line that is not valid UTF-8: skip (default) or replace.")
    var onInvalidUtf8: CorpusReader.InvalidUTF8Policy = .skip

    @Argument(help: "Files, directories or .gz files; '-' for standard input.")
    var paths: [String] = ["-"]

    func run() throws {
        var steps: [any Normalizer] = []
        if let tokenizer, let normalizer = try TextPipeline(tokenizerFile: tokenizer).normalizer { steps.append(normalizer) }
        if let form { steps.append(try UnicodeNormalizer(form, mode: modernUnicode ? .modern : .huggingFace)) }
        if let transform { steps.append(try Transliterate(transform)) }
        guard !steps.isEmpty else { throw ValidationError("give --form, --transform or --tokenizer") }
        let normalizer = NormalizerSequence(steps)
        let output = FileHandle.standardOutput
        let summary = try CorpusReader(paths: paths, policy: onInvalidUtf8).forEachDocument { line, _ in
            output.write(Data(try normalizer.normalize(line).utf8))
        }
        warn(about: summary)
    }
}

extension UnicodeNormalizer.Form: ExpressibleByArgument {}
