import Foundation

/// A parsed JSON value, for reading pipeline components from `tokenizer.json`.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses JSON text; throws ``ConfigurationError`` naming `source` on invalid JSON.
    public static func parse(_ data: Data, source: String = "JSON") throws -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            let detail = (context.underlyingError as NSError?)?.userInfo["NSDebugDescription"] as? String
            throw ConfigurationError(path: source, message: "not valid JSON: \(detail ?? context.debugDescription)")
        } catch {
            throw ConfigurationError(path: source, message: "not valid JSON: \(error)")
        }
    }
}

extension JSONValue: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
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
        guard case .object(let object) = value else {
            throw ConfigurationError(path: path, message: "expected an object")
        }
        guard let member = object[key], member != .null else { return nil }
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

    /// The elements of this array.
    public func elements() throws -> [JSONNode] {
        guard case .array(let array) = value else { throw ConfigurationError(path: path, message: "expected an array") }
        return array.enumerated().map { JSONNode($1, path: "\(path)[\($0)]") }
    }

    /// The optional member `key` as a Boolean, or `defaultValue` when absent.
    public func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        try optionalMember(key)?.bool() ?? defaultValue
    }
}

/// A `tokenizer.json` component that is malformed or unknown, with the JSON path of the problem.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    /// Where the problem is, as a JSON path.
    public let path: String
    /// What is wrong there.
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
