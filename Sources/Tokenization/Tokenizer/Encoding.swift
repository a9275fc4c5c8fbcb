/// The result of encoding: ids with everything a model input needs, as Hugging Face's `Encoding`.
public struct Encoding: Sendable, Equatable {
    /// The token ids.
    public var ids: [TokenID] = []
    /// The segment (type) id of each token: 0 for the first sequence, 1 for the second.
    public var typeIDs: [UInt32] = []
    /// The token strings, as in the vocabulary (or the added token's content).
    public var tokens: [String] = []
    /// The character (Unicode scalar) offsets of each token in the original text.
    public var offsets: [Range<Int>] = []
    /// 1 for tokens added by the post-processor (and padding), 0 otherwise.
    public var specialTokensMask: [UInt8] = []
    /// 1 for real tokens, 0 for padding.
    public var attentionMask: [UInt8] = []
    /// Which input sequence each token comes from (0 or 1), nil for added special tokens and padding.
    public var sequenceIDs: [Int?] = []

    public init() {}

    /// The number of tokens.
    public var count: Int { ids.count }

    /// Appends one token.
    public mutating func append(id: TokenID, token: String, offsets: Range<Int>, typeID: UInt32,
                                special: Bool, sequence: Int?) {
        ids.append(id)
        tokens.append(token)
        self.offsets.append(offsets)
        typeIDs.append(typeID)
        specialTokensMask.append(special ? 1 : 0)
        attentionMask.append(1)
        sequenceIDs.append(sequence)
    }

    /// Appends all tokens of `other`.
    public mutating func append(contentsOf other: Encoding) {
        ids += other.ids
        typeIDs += other.typeIDs
        tokens += other.tokens
        offsets += other.offsets
        specialTokensMask += other.specialTokensMask
        attentionMask += other.attentionMask
        sequenceIDs += other.sequenceIDs
    }

    /// The tokens `range` of this encoding.
    public func slice(_ range: Range<Int>) -> Encoding {
        var part = Encoding()
        part.ids = Array(ids[range])
        part.typeIDs = Array(typeIDs[range])
        part.tokens = Array(tokens[range])
        part.offsets = Array(offsets[range])
        part.specialTokensMask = Array(specialTokensMask[range])
        part.attentionMask = Array(attentionMask[range])
        part.sequenceIDs = Array(sequenceIDs[range])
        return part
    }

    /// The offsets as UTF-8 byte offsets into `text`, the string this encoding came from.
    public func byteOffsets(in text: String) -> [Range<Int>] {
        var byteOffsetOfScalar = [0]
        byteOffsetOfScalar.reserveCapacity(text.unicodeScalars.count + 1)
        for scalar in text.unicodeScalars { byteOffsetOfScalar.append(byteOffsetOfScalar.last! + UTF8.width(scalar)) }
        return offsets.map { byteOffsetOfScalar[$0.lowerBound]..<byteOffsetOfScalar[$0.upperBound] }
    }
}
