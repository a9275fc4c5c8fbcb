import Foundation
import Support

/// The tokenizer file formats Polytoken reads, told apart by their content: Hugging Face
/// `tokenizer.json`, SentencePiece models, the tokenizer in a llama.cpp GGUF file, tiktoken rank
/// files, GPT-2's `vocab.json` (with `merges.txt` beside it) and BERT's `vocab.txt`. Every format is read into the
/// equivalent `tokenizer.json` document.
public enum TokenizerFormat: String, Sendable {
    /// Hugging Face `tokenizer.json`.
    case huggingFace = "tokenizer.json"
    /// A SentencePiece model, `tokenizer.model` (see ``SentencePieceModelFile``).
    case sentencePiece = "sentencepiece"
    /// A GGUF model or vocabulary file (see ``GGUFTokenizer``).
    case gguf
    /// A tiktoken rank file (see ``TiktokenRanks``).
    case tiktoken
    /// A `vocab.json` with its `merges.txt` (see ``VocabMergesFiles``).
    case vocabMerges = "vocab.json"
    /// BERT's `vocab.txt` (see ``WordPieceVocabularyFile``).
    case wordPieceVocabulary = "vocab.txt"

    /// The format of the file at `path`, from its first bytes. Errors name the file.
    public static func detect(_ path: String) throws -> TokenizerFormat {
        guard let status = FileStatus(path: path), status.kind != .directory, let handle = FileHandle(forReadingAtPath: path) else {
            _ = try InputFile.read(path)
            throw InputError(path, "cannot be read")
        }
        defer { try? handle.close() }
        let prefix = (try? handle.read(upToCount: 512)) ?? Data()
        if GGUFMetadata.isGGUF(prefix) { return .gguf }
        if SentencePieceModelFile.looksLikeModel(prefix) { return .sentencePiece }
        if VocabMergesFiles.looksLikeVocabulary(prefix) { return .vocabMerges }
        if WordPieceVocabularyFile.looksLikeVocabulary(prefix) { return .wordPieceVocabulary }
        return TiktokenRanks.looksLikeRanks(prefix) ? .tiktoken : .huggingFace
    }

    /// The `tokenizer.json` document of the tokenizer in the file at `path`, whatever its format.
    /// A tiktoken rank file is read with `tiktokenEncoding`, or else with the built-in encoding
    /// of its size.
    public static func document(contentsOf path: String, tiktokenEncoding: TiktokenEncoding? = nil) throws -> JSONValue {
        switch try detect(path) {
        case .huggingFace: return try JSONValue.parse(contentsOf: path)
        case .sentencePiece: return try SentencePieceModelFile(contentsOf: path).document()
        case .gguf: return try GGUFTokenizer.document(GGUFMetadata(contentsOf: path, keeping: GGUFTokenizer.isTokenizerKey))
        case .vocabMerges: return try VocabMergesFiles.document(vocabularyAt: path)
        case .wordPieceVocabulary: return try WordPieceVocabularyFile.document(vocabularyAt: path)
        case .tiktoken:
            let ranks = try TiktokenRanks(InputFile.read(path), path: path)
            return try ranks.document(encoding: tiktokenEncoding ?? ranks.inferredEncoding(path: path), path: path)
        }
    }
}
