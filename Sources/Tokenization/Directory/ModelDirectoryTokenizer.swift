import Support

extension Tokenizer {
    /// The files a model directory may hold its tokenizer in, in the order they are looked for:
    /// `tokenizer.json`, then a SentencePiece `tokenizer.model`, GPT-2's `vocab.json` (with
    /// `merges.txt`) and BERT's `vocab.txt`.
    public static let modelDirectoryFiles = [ModelFiles.tokenizer, ModelFiles.sentencePieceModel, "vocab.json", "vocab.txt"]

    /// The tokenizer file of the model directory `directory`: the first of ``modelDirectoryFiles``
    /// that is there (`tokenizer.json` when none is, so that errors name it).
    public static func file(inModelDirectory directory: String) -> String {
        modelDirectoryFiles.map { PathName.join(directory, $0) }.first { FileStatus(path: $0) != nil } ?? PathName.join(directory, ModelFiles.tokenizer)
    }

    /// The tokenizer of the model directory `directory` as `transformers` loads it: its
    /// `tokenizer.json`, or else the `tokenizer.json` `transformers` makes of its other tokenizer
    /// file (see ``file(inModelDirectory:)``).
    public init(modelDirectory directory: String) throws {
        let path = Self.file(inModelDirectory: directory)
        try self.init(json: TokenizerFormat.document(contentsOf: path), source: path)
    }
}
