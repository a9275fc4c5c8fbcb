import Foundation

extension CorpusReader {
    /// Like ``forEachBatch(bytes:strippingLineEndings:_:)``, but the next batch is read on another
    /// thread while `body` works on the current one, so reading costs no time when `body` is
    /// the slower. At most two batches are held besides the one `body` has.
    public func forEachBatchReadingAhead(bytes: Int = 8 << 20, strippingLineEndings: Bool = false,
                                         _ body: ([String]) throws -> Void) throws -> Summary {
        try forEachCountedBatchReadingAhead(bytes: bytes, strippingLineEndings: strippingLineEndings) { try body($0.texts) }
    }

    /// Like ``forEachCountedBatch(bytes:strippingLineEndings:_:)``, reading the next batch on
    /// another thread while `body` works on the current one.
    public func forEachCountedBatchReadingAhead(bytes: Int = 8 << 20, strippingLineEndings: Bool = false,
                                                _ body: (Batch) throws -> Void) throws -> Summary {
        let handoff = BatchHandoff()
        let reader = self
        let thread = Thread {
            let outcome = Result {
                try reader.forEachCountedBatch(bytes: bytes, strippingLineEndings: strippingLineEndings) { try handoff.put($0) }
            }
            handoff.finish(outcome)
        }
        thread.start()
        defer { handoff.stopAndWait() }
        while let batch = handoff.take() { try body(batch) }
        return try handoff.outcome!.get()
    }
}

/// A handoff of batches from the reading thread to the working one, holding at most two.
private final class BatchHandoff: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [CorpusReader.Batch] = []
    private var stopped = false
    private var finished = false
    /// How reading ended, once it has.
    private(set) var outcome: Result<CorpusReader.Summary, any Error>?

    /// Thrown into the reading thread when the worker stops early.
    private struct Stopped: Error {}

    /// Hands `batch` over, waiting while two are pending.
    func put(_ batch: CorpusReader.Batch) throws {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= 2 && !stopped { condition.wait() }
        if stopped { throw Stopped() }
        batches.append(batch)
        condition.broadcast()
    }

    /// Records how reading ended.
    func finish(_ outcome: Result<CorpusReader.Summary, any Error>) {
        condition.lock()
        self.outcome = outcome
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch, or nil when reading has ended and every batch was taken.
    func take() -> CorpusReader.Batch? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        guard !batches.isEmpty else { return nil }
        condition.broadcast()
        return batches.removeFirst()
    }

    /// Stops the reader (if it is still reading) and waits until it has ended.
    func stopAndWait() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
