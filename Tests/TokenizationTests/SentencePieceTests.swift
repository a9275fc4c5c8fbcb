import Foundation
import Support
import TextProcessing
import Tokenization
import XCTest

/// SentencePiece models read into tokenizers that encode exactly as `sentencepiece` does (the
/// digests and cases of `tools/oracle/sentencepiece_goldens.py`; `POLYTOKEN_SENTENCEPIECE_GOLDENS_DIR`
/// points at fresh ones, with real models such as Mistral's beside the trained ones).
final class SentencePieceTests: XCTestCase {
    static var directory: URL {
        ProcessInfo.processInfo.environment["POLYTOKEN_SENTENCEPIECE_GOLDENS_DIR"].map { URL(fileURLWithPath: $0) }
            ?? GGUFTests.goldens.appendingPathComponent("sentencepiece")
    }

    static func model(_ name: String) throws -> SentencePieceModelFile {
        let data = try GGUFTests.gunzip(Data(contentsOf: directory.appendingPathComponent("\(name).model.gz")))
        return try SentencePieceModelFile(data, path: name)
    }

    static var names: [String] {
        get throws {
            try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".crc.txt") }
                .map { String($0.dropLast(".crc.txt".count)) }.sorted()
        }
    }

    func testModelsEncodeEveryLineAsSentencePiece() throws {
        let goldens = BPEGoldens.load()
        let names = try Self.names
        XCTAssertGreaterThanOrEqual(names.count, 2)
        var inputs: [String: [String]] = [:]
        for name in names {
            let (mismatches, blocks) = try goldens.digestMismatches(Self.directory.appendingPathComponent("\(name).crc.txt"),
                                                                   tokenizer: Self.model(name).tokenizer(), inputs: &inputs)
            for mismatch in mismatches { XCTFail("\(name): ids differ from sentencepiece: \(mismatch)") }
            XCTAssertGreaterThan(blocks, 500, name)
        }
    }

    func testUserDefinedPiecesAreMatchedWholeAndControlPiecesSpelledOut() throws {
        for name in try Self.names {
            let tokenizer = try Self.model(name).tokenizer()
            let data = try Data(contentsOf: Self.directory.appendingPathComponent("\(name).cases.json"))
            guard case .array(let cases) = try JSONValue.parse(data) else { return XCTFail("\(name).cases.json: not an array") }
            XCTAssertGreaterThanOrEqual(cases.count, 100)
            for case .array(let pair) in cases {
                guard case .string(let text) = pair[0], case .array(let ids) = pair[1] else { return XCTFail("\(name): bad case") }
                let expected = ids.compactMap { value -> TokenID? in if case .number(let n) = value { return TokenID(n) } else { return nil } }
                let ours = try tokenizer.encode(text, addSpecialTokens: false).ids
                XCTAssertEqual(ours, expected, "\(name): \(text.debugDescription)")
            }
        }
    }

    func testModelsReadBackFromTheirTokenizerJSON() throws {
        let goldens = BPEGoldens.load()
        let lines = try Array(goldens.inputs("adversarial").prefix(400)) + goldens.inputs("corpora-samples/monolingual/ru.txt")
        for name in ["samples_bpe", "samples_unigram"] {
            let model = try Self.model(name)
            let twin = try Tokenizer(json: model.document(), source: name)
            let back = try SentencePieceModelFile(twin, source: name)
            XCTAssertEqual(try back.loss(against: twin), [], name)
            XCTAssertEqual(back.pieces.map(\.piece), model.pieces.map(\.piece), name)
            XCTAssertEqual(back.pieces.map(\.type), model.pieces.map(\.type), name)
            XCTAssertEqual(back.kind, model.kind, name)
            if model.kind == .unigram { XCTAssertEqual(back.pieces.map(\.score), model.pieces.map(\.score), name) }
            let reread = try SentencePieceModelFile(back.data, path: name)
            XCTAssertEqual(try reread.tokenizer().encodeBatchIDs(lines, addSpecialTokens: false),
                           try model.tokenizer().encodeBatchIDs(lines, addSpecialTokens: false), name)
        }
    }

    func testWhatAModelFileCannotCarryIsNamed() throws {
        let goldens = BPEGoldens.load()
        // Llama-2's tokenizer.json adds <s> through its post-processor; a .model does not say so.
        let llama = try goldens.tokenizer("llama2")
        XCTAssertEqual(try SentencePieceModelFile(llama, source: "llama2").loss(against: llama), ["post_processor"])
        XCTAssertThrowsError(try SentencePieceModelFile(goldens.tokenizer("gpt2"), source: "gpt2")) { error in
            XCTAssertTrue("\(error)".contains("no unknown token"), "\(error)")
        }
        XCTAssertThrowsError(try SentencePieceModelFile(goldens.tokenizer("wordpiece"), source: "wordpiece")) { error in
            XCTAssertTrue("\(error)".contains("BPE or Unigram"), "\(error)")
        }
        XCTAssertFalse(try Self.model("samples_unigram").lossInTokenizerJSON.isEmpty)
        XCTAssertEqual(try Self.model("samples_bpe").lossInTokenizerJSON.count, 1, "the user-defined [INST]")
    }
}
