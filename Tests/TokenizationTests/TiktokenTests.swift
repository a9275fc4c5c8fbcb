import Foundation
import Support
import TextProcessing
import Tokenization
import XCTest

/// Tiktoken rank files read into tokenizers that encode exactly as `tiktoken` does (the digests of
/// `tools/oracle/tiktoken_goldens.py`; `POLYTOKEN_TIKTOKEN_GOLDENS_DIR` points at fresh ones), and
/// written back byte for byte.
final class TiktokenTests: XCTestCase {
    static var directory: URL {
        ProcessInfo.processInfo.environment["POLYTOKEN_TIKTOKEN_GOLDENS_DIR"].map { URL(fileURLWithPath: $0) }
            ?? GGUFTests.goldens.appendingPathComponent("tiktoken")
    }

    func ranksData(_ name: String) throws -> Data {
        try GGUFTests.gunzip(Data(contentsOf: Self.directory.appendingPathComponent("\(name).tiktoken.gz")))
    }

    func testRankFilesEncodeEveryLineAsTiktoken() throws {
        let goldens = BPEGoldens.load()
        let cases = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".crc.txt") }.sorted()
        XCTAssertGreaterThanOrEqual(cases.count, 2)
        var inputs: [String: [String]] = [:]
        for file in cases {
            let parts = file.dropLast(".crc.txt".count).split(separator: ".")
            let (name, encodingName) = (String(parts[0]), String(parts[1]))
            let encoding = try XCTUnwrap(TiktokenEncoding.named(encodingName), encodingName)
            let ranks = try TiktokenRanks(ranksData(name), path: name)
            let tokenizer = try Tokenizer(json: ranks.document(encoding: encoding, path: name), source: name)
            let (mismatches, blocks) = try goldens.digestMismatches(Self.directory.appendingPathComponent(file), tokenizer: tokenizer, inputs: &inputs)
            for mismatch in mismatches { XCTFail("\(name) with \(encodingName): ids differ from tiktoken: \(mismatch)") }
            XCTAssertGreaterThan(blocks, 500, file)
        }
    }

    func testARankFileIsWrittenBackByteForByte() throws {
        let data = try ranksData("gpt2")
        let ranks = try TiktokenRanks(data, path: "gpt2")
        let tokenizer = try Tokenizer(json: ranks.document(encoding: XCTUnwrap(TiktokenEncoding.named("r50k_base")), path: "gpt2"))
        XCTAssertEqual(try TiktokenRanks(tokenizer).data, data)
    }

    func testOnlyAnEncodingThatReadsBackTheWholeTokenizerIsNamed() throws {
        let ranks = try TiktokenRanks(ranksData("gpt2"), path: "gpt2")
        let document = try ranks.document(encoding: XCTUnwrap(TiktokenEncoding.named("r50k_base")), path: "gpt2")
        XCTAssertEqual(try ranks.encoding(reproducing: Tokenizer(json: document))?.name, "r50k_base")
        guard case .object(var members) = document else { return XCTFail("not an object") }
        let begin = TemplateProcessing.surrounding(begin: ("<|endoftext|>", 50256), end: nil)
        members.set("post_processor", begin.json)
        XCTAssertNil(try ranks.encoding(reproducing: Tokenizer(json: .object(members))), "a template the rank file cannot carry")
    }

    func testATokenizerWhoseMergesAreNotTheRanksIsRefused() throws {
        // GPT-2's tokenizer.json lists one merge per token; tiktoken joins any two adjacent tokens
        // whose concatenation is a token, so its ranks imply more merges than these.
        let gpt2 = try BPEGoldens.load().tokenizer("gpt2")
        XCTAssertThrowsError(try TiktokenRanks(gpt2)) { error in
            XCTAssertTrue("\(error)".contains("tiktoken joins any two adjacent tokens"), "\(error)")
        }
        XCTAssertThrowsError(try TiktokenRanks(BPEGoldens.load().tokenizer("wordpiece"))) { error in
            XCTAssertEqual("\(error)", "tokenizer.json: model: a tiktoken rank file holds a byte-level BPE; this model is WordPiece")
        }
    }

    func testTheEncodingIsInferredFromTheNumberOfRanks() throws {
        let ranks = try TiktokenRanks(ranksData("gpt2"), path: "gpt2")
        XCTAssertEqual(try ranks.inferredEncoding(path: "gpt2").name, "r50k_base")
        let few = try TiktokenRanks(Data("IQ== 0\nIg== 1\n".utf8), path: "few.tiktoken")
        XCTAssertThrowsError(try few.inferredEncoding(path: "few.tiktoken")) { error in
            XCTAssertTrue("\(error)".hasPrefix("few.tiktoken: a tiktoken rank file of 2 ranks matches no built-in encoding by size (r50k_base 50256"), "\(error)")
        }
    }

    func testBadRankFilesAreErrorsNamingTheLine() throws {
        let cases: [(String, String)] = [
            ("IQ== 0\nIg== 0\n", "bad.tiktoken: line 2: rank 0 appears twice"),
            ("IQ== 0\nIQ== 1\n", "bad.tiktoken: line 2: the token IQ== appears twice"),
            ("IQ== 0\n!!!! 1\n", "bad.tiktoken: line 2: the token is not valid base64"),
            ("IQ== 0\nIg==\n", "bad.tiktoken: line 2: expected a base64 token, one space and a rank"),
            ("IQ== 0\nIg== -3\n", "bad.tiktoken: line 2: expected a base64 token, one space and a rank"),
            ("\n\n", "bad.tiktoken: no ranks"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try TiktokenRanks(Data(text.utf8), path: "bad.tiktoken")) { error in
                XCTAssertEqual("\(error)", expected)
            }
        }
        let missingByte = try TiktokenRanks(Data("IQ== 0\nIg== 1\n".utf8), path: "bad.tiktoken")
        XCTAssertThrowsError(try missingByte.document(encoding: XCTUnwrap(TiktokenEncoding.named("cl100k_base")), path: "bad.tiktoken")) { error in
            XCTAssertEqual("\(error)", "bad.tiktoken: the single byte 0x0 has no rank, so some text cannot be encoded")
        }
    }
}

/// The tiktoken patterns as Split patterns Oniguruma and Polytoken read as tiktoken does.
final class TiktokenPatternTests: XCTestCase {
    func testPossessiveQuantifiersBecomeGreedyAndTheEndOfTextIsExplicit() throws {
        XCTAssertEqual(try XCTUnwrap(TiktokenEncoding.named("cl100k_base")).splitPattern,
                       #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s+\z|\s*[\r\n]|\s+(?!\S)|\s"#)
        XCTAssertEqual(try XCTUnwrap(TiktokenEncoding.named("gpt2")).splitPattern,
                       #"'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+\z|\s+(?!\S)|\s"#)
        let o200k = try XCTUnwrap(TiktokenEncoding.named("o200k_base"))
        XCTAssertEqual(o200k.splitPattern, o200k.pattern)
        XCTAssertEqual(TiktokenEncoding(name: "x", pattern: #"[+$]++\++a*?$"#, specialTokens: []).splitPattern, #"[+$]+\++a*?\z"#)
        XCTAssertEqual(TiktokenEncoding(name: "x", pattern: #"\x{41}+\u{42}++[[:alpha:]+$]*+"#, specialTokens: []).splitPattern, #"\x{41}+\u{42}+[[:alpha:]+$]*"#)
    }
}
