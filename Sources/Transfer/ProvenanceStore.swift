import Foundation
import Store

/// The provenance database of an expansion: one row per new token (id, vocabulary string,
/// decoded text, the initialization method that produced its row) and the source ids its
/// row combines, with their weights.
public enum ProvenanceStore {
    /// One new token's provenance.
    public struct Record: Sendable {
        /// The new token's id.
        public var id: Int
        /// Its vocabulary string.
        public var token: String
        /// Its decoded text.
        public var text: String
        /// The method that produced its row.
        public var method: String
        /// The source ids its row combines, with their weights.
        public var sources: [(id: Int, weight: Double)]
        /// The rows made for it and refused before this one (``RowCheck``): method and reason, in order.
        public var rejected: [(method: String, problem: String)]

        /// A record of new token `id`.
        public init(id: Int, token: String, text: String, method: String, sources: [(id: Int, weight: Double)],
                    rejected: [(method: String, problem: String)] = []) {
            self.id = id
            self.token = token
            self.text = text
            self.method = method
            self.sources = sources
            self.rejected = rejected
        }
    }

    /// Writes `records` and `settings` (what was run: model, method, seed…) to a new SQLite file at `path`.
    public static func write(_ records: [Record], settings: [(key: String, value: String)], to path: String) throws {
        try StoreWriter.write(to: path) { db in
            try db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            try db.execute("CREATE TABLE tokens (id INTEGER PRIMARY KEY, token TEXT NOT NULL, text TEXT NOT NULL, method TEXT NOT NULL)")
            try db.execute("""
                CREATE TABLE sources (token_id INTEGER NOT NULL REFERENCES tokens(id), source_id INTEGER NOT NULL,
                                      weight REAL NOT NULL, PRIMARY KEY (token_id, source_id)) WITHOUT ROWID
                """)
            try db.execute("""
                CREATE TABLE rejections (token_id INTEGER NOT NULL REFERENCES tokens(id), attempt INTEGER NOT NULL,
                                         method TEXT NOT NULL, problem TEXT NOT NULL, PRIMARY KEY (token_id, attempt)) WITHOUT ROWID
                """)
            for (key, value) in settings { try db.execute("INSERT INTO settings VALUES (?, ?)", [.text(key), .text(value)]) }
            let token = try db.prepare("INSERT INTO tokens VALUES (?, ?, ?, ?)")
            let source = try db.prepare("INSERT INTO sources VALUES (?, ?, ?)")
            let rejection = try db.prepare("INSERT INTO rejections VALUES (?, ?, ?, ?)")
            for record in records {
                try token.execute([.integer(Int64(record.id)), .text(record.token), .text(record.text), .text(record.method)])
                for (id, weight) in record.sources { try source.execute([.integer(Int64(record.id)), .integer(Int64(id)), .real(weight)]) }
                for (attempt, (method, problem)) in record.rejected.enumerated() {
                    try rejection.execute([.integer(Int64(record.id)), .integer(Int64(attempt)), .text(method), .text(problem)])
                }
            }
        }
    }

    /// Reads the records of a provenance database, in id order; errors name the file and the row.
    public static func read(_ path: String) throws -> [Record] {
        try StoreReader.read(path, kind: "provenance", tables: ["tokens", "sources"]) { db in
            func integer(_ value: StoreValue, _ place: String) throws -> Int {
                guard case .integer(let number) = value, let result = Int(exactly: number) else {
                    throw db.error("\(place) is \(value), expected an integer")
                }
                return result
            }
            func text(_ value: StoreValue, _ place: String) throws -> String {
                guard case .text(let string) = value else { throw db.error("\(place) is \(value), expected text") }
                return string
            }
            var sources: [Int: [(id: Int, weight: Double)]] = [:]
            var row = 0
            try db.forEachRow("SELECT token_id, source_id, weight FROM sources ORDER BY token_id, source_id") { values in
                row += 1
                guard let weight = values[2].number else { throw db.error("sources row \(row): weight is \(values[2]), expected a number") }
                sources[try integer(values[0], "sources row \(row): token_id"), default: []].append((try integer(values[1], "sources row \(row): source_id"), weight))
            }
            var rejected: [Int: [(method: String, problem: String)]] = [:]
            var hasRejections = false
            try db.forEachRow("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rejections'") { _ in hasRejections = true }
            if hasRejections {
                row = 0
                try db.forEachRow("SELECT token_id, method, problem FROM rejections ORDER BY token_id, attempt") { values in
                    row += 1
                    rejected[try integer(values[0], "rejections row \(row): token_id"), default: []].append(
                        (try text(values[1], "rejections row \(row): method"), try text(values[2], "rejections row \(row): problem")))
                }
            }
            var records: [Record] = []
            row = 0
            try db.forEachRow("SELECT id, token, text, method FROM tokens ORDER BY id") { values in
                row += 1
                let id = try integer(values[0], "tokens row \(row): id")
                records.append(Record(id: id, token: try text(values[1], "tokens row \(row): token"), text: try text(values[2], "tokens row \(row): text"),
                                      method: try text(values[3], "tokens row \(row): method"), sources: sources[id] ?? [],
                                      rejected: rejected[id] ?? []))
            }
            return records
        }
    }
}
