/// Splits on a pattern (a literal string or a regular expression) with one of the five
/// delimiter behaviours, optionally inverted.
public struct Split: PreTokenizer {
    /// The delimiter pattern.
    public let pattern: any SplitPattern
    /// What happens to the delimiters.
    public let behavior: SplitDelimiterBehavior
    /// When true, the text between matches is the delimiter instead.
    public let invert: Bool

    /// Splits on a pattern.
    public init(pattern: any SplitPattern, behavior: SplitDelimiterBehavior, invert: Bool = false) {
        self.pattern = pattern
        self.behavior = behavior
        self.invert = invert
    }

    /// Splits on matches of a regular expression (a hand-written scanner when it is a well-known pattern).
    public init(regex: String, behavior: SplitDelimiterBehavior, invert: Bool = false) throws {
        self.init(pattern: try PatternCatalog.pattern(for: regex), behavior: behavior, invert: invert)
    }

    /// Splits on a literal string.
    public init(string: String, behavior: SplitDelimiterBehavior, invert: Bool = false) {
        self.init(pattern: LiteralPattern(string), behavior: behavior, invert: invert)
    }

    public func preTokenize(_ text: inout PreTokenizedString) {
        text.split { _, piece in piece.split(by: pattern, behavior: behavior, invert: invert) }
    }
}
