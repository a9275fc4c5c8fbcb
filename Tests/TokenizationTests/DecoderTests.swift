import Tokenization
import XCTest

/// Single rules of the decoders, as Hugging Face applies them.
final class DecoderTests: XCTestCase {
    func testByteFallbackGivesOneReplacementPerInvalidByte() {
        XCTAssertEqual(ByteFallbackDecoder().decode(["<0xE6>", "<0x97>", "<0xA5>", "a", "<0xE6>", "<0x97>"]), "日a\u{FFFD}\u{FFFD}")
    }

    func testByteLevelDecodingIsLossyAndPassesUnknownCharacters() {
        XCTAssertEqual(ByteLevelDecoder().decode(["Ġh", "Ã©"]), " h\u{E9}")
        XCTAssertEqual(ByteLevelDecoder().decode(["Ã"]), "\u{FFFD}")
        XCTAssertEqual(ByteLevelDecoder().decode(["日"]), "日")
    }

    func testStripRemovesAtMostTheGivenCounts() {
        XCTAssertEqual(StripDecoder(content: " ", start: 1, stop: 0).decodeChain(["  a ", " b"]), [" a ", "b"])
    }

    func testMetaspaceDropsTheFirstTokensReplacementsUnlessNever() {
        XCTAssertEqual(MetaspaceDecoder().decode(["▁Hey", "▁▁you"]), "Hey  you")
        XCTAssertEqual(MetaspaceDecoder(prependScheme: .never).decode(["▁Hey"]), " Hey")
    }
}
