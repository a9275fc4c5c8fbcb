import Foundation
import Support
import TextProcessing

extension BPEModel {
    /// The model in `tokenizer.json` form, merges written as pairs.
    public var json: JSONValue {
        func optional(_ string: String?) -> JSONValue { string.map { .string($0) } ?? .null }
        let vocab = vocabulary.entries.map { JSONMember(String(decoding: $0.token, as: UTF8.self), .number(Double($0.id))) }
        let pairs = merges.map { left, right in
            JSONValue.array([.string(vocabulary.string(for: left)!), .string(vocabulary.string(for: right)!)])
        }
        return .object([
            JSONMember("type", .string("BPE")),
            JSONMember("dropout", dropout.map { .number(Double($0)) } ?? .null),
            JSONMember("unk_token", optional(unknownToken)),
            JSONMember("continuing_subword_prefix", optional(continuingSubwordPrefix)),
            JSONMember("end_of_word_suffix", optional(endOfWordSuffix)),
            JSONMember("fuse_unk", .bool(fuseUnknown)),
            JSONMember("byte_fallback", .bool(byteFallback)),
            JSONMember("ignore_merges", .bool(ignoreMerges)),
            JSONMember("vocab", .object(vocab)),
            JSONMember("merges", .array(pairs)),
        ])
    }
}

extension Tokenizer {
    /// The `tokenizer.json` document of this tokenizer: the source document with its
    /// `added_tokens` and `model` taken from the current state.
    public var json: JSONValue {
        let added = addedVocabulary.tokens.sorted { $0.key < $1.key }.map { id, token in token.json(id: id) }
        var members: [JSONMember] = []
        if case .object(let source) = document { members = source }
        for key in ["version", "truncation", "padding"] where !members.contains(where: { $0.key == key }) {
            members.set(key, key == "version" ? .string("1.0") : .null)
        }
        members.set("added_tokens", .array(added))
        for key in ["normalizer", "pre_tokenizer", "post_processor", "decoder"] where !members.contains(where: { $0.key == key }) {
            members.set(key, .null)
        }
        members.set("model", model.json)
        let order = ["version", "truncation", "padding", "added_tokens", "normalizer", "pre_tokenizer", "post_processor", "decoder", "model"]
        members.sort { (order.firstIndex(of: $0.key) ?? order.count) < (order.firstIndex(of: $1.key) ?? order.count) }
        return .object(members)
    }

    /// Writes the pretty-printed `tokenizer.json` to `path` atomically: a temporary file
    /// beside it is renamed into place only once complete (see `AtomicOutput`).
    public func write(to path: String) throws {
        try write(to: AtomicOutput(path, kind: .file, replacing: true))
    }

    /// Writes the pretty-printed `tokenizer.json` as the content of `output` and commits it.
    public func write(to output: AtomicOutput) throws {
        try output.write(Data(JSONWriter.pretty(json).utf8))
    }
}
