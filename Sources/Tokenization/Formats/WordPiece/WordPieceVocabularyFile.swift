import Foundation
import Support
import TextProcessing

/// BERT's `vocab.txt`: one WordPiece token per line, its id the line number. Read as `transformers`
/// converts a `BertTokenizer`: BertNormalizer and BertPreTokenizer, WordPiece with `##`
/// continuations, `[CLS] … [SEP]` around each sequence, the special tokens that are in the
/// vocabulary as special added tokens. The settings come from the `tokenizer_config.json` beside
/// it (`do_lower_case`, `tokenize_chinese_chars`, `strip_accents`, the special tokens) or else
/// `BertTokenizer`'s defaults, except that a vocabulary without an uppercase letter outside its
/// special tokens is taken as uncased and one with them as cased.
public enum WordPieceVocabularyFile {
    /// Whether `prefix`, the start of a text file, is a BERT vocabulary: its first line is a
    /// bracketed special token such as `[PAD]`.
    public static func looksLikeVocabulary(_ prefix: Data) -> Bool {
        guard let end = prefix.firstIndex(of: 0x0A) else { return false }
        let line = prefix[prefix.startIndex..<end].filter { $0 != 0x0D }
        guard line.count >= 3, line.first == UInt8(ascii: "["), line.last == UInt8(ascii: "]") else { return false }
        return line.dropFirst().dropLast().allSatisfy { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "_") }
    }

    /// The `tokenizer.json` document of the `vocab.txt` at `path`. Errors name the file and line.
    public static func document(vocabularyAt path: String) throws -> JSONValue {
        let text = try InputFile.read(path)
        guard let string = String(data: text, encoding: .utf8) else { throw ConfigurationError(path: path, message: "not valid UTF-8") }
        var lines = string.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        if lines.last?.isEmpty == true { lines.removeLast() }
        // As tokenizers' WordPiece::read_file: a repeated token keeps its last line. Keyed by bytes:
        // canonically equivalent tokens are distinct.
        var lineOf: [[UInt8]: Int] = [:]
        var order: [String] = []
        for (number, line) in lines.enumerated() {
            let token = String(line)
            guard !token.isEmpty else { throw ConfigurationError(path: "\(path): line \(number + 1)", message: "an empty token") }
            if lineOf.updateValue(number, forKey: Array(token.utf8)) == nil { order.append(token) }
        }
        func id(_ token: String) -> Int? { lineOf[Array(token.utf8)] }
        let configPath = PathName.join((path as NSString).deletingLastPathComponent, ModelFiles.tokenizerConfig)
        let config = FileStatus(path: configPath) != nil ? try JSONValue.parse(contentsOf: configPath) : .object([])
        func setting(_ key: String) -> JSONValue? { config[key].flatMap { $0 == .null ? nil : $0 } }
        func token(_ key: String, _ fallback: String) -> String {
            if case .string(let name)? = setting(key) { return name }
            if case .string(let name)? = setting(key)?["content"] { return name }
            return fallback
        }
        let special = [token("unk_token", "[UNK]"), token("sep_token", "[SEP]"), token("pad_token", "[PAD]"),
                       token("cls_token", "[CLS]"), token("mask_token", "[MASK]")]
        let cased = order.contains { token in
            !special.contains(token) && token.unicodeScalars.contains { $0.properties.isUppercase }
        }
        let lowercase: JSONValue = setting("do_lower_case") ?? .bool(!cased)
        let added = special.compactMap { name in id(name).map { (name, $0) } }.sorted { $0.1 < $1.1 }
            .map { AddedToken($0.0, normalized: false, special: true).json(id: TokenID($0.1)) }
        func object(_ members: (String, JSONValue)...) -> JSONValue { .object(members.map { JSONMember($0.0, $0.1) }) }
        let (cls, sep) = (token("cls_token", "[CLS]"), token("sep_token", "[SEP]"))
        let postProcessor: JSONValue = id(cls).flatMap { c in id(sep).map { s in
            TemplateProcessing.surrounding(begin: (cls, TokenID(c)), end: (sep, TokenID(s)), beginsPair: false).json
        } } ?? .null
        return object(
            ("version", .string("1.0")), ("truncation", .null), ("padding", .null), ("added_tokens", .array(added)),
            ("normalizer", object(("type", .string("BertNormalizer")), ("clean_text", .bool(true)),
                                  ("handle_chinese_chars", setting("tokenize_chinese_chars") ?? .bool(true)),
                                  ("strip_accents", setting("strip_accents") ?? .null), ("lowercase", lowercase))),
            ("pre_tokenizer", object(("type", .string("BertPreTokenizer")))), ("post_processor", postProcessor),
            ("decoder", object(("type", .string("WordPiece")), ("prefix", .string("##")), ("cleanup", .bool(true)))),
            ("model", object(("type", .string("WordPiece")), ("unk_token", .string(token("unk_token", "[UNK]"))),
                             ("continuing_subword_prefix", .string("##")), ("max_input_chars_per_word", .number(100)),
                             ("vocab", .object(order.map { JSONMember($0, .number(Double(id($0)!))) })))))
    }
}
