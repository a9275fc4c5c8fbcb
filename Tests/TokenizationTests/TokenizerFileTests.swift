import Foundation
import Support
import TextProcessing
import Tokenization
import XCTest

/// Loading `tokenizer.json`: added tokens, post-processing, decoding, and errors that name the problem.
final class TokenizerFileTests: XCTestCase {
    /// A small byte-level tokenizer.json, with `extra` fields merged into the document.
    func document(added: String = "[]", model: String? = nil, postProcessor: String = "null", truncation: String = "null") -> String {
        let vocab = (0..<256).map { byte -> String in
            let character = String(Unicode.Scalar(ByteLevelAlphabet.characters[byte])!)
            return "\(JSONWriter.compact(.string(character))): \(byte)"
        }.joined(separator: ", ")
        let defaultModel = """
            {"type": "BPE", "vocab": {\(vocab), "Ġt": 256, "he": 257, "Ġthe": 258}, "merges": [["Ġ", "t"], "h e", ["Ġt", "he"]]}
            """
        return """
            {"version": "1.0", "truncation": \(truncation), "padding": null, "added_tokens": \(added), "normalizer": null,
             "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
             "post_processor": \(postProcessor), "decoder": {"type": "ByteLevel"}, "model": \(model ?? defaultModel)}
            """
    }

    func load(_ text: String) throws -> Tokenizer {
        try Tokenizer(json: JSONValue.parse(Data(text.utf8), source: "test.json"), source: "test.json")
    }

    func testBothMergeFormatsLoadAndEncode() throws {
        let tokenizer = try load(document())
        let encoding = try tokenizer.encode("a the")
        XCTAssertEqual(encoding.tokens, ["a", "Ġthe"])
        XCTAssertEqual(encoding.offsets, [0..<1, 1..<5])
        XCTAssertEqual(tokenizer.decode(encoding.ids), "a the")
    }

    /// Issue 16's CI run: a Hindi expansion of wordllama's Llama-2 tokenizer (merges as strings)
    /// has the merge "क ि", whose second part starts with a combining mark; split by grapheme
    /// clusters, " ि" is one character and the merge had "one part".
    func testAMergeStringSplitsAtTheSpaceScalarNotAtGraphemes() throws {
        let model = #"{"type": "BPE", "vocab": {"क": 0, "ि": 1, "कि": 2}, "merges": ["क ि"]}"#
        let tokenizer = try load(document(model: model).replacingOccurrences(of: #""pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true}"#, with: #""pre_tokenizer": null"#)
            .replacingOccurrences(of: #""decoder": {"type": "ByteLevel"}"#, with: #""decoder": null"#))
        XCTAssertEqual(try tokenizer.encode("कि").ids, [2])
        XCTAssertEqual(MergesFormat.parts(of: "क ि"), ["क", "ि"])
        let pairs = try MergesFormat.pairs.apply(to: tokenizer.json, path: "test.json")
        XCTAssertEqual(pairs["model"]?["merges"], .array([.array([.string("क"), .string("ि")])]))
        XCTAssertEqual(try MergesFormat.strings.apply(to: pairs, path: "test.json")["model"]?["merges"], .array([.string("क ि")]))
        XCTAssertThrowsError(try MergesFormat.strings.apply(to: .object([JSONMember("model", .object([JSONMember("merges", .array([.array([.string("a b"), .string("c")])]))]))]),
                                                          path: "test.json")) { error in
            XCTAssertTrue("\(error)".contains("test.json: model.merges[0]"), "\(error)")
        }
    }

    func testIdsAreBoundedByTheVocabularySize() throws {
        // An id of a billion was accepted and made the id table allocate 7.9 GB.
        let model = #"{"type": "BPE", "vocab": {"a": 0, "b": 1000000000}, "merges": []}"#
        XCTAssertThrowsError(try load(document(model: model))) { error in
            XCTAssertEqual("\(error)", "test.json:.model.vocab.b: id 1000000000 is far beyond this vocabulary of 2 tokens (ids must stay below 1028)")
        }
        let holes = #"{"type": "BPE", "vocab": {"a": 0, "b": 1000}, "merges": []}"#
        XCTAssertEqual(try load(document(model: holes)).model.vocabulary.id(for: "b"), 1000, "holes within the bound are kept, as Hugging Face allows")
    }

    func testAWordLevelModelLooksUpWholePiecesAndNeedsItsUnknownToken() throws {
        let model = #"{"type": "WordLevel", "vocab": {"[UNK]": 0, "hello": 1, "Ġworld": 2}, "unk_token": "[UNK]"}"#
        let tokenizer = try load(document(model: model))
        XCTAssertEqual(try tokenizer.encode("hello world worlds", addSpecialTokens: false).ids, [1, 2, 0])
        XCTAssertEqual(VocabularyListing(tokenizer).modelType, "WordLevel")
        XCTAssertThrowsError(try load(document(model: #"{"type": "WordLevel", "vocab": {"hello": 0}, "unk_token": "[UNK]"}"#))) { error in
            XCTAssertEqual("\(error)", "test.json:.model: the unknown token \"[UNK]\" is not in the vocabulary")
        }
    }

    func testAddedTokenIdsInTheFileAreNotTrusted() throws {
        let added = """
            [{"id": 900, "content": "<x>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
             {"id": 700, "content": "<y>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": false}]
            """
        let tokenizer = try load(document(added: added))
        XCTAssertEqual(tokenizer.id(for: "<x>"), 259)
        XCTAssertEqual(tokenizer.id(for: "<y>"), 260)
        let encoding = try tokenizer.encode("<x>the<y>")
        XCTAssertEqual(encoding.ids.first, 259)
        XCTAssertEqual(encoding.ids.last, 260)
        XCTAssertEqual(tokenizer.decode(encoding.ids, skipSpecialTokens: true), "the<y>")
    }

    func testStrippingAndSingleWordAddedTokens() throws {
        let added = """
            [{"id": 0, "content": "<m>", "single_word": false, "lstrip": true, "rstrip": true, "normalized": false, "special": true},
             {"id": 0, "content": "cat", "single_word": true, "lstrip": false, "rstrip": false, "normalized": false, "special": false}]
            """
        let tokenizer = try load(document(added: added))
        let mask = try tokenizer.encode("a  <m>  b")
        XCTAssertEqual(mask.tokens, ["a", "  <m>  ", "b"])
        XCTAssertEqual(mask.offsets[1], 1..<8)
        XCTAssertEqual(try tokenizer.encode("a cat").tokens.last, "cat")
        XCTAssertFalse(try tokenizer.encode("concat").tokens.contains("cat"))
    }

    func testTemplateTruncationAndByteLevelOffsets() throws {
        let added = """
            [{"id": 0, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}]
            """
        let template = """
            {"type": "Sequence", "processors": [{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true},
             {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
              "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
              "special_tokens": {"<s>": {"id": "<s>", "ids": [259], "tokens": ["<s>"]}}}]}
            """
        let tokenizer = try load(document(added: added, postProcessor: template, truncation: #"{"max_length": 3, "strategy": "LongestFirst", "direction": "Right", "stride": 0}"#))
        let encoding = try tokenizer.encode("the the the")
        XCTAssertEqual(encoding.tokens, ["<s>", "t", "he"])
        XCTAssertEqual(encoding.offsets, [0..<0, 0..<1, 1..<3])
        XCTAssertEqual(encoding.specialTokensMask, [1, 0, 0])
        XCTAssertEqual(try tokenizer.encode(" the").offsets.last, 1..<4, "ByteLevel trims the leading space")
        let pair = try tokenizer.encode("a", pair: "b")
        XCTAssertEqual(pair.typeIDs, [0, 1])
    }

    func testBatchDropoutIsReproducibleFromTheSeed() throws {
        let model = document().replacingOccurrences(of: #"{"type": "BPE", "vocab""#, with: #"{"type": "BPE", "dropout": 0.5, "vocab""#)
        let tokenizer = try load(model)
        let texts = Array(repeating: " the the the the the the", count: 8)
        XCTAssertEqual(try tokenizer.encodeBatch(texts, seed: 3).map(\.ids), try tokenizer.encodeBatch(texts, seed: 3).map(\.ids))
        let outcomes = Set(try (0..<10).map { try tokenizer.encodeBatch(texts, seed: $0).map(\.ids) })
        XCTAssertGreaterThan(outcomes.count, 1)
    }

    func testErrorsNameTheProblemAndWhere() {
        let cases: [(String, String)] = [
            ("{\"version\": \"1.0\",\n \"model\": [}", "test.json:2:12: not valid JSON"),
            (document(model: #"{"type": "CharLevel", "vocab": {}}"#), "test.json:.model.type: unsupported model type \"CharLevel\""),
            (document(model: #"{"type": "WordPiece", "vocab": {"a": 0}}"#), "test.json:.model: the unknown token \"[UNK]\" is not in the vocabulary"),
            (document(model: #"{"type": "BPE", "vocab": {"a": 0, "b": 0}, "merges": []}"#), "test.json:.model.vocab.b: duplicate id 0"),
            (document(model: #"{"type": "BPE", "vocab": {"a": 0}, "merges": [["a", "z"]]}"#),
             "test.json:.model.merges[0]: merge part \"z\" is not in the vocabulary"),
            (document(model: #"{"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a b c"]}"#),
             "test.json:.model.merges[0]: a merge must have exactly two parts"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try load(text)) { error in
                XCTAssertTrue("\(error)".hasPrefix(expected), "\(error)")
            }
        }
    }

    func testWritingRoundTripsAndIsAtomic() throws {
        let tokenizer = try load(document())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("polytoken-write-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("tokenizer.json").path
        try tokenizer.write(to: path)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["tokenizer.json"])
        let reloaded = try Tokenizer(contentsOf: path)
        XCTAssertEqual(try reloaded.encode("the other").ids, try tokenizer.encode("the other").ids)
        XCTAssertThrowsError(try tokenizer.write(to: directory.appendingPathComponent("missing/tokenizer.json").path))
    }
}
