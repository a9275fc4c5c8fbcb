import Foundation
import FuzzSupport
import Support
import TextProcessing
import Tokenization

/// The JSON parser, then `tokenizer.json` loading, encoding and decoding: any input must give a
/// value or an error, never a trap. A parsed value written back and parsed again is the same
/// value; a loaded tokenizer encodes and decodes a multilingual text without trapping.
func fuzzJSON(_ input: UnsafeRawBufferPointer) -> CInt {
    let data = Data(input)
    guard let value = try? JSONValue.parse(data, source: "input") else { return 0 }
    guard let reparsed = try? JSONValue.parse(Data(JSONWriter.compact(value).utf8)), reparsed == value else {
        fuzzFailure("a parsed value does not survive writing and parsing again")
    }
    guard let tokenizer = try? Tokenizer(json: value, source: "input") else { return 0 }
    for text in sample {
        if let encoding = try? tokenizer.encode(text) {
            _ = tokenizer.decode(encoding.ids)
            _ = encoding.byteOffsets(in: text)
        }
    }
    _ = tokenizer.decode([0, 1, 2, 3, 255, 256, 1000, 70_000, .max])
    return 0
}

let sample = ["Hello, world! It's 2026 — naïve café.", "Привет, мир; 東京は晴れ。", "مرحبا بالعالم 123", "  \t\n  a\u{301}\u{200D}👩‍👩‍👧 <s> </s> <|endoftext|>", ""]

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzzJSON(UnsafeRawBufferPointer(start: data, count: count))
}

runFuzzer()
