import Foundation
import XCTest

/// `polytoken encode -o PREFIX --format F` and `polytoken merge-shards`: the bytes do not depend
/// on the threads or on sharding, an existing dataset needs --force, and nothing partial is left.
final class DatasetCommandTests: XCTestCase {
    let files = ["en", "ru", "ja", "th"].map { Fixtures.sample("monolingual/\($0).txt") }

    private func run(_ arguments: [String], in scratch: Scratch, status: Int32 = 0) throws -> CommandLineRunner.Result {
        let result = try CommandLineRunner.run(arguments, in: scratch.directory)
        XCTAssertEqual(result.status, status, "\(arguments): \(result.standardError)")
        return result
    }

    private func data(_ scratch: Scratch, _ names: [String]) throws -> [Data] {
        try names.map { try Data(contentsOf: URL(fileURLWithPath: scratch.path($0))) }
    }

    func testThreadsAndShardsGiveTheSameDataset() throws {
        let scratch = try Scratch.temporary("dataset")
        defer { scratch.remove() }
        let encode = ["encode", "--tokenizer", Fixtures.shared.tokenizer, "--format", "megatron", "--append-eod", "--eod-token", "<|end_of_text|>"]
        let one = try run(encode + ["--threads", "1", "-o", "one"] + files, in: scratch)
        XCTAssertTrue(one.standardOutput.hasPrefix("3530 documents, "), one.standardOutput)
        _ = try run(encode + ["--threads", "2", "-o", "two"] + files, in: scratch)
        XCTAssertEqual(try data(scratch, ["one.bin", "one.idx"]), try data(scratch, ["two.bin", "two.idx"]))

        let sharded = try run(encode + ["--shard-size", "30000", "-o", "shard"] + files, in: scratch)
        XCTAssertTrue(sharded.standardOutput.contains(" shards -> "), sharded.standardOutput)
        let shards = try FileManager.default.contentsOfDirectory(atPath: scratch.directory).filter { $0.hasPrefix("shard_") && $0.hasSuffix(".idx") }.sorted()
        XCTAssertGreaterThan(shards.count, 2)
        let merged = try run(["merge-shards", "-o", "merged"] + shards, in: scratch)
        XCTAssertTrue(merged.standardOutput.hasPrefix("\(shards.count) datasets, 3530 documents, "), merged.standardOutput)
        XCTAssertEqual(try data(scratch, ["merged.bin", "merged.idx"]), try data(scratch, ["one.bin", "one.idx"]))

        let again = try run(["merge-shards", "-o", "merged"] + shards, in: scratch, status: 1)
        XCTAssertTrue(again.standardError.contains("merged.bin"), again.standardError)
        _ = try run(["merge-shards", "--force", "-o", "merged"] + shards.prefix(1), in: scratch)
        XCTAssertEqual(try data(scratch, ["merged.bin", "merged.idx"]), try data(scratch, ["shard_00000.bin", "shard_00000.idx"]))
    }

    func testAnExistingDatasetNeedsForceAndAFailedRunKeepsIt() throws {
        let scratch = try Scratch.temporary("dataset-force")
        defer { scratch.remove() }
        let encode = ["encode", "--tokenizer", Fixtures.shared.tokenizer, "--format", "npy", "-o", "d"]
        _ = try run(encode + files.prefix(1), in: scratch)
        let before = try data(scratch, ["d.tokens.npy", "d.offsets.npy"])
        let refused = try run(encode + files.prefix(2), in: scratch, status: 1)
        XCTAssertTrue(refused.standardError.contains("d.tokens.npy"), refused.standardError)
        try scratch.write("bad.jsonl", "{\"text\": \"fine\"}\nnot json\n")
        let failed = try run(encode + ["--force", "--field", "text", scratch.path("bad.jsonl")], in: scratch, status: 1)
        XCTAssertTrue(failed.standardError.contains("bad.jsonl:2"), failed.standardError)
        XCTAssertEqual(try data(scratch, ["d.tokens.npy", "d.offsets.npy"]), before)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: scratch.directory)), ["d.tokens.npy", "d.offsets.npy", "bad.jsonl"])
        let skipped = try run(encode + ["--force", "--field", "text", "--skip-bad-records", scratch.path("bad.jsonl")], in: scratch)
        XCTAssertTrue(skipped.standardOutput.contains("1 records skipped"), skipped.standardOutput)
        XCTAssertTrue(skipped.standardOutput.hasPrefix("1 documents, "), skipped.standardOutput)
    }

    func testOptionsThatNeedADatasetAreUsageErrors() throws {
        let scratch = try Scratch.temporary("dataset-usage")
        defer { scratch.remove() }
        for (arguments, message) in [
            (["--shard-size", "10"], "--shard-size is for datasets: give -o PREFIX too"),
            (["-o", "x"], "-o writes a dataset: give its --format (megatron, npy or jsonl)"),
            (["--eod-token", "</s>", "-o", "x", "--format", "npy"], "--eod-token names the token --append-eod appends"),
        ] {
            let result = try run(["encode", "--tokenizer", Fixtures.shared.tokenizer] + arguments + files.prefix(1), in: scratch, status: 64)
            XCTAssertTrue(result.standardError.contains(message), result.standardError)
        }
        let merge = try run(["merge-shards", "-o", "m", "nothing"], in: scratch, status: 64)
        XCTAssertTrue(merge.standardError.contains("nothing: neither nothing.idx (megatron) nor nothing.tokens.npy (npy) exists"), merge.standardError)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.directory), [])
    }
}
