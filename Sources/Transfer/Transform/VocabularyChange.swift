import Tokenization

/// How a transform changes the source model's vocabulary: it adds tokens (an expansion, TransMI)
/// or replaces the tokenizer (CLP-Transfer, trans-tokenization).
public protocol VocabularyChange {
    /// Whether a static model's quantized vocabulary (model2vec) can be changed.
    var acceptsQuantizedVocabulary: Bool { get }

    /// The changed vocabulary of a source with `tokenizer` and `rows` rows, whose directory is `directory`.
    func apply(to tokenizer: Tokenizer, rows: Int, directory: String, progress: (String) -> Void) throws -> ChangedVocabulary
}

extension VocabularyChange {
    /// Only TransMI changes quantized vocabularies.
    public var acceptsQuantizedVocabulary: Bool { false }
}

/// The vocabulary a change produces, and what the output directory needs to hold it.
public struct ChangedVocabulary {
    /// The target tokenizer, when Polytoken reads it.
    public var tokenizer: Tokenizer?
    /// The expansion, when the change is one.
    public var expansion: VocabularyExpansion?
    /// The row count of the changed vocabulary (before any padding).
    public var rows: Int
    /// Rows below this that no initializer plans keep their source row; rows past it, their mean.
    public var keptRows: Int
    /// The ids the initializers plan, in the order the provenance database records them.
    public var initialized: [TokenID]
    /// Rows the change itself plans (TransMI's transliterated tokens).
    public var plans: [TokenID: RowPlan] = [:]
    /// Target-language text the change read, for the initializers.
    public var corpus: TargetText = .lines([])
    /// Counts the change reports (such as TransMI's skipped entries), by name.
    public var counts: [String: Int] = [:]
    /// The source ids of the protected text's segmentation: a new row that is mostly a copy of
    /// one of them is refused (see ``RowCheck``).
    public var protectedIDs: Set<TokenID> = []
    /// The changed vocabulary's token strings and ids.
    public var listing: VocabularyListing
    /// Whether the tokenizer is replaced (ids move) rather than extended (source ids kept).
    public var replacesTokenizer: Bool
    /// The vocabulary string and decoded text of a target id, for the provenance database.
    var describe: (TokenID) -> (token: String, text: String)
    /// Writes the changed tokenizer's `tokenizer.json` into the directory it is given.
    var writeFiles: (String) throws -> Void

    /// A changed vocabulary of `rows` rows, listed by `listing`, whose `tokenizer.json` `writeFiles` writes.
    public init(tokenizer: Tokenizer?, expansion: VocabularyExpansion? = nil, rows: Int, keptRows: Int, initialized: [TokenID],
                listing: VocabularyListing, replacesTokenizer: Bool, describe: @escaping (TokenID) -> (token: String, text: String),
                writeFiles: @escaping (String) throws -> Void) {
        self.tokenizer = tokenizer
        self.expansion = expansion
        self.rows = rows
        self.keptRows = keptRows
        self.initialized = initialized
        self.listing = listing
        self.replacesTokenizer = replacesTokenizer
        self.describe = describe
        self.writeFiles = writeFiles
    }
}
