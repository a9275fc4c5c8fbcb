import Foundation
import Support
import Tokenization
import XCTest

/// A tokenizer loaded from its binary cache is the tokenizer of its JSON: the same file when
/// written back and the same ids on every corpus line, for every golden BPE tokenizer. A cache
/// file that is damaged, truncated or made from other JSON is never used.
final class TokenizerCacheTests: XCTestCase {
    private func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("polytoken-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func cacheFiles(_ directory: URL) throws -> [URL] {
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil).filter { $0.pathExtension == "ptcache" }
    }

    private func assertSame(_ a: Tokenizer, _ b: Tokenizer, on lines: [String], _ name: String) throws {
        XCTAssertEqual(JSONWriter.pretty(a.json), JSONWriter.pretty(b.json), name)
        XCTAssertEqual(a.mergesFormat, b.mergesFormat, name)
        XCTAssertEqual(try a.encodeBatchFlat(lines), try b.encodeBatchFlat(lines), name)
    }

    func testCachedTokenizersAreTheirJSON() throws {
        let goldens = BPEGoldens.load()
        let lines = try BPEGoldens.lines(of: BPEGoldens.repositoryRoot.appendingPathComponent("corpora-samples/monolingual/de.txt").path)
        let directory = try scratch()
        var cached = 0
        for name in try goldens.tokenizerNames() {
            let path = directory.appendingPathComponent("\(name).json").path
            try JSONWriter.writePretty(try goldens.tokenizer(name).json, toFile: path)
            let fromJSON = try Tokenizer(contentsOf: path)
            let cacheDirectory = directory.appendingPathComponent("cache-\(name)").path
            let first = try TokenizerCache.load(path, directory: cacheDirectory)
            let files = try cacheFiles(URL(fileURLWithPath: cacheDirectory))
            guard fromJSON.model is BPEModel else {
                XCTAssertTrue(files.isEmpty, "\(name): only BPE models are cached")
                continue
            }
            cached += 1
            XCTAssertEqual(files.count, 1, name)
            let second = try TokenizerCache.load(path, directory: cacheDirectory)
            try assertSame(fromJSON, first, on: lines, name)
            try assertSame(fromJSON, second, on: lines, name)
        }
        XCTAssertGreaterThanOrEqual(cached, 5)
    }

    func testDamagedOrStaleCacheFilesAreRebuilt() throws {
        let directory = try scratch()
        let path = directory.appendingPathComponent("tokenizer.json").path
        try JSONWriter.writePretty(try BPEGoldens.load().tokenizer("trained-llama3").json, toFile: path)
        let lines = try BPEGoldens.lines(of: BPEGoldens.repositoryRoot.appendingPathComponent("corpora-samples/monolingual/ru.txt").path)
        let expected = try Tokenizer(contentsOf: path)
        let cacheDirectory = directory.appendingPathComponent("cache")
        _ = try TokenizerCache.load(path, directory: cacheDirectory.path)
        let file = try XCTUnwrap(try cacheFiles(cacheDirectory).first)
        let good = try Data(contentsOf: file)
        var flipped = good
        flipped[flipped.count / 2] ^= 0x40
        for (label, damaged) in [("flipped byte", flipped), ("truncated", good.prefix(good.count - 9)), ("empty", Data())] {
            try damaged.write(to: file)
            try assertSame(expected, try TokenizerCache.load(path, directory: cacheDirectory.path), on: lines, label)
            XCTAssertEqual(try Data(contentsOf: file), good, "\(label): the cache file is rewritten whole")
        }
        // Other JSON gets its own file; the old one is left alone.
        guard case .object(var members) = try JSONValue.parse(contentsOf: path) else { return XCTFail("not an object") }
        members.set("x_changed", .string("yes"))
        try Data(JSONWriter.compact(.object(members)).utf8).write(to: URL(fileURLWithPath: path))
        let changed = try TokenizerCache.load(path, directory: cacheDirectory.path)
        try assertSame(try Tokenizer(contentsOf: path), changed, on: lines, "changed JSON")
        XCTAssertNotEqual(JSONWriter.pretty(changed.json), JSONWriter.pretty(expected.json))
        XCTAssertEqual(try cacheFiles(cacheDirectory).count, 2)
    }
}
