import Support

/// The field of a JSON Lines record that holds a document's text: a key, or a dotted path of
/// keys into nested objects (`meta.text`).
public struct JSONField: Sendable, CustomStringConvertible {
    /// The keys, outermost first.
    public let keys: [String]

    /// The field at the dotted `path`; throws on an empty path or an empty key.
    public init(_ path: String) throws {
        let keys = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !keys.contains(where: \.isEmpty) else {
            throw CorpusReader.ReadError(path: path, message: "not a field path: keys separated by '.', none empty (text, meta.text)")
        }
        self.keys = keys
    }

    public var description: String { keys.joined(separator: ".") }

    /// The field's text in `record`, or a message saying why it has none.
    public func text(in record: JSONValue) -> Result<String, Missing> {
        var value = record
        for (depth, key) in keys.enumerated() {
            guard case .object = value else {
                let parent = depth == 0 ? "the record" : "'\(keys[..<depth].joined(separator: "."))'"
                return .failure(Missing(message: "\(parent) is \(Self.kind(of: value)), not an object with '\(key)'"))
            }
            guard let member = value[key] else { return .failure(Missing(message: "no field '\(description)'")) }
            value = member
        }
        guard case .string(let text) = value else {
            return .failure(Missing(message: "field '\(description)' is \(Self.kind(of: value)), not a string"))
        }
        return .success(text)
    }

    /// Why a record has no text.
    public struct Missing: Error, Sendable {
        /// The reason, naming the field.
        public let message: String
    }

    private static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
