/// What a split does with the delimiters it finds, as in Hugging Face's `SplitDelimiterBehavior`.
public enum SplitDelimiterBehavior: String, Sendable, CaseIterable {
    /// Delimiters are dropped.
    case removed = "Removed"
    /// Each delimiter becomes a piece of its own.
    case isolated = "Isolated"
    /// A delimiter is joined to the piece before it.
    case mergedWithPrevious = "MergedWithPrevious"
    /// A delimiter is joined to the piece after it.
    case mergedWithNext = "MergedWithNext"
    /// Consecutive delimiters form one piece.
    case contiguous = "Contiguous"

    /// Turns a complete, ordered list of (range, is a delimiter) into the ranges to keep.
    func apply(_ matches: [(range: Range<Int>, isMatch: Bool)]) -> [Range<Int>] {
        switch self {
        case .removed:
            return matches.lazy.filter { !$0.isMatch }.map(\.range)
        case .isolated:
            return matches.map(\.range)
        case .mergedWithPrevious:
            var result: [Range<Int>] = []
            var previousMatch = false
            for (range, isMatch) in matches {
                if isMatch && !previousMatch, let last = result.last {
                    result[result.count - 1] = last.lowerBound..<range.upperBound
                } else {
                    result.append(range)
                }
                previousMatch = isMatch
            }
            return result
        case .mergedWithNext:
            var result: [Range<Int>] = []
            var previousMatch = false
            for (range, isMatch) in matches.reversed() {
                if isMatch && !previousMatch, let last = result.last {
                    result[result.count - 1] = range.lowerBound..<last.upperBound
                } else {
                    result.append(range)
                }
                previousMatch = isMatch
            }
            return result.reversed()
        case .contiguous:
            var result: [Range<Int>] = []
            var previousMatch = false
            for (range, isMatch) in matches {
                if isMatch == previousMatch, let last = result.last {
                    result[result.count - 1] = last.lowerBound..<range.upperBound
                } else {
                    result.append(range)
                }
                previousMatch = isMatch
            }
            return result
        }
    }
}

extension NormalizedString {
    /// Cuts this text at the matches of `pattern`, handling the delimiters as `behavior`
    /// says; with `invert`, the text between matches is the delimiter instead.
    public func split(by pattern: any SplitPattern, behavior: SplitDelimiterBehavior, invert: Bool = false) -> [NormalizedString] {
        var matches = pattern.delimitedRanges(in: scalars)
        if invert { matches = matches.map { ($0.range, !$0.isMatch) } }
        return behavior.apply(matches).compactMap { $0.isEmpty ? nil : slice($0) }
    }
}
