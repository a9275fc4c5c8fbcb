import Foundation
import Support
import TextProcessing
import Tokenization
import XCTest

/// `encodeBatchIDs`, the path `polytoken encode` prints ids with, gives exactly the ids of
/// `encodeBatch` (whose encodings the oracle checks), on every golden tokenizer, with and
/// without special tokens, whatever the number of threads, on corpus lines in six languages
/// and the adversarial strings.
final class BatchEncodingTests: XCTestCase {
    func testIDsAloneAreThoseOfFullEncodings() throws {
        let goldens = BPEGoldens.load()
        var lines: [String] = []
        for language in ["en", "de", "ru", "ja", "ar", "hi"] {
            let path = BPEGoldens.repositoryRoot.appendingPathComponent("corpora-samples/monolingual/\(language).txt").path
            var taken = 0
            try CorpusReader(paths: [path]).forEachDocument { line, _ in
                if taken < 250 { lines.append(line.withoutLineEnding) }
                taken += 1
            }
        }
        XCTAssertGreaterThan(lines.count, 1000)
        let adversarial = try goldens.inputs("adversarial")
        XCTAssertGreaterThan(adversarial.count, 500)
        // Texts holding added tokens' contents, whole, cut short, and touching words and spaces:
        // the ids path hands these to the general path.
        let addedContents = ["<|endoftext|>", "<|begin_of_text|>", "<|end_of_text|>", "<s>", "</s>", "<unk>", "[CLS]", "[SEP]"]
        let touching = addedContents.flatMap { token in
            ["\(token)Hello", "a\(token) b", " \(token) ", "\(token)\(token)", String(token.dropLast()) + " x", "<<\(token)>>"]
        }
        let names = try goldens.tokenizerNames()
        XCTAssertGreaterThanOrEqual(names.count, 8)
        for name in names {
            let tokenizer = try goldens.tokenizer(name)
            for specials in [true, false] {
                let lines = specials ? lines + touching : lines + adversarial + touching
                let expected = try tokenizer.encodeBatch(lines, addSpecialTokens: specials).map(\.ids)
                for threads in [1, 3] {
                    let workers = ParallelWorkers(threads: threads) { Tokenizer.State() }
                    XCTAssertEqual(try tokenizer.encodeBatchIDs(lines, addSpecialTokens: specials, workers: workers), expected,
                                   "\(name), special tokens \(specials), \(threads) threads")
                }
            }
        }
    }
}
