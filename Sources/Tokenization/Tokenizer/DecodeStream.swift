/// Streaming detokenization, as Hugging Face's `decode_stream`: ids arrive one at a time
/// (as a model generates them), and each step returns the text they complete, holding back
/// output while it would end in an incomplete character (U+FFFD) and re-decoding a short
/// window so that decoders which look at neighbours (Metaspace, Strip) stay exact.
public struct DecodeStream {
    private let tokenizer: Tokenizer
    private let skipSpecialTokens: Bool
    private var ids: [TokenID] = []
    private var prefix = ""
    private var prefixIndex = 0

    /// A stream decoding with `tokenizer`.
    public init(tokenizer: Tokenizer, skipSpecialTokens: Bool = false) {
        self.tokenizer = tokenizer
        self.skipSpecialTokens = skipSpecialTokens
    }

    /// Adds `id`; returns the newly completed text, or nil when there is none yet.
    public mutating func step(_ id: TokenID) throws -> String? {
        if prefix.isEmpty && !ids.isEmpty {
            let newPrefix = tokenizer.decode(ids, skipSpecialTokens: skipSpecialTokens)
            if newPrefix.unicodeScalars.last != "\u{FFFD}" {
                prefix = newPrefix
                prefixIndex = ids.count
            }
        }
        ids.append(id)
        let string = tokenizer.decode(ids, skipSpecialTokens: skipSpecialTokens)
        guard string.utf8.count > prefix.utf8.count, string.unicodeScalars.last != "\u{FFFD}" else { return nil }
        guard string.utf8.starts(with: prefix.utf8) else {
            throw TokenizerError.invalidModel("decode stream: the text of id \(id) does not continue \(prefix.debugDescription)")
        }
        let newText = String(decoding: string.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
        let newPrefixIndex = ids.count - prefixIndex
        ids.removeFirst(prefixIndex)
        prefix = tokenizer.decode(ids, skipSpecialTokens: skipSpecialTokens)
        prefixIndex = newPrefixIndex
        return newText
    }
}
