/// A literal string delimiter, matched left to right without overlaps.
public struct LiteralPattern: SplitPattern {
    /// The delimiter's scalar values.
    public let needle: [UInt32]
    private let utf8: [UInt8]

    /// A pattern for the literal `text`.
    public init(_ text: String) {
        needle = text.unicodeScalars.map(\.value)
        utf8 = Array(text.utf8)
    }

    public func matches(inUTF8 bytes: UnsafeBufferPointer<UInt8>, into ranges: inout [Range<Int>]) {
        guard let first = utf8.first, bytes.count >= utf8.count else { return }
        var i = 0
        let last = bytes.count - utf8.count
        while i <= last {
            if bytes[i] == first && utf8.indices.allSatisfy({ bytes[i + $0] == utf8[$0] }) {
                ranges.append(i..<(i + utf8.count))
                i += utf8.count
                continue
            }
            i += 1
        }
    }

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
