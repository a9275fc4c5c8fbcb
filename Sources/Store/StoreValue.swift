import Foundation
import GRDB

/// A value of a store row: one of SQLite's storage classes.
public enum StoreValue: Sendable, Equatable, CustomStringConvertible {
    /// SQL NULL.
    case null
    /// An integer.
    case integer(Int64)
    /// A floating-point number.
    case real(Double)
    /// Text.
    case text(String)
    /// Bytes.
    case blob(Data)

    /// How a message shows it: its type and value.
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let value): return "the integer \(value)"
        case .real(let value): return "the real \(value)"
        case .text(let value): return "the text \(String(value.prefix(40)).debugDescription)"
        case .blob(let data): return "a blob of \(data.count) bytes"
        }
    }

    /// The value as a number, if it is one.
    public var number: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        default: return nil
        }
    }

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let value): self = .integer(value)
        case .double(let value): self = .real(value)
        case .string(let value): self = .text(value)
        case .blob(let value): self = .blob(value)
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .integer(let value): return value.databaseValue
        case .real(let value): return value.databaseValue
        case .text(let value): return value.databaseValue
        case .blob(let value): return value.databaseValue
        }
    }
}
