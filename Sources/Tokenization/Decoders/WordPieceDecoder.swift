/// Joins WordPiece tokens: a token with the continuing-subword prefix attaches to the one
/// before it without the prefix, any other gets a space before it; with `cleanup`, the spaces
/// before punctuation and English contractions are removed (`tokenizers`' `cleanup`).
public struct WordPieceDecoder: Decoder {
    /// The prefix of tokens that continue a word.
    public var prefix: String
    /// Whether tokenization spaces are cleaned up.
    public var cleanup: Bool

    /// A WordPiece decoder.
    public init(prefix: String = "##", cleanup: Bool = true) {
        self.prefix = prefix
        self.cleanup = cleanup
    }

    private static let cleanups = [(" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
                                   (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")]

    public func decodeChain(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { index, token in
            var token = token
            if index > 0 {
                if token.utf8.starts(with: prefix.utf8) {
                    token = String(decoding: token.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
                } else {
                    token = " " + token
                }
            }
            if cleanup {
                for (pattern, replacement) in Self.cleanups { token = Self.replacing(Array(pattern.utf8), with: Array(replacement.utf8), in: token) }
            }
            return token
        }
    }

    /// `text` with every occurrence of `pattern` replaced, left to right, compared by bytes.
    static func replacing(_ pattern: [UInt8], with replacement: [UInt8], in text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count >= pattern.count else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if index + pattern.count <= bytes.count, bytes[index..<index + pattern.count].elementsEqual(pattern) {
                result.append(contentsOf: replacement)
                index += pattern.count
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
