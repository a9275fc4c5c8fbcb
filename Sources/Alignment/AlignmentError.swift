/// Why an alignment could not run.
public enum AlignmentError: Error, CustomStringConvertible, Sendable {
    /// No sentence pair is left after cleaning.
    case emptyCorpus(statistics: String)

    public var description: String {
        switch self {
        case .emptyCorpus(let statistics): return "the parallel corpus is empty after cleaning (\(statistics))"
        }
    }
}
