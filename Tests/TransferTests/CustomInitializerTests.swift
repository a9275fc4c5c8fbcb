import Foundation
import Support
import TextProcessing
import Tokenization
import Transfer
import XCTest

/// The toy method of the Transfer article: a new token made by a merge whose left part is a
/// source token takes that token's row. It is one type; placing it first in a chain is one line.
struct LeftPartInitializer: RowInitializer {
    func plan(_ ids: [TokenID], in context: TransferContext, into plans: inout RowPlans) throws {
        guard let expansion = context.expansion else { return }
        let wanted = Set(ids)
        for token in expansion.newTokens where wanted.contains(token.id) {
            guard let (left, _) = token.merge, Int(left) < context.sourceRows else { continue }
            plans[token.id] = RowPlan(.copy(left), RowProvenance(.named("left-part"), sources: [(left, 1)]))
        }
    }
}

final class CustomInitializerTests: XCTestCase {
    func testANewInitializerIsOneTypeAndOneLine() throws {
        // Source a, b, c; the expansion adds ab = a + b (3) and abc = ab + c (4).
        let (source, expansion) = try ToyExpansion.make()
        let context = try TransferContext(source: source, sourceRows: 3, target: expansion.tokenizer, expansion: expansion, corpus: .lines(["abc"]))

        var initializers = try InitializationMethod.heuristic.initializers()
        initializers.insert(LeftPartInitializer(), at: 0)
        var plans = RowPlans()
        try context.plan([3, 4], with: initializers, into: &plans)

        // ab's left part is the source token a; abc's is the new token ab, so the chain goes on to Align.
        guard case .copy(0)? = plans[3]?.values else { return XCTFail("ab: \(String(describing: plans[3]?.values))") }
        XCTAssertEqual(plans[3]?.provenance.method.label, "left-part")
        XCTAssertEqual(plans[4]?.provenance.method, .align)
        XCTAssertEqual(plans[4]?.provenance.sources.map(\.id), [0, 1, 2])
    }
}
