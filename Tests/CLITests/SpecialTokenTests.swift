import Foundation
import Support
import Tensors
import XCTest

/// Issue 16: special tokens are carried across a vocabulary change by token string, never by
/// id, and every directory written loads in `transformers` with its special tokens.
final class SpecialTokenTests: XCTestCase {
    var scratch: Scratch!

    override func setUpWithError() throws { scratch = try Scratch.temporary("special") }
    override func tearDownWithError() throws { scratch.remove() }

    private func json(_ path: String) throws -> JSONValue { try JSONValue.parse(contentsOf: scratch.path(path)) }

    private func id(of token: String, in tokenizer: String) throws -> JSONValue {
        let document = try JSONValue.parse(contentsOf: tokenizer)
        if case .array(let added)? = document["added_tokens"], let entry = added.first(where: { $0["content"] == .string(token) }) { return entry["id"]! }
        return document["model"]!["vocab"]![token]!
    }

    func testAReplacedTokenizerGetsItsSpecialIdsByTokenStringOrIsRefused() throws {
        try scratch.model()
        try scratch.write("M/config.json", #"{"model_type": "llama", "vocab_size": 32000, "tie_word_embeddings": true, "bos_token_id": 1, "eos_token_id": 2}"#)
        try scratch.write("M/generation_config.json", #"{"bos_token_id": 1, "eos_token_id": [2]}"#)
        let target = Fixtures.shared.tokenizer
        let arguments = ["transtokenize", "--model", "M", "--target-tokenizer", target, "--parallel", Fixtures.sample("parallel/en-de.tsv"),
                         "--aligner", "diagonal", "-o", "OUT"]
        // Before issue 16, ids 1 and 2 were kept: in the new vocabulary they are ordinary tokens.
        let refused = try CommandLineRunner.run(arguments, in: scratch.directory)
        XCTAssertEqual(refused.status, 1)
        for words in ["config.json bos_token_id", "\"<s>\" (bos)", "\"</s>\" (eos)", "--special-token-map"] {
            XCTAssertTrue(refused.standardError.contains(words), "\(words): \(refused.standardError)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path("OUT")))

        let mapped = try CommandLineRunner.run(arguments + ["--special-token-map", "bos=<|begin_of_text|>", "--special-token-map", "eos=<|end_of_text|>",
                                                            "--special-token-map", "unk=none"], in: scratch.directory)
        XCTAssertEqual(mapped.status, 0, mapped.standardError)
        let (bos, eos) = (try id(of: "<|begin_of_text|>", in: target), try id(of: "<|end_of_text|>", in: target))
        XCTAssertEqual(try json("OUT/config.json")["bos_token_id"], bos)
        XCTAssertEqual(try json("OUT/config.json")["eos_token_id"], eos)
        XCTAssertEqual(try json("OUT/generation_config.json")["eos_token_id"], .array([eos]))
        XCTAssertEqual(try json("OUT/tokenizer_config.json")["eos_token"], .string("<|end_of_text|>"))
        XCTAssertEqual(try json("OUT/tokenizer_config.json")["tokenizer_class"], .string("PreTrainedTokenizerFast"))
        XCTAssertEqual(try json("OUT/special_tokens_map.json")["bos_token"]?["content"], .string("<|begin_of_text|>"))
        let inspected = try CommandLineRunner.run(["inspect", "--check", "OUT"], in: scratch.directory)
        XCTAssertEqual(inspected.status, 0, inspected.standardOutput + inspected.standardError)
    }

    func testMissingSpecialTokensCanBeAddedWithTheSourceRows() throws {
        try scratch.model()
        try scratch.write("M/config.json", #"{"model_type": "llama", "vocab_size": 32000, "tie_word_embeddings": true, "bos_token_id": 1, "eos_token_id": 2}"#)
        // eos and pad share a token: it is added once (two copies would be one in tokenizers, at another id).
        try scratch.write("M/tokenizer_config.json", #"{"bos_token": "<s>", "eos_token": "</s>", "pad_token": "</s>", "unk_token": "<unk>"}"#)
        let target = Fixtures.shared.tokenizer
        let result = try CommandLineRunner.run(["transtokenize", "--model", "M", "--target-tokenizer", target, "--parallel", Fixtures.sample("parallel/en-de.tsv"),
                                                "--aligner", "diagonal", "--add-missing-special-tokens", "-o", "OUT"], in: scratch.directory)
        XCTAssertEqual(result.status, 0, result.standardError)
        guard case .object(let vocab)? = try JSONValue.parse(contentsOf: target)["model"]?["vocab"], case .array(let targetAdded)? = try JSONValue.parse(contentsOf: target)["added_tokens"] else {
            return XCTFail("unexpected target tokenizer")
        }
        let ids = (vocab.map(\.value) + targetAdded.compactMap { $0["id"] }).compactMap { value -> Int? in if case .number(let id) = value { Int(id) } else { nil } }
        let first = ids.max()! + 1
        let (bos, eos) = (try id(of: "<s>", in: scratch.path("OUT/tokenizer.json")), try id(of: "</s>", in: scratch.path("OUT/tokenizer.json")))
        XCTAssertTrue([bos, eos] == [.number(Double(first)), .number(Double(first + 1))] || [eos, bos] == [.number(Double(first)), .number(Double(first + 1))],
                      "\(bos), \(eos) are not the first ids after the target's \(first)")
        XCTAssertEqual(try json("OUT/config.json")["bos_token_id"], bos)
        XCTAssertEqual(try json("OUT/config.json")["eos_token_id"], eos)
        XCTAssertEqual(try json("OUT/config.json")["vocab_size"], .number(Double(first + 3)))
        guard case .array(let added)? = try json("OUT/tokenizer.json")["added_tokens"] else { return XCTFail("no added tokens") }
        XCTAssertEqual(added.suffix(3).map { $0["content"] }, [.string("<s>"), .string("</s>"), .string("<unk>")])
        XCTAssertEqual(try json("OUT/tokenizer_config.json")["pad_token"], .string("</s>"))
        let before = try SafetensorsFile(path: scratch.path("M/model.safetensors")), after = try SafetensorsFile(path: scratch.path("OUT/model.safetensors"))
        let width = 16
        let sourceRows = try before.floats(of: before.tensor("model.embed_tokens.weight")!), rows = try after.floats(of: after.tensor("model.embed_tokens.weight")!)
        guard case .number(let bosID) = bos else { return XCTFail("no bos id") }
        XCTAssertEqual(Array(rows[Int(bosID) * width ..< Int(bosID) * width + width]), Array(sourceRows[width ..< 2 * width]), "the added <s> row is the source's")
        let inspected = try CommandLineRunner.run(["inspect", "--check", "OUT"], in: scratch.directory)
        XCTAssertEqual(inspected.status, 0, inspected.standardOutput)
    }

    func testASourceWhoseFilesDisagreeIsRefusedUntilTheRoleIsDecided() throws {
        try scratch.model()
        try scratch.write("M/config.json", #"{"model_type": "llama", "vocab_size": 32000, "tie_word_embeddings": true, "eos_token_id": 2}"#)
        try scratch.write("M/tokenizer_config.json", #"{"eos_token": "<unk>", "tokenizer_class": "LlamaTokenizer"}"#)
        let arguments = ["expand", "--model", "M", "--target-corpus", Fixtures.sample("monolingual/hi.txt"), "--new-tokens", "20", "-o", "OUT"]
        let refused = try CommandLineRunner.run(arguments, in: scratch.directory)
        XCTAssertEqual(refused.status, 1)
        for words in ["tokenizer_config.json eos_token = \"<unk>\"", "config.json eos_token_id = 2 (\"</s>\")"] {
            XCTAssertTrue(refused.standardError.contains(words), "\(words): \(refused.standardError)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path("OUT")))
        let decided = try CommandLineRunner.run(arguments + ["--special-token-map", "eos=</s>"], in: scratch.directory)
        XCTAssertEqual(decided.status, 0, decided.standardError)
        XCTAssertEqual(try json("OUT/config.json")["eos_token_id"], .number(2))
        XCTAssertEqual(try json("OUT/tokenizer_config.json")["eos_token"], .string("</s>"))
        // A model-specific class may rebuild parts of the pipeline: the output's takes all of tokenizer.json.
        XCTAssertEqual(try json("OUT/tokenizer_config.json")["tokenizer_class"], .string("PreTrainedTokenizerFast"))
    }

    func testTrainIntoADirectoryWritesWhatTransformersNeeds() throws {
        let result = try CommandLineRunner.run(["train", "--preset", "llama3", "--vocab-size", "600", "--pad", "<|end_of_text|>",
                                                "--merges-format", "strings", "-o", "T/", Fixtures.sample("monolingual/en.txt")], in: scratch.directory)
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path("T")).sorted(),
                       ["special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"])
        let config = try json("T/tokenizer_config.json")
        XCTAssertEqual(config["bos_token"], .string("<|begin_of_text|>"))
        XCTAssertEqual(config["pad_token"], .string("<|end_of_text|>"))
        XCTAssertEqual(config["model_max_length"], .number(131_072))
        guard case .array(let merges)? = try json("T/tokenizer.json")["model"]?["merges"], case .string? = merges.first else {
            return XCTFail("merges are not written as strings")
        }
        let inspected = try CommandLineRunner.run(["inspect", "--check", "T"], in: scratch.directory)
        XCTAssertEqual(inspected.status, 0, inspected.standardOutput)
        XCTAssertTrue(inspected.standardOutput.contains("merges as strings"), inspected.standardOutput)
        // The same training written as pairs encodes identically.
        let pairs = try CommandLineRunner.run(["train", "--preset", "llama3", "--vocab-size", "600", "-o", "pairs.json", Fixtures.sample("monolingual/en.txt")],
                                              in: scratch.directory)
        XCTAssertEqual(pairs.status, 0, pairs.standardError)
        let text = Fixtures.sample("monolingual/en.txt")
        let fromStrings = try CommandLineRunner.run(["encode", "--tokenizer", "T/tokenizer.json", text], in: scratch.directory)
        let fromPairs = try CommandLineRunner.run(["encode", "--tokenizer", "pairs.json", text], in: scratch.directory)
        XCTAssertEqual(fromStrings.standardOutput, fromPairs.standardOutput)
        XCTAssertFalse(fromStrings.standardOutput.isEmpty)
    }
}
