/// Why a transfer could not run.
public enum TransferError: Error, CustomStringConvertible, Sendable {
    /// The target corpus does not yield as many new tokens as asked.
    case notEnoughNewTokens(requested: Int, available: Int)
    /// The model directory is not usable.
    case invalidModel(String)

    public var description: String {
        switch self {
        case .notEnoughNewTokens(let requested, let available):
            return "the target corpus yields only \(available) new tokens, \(requested) were asked; give more text or ask for fewer"
        case .invalidModel(let message): return message
        }
    }
}
