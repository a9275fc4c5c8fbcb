import Tokenization

/// Random: every row a seeded normal draw with the source rows' per-column mean and deviation
/// (the last initializer of every chain that must plan all its ids).
public struct RandomInitializer: RowInitializer {
    /// The initializer.
    public init() {}

    public func plan(_ ids: [TokenID], in context: TransferContext, into plans: inout RowPlans) throws {
        for id in ids { plans[id] = .random }
    }
}
