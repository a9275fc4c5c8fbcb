import Foundation
import Support
import TextProcessing
import Tokenization

/// Encodes a corpus into a token dataset: documents are read on one thread, encoded in batches
/// on every worker, and appended to the writer in input order, so the output is byte-identical
/// whatever the number of threads. Memory is bounded by a few batches.
public final class DatasetEncoder {
    /// What is encoded, and how.
    public struct Options: Sendable {
        /// Add the post-processor's special tokens (such as a leading `<|begin_of_text|>`), as
        /// `tokenizers`' `encode` does by default.
        public var addSpecialTokens = true
        /// A token appended to every document that has at least one token (Megatron's
        /// `--append-eod`, which leaves empty documents empty), or nil.
        public var endOfDocument: TokenID?
        /// Stop after this many documents, or nil for all.
        public var maximumDocuments: Int?
        /// The seed of BPE-dropout (document `i` of the corpus uses `seed + i`).
        public var seed: UInt64 = 0
        /// Bytes of text per batch: the unit of work split over the threads (the output does
        /// not depend on it).
        public var batchBytes = 4 << 20

        public init() {}
    }

    /// What an encoding run did.
    public struct Summary: Sendable {
        /// Documents written.
        public var documents = 0
        /// Tokens written.
        public var tokens = 0
        /// Bytes of text encoded (UTF-8, after the field or line ending was taken out).
        public var textBytes = 0
        /// The reader's summary (bytes read, invalid UTF-8, skipped records); nil for texts given directly.
        public var reading: CorpusReader.Summary?
    }

    /// How far an encoding run has come, for a progress display.
    public struct Progress: Sendable {
        /// Bytes read from the inputs (after decompression).
        public var bytesRead: Int
        /// Documents written.
        public var documents: Int
        /// Tokens written.
        public var tokens: Int
    }

    /// The tokenizer.
    public let tokenizer: Tokenizer
    /// The options.
    public let options: Options
    private let workers: ParallelWorkers<Tokenizer.State>
    private var summary = Summary()
    private var ids: [UInt32] = []

    /// An encoder on `threads` threads (default: every core).
    public init(tokenizer: Tokenizer, options: Options = Options(), threads: Int? = nil) {
        self.tokenizer = tokenizer
        self.options = options
        workers = ParallelWorkers(threads: threads) { Tokenizer.State() }
    }

    /// Documents and tokens written so far by ``append(_:to:)``.
    public var written: Summary { summary }

    /// Whether ``Options/maximumDocuments`` have been written.
    public var isFull: Bool { options.maximumDocuments.map { summary.documents >= $0 } ?? false }

    /// Encodes `texts` and appends them to `writer` as documents, up to the maximum.
    public func append(_ texts: [String], to writer: any TokenDatasetWriter) throws {
        let remaining = options.maximumDocuments.map { max(0, $0 - summary.documents) } ?? texts.count
        let texts = remaining < texts.count ? Array(texts[..<remaining]) : texts
        guard !texts.isEmpty else { return }
        let flat = try tokenizer.encodeBatchFlat(texts, addSpecialTokens: options.addSpecialTokens,
                                                 seed: options.seed &+ UInt64(summary.documents), workers: workers)
        for index in 0..<flat.count {
            let range = flat.offsets[index]..<flat.offsets[index + 1]
            if let end = options.endOfDocument, !range.isEmpty {
                ids.removeAll(keepingCapacity: true)
                ids.append(contentsOf: flat.ids[range])
                ids.append(end)
                try ids.withUnsafeBufferPointer { try writer.append(document: $0) }
            } else {
                try flat.ids.withUnsafeBufferPointer { try writer.append(document: UnsafeBufferPointer(rebasing: $0[range])) }
            }
            summary.tokens += range.count + (options.endOfDocument != nil && !range.isEmpty ? 1 : 0)
            summary.textBytes += texts[index].utf8.count
        }
        summary.documents += flat.count
    }

    /// Encodes every document `reader` gives (reading ahead on another thread) into `writer`,
    /// and commits it; on an error the writer is abandoned. `progress` is called after each batch.
    public func encode(_ reader: CorpusReader, into writer: any TokenDatasetWriter,
                       progress: (Progress) -> Void = { _ in }) throws -> Summary {
        struct Enough: Error {}
        do {
            var reading: CorpusReader.Summary?
            do {
                reading = try reader.forEachCountedBatchReadingAhead(bytes: options.batchBytes, strippingLineEndings: reader.readsLines) { batch in
                    try append(batch.texts, to: writer)
                    progress(Progress(bytesRead: batch.bytesRead, documents: summary.documents, tokens: summary.tokens))
                    if isFull { throw Enough() }
                }
            } catch is Enough {}
            try writer.commit()
            summary.reading = reading
            return summary
        } catch {
            writer.abandon()
            throw error
        }
    }
}
