import Datasets
import Foundation
import XCTest

/// The npy layout, as `numpy.load` reads it: a version 1.0 header whose dictionary names the
/// little-endian type and the shape, then the values.
final class NpyDatasetTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "polytoken-npy-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: directory)
    }

    /// The header dictionary and the values of an npy file of `T`s.
    private func read<T: FixedWidthInteger>(_ path: String, as _: T.Type) throws -> (header: String, values: [T]) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(Array(bytes[0..<8]), [0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = Int(bytes[8]) | Int(bytes[9]) << 8
        XCTAssertEqual((10 + length) % 64, 0, "numpy aligns the data to 64 bytes")
        XCTAssertEqual(bytes[10 + length - 1], 0x0A)
        let header = String(decoding: bytes[10..<(10 + length)], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let data = bytes[(10 + length)...]
        XCTAssertEqual(data.count % MemoryLayout<T>.size, 0)
        let values = data.withUnsafeBytes { raw in
            (0..<(data.count / MemoryLayout<T>.size)).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
        }
        return (header, values)
    }

    private func write(_ documents: [[UInt32]], vocabularySize: Int, to prefix: String) throws {
        let writer = try TokenDatasetFormat.npy.writer(prefix: prefix, vocabularySize: vocabularySize, replacing: false)
        for document in documents { try document.withUnsafeBufferPointer { try writer.append(document: $0) } }
        try writer.commit()
    }

    func testTokensAndOffsetsAsNumpyReadsThem() throws {
        let documents = try MegatronDatasetTests.documents()["uint16"]!
        try write(documents, vocabularySize: 32_000, to: directory + "/d")
        let tokens = try read(directory + "/d.tokens.npy", as: UInt16.self)
        XCTAssertEqual(tokens.header, "{'descr': '<u2', 'fortran_order': False, 'shape': (954,), }")
        XCTAssertEqual(tokens.values.map(UInt32.init), documents.flatMap { $0 })
        let offsets = try read(directory + "/d.offsets.npy", as: Int64.self)
        XCTAssertEqual(offsets.header, "{'descr': '<i8', 'fortran_order': False, 'shape': (51,), }")
        XCTAssertEqual(offsets.values, documents.reduce(into: [Int64(0)]) { $0.append($0.last! + Int64($1.count)) })
    }

    func testLargeVocabulariesTakeUInt32() throws {
        let documents = try MegatronDatasetTests.documents()["int32"]!
        try write(documents, vocabularySize: 128_256, to: directory + "/d")
        let tokens = try read(directory + "/d.tokens.npy", as: UInt32.self)
        XCTAssertTrue(tokens.header.hasPrefix("{'descr': '<u4'"))
        XCTAssertEqual(tokens.values, documents.flatMap { $0 })
        XCTAssertTrue(documents.flatMap { $0 }.contains { $0 > 65_535 })
    }

    func testMergeEqualsOneDataset() throws {
        let documents = try MegatronDatasetTests.documents()
        try write(documents["uint16"]!, vocabularySize: 32_000, to: directory + "/a")
        try write([], vocabularySize: 32_000, to: directory + "/empty")
        try write(documents["part2"]!, vocabularySize: 32_000, to: directory + "/b")
        try write(documents["uint16"]! + documents["part2"]!, vocabularySize: 32_000, to: directory + "/whole")
        let summary = try TokenDatasetMerger.merge(.npy, inputs: ["a", "empty", "b"].map { directory + "/" + $0 }, output: directory + "/merged", replacing: false)
        XCTAssertEqual(summary.documents, 70)
        for suffix in [".tokens.npy", ".offsets.npy"] {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: directory + "/merged" + suffix)),
                           try Data(contentsOf: URL(fileURLWithPath: directory + "/whole" + suffix)), suffix)
        }
    }

    func testOffsetsThatDisagreeWithTheTokensAreAnError() throws {
        try write([[1, 2, 3]], vocabularySize: 100, to: directory + "/a")
        try write([[4, 5]], vocabularySize: 100, to: directory + "/b")
        try FileManager.default.removeItem(atPath: directory + "/b.offsets.npy")
        try FileManager.default.copyItem(atPath: directory + "/a.offsets.npy", toPath: directory + "/b.offsets.npy")
        XCTAssertThrowsError(try TokenDatasetMerger.merge(.npy, inputs: [directory + "/a", directory + "/b"], output: directory + "/m", replacing: false)) { error in
            XCTAssertEqual("\(error)", "\(directory!)/b.offsets.npy: runs from 0 to 3, not from 0 to the 2 tokens of \(directory!)/b.tokens.npy")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/m.tokens.npy"))
    }
}
