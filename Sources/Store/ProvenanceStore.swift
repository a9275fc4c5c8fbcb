import Foundation
import GRDB

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

        /// A record of new token `id`.
        public init(id: Int, token: String, text: String, method: String, sources: [(id: Int, weight: Double)]) {
            self.id = id
            self.token = token
            self.text = text
            self.method = method
            self.sources = sources
        }
    }

    /// Writes `records` and `settings` (what was run: model, method, seed…) to a new SQLite file at `path`.
    public static func write(_ records: [Record], settings: [(key: String, value: String)], to path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            try db.execute(sql: "CREATE TABLE tokens (id INTEGER PRIMARY KEY, token TEXT NOT NULL, text TEXT NOT NULL, method TEXT NOT NULL)")
            try db.execute(sql: """
                CREATE TABLE sources (token_id INTEGER NOT NULL REFERENCES tokens(id), source_id INTEGER NOT NULL,
                                      weight REAL NOT NULL, PRIMARY KEY (token_id, source_id)) WITHOUT ROWID
                """)
            for (key, value) in settings { try db.execute(sql: "INSERT INTO settings VALUES (?, ?)", arguments: [key, value]) }
            let token = try db.makeStatement(sql: "INSERT INTO tokens VALUES (?, ?, ?, ?)")
            let source = try db.makeStatement(sql: "INSERT INTO sources VALUES (?, ?, ?)")
            for record in records {
                try token.execute(arguments: [record.id, record.token, record.text, record.method])
                for (id, weight) in record.sources { try source.execute(arguments: [record.id, id, weight]) }
            }
        }
        try queue.close()
    }

    /// Reads the records of a provenance database, in id order; errors name the file and the row.
    public static func read(_ path: String) throws -> [Record] {
        try StoreFile.read(path, kind: "provenance", tables: ["tokens", "sources"]) { db in
            func integer(_ value: DatabaseValue, _ place: String) throws -> Int {
                guard case .int64(let number) = value.storage, let result = Int(exactly: number) else {
                    throw StoreError(path: path, message: "\(place) is \(StoreFile.describe(value.storage)), expected an integer")
                }
                return result
            }
            func text(_ value: DatabaseValue, _ place: String) throws -> String {
                guard case .string(let string) = value.storage else {
                    throw StoreError(path: path, message: "\(place) is \(StoreFile.describe(value.storage)), expected text")
                }
                return string
            }
            var sources: [Int: [(id: Int, weight: Double)]] = [:]
            var row = 0
            let sourceRows = try Row.fetchCursor(db, sql: "SELECT token_id, source_id, weight FROM sources ORDER BY token_id, source_id")
            while let values = try sourceRows.next() {
                row += 1
                let weight: Double
                switch (values[2] as DatabaseValue).storage {
                case .double(let number): weight = number
                case .int64(let number): weight = Double(number)
                case let other: throw StoreError(path: path, message: "sources row \(row): weight is \(StoreFile.describe(other)), expected a number")
                }
                sources[try integer(values[0], "sources row \(row): token_id"), default: []].append((try integer(values[1], "sources row \(row): source_id"), weight))
            }
            var records: [Record] = []
            row = 0
            let tokenRows = try Row.fetchCursor(db, sql: "SELECT id, token, text, method FROM tokens ORDER BY id")
            while let values = try tokenRows.next() {
                row += 1
                let id = try integer(values[0], "tokens row \(row): id")
                records.append(Record(id: id, token: try text(values[1], "tokens row \(row): token"), text: try text(values[2], "tokens row \(row): text"),
                                      method: try text(values[3], "tokens row \(row): method"), sources: sources[id] ?? []))
            }
            return records
        }
    }
}
