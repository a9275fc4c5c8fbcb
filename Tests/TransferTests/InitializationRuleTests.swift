import Foundation
import Support
import TextProcessing
import Tokenization
@testable import Transfer
import XCTest

/// The hand-computable cases of the reference notes (`transfer-methods-A.md`, section 8.7).
final class InitializationRuleTests: XCTestCase {
    func testMeanWeighsTheThreePartsEqually() throws {
        let (source, expansion) = try ToyExpansion.make()
        let weights = try XCTUnwrap(HeuristicRules(source: source, expansion: expansion).mean(4))
        XCTAssertEqual(weights.map(\.id), [0, 1, 2])
        XCTAssertEqual(weights.map(\.weight), [1.0 / 3, 1.0 / 3, 1.0 / 3])
    }

    func testMergeIsTheBinaryTreeAverage() throws {
        let (source, expansion) = try ToyExpansion.make()
        let weights = try XCTUnwrap(HeuristicRules(source: source, expansion: expansion).merge()[4])
        XCTAssertEqual(weights.map(\.id), [0, 1, 2])
        XCTAssertEqual(weights.map(\.weight), [0.25, 0.25, 0.5])
    }

    func testAlignWeighsSegmentationsByTheirCounts() {
        // Counts {(a, bc): 2, (ab, c): 1} → 2/3·(E(a)+E(bc))/2 + 1/3·(E(ab)+E(c))/2, with a=0, bc=1, ab=2, c=3.
        let weights = HeuristicRules.alignment([[0, 1]: 2, [2, 3]: 1]).sorted
        XCTAssertEqual(weights.map(\.id), [0, 1, 2, 3])
        let expected = [1.0 / 3, 1.0 / 3, 1.0 / 6, 1.0 / 6]
        for (weight, value) in zip(weights.map(\.weight), expected) { XCTAssertEqual(weight, value, accuracy: 1e-15) }
    }

    func testAlignCountsEveryOccurrenceAndSkipsNothingItCannotSee() throws {
        let (source, expansion) = try ToyExpansion.make()
        let initializers = HeuristicRules(source: source, expansion: expansion)
        let aligned = try initializers.align(.lines(["abc abc", "ab"]))
        XCTAssertEqual(aligned[4]?.map(\.id), [0, 1, 2])
        XCTAssertEqual(aligned[4]?.map(\.weight), [1.0 / 3, 1.0 / 3, 1.0 / 3])
        var plans = RowPlans()
        let context = try TransferContext(source: source, sourceRows: 3, target: expansion.tokenizer, expansion: expansion, corpus: .lines(["abc"]))
        try context.plan([3, 4], with: InitializationMethod.heuristic.initializers(), into: &plans)
        XCTAssertEqual([plans[3]?.provenance.method, plans[4]?.provenance.method], [.merge, .align])
    }

    func testAlignSumsSegmentationsInAFixedOrder() {
        // Fifty segmentations sharing ids: summed in the dictionary's order (seeded per process),
        // the last bits of the weights changed from run to run.
        var random = SplitMix64(seed: 7)
        var segmentations: [[TokenID]: Int] = [:]
        while segmentations.count < 50 {
            segmentations[(0..<(2 + Int(random.next() % 3))).map { _ in TokenID(random.next() % 6) }] = 1 + Int(random.next() % 97)
        }
        let total = Double(segmentations.values.reduce(0, +))
        var expected: [TokenID: Double] = [:]
        for (segmentation, count) in segmentations.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            var mean: [TokenID: Double] = [:]
            for id in segmentation { mean[id, default: 0] += 1 / Double(segmentation.count) }
            for (id, weight) in mean { expected[id, default: 0] += weight * (Double(count) / total) }
        }
        let weights = HeuristicRules.alignment(segmentations).sorted
        XCTAssertEqual(weights.map(\.id), expected.keys.sorted())
        XCTAssertEqual(weights.map(\.weight.bitPattern), expected.keys.sorted().map { expected[$0]!.bitPattern })
    }
}
