import Foundation
import Support
import TextProcessing
import Tokenization
import XCTest

/// BERT's `vocab.txt` read as `transformers` converts a `BertTokenizer`: the golden WordPiece
/// tokenizer's vocabulary, written one token per line, encodes every input as the golden
/// `tokenizer.json` does.
final class WordPieceVocabularyTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("polytoken-vocab-txt-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func writeVocabulary(of tokenizer: Tokenizer) throws -> String {
        let lines = (0..<tokenizer.vocabularySize).map { tokenizer.token(for: TokenID($0))! + "\n" }.joined()
        let path = directory.appendingPathComponent("vocab.txt").path
        try Data(lines.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testAVocabularyFileEncodesAsTheGoldenTokenizer() throws {
        let goldens = BPEGoldens.load()
        let golden = try goldens.tokenizer("wordpiece")
        let path = try writeVocabulary(of: golden)
        XCTAssertEqual(try TokenizerFormat.detect(path), .wordPieceVocabulary)
        let tokenizer = try Tokenizer(contentsOf: path)
        let lines = try goldens.inputs("adversarial") + goldens.inputs("corpora-samples/monolingual/en.txt") + goldens.inputs("corpora-samples/monolingual/zh.txt")
        XCTAssertEqual(try tokenizer.encodeBatchIDs(lines, addSpecialTokens: true), try golden.encodeBatchIDs(lines, addSpecialTokens: true))
        XCTAssertEqual(tokenizer.addedVocabulary.order.compactMap { tokenizer.addedVocabulary.tokens[$0]?.content }, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    }

    func testTheSettingsBesideItWin() throws {
        let path = try writeVocabulary(of: BPEGoldens.load().tokenizer("wordpiece"))
        try Data(#"{"do_lower_case": false, "tokenize_chinese_chars": false}"#.utf8).write(to: directory.appendingPathComponent("tokenizer_config.json"))
        let document = try TokenizerFormat.document(contentsOf: path)
        XCTAssertEqual(document["normalizer"]?["lowercase"], .bool(false))
        XCTAssertEqual(document["normalizer"]?["handle_chinese_chars"], .bool(false))
        try Data("{".utf8).write(to: directory.appendingPathComponent("tokenizer_config.json"))
        XCTAssertThrowsError(try TokenizerFormat.document(contentsOf: path)) { XCTAssertTrue("\($0)".contains("tokenizer_config.json"), "\($0)") }
    }

    func testAnEmptyLineIsRefusedWithItsNumber() throws {
        let path = directory.appendingPathComponent("vocab.txt").path
        try Data("[PAD]\n[UNK]\n\nthe\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Tokenizer(contentsOf: path)) { XCTAssertTrue("\($0)".contains("vocab.txt: line 3"), "\($0)") }
    }
}
