import Foundation
import Support
import TextProcessing
import Tokenization
import XCTest

/// GPT-2's `vocab.json` and `merges.txt` read into the very `tokenizer.json` Hugging Face makes of
/// them (the golden GPT-2 tokenizer), and written back from it.
final class VocabMergesTests: XCTestCase {
    /// The golden GPT-2 tokenizer's vocabulary and merges as the two files, in a temporary directory.
    func gpt2Files() throws -> (directory: String, golden: Tokenizer) {
        let golden = try BPEGoldens.load().tokenizer("gpt2")
        let document = JSONNode(golden.json, path: "gpt2")
        let directory = NSTemporaryDirectory() + "polytoken-vocab-merges-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: directory) }
        let vocab = try document.member("model").member("vocab").value
        try Data(JSONWriter.pretty(vocab).utf8).write(to: URL(fileURLWithPath: directory + "/vocab.json"))
        let merges = try document.member("model").member("merges").elements().map { try $0.elements().map { try $0.string() }.joined(separator: " ") }
        try Data(("#version: 0.2\n" + merges.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/merges.txt"))
        return (directory, golden)
    }

    func testGPT2FilesReadAsTheGoldenTokenizer() throws {
        let (directory, golden) = try gpt2Files()
        XCTAssertEqual(try TokenizerFormat.detect(directory + "/vocab.json"), .vocabMerges)
        let tokenizer = try Tokenizer(contentsOf: directory + "/vocab.json")
        XCTAssertEqual(JSONWriter.compact(tokenizer.json), JSONWriter.compact(golden.json))
        let lines = try BPEGoldens.lines(of: BPEGoldens.repositoryRoot.appendingPathComponent("corpora-samples/monolingual/en.txt").path)
        XCTAssertEqual(try tokenizer.encodeBatchIDs(lines), try golden.encodeBatchIDs(lines))
        XCTAssertEqual(VocabMergesFiles.loss(of: golden), [])
    }

    func testTheFilesAreWrittenBackAndReadAgain() throws {
        let (directory, golden) = try gpt2Files()
        let (vocabulary, merges) = try VocabMergesFiles.files(of: golden)
        XCTAssertEqual(merges, try Data(contentsOf: URL(fileURLWithPath: directory + "/merges.txt")))
        try vocabulary.write(to: URL(fileURLWithPath: directory + "/vocab.json"))
        XCTAssertEqual(JSONWriter.compact(try Tokenizer(contentsOf: directory + "/vocab.json").json), JSONWriter.compact(golden.json))
    }

    func testWhatThePairCannotCarryIsNamed() throws {
        let llama3 = try BPEGoldens.load().tokenizer("trained-llama3")
        XCTAssertEqual(VocabMergesFiles.loss(of: llama3), ["the pre_tokenizer", "the post_processor", "the added tokens", "the model's options (byte fallback, unknown token, dropout, ignore_merges, prefix or suffix)"])
        XCTAssertThrowsError(try VocabMergesFiles.files(of: BPEGoldens.load().tokenizer("wordpiece"))) { error in
            XCTAssertEqual("\(error)", "tokenizer.json: model: vocab.json and merges.txt hold a BPE; this model is WordPiece")
        }
    }

    func testBadFilesAreErrorsNamingTheLine() throws {
        let (directory, _) = try gpt2Files()
        let merges = directory + "/merges.txt"
        try Data("#version: 0.2\nĠ t\nĠ zzzz\n".utf8).write(to: URL(fileURLWithPath: merges))
        XCTAssertThrowsError(try Tokenizer(contentsOf: directory + "/vocab.json")) { error in
            XCTAssertEqual("\(error)", "\(merges): line 3: expected two tokens of vocab.json, separated by one space, whose concatenation is a token too")
        }
        try FileManager.default.removeItem(atPath: merges)
        XCTAssertThrowsError(try Tokenizer(contentsOf: directory + "/vocab.json")) { error in
            XCTAssertEqual("\(error)", "\(merges): no such file (a vocab.json needs its merges.txt beside it)")
        }
        try Data(#"{"a": 0, "b": 1.5}"#.utf8).write(to: URL(fileURLWithPath: directory + "/vocab.json"))
        XCTAssertThrowsError(try Tokenizer(contentsOf: directory + "/vocab.json")) { error in
            XCTAssertEqual("\(error)", "\(directory)/vocab.json: \"b\": expected a non-negative integer id")
        }
    }
}
