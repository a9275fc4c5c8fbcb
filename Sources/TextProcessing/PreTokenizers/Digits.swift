/// Splits numbers (Rust's `char::is_numeric`) from the rest, as runs or one digit each.
public struct Digits: PreTokenizer {
    /// Whether each digit becomes a piece of its own.
    public let individualDigits: Bool

    public init(individualDigits: Bool = false) { self.individualDigits = individualDigits }

    public func preTokenize(_ text: inout PreTokenizedString) {
        let pattern = ScalarPredicatePattern { CharacterClass.of($0).contains(.numeric) }
        let behavior: SplitDelimiterBehavior = individualDigits ? .isolated : .contiguous
        text.split { _, piece in piece.split(by: pattern, behavior: behavior) }
    }
}
