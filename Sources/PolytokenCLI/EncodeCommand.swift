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

    @Option(help: "Keep a binary form of a BPE tokenizer in this directory, named by a hash of the JSON, and load from it when it is there: a large vocabulary then loads without parsing JSON.")
    var tokenizerCache: String?

    @Flag(help: "Print a JSON object per line with ids, tokens and offsets instead of space-separated ids.")
    var json = false

    @Flag(help: "With --json, give UTF-8 byte offsets instead of character offsets.")
    var byteOffsets = false

    @Flag(help: "Do not add the post-processor's special tokens (such as <s>).")
    var noSpecialTokens = false

    @Option(help: "Seed of BPE-dropout, when the tokenizer.json sets a dropout (line i uses seed + i).")
    var seed: UInt64 = 0

    @Flag(help: "Measure throughput: load the lines, then time encoding them exactly as encode does (line endings stripped, special tokens as asked) to ids, on --threads threads; print MB/s.")
    var benchmark = false

    @Option(parsing: .unconditional, help: "Threads for encoding (default: all cores). The output does not depend on it.")
    var threads: Int?

    @Option(help: "What to do with a line that is not valid UTF-8: skip (default) or replace.")
    var onInvalidUtf8: CorpusReader.InvalidUTF8Policy = .skip

    @Argument(help: "Files, directories or .gz files; '-' (default) for standard input. Line endings are not encoded.")
    var paths: [String] = ["-"]

    /// Lines encoded per batch: the unit of work split over the threads.
    static let batchSize = 16384

    func validate() throws {
        try require(threads, in: 1...maximumThreads, "--threads")
    }

    func run() throws {
        let loading = Date()
        let tokenizer = try tokenizerCache.map { try TokenizerCache.load(self.tokenizer, directory: $0) } ?? Tokenizer(contentsOf: self.tokenizer)
        let reader = CorpusReader(paths: paths, policy: onInvalidUtf8, mode: .line)
        let workers = ParallelWorkers(threads: threads) { Tokenizer.State() }
        if benchmark {
            print(String(format: "loaded %@ (%d tokens) in %.0f ms", self.tokenizer, tokenizer.vocabularySize,
                         Date().timeIntervalSince(loading) * 1000))
            return try measure(tokenizer, reader, workers)
        }
        var batch: [String] = []
        var linesDone = 0
        func flush() throws {
            let texts = batch, lineSeed = seed &+ UInt64(linesDone)
            linesDone += batch.count
            let lines: [[UInt8]]
            if json {
                let encodings = try tokenizer.encodeBatch(texts, addSpecialTokens: !noSpecialTokens, seed: lineSeed, workers: workers)
                lines = try workers.map(count: encodings.count) { _, index in format(encodings[index], of: texts[index]) }
            } else {
                let flat = try tokenizer.encodeBatchFlat(texts, addSpecialTokens: !noSpecialTokens, seed: lineSeed, workers: workers)
                let chunk = 512
                lines = try workers.map(count: (flat.count + chunk - 1) / chunk) { _, part in
                    var out: [UInt8] = []
                    for index in (part * chunk)..<min(flat.count, (part + 1) * chunk) { Self.appendLine(of: flat[index], to: &out) }
                    return out
                }
            }
            var out: [UInt8] = []
            out.reserveCapacity(lines.reduce(0) { $0 + $1.count })
            for line in lines { out.append(contentsOf: line) }
            FileHandle.standardOutput.write(Data(out))
            batch.removeAll(keepingCapacity: true)
        }
        let summary = try reader.forEachDocument { line, _ in
            batch.append(line.withoutLineEnding)
            if batch.count == Self.batchSize { try flush() }
        }
        try flush()
        warn(about: summary)
    }

    /// The JSON output line of `encoding`, the encoding of `text`.
    private func format(_ encoding: Encoding, of text: String) -> [UInt8] {
        let offsets = byteOffsets ? encoding.byteOffsets(in: text) : encoding.offsets
        let object: JSONValue = .object([
            JSONMember("ids", .array(encoding.ids.map { .number(Double($0)) })),
            JSONMember("tokens", .array(encoding.tokens.map { .string($0) })),
            JSONMember("offsets", .array(offsets.map { .array([.number(Double($0.lowerBound)), .number(Double($0.upperBound))]) })),
        ])
        return Array(JSONWriter.compact(object).utf8) + [0x0A]
    }

    /// Appends the output line of `ids`: decimal ids separated by spaces.
    static func appendLine(of ids: ArraySlice<TokenID>, to line: inout [UInt8]) {
        for (index, id) in zip(0..., ids) {
            if index > 0 { line.append(0x20) }
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var value = id, count = 0
            withUnsafeMutableBytes(of: &digits) { buffer in
                repeat {
                    buffer[count] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                    count += 1
                } while value > 0
                for position in stride(from: count - 1, through: 0, by: -1) { line.append(buffer[position]) }
            }
        }
        line.append(0x0A)
    }

    /// Times the work of `run` (printing ids) without the output: the same lines (line endings
    /// stripped), the same special tokens and batches, on the same workers. Two passes: the first
    /// in a fresh process (cold: empty piece caches), the second on the same workers (warm).
    private func measure(_ tokenizer: Tokenizer, _ reader: CorpusReader, _ workers: ParallelWorkers<Tokenizer.State>) throws {
        var lines: [String] = []
        let summary = try reader.forEachDocument { line, _ in lines.append(line.withoutLineEnding) }
        let megabytes = Double(summary.bytes) / 1e6
        for pass in ["cold", "warm"] {
            var tokens = 0
            let started = Date()
            for start in stride(from: 0, to: lines.count, by: Self.batchSize) {
                let batch = Array(lines[start..<min(lines.count, start + Self.batchSize)])
                tokens += try tokenizer.encodeBatchFlat(batch, addSpecialTokens: !noSpecialTokens, seed: seed &+ UInt64(start), workers: workers).ids.count
            }
            let seconds = Date().timeIntervalSince(started)
            print(String(format: "%@: %.1f MB, %d tokens in %.2f s on %d threads: %.2f MB/s", pass, megabytes, tokens, seconds,
                         workers.threads, megabytes / seconds))
        }
    }
}
