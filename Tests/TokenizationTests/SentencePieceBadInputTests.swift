import Foundation
import Support
import Tokenization
import XCTest

/// Broken SentencePiece models are refused with the file and the piece or field at fault, never a trap.
final class SentencePieceBadInputTests: XCTestCase {
    /// A `ModelProto` written by hand: pieces as (piece, score, type), the model type
    /// (1 Unigram, 2 BPE, 3 word, 4 char), byte fallback and an optional charsmap.
    static func model(_ pieces: [(String, Float, Int)], modelType: Int = 2, byteFallback: Bool = false, charsmap: [UInt8]? = nil) -> Data {
        func varint(_ value: Int) -> [UInt8] {
            var value = UInt64(value), bytes: [UInt8] = []
            repeat {
                bytes.append(UInt8(value & 0x7F) | (value > 0x7F ? 0x80 : 0))
                value >>= 7
            } while value > 0
            return bytes
        }
        func field(_ number: Int, _ payload: [UInt8]) -> [UInt8] { varint(number << 3 | 2) + varint(payload.count) + payload }
        var bytes: [UInt8] = []
        for (piece, score, type) in pieces {
            let entry = field(1, Array(piece.utf8)) + [0x15] + withUnsafeBytes(of: score.bitPattern.littleEndian, Array.init) + [0x18] + varint(type)
            bytes += field(1, entry)
        }
        bytes += field(2, [0x18] + varint(modelType) + varint(35 << 3) + [byteFallback ? 1 : 0])
        if let charsmap { bytes += field(3, field(2, charsmap)) }
        return Data(bytes)
    }

    static let valid: [(String, Float, Int)] = [("<unk>", 0, 2), ("<s>", 0, 3), ("</s>", 0, 3), ("▁", -1, 1), ("a", -2, 1), ("▁a", -3, 1)]

    func assertRefused(_ data: Data, _ expected: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SentencePieceModelFile(data, path: "bad.model"), file: file, line: line) { error in
            let message = "\(error)"
            for part in ["bad.model"] + expected { XCTAssertTrue(message.contains(part), "\(message) lacks \(part)", file: file, line: line) }
        }
    }

    func testAHandWrittenModelLoadsAndEncodes() throws {
        let tokenizer = try SentencePieceModelFile(Self.model(Self.valid), path: "good.model").tokenizer()
        XCTAssertEqual(try tokenizer.encode("a a", addSpecialTokens: false).ids, [5, 5])
    }

    func testBrokenModelsNameTheFieldAtFault() {
        assertRefused(Self.model(Self.valid + [("a", -4, 1)]), ["pieces[6].piece", "already defined"])
        assertRefused(Self.model(Array(Self.valid.dropFirst())), ["no unknown piece"])
        assertRefused(Self.model(Self.valid + [("<unk2>", 0, 2)]), ["pieces[6]", "second unknown piece"])
        assertRefused(Self.model(Self.valid + [("<0x41>", 0, 6)]), ["pieces[6]", "byte_fallback is false"])
        assertRefused(Self.model(Self.valid + [("<0x41>", 0, 6)], byteFallback: true), ["1 byte pieces", "256"])
        assertRefused(Self.model(Self.valid + [("<0xZZ>", 0, 6)], byteFallback: true), ["pieces[6]", "not a byte piece"])
        assertRefused(Self.model(Self.valid + [("", -4, 1)]), ["pieces[6].piece", "empty"])
        assertRefused(Self.model(Self.valid + [("b", .nan, 1)]), ["pieces[6].score", "not finite"])
        assertRefused(Self.model(Self.valid + [("b", -4, 5)]), ["pieces[6]", "UNUSED"])
        assertRefused(Self.model(Self.valid, modelType: 3), ["model_type", "not supported"])
        assertRefused(Self.model(Self.valid, charsmap: [0xFF, 0xFF, 0, 0, 1, 2, 3, 4]), ["precompiled_charsmap", "trie size"])
        assertRefused(Self.model([]), ["no pieces"])
    }

    func testATruncatedModelIsNotAModel() throws {
        let data = try GGUFTests.gunzip(Data(contentsOf: SentencePieceTests.directory.appendingPathComponent("samples_bpe.model.gz")))
        for length in [1, 2, 7, 100, data.count / 2, data.count - 1] {
            assertRefused(data.prefix(length), ["is not a SentencePiece model"])
        }
    }

    func testTheFormatIsToldByContent() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sentencepiece-detect-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("tokenizer.model"), json = directory.appendingPathComponent("tokenizer.json")
        try Self.model(Self.valid).write(to: model)
        try Data("\n{\n  \"version\": \"1.0\"}".utf8).write(to: json)
        XCTAssertEqual(try TokenizerFormat.detect(model.path), .sentencePiece)
        XCTAssertEqual(try TokenizerFormat.detect(json.path), .huggingFace)
        XCTAssertEqual(try Tokenizer(contentsOf: model.path).encode("a", addSpecialTokens: false).ids, [5])
        try Self.model(Self.valid).prefix(40).write(to: model)
        XCTAssertThrowsError(try Tokenizer(contentsOf: model.path)) { XCTAssertTrue("\($0)".contains(model.path), "\($0)") }
    }
}
