import Tokenization

/// One way of initializing the rows of a transformed vocabulary: given the ids still without a
/// plan, it plans those it can and leaves the others to the next initializer of the chain.
///
/// A new method is one type conforming to this protocol and one line placing it in a chain
/// (see ``InitializationMethod/initializers(_:)`` and the Transfer article).
public protocol RowInitializer {
    /// Plans the rows of those `ids` it can, into `plans`.
    func plan(_ ids: [TokenID], in context: TransferContext, into plans: inout RowPlans) throws
}

/// What the initializers of a transform plan: a row per target id, plus the settings and files
/// they add to the output.
public struct RowPlans {
    /// The plan of each id planned so far.
    public internal(set) var plans: [TokenID: RowPlan] = [:]
    /// Provenance settings, in the order added.
    public internal(set) var settings: [(key: String, value: String)] = []
    /// Files added to the output directory, by name.
    var files: [(name: String, write: (String) throws -> Void)] = []
    /// The plans ``RowCheck`` refused, per id: the method that made each and why.
    public internal(set) var rejections: [TokenID: [(method: RowProvenance.Method, problem: String)]] = [:]

    /// Plans with `plans` already made.
    public init(_ plans: [TokenID: RowPlan] = [:]) { self.plans = plans }

    /// The plan of `id`, if any.
    public subscript(id: TokenID) -> RowPlan? {
        get { plans[id] }
        set { plans[id] = newValue }
    }

    /// Records `key` = `value` in the provenance database's settings.
    public mutating func record(_ key: String, _ value: String) { settings.append((key, value)) }

    /// Adds a file named `name` to the output, written by `write(path)`.
    public mutating func addFile(_ name: String, write: @escaping (String) throws -> Void) { files.append((name, write)) }
}

/// What an initializer sees: the source tokenizer and rows, the target tokenizer, the new
/// tokens of an expansion, and the target-language text.
public struct TransferContext {
    /// The source model's tokenizer.
    public let source: Tokenizer
    /// The source model's row count.
    public let sourceRows: Int
    /// The target tokenizer, when Polytoken reads it (not a CLP helper's).
    public let target: Tokenizer?
    /// The expansion, when the vocabulary change is one.
    public let expansion: VocabularyExpansion?
    /// Target-language text.
    public let corpus: TargetText
    /// The source model's directory.
    public let directory: String?
    /// The source model's special tokens.
    public let sourceSpecialTokens: SpecialTokens
    /// The output's special tokens: the source's, with the roles the user mapped.
    public let specialTokens: SpecialTokens
    /// The source model's vocabulary tensors, in order (input embedding, untied head, biases).
    let tensors: [EmbeddingRows]
    /// Receives stage names.
    let progress: (String) -> Void
    /// The check of every planned row.
    let check: RowCheck

    /// A context without model tensors (for initializers that combine source rows by weights);
    /// rows mostly copying one of `protectedIDs` are refused. The special tokens are read from
    /// `directory`'s files, the same for source and output.
    public init(source: Tokenizer, sourceRows: Int, target: Tokenizer?, expansion: VocabularyExpansion? = nil, corpus: TargetText = .lines([]),
                directory: String? = nil, protectedIDs: Set<TokenID> = []) throws {
        let specialTokens = try SpecialTokens(vocabulary: VocabularyListing(source), directory: directory)
        try self.init(source: source, sourceRows: sourceRows, target: target, expansion: expansion, corpus: corpus, directory: directory,
                  sourceSpecialTokens: specialTokens, specialTokens: specialTokens, tensors: [], protectedIDs: protectedIDs, progress: { _ in })
    }

    init(source: Tokenizer, sourceRows: Int, target: Tokenizer?, expansion: VocabularyExpansion?, corpus: TargetText, directory: String?,
         sourceSpecialTokens: SpecialTokens, specialTokens: SpecialTokens, tensors: [EmbeddingRows], protectedIDs: Set<TokenID>,
         progress: @escaping (String) -> Void) throws {
        self.sourceSpecialTokens = sourceSpecialTokens
        self.specialTokens = specialTokens
        self.source = source
        self.sourceRows = sourceRows
        self.target = target
        self.expansion = expansion
        self.corpus = corpus
        self.directory = directory
        self.tensors = tensors
        self.progress = progress
        check = try RowCheck(tensors: tensors, protectedIDs: protectedIDs)
    }

    /// The expansion, or an error naming `method` that needs one.
    func requireExpansion(for method: String) throws -> VocabularyExpansion {
        guard let expansion else { throw TransferError.needsExpansion(method: method) }
        return expansion
    }

    /// Plans `ids` in order with `initializers`, each given the ids the earlier ones left,
    /// including the rows of those ``RowCheck`` refused.
    public func plan(_ ids: [TokenID], with initializers: [any RowInitializer], into plans: inout RowPlans) throws {
        for initializer in initializers {
            let remaining = ids.filter { plans[$0] == nil }
            guard !remaining.isEmpty else { return }
            try initializer.plan(remaining, in: self, into: &plans)
            for id in remaining {
                guard let plan = plans[id], let problem = check.problem(with: plan, describing: { source.token(for: $0) ?? "" }) else { continue }
                plans[id] = nil
                plans.rejections[id, default: []].append((plan.provenance.method, problem))
            }
        }
    }
}
