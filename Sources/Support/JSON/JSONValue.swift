import Foundation

/// A parsed JSON value, for reading `tokenizer.json` and other configuration files.
///
/// Objects keep their members in file order and their keys exactly as written (Swift
/// `String` comparison is canonical equivalence, so a dictionary would merge keys such
/// as `"é"` and `"e\u{301}"` that are distinct vocabulary entries).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// Parses JSON text; throws ``ConfigurationError`` naming `source`, line and column on invalid JSON.
    public static func parse(_ data: Data, source: String = "JSON") throws -> JSONValue {
        try data.withUnsafeBytes { raw in
            var parser = JSONParser(raw.bindMemory(to: UInt8.self), source: source)
            return try parser.parseDocument()
        }
    }

    /// Parses JSON text in `bytes`; errors name `source` and the line (counted from `firstLine`)
    /// and column, as in a JSON Lines file whose line `firstLine` this is.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, source: String, firstLine: Int) throws -> JSONValue {
        var parser = JSONParser(bytes, source: source, firstLine: firstLine)
        return try parser.parseDocument()
    }

    /// Reads and parses the JSON file at `path`; throws ``ConfigurationError`` naming the file (and
    /// line and column for invalid JSON), including when it is missing or a directory.
    public static func parse(contentsOf path: String) throws -> JSONValue {
        let data: Data
        do {
            data = try InputFile.read(path)
        } catch let error as InputError {
            throw ConfigurationError(path: error.path, message: error.message)
        }
        return try parse(data, source: path)
    }

    /// The value of the first member named `key`, when this is an object that has one.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key.utf8.elementsEqual(key.utf8) }?.value
    }
}

/// One member of a JSON object: its key as written, and its value.
public struct JSONMember: Sendable, Equatable {
    /// The key, scalar for scalar as in the file.
    public var key: String
    /// The value.
    public var value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }

    public static func == (lhs: JSONMember, rhs: JSONMember) -> Bool {
        lhs.key.utf8.elementsEqual(rhs.key.utf8) && lhs.value == rhs.value
    }
}

extension Array where Element == JSONMember {
    /// Sets the member `key` (compared by bytes) to `value`, appending it if absent; nil removes it.
    public mutating func set(_ key: String, _ value: JSONValue?) {
        if let index = firstIndex(where: { $0.key.utf8.elementsEqual(key.utf8) }) {
            if let value { self[index].value = value } else { remove(at: index) }
        } else if let value {
            append(JSONMember(key, value))
        }
    }
}

/// A JSON value together with its path from the document root, so that every error
/// names where it happened (`pre_tokenizer.pretokenizers[1].behavior`).
public struct JSONNode: Sendable {
    /// The value at this path.
    public let value: JSONValue
    /// The path from the root, as `a.b[2].c`.
    public let path: String

    public init(_ value: JSONValue, path: String) {
        self.value = value
        self.path = path
    }

    /// The member `key` of this object; throws when this is not an object or the key is missing.
    public func member(_ key: String) throws -> JSONNode {
        guard let node = try optionalMember(key) else {
            throw ConfigurationError(path: "\(path).\(key)", message: "missing field")
        }
        return node
    }

    /// The member `key` of this object, or nil when it is absent or null.
    public func optionalMember(_ key: String) throws -> JSONNode? {
        guard case .object = value else {
            throw ConfigurationError(path: path, message: "expected an object")
        }
        guard let member = value[key], member != .null else { return nil }
        return JSONNode(member, path: "\(path).\(key)")
    }

    /// This value as a string.
    public func string() throws -> String {
        guard case .string(let string) = value else { throw ConfigurationError(path: path, message: "expected a string") }
        return string
    }

    /// This value as a Boolean.
    public func bool() throws -> Bool {
        guard case .bool(let bool) = value else { throw ConfigurationError(path: path, message: "expected true or false") }
        return bool
    }

    /// This value as an integer.
    public func int() throws -> Int {
        guard case .number(let number) = value, let int = Int(exactly: number) else {
            throw ConfigurationError(path: path, message: "expected an integer")
        }
        return int
    }

    /// This value as an integer in `range`.
    public func int(in range: ClosedRange<Int>) throws -> Int {
        let value = try int()
        guard range.contains(value) else {
            throw ConfigurationError(path: path, message: "expected an integer between \(range.lowerBound) and \(range.upperBound), not \(value)")
        }
        return value
    }

    /// This value as a 32-bit unsigned integer (a token or type id).
    public func uint32() throws -> UInt32 {
        UInt32(try int(in: 0...Int(UInt32.max)))
    }

    /// The elements of this array.
    public func elements() throws -> [JSONNode] {
        guard case .array(let array) = value else { throw ConfigurationError(path: path, message: "expected an array") }
        return array.enumerated().map { JSONNode($1, path: "\(path)[\($0)]") }
    }

    /// The members of this object, in file order, each with its path.
    public func members() throws -> [(key: String, node: JSONNode)] {
        guard case .object(let members) = value else { throw ConfigurationError(path: path, message: "expected an object") }
        return members.map { ($0.key, JSONNode($0.value, path: "\(path).\($0.key)")) }
    }

    /// This value as a number.
    public func double() throws -> Double {
        guard case .number(let number) = value else { throw ConfigurationError(path: path, message: "expected a number") }
        return number
    }

    /// The optional member `key` as a Boolean, or `defaultValue` when absent.
    public func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        try optionalMember(key)?.bool() ?? defaultValue
    }
}
