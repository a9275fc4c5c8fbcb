import ArgumentParser
import Datasets
import Foundation
import Support
import TextProcessing
import Tokenization

extension TokenDatasetFormat: ExpressibleByArgument {}

/// `polytoken encode`: one line of ids (or one JSON object) per input line on standard output,
/// or a token dataset for a training engine (`-o PREFIX --format megatron|npy|jsonl`).
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode text with a tokenizer: a line of ids per document, or a dataset a training engine reads.",
        discussion: """
            Without -o, prints one output line per input line. With -o PREFIX --format F, writes the
            documents as a token dataset: megatron (PREFIX.bin and PREFIX.idx, Megatron-LM's indexed
            dataset), npy (PREFIX.tokens.npy and PREFIX.offsets.npy) or jsonl (PREFIX.jsonl). Documents
            keep their input order and the bytes do not depend on --threads; files appear only when
            complete, the index last.

            Examples:
              polytoken encode --tokenizer tokenizer.json corpora-samples/monolingual/de.txt
              polytoken encode --tokenizer tokenizer.json --json --no-special-tokens notes.txt
              polytoken encode --tokenizer tokenizer.json --field text --append-eod -o data/train --format megatron 'crawl/*.jsonl.zst'
            """)

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

    @OptionGroup var threading: ThreadOptions

    @OptionGroup var input: CorpusOptions

    @Option(name: .shortAndLong, help: "Write a token dataset at this prefix (see --format) instead of printing ids.")
    var output: String?

    @Option(help: "The dataset format with -o: megatron, npy or jsonl.")
    var format: TokenDatasetFormat?

    @Flag(help: "Append the end-of-document token (--eod-token, or the tokenizer's eos token) to every non-empty document, as Megatron's --append-eod does.")
    var appendEod = false

    @Option(help: "The end-of-document token for --append-eod (default: the eos token of the tokenizer's directory, or its usual name).")
    var eodToken: String?

    @Option(help: "Stop after this many documents.")
    var maxDocuments: Int?

    @Option(help: "Split the dataset into numbered shards (PREFIX_00000, ...) of at least this many tokens; documents are never split.")
    var shardSize: Int?

    @Flag(help: "Replace an existing dataset at the prefix (and remove the higher-numbered shards an earlier run left there).")
    var force = false


    /// Lines encoded per batch: the unit of work split over the threads.
    static let batchSize = 16384

    func validate() throws {
        try require(maxDocuments, atLeast: 0, "--max-documents")
        try require(shardSize, atLeast: 1, "--shard-size")
        if output == nil {
            for (given, option) in [(format != nil, "--format"), (shardSize != nil, "--shard-size"), (appendEod, "--append-eod"),
                                    (eodToken != nil, "--eod-token"), (force, "--force")] where given {
                throw ValidationError("\(option) is for datasets: give -o PREFIX too")
            }
        } else {
            guard format != nil else { throw ValidationError("-o writes a dataset: give its --format (megatron, npy or jsonl)") }
            if json || benchmark { throw ValidationError("--json and --benchmark print to standard output: leave out -o") }
        }
        if eodToken != nil && !appendEod { throw ValidationError("--eod-token names the token --append-eod appends: give --append-eod too") }
    }

    func run() throws {
        let loading = Date()
        let tokenizer = try tokenizerCache.map { try TokenizerCache.load(self.tokenizer, directory: $0) } ?? Tokenizer(contentsOf: self.tokenizer)
        let reader = try input.reader()
        if let output, let format {
            return try writeDataset(tokenizer, reader, prefix: output, format: format)
        }
        let workers = ParallelWorkers(threads: threading.threads) { Tokenizer.State() }
        if benchmark {
            print(String(format: "loaded %@ (%d tokens) in %.0f ms", self.tokenizer, tokenizer.vocabularySize,
                         Date().timeIntervalSince(loading) * 1000))
            return try measure(tokenizer, reader, workers)
        }
        var batch: [String] = []
        var linesDone = 0, bytesRead = 0
        let progress = Progress(total: try reader.plainInputSize())
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
            progress.bytes(bytesRead, label: "encoding", detail: "\(linesDone) documents")
        }
        var summary: CorpusReader.Summary?
        do {
            summary = try reader.forEachDocument { line, _ in
                if let maxDocuments, linesDone + batch.count >= maxDocuments { throw EnoughDocuments() }
                bytesRead += line.utf8.count
                batch.append(reader.readsLines ? line.withoutLineEnding : line)
                if batch.count == Self.batchSize { try flush() }
            }
        } catch is EnoughDocuments {}
        try flush()
        progress.finish()
        if let summary { warn(about: summary) }
    }

    /// Thrown to stop reading once --max-documents are encoded.
    private struct EnoughDocuments: Error {}

    /// Encodes the corpus into a token dataset at `prefix`, with a progress line and a summary.
    private func writeDataset(_ tokenizer: Tokenizer, _ reader: CorpusReader, prefix: String, format: TokenDatasetFormat) throws {
        var options = DatasetEncoder.Options()
        options.addSpecialTokens = !noSpecialTokens
        options.maximumDocuments = maxDocuments
        options.seed = seed
        if appendEod { options.endOfDocument = try endOfDocument(tokenizer) }
        let writer = try format.writer(prefix: prefix, vocabularySize: tokenizer.vocabularySize, replacing: force, shardSize: shardSize)
        let encoder = DatasetEncoder(tokenizer: tokenizer, options: options, threads: threading.threads)
        let progress = Progress(total: try reader.plainInputSize()), started = Date()
        let summary = try encoder.encode(reader, into: writer) { state in
            progress.bytes(state.bytesRead, label: "encoding", detail: "\(state.documents) documents, \(state.tokens) tokens")
        }
        progress.finish()
        if let reading = summary.reading { warn(about: reading) }
        let seconds = Date().timeIntervalSince(started)
        let shards = (writer as? ShardedDatasetWriter).map { ", \($0.shardPrefixes.count) shards" } ?? ""
        print(String(format: "%d documents, %d tokens (%.3f tokens per byte of text) in %.2f s, %.1f MB/s%@ -> %@",
                     summary.documents, summary.tokens, Double(summary.tokens) / Double(max(1, summary.textBytes)), seconds,
                     Double(summary.textBytes) / 1e6 / max(seconds, 1e-9), shards, writer.paths.joined(separator: ", ")))
        if let reading = summary.reading, reading.badRecordCount > 0 { print("\(reading.badRecordCount) records skipped") }
    }

    /// The token --append-eod appends: --eod-token, else the eos token of the tokenizer's directory.
    private func endOfDocument(_ tokenizer: Tokenizer) throws -> TokenID {
        let listing = VocabularyListing(tokenizer)
        if let eodToken {
            guard let id = listing.id(for: eodToken) else { throw ValidationError("--eod-token \(eodToken) is not in the tokenizer's vocabulary") }
            return id
        }
        let isDirectory = FileStatus(path: self.tokenizer)?.kind == .directory
        let directory = isDirectory ? self.tokenizer : PathName.directory(of: self.tokenizer)
        let special = try SpecialTokens(vocabulary: listing, directory: directory)
        guard let id = special.id(of: .eos, in: listing) else {
            throw ValidationError("the tokenizer declares no eos token (in \(directory)) and has none of the usual names: name the end-of-document token with --eod-token")
        }
        return id
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
