import Foundation
import TextProcessing

/// Counts the words of texts as a tokenizer's normalizer and pre-tokenizer cut them,
/// on all cores. A word is counted as the UTF-8 of the piece the pipeline produces
/// (byte-level pieces spelled with their byte characters, as Hugging Face counts them).
public struct WordCounter: Sendable {
    /// The normalizer and pre-tokenizer.
    public let pipeline: TextPipeline
    private let splitter: PieceSplitter?
    private let workers: Int

    /// A counter for `pipeline`, using `threads` threads (all cores by default).
    public init(pipeline: TextPipeline, threads: Int? = nil) {
        self.pipeline = pipeline
        splitter = PieceSplitter(pipeline)
        workers = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Per-thread counts: the raw piece bytes on the fast path, pipeline output otherwise.
    private final class Partial: @unchecked Sendable {
        var counts = WordCounts()
    }

    /// The word counts of `texts`, each one document.
    public func count(_ texts: [String]) throws -> WordCounts {
        var session = Session(counter: self)
        try session.add(texts)
        return session.finish()
    }

    /// The word counts of a sequence of documents arriving asynchronously.
    public func count<S: AsyncSequence>(_ texts: S, batchSize: Int = 16_384) async throws -> WordCounts where S.Element == String {
        var session = Session(counter: self)
        var batch: [String] = []
        for try await text in texts {
            batch.append(text)
            if batch.count == batchSize {
                try session.add(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try session.add(batch)
        return session.finish()
    }

    /// The word counts of every document of `reader`, without its line ending when
    /// `strippingLineEndings`; `progress` receives the bytes counted so far.
    public func count(_ reader: CorpusReader, strippingLineEndings: Bool = false,
                      progress: ((Int) -> Void)? = nil) throws -> (WordCounts, CorpusReader.Summary) {
        var session = Session(counter: self)
        var totalBytes = 0
        let summary = try reader.forEachBatchReadingAhead(strippingLineEndings: strippingLineEndings) { batch in
            try session.add(batch)
            totalBytes += batch.reduce(0) { $0 + $1.utf8.count }
            progress?(totalBytes)
        }
        progress?(totalBytes)
        return (session.finish(), summary)
    }

    /// A count to which batches of documents are added as they come (see ``Session``).
    public func session() -> Session { Session(counter: self) }

    /// An ongoing count: batches of documents are added, then the counts are finished.
    public struct Session {
        private let counter: WordCounter
        private var partials: [Partial]

        init(counter: WordCounter) {
            self.counter = counter
            partials = (0..<counter.workers).map { _ in Partial() }
        }

        /// Counts a batch of documents on all cores.
        public mutating func add(_ texts: [String]) throws {
            guard !texts.isEmpty else { return }
            let counter = self.counter
            let partials = self.partials
            let workers = partials.count
            let failure = Failure()
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let partial = partials[worker]
                var counts = partial.counts
                partial.counts = WordCounts()
                var ranges: [Range<Int>] = []
                var bytes: [UInt8] = []
                defer { partial.counts = counts }
                for index in (worker * texts.count / workers)..<((worker + 1) * texts.count / workers) {
                    do {
                        try counter.countDocument(texts[index], into: &counts, ranges: &ranges, bytes: &bytes)
                    } catch {
                        failure.record(error)
                        return
                    }
                }
            }
            if let error = failure.error { throw error }
        }

        /// The merged counts of everything added.
        public func finish() -> WordCounts {
            var total = WordCounts()
            for partial in partials { total.merge(partial.counts) }
            guard let splitter = counter.splitter, splitter.byteLevel else { return total }
            var mapped = WordCounts()
            var bytes: [UInt8] = []
            total.forEach { word, count in
                bytes.removeAll(keepingCapacity: true)
                for byte in word {
                    let character = ByteLevelAlphabet.characters[Int(byte)]
                    bytes.append(contentsOf: UTF8.encode(Unicode.Scalar(character)!)!)
                }
                mapped.add(bytes, count: count)
            }
            return mapped
        }
    }

    private final class Failure: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var error: Error?
        func record(_ error: Error) {
            lock.lock()
            if self.error == nil { self.error = error }
            lock.unlock()
        }
    }

    private func countDocument(_ text: String, into counts: inout WordCounts, ranges: inout [Range<Int>], bytes: inout [UInt8]) throws {
        if let splitter {
            var text = text
            text.withUTF8 { utf8 in
                ranges.removeAll(keepingCapacity: true)
                splitter.pattern.matches(inUTF8: utf8, into: &ranges)
                for range in ranges { counts.add(UnsafeBufferPointer(rebasing: utf8[range])) }
            }
            return
        }
        let pieces = try pipeline.run(text)
        for piece in pieces.splits {
            bytes.removeAll(keepingCapacity: true)
            for scalar in piece.scalars { bytes.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!) }
            bytes.withUnsafeBufferPointer { counts.add($0) }
        }
    }
}
