import Foundation
import TextProcessing
import Tokenization
import Training
import XCTest

/// Training and encoding agree exactly with Hugging Face `tokenizers` (see ``BPEGoldens``).
final class BPEOracleTests: XCTestCase {
    let goldens = BPEGoldens.load()

    func testTrainingGivesTheOracleVocabularyAndMerges() throws {
        let cases = try goldens.trainingCases()
        XCTAssertFalse(cases.isEmpty)
        for trainingCase in cases {
            let trainer = TokenizerTrainer(preset: trainingCase.preset, configuration: trainingCase.configuration)
            let (words, _) = try trainer.wordCounter().count(CorpusReader(paths: trainingCase.files))
            let model = try XCTUnwrap(try trainer.train(words).bpe)
            let expected = try goldens.expectedModel(trainingCase.name)
            let vocabulary = model.vocabulary.entries.map { String(decoding: $0.token, as: UTF8.self) }
            XCTAssertEqual(vocabulary.count, expected.vocabulary.count, trainingCase.name)
            XCTAssertTrue(zip(vocabulary, expected.vocabulary).allSatisfy { $0.utf8.elementsEqual($1.utf8) },
                          "\(trainingCase.name): vocabulary differs from tokenizers")
            let merges = model.merges.map { [model.vocabulary.string(for: $0.0)!, model.vocabulary.string(for: $0.1)!] }
            XCTAssertEqual(merges.count, expected.merges.count, trainingCase.name)
            if let first = zip(merges, expected.merges).enumerated().first(where: { !$0.element.0.elementsEqual($0.element.1) { $0.utf8.elementsEqual($1.utf8) } }) {
                XCTFail("\(trainingCase.name): merge \(first.offset) is \(first.element.0), tokenizers has \(first.element.1)")
            }
        }
    }

    func testEncodingAndDecodingEveryCorpusLineMatchTheOracle() throws {
        let names = try goldens.tokenizerNames()
        XCTAssertFalse(names.isEmpty)
        for name in names {
            let tokenizer = try goldens.tokenizer(name)
            let digests = try goldens.encodingDigests(name)
            XCTAssertFalse(digests.isEmpty, name)
            var blocksChecked = 0
            for (file, expected) in digests.sorted(by: { $0.key < $1.key }) {
                let lines = try goldens.inputs(file)
                let encodings = try tokenizer.encodeBatch(lines)
                XCTAssertEqual((lines.count + BPEGoldens.block - 1) / BPEGoldens.block, expected.count, "\(name) \(file)")
                for (index, (encodingDigest, decodingDigest)) in expected.enumerated() {
                    let range = (index * BPEGoldens.block)..<min(lines.count, (index + 1) * BPEGoldens.block)
                    let block = encodings[range]
                    let encoded = BPEGoldens.crc32(block.map(BPEGoldens.canonical).joined())
                    if encoded != encodingDigest {
                        XCTFail("\(name) \(file) lines \(range): ids or offsets differ from tokenizers; ours: "
                                + block.map(BPEGoldens.canonical).joined().prefix(600))
                    }
                    let decoded = BPEGoldens.crc32(block.map { tokenizer.decode($0.ids, skipSpecialTokens: true) }.joined(separator: "\0"))
                    if decoded != decodingDigest {
                        XCTFail("\(name) \(file) lines \(range): decoding differs from tokenizers; ours: "
                                + block.map { tokenizer.decode($0.ids, skipSpecialTokens: true).debugDescription }.joined(separator: ", ").prefix(600))
                    }
                    blocksChecked += 1
                }
            }
            XCTAssertGreaterThan(blocksChecked, 100, name)
        }
    }
}
