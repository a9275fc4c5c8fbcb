/// A token produced by a model for one piece: its id and the range of the piece's
/// scalars it covers (a byte-fallback token covers the whole scalar its byte belongs to).
public struct ModelToken: Sendable, Equatable {
    /// The token id.
    public var id: TokenID
    /// The first scalar of the piece it covers.
    public var start: Int32
    /// One past the last scalar of the piece it covers.
    public var end: Int32

    /// A token with `id` covering scalars `start..<end` of its piece.
    public init(id: TokenID, start: Int32, end: Int32) {
        self.id = id
        self.start = start
        self.end = end
    }
}
