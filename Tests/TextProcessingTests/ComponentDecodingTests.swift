import Foundation
import Support
import TextProcessing
import XCTest

final class ComponentDecodingTests: XCTestCase {
    private func decodeError(_ json: String, preTokenizer: Bool = false) -> String {
        do {
            let node = JSONNode(try JSONValue.parse(Data(json.utf8)), path: "tokenizer.json:normalizer")
            if preTokenizer {
                _ = try ComponentDecoding.preTokenizer(node)
            } else {
                _ = try ComponentDecoding.normalizer(node)
            }
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testUnknownTypeNamesItsJSONPath() {
        XCTAssertEqual(decodeError(#"{"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Bogus"}]}"#),
                       #"tokenizer.json:normalizer.normalizers[1].type: unknown normalizer type "Bogus""#)
    }

    func testMissingFieldNamesItsJSONPath() {
        XCTAssertEqual(decodeError(#"{"type": "Sequence", "pretokenizers": [{"type": "Split", "behavior": "Isolated"}]}"#, preTokenizer: true),
                       "tokenizer.json:normalizer.pretokenizers[0].pattern: missing field")
    }

    func testWrongTypeAndBadValuesAreNamed() {
        XCTAssertEqual(decodeError(#"{"type": "Strip", "strip_left": "yes"}"#), "tokenizer.json:normalizer.strip_left: expected true or false")
        XCTAssertEqual(decodeError(#"{"type": "Split", "pattern": {"String": " "}, "behavior": "Sideways"}"#, preTokenizer: true),
                       #"tokenizer.json:normalizer.behavior: unknown split behavior "Sideways""#)
        XCTAssertTrue(decodeError(#"{"type": "Replace", "pattern": {"Regex": "(unclosed"}, "content": ""}"#)
            .hasPrefix("tokenizer.json:normalizer.pattern.Regex: invalid regular expression"))
        XCTAssertTrue(decodeError(#"{"type": "Transliterate", "id": "Klingon-Latin"}"#)
            .hasPrefix("tokenizer.json:normalizer.id: unknown ICU transform id"))
    }

    func testInvalidJSONIsRefused() {
        XCTAssertThrowsError(try JSONValue.parse(Data("{\"type\": ".utf8), source: "broken.json")) { error in
            XCTAssertEqual("\(error)", "broken.json:1:10: not valid JSON: unexpected end of input")
        }
    }
}
