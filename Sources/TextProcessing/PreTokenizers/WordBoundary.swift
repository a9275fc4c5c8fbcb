/// Splits text into words by ICU's word-boundary rules and dictionaries, for scripts
/// written without spaces (Thai, Lao, Khmer, Myanmar, Chinese, Japanese).
///
/// ICU's segments that hold only whitespace are delimiters, handled as `behavior` says
/// (by default joined to the next word, so no text is lost).
public struct WordBoundary: PreTokenizer {
    /// The ICU locale whose rules are used ("" for the root locale).
    public let locale: String
    /// What happens to whitespace-only segments.
    public let behavior: SplitDelimiterBehavior
    private let breaker: ICUWordBreaker

    public init(locale: String = "", behavior: SplitDelimiterBehavior = .mergedWithNext) throws {
        self.locale = locale
        self.behavior = behavior
        breaker = try ICUWordBreaker(locale: locale)
    }

    public func preTokenize(_ text: inout PreTokenizedString) {
        text.split { _, piece in
            let segments = breaker.segments(of: piece.scalars)
            let marked = segments.map { range in
                (range: range, isMatch: piece.scalars[range].allSatisfy { CharacterClass.of($0).contains(.whitespace) })
            }
            return behavior.apply(marked).map { piece.slice($0) }
        }
    }
}
