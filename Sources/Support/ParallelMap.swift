import Foundation

/// Slots that worker threads fill at distinct indices.
private final class Slots<T>: @unchecked Sendable {
    let values: UnsafeMutableBufferPointer<Result<T, any Error>?>
    init(count: Int) {
        values = .allocate(capacity: count)
        values.initialize(repeating: nil)
    }
    deinit {
        values.deinitialize()
        values.deallocate()
    }
}

/// Maps `0..<count` on every core: each worker thread creates its own state with
/// `makeState` and handles indices in an interleaved order. The results come back in
/// index order; the first error (by index) is rethrown.
public func parallelMap<State, T>(count: Int, makeState: @Sendable () -> State,
                           _ body: @Sendable (inout State, Int) throws -> T) throws -> [T] {
    let slots = Slots<T>(count: count)
    let workers = min(max(1, ProcessInfo.processInfo.activeProcessorCount), max(1, count))
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        var state = makeState()
        var index = worker
        while index < count {
            let result = Result { try body(&state, index) }
            slots.values[index] = result
            index += workers
        }
    }
    return try slots.values.map { try $0!.get() }
}
