import Foundation
import Support

/// The text pipeline of a tokenizer: an optional normalizer, then an optional pre-tokenizer.
public struct TextPipeline: Sendable {
    /// The normalizer, if any.
    public let normalizer: (any Normalizer)?
    /// The pre-tokenizer, if any.
    public let preTokenizer: (any PreTokenizer)?

    public init(normalizer: (any Normalizer)?, preTokenizer: (any PreTokenizer)?) {
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
    }

    /// The pipeline of a `tokenizer.json` file (its `normalizer` and `pre_tokenizer`).
    public init(tokenizerFile path: String, mode: UnicodeVersionMode = .huggingFace) throws {
        try self.init(tokenizerJSON: JSONNode(JSONValue.parse(contentsOf: path), path: "\(path):"))
    }

    /// The pipeline of a parsed `tokenizer.json` document.
    public init(tokenizerJSON root: JSONNode, mode: UnicodeVersionMode = .huggingFace) throws {
        normalizer = try root.optionalMember("normalizer").map { try ComponentDecoding.normalizer($0, mode: mode) }
        preTokenizer = try root.optionalMember("pre_tokenizer").map(ComponentDecoding.preTokenizer)
    }

    /// Normalizes and pre-tokenizes `text`.
    public func run(_ text: String) throws -> PreTokenizedString {
        var normalized = NormalizedString(text)
        try normalizer?.normalize(&normalized)
        var pieces = PreTokenizedString(normalized)
        try preTokenizer?.preTokenize(&pieces)
        return pieces
    }

    /// The pipelines of well-known tokenizer families.
    public enum Preset: String, Sendable, CaseIterable {
        /// GPT-2: byte-level with the GPT-2 pattern.
        case gpt2
        /// Llama-3 (and cl100k): the Llama-3 pattern, then byte-level.
        case llama3
        /// Qwen2: NFC, the Qwen2 pattern, then byte-level.
        case qwen2
        /// GPT-4o: the o200k pattern, then byte-level.
        case o200k
        /// SentencePiece-style (Llama-2, Mistral): `▁` for spaces, prepended once.
        case sentencepiece
        /// BERT uncased: BertNormalizer and BertPreTokenizer.
        case bert
        /// Words by ICU's dictionaries, for scripts written without spaces.
        case words
    }

    /// The pipeline of a preset.
    public init(preset: Preset) throws {
        switch preset {
        case .gpt2:
            self.init(normalizer: nil, preTokenizer: ByteLevel(addPrefixSpace: false))
        case .llama3:
            self.init(normalizer: nil, preTokenizer: PreTokenizerSequence([
                try Split(regex: CL100kScanner.llama3Pattern, behavior: .isolated),
                ByteLevel(addPrefixSpace: false, useRegex: false),
            ]))
        case .qwen2:
            self.init(normalizer: try UnicodeNormalizer(.nfc), preTokenizer: PreTokenizerSequence([
                try Split(regex: CL100kScanner.qwen2Pattern, behavior: .isolated),
                ByteLevel(addPrefixSpace: false, trimOffsets: false, useRegex: false),
            ]))
        case .o200k:
            self.init(normalizer: nil, preTokenizer: PreTokenizerSequence([
                try Split(regex: O200kScanner.pattern, behavior: .isolated),
                ByteLevel(addPrefixSpace: false, useRegex: false),
            ]))
        case .sentencepiece:
            self.init(normalizer: nil, preTokenizer: Metaspace(prependScheme: .first, split: false))
        case .bert:
            self.init(normalizer: try BertNormalizer(), preTokenizer: BertPreTokenizer())
        case .words:
            self.init(normalizer: try UnicodeNormalizer(.nfc), preTokenizer: try WordBoundary())
        }
    }
}
