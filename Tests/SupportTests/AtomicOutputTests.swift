import Foundation
import Support
import XCTest

/// `AtomicOutput`: what is on disk before, during and after a write, and what it refuses.
final class AtomicOutputTests: XCTestCase {
    var scratch: String!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("polytoken-output-\(UUID())").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: scratch)
    }

    func path(_ name: String) -> String { (scratch as NSString).appendingPathComponent(name) }

    func entries() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: scratch).sorted() }

    func write(_ text: String, _ name: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: path(name))) }

    func read(_ name: String) throws -> String { String(decoding: try Data(contentsOf: URL(fileURLWithPath: path(name))), as: UTF8.self) }

    func testFileIsInPlaceOnlyAfterCommitAndNothingElseRemains() throws {
        try write("old", "out.json")
        let output = try AtomicOutput(path("out.json"), kind: .file, replacing: true)
        try Data("new".utf8).write(to: URL(fileURLWithPath: output.temporaryPath))
        XCTAssertEqual(try read("out.json"), "old", "the previous content stays until the commit")
        XCTAssertEqual(try entries().count, 3, "output, temporary and lock")
        try output.commit()
        XCTAssertEqual(try read("out.json"), "new")
        XCTAssertEqual(try entries(), ["out.json"])
    }

    func testDirectoryIsExchangedAtomicallyAndThePreviousRemoved() throws {
        try FileManager.default.createDirectory(atPath: path("model"), withIntermediateDirectories: false)
        try write("old", "model/config.json")
        let output = try AtomicOutput(path("model"), kind: .directory, replacing: true)
        try Data("new".utf8).write(to: URL(fileURLWithPath: (output.temporaryPath as NSString).appendingPathComponent("config.json")))
        XCTAssertEqual(try read("model/config.json"), "old")
        try output.commit()
        XCTAssertEqual(try read("model/config.json"), "new")
        XCTAssertEqual(try entries(), ["model"])
    }

    func testAnUncommittedOutputLeavesNothingNotEvenItsNewParents() throws {
        do {
            let output = try AtomicOutput(path("runs/a/model"), kind: .directory, replacing: false)
            try Data("x".utf8).write(to: URL(fileURLWithPath: (output.temporaryPath as NSString).appendingPathComponent("f")))
        }
        XCTAssertEqual(try entries(), [])
    }

    func testAFileOutputNeedsAnExistingDirectory() throws {
        XCTAssertThrowsError(try AtomicOutput(path("missing/tokenizer.json"), kind: .file, replacing: true)) { error in
            XCTAssertTrue("\(error)".contains("does not exist"), "\(error)")
        }
        XCTAssertEqual(try entries(), [])
    }

    func testAnExistingDirectoryIsReplacedOnlyWhenAsked() throws {
        try FileManager.default.createDirectory(atPath: path("model"), withIntermediateDirectories: false)
        XCTAssertThrowsError(try AtomicOutput(path("model"), kind: .directory, replacing: false)) { error in
            XCTAssertEqual((error as? OutputError)?.reason, .exists)
        }
        try write("x", "file")
        XCTAssertThrowsError(try AtomicOutput(path("file"), kind: .directory, replacing: true)) { error in
            XCTAssertTrue("\(error)".contains("not a directory"), "\(error)")
        }
        XCTAssertThrowsError(try AtomicOutput(path("model"), kind: .file, replacing: true)) { error in
            XCTAssertTrue("\(error)".contains("is a directory"), "\(error)")
        }
        XCTAssertEqual(try entries(), ["file", "model"])
    }

    func testAnInputIsNeverAnOutputThroughLinksToo() throws {
        try write("corpus", "in.txt")
        try FileManager.default.createSymbolicLink(atPath: path("link.txt"), withDestinationPath: path("in.txt"))
        try FileManager.default.linkItem(atPath: path("in.txt"), toPath: path("hard.txt"))
        for (output, input) in [("in.txt", "in.txt"), ("in.txt", "link.txt"), ("hard.txt", "in.txt")] {
            XCTAssertThrowsError(try AtomicOutput(path(output), kind: .file, replacing: true, inputs: [path(input)])) { error in
                XCTAssertEqual((error as? OutputError)?.reason, .isInput(path(input)), "\(output) <- \(input)")
            }
        }
        try FileManager.default.createDirectory(atPath: path("models/source"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try AtomicOutput(path("models"), kind: .directory, replacing: true, inputs: [path("models/source")]))
        XCTAssertThrowsError(try AtomicOutput(path("models/source/."), kind: .directory, replacing: true, inputs: [path("models/source")]))
        XCTAssertEqual(try read("in.txt"), "corpus")
        XCTAssertEqual(try entries(), ["hard.txt", "in.txt", "link.txt", "models"])
    }

    func testASecondWriterIsRefusedWhileTheFirstHoldsTheOutput() throws {
        let first = try AtomicOutput(path("counts.sqlite"), kind: .file, replacing: true)
        XCTAssertThrowsError(try AtomicOutput(path("counts.sqlite"), kind: .file, replacing: true)) { error in
            guard case .locked? = (error as? OutputError)?.reason else { return XCTFail("\(error)") }
        }
        try first.write(Data("a".utf8))
        let second = try AtomicOutput(path("counts.sqlite"), kind: .file, replacing: true)
        try second.write(Data("b".utf8))
        XCTAssertEqual(try read("counts.sqlite"), "b")
        XCTAssertEqual(try entries(), ["counts.sqlite"])
    }

    func testLeftoversOfAKilledRunAreRemovedAndAMovedAsidePreviousPutBack() throws {
        try FileManager.default.createDirectory(atPath: path(".model.polytoken-999.partial/sub"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: path(".model.polytoken-998.previous"), withIntermediateDirectories: true)
        try write("previous", ".model.polytoken-998.previous/config.json")
        try write("", ".model.polytoken.lock")
        try write("", ".counts.sqlite.polytoken-7.tmp-journal")
        let output = try AtomicOutput(path("model"), kind: .directory, replacing: true)
        XCTAssertEqual(output.removedLeftovers, [path(".model.polytoken-999.partial")])
        XCTAssertEqual(output.restoredPrevious, path(".model.polytoken-998.previous"))
        XCTAssertEqual(try read("model/config.json"), "previous")
        output.abandon()
        XCTAssertEqual(try entries(), [".counts.sqlite.polytoken-7.tmp-journal", "model"], "only this output's leftovers are touched")
        let counts = try AtomicOutput(path("counts.sqlite"), kind: .file, replacing: true)
        XCTAssertEqual(counts.removedLeftovers, [path(".counts.sqlite.polytoken-7.tmp-journal")])
    }

    func testAPathEndingInDotNamesTheDirectoryItself() throws {
        try FileManager.default.createDirectory(atPath: path("out"), withIntermediateDirectories: false)
        try write("old", "out/a")
        let output = try AtomicOutput(path("out/."), kind: .directory, replacing: true)
        try write("new", (output.temporaryPath as NSString).lastPathComponent + "/b")
        try output.commit()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path("out")), ["b"])
        XCTAssertTrue(output.contains(path("out/table.sqlite")))
        XCTAssertFalse(output.contains(path("outside.sqlite")))
        XCTAssertThrowsError(try AtomicOutput("/", kind: .directory, replacing: true))
    }
}
