import Foundation
import Tensors
import Tokenization
@testable import Transfer
import XCTest

/// A quantized static-model vocabulary extended by hand-computable tokens.
final class QuantizedVocabularyRowsTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("polytoken-quantized-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// Clusters (I8) [[10, -20], [100, 50]]; tokens 0, 1 in cluster 0 with weights 1, 3, token 2
    /// in cluster 1 with weight 0.5.
    func source(mapping: [Int64] = [0, 0, 1]) throws -> QuantizedVocabulary {
        let clusters: [Int8] = [10, -20, 100, 50]
        let weights: [Float] = [1, 3, 0.5]
        try clusters.withUnsafeBytes { clusterBytes in
            try mapping.withUnsafeBytes { mappingBytes in
                try SafetensorsWriter.write([
                    .init(name: "embeddings", dtype: .i8, shape: [2, 2], content: .bytes(clusterBytes)),
                    .init(name: "mapping", dtype: .i64, shape: [3], content: .bytes(mappingBytes)),
                    .init(name: "weights", dtype: .f32, shape: [3], content: .floats(weights)),
                ], to: directory.appendingPathComponent("model.safetensors").path)
            }
        }
        guard let vocabulary = try QuantizedVocabulary(checkpoint: Checkpoint(directory: directory.path)) else {
            throw TensorError(directory.path, "no quantized vocabulary found")
        }
        return vocabulary
    }

    func testNewTokensShareAClusterOrGetARequantizedOne() throws {
        let vocabulary = try source()
        XCTAssertEqual(vocabulary.vector(of: 1), [30, -60])
        let groups: [Int: [(id: TokenID, weight: Double)]] = [
            3: [(2, 1)],
            4: [(0, 0.5), (1, 0.5)],
            5: [(0, 0.5), (2, 0.5)],
        ]
        let tensors = try QuantizedVocabularyRows(source: vocabulary).rebuilt(rows: 6) { groups[$0] }
        XCTAssertEqual(tensors["embeddings"]?.shape, [3, 2])
        XCTAssertEqual(tensors["mapping"]?.shape, [6])
        let clusters = tensors["embeddings"]!.bytes.buffer.bindMemory(to: Int8.self)
        let mapping = tensors["mapping"]!.bytes.buffer.bindMemory(to: Int64.self)
        let weights = tensors["weights"]!.bytes.buffer.bindMemory(to: Float.self)
        XCTAssertEqual(Array(clusters.prefix(4)), [10, -20, 100, 50], "source clusters are kept")
        XCTAssertEqual(Array(mapping), [0, 0, 1, 1, 0, 2])
        // Token 3 copies token 2; token 4 stays in cluster 0 with weight (1 + 3) / 2.
        XCTAssertEqual(Array(weights.prefix(5)), [1, 3, 0.5, 0.5, 2])
        // Token 5 = (0.5 · [10, -20] + 0.5 · 0.5 · [100, 50]) = [30, 2.5]: scale 30 / 127.
        XCTAssertEqual(Array(clusters[4...]), [127, 11])
        XCTAssertEqual(weights[5], Float(30.0 / 127))
    }

    func testOnlyTransMIAcceptsAQuantizedVocabulary() throws {
        _ = try source()
        try Data(#"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 2}, "merges": []}}"#.utf8)
            .write(to: directory.appendingPathComponent("tokenizer.json"))
        try Data(#"{"normalize": true, "vocabulary_quantization": 2}"#.utf8).write(to: directory.appendingPathComponent("config.json"))
        XCTAssertEqual(try SourceModel(directory: directory.path, inputTensor: nil, headTensor: nil, acceptsQuantized: true).rows, 3)
        XCTAssertThrowsError(try SourceModel(directory: directory.path, inputTensor: nil, headTensor: nil)) { error in
            XCTAssertTrue("\(error)".contains("supported by transmi only"), "\(error)")
        }
    }

    func testAMappingOutsideTheClustersIsRefused() throws {
        XCTAssertThrowsError(try source(mapping: [0, 2, 1])) { error in
            XCTAssertTrue("\(error)".contains("token 1 maps to cluster 2"), "\(error)")
        }
    }
}
