import CICU

/// A set of Unicode scripts (ISO 15924, as ICU knows them), such as `Hebrew,Cyrl`, and the
/// test of whether a piece of text is written in them.
public struct ScriptSet: Sendable, Equatable {
    /// The ICU script codes.
    public let codes: Set<Int32>

    /// The scripts named by `names`: ISO 15924 codes (`Hebr`) or long names (`Hebrew`).
    public init(names: [String]) throws {
        var codes = Set<Int32>()
        for name in names {
            let code = pt_script_code(name)
            guard code >= 0 else {
                throw ICUError(description: "unknown script \(name.debugDescription): give an ISO 15924 code such as Hebr or Cyrl, or a name such as Hebrew")
            }
            codes.insert(code)
        }
        self.codes = codes
    }

    /// The scripts with these ICU codes.
    public init(codes: Set<Int32>) { self.codes = codes }

    /// The ICU script code of `scalar`.
    public static func script(of scalar: Unicode.Scalar) -> Int32 { pt_script_of(Int32(scalar.value)) }

    /// The ISO 15924 codes of the set, sorted.
    public var shortNames: [String] {
        codes.compactMap { pt_script_short_name($0).map { String(cString: $0) } }.sorted()
    }

    /// Whether `scalar` is written in one of the scripts.
    public func contains(_ scalar: Unicode.Scalar) -> Bool { codes.contains(pt_script_of(Int32(scalar.value))) }

    /// Whether the text of `bytes` (UTF-8, possibly cut inside a character at either end) is
    /// written in these scripts: at least one of its characters is in them, and every other is
    /// one that joins words (spaces, `▁`, combining marks, hyphens, connectors, apostrophes). An
    /// incomplete character at either end counts as joining; a piece with no whole character
    /// is admitted (it is a step towards characters, and never ASCII).
    public func admits(_ bytes: [UInt8]) -> Bool {
        var inScripts = false, whole = false
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                whole = true
                if contains(scalar) {
                    inScripts = true
                } else if !Self.joins(scalar) {
                    return false
                }
            case .emptyInput: break decoding
            case .error: continue
            }
        }
        return inScripts || !whole
    }

    /// Whether the text of `bytes` (UTF-8) holds a letter.
    public static func hasLetter(_ bytes: [UInt8]) -> Bool {
        String(decoding: bytes, as: UTF8.self).unicodeScalars.contains { $0.properties.isAlphabetic && $0.value != 0xFFFD }
    }

    /// Whether `scalar` joins the words of any script.
    private static func joins(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value == 0x2581 || scalar.value == 0x27 || scalar.value == 0x2019 || scalar.value == 0x2BC { return true }
        switch scalar.properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator, .nonspacingMark, .spacingMark, .enclosingMark,
             .dashPunctuation, .connectorPunctuation, .format:
            return true
        case .control:
            return scalar.properties.isWhitespace
        default:
            return false
        }
    }
}

/// How many letters of each script a text holds.
public struct ScriptHistogram: Sendable {
    /// Letters per ICU script code.
    public private(set) var letters: [Int32: UInt64] = [:]

    /// An empty histogram.
    public init() {}

    /// Counts the letters of `bytes` (UTF-8; invalid sequences are skipped), `times` times.
    public mutating func add(_ bytes: [UInt8], times: UInt64 = 1) {
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars where scalar.properties.isAlphabetic {
            letters[ScriptSet.script(of: scalar), default: 0] += times
        }
    }

    /// The scripts holding at least `share` of the letters.
    public func scripts(withShare share: Double) -> ScriptSet {
        let total = letters.values.reduce(0, +)
        return ScriptSet(codes: Set(letters.filter { total > 0 && Double($0.value) >= share * Double(total) }.keys))
    }
}
