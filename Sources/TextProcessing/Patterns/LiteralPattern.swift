/// A literal string delimiter, matched left to right without overlaps.
public struct LiteralPattern: SplitPattern {
    /// The delimiter's scalar values.
    public let needle: [UInt32]

    /// A pattern for the literal `text`.
    public init(_ text: String) { needle = text.unicodeScalars.map(\.value) }

    public func matches(in scalars: UnsafeBufferPointer<UInt32>) -> [Range<Int>] {
        guard let first = needle.first, scalars.count >= needle.count else { return [] }
        var result: [Range<Int>] = []
        var i = 0
        let last = scalars.count - needle.count
        while i <= last {
            if scalars[i] == first {
                var j = 1
                while j < needle.count && scalars[i + j] == needle[j] { j += 1 }
                if j == needle.count {
                    result.append(i..<(i + needle.count))
                    i += needle.count
                    continue
                }
            }
            i += 1
        }
        return result
    }
}
