/// Text cut into pieces by pre-tokenizers, each piece a ``NormalizedString`` that keeps
/// its alignment with the original text.
public struct PreTokenizedString: Sendable, Equatable {
    /// The current pieces, in order. Empty pieces are never kept.
    public var splits: [NormalizedString]

    /// Starts with the whole text as one piece.
    public init(_ text: String) {
        self.init(NormalizedString(text))
    }

    /// Starts with one already-normalized piece.
    public init(_ normalized: NormalizedString) {
        splits = normalized.isEmpty ? [] : [normalized]
    }

    /// Replaces every piece by the pieces `body` cuts it into; empty results are dropped.
    /// `body` receives the piece's index and the piece.
    public mutating func split(_ body: (Int, NormalizedString) throws -> [NormalizedString]) rethrows {
        var result: [NormalizedString] = []
        result.reserveCapacity(splits.count)
        for (index, piece) in splits.enumerated() {
            for part in try body(index, piece) where !part.isEmpty {
                result.append(part)
            }
        }
        splits = result
    }

    /// The pieces as strings with their original scalar (character) offsets, as Python's
    /// `pre_tokenize_str` reports them.
    public var pieces: [(text: String, offsets: Range<Int>)] {
        splits.map { ($0.string, $0.originalOffsets) }
    }
}
