import CZlib
import Foundation
import Support
import TextProcessing
import Tokenization
import Training

/// The BPE golden files written by `tools/oracle/bpe_goldens.py` with Hugging Face
/// `tokenizers`: training cases with their vocabulary and merges, and tokenizers with the
/// digests of their encodings of every corpora-samples line. `POLYTOKEN_BPE_GOLDENS_DIR`
/// points the tests at a freshly generated directory instead of the committed one.
struct BPEGoldens {
    static let block = 8
    let directory: URL

    static func load() -> BPEGoldens {
        if let override = ProcessInfo.processInfo.environment["POLYTOKEN_BPE_GOLDENS_DIR"] {
            return BPEGoldens(directory: URL(fileURLWithPath: override))
        }
        return BPEGoldens(directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens"))
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    struct TrainingCase {
        let name: String
        let preset: TrainingPreset
        let vocabularySize: Int
        let files: [String]
        let minimumFrequency: UInt64?
        let maximumTokenLength: Int?

        /// The trainer options of this case.
        var configuration: BPETrainer.Configuration {
            var configuration = BPETrainer.Configuration(vocabularySize: vocabularySize)
            configuration.minimumFrequency = minimumFrequency ?? 0
            configuration.maximumTokenLength = maximumTokenLength
            return configuration
        }
    }

    func trainingCases() throws -> [TrainingCase] {
        let catalog = JSONNode(try JSONValue.parse(Data(contentsOf: directory.appendingPathComponent("training.json"))), path: "training.json")
        return try catalog.member("cases").elements().map { node in
            TrainingCase(name: try node.member("name").string(),
                         preset: TrainingPreset(rawValue: try node.member("preset").string())!,
                         vocabularySize: try node.member("vocab_size").int(),
                         files: try node.member("files").elements().map { Self.repositoryRoot.appendingPathComponent(try $0.string()).path },
                         minimumFrequency: try node.optionalMember("options")?.optionalMember("min_frequency").map { UInt64(try $0.int()) },
                         maximumTokenLength: try node.optionalMember("options")?.optionalMember("max_token_length")?.int())
        }
    }

    /// The expected vocabulary (tokens in id order) and merges of a training case.
    func expectedModel(_ name: String) throws -> (vocabulary: [String], merges: [[String]]) {
        let root = JSONNode(try Self.gunzipJSON(directory.appendingPathComponent("training/\(name).json.gz")), path: name)
        return (try root.member("vocab").elements().map { try $0.string() },
                try root.member("merges").elements().map { try $0.elements().map { try $0.string() } })
    }

    func tokenizerNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("tokenizers").path)
            .filter { $0.hasSuffix(".json.gz") }.map { String($0.dropLast(".json.gz".count)) }.sorted()
    }

    func tokenizer(_ name: String) throws -> Tokenizer {
        try Tokenizer(json: Self.gunzipJSON(directory.appendingPathComponent("tokenizers/\(name).json.gz")), source: name)
    }

    /// Expected digests: file → per block (encoding CRC, decoding CRC).
    func encodingDigests(_ name: String) throws -> [String: [(UInt32, UInt32)]] {
        var digests: [String: [(UInt32, UInt32)]] = [:]
        let text = try String(contentsOf: directory.appendingPathComponent("encodings/\(name).crc.txt"), encoding: .utf8)
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            digests[String(fields[0]), default: []].append((UInt32(fields[2], radix: 16)!, UInt32(fields[3], radix: 16)!))
        }
        return digests
    }

    static func gunzipJSON(_ url: URL) throws -> JSONValue {
        var text = ""
        try CorpusReader(paths: [url.path], mode: .file).forEachDocument { document, _ in text = document }
        return try JSONValue.parse(Data(text.utf8), source: url.lastPathComponent)
    }

    /// The inputs of the digests named `file`: the generated strings for `adversarial`,
    /// otherwise every line of that corpora-samples file.
    func inputs(_ file: String) throws -> [String] {
        guard file == "adversarial" else { return try Self.lines(of: Self.repositoryRoot.appendingPathComponent(file).path) }
        var inputs: [String] = []
        try CorpusReader(paths: [directory.appendingPathComponent("encodings/adversarial.jsonl.gz").path]).forEachDocument { line, _ in
            guard case .string(let text) = try JSONValue.parse(Data(line.utf8)) else { throw ConfigurationError(path: "adversarial", message: "expected a string") }
            inputs.append(text)
        }
        return inputs
    }

    /// Every line of a file, with its line ending, as the oracle split it.
    static func lines(of path: String) throws -> [String] {
        var lines: [String] = []
        try CorpusReader(paths: [path]).forEachDocument { line, _ in lines.append(line) }
        return lines
    }

    static func crc32(_ text: String) -> UInt32 {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { pt_crc32(0, $0.baseAddress, $0.count) }
    }

    /// The blocks of an ids digest file (`source block crc` lines, written by
    /// `tools/oracle/tiktoken_goldens.py` and `sentencepiece_goldens.py`) whose CRC-32 of the ids
    /// of `tokenizer` (no special tokens, one line of space-separated ids per input) differs, as
    /// messages, and the number of blocks checked. `inputs` caches the inputs by source.
    func digestMismatches(_ url: URL, tokenizer: Tokenizer, inputs: inout [String: [String]]) throws -> (mismatches: [String], blocks: Int) {
        let text = try String(contentsOf: url, encoding: .utf8)
        var expected: [String: [UInt32]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            expected[String(fields[0]), default: []].append(UInt32(fields[2], radix: 16)!)
        }
        var mismatches: [String] = []
        var blocks = 0
        for (source, digests) in expected.sorted(by: { $0.key < $1.key }) {
            let lines = try inputs[source] ?? self.inputs(source)
            inputs[source] = lines
            let ids = try tokenizer.encodeBatchIDs(lines, addSpecialTokens: false)
            if digests.count != (lines.count + Self.block - 1) / Self.block {
                mismatches.append("\(source): \(digests.count) digests for \(lines.count) lines")
            }
            for (index, digest) in digests.enumerated() {
                let range = (index * Self.block)..<min(lines.count, (index + 1) * Self.block)
                let joined = ids[range].map { $0.map(String.init).joined(separator: " ") + "\n" }.joined()
                if Self.crc32(joined) != digest { mismatches.append("\(source) lines \(range): ours \(joined.prefix(300))") }
                blocks += 1
            }
        }
        return (mismatches, blocks)
    }

    /// The oracle's canonical form of one encoding: ids, then character offsets.
    static func canonical(_ encoding: Encoding) -> String {
        encoding.ids.map(String.init).joined(separator: " ") + "|"
            + encoding.offsets.map { "\($0.lowerBound):\($0.upperBound)" }.joined(separator: " ") + "\n"
    }
}
