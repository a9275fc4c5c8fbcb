import ArgumentParser
import Foundation
import Support
import TextProcessing

/// `polytoken pretokenize`: normalizes and pre-tokenizes a corpus and reports statistics.
struct PreTokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretokenize",
        abstract: "Normalize and pre-tokenize a corpus; print per-file statistics or the pieces.",
        discussion: """
            Examples:
              polytoken pretokenize --preset llama3 corpora-samples/monolingual
              polytoken pretokenize --tokenizer tokenizer.json --pieces de.txt
            """)

    @Option(help: "A preset pipeline: \(TextPipeline.Preset.allCases.map(\.rawValue).joined(separator: ", ")). gpt2, llama3, qwen2 and sentencepiece are also train's and count's presets; o200k, bert and words are pipelines only (train does not build their tokenizers).")
    var preset: TextPipeline.Preset = .llama3

    @Option(help: "Use the normalizer and pre-tokenizer of this tokenizer.json instead of a preset.")
    var tokenizer: String?

    @Option(help: "What to do with a line that is not valid UTF-8: skip (default) or replace.")
    var onInvalidUtf8: CorpusReader.InvalidUTF8Policy = .skip

    @Option(help: "What one document is: line (default, keeping its line ending) or file.")
    var documents: CorpusReader.DocumentMode = .line

    @Flag(help: "Print each document's pieces as a JSON line ([[piece, start, end], …], character offsets) instead of statistics.")
    var pieces = false

    @Flag(help: "Measure single-thread throughput: load the documents, then time the pipeline alone (the scanner fast path where the pipeline allows it).")
    var benchmark = false

    @Argument(help: "Files, directories (read recursively) or .gz files; '-' for standard input.")
    var paths: [String] = ["-"]

    func run() throws {
        let pipeline = try tokenizer.map { try TextPipeline(tokenizerFile: $0) } ?? TextPipeline(preset: preset)
        let reader = CorpusReader(paths: paths, policy: onInvalidUtf8, mode: documents)
        if benchmark { return try measure(pipeline, reader) }
        var total = CorpusStatistics(name: "total")
        var rows: [CorpusStatistics] = []
        let started = Date()
        let output = FileHandle.standardOutput
        let listing = try reader.listing()
        for entry in listing.skipped { warn("warning: \(entry)") }
        for file in listing.files {
            var statistics = CorpusStatistics(name: file)
            let summary = try CorpusReader(paths: [file], policy: onInvalidUtf8, mode: documents).forEachDocument { text, _ in
                let result = try pipeline.run(text)
                if pieces {
                    output.write(Data((PiecesJSON.line(result.pieces) + "\n").utf8))
                } else {
                    statistics.add(result)
                }
            }
            warn(about: summary)
            statistics.finish(summary)
            total.merge(statistics)
            rows.append(statistics)
        }
        guard !pieces else { return }
        let seconds = Date().timeIntervalSince(started)
        print(CorpusStatistics.table(rows + (rows.count > 1 ? [total] : [])))
        print(String(format: "%.1f MB in %.2f s: %.1f MB/s", Double(total.bytes) / 1e6, seconds, Double(total.bytes) / 1e6 / max(seconds, 1e-9)))
    }

    /// Times the pipeline over documents already in memory. On the scanner path, pieces are found
    /// in the UTF-8 bytes, as the encoder finds them, and each piece's byte-level characters are
    /// produced; on the general path, each piece's text and offsets, as `pre_tokenize_str` does.
    private func measure(_ pipeline: TextPipeline, _ reader: CorpusReader) throws {
        var documents: [String] = []
        let summary = try reader.forEachDocument { text, _ in documents.append(text) }
        var pieceCount = 0
        var checksum: UInt32 = 0
        let splitter = PieceSplitter(pipeline)
        let started = Date()
        if let splitter {
            var ranges: [Range<Int>] = []
            let characters = ByteLevelAlphabet.characters
            for index in documents.indices {
                documents[index].withUTF8 { bytes in
                    ranges.removeAll(keepingCapacity: true)
                    splitter.pattern.matches(inUTF8: bytes, into: &ranges)
                    for range in ranges {
                        for byte in bytes[range] { checksum &+= splitter.byteLevel ? characters[Int(byte)] : UInt32(byte) }
                    }
                    pieceCount += ranges.count
                }
            }
        } else {
            for document in documents {
                let result = try pipeline.run(document)
                pieceCount += result.splits.count
                checksum &+= result.splits.last?.scalars.last ?? 0
            }
        }
        let seconds = Date().timeIntervalSince(started)
        let megabytes = Double(summary.bytes) / 1e6
        print(String(format: "%.1f MB, %d pieces in %.3f s: %.2f MB/s (%@ path, checksum %u)", megabytes, pieceCount, seconds,
                     megabytes / seconds, splitter == nil ? "general" : "scanner", checksum))
    }
}

extension TextPipeline.Preset: ExpressibleByArgument {}
extension CorpusReader.InvalidUTF8Policy: ExpressibleByArgument {}
extension CorpusReader.DocumentMode: ExpressibleByArgument {}

/// The numbers `pretokenize` reports for one file.
struct CorpusStatistics {
    let name: String
    var documents = 0
    var bytes = 0
    var pieces = 0
    var invalid = 0
    var distinct: Set<[UInt8]> = []

    init(name: String) { self.name = name }

    mutating func add(_ result: PreTokenizedString) {
        pieces += result.splits.count
        for split in result.splits { distinct.insert(Array(split.string.utf8)) }
    }

    mutating func finish(_ summary: CorpusReader.Summary) {
        documents = summary.documents
        bytes = summary.bytes
        invalid = summary.invalid.count
    }

    mutating func merge(_ other: CorpusStatistics) {
        documents += other.documents
        bytes += other.bytes
        pieces += other.pieces
        invalid += other.invalid
        distinct.formUnion(other.distinct)
    }

    static func table(_ rows: [CorpusStatistics]) -> String {
        let header = ["file", "documents", "bytes", "pieces", "distinct", "bytes/piece", "invalid"]
        let body = rows.map { row in
            [row.name, "\(row.documents)", "\(row.bytes)", "\(row.pieces)", "\(row.distinct.count)",
             row.pieces == 0 ? "-" : String(format: "%.2f", Double(row.bytes) / Double(row.pieces)), "\(row.invalid)"]
        }
        let widths = header.indices.map { column in ([header] + body).map { $0[column].count }.max()! }
        return ([header] + body).map { cells in
            cells.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// Formats pieces as a JSON array of [text, start, end].
enum PiecesJSON {
    static func line(_ pieces: [(text: String, offsets: Range<Int>)]) -> String {
        JSONWriter.compact(.array(pieces.map {
            .array([.string($0.text), .number(Double($0.offsets.lowerBound)), .number(Double($0.offsets.upperBound))])
        }))
    }
}
