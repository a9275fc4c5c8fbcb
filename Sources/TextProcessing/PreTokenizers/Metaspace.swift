/// SentencePiece-style pre-tokenizer: spaces become `▁` (or another replacement), a `▁`
/// is prepended as the scheme says, and the text is optionally split before each `▁`.
public struct Metaspace: PreTokenizer {
    /// When to prepend the replacement character.
    public enum PrependScheme: String, Sendable, CaseIterable {
        /// To every piece that does not start with it.
        case always
        /// Only to the piece at the very start of the original text.
        case first
        /// Never.
        case never
    }

    /// The character that stands for a space.
    public let replacement: UInt32
    /// When to prepend it.
    public let prependScheme: PrependScheme
    /// Whether to split before each replacement character.
    public let split: Bool

    public init(replacement: Unicode.Scalar = "\u{2581}", prependScheme: PrependScheme = .always, split: Bool = true) {
        self.replacement = replacement.value
        self.prependScheme = prependScheme
        self.split = split
    }

    public func preTokenize(_ text: inout PreTokenizedString) {
        let replacement = self.replacement
        let splitter = ScalarPredicatePattern { $0 == replacement }
        text.split { _, piece in
            var piece = piece
            let spaces = piece.scalars.indices.filter { piece.scalars[$0] == 0x20 }.map { $0..<($0 + 1) }
            piece.replace(ranges: spaces, with: [replacement])
            let startsWithReplacement = piece.scalars.first == replacement
            switch prependScheme {
            case .always where !startsWithReplacement:
                piece.prepend([replacement])
            case .first where !startsWithReplacement && piece.originalOffsets.lowerBound == 0:
                piece.prepend([replacement])
            default:
                break
            }
            return split ? piece.split(by: splitter, behavior: .mergedWithNext) : [piece]
        }
    }
}
