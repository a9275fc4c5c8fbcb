import TextProcessing

/// Removes up to `start` leading and `stop` trailing copies of a character from each token.
public struct StripDecoder: Decoder {
    /// The character to strip.
    public var content: Unicode.Scalar
    /// The most copies removed at the start of each token.
    public var start: Int
    /// The most copies removed at the end of each token.
    public var stop: Int

    /// A Strip decoder.
    public init(content: Unicode.Scalar, start: Int, stop: Int) {
        self.content = content
        self.start = start
        self.stop = stop
    }

    public func decodeChain(_ tokens: [String]) -> [String] {
        tokens.map { token in
            let scalars = Array(token.unicodeScalars)
            var startCut = 0
            while startCut < min(start, scalars.count) && scalars[startCut] == content { startCut += 1 }
            var stopCut = scalars.count
            while scalars.count - stopCut < stop && stopCut > 0 && scalars[stopCut - 1] == content { stopCut -= 1 }
            guard startCut < stopCut else { return "" }
            var result = String.UnicodeScalarView()
            result.append(contentsOf: scalars[startCut..<stopCut])
            return String(result)
        }
    }
}
