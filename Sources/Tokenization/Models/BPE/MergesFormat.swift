import Support

/// How `tokenizer.json` writes a BPE model's merges.
public enum MergesFormat: String, Sendable, CaseIterable {
    /// `["a", "b"]`, as `tokenizers` 0.20 and later write them; 0.19 and earlier cannot read them.
    case pairs
    /// `"a b"`, as `tokenizers` wrote them before 0.20 and every version reads; impossible when a
    /// merge part holds a space.
    case strings

    /// The format of a `tokenizer.json` document's merges; nil when it has none.
    public init?(of document: JSONValue) {
        guard case .array(let merges)? = document["model"]?["merges"], let first = merges.first else { return nil }
        if case .string = first { self = .strings } else { self = .pairs }
    }

    /// The parts of a merge written as a string, split at each U+0020 scalar (not at grapheme
    /// clusters: a part may start with a combining mark, as `"क ि"` does).
    public static func parts(of line: String) -> [String] {
        line.unicodeScalars.split(separator: " ", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
    }

    /// `document` (a `tokenizer.json`) with its merges in this format; `path` names it in errors.
    public func apply(to document: JSONValue, path: String) throws -> JSONValue {
        guard case .object(var members) = document, let modelIndex = members.firstIndex(where: { $0.key == "model" }),
              case .object(var model) = members[modelIndex].value, let index = model.firstIndex(where: { $0.key == "merges" }),
              case .array(let merges) = model[index].value else { return document }
        model[index].value = .array(try merges.enumerated().map { rank, merge in
            let parts: [String]
            switch merge {
            case .string(let line): parts = Self.parts(of: line)
            case .array(let pair): parts = pair.compactMap { if case .string(let part) = $0 { part } else { nil } }
            default: parts = []
            }
            guard parts.count == 2 else { throw ConfigurationError(path: "\(path): model.merges[\(rank)]", message: "a merge must have exactly two parts") }
            switch self {
            case .pairs: return .array(parts.map { .string($0) })
            case .strings:
                if let part = parts.first(where: { $0.utf8.contains(0x20) }) {
                    throw ConfigurationError(path: "\(path): model.merges[\(rank)]",
                                             message: "the merge part \(part.debugDescription) holds a space, which merges written as \"a b\" cannot; write them as pairs")
                }
                return .string(parts[0] + " " + parts[1])
            }
        })
        members[modelIndex].value = .object(model)
        return .object(members)
    }
}
