/// A token id.
public typealias TokenID = UInt32

/// A vocabulary: token strings, kept as exact UTF-8 bytes, and their ids.
///
/// Ids need not be contiguous (Hugging Face tolerates holes); ``token(for:)`` is nil for a hole.
public struct Vocabulary: Sendable {
    /// The ids by token bytes; its key arena also holds every token's bytes, one after the other,
    /// so there is no allocation per token, when building or freeing.
    private var table: ByteStringTable
    /// Per id, the token's start in the table's key arena (high 32 bits) and length; `hole` for none.
    private var tokenSpans: [UInt64]
    private static let hole = UInt64.max
    /// For single-scalar tokens below U+0800, the id by scalar value (`UInt32.max` if none).
    private var smallScalarIDs: [UInt32]

    /// An empty vocabulary, sized for about `capacity` tokens.
    public init(capacity: Int = 16) {
        table = ByteStringTable(capacity: capacity)
        tokenSpans = []
        tokenSpans.reserveCapacity(capacity)
        smallScalarIDs = Array(repeating: .max, count: 0x800)
    }

    /// A vocabulary of `tokens`, whose ids are their positions.
    public init<S: Sequence>(_ tokens: S) where S.Element == [UInt8] {
        self.init()
        for token in tokens { append(token) }
    }

    /// The number of tokens.
    public var count: Int { table.count }

    /// One past the highest id.
    public var idLimit: Int { tokenSpans.count }

    /// The id of `token`, or nil.
    @inline(__always)
    public func id(for token: UnsafeBufferPointer<UInt8>) -> TokenID? { table.value(for: token) }

    /// The id of `token`, or nil.
    public func id(for token: [UInt8]) -> TokenID? { table.value(for: token) }

    /// The id of `token`, or nil.
    public func id(for token: String) -> TokenID? {
        var token = token
        return token.withUTF8 { table.value(for: $0) }
    }

    /// The id of the one-scalar token `scalar`, or nil.
    @inline(__always)
    public func id(forScalar scalar: UInt32) -> TokenID? {
        if scalar < 0x800 {
            let id = smallScalarIDs[Int(scalar)]
            return id == .max ? nil : id
        }
        var bytes: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &bytes) { raw in
            var length = 0
            for byte in UTF8.encode(Unicode.Scalar(scalar)!)! {
                raw[length] = byte
                length += 1
            }
            return table.value(for: UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: length))
        }
    }

    /// The UTF-8 bytes of the token with `id`, or nil.
    @inline(__always)
    public func token(for id: TokenID) -> [UInt8]? {
        withToken(for: id) { $0.map(Array.init) }
    }

    /// Calls `body` with the UTF-8 bytes of the token with `id` (nil when there is none),
    /// without copying them.
    @inline(__always)
    public func withToken<R>(for id: TokenID, _ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
        guard Int(id) < tokenSpans.count, tokenSpans[Int(id)] != Self.hole else { return try body(nil) }
        let span = tokenSpans[Int(id)]
        return try table.withKeyBytes {
            try body(UnsafeBufferPointer(rebasing: $0[Int(span >> 32)..<Int(span >> 32) + Int(span & 0xFFFF_FFFF)]))
        }
    }

    /// The token with `id` as a string, or nil.
    public func string(for id: TokenID) -> String? {
        token(for: id).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Adds `token` with the next id (``idLimit``); returns its id.
    @discardableResult
    public mutating func append(_ token: [UInt8]) -> TokenID {
        let id = TokenID(tokenSpans.count)
        insert(token, id: id)
        return id
    }

    /// Adds `token` with `id`. The caller guarantees that neither is present yet.
    public mutating func insert(_ token: [UInt8], id: TokenID) {
        token.withUnsafeBufferPointer { insert($0, id: id) }
    }

    /// Adds `token` with `id`. The caller guarantees that neither is present yet.
    public mutating func insert(_ token: UnsafeBufferPointer<UInt8>, id: TokenID) {
        let start = table.set(token, id)
        let span = UInt64(start) << 32 | UInt64(token.count)
        if Int(id) == tokenSpans.count {
            tokenSpans.append(span)
        } else {
            if Int(id) > tokenSpans.count { tokenSpans.append(contentsOf: repeatElement(Self.hole, count: Int(id) + 1 - tokenSpans.count)) }
            tokenSpans[Int(id)] = span
        }
        if token.count == 1 && token[0] < 0x80 {
            smallScalarIDs[Int(token[0])] = id
        } else if token.count == 2 && token[0] & 0xE0 == 0xC0 && token[1] & 0xC0 == 0x80 {
            smallScalarIDs[Int(token[0] & 0x1F) << 6 | Int(token[1] & 0x3F)] = id
        }
    }

    /// Every (id, token) pair in id order, holes skipped.
    public var entries: [(id: TokenID, token: [UInt8])] {
        tokenSpans.indices.compactMap { id in token(for: TokenID(id)).map { (TokenID(id), $0) } }
    }
}
