import Foundation
import Tokenization
import XCTest

/// The token strings of an encoding are those `tokenizers` 0.23.3 gives: a byte-fallback token
/// that is also an added token is its `<0xNN>` entry, not the byte's text; a Unigram unknown
/// token is the normalized text it covers (here reordered by the normalizer), not `<unk>`.
final class TokenStringTests: XCTestCase {
    /// The scalars of each token: `String` equality is canonical equivalence, too loose here.
    private func scalars(_ tokens: [String]) -> [[UInt32]] { tokens.map { $0.unicodeScalars.map(\.value) } }

    func testByteFallbackTokenThatIsAnAddedTokenIsItsEntry() throws {
        let encoding = try BPEGoldens.load().tokenizer("trained-sentencepiece").encode("\r\n")
        XCTAssertEqual(encoding.ids, [1, 683, 16, 259])
        XCTAssertEqual(scalars(encoding.tokens), scalars(["<s>", "\u{2581}", "<0x0D>", "\n"]))
    }

    func testUnigramUnknownTokenIsTheNormalizedTextItCovers() throws {
        let tokenizer = try BPEGoldens.load().tokenizer("unigram")
        let short = try tokenizer.encode("\r\n")
        XCTAssertEqual(short.ids, [1, 0, 2])
        XCTAssertEqual(scalars(short.tokens), scalars(["\u{2581}", "\r", "\n"]))
        let text = "\u{416}\u{301}\u{20D0}\u{302}\u{5D0}\u{FE0F}\u{1F3FB}\u{591}\u{591}\u{3B1}\u{94D}\u{E48}\u{FE0F}\u{93C}E\u{94D}\u{20E3}k\u{627}\u{E48}\u{1DC0}"
        let encoding = try tokenizer.encode(text)
        XCTAssertEqual(encoding.ids, [1, 2999, 0, 43, 136, 7514, 0, 7985, 92, 136, 0, 199, 87, 7514, 0])
        XCTAssertEqual(scalars(encoding.tokens), scalars([
            "\u{2581}", "\u{416}", "\u{301}\u{20D0}\u{302}\u{5D0}\u{FE0F}\u{1F3FB}\u{591}\u{591}", "\u{3B1}", "\u{94D}", "\u{E48}",
            "\u{FE0F}", "\u{93C}", "E", "\u{94D}", "\u{20E3}", "k", "\u{627}", "\u{E48}", "\u{1DC0}",
        ]))
    }
}
