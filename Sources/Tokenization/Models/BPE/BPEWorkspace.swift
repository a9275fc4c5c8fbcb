import Support

/// The reusable state of BPE encoding on one thread: scratch buffers, the merge heap,
/// the cache of already-encoded pieces, and the dropout random generator.
///
/// A workspace is not shared between threads; each encoding thread owns one, so the
/// cache needs no lock.
public struct BPEWorkspace {
    var symbols: [Symbol] = []
    var heap: [HeapEntry] = []
    var skipped: [HeapEntry] = []
    var bytes: [UInt8] = []
    var cache = PieceCache()
    var random: SplitMix64
    /// Heap entries taken so far, over all pieces: at most three per symbol, which bounds
    /// the work on any input linearly (up to the heap's logarithm).
    var mergeSteps = 0

    /// A workspace whose dropout draws come from `seed`.
    public init(seed: UInt64 = 0) {
        random = SplitMix64(seed: seed)
    }

    /// Puts the UTF-8 of `piece` in `bytes`; returns where each scalar starts there, then the end.
    mutating func loadUTF8(_ piece: UnsafeBufferPointer<UInt32>) -> [Int] {
        bytes.removeAll(keepingCapacity: true)
        var byteStart: [Int] = []
        byteStart.reserveCapacity(piece.count + 1)
        for scalar in piece {
            byteStart.append(bytes.count)
            bytes.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
        }
        byteStart.append(bytes.count)
        return byteStart
    }

    struct Symbol {
        var id: TokenID
        var start: Int32
        var end: Int32
        var previous: Int32
        var next: Int32
    }

    struct HeapEntry {
        /// Rank in the high 32 bits, position in the low ones: smaller is merged first.
        var key: UInt64
        var result: TokenID
    }

    @inline(__always)
    mutating func push(_ entry: HeapEntry) {
        heap.append(entry)
        var child = heap.count - 1
        heap.withUnsafeMutableBufferPointer { heap in
            while child > 0 {
                let parent = (child - 1) >> 1
                if heap[parent].key <= entry.key { break }
                heap[child] = heap[parent]
                child = parent
            }
            heap[child] = entry
        }
    }

    @inline(__always)
    mutating func pop() -> HeapEntry? {
        guard let last = heap.popLast() else { return nil }
        if heap.isEmpty { return last }
        let top = heap[0]
        heap.withUnsafeMutableBufferPointer { heap in
            let count = heap.count
            var parent = 0
            while true {
                var child = 2 * parent + 1
                if child >= count { break }
                if child + 1 < count && heap[child + 1].key < heap[child].key { child += 1 }
                if last.key <= heap[child].key { break }
                heap[parent] = heap[child]
                parent = child
            }
            heap[parent] = last
        }
        return top
    }
}
