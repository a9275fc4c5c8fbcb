import Foundation
import XCTest

/// Inputs that are odd but usable: the run succeeds, says what it skipped or cleaned, and
/// never hangs.
final class SurvivingInputTests: XCTestCase {
    var scratch: Scratch!

    override func setUpWithError() throws { scratch = try Scratch.temporary("surviving") }
    override func tearDownWithError() throws { scratch.remove() }

    func testCorpusDirectoriesSkipWhatIsNotARegularFileAndSaySo() throws {
        try scratch.copy(Fixtures.sample("monolingual/de.txt"), "corpus/de.txt")
        try scratch.write("corpus/.hidden.txt", "hidden\n")
        try scratch.write("corpus/.git/objects/ab", "binary")
        try FileManager.default.createSymbolicLink(atPath: scratch.path("corpus/gone.txt"), withDestinationPath: "nowhere.txt")
        try FileManager.default.createSymbolicLink(atPath: scratch.path("corpus/loop"), withDestinationPath: ".")
        XCTAssertEqual(mkfifo(scratch.path("corpus/pipe"), 0o644), 0)
        // Issue 13: the FIFO made count hang for ever; hidden entries and the dangling link were skipped without a word.
        let result = try CommandLineRunner.run(["count", "-o", "c.sqlite", "corpus"], in: scratch.directory, timeout: 60)
        XCTAssertFalse(result.timedOut)
        XCTAssertEqual(result.status, 0, result.standardError)
        for (entry, reason) in [("corpus/.hidden.txt", "hidden"), ("corpus/.git", "hidden"), ("corpus/gone.txt", "symbolic link to nothing"),
                                ("corpus/loop", "symbolic link to a directory"), ("corpus/pipe", "a FIFO")] {
            XCTAssertTrue(result.standardError.contains("warning: \(entry): skipped (") && result.standardError.contains(reason),
                          "\(entry): \(result.standardError)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: scratch.path("c.sqlite")))
    }

    func testAFIFOGivenDirectlyIsReadAsAStream() throws {
        XCTAssertEqual(mkfifo(scratch.path("pipe"), 0o644), 0)
        let text = try Data(contentsOf: URL(fileURLWithPath: Fixtures.sample("monolingual/en.txt")))
        let path = scratch.path("pipe")
        let writer = Thread {
            let handle = FileHandle(forWritingAtPath: path)
            handle?.write(text)
            try? handle?.close()
        }
        writer.start()
        let result = try CommandLineRunner.run(["count", "-o", "c.sqlite", "pipe"], in: scratch.directory, timeout: 60)
        XCTAssertFalse(result.timedOut)
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = text.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        XCTAssertTrue(result.standardError.contains("\(lines) documents"), result.standardError)
    }

    func testReplacingTheCurrentDirectoryWorks() throws {
        // Issue 13: `expand --force -o .` trapped in Foundation's path handling.
        try scratch.model()
        try scratch.write("OUT/previous.txt", "previous")
        let result = try CommandLineRunner.run(["expand", "--model", "../M", "--target-corpus", Fixtures.sample("monolingual/hi.txt"),
                                                "--new-tokens", "20", "--force", "-o", "."], in: scratch.path("OUT"))
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path("OUT")).sorted(),
                       ["config.json", "model.safetensors", "provenance.sqlite", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.directory).sorted(), ["M", "OUT"])
    }

    func testAnOutputInsideTheSourceHoldsNoneOfItsOwnBookkeeping() throws {
        try scratch.model()
        let result = try CommandLineRunner.run(["expand", "--model", "M", "--target-corpus", Fixtures.sample("monolingual/hi.txt"),
                                                "--new-tokens", "20", "-o", "M/expanded"], in: scratch.directory)
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path("M/expanded")).sorted(),
                       ["config.json", "model.safetensors", "provenance.sqlite", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path("M")).sorted(),
                       ["config.json", "expanded", "model.safetensors", "tokenizer.json"])
    }

    func testLeftoversOfKilledRunsAreRemovedByTheNextRun() throws {
        try scratch.write(".c.sqlite.polytoken-4194301.tmp", "half a database")
        try scratch.write(".c.sqlite.polytoken-4194301.tmp-journal", "journal")
        try scratch.write(".c.sqlite.polytoken.lock", "")
        try scratch.write("other.txt", "not ours")
        let result = try CommandLineRunner.run(["count", "-o", "c.sqlite", Fixtures.sample("monolingual/de.txt")], in: scratch.directory)
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.contains("note: removed \(scratch.path(".c.sqlite.polytoken-4194301.tmp")), left by a killed run"),
                      result.standardError)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.directory).sorted(), ["c.sqlite", "other.txt"])
    }
}
