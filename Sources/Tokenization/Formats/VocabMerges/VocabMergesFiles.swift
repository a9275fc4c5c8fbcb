import Foundation
import Support
import TextProcessing

/// The GPT-2-era pair of files: `vocab.json` (`{"token": id}`) and `merges.txt` (an optional
/// `#version` line, then one `left right` merge per line), of a byte-level BPE. Read, they become
/// the `tokenizer.json` of GPT-2 (ByteLevel pre-tokenizer, post-processor and decoder; `<|endoftext|>`
/// special when the vocabulary has it); written, from a BPE whose components are exactly those.
public enum VocabMergesFiles {
    /// The name of the merges file beside a `vocab.json`.
    public static let mergesName = "merges.txt"

    /// Whether `prefix`, the start of a JSON file, is a vocabulary: an object whose first member's
    /// value is a number (a `tokenizer.json`'s members are objects, arrays, strings or null).
    public static func looksLikeVocabulary(_ prefix: Data) -> Bool {
        var bytes = prefix.makeIterator()
        func next() -> UInt8? {
            while let byte = bytes.next() { if byte != 0x20 && byte != 0x0A && byte != 0x0D && byte != 0x09 { return byte } }
            return nil
        }
        guard next() == UInt8(ascii: "{"), next() == UInt8(ascii: "\"") else { return false }
        var escaped = false
        while let byte = bytes.next() {
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { break }
        }
        guard next() == UInt8(ascii: ":"), let value = next() else { return false }
        return value == UInt8(ascii: "-") || (0x30...0x39).contains(value)
    }

    /// The `tokenizer.json` document of the `vocab.json` at `path` and the `merges.txt` beside it.
    /// Errors name the file and the line or token.
    public static func document(vocabularyAt path: String) throws -> JSONValue {
        let mergesPath = PathName.join((path as NSString).deletingLastPathComponent, mergesName)
        guard case .object(let members) = try JSONValue.parse(contentsOf: path) else {
            throw ConfigurationError(path: path, message: "expected an object of token ids")
        }
        var known = Set<[UInt8]>()
        for member in members {
            guard case .number(let id) = member.value, id >= 0, id == id.rounded(), id < Double(Int32.max) else {
                throw ConfigurationError(path: "\(path): \(member.key.debugDescription)", message: "expected a non-negative integer id")
            }
            known.insert(Array(member.key.utf8))
        }
        let text: Data
        do {
            text = try InputFile.read(mergesPath)
        } catch let error as InputError {
            throw ConfigurationError(path: error.path, message: "\(error.message) (a vocab.json needs its merges.txt beside it)")
        }
        var merges: [JSONValue] = []
        for (number, line) in text.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let line = line.last == 0x0D ? line.dropLast() : line
            if line.isEmpty || (number == 0 && line.starts(with: Array("#version".utf8))) { continue }
            let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
            guard parts.count == 2, known.contains(Array(parts[0])), known.contains(Array(parts[1])),
                  known.contains(Array(parts[0]) + Array(parts[1])) else {
                throw ConfigurationError(path: "\(mergesPath): line \(number + 1)", message: "expected two tokens of vocab.json, separated by one space, whose concatenation is a token too")
            }
            merges.append(.array([.string(String(decoding: parts[0], as: UTF8.self)), .string(String(decoding: parts[1], as: UTF8.self))]))
        }
        let endOfText = members.first { $0.key == "<|endoftext|>" }
        let added: [JSONValue] = endOfText.map { member in
            guard case .number(let id) = member.value else { return [] }
            return [AddedToken(member.key, normalized: false, special: true).json(id: TokenID(id))]
        } ?? []
        var document = template
        document.set("added_tokens", .array(added))
        document.set("model", .object([
            JSONMember("type", .string("BPE")), JSONMember("dropout", .null), JSONMember("unk_token", .null),
            JSONMember("continuing_subword_prefix", .null), JSONMember("end_of_word_suffix", .null), JSONMember("fuse_unk", .bool(false)),
            JSONMember("byte_fallback", .bool(false)), JSONMember("ignore_merges", .bool(false)),
            JSONMember("vocab", .object(members)), JSONMember("merges", .array(merges)),
        ]))
        return .object(document)
    }

    /// GPT-2's components.
    static var template: [JSONMember] {
        let byteLevel = { (trim: Bool, prefix: Bool) in
            JSONValue.object([
                JSONMember("type", .string("ByteLevel")), JSONMember("add_prefix_space", .bool(prefix)),
                JSONMember("trim_offsets", .bool(trim)), JSONMember("use_regex", .bool(true)),
            ])
        }
        return [
            JSONMember("version", .string("1.0")), JSONMember("truncation", .null), JSONMember("padding", .null),
            JSONMember("added_tokens", .array([])), JSONMember("normalizer", .null), JSONMember("pre_tokenizer", byteLevel(true, false)),
            JSONMember("post_processor", byteLevel(true, true)), JSONMember("decoder", byteLevel(true, true)),
        ]
    }

    /// What the pair of files would not carry of `tokenizer` (its normalizer, pre-tokenizer,
    /// post-processor, decoder or added tokens where they differ from GPT-2's, and model options);
    /// empty when the files read back into the same tokenizer.
    public static func loss(of tokenizer: Tokenizer) -> [String] {
        guard let model = tokenizer.model as? BPEModel else { return ["the model (\(VocabularyListing(tokenizer).modelType), not BPE)"] }
        var lost: [String] = []
        for member in template where ["normalizer", "pre_tokenizer", "post_processor", "decoder"].contains(member.key) {
            if (tokenizer.document[member.key] ?? .null) != member.value { lost.append("the \(member.key)") }
        }
        let added = tokenizer.addedVocabulary.tokens
        let endOfText = model.vocabulary.id(for: Array("<|endoftext|>".utf8))
        if added.count != (endOfText == nil ? 0 : 1) || endOfText.map({ added[$0] != AddedToken("<|endoftext|>", normalized: false, special: true) }) == true {
            lost.append("the added tokens")
        }
        if model.byteFallback || model.unknownToken != nil || model.dropout != nil || model.ignoreMerges
            || model.continuingSubwordPrefix != nil || model.endOfWordSuffix != nil {
            lost.append("the model's options (byte fallback, unknown token, dropout, ignore_merges, prefix or suffix)")
        }
        return lost
    }

    /// The two files of a BPE `tokenizer`: `vocab.json` (compact, by id) and `merges.txt` (with
    /// the `#version: 0.2` line). Errors name `source` and the JSON path.
    public static func files(of tokenizer: Tokenizer, source: String = "tokenizer.json") throws -> (vocabulary: Data, merges: Data) {
        guard let model = tokenizer.model as? BPEModel else {
            throw ConfigurationError(path: "\(source): model", message: "vocab.json and merges.txt hold a BPE; this model is \(VocabularyListing(tokenizer).modelType)")
        }
        let vocabulary = JSONValue.object(model.vocabulary.entries.map { JSONMember(String(decoding: $0.token, as: UTF8.self), .number(Double($0.id))) })
        var merges = "#version: 0.2\n"
        for (index, (left, right)) in model.merges.enumerated() {
            let pair = [model.vocabulary.string(for: left)!, model.vocabulary.string(for: right)!]
            guard !pair.contains(where: { $0.unicodeScalars.contains(" ") || $0.unicodeScalars.contains("\n") }) else {
                throw ConfigurationError(path: "\(source): model.merges[\(index)]", message: "the merge \(pair) has a token with a space or a line break, which merges.txt cannot hold")
            }
            merges += pair.joined(separator: " ") + "\n"
        }
        return (Data(JSONWriter.compact(vocabulary).utf8), Data(merges.utf8))
    }
}
