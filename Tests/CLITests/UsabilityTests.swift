import Foundation
import XCTest

/// The command line as a new user meets it (issue 21): each friction seen when it was tried is an
/// exit status and a one-line message naming what is wrong.
final class UsabilityTests: XCTestCase {
    private let english = Fixtures.sample("monolingual/en.txt")

    private func run(_ arguments: [String], in scratch: Scratch, status: Int32, standardInput: FileHandle? = nil,
                     standardError: FileHandle? = nil) throws -> CommandLineRunner.Result {
        let result = try CommandLineRunner.run(arguments, in: scratch.directory, timeout: 60, standardInput: standardInput,
                                               standardError: standardError)
        XCTAssertFalse(result.timedOut, "\(arguments) timed out")
        XCTAssertEqual(result.status, status, "\(arguments): \(result.standardError)")
        return result
    }

    /// Asserts that `result` printed exactly one line on standard error, an error mentioning every one of `mentions`.
    private func assertOneLineError(_ result: CommandLineRunner.Result, _ mentions: [String], file: StaticString = #filePath, line: UInt = #line) {
        let lines = result.standardError.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, 1, "not one line: \(result.standardError)", file: file, line: line)
        XCTAssertTrue(result.standardError.hasPrefix("Error: "), result.standardError, file: file, line: line)
        for mention in mentions {
            XCTAssertTrue(result.standardError.contains(mention), "\(mention) not in \(result.standardError)", file: file, line: line)
        }
    }

    /// A pseudo-terminal: the process gets `terminal`, the test reads what it wrote from `controller`.
    private struct PseudoTerminal {
        let controller: Int32
        let terminal: FileHandle

        init() throws {
            // posix_openpt, grantpt, unlockpt and ptsname by hand: /dev/ptmx, TIOCSPTLCK and TIOCGPTN.
            controller = open("/dev/ptmx", O_RDWR | O_NOCTTY)
            var unlock: Int32 = 0, number: UInt32 = 0
            guard controller >= 0, ioctl(controller, 0x4004_5431, &unlock) == 0, ioctl(controller, 0x8004_5430, &number) == 0 else {
                throw XCTSkip("no pseudo-terminal on this machine")
            }
            let descriptor = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
            guard descriptor >= 0 else { throw XCTSkip("cannot open the pseudo-terminal") }
            terminal = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        }

        /// Everything written to the terminal so far.
        func output() -> String {
            _ = fcntl(controller, F_SETFL, fcntl(controller, F_GETFL) | O_NONBLOCK)
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(controller, &buffer, buffer.count)
                if count <= 0 { break }
                bytes += buffer[..<count]
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    func testVersionCompletionAndExamples() throws {
        let scratch = try Scratch.temporary("usability")
        defer { scratch.remove() }
        let version = try run(["--version"], in: scratch, status: 0)
        XCTAssertEqual(version.standardOutput, "0.1.0\n")
        for shell in ["bash", "zsh", "fish"] {
            let script = try run(["--generate-completion-script", shell], in: scratch, status: 0)
            XCTAssertTrue(script.standardOutput.contains("merge-shards") && script.standardOutput.contains("tokenizer-cache"), shell)
        }
        let help = try run(["--help"], in: scratch, status: 0).standardOutput
        let commands = help.components(separatedBy: "SUBCOMMANDS:")[1].components(separatedBy: "\n\n")[0].split(separator: "\n")
            .compactMap { $0.hasPrefix("  ") && !$0.hasPrefix("   ") ? $0.split(separator: " ").first.map(String.init) : nil }
        XCTAssertEqual(commands.count, 15, help)
        for command in commands where command != "help" {
            let text = try run([command, "--help"], in: scratch, status: 0).standardOutput
            XCTAssertTrue(text.contains("Examples:\n  polytoken "), "\(command) --help has no examples")
        }
    }

    func testTrainRefusesATerminalAndAnEmptyCorpus() throws {
        let scratch = try Scratch.temporary("usability-train")
        defer { scratch.remove() }
        let terminal = try PseudoTerminal()
        let waiting = try run(["train", "--vocab-size", "300", "-o", "t.json"], in: scratch, status: 64, standardInput: terminal.terminal)
        assertOneLineError(waiting, ["standard input is a terminal"])
        try scratch.write("empty.txt", "")
        assertOneLineError(try run(["train", "--vocab-size", "300", "-o", "t.json", "empty.txt"], in: scratch, status: 1),
                           ["empty.txt", "no words to train on (0 documents)"])
        try scratch.write("invalid.txt", Data([0xFF, 0xFE, 0x0A]))
        let invalid = try run(["train", "--vocab-size", "300", "-o", "t.json", "invalid.txt"], in: scratch, status: 1)
        XCTAssertEqual(invalid.standardError, "warning: invalid.txt:1: invalid UTF-8 at byte 0 (line skipped)\n"
                       + "Error: invalid.txt: no words to train on (0 documents, 1 skipped as invalid UTF-8)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path("t.json")))
        let stats = try run(["stats", "--tokenizer", Fixtures.shared.tokenizer], in: scratch, status: 64, standardInput: terminal.terminal)
        assertOneLineError(stats, ["standard input is a terminal"])
    }

    func testWordCountFilesAndOutputs() throws {
        let scratch = try Scratch.temporary("usability-count")
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.path("counts"), withIntermediateDirectories: true)
        assertOneLineError(try run(["train", "--counts", "counts/", "--vocab-size", "300", "-o", "t.json"], in: scratch, status: 1),
                           ["counts/", "is a directory, not a word-count file"])
        assertOneLineError(try run(["count", "-o", "d.sqlite", Fixtures.shared.counts], in: scratch, status: 1),
                           [Fixtures.shared.counts, "an SQLite database, not text"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path("d.sqlite")))
        assertOneLineError(try run(["count", "-o", "-", english], in: scratch, status: 64), ["-o -", "give a file name"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path("-")))

        // JSON Lines counted by --field give the words of the same text as lines (whose line endings are counted too).
        let lines = try String(contentsOfFile: english, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let records = lines.map { #"{"meta": {"lang": "en"}, "text": "# + JSONEncoded($0 + "\n") + "}" }.joined(separator: "\n") + "\n"
        try scratch.write("en.jsonl", records)
        let plain = try run(["count", "--threads", "1", "-o", "plain.sqlite", english], in: scratch, status: 0)
        let json = try run(["count", "--threads", "2", "--field", "text", "-o", "json.sqlite", "en.jsonl"], in: scratch, status: 0)
        XCTAssertEqual(plain.standardOutput.replacingOccurrences(of: "plain.sqlite", with: "X"),
                       json.standardOutput.replacingOccurrences(of: "json.sqlite", with: "X"))
        _ = try run(["train", "--counts", "plain.sqlite", "--vocab-size", "400", "-o", "plain.json"], in: scratch, status: 0)
        _ = try run(["train", "--field", "text", "--vocab-size", "400", "-o", "json.json", "en.jsonl"], in: scratch, status: 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: scratch.path("plain.json"))),
                       try Data(contentsOf: URL(fileURLWithPath: scratch.path("json.json"))))
    }

    func testDataErrorsAreOneLineNamingFileAndLine() throws {
        let scratch = try Scratch.temporary("usability-data")
        defer { scratch.remove() }
        try scratch.write("records.jsonl", "{\"text\": \"a\"}\n{\"body\": \"b\"}\n")
        for command in [["count", "-o", "c.sqlite"], ["train", "--vocab-size", "300", "-o", "t.json"],
                        ["encode", "--tokenizer", Fixtures.shared.tokenizer]] {
            assertOneLineError(try run(command + ["--field", "text", "records.jsonl"], in: scratch, status: 1),
                               ["records.jsonl:2", "no field 'text'"])
        }
        try scratch.write("broken.json", "{\"model\": {\"type\": \"BPE\",\n  \"vocab\": [}")
        for command in [["encode"], ["stats"], ["decode"]] {
            assertOneLineError(try run(command + ["--tokenizer", "broken.json", english], in: scratch, status: 1), ["broken.json:2"])
        }
    }

    func testStatsComparesEveryTokenizerGiven() throws {
        let scratch = try Scratch.temporary("usability-stats")
        defer { scratch.remove() }
        let two = try run(["stats", "--threads", "1", "--tokenizer", "trained=" + Fixtures.shared.tokenizer, "--tokenizer",
                           Fixtures.shared.model, english], in: scratch, status: 0).standardOutput
        XCTAssertTrue(two.contains("\ntrained ") && two.contains("\nmodel "), two)
        assertOneLineError(try run(["stats", "--tokenizer", Fixtures.shared.tokenizer, "--tokenizer", Fixtures.shared.tokenizer, english],
                                   in: scratch, status: 64), ["two tokenizers are named polytoken-fixtures-", "NAME=PATH"])
    }

    func testProgressOnATerminalShowsShareRateAndTimeLeft() throws {
        let scratch = try Scratch.temporary("usability-progress")
        defer { scratch.remove() }
        for (arguments, label) in [(["count", "-o", "c.sqlite"], "counting"), (["encode", "--tokenizer", Fixtures.shared.tokenizer], "encoding"),
                                   (["encode", "--tokenizer", Fixtures.shared.tokenizer, "--format", "npy", "-o", "ids"], "encoding"),
                                   (["stats", "--tokenizer", Fixtures.shared.tokenizer], "measuring")] {
            let terminal = try PseudoTerminal()
            _ = try run(arguments + [english], in: scratch, status: 0, standardError: terminal.terminal)
            let shown = terminal.output()
            XCTAssertTrue(shown.contains("\(label): [") && shown.contains("100%") && shown.contains("MB/s") && shown.contains(" left"), "\(arguments): \(shown)")
        }
        let quiet = try run(["count", "-o", "d.sqlite", english], in: scratch, status: 0)
        XCTAssertFalse(quiet.standardError.contains("counting:"), "a short run not on a terminal prints no progress: \(quiet.standardError)")
    }

    func testTheReadmeSetUpLineUpdatesThePackageListsFirst() throws {
        let readme = try String(contentsOfFile: Fixtures.root + "/README.md", encoding: .utf8)
        guard let install = readme.split(separator: "\n").first(where: { $0.contains("apt-get install") }) else {
            return XCTFail("the README has no apt-get install line")
        }
        let update = try XCTUnwrap(install.range(of: "apt-get update"), String(install))
        XCTAssertLessThan(update.lowerBound, try XCTUnwrap(install.range(of: "apt-get install")).lowerBound)
    }
}

/// `text` as a JSON string literal.
private func JSONEncoded(_ text: String) -> String {
    String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
}
