/// A growable buffer of token ids owned by one encoding thread: appending is a capacity check
/// and a store, without the uniqueness check every `Array` append makes, which costs as much
/// as a cache hit on the encoder's hot path.
final class IDBuffer {
    @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<TokenID>
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var capacity: Int

    init(capacity: Int = 1 << 16) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// The ids from `start` on.
    func ids(from start: Int = 0) -> UnsafeBufferPointer<TokenID> {
        UnsafeBufferPointer(start: base + start, count: count - start)
    }

    @inline(__always)
    func append(_ id: TokenID) {
        if count == capacity { grow(to: count + 1) }
        base[count] = id
        count += 1
    }

    func append<C: Collection>(contentsOf ids: C) where C.Element == TokenID {
        if count + ids.count > capacity { grow(to: count + ids.count) }
        for id in ids {
            base[count] = id
            count += 1
        }
    }

    func removeAll() { count = 0 }

    private func grow(to minimum: Int) {
        capacity = max(capacity * 2, minimum)
        let grown = UnsafeMutablePointer<TokenID>.allocate(capacity: capacity)
        grown.moveInitialize(from: base, count: count)
        base.deallocate()
        base = grown
    }
}
