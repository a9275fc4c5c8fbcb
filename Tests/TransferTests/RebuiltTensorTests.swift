import Foundation
import Tensors
@testable import Transfer
import XCTest

/// Rebuilt vocabulary tensors keep long runs of source rows in the source file.
final class RebuiltTensorTests: XCTestCase {
    func testLongRunsOfSourceRowsStayInTheFileAndTheWrittenBytesAreTheSame() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("polytoken-rebuilt-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // 1,000 rows of 512 F32 values (2 KiB): a run needs 512 rows to stay in the file.
        let (rows, width) = (1000, 512)
        let values = (0..<(rows * width)).map { Float($0 % 9973) * 0.001 }
        let sourcePath = directory.appendingPathComponent("source.safetensors").path
        try SafetensorsWriter.write([.init(name: "e", dtype: .f32, shape: [rows, width], content: .floats(values))], to: sourcePath)
        let file = try SafetensorsFile(path: sourcePath)
        let tensor = try EmbeddingRows(file: file, info: file.tensor("e")!)
        // Rows 0..<700 copied in order (a run kept in the file), row 700 copies row 5 (too short
        // a run), then the rest of the source in order but shorter than a run, then a new row.
        let rebuilt = try tensor.rebuilt(rows: rows + 1, seed: 1) { row in
            switch row {
            case 0..<700: return .copy(row)
            case 700: return .copy(5)
            case rows: return .weights([(id: 1, weight: 0.5), (id: 2, weight: 0.5)])
            default: return .copy(row)
            }
        }
        XCTAssertEqual(rebuilt.shape, [rows + 1, width])
        guard case .source(_, let range)? = rebuilt.parts.first else { return XCTFail("\(rebuilt.parts)") }
        XCTAssertEqual(range.count, 700 * width * 4)
        XCTAssertEqual(rebuilt.parts.count, 2)
        XCTAssertEqual(rebuilt.computed.buffer.count, (rows + 1 - 700) * width * 4)

        let outputPath = directory.appendingPathComponent("output.safetensors").path
        try withExtendedLifetime(rebuilt) {
            try SafetensorsWriter.write([.init(name: "e", dtype: .f32, shape: rebuilt.shape, content: .parts(rebuilt.writerParts))], to: outputPath)
        }
        let output = try SafetensorsFile(path: outputPath)
        let written = try output.floats(of: output.tensor("e")!)
        var expected = Array(values[0..<(700 * width)]) + Array(values[(5 * width)..<(6 * width)]) + Array(values[(701 * width)...])
        expected += (0..<width).map { Float(0.5 * Double(values[width + $0]) + 0.5 * Double(values[2 * width + $0])) }
        XCTAssertEqual(written, expected)
    }
}
