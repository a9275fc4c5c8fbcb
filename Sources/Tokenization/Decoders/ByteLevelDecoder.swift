import TextProcessing

/// Maps byte-level characters back to bytes and decodes them as UTF-8, replacing invalid
/// sequences with U+FFFD. A token holding a character outside the byte alphabet is kept as its UTF-8.
public struct ByteLevelDecoder: Decoder {
    public init() {}

    public func decodeChain(_ tokens: [String]) -> [String] {
        var bytes: [UInt8] = []
        for token in tokens {
            let start = bytes.count
            var mapped = true
            for scalar in token.unicodeScalars {
                guard let byte = ByteLevelAlphabet.byte(of: scalar.value) else { mapped = false; break }
                bytes.append(byte)
            }
            if !mapped {
                bytes.removeSubrange(start...)
                bytes.append(contentsOf: token.utf8)
            }
        }
        return [String(decoding: bytes, as: UTF8.self)]
    }
}
