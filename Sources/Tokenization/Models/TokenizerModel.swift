import Support
import TextProcessing

/// The model stage of a tokenizer: turns one pre-tokenized piece into tokens. BPE, Unigram,
/// WordPiece and WordLevel conform.
public protocol TokenizerModel: Sendable {
    /// The vocabulary.
    var vocabulary: Vocabulary { get }
    /// The token standing for unknown text, if any.
    var unknownToken: String? { get }
    /// Whether encoding draws random numbers (BPE-dropout), so results must not be cached.
    var isStochastic: Bool { get }

    /// Appends the tokens of `piece` (Unicode scalar values) to `tokens`, using (and, when
    /// `cached`, filling) the workspace's cache.
    func tokenize(_ piece: UnsafeBufferPointer<UInt32>, workspace: inout BPEWorkspace, into tokens: inout [ModelToken], cached: Bool)

    /// Whether `id` is one of the `<0xNN>` byte-fallback tokens.
    func isByteFallbackToken(_ id: TokenID) -> Bool

    /// The model in `tokenizer.json` form.
    var json: JSONValue { get }

    /// The token string of `id` produced for the text `text`, as Hugging Face's model gives it:
    /// the vocabulary entry (a default implementation); Unigram gives an unknown token's text.
    func tokenString(for id: TokenID, text: String) -> String
}

extension TokenizerModel {
    public func tokenString(for id: TokenID, text: String) -> String {
        vocabulary.string(for: id) ?? text
    }

    /// Appends the tokens of `piece` to `tokens`, with the workspace's cache.
    public func tokenize(_ piece: UnsafeBufferPointer<UInt32>, workspace: inout BPEWorkspace, into tokens: inout [ModelToken]) {
        tokenize(piece, workspace: &workspace, into: &tokens, cached: true)
    }
}
