import Foundation
import TextProcessing
import XCTest

/// The Precompiled normalizer's rules on a hand-built charsmap with one rule, `a` → `b`.
final class PrecompiledTests: XCTestCase {
    /// A Darts-clone double array holding the key "a" with value 0, then the replacement "b\0".
    static let charsmap: String = {
        var units = [UInt32](repeating: 0, count: 98)
        units[97] = 97 | 1 << 8 | 1 << 10  // label 'a', has a leaf, offset 1: the leaf is at 97 ^ 1
        units[96] = 1 << 31                 // the leaf: value 0, the offset of "b" in the strings
        var bytes = withUnsafeBytes(of: UInt32(units.count * 4).littleEndian, Array.init)
        for unit in units { bytes += withUnsafeBytes(of: unit.littleEndian, Array.init) }
        bytes += Array("b\0".utf8)
        return Data(bytes).base64EncodedString()
    }()

    func testRulesApplyPerGraphemeAndKeepAlignments() throws {
        let normalizer = try Precompiled(base64: Self.charsmap)
        var text = NormalizedString("xay")
        normalizer.normalize(&text)
        XCTAssertEqual(text.string, "xby")
        XCTAssertEqual(text.alignments, [0..<1, 1..<2, 2..<3])
        // A short grapheme whose prefix has a rule is replaced whole, mark included, as in
        // Hugging Face: the new scalar takes the alignment of the first one it replaces.
        text = NormalizedString("a\u{301}c")
        normalizer.normalize(&text)
        XCTAssertEqual(text.string, "bc")
        XCTAssertEqual(text.alignments, [0..<1, 2..<3])
    }

    func testAMalformedCharsmapIsRefused() {
        XCTAssertThrowsError(try Precompiled(base64: "not base64!"))
        XCTAssertThrowsError(try Precompiled(base64: Data([8, 0, 0, 0, 1]).base64EncodedString()))
    }
}
