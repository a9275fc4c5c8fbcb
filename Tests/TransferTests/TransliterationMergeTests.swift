import Foundation
import Support
import Tensors
import TextProcessing
import Tokenization
import Transfer
import XCTest

/// TransMI on real tokenizers: the Llama-2 BPE of wordllama (with its embedding slice) and a
/// Unigram tokenizer trained by `tokenizers` on corpora-samples.
final class TransliterationMergeTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("polytoken-transmi-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    func goldenTokenizer(_ name: String) throws -> String {
        var text = ""
        let path = Self.root.appendingPathComponent("Tests/TokenizationTests/Goldens/tokenizers/\(name).json.gz").path
        try CorpusReader(paths: [path], mode: .file).forEachDocument { document, _ in text = document }
        return text
    }

    /// A model directory with a golden tokenizer and, unless given, generated F32 embeddings.
    func model(_ tokenizer: String, rows: Int) throws -> String {
        let directory = scratch.appendingPathComponent("source-\(tokenizer)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(try goldenTokenizer(tokenizer).utf8).write(to: directory.appendingPathComponent("tokenizer.json"))
        try Data(#"{"model_type": "llama", "vocab_size": \#(rows), "tie_word_embeddings": true}"#.utf8).write(to: directory.appendingPathComponent("config.json"))
        if tokenizer == "llama2" {
            try FileManager.default.copyItem(at: Self.root.appendingPathComponent("Tests/TransferTests/Fixtures/wordllama-slice.safetensors"),
                                             to: directory.appendingPathComponent("model.safetensors"))
        } else {
            var random = SplitMix64(seed: 3)
            let values = (0..<(rows * 8)).map { _ in Float(Double(random.next() >> 11) * 0x1p-53 - 0.5) }
            try SafetensorsWriter.write([.init(name: "model.embed_tokens.weight", dtype: .f32, shape: [rows, 8], content: .floats(values))],
                                        to: directory.appendingPathComponent("model.safetensors").path)
        }
        return directory.path
    }

    func lines(_ language: String) throws -> [String] {
        var lines: [String] = []
        try CorpusReader(paths: [Self.root.appendingPathComponent("corpora-samples/monolingual/\(language).txt").path]).forEachDocument { line, _ in
            lines.append(line.withoutLineEnding)
        }
        return lines
    }

    func tokensPerLine(_ tokenizer: Tokenizer, _ lines: [String]) throws -> [[TokenID]] {
        try lines.map { try tokenizer.encode($0, addSpecialTokens: false).ids }
    }

    func check(_ name: String, rows: Int, score: Bool, minimumTokens: Int = 500, compresses: Bool = true) throws {
        let source = try model(name, rows: rows)
        let sourceTokenizer = try Tokenizer(contentsOf: source + "/tokenizer.json")
        let transliterate = try Transliterate("Any-Latin; Latin-ASCII")
        let russian = try lines("ru")
        let transliterated = try russian.map { try transliterate.normalize($0) }
        for mode in TransliterationMerge.Mode.allCases {
            let output = scratch.appendingPathComponent("\(name)-\(mode.rawValue)").path
            let report = try ModelTransform.transMI(directory: source, mode: mode).run(into: AtomicOutput(output, kind: .directory, replacing: false))
            XCTAssertGreaterThan(report.initialized - (report.methods[.transliteration(mode, isPart: true)] ?? 0), minimumTokens, "\(name) \(mode)")
            let expanded = try Tokenizer(contentsOf: output + "/tokenizer.json")
            let unigram = sourceTokenizer.model as? UnigramModel
            let expandedUnigram = expanded.model as? UnigramModel
            for record in try ProvenanceStore.read(output + "/provenance.sqlite") where record.method != "transmi-part" {
                let group = record.sources.map(\.id)
                let scores = group.map { unigram?.scores[$0] ?? -Double($0) }
                switch mode {
                case .max: XCTAssertEqual(scores.count, 1); XCTAssertEqual(record.sources[0].weight, 1)
                case .min: XCTAssertEqual(scores.count, 1)
                case .average: XCTAssertTrue(record.sources.allSatisfy { abs($0.weight - 1 / Double(group.count)) < 1e-12 })
                }
                if score, let expandedUnigram, mode == .average {
                    XCTAssertEqual(expandedUnigram.scores[record.id], scores.reduce(0, +) / Double(scores.count), accuracy: 1e-9)
                }
            }
            let before = try tokensPerLine(sourceTokenizer, transliterated).map(\.count).reduce(0, +)
            let after = try tokensPerLine(expanded, transliterated).map(\.count).reduce(0, +)
            XCTAssertLessThanOrEqual(after, before, "\(name) \(mode): transliterated Russian needs no more tokens")
            if compresses { XCTAssertLessThan(after, before, "\(name) \(mode): transliterated Russian needs fewer tokens") }
            let cyrillic = russian.filter { !$0.unicodeScalars.contains { $0.isASCII && CharacterClass.of($0.value).contains(.letter) } }
            XCTAssertGreaterThan(cyrillic.count, 100)
            XCTAssertEqual(try tokensPerLine(expanded, cyrillic), try tokensPerLine(sourceTokenizer, cyrillic),
                           "\(name) \(mode): text in the original script tokenizes as before")
            let matrix = try SafetensorsFile(path: output + "/model.safetensors")
            let sourceMatrix = try SafetensorsFile(path: source + "/model.safetensors")
            let name = matrix.tensors.first { $0.shape.count == 2 }!.name
            XCTAssertEqual(Array(matrix.bytes(of: matrix.tensor(name)!).prefix(sourceMatrix.tensor(name)!.dataRange.count)),
                           Array(sourceMatrix.bytes(of: sourceMatrix.tensor(name)!)))
        }
    }

    func testUnigramModes() throws { try check("unigram", rows: 8000, score: true) }

    func testBPEModes() throws { try check("llama2", rows: 32000, score: false) }

    /// Byte-level BPE (GPT-2, whose English vocabulary has few whole Cyrillic tokens): pieces
    /// repeat (`aa` = `a` + `a`), which the provenance database refused before their weights
    /// were added into one.
    func testByteLevelBPEModes() throws { try check("gpt2", rows: 50257, score: false, minimumTokens: 40, compresses: false) }

    func testAnUnknownTransformIsRefused() throws {
        let source = try model("unigram", rows: 8000)
        XCTAssertThrowsError(try ModelTransform.transMI(directory: source, mode: .max, transform: "No-Such-Transform")
            .run(into: AtomicOutput(scratch.appendingPathComponent("x").path, kind: .directory, replacing: false))) { error in
            XCTAssertTrue("\(error)".contains("No-Such-Transform"), "\(error)")
        }
    }
}
