import Foundation
import FuzzSupport
import Support
import Tokenization

/// Tokenizer files of the other formats, told apart by content (GGUF, tiktoken rank files,
/// `vocab.json`): any bytes must load or give an error, never a trap; rank files of any size are
/// also read with cl100k's pattern. A loaded tokenizer encodes and decodes a multilingual text,
/// and its `tokenizer.json` loads again to the same ids.
func fuzzTokenizerFile(_ input: UnsafeRawBufferPointer) -> CInt {
    let path = ScratchFile.write(input, name: "input.tokenizer")
    if let ranks = try? TiktokenRanks(Data(input), path: "input"), let document = try? ranks.document(encoding: anyRanks, path: "input"),
       let tokenizer = try? Tokenizer(json: document, source: "input") {
        check(tokenizer)
    }
    guard let tokenizer = try? Tokenizer(contentsOf: path) else { return 0 }
    check(tokenizer)
    return 0
}

/// An encoding for rank files of any size: cl100k's pattern, no special tokens.
let anyRanks = TiktokenEncoding(name: "fuzz", pattern: TiktokenEncoding.named("cl100k_base")!.pattern, specialTokens: [])

func check(_ tokenizer: Tokenizer) {
    guard let reloaded = try? Tokenizer(json: tokenizer.json, source: "reloaded") else {
        fuzzFailure("the tokenizer.json of a loaded tokenizer does not load")
    }
    for text in sample {
        let ids = try? tokenizer.encode(text).ids
        if let ids {
            _ = tokenizer.decode(ids)
            guard (try? reloaded.encode(text).ids) == ids else { fuzzFailure("the reloaded tokenizer encodes \(text.debugDescription) differently") }
        }
    }
    if let ranks = try? TiktokenRanks(tokenizer) { _ = ranks.data }
}

let sample = ["Hello, world! It's 2026 — naïve café.", "Привет, мир; 東京は晴れ。", "  \t\n  a\u{301}👩‍👩‍👧 <s> </s> <|endoftext|> [CLS]", ""]

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzzTokenizerFile(UnsafeRawBufferPointer(start: data, count: count))
}

runFuzzer()
