import Foundation
import FuzzSupport
import Support
import Tokenization

/// Tokenizer files of the other formats, told apart by content (SentencePiece models, GGUF,
/// tiktoken rank files, `vocab.json`): any bytes must load or give an error, never a trap; rank
/// files of any size are also read with cl100k's pattern. A loaded tokenizer encodes and decodes
/// a multilingual text, its `tokenizer.json` loads again (to the same ids, except a SentencePiece
/// model's, whose twin may differ where tokenizers cannot follow sentencepiece), and a SentencePiece
/// model written from it reads back.
func fuzzTokenizerFile(_ input: UnsafeRawBufferPointer) -> CInt {
    let path = ScratchFile.write(input, name: "input.tokenizer")
    if let ranks = try? TiktokenRanks(Data(input), path: "input"), let document = try? ranks.document(encoding: anyRanks, path: "input"),
       let tokenizer = try? Tokenizer(json: document, source: "input") {
        check(tokenizer)
    }
    guard let tokenizer = try? Tokenizer(contentsOf: path) else { return 0 }
    check(tokenizer, reloadsAlike: (try? TokenizerFormat.detect(path)) != .sentencePiece)
    return 0
}

/// An encoding for rank files of any size: cl100k's pattern, no special tokens.
let anyRanks = TiktokenEncoding(name: "fuzz", pattern: TiktokenEncoding.named("cl100k_base")!.pattern, specialTokens: [])

func check(_ tokenizer: Tokenizer, reloadsAlike: Bool = true) {
    guard let reloaded = try? Tokenizer(json: tokenizer.json, source: "reloaded") else {
        fuzzFailure("the tokenizer.json of a loaded tokenizer does not load")
    }
    for text in sample {
        let ids = try? tokenizer.encode(text).ids
        if let ids {
            _ = tokenizer.decode(ids)
            guard !reloadsAlike || (try? reloaded.encode(text).ids) == ids else { fuzzFailure("the reloaded tokenizer encodes \(text.debugDescription) differently") }
        }
    }
    if let ranks = try? TiktokenRanks(tokenizer) { _ = ranks.data }
    if let model = try? SentencePieceModelFile(tokenizer, source: "input") {
        guard let data = try? model.data, (try? SentencePieceModelFile(data, path: "written")) != nil else {
            fuzzFailure("a SentencePiece model written from a loaded tokenizer does not read back")
        }
    }
}

let sample = ["Hello, world! It's 2026 — naïve café.", "Привет, мир; 東京は晴れ。", "  \t\n  a\u{301}👩‍👩‍👧 <s> </s> <|endoftext|> [CLS]", ""]

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzzTokenizerFile(UnsafeRawBufferPointer(start: data, count: count))
}

runFuzzer()
