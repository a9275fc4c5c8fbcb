import Foundation
import XCTest

/// `polytoken encode`: the output does not depend on the number of threads, and `--benchmark`
/// counts exactly the tokens `encode` prints.
final class EncodeCommandTests: XCTestCase {
    /// Every corpora-samples language, each file a batch boundary away from the others.
    let files = ["en", "de", "ru", "ja", "zh", "ar", "hi", "ko", "th", "el"].map { Fixtures.sample("monolingual/\($0).txt") }

    func testOutputIsTheSameOnOneThreadAndOnMany() throws {
        for tokenizer in [Fixtures.shared.tokenizer, Fixtures.shared.unigram] {
            var outputs: [String] = []
            for threads in ["1", "2", "5"] {
                for json in [false, true] {
                    let result = try CommandLineRunner.run(["encode", "--tokenizer", tokenizer, "--threads", threads] + (json ? ["--json"] : []) + files,
                                                           in: FileManager.default.temporaryDirectory.path)
                    XCTAssertEqual(result.status, 0, result.standardError)
                    outputs.append(result.standardOutput)
                }
            }
            XCTAssertGreaterThan(outputs[0].split(separator: "\n").count, 8000)
            XCTAssertEqual(Set(outputs.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)).count, 1, "ids differ between thread counts")
            XCTAssertEqual(Set(outputs.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)).count, 1, "JSON differs between thread counts")
        }
    }

    /// Issue 17: the benchmark encoded each line with its newline, `encode` without (386,998 vs
    /// 360,713 tokens on one file).
    func testTheBenchmarkCountsTheTokensEncodePrints() throws {
        let tokenizer = Fixtures.shared.tokenizer
        let directory = FileManager.default.temporaryDirectory.path
        let printed = try CommandLineRunner.run(["encode", "--tokenizer", tokenizer] + files, in: directory)
        let tokens = printed.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .reduce(0) { $0 + $1.split(separator: " ").count }
        let measured = try CommandLineRunner.run(["encode", "--tokenizer", tokenizer, "--benchmark", "--threads", "2"] + files, in: directory)
        XCTAssertEqual(measured.status, 0, measured.standardError)
        XCTAssertTrue(measured.standardOutput.contains(" \(tokens) tokens in "), "\(tokens) tokens printed; benchmark: \(measured.standardOutput)")
    }
}
