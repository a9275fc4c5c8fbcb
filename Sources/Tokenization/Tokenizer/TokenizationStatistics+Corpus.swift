import TextProcessing

extension TokenizationStatistics {
    /// The statistics of each of `tokenizers` over the documents of `reader` (lines without
    /// their line endings, or whole files), read once in batches encoded on all cores, and
    /// what the reader skipped or replaced.
    public static func measure(_ tokenizers: [Tokenizer], over reader: CorpusReader) throws -> (statistics: [TokenizationStatistics], summary: CorpusReader.Summary) {
        var statistics = [TokenizationStatistics](repeating: TokenizationStatistics(), count: tokenizers.count)
        var batch: [String] = [], batchBytes = 0
        func flush() throws {
            for (index, tokenizer) in tokenizers.enumerated() {
                for (text, encoding) in zip(batch, try tokenizer.encodeBatch(batch, addSpecialTokens: false)) {
                    statistics[index].add(text, ids: encoding.ids, tokenizer: tokenizer)
                }
            }
            batch.removeAll(keepingCapacity: true)
            batchBytes = 0
        }
        let summary = try reader.forEachDocument { text, _ in
            batch.append(reader.mode == .line ? text.withoutLineEnding : text)
            batchBytes += text.utf8.count
            if batchBytes >= 8 << 20 { try flush() }
        }
        try flush()
        return (statistics, summary)
    }
}
