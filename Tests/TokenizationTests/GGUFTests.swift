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

    /// The fixture `name` unpacked into a temporary file: the committed one, or the one in
    /// `POLYTOKEN_GGUF_FIXTURES_DIR` (CI writes them afresh with the `gguf` package).
    func fixture(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "polytoken-gguf-\(ProcessInfo.processInfo.processIdentifier)-\(name).gguf"
        let directory = ProcessInfo.processInfo.environment["POLYTOKEN_GGUF_FIXTURES_DIR"].map { URL(fileURLWithPath: $0) }
            ?? Self.goldens.appendingPathComponent("gguf")
        try Self.gunzip(Data(contentsOf: directory.appendingPathComponent("\(name).gguf.gz"))).write(to: URL(fileURLWithPath: path))
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

/// Damaged and hostile GGUF files are errors naming the file and the key or byte, never a crash.
final class GGUFBadInputTests: XCTestCase {
    func wordPieceFixture() throws -> Data {
        try GGUFTests.gunzip(Data(contentsOf: GGUFTests.goldens.appendingPathComponent("gguf/wordpiece.gguf.gz")))
    }

    func load(_ data: Data) throws -> Tokenizer {
        try Tokenizer(json: GGUFTokenizer.document(GGUFMetadata(data, path: "hostile.gguf")), source: "hostile.gguf")
    }

    func testEveryTruncationIsAnErrorNamingTheByte() throws {
        let data = try wordPieceFixture()
        XCTAssertNoThrow(try load(data))
        var generator = SplitMix64(seed: 11)
        let cuts = [0, 3, 4, 8, 16, 24, 30] + (0..<150).map { _ in Int.random(in: 0..<data.count, using: &generator) }
        for cut in cuts {
            XCTAssertThrowsError(try load(data.prefix(cut)), "cut at \(cut)") { error in
                XCTAssertTrue("\(error)".hasPrefix("hostile.gguf: "), "\(error)")
                if cut >= 24 { XCTAssertTrue("\(error)".contains("truncated at byte"), "cut at \(cut): \(error)") }
            }
        }
    }

    func testFlippedBytesNeverCrash() throws {
        let data = try wordPieceFixture()
        var generator = SplitMix64(seed: 7)
        var errors = 0
        for _ in 0..<300 {
            var damaged = data
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<min(damaged.count, 4096), using: &generator)
                damaged[position] = UInt8.random(in: 0...255, using: &generator)
            }
            do { _ = try load(damaged) } catch { errors += 1; XCTAssertTrue("\(error)".hasPrefix("hostile.gguf"), "\(error)") }
        }
        XCTAssertGreaterThan(errors, 0)
    }

    /// A GGUF file of `entries` (key, type, payload) written by hand.
    func gguf(_ entries: [(String, UInt32, [UInt8])]) -> Data {
        func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        var bytes = Array("GGUF".utf8) + le(UInt32(3)) + le(UInt64(0)) + le(UInt64(entries.count))
        for (key, type, payload) in entries { bytes += le(UInt64(key.utf8.count)) + Array(key.utf8) + le(type) + payload }
        return Data(bytes)
    }

    func stringArray(_ strings: [String]) -> [UInt8] {
        func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        return le(UInt32(8)) + le(UInt64(strings.count)) + strings.flatMap { le(UInt64($0.utf8.count)) + Array($0.utf8) }
    }

    func testEntriesOutsideTheTokenizerAreSteppedOverAndArraysAreBounded() throws {
        func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        let model = ("tokenizer.ggml.model", UInt32(8), le(UInt64(4)) + Array("gpt2".utf8))
        let weights = ("general.weights", UInt32(9), le(UInt32(0)) + le(UInt64(5)) + [1, 2, 3, 4, 5])
        let names = ("general.names", UInt32(9), stringArray(["a", "bc"]))
        let data = gguf([weights, names, model])
        let kept = try GGUFMetadata(data, path: "hostile.gguf", keeping: GGUFTokenizer.isTokenizerKey)
        XCTAssertEqual(kept.entries.map(\.key), ["tokenizer.ggml.model"])
        XCTAssertEqual(try GGUFMetadata(data, path: "hostile.gguf").entries.map(\.key), ["general.weights", "general.names", "tokenizer.ggml.model"])
        // 1,000 claimed int64 elements in 12 bytes: refused before any allocation.
        let claimed = ("tokenizer.ggml.scores", UInt32(9), le(UInt32(11)) + le(UInt64(1000)) + le(Int64(1)) + le(UInt32(0)))
        for keep in [{ (_: String) in true }, { (_: String) in false }] {
            XCTAssertThrowsError(try GGUFMetadata(gguf([claimed]), path: "hostile.gguf", keeping: keep)) { error in
                XCTAssertTrue("\(error)".hasPrefix("hostile.gguf: tokenizer.ggml.scores: truncated at byte"), "\(error)")
            }
        }
    }

    func testArraysThatDisagreeInLengthAndBadValuesAreNamed() throws {
        func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        let model = ("tokenizer.ggml.model", UInt32(8), le(UInt64(5)) + Array("llama".utf8))
        let tokens = ("tokenizer.ggml.tokens", UInt32(9), stringArray(["<unk>", "a", "b", "ab"]))
        let threeScores = ("tokenizer.ggml.scores", UInt32(9), le(UInt32(6)) + le(UInt64(3)) + [Float(0), -1, -2].flatMap { le($0.bitPattern) })
        let nanScores = ("tokenizer.ggml.scores", UInt32(9), le(UInt32(6)) + le(UInt64(4)) + [Float(0), .nan, -1, -2].flatMap { le($0.bitPattern) })
        let floatTypes = ("tokenizer.ggml.token_type", UInt32(9), le(UInt32(6)) + le(UInt64(4)) + [Float(1), .infinity, 1, 1].flatMap { le($0.bitPattern) })
        let cases: [([(String, UInt32, [UInt8])], String)] = [
            ([model, tokens, threeScores], "hostile.gguf: tokenizer.ggml.scores: 3 scores for 4 tokens"),
            ([model, tokens, nanScores], "hostile.gguf: tokenizer.ggml.scores[1]: expected a finite number"),
            ([model, tokens, floatTypes], "hostile.gguf: tokenizer.ggml.token_type[0]: expected an integer"),
            ([model, tokens, tokens], "hostile.gguf: tokenizer.ggml.tokens: the key appears twice"),
            ([model], "hostile.gguf: tokenizer.ggml.tokens: missing"),
            ([("tokenizer.ggml.model", 8, le(UInt64(4)) + Array("rwkv".utf8)), tokens], "hostile.gguf: tokenizer.ggml.model: \"rwkv\" is not supported (supported: gpt2, llama, gemma4, bert, t5)"),
            ([("tokenizer.ggml.model", 8, le(UInt64(4)) + Array("gpt2".utf8)), tokens, ("tokenizer.ggml.pre", 8, le(UInt64(5)) + Array("gpt-2".utf8)),
              ("tokenizer.ggml.merges", 9, stringArray(["a b", "a c"]))], "hostile.gguf: tokenizer.ggml.merges[1]: \"a c\" is not two tokens whose concatenation is a token"),
            ([model, ("tokenizer.ggml.tokens", 9, le(UInt32(8)) + le(UInt64(1 << 40)))], "hostile.gguf: tokenizer.ggml.tokens: truncated at byte"),
            ([model, tokens, ("tokenizer.ggml.bos_token_id", 4, le(UInt32(9)))], "hostile.gguf: tokenizer.ggml.scores: missing"),
            ([model, ("x", 42, [])], "hostile.gguf: x: unknown value type 42 at byte"),
        ]
        for (entries, expected) in cases {
            XCTAssertThrowsError(try load(gguf(entries))) { error in
                XCTAssertTrue("\(error)".hasPrefix(expected), "\(error)\nexpected: \(expected)")
            }
        }
    }
}
