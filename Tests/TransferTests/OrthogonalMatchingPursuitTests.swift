@testable import Transfer
import Support
import XCTest

/// Orthogonal Matching Pursuit on cases with known answers.
final class OrthogonalMatchingPursuitTests: XCTestCase {
    let source = Matrix(rows: 4, width: 2, values: [1, 0, 0, 1, 2, 2, 5, 5])

    func testAnExactSparseCombinationIsFoundAndCarriedOver() throws {
        // Target = 2·a1 − 0.5·a2 in the helper space; a3 = a1 + a2 is never needed.
        let anchors = Matrix(rows: 4, width: 3, values: [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0])
        let targets = Matrix(rows: 1, width: 3, values: [0, 2, -0.5])
        let result = try OrthogonalMatchingPursuit(atoms: 3).compute(targets: targets, anchorHelperRows: anchors, anchorSourceRows: [source])
        XCTAssertEqual(result.succeeded, [true])
        XCTAssertEqual(result.largestWeights[0].map(\.anchor), [1, 2])
        XCTAssertEqual(result.largestWeights[0][0].weight, 2, accuracy: 1e-12)
        XCTAssertEqual(result.largestWeights[0][1].weight, -0.5, accuracy: 1e-12)
        for (value, expected) in zip(result.rows[0].values, [-1.0, 1.0]) { XCTAssertEqual(value, expected, accuracy: 1e-12) }
    }

    func testTheAtomBudgetAndDependentAnchors() throws {
        // With one atom the target [1, 1, 0] takes a3 = a1 + a2 (the largest correlation);
        // with more, a1 and a2 are combinations of a3 and each other and add nothing.
        let anchors = Matrix(rows: 4, width: 3, values: [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0])
        let targets = Matrix(rows: 2, width: 3, values: [1, 1, 0, 0, 0, 0])
        for atoms in [1, 4] {
            let result = try OrthogonalMatchingPursuit(atoms: atoms, blockSize: 1).compute(targets: targets, anchorHelperRows: anchors, anchorSourceRows: [source])
            XCTAssertEqual(result.succeeded, [true, false], "\(atoms)")
            XCTAssertEqual(result.largestWeights[0].map(\.anchor), [3])
            for (value, expected) in zip(result.rows[0].values, [5.0, 5.0, 0, 0]) { XCTAssertEqual(value, expected, accuracy: 1e-12) }
        }
    }
}
