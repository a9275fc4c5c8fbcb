import Foundation
import Support

/// The key-value metadata of a GGUF file (llama.cpp's model format), read from the start of
/// the file without touching its tensor data. Errors name the file, the key and the offset.
public struct GGUFMetadata: Sendable {
    /// One metadata value.
    public enum Value: Sendable, Equatable {
        /// A signed integer (`INT8`, `INT16`, `INT32`, `INT64`).
        case integer(Int64)
        /// An unsigned integer (`UINT8`, `UINT16`, `UINT32`, `UINT64`).
        case unsigned(UInt64)
        /// A floating-point number (`FLOAT32`, `FLOAT64`).
        case float(Double)
        /// A `BOOL`.
        case bool(Bool)
        /// A UTF-8 `STRING`.
        case string(String)
        /// An `ARRAY` of values of one type.
        case array([Value])
    }

    /// The most elements an array may hold: far above any tokenizer's (a few hundred thousand
    /// tokens or merges), far below what would exhaust memory.
    public static let maximumArrayCount = 1 << 24

    /// The file, as named in errors.
    public let path: String
    /// The format version (2 or 3).
    public let version: UInt32
    /// The values by key, in file order.
    public let entries: [(key: String, value: Value)]
    private let index: [String: Int]

    /// Whether `data` starts with the GGUF magic.
    public static func isGGUF(_ prefix: Data) -> Bool { prefix.starts(with: [0x47, 0x47, 0x55, 0x46]) }

    /// Reads the metadata of the GGUF file at `path` (memory-mapped, so only the metadata is
    /// read). Only the entries whose key `keep` accepts are kept; the others are stepped over
    /// without being decoded.
    public init(contentsOf path: String, keeping keep: (String) -> Bool = { _ in true }) throws {
        guard let status = FileStatus(path: path), status.kind != .directory,
              let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            _ = try InputFile.read(path)
            throw InputError(path, "cannot be memory-mapped")
        }
        try self.init(data, path: path, keeping: keep)
    }

    /// Reads GGUF metadata from `data`; `path` names it in errors. Only the entries whose key
    /// `keep` accepts are kept.
    public init(_ data: Data, path: String, keeping keep: (String) -> Bool = { _ in true }) throws {
        self.path = path
        var reader = Reader(data: data, path: path)
        guard Self.isGGUF(data) else { throw ConfigurationError(path: path, message: "not a GGUF file (no GGUF magic)") }
        reader.offset = 4
        version = try reader.uint32(at: "header")
        guard version == 2 || version == 3 else {
            throw ConfigurationError(path: path, message: version.byteSwapped <= 3
                ? "big-endian GGUF files are not supported" : "unsupported GGUF version \(version) (expected 2 or 3)")
        }
        _ = try reader.uint64(at: "header")
        let count = try reader.uint64(at: "header")
        guard count <= UInt64(data.count) else { throw ConfigurationError(path: path, message: "header: \(count) metadata entries cannot fit in \(data.count) bytes") }
        var entries: [(key: String, value: Value)] = []
        var index: [String: Int] = [:]
        for position in 0..<Int(count) {
            let key = try reader.string(at: "metadata entry \(position)")
            let type = try reader.uint32(at: key)
            guard keep(key) else {
                try reader.skip(type: type, at: key)
                continue
            }
            let value = try reader.value(type: type, at: key)
            guard index.updateValue(entries.count, forKey: key) == nil else {
                throw ConfigurationError(path: path, message: "\(key): the key appears twice")
            }
            entries.append((key, value))
        }
        self.entries = entries
        self.index = index
    }

    /// The value of `key`, if present.
    public subscript(key: String) -> Value? { index[key].map { entries[$0].value } }

    /// The string at `key`; nil when absent, an error naming the key when of another type.
    public func string(_ key: String) throws -> String? {
        guard let value = self[key] else { return nil }
        guard case .string(let string) = value else { throw mismatch(key, "a string") }
        return string
    }

    /// The integer at `key` (any integer type); nil when absent.
    public func integer(_ key: String) throws -> Int? {
        switch self[key] {
        case nil: return nil
        case .integer(let value)?: return Int(value)
        case .unsigned(let value)? where value <= UInt64(Int.max): return Int(value)
        default: throw mismatch(key, "an integer")
        }
    }

    /// The boolean at `key`; nil when absent.
    public func bool(_ key: String) throws -> Bool? {
        switch self[key] {
        case nil: return nil
        case .bool(let value)?: return value
        default: throw mismatch(key, "a boolean")
        }
    }

    /// The array at `key`; nil when absent.
    public func array(_ key: String) throws -> [Value]? {
        switch self[key] {
        case nil: return nil
        case .array(let values)?: return values
        default: throw mismatch(key, "an array")
        }
    }

    /// The array of strings at `key`; nil when absent; an error naming the index of an element of another type.
    public func strings(_ key: String) throws -> [String]? {
        try array(key)?.enumerated().map { position, value in
            guard case .string(let string) = value else { throw mismatch("\(key)[\(position)]", "a string") }
            return string
        }
    }

    /// The array of integers at `key`; nil when absent; an error naming the index of an element of another type.
    public func integers(_ key: String) throws -> [Int]? {
        try array(key)?.enumerated().map { position, value in
            switch value {
            case .integer(let number): return Int(number)
            case .unsigned(let number) where number <= UInt64(Int.max): return Int(number)
            default: throw mismatch("\(key)[\(position)]", "an integer")
            }
        }
    }

    /// The array of numbers at `key` as doubles; nil when absent; an error naming the index of an
    /// element that is not a finite number.
    public func numbers(_ key: String) throws -> [Double]? {
        try array(key)?.enumerated().map { position, value in
            switch value {
            case .float(let number) where number.isFinite: return number
            case .integer(let number): return Double(number)
            case .unsigned(let number): return Double(number)
            default: throw mismatch("\(key)[\(position)]", "a finite number")
            }
        }
    }

    private func mismatch(_ key: String, _ expected: String) -> ConfigurationError {
        ConfigurationError(path: path, message: "\(key): expected \(expected)")
    }

    /// A bounds-checked little-endian cursor over the file's bytes.
    private struct Reader {
        let data: Data
        let path: String
        var offset = 0

        mutating func bytes(_ count: Int, at what: String) throws -> Data {
            guard count >= 0, count <= data.count - offset else {
                throw ConfigurationError(path: path, message: "\(what): truncated at byte \(offset) (needs \(count) more bytes, the file has \(data.count - offset))")
            }
            defer { offset += count }
            return data.subdata(in: data.startIndex + offset..<data.startIndex + offset + count)
        }

        mutating func integer<T: FixedWidthInteger>(_: T.Type, at what: String) throws -> T {
            let raw = try bytes(MemoryLayout<T>.size, at: what)
            return T(littleEndian: raw.withUnsafeBytes { $0.loadUnaligned(as: T.self) })
        }

        mutating func uint32(at what: String) throws -> UInt32 { try integer(UInt32.self, at: what) }
        mutating func uint64(at what: String) throws -> UInt64 { try integer(UInt64.self, at: what) }

        mutating func string(at what: String) throws -> String {
            let length = try uint64(at: what)
            guard length <= UInt64(data.count) else {
                throw ConfigurationError(path: path, message: "\(what): truncated at byte \(offset - 8) (a string of \(length) bytes exceeds the file)")
            }
            let raw = try bytes(Int(length), at: what)
            guard let string = String(validating: raw, as: UTF8.self) else {
                throw ConfigurationError(path: path, message: "\(what): the string at byte \(offset - Int(length)) is not valid UTF-8")
            }
            return string
        }

        /// The size of a value of a fixed-size `type`, or nil for strings, arrays and unknown types.
        static func size(of type: UInt32) -> Int? {
            switch type {
            case 0, 1, 7: return 1
            case 2, 3: return 2
            case 4, 5, 6: return 4
            case 10, 11, 12: return 8
            default: return nil
            }
        }

        /// The element type and count of an array, checked against the bytes left (each element
        /// takes at least its own size; a string at least its 8-byte length).
        mutating func arrayHeader(at what: String) throws -> (type: UInt32, count: Int) {
            let elementType = try uint32(at: what)
            guard elementType != 9 else { throw ConfigurationError(path: path, message: "\(what): nested arrays are not supported") }
            let count = try uint64(at: what)
            let minimum = UInt64(Self.size(of: elementType) ?? 8)
            guard count <= UInt64(data.count - offset) / minimum else {
                throw ConfigurationError(path: path, message: "\(what): truncated at byte \(offset) (\(count) array elements cannot fit in the \(data.count - offset) bytes left)")
            }
            return (elementType, Int(count))
        }

        /// Moves past `count` bytes without reading them.
        mutating func advance(_ count: Int, at what: String) throws {
            guard count >= 0, count <= data.count - offset else {
                throw ConfigurationError(path: path, message: "\(what): truncated at byte \(offset) (needs \(count) more bytes, the file has \(data.count - offset))")
            }
            offset += count
        }

        /// Steps over a value without decoding it.
        mutating func skip(type: UInt32, at what: String) throws {
            if let size = Self.size(of: type) {
                try advance(size, at: what)
            } else if type == 8 {
                let length = try uint64(at: what)
                guard length <= UInt64(data.count - offset) else {
                    throw ConfigurationError(path: path, message: "\(what): truncated at byte \(offset - 8) (a string of \(length) bytes exceeds the file)")
                }
                try advance(Int(length), at: what)
            } else if type == 9 {
                let (elementType, count) = try arrayHeader(at: what)
                if let size = Self.size(of: elementType) {
                    try advance(size * count, at: what)
                } else {
                    for _ in 0..<count { try skip(type: elementType, at: what) }
                }
            } else {
                throw ConfigurationError(path: path, message: "\(what): unknown value type \(type) at byte \(offset - 4)")
            }
        }

        mutating func value(type: UInt32, at what: String) throws -> Value {
            switch type {
            case 0: return .unsigned(UInt64(try integer(UInt8.self, at: what)))
            case 1: return .integer(Int64(try integer(Int8.self, at: what)))
            case 2: return .unsigned(UInt64(try integer(UInt16.self, at: what)))
            case 3: return .integer(Int64(try integer(Int16.self, at: what)))
            case 4: return .unsigned(UInt64(try integer(UInt32.self, at: what)))
            case 5: return .integer(Int64(try integer(Int32.self, at: what)))
            case 6: return .float(Double(Float(bitPattern: try integer(UInt32.self, at: what))))
            case 7:
                let byte = try integer(UInt8.self, at: what)
                guard byte <= 1 else { throw ConfigurationError(path: path, message: "\(what): boolean byte \(byte) is neither 0 nor 1") }
                return .bool(byte == 1)
            case 8: return .string(try string(at: what))
            case 9:
                let (elementType, count) = try arrayHeader(at: what)
                guard count <= GGUFMetadata.maximumArrayCount else {
                    throw ConfigurationError(path: path, message: "\(what): \(count) array elements, more than the \(GGUFMetadata.maximumArrayCount) a tokenizer's array may hold")
                }
                var values: [Value] = []
                values.reserveCapacity(count)
                for position in 0..<count { values.append(try value(type: elementType, at: "\(what)[\(position)]")) }
                return .array(values)
            case 10: return .unsigned(try uint64(at: what))
            case 11: return .integer(try integer(Int64.self, at: what))
            case 12: return .float(Double(bitPattern: try uint64(at: what)))
            default: throw ConfigurationError(path: path, message: "\(what): unknown value type \(type) at byte \(offset - 4)")
            }
        }
    }
}
