import TextProcessing
import Tokenization

/// How one tokenizer's sub-word tokens group into words, the alignment units of
/// trans-tokenization. As the reference does, the tokenizer's word-start marker (`▁`, `Ġ`) and
/// continuation marker (`##`) are found by tokenizing `" a"` and `"aaa…"`; a token joins the
/// previous one when it carries no word-start marker (and carries the continuation marker, if
/// the tokenizer has one), its text starts with a letter and the previous token's text ends with
/// one. Bytes of a character split over several tokens count as letters. Added tokens never
/// join. A tokenizer with neither marker is not grouped (each token is its own unit), and one
/// with only a continuation marker (WordPiece) groups by it, where the reference's pattern
/// never matches.
public struct WordSegmentation: Sendable {
    /// The word-start marker, or empty.
    public let wordStart: String
    /// The continuation marker, or empty.
    public let continuation: String
    private let joinsPrevious: [Bool]
    private let endsWithLetter: [Bool]

    /// The segmentation of `tokenizer`'s tokens.
    public init(tokenizer: Tokenizer) throws {
        func probe(_ text: String, _ index: Int) throws -> String {
            let ids = try tokenizer.encode(text, addSpecialTokens: false).ids
            guard index < ids.count, let token = tokenizer.token(for: ids[index]) else { return "" }
            return String(token.unicodeScalars.reversed().drop { $0 == "a" }.reversed().map(Character.init))
        }
        wordStart = try probe(" a", 0)
        continuation = try probe(String(repeating: "a", count: 22), 1)
        let start = Array(wordStart.utf8), next = Array(continuation.utf8)
        let size = tokenizer.vocabularySize
        var joins = [Bool](repeating: false, count: size), ends = [Bool](repeating: false, count: size)
        for id in 0..<size {
            let tokenID = TokenID(id)
            guard tokenizer.addedVocabulary.tokens[tokenID] == nil, let token = tokenizer.token(for: tokenID) else { continue }
            let bytes = Array(token.utf8)
            let text = tokenizer.decode([tokenID]).unicodeScalars.drop { CharacterClass.of($0.value).contains(.whitespace) }
            let body = next.isEmpty ? Substring.UnicodeScalarView(text) : Self.dropping(continuation, from: Substring.UnicodeScalarView(text))
            ends[id] = body.last.map(Self.isLetter) ?? false
            let marked = !start.isEmpty && bytes.starts(with: start)
            let continues = next.isEmpty ? !start.isEmpty : bytes.starts(with: next)
            joins[id] = !marked && continues && (body.first.map(Self.isLetter) ?? false)
        }
        joinsPrevious = joins
        endsWithLetter = ends
    }

    /// Whether `scalar` counts as a letter: a letter, or U+FFFD standing for part of a character.
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\u{FFFD}" || CharacterClass.of(scalar.value).contains(.letter)
    }

    private static func dropping(_ prefix: String, from text: Substring.UnicodeScalarView) -> Substring.UnicodeScalarView {
        text.starts(with: prefix.unicodeScalars) ? text.dropFirst(prefix.unicodeScalars.count) : text
    }

    /// Calls `body` with the range of each word of `ids`, in order.
    public func forEachWord(in ids: [TokenID], _ body: (Range<Int>) -> Void) {
        var start = 0
        for index in ids.indices.dropFirst() {
            let id = Int(ids[index]), previous = Int(ids[index - 1])
            let joins = id < joinsPrevious.count && previous < endsWithLetter.count && joinsPrevious[id] && endsWithLetter[previous]
            if !joins {
                body(start..<index)
                start = index
            }
        }
        if !ids.isEmpty { body(start..<ids.count) }
    }
}
