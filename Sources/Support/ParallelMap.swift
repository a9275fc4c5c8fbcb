import Foundation
import Synchronization

/// Slots that worker threads fill at distinct indices.
@usableFromInline
final class Slots<T>: @unchecked Sendable {
    @usableFromInline let values: UnsafeMutableBufferPointer<Result<T, any Error>?>
    @usableFromInline init(count: Int) {
        values = .allocate(capacity: count)
        values.initialize(repeating: nil)
    }
    deinit {
        values.deinitialize()
        values.deallocate()
    }
}

/// Worker threads, each with a state that lives across calls of ``map(count:_:)`` (so caches
/// kept in it warm up once, not once per batch). Results come back in index order whatever the
/// number of threads.
public final class ParallelWorkers<State>: @unchecked Sendable {
    /// The number of worker threads.
    public let threads: Int
    @usableFromInline let states: UnsafeMutableBufferPointer<State>

    /// `threads` workers (default: one per core), each starting from `makeState()`.
    public init(threads: Int? = nil, makeState: () -> State) {
        self.threads = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
        states = .allocate(capacity: self.threads)
        for index in 0..<self.threads { (states.baseAddress! + index).initialize(to: makeState()) }
    }

    deinit {
        states.deinitialize()
        states.deallocate()
    }

    /// Maps `0..<count`, each worker with its own state: workers take consecutive chunks of
    /// indices as they finish the previous one (so no two threads write next to each other and
    /// uneven items balance out). The first error (by index) is rethrown. Not reentrant: one call
    /// at a time. Inlinable, so that callers' result types are specialized rather than moved
    /// through generic witnesses.
    @inlinable
    public func map<T>(count: Int, _ body: @Sendable (inout State, Int) throws -> T) throws -> [T] {
        let slots = Slots<T>(count: count)
        let workers = min(threads, max(1, count))
        let chunk = max(1, min(64, count / (workers * 8)))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while true {
                let start = next.add(chunk, ordering: .relaxed).oldValue
                guard start < count else { return }
                for index in start..<min(count, start + chunk) {
                    slots.values[index] = Result { try body(&self.states[worker], index) }
                }
            }
        }
        return try slots.values.map { try $0!.get() }
    }
}

/// Maps `0..<count` on every core: each worker thread creates its own state with
/// `makeState` and handles indices in an interleaved order. The results come back in
/// index order; the first error (by index) is rethrown.
public func parallelMap<State, T>(count: Int, makeState: () -> State,
                                  _ body: @Sendable (inout State, Int) throws -> T) throws -> [T] {
    let threads = min(max(1, ProcessInfo.processInfo.activeProcessorCount), max(1, count))
    return try ParallelWorkers(threads: threads, makeState: makeState).map(count: count, body)
}
