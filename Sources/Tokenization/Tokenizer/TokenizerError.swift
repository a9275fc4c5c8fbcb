/// Why a tokenizer could not be loaded, built or used.
public enum TokenizerError: Error, CustomStringConvertible, Sendable {
    /// The model is inconsistent (a merge or the unknown token is missing from the vocabulary).
    case invalidModel(String)
    /// An id has no token.
    case unknownID(TokenID)

    public var description: String {
        switch self {
        case .invalidModel(let message): return message
        case .unknownID(let id): return "id \(id) is not in the vocabulary"
        }
    }
}
