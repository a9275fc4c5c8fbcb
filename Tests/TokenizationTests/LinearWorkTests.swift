import Foundation
@testable import Tokenization
import XCTest

/// Pathological pieces cost work linear in their length: a 1 MB run of one letter (one
/// piece for every golden pre-tokenizer) is merged with at most three heap steps per byte,
/// on the ids path and on the full-encoding path alike, and both give the same ids.
final class LinearWorkTests: XCTestCase {
    func testLongPiecesTakeLinearlyManyMergeSteps() throws {
        let goldens = BPEGoldens.load()
        let length = 1 << 20
        for name in ["trained-llama3", "gpt2"] {
            let tokenizer = try goldens.tokenizer(name)
            for text in [String(repeating: "a", count: length), String(repeating: "the", count: length / 3)] {
                var state = Tokenizer.State()
                let ids = try tokenizer.encodeIDs(text, state: &state)
                XCTAssertLessThanOrEqual(state.workspace.mergeSteps, 3 * length, name)
                if text.hasPrefix("the") {
                    XCTAssertGreaterThan(state.workspace.mergeSteps, 0, "\(name): the long piece went through the heap")
                    XCTAssertLessThan(ids.count, length / 2, "\(name): the letters merged")
                }
                var fresh = Tokenizer.State()
                XCTAssertEqual(try tokenizer.encode(text, addSpecialTokens: false, state: &fresh).ids, ids, name)
                XCTAssertLessThanOrEqual(fresh.workspace.mergeSteps, 3 * length, name)
            }
        }
    }
}
