import TextProcessing

/// Turns the replacement character (`▁`) back into spaces; in the first token it is
/// dropped instead, unless the prepend scheme is `never`.
public struct MetaspaceDecoder: Decoder {
    /// The character standing for a space.
    public var replacement: Unicode.Scalar
    /// The pre-tokenizer's prepend scheme; `never` keeps the first token's leading space.
    public var prependScheme: Metaspace.PrependScheme
    /// The pre-tokenizer's split option (kept for round-tripping).
    public var split: Bool

    /// A Metaspace decoder matching a Metaspace pre-tokenizer.
    public init(replacement: Unicode.Scalar = "\u{2581}", prependScheme: Metaspace.PrependScheme = .always, split: Bool = true) {
        self.replacement = replacement
        self.prependScheme = prependScheme
        self.split = split
    }

    public func decodeChain(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { index, token in
            var result = String.UnicodeScalarView()
            for scalar in token.unicodeScalars {
                if scalar == replacement {
                    if index == 0 && prependScheme != .never { continue }
                    result.append(" ")
                } else {
                    result.append(scalar)
                }
            }
            return String(result)
        }
    }
}
