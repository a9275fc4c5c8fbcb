import Datasets
import Foundation
import Support
import TextProcessing
import Tokenization
import XCTest

/// Encoding a real corpus (corpora-samples) with a real trained tokenizer into every format:
/// the ids are the tokenizer's, and the bytes depend neither on the thread count nor on the
/// batch size nor on sharding.
final class DatasetEncoderTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpus = ["en", "ja", "th", "ar"].map { root.appendingPathComponent("corpora-samples/monolingual/\($0).txt").path }
    static let tokenizer: Tokenizer = {
        let path = root.appendingPathComponent("Tests/TokenizationTests/Goldens/tokenizers/trained-llama3.json.gz").path
        var text = ""
        do {
            try CorpusReader(paths: [path], mode: .file).forEachDocument { document, _ in text = document }
            return try Tokenizer(json: JSONValue.parse(Data(text.utf8), source: path), source: path)
        } catch { fatalError("cannot load \(path): \(error)") }
    }()
    private var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "polytoken-dataset-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: directory)
    }

    private func options(eod: TokenID? = 0, maximumDocuments: Int? = nil) -> DatasetEncoder.Options {
        var options = DatasetEncoder.Options()
        options.endOfDocument = eod
        options.maximumDocuments = maximumDocuments
        options.batchBytes = 16 << 10
        return options
    }

    @discardableResult
    private func encode(_ format: TokenDatasetFormat, prefix: String, threads: Int, options: DatasetEncoder.Options,
                        reader: CorpusReader = CorpusReader(paths: corpus)) throws -> DatasetEncoder.Summary {
        let writer = try format.writer(prefix: directory + "/" + prefix, vocabularySize: Self.tokenizer.vocabularySize, replacing: false)
        return try DatasetEncoder(tokenizer: Self.tokenizer, options: options, threads: threads).encode(reader, into: writer)
    }

    private func bytes(_ format: TokenDatasetFormat, _ prefix: String) throws -> [Data] {
        try format.paths(prefix: directory + "/" + prefix).map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
    }

    /// The ids per document of a jsonl dataset.
    private func jsonlDocuments(_ prefix: String) throws -> [[TokenID]] {
        try String(contentsOfFile: directory + "/" + prefix + ".jsonl", encoding: .utf8).split(separator: "\n").map { line in
            try JSONDecoder().decode([String: [TokenID]].self, from: Data(line.utf8))["ids"]!
        }
    }

    func testIDsAreTheTokenizersWithEndOfDocument() throws {
        let eod = try XCTUnwrap(Self.tokenizer.id(for: "<|end_of_text|>"))
        let summary = try encode(.jsonl, prefix: "d", threads: 2, options: options(eod: eod))
        let lines = try Self.corpus.flatMap { path in
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
        let documents = try jsonlDocuments("d")
        XCTAssertEqual(documents.count, lines.count)
        XCTAssertEqual(summary.documents, lines.count)
        var tokens = 0
        for (line, ids) in zip(lines, documents) {
            let expected = try Self.tokenizer.encode(line).ids
            XCTAssertEqual(ids, expected.isEmpty ? [] : expected + [eod], line)
            tokens += ids.count
        }
        XCTAssertEqual(summary.tokens, tokens)
        XCTAssertEqual(summary.textBytes, lines.reduce(0) { $0 + $1.utf8.count })
    }

    func testThreadCountsGiveIdenticalBytes() throws {
        for format in TokenDatasetFormat.allCases {
            for threads in [1, 2, 8] { try encode(format, prefix: "\(format)-\(threads)", threads: threads, options: options()) }
            let one = try bytes(format, "\(format)-1")
            XCTAssertGreaterThan(one[0].count, 100_000)
            XCTAssertEqual(try bytes(format, "\(format)-2"), one, "\(format)")
            XCTAssertEqual(try bytes(format, "\(format)-8"), one, "\(format)")
        }
    }

    func testBatchSizeDoesNotChangeTheBytes() throws {
        var large = options()
        large.batchBytes = 4 << 20
        try encode(.megatron, prefix: "small", threads: 2, options: options())
        try encode(.megatron, prefix: "large", threads: 2, options: large)
        XCTAssertEqual(try bytes(.megatron, "small"), try bytes(.megatron, "large"))
    }

    func testShardsMergeIntoTheSingleRun() throws {
        for format in [TokenDatasetFormat.megatron, .npy] {
            try encode(format, prefix: "whole-\(format)", threads: 2, options: options())
            let sharded = try ShardedDatasetWriter(format: format, prefix: directory + "/shard-\(format)", shardSize: 20_000,
                                                   vocabularySize: Self.tokenizer.vocabularySize, replacing: false)
            let summary = try DatasetEncoder(tokenizer: Self.tokenizer, options: options(), threads: 2).encode(CorpusReader(paths: Self.corpus), into: sharded)
            XCTAssertGreaterThan(sharded.shardPrefixes.count, 3)
            XCTAssertEqual(sharded.paths.count, 2 * sharded.shardPrefixes.count)
            let merged = try TokenDatasetMerger.merge(format, inputs: sharded.shardPrefixes, output: directory + "/merged-\(format)", replacing: false)
            XCTAssertEqual(merged.documents, summary.documents)
            XCTAssertEqual(merged.tokens, summary.tokens)
            XCTAssertEqual(try bytes(format, "merged-\(format)"), try bytes(format, "whole-\(format)"), "\(format)")
        }
    }

    func testReplacingShardsRemovesStaleHigherShards() throws {
        func shard(_ size: Int, replacing: Bool) throws -> [String] {
            let writer = try ShardedDatasetWriter(format: .megatron, prefix: directory + "/s", shardSize: size,
                                                  vocabularySize: Self.tokenizer.vocabularySize, replacing: replacing)
            _ = try DatasetEncoder(tokenizer: Self.tokenizer, options: options(), threads: 2).encode(CorpusReader(paths: Self.corpus), into: writer)
            return writer.shardPrefixes
        }
        let many = try shard(10_000, replacing: false)
        let few = try shard(50_000, replacing: true)
        XCTAssertLessThan(few.count, many.count)
        let left = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        XCTAssertEqual(left, few.flatMap { [URL(fileURLWithPath: $0).lastPathComponent + ".bin", URL(fileURLWithPath: $0).lastPathComponent + ".idx"] }.sorted())
    }

    func testMaximumDocuments() throws {
        let summary = try encode(.megatron, prefix: "d", threads: 2, options: options(maximumDocuments: 1000))
        XCTAssertEqual(summary.documents, 1000)
        XCTAssertEqual(try MegatronIndex(prefix: directory + "/d").documentCount, 1000)
    }

    func testABadRecordWritesNothingAndNamesFileAndLine() throws {
        let path = directory + "/records.jsonl"
        try Data(#"{"meta": {"text": "Hello"}}\#n{"meta": {"text": "ok"}}\#n{"meta": {}}\#n"#.utf8).write(to: URL(fileURLWithPath: path))
        let reader = CorpusReader(paths: [path], field: try JSONField("meta.text"))
        XCTAssertThrowsError(try encode(.megatron, prefix: "d", threads: 2, options: options(), reader: reader)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path):3"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["records.jsonl"])
        let skipping = CorpusReader(paths: [path], field: try JSONField("meta.text"), badRecords: .skip)
        let summary = try encode(.megatron, prefix: "d", threads: 2, options: options(), reader: skipping)
        XCTAssertEqual(summary.documents, 2)
        XCTAssertEqual(summary.reading?.badRecordCount, 1)
    }
}
