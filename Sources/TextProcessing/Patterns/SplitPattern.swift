/// Something that finds delimiters in text: a literal string, a hand-written scanner for
/// a well-known regular expression, or a general regular expression.
public protocol SplitPattern: Sendable {
    /// The non-overlapping matches in `scalars`, as sorted scalar-offset ranges.
    /// Empty matches are allowed where the pattern produces them.
    func matches(in scalars: UnsafeBufferPointer<UInt32>) -> [Range<Int>]

    /// The same matches in valid UTF-8, as byte-offset ranges appended to `ranges`.
    func matches(inUTF8 bytes: UnsafeBufferPointer<UInt8>, into ranges: inout [Range<Int>])
}

extension SplitPattern {
    /// Decodes to scalars, matches there, and maps the offsets back to bytes.
    public func matches(inUTF8 bytes: UnsafeBufferPointer<UInt8>, into ranges: inout [Range<Int>]) {
        var scalars: [UInt32] = []
        var byteOffsets: [Int] = []
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            byteOffsets.append((byteOffsets.last ?? 0) + (scalars.last.map { UTF8.width(Unicode.Scalar($0)!) } ?? 0))
            scalars.append(scalar.value)
        }
        byteOffsets.append(bytes.count)
        for match in scalars.withUnsafeBufferPointer({ matches(in: $0) }) {
            ranges.append(byteOffsets[match.lowerBound]..<byteOffsets[match.upperBound])
        }
    }

    /// The whole text as consecutive ranges, each marked as a match or not, as
    /// Hugging Face's `Pattern::find_matches` returns them.
    public func delimitedRanges(in scalars: [UInt32]) -> [(range: Range<Int>, isMatch: Bool)] {
        if scalars.isEmpty { return [(0..<0, false)] }
        let found = scalars.withUnsafeBufferPointer { matches(in: $0) }
        var result: [(range: Range<Int>, isMatch: Bool)] = []
        result.reserveCapacity(found.count * 2 + 1)
        var previous = 0
        for match in found {
            if previous != match.lowerBound { result.append((previous..<match.lowerBound, false)) }
            result.append((match, true))
            previous = match.upperBound
        }
        if previous != scalars.count { result.append((previous..<scalars.count, false)) }
        return result
    }
}
