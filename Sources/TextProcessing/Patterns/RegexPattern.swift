import CICU

/// A general regular expression, run by ICU's engine with Oniguruma's match iteration.
///
/// The class escapes (general categories `\p{…}`, `\w`, `\d`, `\s` and their negations)
/// are rewritten into explicit sets taken from `OracleUnicodeTables`, so they follow
/// Oniguruma's Unicode version and quirks rather than ICU's.
/// Prefer ``PatternCatalog/pattern(for:)``, which returns a hand-written scanner for
/// the well-known patterns.
public final class RegexPattern: SplitPattern, @unchecked Sendable {
    /// The pattern as written in `tokenizer.json`.
    public let source: String
    private let regex: OpaquePointer
    private let lock = Mutex()

    /// Compiles `pattern`; throws with ICU's message and offset when it is invalid.
    public init(_ pattern: String) throws {
        source = pattern
        let rewritten = Self.rewriteClasses(pattern).utf16.map { $0 }
        let (compiled, message) = withICUErrorBuffer { buffer, capacity in
            rewritten.withUnsafeBufferPointer { pt_regex_open($0.baseAddress, Int32($0.count), buffer, capacity) }
        }
        guard let compiled else {
            throw ICUError(description: "invalid regular expression \(pattern.debugDescription): \(message)")
        }
        regex = compiled
    }

    deinit { pt_regex_close(regex) }

    public func matches(in scalars: UnsafeBufferPointer<UInt32>) -> [Range<Int>] {
        let mapping = UTF16Mapping(scalars)
        var ranges = [Int32](repeating: 0, count: 64)
        var count: Int32 = 0
        lock.withLock {
            while true {
                count = mapping.units.withUnsafeBufferPointer { text in
                    ranges.withUnsafeMutableBufferPointer {
                        pt_regex_find_all(regex, text.baseAddress, Int32(text.count), $0.baseAddress, Int32($0.count / 2))
                    }
                }
                if count * 2 <= ranges.count { break }
                ranges = [Int32](repeating: 0, count: Int(count) * 2)
            }
        }
        precondition(count >= 0, "ICU regex search failed")
        return (0..<Int(count)).map {
            Int(mapping.scalarIndex[Int(ranges[2 * $0])])..<Int(mapping.scalarIndex[Int(ranges[2 * $0 + 1])])
        }
    }

    /// Replaces Oniguruma's class escapes (`\p{…}` general categories, `\w`, `\d`, `\s`
    /// and their negations) by explicit sets, taking the inside-brackets variant where the
    /// escape stands in a bracket expression.
    static func rewriteClasses(_ pattern: String) -> String {
        func set(_ ranges: String, negated: Bool) -> String {
            var out = negated ? "[^" : "["
            for range in HexRanges(ranges) {
                out += "\\x{\(String(range.lowerBound, radix: 16))}"
                if range.upperBound != range.lowerBound { out += "-\\x{\(String(range.upperBound, radix: 16))}" }
            }
            return out + "]"
        }
        let scalars = Array(pattern.unicodeScalars)
        var out = ""
        var depth = 0
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "[" { depth += 1 }
            if c == "]" && depth > 0 { depth -= 1 }
            guard c == "\\", i + 1 < scalars.count else {
                out.unicodeScalars.append(c)
                i += 1
                continue
            }
            let next = scalars[i + 1]
            var escape = "\\" + String(next).lowercased()
            var end = i + 2
            if next == "p" || next == "P", i + 2 < scalars.count, scalars[i + 2] == "{",
               let close = scalars[(i + 3)...].firstIndex(of: "}") {
                escape = "\\p{" + String(String.UnicodeScalarView(scalars[(i + 3)..<close])) + "}"
                end = close + 1
            }
            if let classes = OracleUnicodeTables.regexClasses[escape] {
                out += set(depth > 0 ? classes.inside : classes.outside, negated: next.properties.isUppercase)
                i = end
            } else {
                out.unicodeScalars.append(c)
                out.unicodeScalars.append(next)
                i += 2
            }
        }
        return out
    }
}
