import Foundation
import Support

/// The tokenizer file formats Polytoken reads, told apart by their content: Hugging Face
/// `tokenizer.json` and the tokenizer in a llama.cpp GGUF file. Every format is read into the
/// equivalent `tokenizer.json` document.
public enum TokenizerFormat: String, CaseIterable, Sendable {
    /// Hugging Face `tokenizer.json`.
    case huggingFace = "tokenizer.json"
    /// A GGUF model or vocabulary file (see ``GGUFTokenizer``).
    case gguf

    /// The format of the file at `path`, from its first bytes. Errors name the file.
    public static func detect(_ path: String) throws -> TokenizerFormat {
        guard let status = FileStatus(path: path), status.kind != .directory, let handle = FileHandle(forReadingAtPath: path) else {
            _ = try InputFile.read(path)
            throw InputError(path, "cannot be read")
        }
        defer { try? handle.close() }
        let prefix = (try? handle.read(upToCount: 4)) ?? Data()
        return GGUFMetadata.isGGUF(prefix) ? .gguf : .huggingFace
    }

    /// The `tokenizer.json` document of the tokenizer in the file at `path`, whatever its format.
    public static func document(contentsOf path: String) throws -> JSONValue {
        switch try detect(path) {
        case .huggingFace: return try JSONValue.parse(contentsOf: path)
        case .gguf: return try GGUFTokenizer.document(GGUFMetadata(contentsOf: path))
        }
    }
}
