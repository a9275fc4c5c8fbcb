/// The ids of a batch of texts in one flat array, as the fastest encoders return them: the ids
/// of text `i` are `ids[offsets[i]..<offsets[i + 1]]`.
public struct FlatIDs: Sendable, Equatable {
    /// Every text's ids, one text after the other.
    public var ids: [TokenID] = []
    /// Where each text's ids start, then the end: one more than the number of texts.
    public var offsets: [Int] = [0]

    /// An empty batch.
    public init() {}

    /// The number of texts.
    public var count: Int { offsets.count - 1 }

    /// The ids of text `index`.
    public subscript(index: Int) -> ArraySlice<TokenID> { ids[offsets[index]..<offsets[index + 1]] }

    /// Appends the texts of `other` after these.
    public mutating func append(contentsOf other: FlatIDs) {
        let base = ids.count
        ids.append(contentsOf: other.ids)
        offsets.append(contentsOf: other.offsets.dropFirst().map { $0 + base })
    }
}
