import TextProcessing

extension ModelTransform {
    /// `expand`: the model at `directory` gains `newTokens` tokens learned from `corpus` (the
    /// built-in English sample protected), their rows planned by `method` (`clp` and
    /// `transtokenize` start with `initializer`, see ``InitializationMethod/initializers(_:)``);
    /// every source row is kept.
    public static func expansion(directory: String, corpus: CorpusReader, newTokens: Int, method: InitializationMethod,
                                 initializer: (any RowInitializer)? = nil) throws -> ModelTransform {
        try expansion(directory: directory, change: TokenExpansion(corpus: corpus, count: newTokens), method: method, initializer: initializer)
    }

    /// `expand` with the expansion `change` (its protected text and scripts set).
    public static func expansion(directory: String, change: TokenExpansion, method: InitializationMethod,
                                 initializer: (any RowInitializer)? = nil) throws -> ModelTransform {
        var transform = ModelTransform(source: Source(directory: directory), change: change,
                                       initializers: try method.initializers(initializer)) { transform, rows in
            [("source", directory), ("method", method.rawValue), ("seed", String(transform.seed)),
             ("new_tokens", String(change.count)), ("rows", String(rows))] + change.settings
        }
        transform.centering = nil
        return transform
    }
}
