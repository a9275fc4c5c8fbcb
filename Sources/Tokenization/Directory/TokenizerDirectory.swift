import Foundation
import Support

/// Writes a complete Hugging Face tokenizer directory: `tokenizer.json`,
/// `tokenizer_config.json` (`PreTrainedTokenizerFast`, the special tokens,
/// `added_tokens_decoder`) and `special_tokens_map.json`, which `AutoTokenizer` loads from any
/// directory name.
public struct TokenizerDirectory {
    /// The tokenizer.
    public var tokenizer: Tokenizer
    /// Its special tokens by role.
    public var specialTokens: SpecialTokens
    /// Further `tokenizer_config.json` fields (`model_max_length`, `clean_up_tokenization_spaces`).
    public var settings: [JSONMember]
    /// How `tokenizer.json` writes the merges.
    public var mergesFormat: MergesFormat

    /// A directory of `tokenizer` with `specialTokens`; throws ``MissingSpecialToken`` when the
    /// vocabulary lacks one of them.
    public init(tokenizer: Tokenizer, specialTokens: SpecialTokens, settings: [JSONMember] = [], mergesFormat: MergesFormat = .pairs) throws {
        if let missing = specialTokens.missing(in: VocabularyListing(tokenizer)).first { throw missing }
        self.tokenizer = tokenizer
        self.specialTokens = specialTokens
        self.settings = settings
        self.mergesFormat = mergesFormat
    }

    /// The `tokenizer.json` document alone, merges in ``mergesFormat``.
    public func tokenizerJSON(path: String) throws -> JSONValue {
        try mergesFormat.apply(to: tokenizer.json, path: path)
    }

    /// Writes the three files into the directory `directory`.
    public func write(into directory: String) throws {
        let listing = VocabularyListing(tokenizer)
        let files: [(String, JSONValue)] = [
            (ModelFiles.tokenizer, try tokenizerJSON(path: PathName.join(directory, ModelFiles.tokenizer))),
            (ModelFiles.tokenizerConfig, specialTokens.tokenizerConfig(for: listing, base: nil, defaults: settings)),
            (ModelFiles.specialTokensMap, specialTokens.specialTokensMap(for: listing)),
        ]
        for (name, value) in files {
            try JSONWriter.writePretty(value, toFile: PathName.join(directory, name))
        }
    }
}
