import Alignment
import Foundation
import Support
import TextProcessing
import Tokenization
@testable import Transfer
import XCTest

/// The trans-tokenization recipe on hand-computable tables.
final class TokenMappingTests: XCTestCase {
    func tokenizer(_ vocab: String) throws -> Tokenizer {
        try Tokenizer(json: JSONValue.parse(Data(#"{"model": {"type": "BPE", "vocab": {\#(vocab)}, "merges": []}}"#.utf8)))
    }

    func testAWordPairIsSpreadHalfUniformlyHalfAlongTheStretch() throws {
        let source = try tokenizer(#""a": 0, "b": 1"#), target = try tokenizer(#""x": 0, "y": 1, "z": 2, "w": 3"#)
        let alignment = AlignmentStore.Contents(
            sourceUnits: [.init(tokens: [0, 1], text: "a b")], targetUnits: [.init(tokens: [0, 1, 2], text: "x y z"), .init(tokens: [3], text: "w")],
            pairs: [.init(source: 0, target: 0, count: 30.9, probability: 1), .init(source: 0, target: 1, count: 9.99, probability: 1)],
            settings: [])
        let mapping = try TokenMapping(alignment: alignment, source: source, sourceRoles: .init(tokens: [:]),
                                       target: target, targetRoles: .init(tokens: [:]))
        // Count 30 → half 15: all-to-all gives ⌊15/2⌋ = 7 per pair; the stretch a a a b b b / x x y y z z gives 7 per position.
        func weights(_ id: Int) -> [TokenID: Double] { Dictionary(uniqueKeysWithValues: mapping.weights[id].map { ($0.id, $0.weight) }) }
        XCTAssertEqual(weights(0), [0: 21.0 / 28, 1: 7.0 / 28])
        XCTAssertEqual(weights(1), [0: 0.5, 1: 0.5])
        XCTAssertEqual(weights(2), [0: 7.0 / 28, 1: 21.0 / 28])
        XCTAssertEqual(mapping.kinds[0], .aligned)
        // w's only pair counts 9, under the minimum of 10: w has no aligned source.
        XCTAssertEqual(mapping.kinds[3], .unmapped)
    }

    func testAnUnalignedTokenBorrowsFromTheTokensItContains() throws {
        let source = try tokenizer(#""a": 0, "b": 1"#), target = try tokenizer(#""x": 0, "y": 1, "xy": 2"#)
        let alignment = AlignmentStore.Contents(
            sourceUnits: [.init(tokens: [0], text: "a"), .init(tokens: [1], text: "b")],
            targetUnits: [.init(tokens: [0], text: "x"), .init(tokens: [1], text: "y")],
            pairs: [.init(source: 0, target: 0, count: 10, probability: 1), .init(source: 1, target: 1, count: 40, probability: 1)],
            settings: [])
        let mapping = try TokenMapping(alignment: alignment, source: source, sourceRoles: .init(tokens: [:]),
                                       target: target, targetRoles: .init(tokens: [:]))
        // xy contains x and y; each gives its sources 1000 · c / total (no word-start marker): 1000 each.
        XCTAssertEqual(mapping.kinds[2], .smoothed)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: mapping.weights[2].map { ($0.id, $0.weight) }), [0: 0.5, 1: 0.5])
    }

    func testLlamaWordsGroupSubwordTokens() throws {
        var text = ""
        let path = TransliterationMergeTests.root.appendingPathComponent("Tests/TokenizationTests/Goldens/tokenizers/llama2.json.gz").path
        try CorpusReader(paths: [path], mode: .file).forEachDocument { document, _ in text = document }
        let tokenizer = try Tokenizer(json: JSONValue.parse(Data(text.utf8)))
        let segmentation = try WordSegmentation(tokenizer: tokenizer)
        XCTAssertEqual(segmentation.wordStart, "\u{2581}")
        XCTAssertEqual(segmentation.continuation, "")
        let ids = try tokenizer.encode("Hello worldly friends, 2024!", addSpecialTokens: false).ids
        var words: [String] = []
        segmentation.forEachWord(in: ids) { words.append(tokenizer.decode(Array(ids[$0])).trimmingCharacters(in: CharacterSet.whitespaces)) }
        XCTAssertEqual(words.filter { $0.contains(where: \.isLetter) }, ["Hello", "worldly", "friends"])
        XCTAssertTrue(words.contains(","))
    }
}
