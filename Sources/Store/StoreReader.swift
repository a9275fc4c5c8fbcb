import GRDB
import Support

/// Reading a store file: it must be a regular SQLite file holding the expected tables, and
/// every error names it. Rows come as ``StoreValue``s, checked by the caller, so that no value
/// of an unexpected type or NULL reaches a decoding that would trap.
public enum StoreReader {
    /// Opens `path` read-only, checks that it has `tables`, and runs `body` on it; `kind` names
    /// the kind of file in messages ("word-count").
    public static func read<T>(_ path: String, kind: String, tables: [String], _ body: (StoreQuery) throws -> T) throws -> T {
        guard let status = FileStatus(path: path) else {
            throw StoreError(path: path, message: FileStatus(linkAt: path) == nil ? "no such file" : "a dangling symbolic link")
        }
        guard status.kind == .regular else {
            throw StoreError(path: path, message: status.kind == .directory ? "is a directory, not a \(kind) file" : "is not a regular file")
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                let query = StoreQuery(db: db, path: path)
                var present = Set<String>()
                try query.forEachRow("SELECT name FROM sqlite_master WHERE type = 'table'") { row in
                    if case .text(let name) = row[0] { present.insert(name) }
                }
                for table in tables where !present.contains(table) {
                    throw StoreError(path: path, message: "not a Polytoken \(kind) file (it has no \(table) table)")
                }
                return try body(query)
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(path: path, message: "cannot read the \(kind) file: \(error.message ?? error.description)")
        } catch {
            throw StoreError(path: path, message: "cannot read the \(kind) file: \(error)")
        }
    }
}

/// Queries of a store file open for reading.
public struct StoreQuery {
    let db: Database
    /// The file, for messages.
    public let path: String

    /// Calls `body` with the values of each row `sql` returns, in order.
    public func forEachRow(_ sql: String, _ body: ([StoreValue]) throws -> Void) throws {
        let cursor = try Row.fetchCursor(db, sql: sql)
        var values: [StoreValue] = []
        while let row = try cursor.next() {
            values.removeAll(keepingCapacity: true)
            for index in 0..<row.count { values.append(StoreValue(row[index] as DatabaseValue)) }
            try body(values)
        }
    }

    /// The text keys and values of a two-column `table` (key, value).
    public func keyValues(table: String) throws -> [String: String] {
        var values: [String: String] = [:]
        try forEachRow("SELECT key, value FROM \(table)") { row in
            guard case .text(let key) = row[0], case .text(let value) = row[1] else {
                throw StoreError(path: path, message: "\(table): a key or value is not text (\(row[0]), \(row[1]))")
            }
            values[key] = value
        }
        return values
    }

    /// An error about row `row` of this file.
    public func error(_ message: String) -> StoreError { StoreError(path: path, message: message) }
}
