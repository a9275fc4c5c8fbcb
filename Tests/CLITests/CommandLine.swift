import Foundation
import GRDB
import Support
import TextProcessing
import XCTest

/// Runs the `polytoken` executable built beside the test bundle (or `POLYTOKEN_BINARY`), in a
/// directory, with a deadline, capturing its output.
enum CommandLineRunner {
    /// What a run printed and returned.
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
        /// Whether it was killed at the deadline.
        var timedOut: Bool
    }

    /// The executable under test.
    static let binary: String = {
        if let override = ProcessInfo.processInfo.environment["POLYTOKEN_BINARY"] { return override }
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return runner.deletingLastPathComponent().appendingPathComponent("polytoken").path
    }()

    /// Runs `polytoken arguments` in `directory`, killing it after `timeout` seconds; standard
    /// input is empty and standard error captured unless `standardInput` or `standardError` is given.
    static func run(_ arguments: [String], in directory: String, timeout: TimeInterval = 120,
                    environment: [String: String] = [:], standardInput: FileHandle? = nil,
                    standardError: FileHandle? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let captures = FileManager.default.temporaryDirectory.appendingPathComponent("polytoken-cli-\(UUID())")
        try FileManager.default.createDirectory(at: captures, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: captures) }
        let outputURL = captures.appendingPathComponent("out"), errorURL = captures.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try standardError ?? FileHandle(forWritingTo: errorURL)
        process.standardInput = standardInput ?? FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                timedOut = true
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      standardOutput: String(decoding: try Data(contentsOf: outputURL), as: UTF8.self),
                      standardError: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self),
                      timedOut: timedOut)
    }
}

/// Every entry under a directory with its content (symbolic links by target, FIFOs and
/// directories by kind), to check that a failed run changed nothing: no output, no temporary,
/// no input touched.
func snapshot(_ directory: String) -> [String: String] {
    var entries: [String: String] = [:]
    func visit(_ path: String, _ relative: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names {
            let full = path + "/" + name, key = relative.isEmpty ? name : relative + "/" + name
            var status = stat()
            guard lstat(full, &status) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                entries[key] = "directory"
                visit(full, key)
            case S_IFLNK:
                entries[key] = "link to " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? "?")
            case S_IFREG:
                let data = (try? Data(contentsOf: URL(fileURLWithPath: full))) ?? Data()
                var hasher = Hasher()
                hasher.combine(data)
                entries[key] = "file of \(data.count) bytes, hash \(hasher.finalize())"
            default:
                entries[key] = "special file"
            }
        }
    }
    visit(directory, "")
    return entries
}

/// The files the hostile cases start from, built once: real tokenizers, a real model directory,
/// a word-count store and an alignment table made by `polytoken` itself.
final class Fixtures: Sendable {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let shared: Fixtures = {
        do { return try Fixtures() } catch { fatalError("cannot build the fixtures: \(error)") }
    }()

    let directory: String
    /// A Llama-2 model directory: tokenizer.json, config.json, model.safetensors (wordllama slice).
    var model: String { directory + "/model" }
    /// A BPE tokenizer.json trained by Hugging Face tokenizers (llama3 preset).
    var tokenizer: String { directory + "/tokenizer.json" }
    /// A Unigram tokenizer.json trained by Hugging Face tokenizers.
    var unigram: String { directory + "/unigram.json" }
    /// Word counts of corpora-samples' English, written by `polytoken count`.
    var counts: String { directory + "/counts.sqlite" }
    /// An alignment table of corpora-samples' en-de pairs, written by `polytoken align`.
    var alignment: String { directory + "/alignment.sqlite" }

    static func sample(_ path: String) -> String { root + "/corpora-samples/" + path }

    private init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("polytoken-fixtures-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory + "/model", withIntermediateDirectories: true)
        let goldens = Self.root + "/Tests/TokenizationTests/Goldens/tokenizers/"
        try Self.gunzip(goldens + "llama2.json.gz", to: model + "/tokenizer.json")
        try Self.gunzip(goldens + "trained-llama3.json.gz", to: tokenizer)
        try Self.gunzip(goldens + "unigram.json.gz", to: unigram)
        try Data(#"{"model_type": "llama", "vocab_size": 32000, "tie_word_embeddings": true, "hidden_size": 16}"#.utf8)
            .write(to: URL(fileURLWithPath: model + "/config.json"))
        try FileManager.default.copyItem(atPath: Self.root + "/Tests/TransferTests/Fixtures/wordllama-slice.safetensors",
                                         toPath: model + "/model.safetensors")
        for (arguments, what) in [
            (["count", "--preset", "llama3", "-o", counts, Self.sample("monolingual/en.txt")], "counts"),
            (["align", "--source-tokenizer", tokenizer, "--target-tokenizer", tokenizer, "--parallel", Self.sample("parallel/en-de.tsv"),
              "--iterations", "2", "-o", alignment], "alignment"),
        ] {
            let result = try CommandLineRunner.run(arguments, in: directory)
            guard result.status == 0 else { throw NSError(domain: "fixtures", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(what): \(result.standardError)"]) }
        }
    }

    private static func gunzip(_ path: String, to destination: String) throws {
        var text = ""
        try CorpusReader(paths: [path], mode: .file).forEachDocument { document, _ in text = document }
        try Data(text.utf8).write(to: URL(fileURLWithPath: destination))
    }
}

/// A case's working directory, with helpers that build hostile inputs from the fixtures.
struct Scratch {
    let directory: String

    /// A new empty directory in the temporary directory, named after `label`.
    static func temporary(_ label: String) throws -> Scratch {
        let scratch = Scratch(directory: FileManager.default.temporaryDirectory.appendingPathComponent("polytoken-\(label)-\(UUID())").path)
        try FileManager.default.createDirectory(atPath: scratch.directory, withIntermediateDirectories: true)
        return scratch
    }

    /// Removes the directory and everything in it.
    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    func path(_ name: String) -> String { directory + "/" + name }

    func write(_ name: String, _ text: String) throws { try write(name, Data(text.utf8)) }

    func write(_ name: String, _ data: Data) throws {
        try FileManager.default.createDirectory(atPath: (path(name) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path(name)))
    }

    func copy(_ source: String, _ name: String) throws {
        try FileManager.default.createDirectory(atPath: (path(name) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: source, toPath: path(name))
    }

    /// A copy of the fixture model as `name`.
    func model(_ name: String = "M") throws { try copy(Fixtures.shared.model, name) }

    /// Rewrites the JSON file `name` through `change`.
    func editJSON(_ name: String, _ change: (inout JSONValue) throws -> Void) throws {
        var value = try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: path(name))))
        try change(&value)
        try write(name, JSONWriter.pretty(value))
    }

    /// A safetensors file whose header is `header` followed by `dataBytes` zero bytes; the header
    /// length field is `length` when given.
    func safetensors(_ name: String, header: String, dataBytes: Int, length: UInt64? = nil) throws {
        var bytes = Data()
        var stored = (length ?? UInt64(header.utf8.count)).littleEndian
        withUnsafeBytes(of: &stored) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: Array(header.utf8))
        bytes.append(Data(count: dataBytes))
        try write(name, bytes)
    }

    /// Runs `statements` on the SQLite file `name`.
    func sql(_ name: String, _ statements: String) throws {
        let queue = try DatabaseQueue(path: path(name))
        try queue.write { try $0.execute(sql: statements) }
        try queue.close()
    }
}

extension JSONValue {
    /// This value with the member at `keys` (object keys, or array indices as decimal strings) set to `value`.
    func setting(_ keys: ArraySlice<String>, to value: JSONValue) -> JSONValue {
        guard let key = keys.first else { return value }
        switch self {
        case .object(var members):
            if let index = members.firstIndex(where: { $0.key == key }) {
                members[index].value = members[index].value.setting(keys.dropFirst(), to: value)
            } else {
                members.append(JSONMember(key, JSONValue.null.setting(keys.dropFirst(), to: value)))
            }
            return .object(members)
        case .array(var elements):
            guard let index = Int(key), elements.indices.contains(index) else { return self }
            elements[index] = elements[index].setting(keys.dropFirst(), to: value)
            return .array(elements)
        default:
            return keys.count == 1 ? .object([JSONMember(key, value)]) : self
        }
    }

    /// Sets the member at the dotted `path`.
    mutating func set(_ path: String, _ value: JSONValue) {
        self = setting(ArraySlice(path.split(separator: ".").map(String.init)), to: value)
    }
}
