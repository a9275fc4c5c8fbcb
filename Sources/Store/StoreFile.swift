import GRDB
import Support

/// Reading a store file: it must be a regular SQLite file holding the expected tables, and
/// every error names it. Values are read as `DatabaseValue`s and checked by the caller, so
/// that no value of an unexpected type or NULL reaches a decoding that would trap.
enum StoreFile {
    /// Opens `path` read-only, checks that it has `tables`, and runs `body` on it; `kind` names
    /// the kind of file in messages ("word-count").
    static func read<T>(_ path: String, kind: String, tables: [String], _ body: (Database) throws -> T) throws -> T {
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
                var present = Set<String>()
                let cursor = try Row.fetchCursor(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                while let row = try cursor.next() {
                    if case .string(let name) = (row[0] as DatabaseValue).storage { present.insert(name) }
                }
                for table in tables where !present.contains(table) {
                    throw StoreError(path: path, message: "not a Polytoken \(kind) file (it has no \(table) table)")
                }
                return try body(db)
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(path: path, message: "cannot read the \(kind) file: \(error.message ?? error.description)")
        } catch {
            throw StoreError(path: path, message: "cannot read the \(kind) file: \(error)")
        }
    }

    /// The text keys and values of a two-column `table` (key, value).
    static func keyValues(_ db: Database, table: String, path: String) throws -> [String: String] {
        var values: [String: String] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT key, value FROM \(table)")
        while let row = try cursor.next() {
            guard case .string(let key) = (row[0] as DatabaseValue).storage, case .string(let value) = (row[1] as DatabaseValue).storage else {
                throw StoreError(path: path, message: "\(table): a key or value is not text (\(describe((row[0] as DatabaseValue).storage)), \(describe((row[1] as DatabaseValue).storage)))")
            }
            values[key] = value
        }
        return values
    }

    /// A stored value as a message shows it: its type and value.
    static func describe(_ storage: DatabaseValue.Storage) -> String {
        switch storage {
        case .null: return "NULL"
        case .int64(let value): return "the integer \(value)"
        case .double(let value): return "the real \(value)"
        case .string(let value): return "the text \(String(value.prefix(40)).debugDescription)"
        case .blob(let data): return "a blob of \(data.count) bytes"
        }
    }
}
