import ArgumentParser
import Foundation
import Support
import Tokenization

/// `polytoken convert`: a tokenizer file of any format Polytoken reads, written as Hugging Face
/// `tokenizer.json` (alone, or in a directory with the files `transformers` loads).
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a tokenizer file (a SentencePiece model, a llama.cpp GGUF model or vocabulary, a tiktoken rank file, vocab.json with merges.txt, a tokenizer.json) into another format.",
        discussion: """
            The format is detected from the content. SentencePiece: BPE and Unigram models; Polytoken encodes them \
            exactly as sentencepiece, and refuses a tokenizer.json that tokenizers would encode differently unless \
            --allow-loss. GGUF: the tokenizer kinds llama.cpp runs \
            (\(GGUFTokenizer.supportedModels.joined(separator: ", "))), byte-level ones with the pre-tokenizer names \
            \(GGUFPreTokenizer.supportedNames.joined(separator: ", ")). The result encodes as the original \
            tokenizer did; every other command also reads these files directly.

            Examples:
              polytoken convert tokenizer.model -o tokenizer.json
              polytoken convert model.gguf -o tokenizer-dir/
              polytoken convert tokenizer.json --to tiktoken -o ranks.tiktoken
            """)

    @Argument(help: "The tokenizer file: a tokenizer.json, a SentencePiece .model, a .gguf file, a .tiktoken rank file or a vocab.json (with merges.txt beside it).")
    var input: String

    @Option(name: .shortAndLong, help: "Where to write: a file (tokenizer.json alone), or a directory (ending in '/', or existing) that gets tokenizer.json, tokenizer_config.json and special_tokens_map.json with the special tokens the input names. Written atomically; an existing file, or a directory holding only tokenizer files, is replaced.")
    var output: String

    /// The output formats.
    enum Target: String, ExpressibleByArgument, CaseIterable {
        case tokenizerJSON = "tokenizer.json"
        case sentencePiece = "sentencepiece"
        case tiktoken
        case vocabMerges = "vocab-merges"
    }

    @Option(help: "The output format: tokenizer.json (default), sentencepiece (a .model file, from a BPE or Unigram tokenizer), tiktoken (a rank file, from a byte-level BPE whose merges are those tiktoken's ranking implies) or vocab-merges (vocab.json and merges.txt in the directory -o names, from a GPT-2-style BPE).")
    var to: Target = .tokenizerJSON

    @Flag(help: "Write the output even when it does not encode as the input: a SentencePiece model as tokenizer.json (tokenizers applies normalization rules and user-defined pieces differently), or a tokenizer as a SentencePiece model, rank file or vocab.json and merges.txt that does not read back into it (a rank file has no split pattern or special tokens; vocab.json and merges.txt read as GPT-2).")
    var allowLoss = false

    @Option(help: "The tiktoken encoding whose split pattern and special tokens go with a tiktoken rank file: \(TiktokenEncoding.builtIn.map(\.name).joined(separator: ", ")). Default: the one whose rank file has as many ranks as the input.")
    var tiktokenEncoding: String?

    @Option(help: "How tokenizer.json writes merges: pairs (as current tokenizers, read by 0.20 and later) or strings (read by every version).")
    var mergesFormat: MergesFormat = .pairs

    func validate() throws {
        if let name = tiktokenEncoding, TiktokenEncoding.named(name) == nil {
            throw ValidationError("--tiktoken-encoding \(name) is not one of \(TiktokenEncoding.builtIn.map(\.name).joined(separator: ", "))")
        }
    }

    func run() throws {
        let format = try TokenizerFormat.detect(input)
        if tiktokenEncoding != nil && format != .tiktoken { throw ValidationError("--tiktoken-encoding is for tiktoken rank files; \(input) is \(format.rawValue)") }
        let tokenizer = try Tokenizer(json: TokenizerFormat.document(contentsOf: input, tiktokenEncoding: tiktokenEncoding.flatMap(TiktokenEncoding.named)), source: input)
        if to == .sentencePiece { return try writeSentencePiece(of: tokenizer, format: format) }
        if to == .tiktoken { return try writeRanks(of: tokenizer, format: format) }
        if to == .vocabMerges { return try writeVocabularyAndMerges(of: tokenizer, format: format) }
        var roles: [SpecialTokens.Role: String] = [:]
        switch format {
        case .gguf, .sentencePiece:
            let metadata = format == .gguf ? try GGUFMetadata(contentsOf: input, keeping: GGUFTokenizer.isTokenizerKey) : nil
            if let metadata { roles = try GGUFTokenizer.specialTokens(metadata) }
            guard let model = try metadata.map(GGUFTokenizer.sentencePieceModel) ?? SentencePieceModelFile(contentsOf: input) else { break }
            let lost = model.lossInTokenizerJSON
            if !lost.isEmpty && !allowLoss {
                throw ValidationError("tokenizers cannot encode this SentencePiece model exactly as sentencepiece does: \(lost.joined(separator: "; ")); pass --allow-loss to write the closest tokenizer.json anyway (Polytoken itself reads the .model exactly)")
            }
            if metadata == nil { roles = model.specialTokens }
        default: break
        }
        let isDirectory = output.hasSuffix("/") || FileStatus(path: output)?.kind == .directory
        if isDirectory, let names = try? FileManager.default.contentsOfDirectory(atPath: output),
           let other = names.first(where: { !ModelFiles.tokenizerFiles.contains($0) && !AtomicOutput.isBookkeeping($0) }) {
            throw ValidationError("\(output) holds \(other), not only tokenizer files; choose another output directory")
        }
        let specialTokens = format == .gguf || format == .sentencePiece ? SpecialTokens(tokens: roles) : try SpecialTokens(vocabulary: VocabularyListing(tokenizer), directory: nil)
        let directory = try TokenizerDirectory(tokenizer: tokenizer, specialTokens: specialTokens, mergesFormat: mergesFormat)
        let destination = try openOutput(output, isDirectory ? .directory : .file, replacing: true, inputs: [input])
        do {
            if isDirectory {
                try directory.write(into: destination.temporaryPath)
                try destination.commit()
            } else {
                try destination.write(Data(JSONWriter.pretty(try directory.tokenizerJSON(path: output)).utf8))
            }
        } catch {
            destination.abandon()
            throw error
        }
        let model = VocabularyListing(tokenizer).modelType
        FileHandle.standardError.write(Data("\(format.rawValue): \(model), \(tokenizer.vocabularySize) tokens, \(tokenizer.bpe?.merges.count ?? 0) merges -> \(output)\n".utf8))
    }

    /// Writes `tokenizer` as a SentencePiece model (a SentencePiece input as it is).
    func writeSentencePiece(of tokenizer: Tokenizer, format: TokenizerFormat) throws {
        let original = format == .sentencePiece ? try SentencePieceModelFile(contentsOf: input)
            : format == .gguf ? try GGUFTokenizer.sentencePieceModel(GGUFMetadata(contentsOf: input, keeping: GGUFTokenizer.isTokenizerKey)) : nil
        let model = try original ?? SentencePieceModelFile(tokenizer, source: input)
        let lost = original != nil ? [] : try model.loss(against: tokenizer)
        if !lost.isEmpty && !allowLoss {
            throw ValidationError("the SentencePiece model would not read back into this tokenizer: its \(lost.joined(separator: ", ")) would differ (a .model file holds pieces, scores, types and a normalizer spec, not a post-processor, pre-tokenizer or merges other than those its scores imply); pass --allow-loss to write it anyway")
        }
        let destination = try openOutput(output, .file, replacing: true, inputs: [input])
        do {
            try destination.write(try model.data)
        } catch {
            destination.abandon()
            throw error
        }
        FileHandle.standardError.write(Data("\(format.rawValue) -> sentencepiece: \(model.kind.rawValue), \(model.pieces.count) pieces -> \(output)\(lost.isEmpty ? "" : "; lost: " + lost.joined(separator: ", "))\n".utf8))
    }

    /// Writes `tokenizer`'s ranks as a tiktoken rank file.
    func writeRanks(of tokenizer: Tokenizer, format: TokenizerFormat) throws {
        let ranks = try TiktokenRanks(tokenizer, source: input)
        let encoding = ranks.encoding(reproducing: tokenizer)
        if encoding == nil && !allowLoss {
            throw ValidationError("a rank file holds only the ranks, and no built-in tiktoken encoding (\(TiktokenEncoding.builtIn.map(\.name).joined(separator: ", "))) reads it back into this tokenizer (its normalizer, pre-tokenizer, post-processor, decoder and special tokens are not in a rank file), so some of them would be lost; pass --allow-loss to write the ranks anyway")
        }
        let destination = try openOutput(output, .file, replacing: true, inputs: [input])
        do {
            try destination.write(ranks.data)
        } catch {
            destination.abandon()
            throw error
        }
        let readBack = encoding.map { "; it reads back as this tokenizer with the \($0.name) encoding" } ?? "; the split pattern and special tokens are not in it"
        FileHandle.standardError.write(Data("\(format.rawValue) -> tiktoken: \(ranks.entries.count) ranks -> \(output)\(readBack)\n".utf8))
    }

    /// Writes `tokenizer` as `vocab.json` and `merges.txt` into the directory `output`.
    func writeVocabularyAndMerges(of tokenizer: Tokenizer, format: TokenizerFormat) throws {
        let (vocabulary, merges) = try VocabMergesFiles.files(of: tokenizer, source: input)
        let lost = VocabMergesFiles.loss(of: tokenizer)
        if !lost.isEmpty && !allowLoss {
            throw ValidationError("vocab.json and merges.txt read back as a GPT-2 byte-level BPE, so \(lost.joined(separator: ", ")) of this tokenizer would be lost; pass --allow-loss to write them anyway")
        }
        if let names = try? FileManager.default.contentsOfDirectory(atPath: output),
           let other = names.first(where: { ![VocabMergesFiles.mergesName, "vocab.json"].contains($0) && !AtomicOutput.isBookkeeping($0) }) {
            throw ValidationError("\(output) holds \(other), not only vocab.json and merges.txt; choose another output directory")
        }
        let destination = try openOutput(output, .directory, replacing: true, inputs: [input])
        do {
            try vocabulary.write(to: URL(fileURLWithPath: PathName.join(destination.temporaryPath, "vocab.json")))
            try merges.write(to: URL(fileURLWithPath: PathName.join(destination.temporaryPath, VocabMergesFiles.mergesName)))
            try destination.commit()
        } catch {
            destination.abandon()
            throw error
        }
        FileHandle.standardError.write(Data("\(format.rawValue) -> vocab.json + merges.txt: \(tokenizer.bpe?.merges.count ?? 0) merges -> \(output)\(lost.isEmpty ? "" : "; lost: " + lost.joined(separator: ", "))\n".utf8))
    }
}
