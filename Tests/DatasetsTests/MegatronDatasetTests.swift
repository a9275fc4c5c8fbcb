import Datasets
import Foundation
import XCTest

/// Megatron datasets against files megatron-core's own `IndexedDatasetBuilder` wrote
/// (`tools/make_megatron_fixtures.py`): the same documents give the same bytes.
final class MegatronDatasetTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    private var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "polytoken-megatron-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: directory)
    }

    static func documents() throws -> [String: [[UInt32]]] {
        try JSONDecoder().decode([String: [[UInt32]]].self, from: Data(contentsOf: URL(fileURLWithPath: fixtures + "/documents.json")))
    }

    private func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    private func write(_ documents: [[UInt32]], _ dtype: TokenDType, to prefix: String) throws {
        let writer = try MegatronDatasetWriter(prefix: prefix, dtype: dtype, replacing: false)
        for document in documents { try document.withUnsafeBufferPointer { try writer.append(document: $0) } }
        try writer.commit()
        XCTAssertEqual(writer.documentCount, documents.count)
        XCTAssertEqual(writer.tokenCount, documents.reduce(0) { $0 + $1.count })
    }

    func testWriterWritesWhatMegatronsBuilderWrites() throws {
        let documents = try Self.documents()
        for (name, dtype) in [("uint16", TokenDType.uint16), ("int32", .int32), ("part2", .uint16)] {
            let fixture = try XCTUnwrap(documents[name])
            XCTAssertTrue(fixture.contains { $0.isEmpty } && fixture.contains { !$0.isEmpty })
            try write(fixture, dtype, to: directory + "/" + name)
            for suffix in [".bin", ".idx"] {
                XCTAssertEqual(try bytes(directory + "/" + name + suffix), try bytes(Self.fixtures + "/" + name + suffix), name + suffix)
            }
        }
    }

    func testDTypeFollowsMegatronsVocabularyRule() {
        XCTAssertEqual(TokenDType.megatron(vocabularySize: 32_000), .uint16)
        XCTAssertEqual(TokenDType.megatron(vocabularySize: 65_499), .uint16)
        XCTAssertEqual(TokenDType.megatron(vocabularySize: 65_500), .int32)
        XCTAssertEqual(TokenDType.megatron(vocabularySize: 128_256), .int32)
    }

    func testIndexReadsBuilderFiles() throws {
        let documents = try Self.documents()
        for name in ["uint16", "int32", "merged"] {
            let index = try MegatronIndex(prefix: Self.fixtures + "/" + name)
            let expected = name == "merged" ? documents["uint16"]! + documents["part2"]! : documents[name]!
            XCTAssertEqual(index.documentCount, expected.count)
            XCTAssertEqual(index.sequenceCount, expected.filter { !$0.isEmpty }.count)
            XCTAssertEqual(try index.validate(chunk: 7), expected.reduce(0) { $0 + $1.count })
            XCTAssertEqual(index.dtype, name == "int32" ? .int32 : .uint16)
        }
    }

    func testMergeWritesWhatMergeDatasetsWrites() throws {
        let summary = try TokenDatasetMerger.merge(.megatron, inputs: [Self.fixtures + "/uint16", Self.fixtures + "/part2"],
                                                   output: directory + "/merged", replacing: false)
        XCTAssertEqual(summary.documents, 70)
        for suffix in [".bin", ".idx"] {
            XCTAssertEqual(try bytes(directory + "/merged" + suffix), try bytes(Self.fixtures + "/merged" + suffix), suffix)
        }
    }

    func testMergeRefusesMixedIDTypesAndWritesNothing() throws {
        XCTAssertThrowsError(try TokenDatasetMerger.merge(.megatron, inputs: [Self.fixtures + "/uint16", Self.fixtures + "/int32"],
                                                          output: directory + "/merged", replacing: false)) { error in
            XCTAssertTrue("\(error)".contains("int32.idx: has int32 ids"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    }

    /// Copies the `uint16` fixture to the scratch directory, lets `damage` change its index or
    /// data, and returns the error reading or merging it gives.
    private func damagedError(_ damage: (inout [UInt8], inout [UInt8]) -> Void) throws -> String {
        var index = [UInt8](try bytes(Self.fixtures + "/uint16.idx")), data = [UInt8](try bytes(Self.fixtures + "/uint16.bin"))
        damage(&index, &data)
        try Data(index).write(to: URL(fileURLWithPath: directory + "/broken.idx"))
        try Data(data).write(to: URL(fileURLWithPath: directory + "/broken.bin"))
        do {
            _ = try TokenDatasetMerger.merge(.megatron, inputs: [directory + "/broken"], output: directory + "/out", replacing: false)
        } catch {
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/out.idx"))
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/out.bin"))
            return "\(error)"
        }
        XCTFail("the damaged dataset was merged")
        return ""
    }

    func testDamagedDatasetsAreErrorsNamingFileAndField() throws {
        let idx = directory + "/broken.idx", bin = directory + "/broken.bin"
        let cases: [(String, (inout [UInt8], inout [UInt8]) -> Void)] = [
            ("\(idx): too short for a Megatron index header (20 bytes)", { index, _ in index.removeSubrange(20...) }),
            ("\(idx): not a Megatron index (no MMIDIDX header)", { index, _ in index[0] = 0x4E }),
            ("\(idx): version 2, only version 1 is known", { index, _ in index[9] = 2 }),
            ("\(idx): dtype code 6 is not a token id type (8 uint16, 4 int32)", { index, _ in index[17] = 6 }),
            ("\(idx): is 957 bytes; 43 sequences and 50 documents need 958", { index, _ in index.removeLast() }),
            ("\(idx): sequence 0 has length -1", { index, _ in for offset in 34..<38 { index[offset] = 0xFF } }),
            ("\(idx): sequence 1 starts at byte 0 of the .bin", { index, _ in for offset in (34 + 4 * 43 + 8)..<(34 + 4 * 43 + 16) { index[offset] = 0 } }),
            ("\(idx): document index 2 is 0, out of order", { index, _ in
                let start = 34 + 12 * 43 + 16
                for offset in start..<(start + 8) { index[offset] = 0 }
            }),
            ("\(bin): is 1906 bytes; its index describes 954 tokens of 2 bytes", { _, data in data.removeLast(2) }),
        ]
        for (expected, damage) in cases {
            let message = try damagedError(damage)
            XCTAssertTrue(message.hasPrefix(expected), "\(message) (expected \(expected))")
        }
    }

    func testIDTheTypeCannotHoldIsAnErrorAndNothingIsWritten() throws {
        let writer = try MegatronDatasetWriter(prefix: directory + "/big", dtype: .uint16, replacing: false)
        try [1, 2, 3].withUnsafeBufferPointer { try writer.append(document: $0) }
        XCTAssertThrowsError(try [5, 70_000].withUnsafeBufferPointer { try writer.append(document: $0) }) { error in
            XCTAssertEqual("\(error)", "\(directory!)/big.bin: document 1 has id 70000, more than uint16 holds (the vocabulary size given was too small)")
        }
        writer.abandon()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    }

    func testNothingIsVisibleBeforeCommitAndAnExistingDatasetNeedsReplacing() throws {
        let documents = try Self.documents()["uint16"]!
        let writer = try MegatronDatasetWriter(prefix: directory + "/d", dtype: .uint16, replacing: false)
        for document in documents { try document.withUnsafeBufferPointer { try writer.append(document: $0) } }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/d.bin"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/d.idx"))
        try writer.commit()
        XCTAssertThrowsError(try MegatronDatasetWriter(prefix: directory + "/d", dtype: .uint16, replacing: false))
        try write(Array(documents.prefix(3)), .uint16, to: directory + "/e")
        let replacement = try MegatronDatasetWriter(prefix: directory + "/d", dtype: .uint16, replacing: true)
        try documents[0].withUnsafeBufferPointer { try replacement.append(document: $0) }
        replacement.abandon()
        XCTAssertEqual(try bytes(directory + "/d.idx"), try bytes(Self.fixtures + "/uint16.idx"), "an abandoned replacement keeps the old dataset")
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: directory)), ["d.bin", "d.idx", "e.bin", "e.idx"])
    }
}
