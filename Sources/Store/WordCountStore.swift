import Foundation
import GRDB
import Training

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

    /// An unusable store file.
    public struct StoreError: Error, CustomStringConvertible, Sendable {
        /// The file.
        public let path: String
        /// What is wrong with it.
        public let message: String
        public var description: String { "\(path): \(message)" }
    }

    /// Writes `counts` to a new SQLite file at `path`, atomically (a temporary file beside
    /// it is renamed into place once complete).
    public static func save(_ counts: WordCounts, metadata: Metadata, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp").path
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            let queue = try DatabaseQueue(path: temporary)
            try queue.write { db in
                try db.execute(sql: "CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                try db.execute(sql: "CREATE TABLE words (word BLOB PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID")
                for (key, value) in [("format", "polytoken-word-counts-1"), ("pipeline", metadata.pipeline),
                                     ("documents", String(metadata.documents)), ("bytes", String(metadata.bytes))] {
                    try db.execute(sql: "INSERT INTO metadata VALUES (?, ?)", arguments: [key, value])
                }
                let insert = try db.makeStatement(sql: "INSERT INTO words VALUES (?, ?)")
                try counts.forEach { word, count in
                    try insert.execute(arguments: [Data(word), Int64(clamping: count)])
                }
            }
            try queue.close()
            guard rename(temporary, path) == 0 else {
                throw StoreError(path: path, message: "cannot move the new file into place: \(String(cString: strerror(errno)))")
            }
        } catch let error as StoreError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw StoreError(path: path, message: "cannot write word counts: \(error)")
        }
    }

    /// Reads and merges the counts of one or more store files; all must come from the same pipeline.
    public static func load(_ paths: [String]) throws -> (WordCounts, Metadata) {
        var total = WordCounts()
        var merged: Metadata?
        for path in paths {
            guard FileManager.default.fileExists(atPath: path) else { throw StoreError(path: path, message: "no such file") }
            do {
                var configuration = Configuration()
                configuration.readonly = true
                let queue = try DatabaseQueue(path: path, configuration: configuration)
                let metadata = try queue.read { db -> Metadata in
                    let rows = try Row.fetchAll(db, sql: "SELECT key, value FROM metadata")
                    var values: [String: String] = [:]
                    for row in rows { values[row["key"]] = row["value"] }
                    guard values["format"] == "polytoken-word-counts-1", let pipeline = values["pipeline"] else {
                        throw StoreError(path: path, message: "not a Polytoken word-count file")
                    }
                    let cursor = try Row.fetchCursor(db, sql: "SELECT word, count FROM words")
                    while let row = try cursor.next() {
                        let word: Data = row["word"]
                        let count: Int64 = row["count"]
                        guard count >= 0 else { throw StoreError(path: path, message: "negative count") }
                        word.withUnsafeBytes { total.add($0.bindMemory(to: UInt8.self), count: UInt64(count)) }
                    }
                    return Metadata(pipeline: pipeline, documents: Int(values["documents"] ?? "") ?? 0,
                                    bytes: Int(values["bytes"] ?? "") ?? 0)
                }
                try queue.close()
                if let existing = merged {
                    guard existing.pipeline == metadata.pipeline else {
                        throw StoreError(path: path, message: "counted with pipeline \(metadata.pipeline), not \(existing.pipeline) like \(paths[0])")
                    }
                    merged = Metadata(pipeline: existing.pipeline, documents: existing.documents + metadata.documents,
                                      bytes: existing.bytes + metadata.bytes)
                } else {
                    merged = metadata
                }
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(path: path, message: "cannot read word counts: \(error)")
            }
        }
        guard let merged else { throw StoreError(path: "", message: "no word-count files given") }
        return (total, merged)
    }
}
