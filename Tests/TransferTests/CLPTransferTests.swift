@testable import Transfer
import Support
import XCTest

/// CLP-Transfer's weights on generated cases with known answers (`transfer-methods-A.md`, 8.7).
final class CLPTransferTests: XCTestCase {
    let anchors = Matrix(rows: 3, width: 3, values: [1, 0, 0, 0, 1, 0, 0, 0, 1])
    let source = Matrix(rows: 3, width: 2, values: [1, 0, 0, 1, 2, 2])

    func testRatioWeightsFollowTheSimilarities() throws {
        // cos(t, anchors) ∝ (0.5, 0.25, 0.25) → weights (0.5, 0.25, 0.25).
        let targets = Matrix(rows: 2, width: 3, values: [0.5, 0.25, 0.25, 2, 1, 1])
        let result = try CLPTransfer(blockSize: 1).compute(targets: targets, anchorHelperRows: anchors, anchorSourceRows: [source])
        XCTAssertEqual(result.succeeded, [true, true])
        for (value, expected) in zip(result.rows[0].values, [1.0, 0.75, 1.0, 0.75] as [Double]) { XCTAssertEqual(value, expected, accuracy: 1e-6) }
        XCTAssertEqual(result.largestWeights[0].map(\.anchor), [0, 1, 2])
        XCTAssertEqual(result.largestWeights[0][0].weight, 0.5, accuracy: 1e-12)
    }

    func testSimilaritiesSummingToZeroFail() throws {
        let targets = Matrix(rows: 1, width: 3, values: [1, -1, 0])
        let result = try CLPTransfer().compute(targets: targets, anchorHelperRows: anchors, anchorSourceRows: [source])
        XCTAssertEqual(result.succeeded, [false])
        XCTAssertEqual(result.rows[0].values, [0, 0])
    }

    func testSparsemaxAndTopK() {
        var scratch: [Double] = []
        var values: [Double] = [0.9, 0.5, 0.1]
        XCTAssertTrue(values.withUnsafeMutableBufferPointer { CLPWeighting.sparsemax.apply($0, scratch: &scratch) })
        for (value, expected) in zip(values, [0.7, 0.3, 0] as [Double]) { XCTAssertEqual(value, expected, accuracy: 1e-6) }
        values = [0.2, 0.6, 0.2, 0.2]
        XCTAssertTrue(values.withUnsafeMutableBufferPointer { CLPWeighting.topK(2).apply($0, scratch: &scratch) })
        for (value, expected) in zip(values, [0.25, 0.75, 0, 0] as [Double]) { XCTAssertEqual(value, expected, accuracy: 1e-6) }
    }
}
