import Support
import Tokenization

/// Why a transfer could not run.
public enum TransferError: Error, CustomStringConvertible, Sendable {
    /// The target corpus does not yield as many new tokens as asked.
    case notEnoughNewTokens(requested: Int, available: Int)
    /// The expanded tokenizer encodes more lines of the protected text differently than allowed.
    case protectedTextChanged(changed: Int, lines: Int, allowed: Int, first: String)
    /// An expansion was asked for no new tokens or fewer.
    case noNewTokens(requested: Int)
    /// An option is out of its range.
    case invalidOption(String)
    /// A method was given without the initializer it needs (a helper model, a parallel corpus).
    case methodNeedsInitializer(method: String)
    /// An initializer that works on an expansion's new tokens was used on another change.
    case needsExpansion(method: String)
    /// An initializer needs a target tokenizer that the vocabulary change does not give.
    case needsTargetTokenizer(method: String)
    /// The initializers left rows of the changed vocabulary without a plan (a chain without a last resort such as Random).
    case unplannedRows(count: Int, first: UInt32)
    /// The helper model's vocabulary shares no token with the source's.
    case helperVocabularyDisjoint(helper: String)
    /// Files of the model disagree with each other (sizes, ids, shapes): `path` is the one named.
    case inconsistentModel(path: String, problem: String)
    /// The model directory is missing, or a file.
    case noModelDirectory(path: String, isFile: Bool)
    /// The model or its tokenizer is of a kind this operation does not handle.
    case unsupported(String)
    /// A JSON file that must hold an object does not.
    case notAnObject(path: String)
    /// The source's files disagree about special tokens (each problem names its file and key).
    case specialTokenConflicts([ConfigurationError])
    /// The new vocabulary lacks special tokens of the source.
    case missingSpecialTokens([MissingSpecialToken])
    /// The output failed its own directory check (see ``ModelDirectoryInspection``).
    case inconsistentOutput([String])
    /// ICU does not know a transliteration transform.
    case unknownTransform(String, reason: String)

    public var description: String {
        switch self {
        case .notEnoughNewTokens(let requested, let available):
            return "the target corpus yields only \(available) new tokens, \(requested) were asked; give more text or ask for fewer"
        case .protectedTextChanged(let changed, let lines, let allowed, let first):
            return "the expansion changes how \(changed) of \(lines) protected lines are encoded (at most \(allowed) allowed), "
                + "the first: \(first.prefix(80).debugDescription)"
        case .noNewTokens(let requested): return "the number of new tokens must be positive, not \(requested)"
        case .invalidOption(let message): return message
        case .methodNeedsInitializer(let method): return "the \(method) method needs its inputs (a helper model for clp, a parallel corpus for transtokenize)"
        case .needsExpansion(let method): return "\(method) initializes the new tokens of an expansion, and this change is not one"
        case .needsTargetTokenizer(let method): return "\(method) needs a target tokenizer Polytoken reads"
        case .unplannedRows(let count, let first):
            return "the initializers left \(count) rows without a value (the first is id \(first)); end the chain with RandomInitializer"
        case .helperVocabularyDisjoint(let helper):
            return "the helper model's vocabulary (\(helper)) shares no token with the source"
        case .inconsistentModel(let path, let problem): return "\(path): \(problem)"
        case .noModelDirectory(let path, let isFile): return isFile ? "\(path): is a file, not a model directory" : "\(path): no such model directory"
        case .unsupported(let message): return message
        case .notAnObject(let path): return "\(path) is not an object"
        case .specialTokenConflicts(let problems):
            return "the source's special tokens are inconsistent; say which token each role is:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
        case .missingSpecialTokens(let missing):
            return "the new vocabulary lacks special tokens of the source; map each role to a token it has:\n" + missing.map { "  \($0)" }.joined(separator: "\n")
        case .inconsistentOutput(let problems):
            return "the output would be inconsistent, so nothing was written:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
        case .unknownTransform(let transform, let reason): return "ICU does not know the transform \(transform.debugDescription): \(reason)"
        }
    }
}
