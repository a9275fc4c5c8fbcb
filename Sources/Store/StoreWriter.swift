import Foundation
import GRDB
import Support

/// Writing a store file: tables created and rows inserted in one transaction, into an
/// `AtomicOutput` or at a path inside a directory being written.
public enum StoreWriter {
    /// Writes a new SQLite file at `path` by `body`, in one transaction.
    public static func write(to path: String, _ body: (StoreTransaction) throws -> Void) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try body(StoreTransaction(db: db)) }
        try queue.close()
    }

    /// Writes the content of `output` by `body` and commits it; on failure nothing is left and
    /// the error names the output and `what` was being written ("word counts").
    public static func write(_ output: AtomicOutput, what: String, _ body: (StoreTransaction) throws -> Void) throws {
        do {
            try write(to: output.temporaryPath, body)
        } catch {
            output.abandon()
            throw StoreError(path: output.path, message: "cannot write \(what): \(error)")
        }
        try output.commit()
    }
}

/// The transaction of a store file being written.
public struct StoreTransaction {
    let db: Database

    /// Runs `sql` with `arguments`.
    public func execute(_ sql: String, _ arguments: [StoreValue] = []) throws {
        try db.execute(sql: sql, arguments: StatementArguments(arguments.map(\.databaseValue)))
    }

    /// `sql` compiled once, to run for many rows.
    public func prepare(_ sql: String) throws -> StoreStatement {
        StoreStatement(statement: try db.makeStatement(sql: sql))
    }
}

/// A compiled statement of a store file being written.
public struct StoreStatement {
    let statement: Statement

    /// Runs the statement with `arguments`.
    public func execute(_ arguments: [StoreValue]) throws {
        try statement.execute(arguments: StatementArguments(arguments.map(\.databaseValue)))
    }
}
