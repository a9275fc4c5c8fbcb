/// The names of the well-known files of a Hugging Face model directory.
public enum ModelFiles {
    /// The tokenizer (`tokenizers`' format).
    public static let tokenizer = "tokenizer.json"
    /// The tokenizer as a SentencePiece model, beside `tokenizer.json` in SentencePiece-based models.
    public static let sentencePieceModel = "tokenizer.model"
    /// The model's configuration.
    public static let config = "config.json"
    /// `transformers`' tokenizer settings.
    public static let tokenizerConfig = "tokenizer_config.json"
    /// `transformers`' generation settings (special-token ids among them).
    public static let generationConfig = "generation_config.json"
    /// `transformers`' special tokens.
    public static let specialTokensMap = "special_tokens_map.json"
    /// The weights, when in one file.
    public static let weights = "model.safetensors"
    /// The index of sharded weights.
    public static let weightsIndex = "model.safetensors.index.json"
    /// Polytoken's record of how each new row was made.
    public static let provenance = "provenance.sqlite"

    /// Every file that makes up a tokenizer; a replaced tokenizer replaces them all.
    public static let tokenizerFiles = [tokenizer, tokenizerConfig, specialTokensMap, "vocab.json", "merges.txt",
                                        "vocab.txt", sentencePieceModel, "added_tokens.json"]
}
