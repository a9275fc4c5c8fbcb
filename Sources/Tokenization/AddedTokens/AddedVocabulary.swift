import TextProcessing

/// The added tokens of a tokenizer and the matching that cuts them out of the text.
///
/// Ids follow Hugging Face: a token already in the model vocabulary keeps its model id;
/// the others are numbered from the vocabulary size (or past the highest added id) in
/// the order they are added, whatever id a file claims.
public struct AddedVocabulary: Sendable {
    /// The added tokens by id.
    public private(set) var tokens: [TokenID: AddedToken] = [:]
    /// The ids of the added tokens, in the order they were added.
    public private(set) var order: [TokenID] = []
    private var idsByContent: [[UInt8]: TokenID] = [:]
    private var rawTrie = TokenTrie()
    private var normalizedTrie = TokenTrie()

    /// No added tokens.
    public init() {}

    /// Adds `token`, numbering it against `vocabulary`; `normalizer` normalizes the pattern
    /// of a `normalized` token. Returns its id.
    @discardableResult
    public mutating func add(_ token: AddedToken, vocabulary: Vocabulary, normalizer: (any Normalizer)?) throws -> TokenID? {
        guard !token.content.isEmpty else { return nil }
        let key = Array(token.content.utf8)
        if let existing = idsByContent[key], tokens[existing] == token { return existing }
        let id: TokenID
        if let modelID = vocabulary.id(for: key) {
            id = modelID
        } else if let existing = idsByContent[key] {
            id = existing
        } else {
            let size = TokenID(vocabulary.count)
            if let highest = tokens.keys.max() {
                id = highest >= size || size == 0 ? highest + 1 : size
            } else {
                id = size
            }
        }
        var pattern = token.content.unicodeScalars.map(\.value)
        if token.normalized, let preserving = normalizer as? any SymbolPreservingNormalizer {
            pattern = preserving.pattern(of: token.content)
        } else if token.normalized, let normalizer {
            var normalized = NormalizedString(token.content)
            try normalizer.normalize(&normalized)
            pattern = normalized.scalars
        }
        if tokens[id] == nil { order.append(id) }
        tokens[id] = token
        idsByContent[key] = id
        if token.normalized {
            normalizedTrie.insert(pattern, value: id)
        } else {
            rawTrie.insert(pattern, value: id)
        }
        return id
    }

    /// The id of the added token with this content, or nil.
    public func id(for content: String) -> TokenID? { idsByContent[Array(content.utf8)] }

    /// Cuts `text` at the added tokens it contains: the raw tokens when `normalized` is
    /// false, the normalized ones otherwise. Each part is a slice of `text`, paired with
    /// the id of the token it is, or nil for text between tokens.
    public func split(_ text: NormalizedString, normalized: Bool, skippingSpecial: Bool = false) -> [(NormalizedString, TokenID?)] {
        guard !(normalized ? normalizedTrie : rawTrie).isEmpty, !text.isEmpty else { return text.isEmpty ? [] : [(text, nil)] }
        return text.scalars.withUnsafeBufferPointer { parts(of: $0, normalized: normalized, skippingSpecial: skippingSpecial) }
            .map { (text.slice($0.range), $0.id) }
    }

    /// The parts of `scalars` as ``split(_:normalized:skippingSpecial:)`` cuts them, as ranges:
    /// leftmost-longest matches, with `single_word` matches dropped when a word character
    /// touches them, and `lstrip`/`rstrip` tokens widened over neighbouring whitespace.
    public func parts(of scalars: UnsafeBufferPointer<UInt32>, normalized: Bool,
                      skippingSpecial: Bool = false) -> [(range: Range<Int>, id: TokenID?)] {
        let trie = normalized ? normalizedTrie : rawTrie
        guard !trie.isEmpty else { return scalars.isEmpty ? [] : [(0..<scalars.count, nil)] }
        var parts: [(range: Range<Int>, id: TokenID?)] = []
        var consumed = 0
        var position = 0
        while position < scalars.count {
            guard let match = trie.longestMatch(in: scalars, at: position) else {
                position += 1
                continue
            }
            let token = tokens[match.value]!
            var start = position, stop = match.end
            position = match.end
            if skippingSpecial && token.special { continue }
            if token.singleWord {
                let wordBefore = start > 0 && CharacterClass.of(scalars[start - 1]).contains(.word)
                let wordAfter = stop < scalars.count && CharacterClass.of(scalars[stop]).contains(.word)
                if wordBefore || wordAfter { continue }
            }
            if token.leftStrip {
                var newStart = start
                while newStart > 0 && CharacterClass.of(scalars[newStart - 1]).contains(.whitespace) { newStart -= 1 }
                start = max(newStart, consumed)
            }
            if token.rightStrip {
                while stop < scalars.count && CharacterClass.of(scalars[stop]).contains(.whitespace) { stop += 1 }
                position = stop
            }
            if consumed < start { parts.append((consumed..<start, nil)) }
            parts.append((start..<stop, match.value))
            consumed = stop
        }
        if consumed < scalars.count { parts.append((consumed..<scalars.count, nil)) }
        return parts
    }
}
