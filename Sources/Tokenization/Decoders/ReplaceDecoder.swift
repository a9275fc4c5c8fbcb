import TextProcessing

/// Replaces a literal string or a pattern in each token, like the `Replace` normalizer.
public struct ReplaceDecoder: Decoder {
    private let replace: Replace

    /// Replaces every occurrence of `string` with `content`.
    public init(string: String, content: String) {
        replace = Replace(string: string, content: content)
    }

    /// Replaces every match of the Oniguruma-style `regex` with `content`.
    public init(regex: String, content: String) throws {
        replace = try Replace(regex: regex, content: content)
    }

    public func decodeChain(_ tokens: [String]) -> [String] {
        tokens.map { (try? replace.normalize($0)) ?? $0 }
    }
}
