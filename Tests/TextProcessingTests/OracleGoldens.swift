import CZlib
import Foundation
import Support
import TextProcessing

/// The golden files written by `tools/oracle/goldens.py` with Hugging Face `tokenizers`.
struct OracleGoldens {
    /// One configuration: a normalizer or pre-tokenizer in its `tokenizer.json` form.
    struct Configuration {
        let name: String
        let isNormalizer: Bool
        let json: JSONNode
    }

    let directory: URL
    let inputs: [String]
    let digested: Int
    let block: Int
    let configurations: [Configuration]

    /// The committed goldens, or those in `$POLYTOKEN_GOLDENS_DIR` (the live oracle check).
    static func load() throws -> OracleGoldens {
        let directory: URL
        if let override = ProcessInfo.processInfo.environment["POLYTOKEN_GOLDENS_DIR"], !override.isEmpty {
            directory = URL(fileURLWithPath: override)
        } else {
            directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")
        }
        return try OracleGoldens(directory: directory)
    }

    init(directory: URL) throws {
        self.directory = directory
        let catalogURL = directory.appendingPathComponent("configurations.json")
        let catalog = JSONNode(try JSONValue.parse(try Data(contentsOf: catalogURL)), path: "configurations.json")
        digested = try catalog.member("digested").int()
        block = try catalog.member("block").int()
        configurations = try catalog.member("configurations").members().sorted { $0.key < $1.key }.map { name, entry in
            return Configuration(name: name, isNormalizer: try entry.member("kind").string() == "normalizer",
                                 json: try entry.member("json"))
        }
        inputs = try Self.readLines(directory.appendingPathComponent("inputs.jsonl.gz")).map { line in
            guard case .string(let text) = try JSONValue.parse(Data(line.utf8)) else { fatalError("input is not a string") }
            return text
        }
        let expectedCount = try catalog.member("inputs").int()
        precondition(inputs.count == expectedCount, "inputs.jsonl.gz is incomplete")
    }

    /// The lines of a gzip file, read with Polytoken's own corpus reader.
    static func readLines(_ url: URL) throws -> [String] {
        var lines: [String] = []
        try CorpusReader(paths: [url.path]).forEachDocument { line, _ in
            lines.append(line.hasSuffix("\n") ? String(line.dropLast()) : line)
        }
        return lines
    }

    /// The CRC-32 digests of the corpus blocks of one configuration.
    func digests(_ configuration: Configuration) throws -> [UInt32] {
        let url = directory.appendingPathComponent("\(configuration.name).crc.txt")
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { UInt32($0, radix: 16)! }
    }

    /// The oracle's full results for the inputs after the digested ones.
    func fullResults(_ configuration: Configuration) throws -> [JSONValue] {
        try Self.readLines(directory.appendingPathComponent("\(configuration.name).jsonl.gz")).map {
            try JSONValue.parse(Data($0.utf8))
        }
    }
}

/// A result of Polytoken's pipeline in the goldens' forms.
enum GoldenResult: Equatable, CustomStringConvertible {
    case normalized(String)
    case pieces([(String, Int, Int)])

    static func == (a: GoldenResult, b: GoldenResult) -> Bool { a.description == b.description }

    /// The oracle's JSON form of a result.
    init(json: JSONValue) {
        switch json {
        case .string(let string):
            self = .normalized(string)
        case .array(let pieces):
            self = .pieces(pieces.map { piece in
                guard case .array(let parts) = piece, case .string(let text) = parts[0],
                      case .number(let start) = parts[1], case .number(let end) = parts[2] else { fatalError("bad golden piece") }
                return (text, Int(start), Int(end))
            })
        default:
            fatalError("bad golden value")
        }
    }

    /// The canonical text the digests are computed over (see `tools/oracle/goldens.py`).
    var canonical: String {
        switch self {
        case .normalized(let string):
            return string
        case .pieces(let pieces):
            return pieces.map { "\($0.0)\u{1F}\($0.1)\u{1F}\($0.2)\u{1E}" }.joined()
        }
    }

    var description: String {
        switch self {
        case .normalized(let string): return string.debugDescription
        case .pieces(let pieces): return pieces.map { "\($0.0.debugDescription)@\($0.1)..<\($0.2)" }.joined(separator: " ")
        }
    }

    /// CRC-32 of a block of results, chained as the generator does.
    static func digest(_ results: [GoldenResult]) -> UInt32 {
        var crc: UInt32 = 0
        for result in results {
            let bytes = Array((result.canonical + "\u{1D}").utf8)
            crc = bytes.withUnsafeBufferPointer { pt_crc32(crc, $0.baseAddress, $0.count) }
        }
        return crc
    }
}
