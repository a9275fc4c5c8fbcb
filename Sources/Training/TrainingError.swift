/// Why training could not run.
public enum TrainingError: Error, CustomStringConvertible, Sendable {
    /// The vocabulary size cannot even hold the special tokens and the alphabet.
    case vocabularyTooSmall(requested: Int, minimum: Int)
    /// Training was cancelled before it finished.
    case cancelled

    public var description: String {
        switch self {
        case .vocabularyTooSmall(let requested, let minimum):
            return "vocabulary size \(requested) is smaller than the special tokens plus the alphabet (\(minimum)); "
                + "raise it, or limit the alphabet"
        case .cancelled:
            return "training was cancelled"
        }
    }
}
