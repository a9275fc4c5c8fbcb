/// Text being normalized, that remembers where every scalar came from.
///
/// The normalized text is kept as Unicode scalar values; each carries the range of
/// scalar offsets in the original text it stems from, as Hugging Face's
/// `NormalizedString` does with its alignments. Offsets are scalar (character) offsets
/// into the original text; `Range.utf8Offsets(in:)` converts them to UTF-8 byte offsets.
public struct NormalizedString: Sendable, Equatable {
    /// The normalized text, one Unicode scalar value per element.
    public var scalars: [UInt32]
    /// For each element of ``scalars``, the original scalar offsets it comes from.
    public var alignments: [Range<Int>]

    /// Wraps `text` unchanged, each scalar aligned with itself.
    public init(_ text: String) {
        self.init(scalars: text.unicodeScalars.map(\.value))
    }

    /// Wraps scalar values unchanged, each aligned with itself.
    public init(scalars: [UInt32]) {
        self.scalars = scalars
        self.alignments = scalars.indices.map { $0..<($0 + 1) }
    }

    /// Creates a normalized string from parts that already carry their alignments.
    public init(scalars: [UInt32], alignments: [Range<Int>]) {
        precondition(scalars.count == alignments.count)
        self.scalars = scalars
        self.alignments = alignments
    }

    /// Whether the normalized text is empty.
    public var isEmpty: Bool { scalars.isEmpty }

    /// The normalized text as a `String`.
    public var string: String { String(scalarValues: scalars) }

    /// The original scalar offsets this text covers: from the first scalar's start to
    /// the last scalar's end.
    public var originalOffsets: Range<Int> {
        guard let first = alignments.first, let last = alignments.last else { return 0..<0 }
        return first.lowerBound..<max(first.lowerBound, last.upperBound)
    }

    /// A part of the normalized text, by scalar offsets into ``scalars``.
    public func slice(_ range: Range<Int>) -> NormalizedString {
        NormalizedString(scalars: Array(scalars[range]), alignments: Array(alignments[range]))
    }

    /// Replaces each scalar by zero or more scalars, which inherit its alignment.
    /// `body` appends the replacement of one scalar to its second argument.
    public mutating func transformEach(_ body: (UInt32, inout [UInt32]) -> Void) {
        var newScalars: [UInt32] = []
        var newAlignments: [Range<Int>] = []
        newScalars.reserveCapacity(scalars.count)
        newAlignments.reserveCapacity(scalars.count)
        var buffer: [UInt32] = []
        for (index, scalar) in scalars.enumerated() {
            buffer.removeAll(keepingCapacity: true)
            body(scalar, &buffer)
            for replacement in buffer {
                newScalars.append(replacement)
                newAlignments.append(alignments[index])
            }
        }
        scalars = newScalars
        alignments = newAlignments
    }

    /// Keeps only the scalars for which `isIncluded` is true.
    public mutating func filter(_ isIncluded: (UInt32) -> Bool) {
        var newScalars: [UInt32] = []
        var newAlignments: [Range<Int>] = []
        newScalars.reserveCapacity(scalars.count)
        newAlignments.reserveCapacity(scalars.count)
        for (index, scalar) in scalars.enumerated() where isIncluded(scalar) {
            newScalars.append(scalar)
            newAlignments.append(alignments[index])
        }
        scalars = newScalars
        alignments = newAlignments
    }

    /// Replaces each range in `ranges` (sorted, non-overlapping, in normalized offsets)
    /// by `replacement`. Every inserted scalar is aligned with the last scalar of the
    /// range it replaces, or, for an empty range, with the scalar before it.
    public mutating func replace(ranges: [Range<Int>], with replacement: [UInt32]) {
        guard !ranges.isEmpty else { return }
        var newScalars: [UInt32] = []
        var newAlignments: [Range<Int>] = []
        newScalars.reserveCapacity(scalars.count)
        newAlignments.reserveCapacity(scalars.count)
        var position = 0
        for range in ranges {
            newScalars.append(contentsOf: scalars[position..<range.lowerBound])
            newAlignments.append(contentsOf: alignments[position..<range.lowerBound])
            let anchor: Range<Int>
            if range.upperBound > range.lowerBound {
                anchor = alignments[range.upperBound - 1]
            } else if range.lowerBound > 0 {
                anchor = alignments[range.lowerBound - 1]
            } else {
                anchor = 0..<0
            }
            for scalar in replacement {
                newScalars.append(scalar)
                newAlignments.append(anchor)
            }
            position = range.upperBound
        }
        newScalars.append(contentsOf: scalars[position...])
        newAlignments.append(contentsOf: alignments[position...])
        scalars = newScalars
        alignments = newAlignments
    }

    /// Replaces the scalars in `range` by `replacement`, all aligned with the union of the
    /// replaced scalars' alignments (used where a whole segment is rewritten at once).
    public mutating func replaceSegment(_ range: Range<Int>, with replacement: [UInt32]) {
        let span = alignments[range.lowerBound].lowerBound..<alignments[range.upperBound - 1].upperBound
        scalars.replaceSubrange(range, with: replacement)
        alignments.replaceSubrange(range, with: repeatElement(span, count: replacement.count))
    }

    /// Replaces the scalars in `range` by `replacement`, each with its given alignment.
    public mutating func replaceSegment(_ range: Range<Int>, with replacement: [UInt32], alignments newAlignments: [Range<Int>]) {
        precondition(replacement.count == newAlignments.count)
        scalars.replaceSubrange(range, with: replacement)
        alignments.replaceSubrange(range, with: newAlignments)
    }

    /// Rewrites the text as Hugging Face's `NormalizedString::transform` does: `changes` lists
    /// the new scalars, each tagged 0 (it replaces the next old scalar and takes its alignment),
    /// `+1` (it is inserted and takes the alignment of the old scalar before it), or `-n` (it
    /// replaces the next old scalar and the `n` after it). Nil when the tags consume more
    /// scalars than there are.
    public static func huggingFaceAlignments(_ changes: [(scalar: UInt32, change: Int)], replacing alignments: [Range<Int>],
                                             before: Range<Int>?) -> [Range<Int>]? {
        var result: [Range<Int>] = []
        result.reserveCapacity(changes.count)
        var offset = 0
        for (_, change) in changes {
            if change > 0 {
                result.append(offset > 0 ? alignments[offset - 1] : before ?? 0..<0)
            } else {
                guard offset < alignments.count else { return nil }
                result.append(alignments[offset])
                offset += 1 - change
            }
        }
        return result
    }

    /// Prepends `prefix` when the text is not empty; the new scalars are aligned with
    /// the first scalar, as in Hugging Face.
    public mutating func prepend(_ prefix: [UInt32]) {
        guard let first = alignments.first else { return }
        scalars.insert(contentsOf: prefix, at: 0)
        alignments.insert(contentsOf: repeatElement(first, count: prefix.count), at: 0)
    }

    /// Appends `suffix` when the text is not empty; the new scalars are aligned with the last scalar.
    public mutating func append(_ suffix: [UInt32]) {
        guard let last = alignments.last else { return }
        scalars.append(contentsOf: suffix)
        alignments.append(contentsOf: repeatElement(last, count: suffix.count))
    }

    /// Removes leading and/or trailing scalars for which `isStripped` holds.
    public mutating func strip(left: Bool, right: Bool, where isStripped: (UInt32) -> Bool) {
        var end = scalars.count
        if right { while end > 0 && isStripped(scalars[end - 1]) { end -= 1 } }
        var start = 0
        if left { while start < end && isStripped(scalars[start]) { start += 1 } }
        if start == 0 && end == scalars.count { return }
        scalars = Array(scalars[start..<end])
        alignments = Array(alignments[start..<end])
    }
}

extension String {
    /// Builds a string from Unicode scalar values (which must be valid scalars).
    public init(scalarValues: some Sequence<UInt32>) {
        var view = String.UnicodeScalarView()
        for value in scalarValues { view.append(Unicode.Scalar(value)!) }
        self = String(view)
    }
}

extension Range where Bound == Int {
    /// Converts these scalar offsets of `text` into UTF-8 byte offsets.
    public func utf8Offsets(in text: String) -> Range<Int> {
        var byte = 0
        var lower = 0
        var upper = 0
        var index = 0
        for scalar in text.unicodeScalars {
            if index == lowerBound { lower = byte }
            if index == upperBound { upper = byte; return lower..<upper }
            byte += UTF8.width(scalar)
            index += 1
        }
        if index == lowerBound { lower = byte }
        upper = byte
        return lower..<upper
    }
}
