import Foundation
import Support
import TextProcessing
import Tokenization
import Training
import XCTest

/// Trainer options, word-count storage and streaming decoding on real text.
final class TrainingTests: XCTestCase {
    let english = BPEGoldens.repositoryRoot.appendingPathComponent("corpora-samples/monolingual/en.txt").path
    let russian = BPEGoldens.repositoryRoot.appendingPathComponent("corpora-samples/monolingual/ru.txt").path

    func counts(_ preset: TrainingPreset, _ paths: [String]) throws -> WordCounts {
        try WordCounter(pipeline: try preset.pipeline()).count(CorpusReader(paths: paths)).0
    }

    func testAVocabularySmallerThanTheAlphabetIsRefusedBeforeWork() {
        let trainer = TokenizerTrainer(preset: .gpt2, configuration: .init(vocabularySize: 200))
        XCTAssertThrowsError(try trainer.validate()) { error in
            XCTAssertTrue("\(error)".contains("smaller than the special tokens plus the alphabet (257)"), "\(error)")
        }
    }

    func testMaximumTokenLengthKeepsHuggingFacesStrictLimit() throws {
        let words = try counts(.gpt2, [english])
        for (limit, longest) in [(1, 2), (3, 2), (4, 3), (6, 5)] {
            var configuration = BPETrainer.Configuration(vocabularySize: 3000)
            configuration.maximumTokenLength = limit
            let vocabulary = try TokenizerTrainer(preset: .gpt2, configuration: configuration).train(words).model.vocabulary
            let lengths = vocabulary.entries.dropFirst(257).map { String(decoding: $0.token, as: UTF8.self).unicodeScalars.count }
            XCTAssertEqual(lengths.max(), longest, "max_token_length \(limit)")
        }
    }

    func testPrefixedTrainingIsDeterministic() throws {
        let words = try counts(.llama3, [english])
        var configuration = BPETrainer.Configuration(vocabularySize: 1500)
        configuration.continuingSubwordPrefix = "##"
        configuration.endOfWordSuffix = "</w>"
        let first = try TokenizerTrainer(preset: .llama3, configuration: configuration).train(words)
        let second = try TokenizerTrainer(preset: .llama3, configuration: configuration).train(try counts(.llama3, [english]))
        XCTAssertEqual(JSONWriter.compact(first.json), JSONWriter.compact(second.json))
        XCTAssertNotNil(first.model.vocabulary.id(for: "##e"))
        let encoding = try first.encode("the weather")
        XCTAssertFalse(encoding.ids.isEmpty)
    }

    func testStoredShardsMergeIntoTheCountsOfTheWholeCorpus() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("polytoken-store-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = directory.appendingPathComponent("en.sqlite").path, second = directory.appendingPathComponent("ru.sqlite").path
        try WordCountStore.save(try counts(.gpt2, [english]), metadata: .init(pipeline: "preset:gpt2", documents: 1, bytes: 2), to: first)
        try WordCountStore.save(try counts(.gpt2, [russian]), metadata: .init(pipeline: "preset:gpt2", documents: 3, bytes: 4), to: second)
        let (merged, metadata) = try WordCountStore.load([first, second])
        let whole = try counts(.gpt2, [english, russian])
        XCTAssertEqual(metadata, .init(pipeline: "preset:gpt2", documents: 4, bytes: 6))
        XCTAssertEqual(merged.count, whole.count)
        XCTAssertEqual(merged.sorted().map(\.word), whole.sorted().map(\.word))
        XCTAssertEqual(merged.sorted().map(\.count), whole.sorted().map(\.count))
        let other = directory.appendingPathComponent("other.sqlite").path
        try WordCountStore.save(whole, metadata: .init(pipeline: "preset:llama3", documents: 0, bytes: 0), to: other)
        XCTAssertThrowsError(try WordCountStore.load([first, other]))
        XCTAssertThrowsError(try WordCountStore.load([english]))
    }

    func testStreamDecodingGivesTheFullDecoding() throws {
        let tokenizer = try BPEGoldens.load().tokenizer("llama2")
        for line in try BPEGoldens.lines(of: BPEGoldens.repositoryRoot.appendingPathComponent("corpora-samples/monolingual/ja.txt").path).prefix(50) {
            let ids = try tokenizer.encode(line).ids
            var stream = DecodeStream(tokenizer: tokenizer)
            var text = ""
            for id in ids { text += try stream.step(id) ?? "" }
            XCTAssertEqual(text, tokenizer.decode(ids))
        }
    }

    func testCountingAnAsyncSequenceEqualsCountingAnArray() async throws {
        let lines = try BPEGoldens.lines(of: english)
        let counter = WordCounter(pipeline: try TrainingPreset.qwen2.pipeline())
        let stream = AsyncStream<String> { continuation in
            for line in lines { continuation.yield(line) }
            continuation.finish()
        }
        let fromStream = try await counter.count(stream, batchSize: 100)
        XCTAssertEqual(fromStream.sorted().map(\.count), try counter.count(lines).sorted().map(\.count))
        XCTAssertEqual(fromStream.totalCount, try counter.count(lines).totalCount)
    }

    func testMergesDoNotDependOnTheThreadCount() throws {
        let languages = ["ar", "de", "el", "en", "hi", "ja", "ko", "ru", "th", "zh"]
        let paths = languages.map { BPEGoldens.repositoryRoot.appendingPathComponent("corpora-samples/monolingual/\($0).txt").path }
        let words = try counts(.llama3, paths)
        func train(threads: Int) throws -> BPETrainer.Result {
            var configuration = BPETrainer.Configuration(vocabularySize: 6000)
            configuration.threads = threads
            return try BPETrainer(configuration).train(words)
        }
        let one = try train(threads: 1), two = try train(threads: 2), three = try train(threads: 3)
        XCTAssertEqual(one.vocabulary.count, 6000)
        // The first merge rewrites more words than one thread handles alone (1,024), so the
        // split across threads is exercised.
        let (left, right) = one.merges[0]
        let first = one.vocabulary.token(for: left)! + one.vocabulary.token(for: right)!
        var rewritten = 0
        words.forEach { word, _ in
            let bytes = Array(word)
            if bytes.count >= first.count, (0...(bytes.count - first.count)).contains(where: { bytes[$0..<($0 + first.count)].elementsEqual(first) }) {
                rewritten += 1
            }
        }
        XCTAssertGreaterThan(rewritten, 1024)
        for other in [two, three] {
            XCTAssertTrue(one.merges.elementsEqual(other.merges, by: ==))
            XCTAssertEqual(one.vocabulary.entries.map(\.token), other.vocabulary.entries.map(\.token))
        }
    }
}
