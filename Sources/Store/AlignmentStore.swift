import Foundation
import GRDB

/// A word-alignment translation table in SQLite, so that one alignment serves several
/// initializations and can be inspected: the units of each side (their token ids and token
/// strings), and for each kept (source unit, target unit) pair its expected count and
/// probability. The NULL source is stored as SQL NULL.
public enum AlignmentStore {
    /// One side's unit.
    public struct Unit: Sendable {
        /// The unit's token ids.
        public var tokens: [UInt32]
        /// Its token strings joined by spaces, for reading.
        public var text: String

        /// A unit of `tokens` shown as `text`.
        public init(tokens: [UInt32], text: String) {
            self.tokens = tokens
            self.text = text
        }
    }

    /// One pair of the table.
    public struct Pair: Sendable, Equatable {
        /// The source unit, or nil for NULL.
        public var source: UInt32?
        /// The target unit.
        public var target: UInt32
        /// Its expected count.
        public var count: Double
        /// `t(target | source)`.
        public var probability: Double

        /// A pair.
        public init(source: UInt32?, target: UInt32, count: Double, probability: Double) {
            self.source = source
            self.target = target
            self.count = count
            self.probability = probability
        }
    }

    /// A stored alignment.
    public struct Contents: Sendable {
        /// Source-side units, by id.
        public var sourceUnits: [Unit]
        /// Target-side units, by id.
        public var targetUnits: [Unit]
        /// The pairs.
        public var pairs: [Pair]
        /// What was run.
        public var settings: [(key: String, value: String)]

        /// Stored contents.
        public init(sourceUnits: [Unit], targetUnits: [Unit], pairs: [Pair], settings: [(key: String, value: String)]) {
            self.sourceUnits = sourceUnits
            self.targetUnits = targetUnits
            self.pairs = pairs
            self.settings = settings
        }
    }

    /// Writes `contents` to a new database at `path` (built beside it, then renamed into place).
    public static func write(_ contents: Contents, to path: String) throws {
        let temporary = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            let queue = try DatabaseQueue(path: temporary)
            try queue.write { db in
                try db.execute(sql: "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                try db.execute(sql: "CREATE TABLE units (side TEXT NOT NULL, id INTEGER NOT NULL, tokens TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (side, id)) WITHOUT ROWID")
                try db.execute(sql: "CREATE TABLE pairs (source INTEGER, target INTEGER NOT NULL, count REAL NOT NULL, probability REAL NOT NULL)")
                for (key, value) in contents.settings { try db.execute(sql: "INSERT INTO settings VALUES (?, ?)", arguments: [key, value]) }
                let unit = try db.makeStatement(sql: "INSERT INTO units VALUES (?, ?, ?, ?)")
                for (side, units) in [("source", contents.sourceUnits), ("target", contents.targetUnits)] {
                    for (id, value) in units.enumerated() {
                        try unit.execute(arguments: [side, id, value.tokens.map(String.init).joined(separator: " "), value.text])
                    }
                }
                let pair = try db.makeStatement(sql: "INSERT INTO pairs VALUES (?, ?, ?, ?)")
                for value in contents.pairs {
                    try pair.execute(arguments: [value.source.map { Int64($0) }, Int64(value.target), value.count, value.probability])
                }
                try db.execute(sql: "CREATE INDEX pairs_by_target ON pairs (target)")
            }
            try queue.close()
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// Reads a database written by `write(_:to:)`.
    public static func read(_ path: String) throws -> Contents {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            var units: [String: [Unit]] = ["source": [], "target": []]
            for row in try Row.fetchAll(db, sql: "SELECT side, tokens, text FROM units ORDER BY side, id") {
                let tokens = (row["tokens"] as String).split(separator: " ").compactMap { UInt32($0) }
                units[row["side"], default: []].append(Unit(tokens: tokens, text: row["text"]))
            }
            let pairs = try Row.fetchAll(db, sql: "SELECT source, target, count, probability FROM pairs ORDER BY rowid").map { row in
                Pair(source: (row["source"] as Int64?).map(UInt32.init), target: UInt32(row["target"] as Int64),
                     count: row["count"], probability: row["probability"])
            }
            let settings = try Row.fetchAll(db, sql: "SELECT key, value FROM settings ORDER BY key").map { ($0["key"] as String, $0["value"] as String) }
            return Contents(sourceUnits: units["source"]!, targetUnits: units["target"]!, pairs: pairs, settings: settings)
        }
    }
}
