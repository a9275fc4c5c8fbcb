import Support
import TextProcessing

extension TokenizationStatistics {
    /// The statistics of each of `tokenizers` over the documents of `reader` (lines without
    /// their line endings, or whole files), read once in batches encoded on all cores, and
    /// what the reader skipped or replaced. `threads` (default: all cores) encode each batch;
    /// `progress` is told the bytes read after each.
    public static func measure(_ tokenizers: [Tokenizer], over reader: CorpusReader, threads: Int? = nil,
                               progress: (Int) -> Void = { _ in }) throws -> (statistics: [TokenizationStatistics], summary: CorpusReader.Summary) {
        var statistics = [TokenizationStatistics](repeating: TokenizationStatistics(), count: tokenizers.count)
        let workers = tokenizers.map { _ in ParallelWorkers(threads: threads) { Tokenizer.State() } }
        let summary = try reader.forEachCountedBatch(strippingLineEndings: reader.readsLines) { counted in
            let batch = counted.texts
            for (index, tokenizer) in tokenizers.enumerated() {
                for (text, encoding) in zip(batch, try tokenizer.encodeBatch(batch, addSpecialTokens: false, workers: workers[index])) {
                    statistics[index].add(text, encoding: encoding, tokenizer: tokenizer)
                }
            }
            progress(counted.bytesRead)
        }
        return (statistics, summary)
    }
}
