/// Replaces every match of a pattern (a literal string or a regular expression) by `content`.
public struct Replace: Normalizer {
    /// The pattern searched for.
    public let pattern: any SplitPattern
    /// The replacement text.
    public let content: String
    private let contentScalars: [UInt32]

    /// Replaces the literal `string`.
    public init(string: String, content: String) {
        self.init(pattern: LiteralPattern(string), content: content)
    }

    /// Replaces matches of the regular expression `regex`.
    public init(regex: String, content: String) throws {
        self.init(pattern: try PatternCatalog.pattern(for: regex), content: content)
    }

    /// Replaces matches of any split pattern.
    public init(pattern: any SplitPattern, content: String) {
        self.pattern = pattern
        self.content = content
        contentScalars = content.unicodeScalars.map(\.value)
    }

    public func normalize(_ text: inout NormalizedString) {
        let ranges = text.scalars.withUnsafeBufferPointer { pattern.matches(in: $0) }
        text.replace(ranges: ranges, with: contentScalars)
    }
}
