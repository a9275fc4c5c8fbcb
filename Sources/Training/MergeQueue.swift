/// An entry of a ``MergeQueue``: a candidate merge and the order in which candidates are merged.
protocol MergeCandidate {
    /// Whether this candidate is merged before `other`.
    func precedes(_ other: Self) -> Bool
}

/// The binary heap of BPE training: the candidate that precedes every other is on top.
struct MergeQueue<Entry: MergeCandidate> {
    private var entries: [Entry] = []

    /// An empty queue with room for `capacity` entries.
    init(capacity: Int) { entries.reserveCapacity(capacity) }

    /// Adds `entry`.
    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].precedes(entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the entry that precedes all others, or nil when empty.
    mutating func pop() -> Entry? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let top = entries.removeLast()
        var parent = 0
        while true {
            var best = parent
            let left = 2 * parent + 1, right = left + 1
            if left < entries.count && entries[left].precedes(entries[best]) { best = left }
            if right < entries.count && entries[right].precedes(entries[best]) { best = right }
            if best == parent { break }
            entries.swapAt(parent, best)
            parent = best
        }
        return top
    }
}
