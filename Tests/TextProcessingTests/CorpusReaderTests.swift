import CZlib
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
