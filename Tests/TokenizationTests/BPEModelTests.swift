import Foundation
import TextProcessing
import Tokenization
import XCTest

/// Single rules of the BPE model, each checked on a toy vocabulary. The expected results
/// were measured with tokenizers 0.23.3 (see `../shared/reference/tokenizers.md`, section 2).
final class BPEModelTests: XCTestCase {
    func model(_ tokens: [String], merges: [(String, String)], unknown: String? = nil, fuseUnknown: Bool = false,
               byteFallback: Bool = false, ignoreMerges: Bool = false, dropout: Float? = nil) throws -> BPEModel {
        let vocabulary = Vocabulary(tokens.map { Array($0.utf8) })
        return try BPEModel(vocabulary: vocabulary, merges: merges.map { (vocabulary.id(for: $0.0)!, vocabulary.id(for: $0.1)!) },
                            unknownToken: unknown, fuseUnknown: fuseUnknown, byteFallback: byteFallback,
                            ignoreMerges: ignoreMerges, dropout: dropout)
    }

    func tokens(_ model: BPEModel, _ text: String, seed: UInt64 = 0) -> [String] {
        var workspace = BPEWorkspace(seed: seed)
        var result: [ModelToken] = []
        let scalars = text.unicodeScalars.map(\.value)
        scalars.withUnsafeBufferPointer { model.tokenize($0, workspace: &workspace, into: &result) }
        return result.map { model.vocabulary.string(for: $0.id)! }
    }

    func testNewlyFormedPairsCompeteAtOnce() throws {
        let bpe = try model(["a", "aa", "aaa"], merges: [("aa", "a"), ("a", "a")])
        XCTAssertEqual(tokens(bpe, "aaaa"), ["aaa", "a"])
        XCTAssertEqual(tokens(bpe, "aaaaa"), ["aaa", "aa"])
    }

    func testTheLaterOfDuplicateMergesWins() throws {
        let bpe = try model(["a", "b", "c", "ab", "bc"], merges: [("a", "b"), ("b", "c"), ("a", "b")])
        XCTAssertEqual(tokens(bpe, "abc"), ["a", "bc"])
    }

    func testIgnoreMergesEmitsAVocabularyPieceWhole() throws {
        let tokens = ["a", "b", "c", "bc", "abc"]
        XCTAssertEqual(self.tokens(try model(tokens, merges: [("b", "c")]), "abc"), ["a", "bc"])
        XCTAssertEqual(self.tokens(try model(tokens, merges: [("b", "c")], ignoreMerges: true), "abc"), ["abc"])
    }

    func testByteFallbackSpellsUnknownCharactersBeforeMerges() throws {
        let bytes = (0...255).map { BPEModel.byteTokenName(UInt8($0)) }
        let bpe = try model(["<unk>", "a"] + bytes + ["<0xC3><0xA9>"], merges: [("<0xC3>", "<0xA9>")], unknown: "<unk>", byteFallback: true)
        XCTAssertEqual(tokens(bpe, "aé"), ["a", "<0xC3><0xA9>"])
    }

    func testUnknownCharactersFuseOnlyWhenAsked() throws {
        XCTAssertEqual(tokens(try model(["<unk>", "a"], merges: [], unknown: "<unk>"), "xya"), ["<unk>", "<unk>", "a"])
        XCTAssertEqual(tokens(try model(["<unk>", "a"], merges: [], unknown: "<unk>", fuseUnknown: true), "xya"), ["<unk>", "a"])
        XCTAssertEqual(tokens(try model(["a"], merges: []), "xya"), ["a"])
    }

    func testDropoutIsSeededAndOneSkipsEveryMerge() throws {
        // As in Hugging Face, a skipped merge is queued again once a later one is taken,
        // so dropout only removes the merges skipped at the very end.
        let bpe = try model(["a", "b", "c", "ab", "abc"], merges: [("a", "b"), ("ab", "c")], dropout: 0.5)
        let text = String(repeating: "abc", count: 20)
        XCTAssertEqual(tokens(bpe, text, seed: 7), tokens(bpe, text, seed: 7))
        XCTAssertGreaterThan(Set((0..<20).map { tokens(bpe, text, seed: $0) }).count, 1)
        XCTAssertEqual(tokens(try model(["a", "b", "ab"], merges: [("a", "b")], dropout: 1), "abab"), ["a", "b", "a", "b"])
    }

    func testAMergeFormingAMissingTokenIsRefused() {
        XCTAssertThrowsError(try model(["a", "b"], merges: [("a", "b")])) { error in
            XCTAssertTrue("\(error)".contains("missing from the vocabulary"), "\(error)")
        }
    }

    func testVocabularyKeysAreByteExact() {
        var vocabulary = Vocabulary()
        vocabulary.append(Array("\u{E9}".utf8))
        vocabulary.append(Array("e\u{301}".utf8))
        XCTAssertEqual(vocabulary.count, 2)
        XCTAssertEqual(vocabulary.id(for: "e\u{301}"), 1)
        XCTAssertEqual(vocabulary.id(forScalar: 0xE9), 0)
    }
}
