import TextProcessing

extension ModelTransform {
    /// `expand`: the model at `directory` gains `newTokens` tokens learned from `corpus`, their
    /// rows planned by `method` (`clp` and `transtokenize` start with `initializer`, see
    /// ``InitializationMethod/initializers(_:)``); every source row is kept.
    public static func expansion(directory: String, corpus: CorpusReader, newTokens: Int, method: InitializationMethod,
                                 initializer: (any RowInitializer)? = nil) throws -> ModelTransform {
        ModelTransform(source: Source(directory: directory), change: try TokenExpansion(corpus: corpus, count: newTokens),
                       initializers: try method.initializers(initializer)) { transform, rows in
            [("source", directory), ("method", method.rawValue), ("seed", String(transform.seed)),
             ("new_tokens", String(newTokens)), ("rows", String(rows))]
        }
    }
}
