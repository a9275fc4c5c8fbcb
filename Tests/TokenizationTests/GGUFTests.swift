import CZlib
import Foundation
import Support
import TextProcessing
import Tokenization
import XCTest

/// Tokenizers read from GGUF files encode exactly as the originals: the GGUF files written by
/// `tools/oracle/gguf_fixtures.py` from the golden tokenizer.json files (as llama.cpp's converter
/// lays them out) against those tokenizers, and, when `POLYTOKEN_GGUF_DIR` names llama.cpp's
/// `models` directory, every `ggml-vocab-*.gguf` there against the ids of its `.out` file
/// (written by Hugging Face `transformers` from the original tokenizer).
final class GGUFTests: XCTestCase {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    /// The committed fixture `name` unpacked into a temporary file.
    func fixture(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "polytoken-gguf-\(ProcessInfo.processInfo.processIdentifier)-\(name).gguf"
        try Self.gunzip(Data(contentsOf: Self.goldens.appendingPathComponent("gguf/\(name).gguf.gz"))).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    static func gunzip(_ data: Data) throws -> Data {
        let inflater = try XCTUnwrap(pt_inflater_open())
        defer { pt_inflater_close(inflater) }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var status: Int32 = 0
        data.withUnsafeBytes { raw in
            var input = raw.bindMemory(to: UInt8.self).baseAddress!
            var left = raw.count
            while status == 0 {
                var consumed = 0, produced = 0
                status = pt_inflate(inflater, input, left, &consumed, &buffer, buffer.count, &produced)
                output.append(buffer, count: produced)
                input += consumed
                left -= consumed
                if consumed == 0 && produced == 0 { break }
            }
        }
        XCTAssertEqual(status, 1, "the fixture is not one whole gzip member")
        return output
    }

    func testGGUFFilesOfTheGoldenTokenizersEncodeEveryLineAsTheOriginals() throws {
        let goldens = BPEGoldens.load()
        var inputs = try BPEGoldens.lines(of: BPEGoldens.repositoryRoot.appendingPathComponent("corpora-samples/monolingual/en.txt").path)
        for language in ["ru", "ar", "zh", "hi", "ja"] {
            inputs += try BPEGoldens.lines(of: BPEGoldens.repositoryRoot.appendingPathComponent("corpora-samples/monolingual/\(language).txt").path).prefix(200)
        }
        inputs += try goldens.inputs("adversarial")
        for name in ["gpt2", "trained-llama3", "trained-qwen2", "llama2", "wordpiece"] {
            let original = try goldens.tokenizer(name)
            let converted = try Tokenizer(contentsOf: fixture(name))
            XCTAssertEqual(converted.vocabularySize, original.vocabularySize, name)
            for addSpecialTokens in [false, true] {
                let expected = try original.encodeBatchIDs(inputs, addSpecialTokens: addSpecialTokens)
                let actual = try converted.encodeBatchIDs(inputs, addSpecialTokens: addSpecialTokens)
                let differing = zip(expected, actual).enumerated().filter { $0.element.0 != $0.element.1 }
                XCTAssertEqual(differing.count, 0, "\(name) (special tokens \(addSpecialTokens)): \(differing.count) of \(inputs.count) lines differ, first "
                    + (differing.first.map { "\(inputs[$0.offset].debugDescription.prefix(80)): \($0.element.0.prefix(20)) vs \($0.element.1.prefix(20))" } ?? ""))
            }
            let sample = Array(inputs.prefix(300))
            for ids in try original.encodeBatchIDs(sample, addSpecialTokens: false) {
                XCTAssertEqual(converted.decode(ids), original.decode(ids), name)
            }
        }
    }

    func testLlamaCppVocabularyFilesEncodeTheirTestsAsTheOriginalTokenizers() throws {
        guard let directory = ProcessInfo.processInfo.environment["POLYTOKEN_GGUF_DIR"] else {
            throw XCTSkip("POLYTOKEN_GGUF_DIR is not set (CI sets it to llama.cpp's models directory)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("ggml-vocab-") && $0.hasSuffix(".gguf") }.sorted()
        var passed: [String] = []
        var refused: [String] = []
        for file in files {
            let path = PathName.join(directory, file)
            let tokenizer: Tokenizer
            do {
                tokenizer = try Tokenizer(contentsOf: path)
            } catch let error as ConfigurationError {
                XCTAssertTrue(error.description.hasPrefix(path), "\(file): \(error)")
                refused.append("\(file): \(error.message.prefix(90))")
                continue
            }
            guard let expectedText = try? String(contentsOfFile: path + ".out", encoding: .utf8),
                  let inputText = try? String(contentsOfFile: path + ".inp", encoding: .utf8) else { continue }
            var texts = inputText.components(separatedBy: "\n__ggml_vocab_test__\n")
            if texts.last == "" { texts.removeLast() }
            let expected = expectedText.split(separator: "\n", omittingEmptySubsequences: false).prefix(texts.count)
                .map { $0.split(separator: " ").map { TokenID($0)! } }
            XCTAssertEqual(texts.count, expected.count, file)
            for (text, ids) in zip(texts, expected) {
                let actual = try tokenizer.encode(text, addSpecialTokens: false).ids
                XCTAssertEqual(actual, ids, "\(file): \(text.debugDescription.prefix(120))")
            }
            passed.append(file)
        }
        print("GGUF vocabularies checked: \(passed.joined(separator: ", "))\nrefused with a message:\n" + refused.joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(passed.count, 10)
    }
}
