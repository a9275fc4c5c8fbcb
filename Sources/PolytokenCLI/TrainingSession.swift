import Foundation
import Support
import Synchronization
import Tokenization
import Training

/// Training fed by a program rather than a corpus on disk: batches of texts are added as they
/// come, each counted on every core, then ``finish()`` trains with `train`'s options. The
/// tokenizer is the one `polytoken train` makes of the same texts, one document each.
public final class TrainingSession: @unchecked Sendable {
    private let options: TrainingOptions
    private let trainer: TokenizerTrainer
    private var count: WordCounter.Session
    private let lock = NSLock()
    private let cancelled = Atomic<Bool>(false)

    /// A session configured by `train`'s options (`--preset`, `--vocab-size`, …), as on the command line.
    public init(arguments: [String]) throws(Polytoken.Failure) {
        do {
            options = try TrainingOptions.parse(arguments)
            trainer = try options.trainer()
            count = try trainer.wordCounter(threads: options.threads).session()
        } catch {
            throw Polytoken.failure(error, usage: true, arguments: ["train"])
        }
    }

    /// Counts the words of `texts`, each one document.
    public func add(_ texts: [String]) throws(Polytoken.Failure) {
        lock.lock()
        defer { lock.unlock() }
        do {
            if cancelled.load(ordering: .relaxed) { throw TrainingError.cancelled }
            try count.add(texts)
        } catch {
            throw Polytoken.failure(error, usage: false, arguments: ["train"])
        }
    }

    /// Trains on everything added and returns the `tokenizer.json` text.
    public func finish() throws(Polytoken.Failure) -> String {
        lock.lock()
        defer { lock.unlock() }
        do {
            if cancelled.load(ordering: .relaxed) { throw TrainingError.cancelled }
            let tokenizer = try trainer.train(count.finish()) { _ in
                if self.cancelled.load(ordering: .relaxed) { throw TrainingError.cancelled }
            }
            return JSONWriter.pretty(try options.directory(of: tokenizer).tokenizerJSON(path: ModelFiles.tokenizer))
        } catch {
            throw Polytoken.failure(error, usage: false, arguments: ["train"])
        }
    }

    /// Stops a running ``finish()`` or ``add(_:)`` with an error; later calls fail too. Safe
    /// from any thread.
    public func cancel() { cancelled.store(true, ordering: .relaxed) }
}
