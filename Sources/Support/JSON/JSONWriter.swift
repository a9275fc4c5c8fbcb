import Foundation

/// Writes ``JSONValue``s as JSON text the way `serde_json` (and so Hugging Face
/// `tokenizers`) does: UTF-8 without escaping non-ASCII, and in pretty form two-space
/// indentation with `": "` between key and value.
public enum JSONWriter {
    /// `value` as compact JSON.
    public static func compact(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        write(value, to: &out, indent: nil, depth: 0)
        return String(decoding: out, as: UTF8.self)
    }

    /// `value` as pretty-printed JSON.
    public static func pretty(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        write(value, to: &out, indent: 2, depth: 0)
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes `value` as pretty-printed JSON to the file at `path` (created or replaced).
    public static func writePretty(_ value: JSONValue, toFile path: String) throws {
        try Data(pretty(value).utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Appends `string` as a JSON string literal to `out`.
    public static func appendString(_ string: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 15)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `number` to `out`: integers without a fraction, others in shortest round-trip form.
    public static func appendNumber(_ number: Double, to out: inout [UInt8]) {
        if number == number.rounded(), abs(number) < 1e15 {
            out.append(contentsOf: String(Int64(number)).utf8)
        } else {
            out.append(contentsOf: "\(number)".utf8)
        }
    }

    private static func newline(_ out: inout [UInt8], indent: Int?, depth: Int) {
        guard let indent else { return }
        out.append(0x0A)
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * depth))
    }

    private static func write(_ value: JSONValue, to out: inout [UInt8], indent: Int?, depth: Int) {
        switch value {
        case .null: out.append(contentsOf: Array("null".utf8))
        case .bool(let bool): out.append(contentsOf: Array((bool ? "true" : "false").utf8))
        case .number(let number): appendNumber(number, to: &out)
        case .string(let string): appendString(string, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            guard !elements.isEmpty else { out.append(UInt8(ascii: "]")); return }
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, indent: indent, depth: depth + 1)
                write(element, to: &out, indent: indent, depth: depth + 1)
            }
            newline(&out, indent: indent, depth: depth)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            guard !members.isEmpty else { out.append(UInt8(ascii: "}")); return }
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, indent: indent, depth: depth + 1)
                appendString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(UInt8(ascii: " ")) }
                write(member.value, to: &out, indent: indent, depth: depth + 1)
            }
            newline(&out, indent: indent, depth: depth)
            out.append(UInt8(ascii: "}"))
        }
    }
}
