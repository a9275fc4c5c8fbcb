import Foundation
import Support
import Tensors
import Transfer
import XCTest

/// CLP-Transfer in replacement mode on a generated pair of models with known answers.
final class ModelReplacementTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("polytoken-clp-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    func model(_ name: String, tokenizer: String, tensor: String, rows: Int, width: Int, values: [Float]) throws -> String {
        let directory = scratch.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(tokenizer.utf8).write(to: directory.appendingPathComponent("tokenizer.json"))
        try Data(#"{"model_type": "llama", "vocab_size": \#(rows), "tie_word_embeddings": true}"#.utf8)
            .write(to: directory.appendingPathComponent("config.json"))
        try SafetensorsWriter.write([.init(name: tensor, dtype: .f32, shape: [rows, width], content: .floats(values))],
                                    to: directory.appendingPathComponent("model.safetensors").path)
        return directory.path
    }

    func testKnownRowsAndCopies() throws {
        // Source: a, b, c with rows (1,0), (0,1), (2,2). Helper (WordPiece): c, a, b, x, y in its own
        // 3-dimensional space, where x is similar to a, b, c as (0.5, 0.25, 0.25) and y to none.
        let source = try model("source", tokenizer: #"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 2}, "merges": []}}"#,
                               tensor: "model.embed_tokens.weight", rows: 3, width: 2, values: [1, 0, 0, 1, 2, 2])
        let helper = try model("helper", tokenizer: #"{"model": {"type": "WordPiece", "vocab": {"c": 0, "a": 1, "b": 2, "x": 3, "y": 4}}}"#,
                               tensor: "embeddings.word_embeddings.weight", rows: 5, width: 3,
                               values: [0, 0, 1, 1, 0, 0, 0, 1, 0, 0.5, 0.25, 0.25, 1, -1, 0])
        let output = scratch.appendingPathComponent("out").path
        let report = try ModelTransform.helperTransfer(directory: source, helper: HelperModel(directory: helper, matching: .exact))
            .run(into: AtomicOutput(output, kind: .directory, replacing: false))
        XCTAssertEqual([report.methods[.copy], report.methods[.clp], report.methods[.random], report.rows], [3, 1, 1, 5])
        let result = try SafetensorsFile(path: output + "/model.safetensors")
        let rows = try result.floats(of: result.tensor("model.embed_tokens.weight")!)
        XCTAssertEqual(Array(rows[0..<6]), [2, 2, 1, 0, 0, 1], "c, a, b copy their source rows")
        XCTAssertEqual(rows[6], 1, accuracy: 1e-6)
        XCTAssertEqual(rows[7], 0.75, accuracy: 1e-6)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output + "/tokenizer.json")),
                       try Data(contentsOf: URL(fileURLWithPath: helper + "/tokenizer.json")))
        let records = try ProvenanceStore.read(output + "/provenance.sqlite")
        XCTAssertEqual(records.map(\.method), ["copy", "copy", "copy", "clp", "random"])
        XCTAssertEqual(records[3].sources.map(\.id), [0, 1, 2])
    }

    func testAHelperSharingNoTokenIsRefused() throws {
        let source = try model("source", tokenizer: #"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}}"#,
                               tensor: "model.embed_tokens.weight", rows: 1, width: 2, values: [1, 0])
        let helper = try model("helper", tokenizer: #"{"model": {"type": "WordPiece", "vocab": {"z": 0}}}"#,
                               tensor: "embeddings.word_embeddings.weight", rows: 1, width: 2, values: [1, 0])
        let output = scratch.appendingPathComponent("out").path
        XCTAssertThrowsError(try ModelTransform.helperTransfer(directory: source, helper: HelperModel(directory: helper, matching: .exact))
            .run(into: AtomicOutput(output, kind: .directory, replacing: false))) { error in
            XCTAssertTrue("\(error)".contains("shares no token"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: output))
    }
}
