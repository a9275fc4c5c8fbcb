import TextProcessing

extension TokenizationStatistics {
    /// The statistics of each of `tokenizers` over the documents of `reader` (lines without
    /// their line endings, or whole files), read once in batches encoded on all cores, and
    /// what the reader skipped or replaced.
    public static func measure(_ tokenizers: [Tokenizer], over reader: CorpusReader) throws -> (statistics: [TokenizationStatistics], summary: CorpusReader.Summary) {
        var statistics = [TokenizationStatistics](repeating: TokenizationStatistics(), count: tokenizers.count)
        let summary = try reader.forEachBatch(strippingLineEndings: reader.mode == .line) { batch in
            for (index, tokenizer) in tokenizers.enumerated() {
                for (text, encoding) in zip(batch, try tokenizer.encodeBatch(batch, addSpecialTokens: false)) {
                    statistics[index].add(text, encoding: encoding, tokenizer: tokenizer)
                }
            }
        }
        return (statistics, summary)
    }
}
