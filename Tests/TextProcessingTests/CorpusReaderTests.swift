import CZlib
import CZstd
import Foundation
import TextProcessing
import XCTest

final class CorpusReaderTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("polytoken-reader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    private func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    private func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: pt_gzip_bound(bytes.count))
        let length = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { pt_gzip(input.baseAddress, input.count, $0.baseAddress, $0.count) }
        }
        precondition(length > 0)
        return Array(output[..<length])
    }

    private func zstd(_ bytes: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: pt_zstd_bound(bytes.count))
        let length = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { pt_zstd_compress(input.baseAddress, input.count, $0.baseAddress, $0.count, 3) }
        }
        precondition(length > 0)
        return Array(output[..<length])
    }

    private let invalid: [UInt8] = Array("first line\n".utf8) + [0x62, 0x61, 0x64, 0xC3, 0x28, 0x0A] + Array("third\n".utf8)

    func testInvalidUTF8LineIsSkippedAndReportedWithFileLineAndOffset() throws {
        let path = try write("invalid.txt", invalid)
        var lines: [String] = []
        let summary = try CorpusReader(paths: [path]).forEachDocument { line, _ in lines.append(line) }
        XCTAssertEqual(lines, ["first line\n", "third\n"])
        XCTAssertEqual(summary.invalid.count, 1)
        let problem = try XCTUnwrap(summary.invalid.first)
        XCTAssertEqual(problem.location.file, path)
        XCTAssertEqual(problem.location.line, 2)
        XCTAssertEqual(problem.location.byteOffset, 11)
        XCTAssertEqual(problem.invalidByteOffset, 14)
        XCTAssertEqual(problem.action, .skip)
        XCTAssertTrue(problem.description.contains("invalid.txt:2: invalid UTF-8 at byte 14"))
    }

    func testInvalidUTF8CanBeReplaced() throws {
        let path = try write("invalid.txt", invalid)
        var lines: [String] = []
        let summary = try CorpusReader(paths: [path], policy: .replace).forEachDocument { line, _ in lines.append(line) }
        XCTAssertEqual(lines, ["first line\n", "bad\u{FFFD}(\n", "third\n"])
        XCTAssertEqual(summary.invalid.map(\.action), [.replace])
    }

    func testGzipFilesMatchTheirPlainContent() throws {
        let text = try String(contentsOfFile: corpusPath("monolingual/ja.txt"), encoding: .utf8)
        let gz = try write("ja.txt.gz", gzip(Array(text.utf8)))
        var lines: [String] = []
        let summary = try CorpusReader(paths: [gz]).forEachDocument { line, _ in lines.append(line) }
        XCTAssertEqual(lines.joined(), text)
        XCTAssertEqual(summary.bytes, text.utf8.count)
        XCTAssertTrue(summary.invalid.isEmpty)
    }

    func testZstdFilesAndConcatenatedFramesMatchTheirPlainContent() throws {
        let text = try String(contentsOfFile: corpusPath("monolingual/ru.txt"), encoding: .utf8)
        let bytes = Array(text.utf8), half = bytes.count / 2
        let path = try write("ru.txt.zst", zstd(Array(bytes[..<half])) + zstd(Array(bytes[half...])))
        var lines: [String] = []
        let summary = try CorpusReader(paths: [path]).forEachDocument { line, _ in lines.append(line) }
        XCTAssertEqual(lines.joined(), text)
        XCTAssertEqual(summary.bytes, bytes.count)
    }

    func testTruncatedOrCorruptZstdIsAnErrorNamingTheFile() throws {
        let full = zstd(Array(String(repeating: "some text\n", count: 500).utf8))
        let cut = try write("cut.txt.zst", Array(full[..<(full.count - 3)]))
        XCTAssertThrowsError(try CorpusReader(paths: [cut]).forEachDocument { _, _ in }) {
            XCTAssertTrue("\($0)".contains("cut.txt.zst: truncated zstd data"), "\($0)")
        }
        var damaged = full
        damaged[0] ^= 0xFF
        let bad = try write("bad.txt.zst", damaged)
        XCTAssertThrowsError(try CorpusReader(paths: [bad]).forEachDocument { _, _ in }) {
            XCTAssertTrue("\($0)".contains("bad.txt.zst: corrupt zstd data"), "\($0)")
        }
    }

    private let records = """
        {"id": 1, "meta": {"text": "caf\\u00e9 \\ud83d\\ude00 line\\nbreak", "lang": "fr"}}
        {"id": 2, "meta": {"lang": "en"}}
        {"id": 3, "meta": {"text": 7}}
        {"id": 4, "meta": "plain"}
        not json
        {"id": 6, "meta": {"text": ""}}

        """

    func testJSONLinesDocumentsAreTheFieldAtANestedPath() throws {
        let path = try write("records.jsonl", Array(records.utf8))
        var texts: [String] = [], lines: [Int] = []
        let reader = CorpusReader(paths: [path], field: try JSONField("meta.text"), badRecords: .skip)
        let summary = try reader.forEachDocument { text, location in
            texts.append(text)
            lines.append(location.line)
        }
        XCTAssertEqual(texts, ["café 😀 line\nbreak", ""])
        XCTAssertEqual(lines, [1, 6])
        XCTAssertEqual(summary.documents, 2)
        XCTAssertEqual(summary.badRecordCount, 4)
        XCTAssertEqual(summary.badRecords.map(\.location.line), [2, 3, 4, 5])
        XCTAssertTrue(summary.badRecords[0].description.hasSuffix("records.jsonl:2: no field 'meta.text' (skipped)"), summary.badRecords[0].description)
        XCTAssertTrue(summary.badRecords[1].message.contains("field 'meta.text' is a number, not a string"))
        XCTAssertTrue(summary.badRecords[2].message.contains("'meta' is a string, not an object with 'text'"))
        XCTAssertTrue(summary.badRecords[3].message.contains("not valid JSON"))
    }

    func testABadRecordIsAnErrorNamingFileAndLineUnlessSkipped() throws {
        let path = try write("records.jsonl", Array(records.utf8))
        XCTAssertThrowsError(try CorpusReader(paths: [path], field: try JSONField("meta.text")).forEachDocument { _, _ in }) {
            XCTAssertTrue("\($0)".hasSuffix("records.jsonl:2: no field 'meta.text'"), "\($0)")
        }
        let broken = try write("broken.jsonl", Array("{\"text\": \"a\"}\n{\"text\": \"b\"".utf8))
        XCTAssertThrowsError(try CorpusReader(paths: [broken], field: try JSONField("text")).forEachDocument { _, _ in }) {
            XCTAssertTrue("\($0)".contains("broken.jsonl:2:"), "\($0)")
            XCTAssertTrue("\($0)".contains("not valid JSON"), "\($0)")
        }
        XCTAssertThrowsError(try JSONField("meta..text"))
    }

    func testReadingAheadGivesTheSameBatchesAndSummary() throws {
        let paths = ["ja", "ru", "en"].map { corpusPath("monolingual/\($0).txt") } + [try write("bad.txt", invalid)]
        let reader = CorpusReader(paths: paths)
        var plain: [[String]] = [], ahead: [[String]] = []
        let plainSummary = try reader.forEachBatch(bytes: 20_000, strippingLineEndings: true) { plain.append($0) }
        let aheadSummary = try reader.forEachBatchReadingAhead(bytes: 20_000, strippingLineEndings: true) { ahead.append($0) }
        XCTAssertGreaterThan(plain.count, 5)
        XCTAssertEqual(ahead, plain)
        XCTAssertEqual(aheadSummary.bytes, plainSummary.bytes)
        XCTAssertEqual(aheadSummary.invalid.map(\.description), plainSummary.invalid.map(\.description))
    }

    func testReadingAheadStopsWhenTheWorkFailsAndReportsReadErrors() throws {
        struct Refused: Error {}
        let reader = CorpusReader(paths: [corpusPath("monolingual/ja.txt")])
        var batches = 0
        XCTAssertThrowsError(try reader.forEachBatchReadingAhead(bytes: 1000) { _ in
            batches += 1
            throw Refused()
        }) { XCTAssertTrue($0 is Refused) }
        XCTAssertEqual(batches, 1)
        let full = gzip(Array(String(repeating: "some text\n", count: 500).utf8))
        let cut = try write("cut.txt.gz", Array(full[..<(full.count / 2)]))
        XCTAssertThrowsError(try CorpusReader(paths: [cut]).forEachBatchReadingAhead { _ in }) {
            XCTAssertTrue("\($0)".contains("truncated gzip"), "\($0)")
        }
    }

    func testTruncatedGzipIsAnError() throws {
        let full = gzip(Array(String(repeating: "some text\n", count: 500).utf8))
        let path = try write("cut.txt.gz", Array(full[..<(full.count / 2)]))
        XCTAssertThrowsError(try CorpusReader(paths: [path]).forEachDocument { _, _ in }) { error in
            XCTAssertTrue("\(error)".contains("cut.txt.gz"))
            XCTAssertTrue("\(error)".contains("truncated gzip"))
        }
    }

    func testEmptyFileYieldsNothing() throws {
        let path = try write("empty.txt", [])
        var count = 0
        let summary = try CorpusReader(paths: [path]).forEachDocument { _, _ in count += 1 }
        XCTAssertEqual(count, 0)
        XCTAssertEqual(summary.documents, 0)
    }

    func testDirectoriesAreReadRecursivelyInNameOrder() throws {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("b"), withIntermediateDirectories: true)
        _ = try write("b/2.txt", Array("two\n".utf8))
        _ = try write("a.txt", Array("one\n".utf8))
        _ = try write("c.txt", Array("three".utf8))
        var lines: [String] = []
        try CorpusReader(paths: [directory.path]).forEachDocument { line, _ in lines.append(line) }
        XCTAssertEqual(lines, ["one\n", "two\n", "three"])
    }

    func testGlobPatternsExpandInNameOrderAndAnEmptyMatchIsAnError() throws {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("shards/x"), withIntermediateDirectories: true)
        _ = try write("shards/b.jsonl", Array("two\n".utf8))
        _ = try write("shards/a.jsonl", Array("one\n".utf8))
        _ = try write("shards/c.txt", Array("not matched\n".utf8))
        _ = try write("shards/x/d.jsonl", Array("three\n".utf8))
        var lines: [String] = []
        try CorpusReader(paths: [directory.path + "/shards/*.jsonl", directory.path + "/shards/[x]"]).forEachDocument { line, _ in lines.append(line) }
        XCTAssertEqual(lines, ["one\n", "two\n", "three\n"])
        let pattern = directory.path + "/shards/*.parquet"
        XCTAssertThrowsError(try CorpusReader(paths: [pattern]).forEachDocument { _, _ in }) { error in
            XCTAssertEqual("\(error)", "\(pattern): the pattern matches no file")
        }
    }

    func testWholeFileDocuments() throws {
        let path = try write("doc.txt", Array("a\nb\n\nc".utf8))
        var documents: [String] = []
        try CorpusReader(paths: [path], mode: .file).forEachDocument { text, _ in documents.append(text) }
        XCTAssertEqual(documents, ["a\nb\n\nc"])
    }

    func testAFileThatChangesWhileReadIsAnError() throws {
        // A corpus still being written was read as whatever prefix existed.
        let path = try write("growing.txt", Array("one\ntwo\n".utf8))
        XCTAssertThrowsError(try CorpusReader(paths: [path]).forEachDocument { _, location in
            if location.line == 1 {
                let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
                try handle.seekToEnd()
                try handle.write(contentsOf: Data("three\n".utf8))
                try handle.close()
            }
        }) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path): changed while it was read (8 bytes when opened, 14 at the end)"), "\(error)")
        }
    }

    func testDirectoriesSkipAndReportWhatIsNotARegularFile() throws {
        _ = try write("b.txt", Array("b\n".utf8))
        _ = try write(".hidden", Array("h\n".utf8))
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub/.git"), withIntermediateDirectories: true)
        _ = try write("sub/a.txt", Array("a\n".utf8))
        _ = try write("sub/.git/HEAD", Array("ref\n".utf8))
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("dangling").path, withDestinationPath: "nowhere")
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("c.txt").path, withDestinationPath: "b.txt")
        XCTAssertEqual(mkfifo(directory.appendingPathComponent("pipe").path, 0o644), 0)
        let listing = try CorpusReader(paths: [directory.path]).listing()
        XCTAssertEqual(listing.files.map { String($0.dropFirst(directory.path.count + 1)) }, ["b.txt", "c.txt", "sub/a.txt"])
        XCTAssertEqual(listing.skipped.map { String($0.path.dropFirst(directory.path.count + 1)) }, [".hidden", "dangling", "pipe", "sub/.git"])
        XCTAssertEqual(listing.skipped.map(\.reason), ["hidden", "a symbolic link to nothing", "a FIFO; give it directly to read it as a stream", "hidden"])
    }

    func testMissingFileIsAnErrorNamingIt() {
        XCTAssertThrowsError(try CorpusReader(paths: ["/nonexistent/corpus.txt"]).forEachDocument { _, _ in }) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/corpus.txt"))
        }
    }

    func testLineEndingsAreRemovedScalarByScalar() {
        XCTAssertEqual("a\r\n".withoutLineEnding, "a")
        XCTAssertEqual("a\n".withoutLineEnding, "a")
        XCTAssertEqual("a\r".withoutLineEnding, "a")
        XCTAssertEqual("a\n\n".withoutLineEnding, "a\n")
    }
}

/// The path of a file in `corpora-samples/`.
func corpusPath(_ relative: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("corpora-samples").appendingPathComponent(relative).path
}
