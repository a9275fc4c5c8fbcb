import Foundation
import Store
import Support

/// Word counts saved in an SQLite file, so that one count of a large corpus serves many
/// trainings, and counts of several shards merge into one.
///
/// The file holds `words(word BLOB PRIMARY KEY, count INTEGER)` and `metadata(key, value)`;
/// the metadata names what produced the counts (the pipeline), so that counts made with
/// different pipelines are never mixed.
public enum WordCountStore {
    /// What produced a set of counts.
    public struct Metadata: Sendable, Equatable {
        /// The pipeline the words were cut with (a preset name or a tokenizer.json's components).
        public var pipeline: String
        /// Documents counted.
        public var documents: Int
        /// UTF-8 bytes counted.
        public var bytes: Int

        /// Metadata of counts made with `pipeline`.
        public init(pipeline: String, documents: Int, bytes: Int) {
            self.pipeline = pipeline
            self.documents = documents
            self.bytes = bytes
        }
    }

    /// Writes `counts` to a new SQLite file at `path`, atomically (see `AtomicOutput`).
    public static func save(_ counts: WordCounts, metadata: Metadata, to path: String) throws {
        try save(counts, metadata: metadata, to: AtomicOutput(path, kind: .file, replacing: true))
    }

    /// Writes `counts` as the content of `output` and commits it.
    public static func save(_ counts: WordCounts, metadata: Metadata, to output: AtomicOutput) throws {
        try StoreWriter.write(output, what: "word counts") { db in
            try db.execute("CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            try db.execute("CREATE TABLE words (word BLOB PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID")
            for (key, value) in [("format", "polytoken-word-counts-1"), ("pipeline", metadata.pipeline),
                                 ("documents", String(metadata.documents)), ("bytes", String(metadata.bytes))] {
                try db.execute("INSERT INTO metadata VALUES (?, ?)", [.text(key), .text(value)])
            }
            let insert = try db.prepare("INSERT INTO words VALUES (?, ?)")
            try counts.forEach { word, count in
                try insert.execute([.blob(Data(word)), .integer(Int64(clamping: count))])
            }
        }
    }

    /// The largest total a set of counts may reach: the sum over words of count × length in
    /// bytes, which bounds every pair count training derives from them, stays below this.
    static let countLimit: UInt64 = 1 << 62

    /// Reads and merges the counts of one or more store files; all must come from the same pipeline.
    /// Every value is checked (words non-empty valid UTF-8, counts non-negative integers whose
    /// total cannot overflow training's pair counts); errors name the file and the row.
    public static func load(_ paths: [String]) throws -> (WordCounts, Metadata) {
        var total = WordCounts()
        var merged: Metadata?
        var weight: UInt64 = 0
        for path in paths {
            let metadata = try StoreReader.read(path, kind: "word-count", tables: ["metadata", "words"]) { db -> Metadata in
                let values = try db.keyValues(table: "metadata")
                guard values["format"] == "polytoken-word-counts-1", let pipeline = values["pipeline"] else {
                    throw db.error("not a Polytoken word-count file (metadata.format is not polytoken-word-counts-1)")
                }
                func number(_ key: String) throws -> Int {
                    guard let text = values[key] else { return 0 }
                    guard let value = Int(text), value >= 0 else {
                        throw db.error("metadata.\(key) is \(text.debugDescription), expected a non-negative integer")
                    }
                    return value
                }
                let documents = try number("documents"), bytes = try number("bytes")
                // The word's bytes are read as a blob: SQLite text read as a Swift string would have
                // invalid UTF-8 repaired without a word.
                var row = 0
                try db.forEachRow("SELECT typeof(word), CAST(word AS BLOB), count FROM words") { values in
                    row += 1
                    let place = "words row \(row)"
                    var type = ""
                    if case .text(let name) = values[0] { type = name }
                    guard type == "blob" || type == "text" else {
                        throw db.error("\(place): word is \(type == "null" ? "NULL" : "a value of type \(type)"), expected text")
                    }
                    var word = Data()
                    if case .blob(let bytes) = values[1] { word = bytes }
                    guard !word.isEmpty, String(validating: Array(word), as: UTF8.self) != nil else {
                        throw db.error("\(place): word \(Array(word)) is \(word.isEmpty ? "empty" : "not valid UTF-8")")
                    }
                    guard case .integer(let count) = values[2], count >= 0 else {
                        throw db.error("\(place) (word \(String(decoding: word, as: UTF8.self).debugDescription)): count is \(values[2]), expected a non-negative integer")
                    }
                    let (product, overflow) = UInt64(count).multipliedReportingOverflow(by: UInt64(word.count))
                    weight = overflow ? .max : weight &+ min(product, countLimit)
                    guard weight < countLimit else {
                        throw db.error("\(place): the counts are too large (their total times the word lengths reaches 2^62, where training's 64-bit pair counts could overflow)")
                    }
                    word.withUnsafeBytes { total.add($0.bindMemory(to: UInt8.self), count: UInt64(count)) }
                }
                return Metadata(pipeline: pipeline, documents: documents, bytes: bytes)
            }
            if let existing = merged {
                guard existing.pipeline == metadata.pipeline else {
                    throw StoreError(path: path, message: "counted with pipeline \(metadata.pipeline), not \(existing.pipeline) like \(paths[0])")
                }
                let documents = existing.documents.addingReportingOverflow(metadata.documents)
                let bytes = existing.bytes.addingReportingOverflow(metadata.bytes)
                guard !documents.overflow, !bytes.overflow else {
                    throw StoreError(path: path, message: "metadata.documents or metadata.bytes overflows when added to the other files'")
                }
                merged = Metadata(pipeline: existing.pipeline, documents: documents.partialValue, bytes: bytes.partialValue)
            } else {
                merged = metadata
            }
        }
        guard let merged else { throw StoreError(path: "", message: "no word-count files given") }
        return (total, merged)
    }
}
