import ArgumentParser
import Foundation
import Support
import TextProcessing
import Tokenization

/// `polytoken encode`: one line of ids (or one JSON object) per input line.
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode text with a tokenizer.json: one output line per input line.")

    @Option(help: "The tokenizer.json to encode with.")
    var tokenizer: String

    @Flag(help: "Print a JSON object per line with ids, tokens and offsets instead of space-separated ids.")
    var json = false

    @Flag(help: "With --json, give UTF-8 byte offsets instead of character offsets.")
    var byteOffsets = false

    @Flag(help: "Do not add the post-processor's special tokens (such as <s>).")
    var noSpecialTokens = false

    @Option(help: "Seed of BPE-dropout, when the tokenizer.json sets a dropout (line i uses seed + i).")
    var seed: UInt64 = 0

    @Flag(help: "Measure single-thread throughput: load the lines, then time encoding them to ids alone; print MB/s.")
    var benchmark = false

    @Option(help: "What to do with a line that is not valid UTF-8: skip (default) or replace.")
    var onInvalidUtf8: CorpusReader.InvalidUTF8Policy = .skip

    @Argument(help: "Files, directories or .gz files; '-' (default) for standard input. Line endings are not encoded.")
    var paths: [String] = ["-"]

    func run() throws {
        let loading = Date()
        let tokenizer = try Tokenizer(contentsOf: self.tokenizer)
        let reader = CorpusReader(paths: paths, policy: onInvalidUtf8, mode: .line)
        if benchmark {
            print(String(format: "loaded %@ (%d tokens) in %.0f ms", self.tokenizer, tokenizer.vocabularySize,
                         Date().timeIntervalSince(loading) * 1000))
            return try measure(tokenizer, reader)
        }
        var batch: [String] = []
        var linesDone = 0
        var out: [UInt8] = []
        func flush() throws {
            let encodings = try tokenizer.encodeBatch(batch, addSpecialTokens: !noSpecialTokens, seed: seed &+ UInt64(linesDone))
            linesDone += batch.count
            for (text, encoding) in zip(batch, encodings) {
                if json {
                    let offsets = byteOffsets ? encoding.byteOffsets(in: text) : encoding.offsets
                    let object: JSONValue = .object([
                        JSONMember("ids", .array(encoding.ids.map { .number(Double($0)) })),
                        JSONMember("tokens", .array(encoding.tokens.map { .string($0) })),
                        JSONMember("offsets", .array(offsets.map { .array([.number(Double($0.lowerBound)), .number(Double($0.upperBound))]) })),
                    ])
                    out.append(contentsOf: JSONWriter.compact(object).utf8)
                } else {
                    out.append(contentsOf: encoding.ids.map(String.init).joined(separator: " ").utf8)
                }
                out.append(0x0A)
            }
            FileHandle.standardOutput.write(Data(out))
            out.removeAll(keepingCapacity: true)
            batch.removeAll(keepingCapacity: true)
        }
        let summary = try reader.forEachDocument { line, _ in
            batch.append(line.withoutLineEnding)
            if batch.count == 4096 { try flush() }
        }
        try flush()
        warn(about: summary)
    }

    private func measure(_ tokenizer: Tokenizer, _ reader: CorpusReader) throws {
        var lines: [String] = []
        let summary = try reader.forEachDocument { line, _ in lines.append(line) }
        var state = Tokenizer.State()
        var tokens = 0
        let started = Date()
        for line in lines { tokens += try tokenizer.encodeIDs(line, state: &state).count }
        let seconds = Date().timeIntervalSince(started)
        print(String(format: "%.1f MB, %d tokens in %.2f s: %.2f MB/s", Double(summary.bytes) / 1e6, tokens, seconds,
                     Double(summary.bytes) / 1e6 / seconds))
    }
}
