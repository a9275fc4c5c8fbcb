/// A token id.
public typealias TokenID = UInt32

/// A vocabulary: token strings, kept as exact UTF-8 bytes, and their ids.
///
/// Ids need not be contiguous (Hugging Face tolerates holes); ``token(for:)`` is nil for a hole.
public struct Vocabulary: Sendable {
    private var table: ByteStringTable
    private var tokensByID: [[UInt8]?]
    /// For single-scalar tokens below U+0800, the id by scalar value (`UInt32.max` if none).
    private var smallScalarIDs: [UInt32]

    /// An empty vocabulary, sized for about `capacity` tokens.
    public init(capacity: Int = 16) {
        table = ByteStringTable(capacity: capacity)
        tokensByID = []
        tokensByID.reserveCapacity(capacity)
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
    public var idLimit: Int { tokensByID.count }

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
        Int(id) < tokensByID.count ? tokensByID[Int(id)] : nil
    }

    /// The token with `id` as a string, or nil.
    public func string(for id: TokenID) -> String? {
        token(for: id).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Adds `token` with the next id (``idLimit``); returns its id.
    @discardableResult
    public mutating func append(_ token: [UInt8]) -> TokenID {
        let id = TokenID(tokensByID.count)
        insert(token, id: id)
        return id
    }

    /// Adds `token` with `id`. The caller guarantees that neither is present yet.
    public mutating func insert(_ token: [UInt8], id: TokenID) {
        table.set(token, id)
        if Int(id) >= tokensByID.count {
            tokensByID.append(contentsOf: repeatElement(nil, count: Int(id) + 1 - tokensByID.count))
        }
        tokensByID[Int(id)] = token
        if token.count == 1 && token[0] < 0x80 {
            smallScalarIDs[Int(token[0])] = id
        } else if token.count == 2 && token[0] & 0xE0 == 0xC0 && token[1] & 0xC0 == 0x80 {
            smallScalarIDs[Int(token[0] & 0x1F) << 6 | Int(token[1] & 0x3F)] = id
        }
    }

    /// Every (id, token) pair in id order, holes skipped.
    public var entries: [(id: TokenID, token: [UInt8])] {
        tokensByID.enumerated().compactMap { id, token in token.map { (TokenID(id), $0) } }
    }
}
