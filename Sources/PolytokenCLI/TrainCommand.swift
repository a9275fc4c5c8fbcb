import ArgumentParser
import Foundation
import Support
import TextProcessing
import Tokenization
import Training
import Transfer

extension TrainingPreset: ExpressibleByArgument {}

/// The options that say which tokenizer training makes: `train`'s, and those of a
/// ``TrainingSession`` fed texts by a program.
struct TrainingOptions: ParsableArguments {
    @Option(help: "The tokenizer family: \(TrainingPreset.allCases.map(\.rawValue).joined(separator: ", ")). It sets the normalizer, pre-tokenizer, post-processor, decoder and model options (pretokenize knows more pipelines: o200k, bert, words).")
    var preset: TrainingPreset = .llama3

    @Option(name: .customLong("vocab-size"), parsing: .unconditional, help: "The vocabulary size to reach, special tokens and alphabet included.")
    var vocabularySize: Int

    @Option(parsing: .unconditional, help: "Stop training at the first pair seen fewer times than this.")
    var minFrequency: UInt64 = 0

    @Option(name: .customLong("special-token"), help: "A special token (repeat for several, in id order). Default: the preset's.")
    var specialTokens: [String] = []

    @Option(parsing: .unconditional, help: "Keep at most this many characters in the alphabet (the least frequent are dropped).")
    var limitAlphabet: Int?

    @Option(help: "Characters always in the alphabet, given as one string.")
    var initialAlphabet: String = ""

    @Option(parsing: .unconditional, help: "Hugging Face's max_token_length: tokens stay below it in characters (the limit is max(2, N-1)).")
    var maxTokenLength: Int?

    @Option(help: "Prefix of every character that does not start a word, such as ##.")
    var continuingSubwordPrefix: String?

    @Option(help: "Suffix of the last character of every word, such as </w>.")
    var endOfWordSuffix: String?

    @Option(parsing: .unconditional, help: "Threads for counting words and merging (default: all cores); the result does not depend on it.")
    var threads: Int?

    @Option(help: "The beginning-of-text token (default: the preset's, as its family's published tokenizer names it; 'none' for none). Added as a special token if missing.")
    var bos: String?

    @Option(help: "The end-of-text token (default: the preset's; 'none' for none). Added as a special token if missing.")
    var eos: String?

    @Option(help: "The padding token (default: the preset's, which only qwen2 has; 'none' for none). Added as a special token if missing.")
    var pad: String?

    @Option(help: "The unknown token (default: the preset's; 'none' for none). Added as a special token if missing.")
    var unk: String?

    @Option(help: "How tokenizer.json writes merges: pairs (as current tokenizers, read by 0.20 and later) or strings (read by every version).")
    var mergesFormat: MergesFormat = .pairs

    func validate() throws {
        try require(vocabularySize, atLeast: 1, "--vocab-size")
        try require(limitAlphabet, atLeast: 0, "--limit-alphabet")
        try require(maxTokenLength, atLeast: 1, "--max-token-length")
        try require(threads, in: 1...maximumThreads, "--threads")
        if let bos, let template = preset.beginningOfText, bos != template {
            throw ValidationError("the \(preset.rawValue) preset puts \(template) before every text, so --bos must be \(template)")
        }
    }

    /// The special token of each role: the preset's, with the options given.
    var roles: [SpecialTokens.Role: String] {
        var roles = preset.specialTokenRoles
        for (role, value) in [(SpecialTokens.Role.bos, bos), (.eos, eos), (.pad, pad), (.unk, unk)] {
            guard let value else { continue }
            roles[role] = value == "none" ? nil : value
        }
        return roles
    }

    /// The trainer these options configure, checked.
    func trainer() throws -> TokenizerTrainer {
        var configuration = BPETrainer.Configuration(vocabularySize: vocabularySize)
        configuration.minimumFrequency = minFrequency
        let roles = self.roles
        configuration.specialTokens = specialTokens.isEmpty ? preset.defaultSpecialTokens : specialTokens
        for role in SpecialTokens.Role.allCases {
            if let token = roles[role], !configuration.specialTokens.contains(token) { configuration.specialTokens.append(token) }
        }
        configuration.limitAlphabet = limitAlphabet
        configuration.initialAlphabet = initialAlphabet.unicodeScalars.map { $0 }
        configuration.maximumTokenLength = maxTokenLength
        configuration.continuingSubwordPrefix = continuingSubwordPrefix
        configuration.endOfWordSuffix = endOfWordSuffix
        configuration.threads = threads
        let trainer = TokenizerTrainer(preset: preset, configuration: configuration)
        try trainer.validate()
        return trainer
    }

    /// The tokenizer files of `tokenizer`, trained with these options.
    func directory(of tokenizer: Tokenizer) throws -> TokenizerDirectory {
        try TokenizerDirectory(tokenizer: tokenizer, specialTokens: SpecialTokens(tokens: roles),
                               settings: preset.tokenizerSettings, mergesFormat: mergesFormat)
    }
}

/// `polytoken train`: trains a BPE tokenizer.json from a corpus.
struct TrainCommand: SummarizingCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a BPE tokenizer.json from a corpus, exactly as Hugging Face tokenizers would.",
        discussion: """
            Examples:
              polytoken train --preset llama3 --vocab-size 32000 -o tokenizer.json corpora-samples/monolingual
              polytoken train --preset sentencepiece --vocab-size 8000 -o tokenizer-dir/ 'corpus/*.txt.gz'
              polytoken train --vocab-size 32000 --field text -o tokenizer.json data.jsonl
            """)

    @OptionGroup var options: TrainingOptions

    @Option(name: .customLong("counts"), help: "Train on word counts saved by `polytoken count` instead of reading a corpus (repeat to merge shards).")
    var countFiles: [String] = []

    @Option(name: .shortAndLong, help: "Where to write: a file (tokenizer.json alone), or a directory (ending in '/', or existing) that gets tokenizer.json, tokenizer_config.json and special_tokens_map.json for transformers. Written atomically; an existing file, or a directory holding only tokenizer files, is replaced.")
    var output: String

    @OptionGroup var input: CorpusOptions

    private var paths: [String] { input.paths }

    func validate() throws {
        if !countFiles.isEmpty && paths != ["-"] {
            throw ValidationError("give either a corpus or --counts, not both")
        }
    }

    func summary() throws -> CommandSummary {
        let preset = options.preset
        let trainer = try options.trainer()
        if countFiles.isEmpty { try refuseTerminalInput(paths) }
        let isDirectory = output.hasSuffix("/") || FileStatus(path: output)?.kind == .directory
        if isDirectory, let names = try? FileManager.default.contentsOfDirectory(atPath: output),
           let other = names.first(where: { !ModelFiles.tokenizerFiles.contains($0) && !AtomicOutput.isBookkeeping($0) }) {
            throw ValidationError("\(output) holds \(other), not only tokenizer files; choose another output directory")
        }
        let destination = try openOutput(output, isDirectory ? .directory : .file, replacing: true, inputs: countFiles.isEmpty ? paths : countFiles)
        let progress = Progress()
        let started = Date()
        let words: WordCounts
        let documents: Int, bytes: Int
        if countFiles.isEmpty {
            let reader = try input.reader()
            progress.total = try reader.plainInputSize()
            let (counted, summary) = try trainer.wordCounter(threads: options.threads).count(reader) { progress.bytes($0, label: "counting") }
            progress.finish()
            warn(about: summary)
            guard counted.count > 0 else {
                throw InputError(path: paths.joined(separator: ", "), message: "no words to train on (\(summary.documents) documents\(summary.invalid.isEmpty ? "" : ", \(summary.invalid.count) skipped as invalid UTF-8"))")
            }
            (words, documents, bytes) = (counted, summary.documents, summary.bytes)
        } else {
            let (loaded, metadata) = try WordCountStore.load(countFiles)
            guard metadata.pipeline == "preset:\(preset.rawValue)" else {
                throw ValidationError("\(countFiles[0]) was counted with \(metadata.pipeline), not preset:\(preset.rawValue); pass --preset accordingly")
            }
            (words, documents, bytes) = (loaded, metadata.documents, metadata.bytes)
        }
        let counted = Date()
        let target = options.vocabularySize
        let tokenizer = try trainer.train(words) { merges in
            progress.update("merging: \(merges) merges (vocabulary size \(target))")
        }
        progress.finish()
        let directory = try options.directory(of: tokenizer)
        do {
            if isDirectory {
                try directory.write(into: destination.temporaryPath)
                let problems = try ModelDirectoryInspection(path: destination.temporaryPath).problems
                guard problems.isEmpty else { throw TransferError.inconsistentOutput(problems) }
                try destination.commit()
            } else {
                try destination.write(Data(JSONWriter.pretty(try directory.tokenizerJSON(path: output)).utf8))
            }
        } catch {
            destination.abandon()
            throw error
        }
        let seconds = Date().timeIntervalSince(started)
        var summary = CommandSummary()
        summary.add("output", .string(output))
        summary.add("documents", documents)
        summary.add("bytes", bytes)
        summary.add("words", words.count)
        summary.add("tokens", tokenizer.model.vocabulary.count)
        summary.add("merges", tokenizer.bpe?.merges.count ?? 0)
        summary.add("counting_seconds", .number(counted.timeIntervalSince(started)))
        summary.add("merging_seconds", .number(seconds - counted.timeIntervalSince(started)))
        summary.notes.append(String(
            format: "%d documents, %.1f MB, %d distinct words; counted in %.2f s, merged in %.2f s; %d tokens, %d merges -> %@",
            documents, Double(bytes) / 1e6, words.count, counted.timeIntervalSince(started),
            seconds - counted.timeIntervalSince(started), tokenizer.model.vocabulary.count, tokenizer.bpe?.merges.count ?? 0, output))
        return summary
    }
}
