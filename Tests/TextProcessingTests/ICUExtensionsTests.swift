import TextProcessing
import XCTest

/// The ICU features beyond the Hugging Face set, checked on real text from `corpora-samples/`.
final class ICUExtensionsTests: XCTestCase {
    private func firstLine(_ file: String) throws -> String {
        let text = try String(contentsOfFile: corpusPath(file), encoding: .utf8)
        return String(text.split(separator: "\n")[0])
    }

    func testWordBoundarySplitsThaiAndJapaneseIntoDictionaryWords() throws {
        let words = try WordBoundary(behavior: .removed)
        let thai = "การคัดลอกหรือย้ายเนื้อหาเอกสาร"  // from parallel/en-th.tsv
        XCTAssertEqual(try words.preTokenize(thai).map(\.text), ["การ", "คัด", "ลอก", "หรือ", "ย้าย", "เนื้อหา", "เอกสาร"])
        let japanese = try firstLine("monolingual/ja.txt")
        let pieces = try words.preTokenize(japanese)
        XCTAssertGreaterThan(pieces.count, 3)
        XCTAssertEqual(pieces.map(\.text).joined(), japanese.filter { !$0.isWhitespace })
        for piece in pieces {
            XCTAssertEqual(String(japanese.unicodeScalars.dropFirst(piece.offsets.lowerBound).prefix(piece.offsets.count)), piece.text)
        }
    }

    func testWordBoundaryKeepsSpacesWithTheNextWordByDefault() throws {
        XCTAssertEqual(try WordBoundary().preTokenize("one two  three").map(\.text), ["one", " two", "  three"])
    }

    func testTransliterationToLatin() throws {
        let latin = try Transliterate("Any-Latin; Latin-ASCII")
        XCTAssertEqual(try latin.normalize("Привет мир"), "Privet mir")
        XCTAssertEqual(try latin.normalize("Ελληνικά"), "Ellenika")
        var text = NormalizedString("Привет мир")
        latin.normalize(&text)
        XCTAssertEqual(text.alignments.first, 0..<6)
        XCTAssertEqual(text.alignments.last, 7..<10)
    }

    func testNFKCCasefold() throws {
        XCTAssertEqual(try UnicodeNormalizer(.nfkcCasefold).normalize("Straße ＡＢＣ ﬁ\u{00AD}"), "strasse abc fi")
    }

    func testModernModeUsesCurrentUnicodeWhereHuggingFaceKeepsUnicode9() throws {
        // U+1FBF0 SEGMENTED DIGIT ZERO (Unicode 13) has a compatibility mapping to "0".
        XCTAssertEqual(try UnicodeNormalizer(.nfkc).normalize("\u{1FBF0}"), "\u{1FBF0}")
        XCTAssertEqual(try UnicodeNormalizer(.nfkc, mode: .modern).normalize("\u{1FBF0}"), "0")
    }

    func testNormalizationAlignsCharacterByCharacterAsHuggingFace() throws {
        // tokenizers 0.23.3 gives the offsets (0, 1) to "é" composed from "e" + U+0301, and
        // to both scalars decomposed from "é": a composite is aligned with its starter.
        var text = NormalizedString("e\u{301}x\u{AC00}")
        try UnicodeNormalizer(.nfc).normalize(&text)
        XCTAssertEqual(text.string, "\u{E9}x\u{AC00}")
        XCTAssertEqual(text.alignments, [0..<1, 2..<3, 3..<4])
        try UnicodeNormalizer(.nfd).normalize(&text)
        XCTAssertEqual(text.alignments, [0..<1, 0..<1, 2..<3, 3..<4, 3..<4])
    }
}

final class OffsetConversionTests: XCTestCase {
    func testScalarOffsetsConvertToUTF8ByteOffsets() {
        let text = "aé中😀b"
        XCTAssertEqual((0..<1).utf8Offsets(in: text), 0..<1)
        XCTAssertEqual((1..<3).utf8Offsets(in: text), 1..<6)
        XCTAssertEqual((3..<5).utf8Offsets(in: text), 6..<11)
        XCTAssertEqual((5..<5).utf8Offsets(in: text), 11..<11)
    }
}
