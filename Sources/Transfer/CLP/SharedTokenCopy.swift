import Tokenization

/// In a replacement by a helper model's vocabulary, every helper token the source also has
/// (matched as ``HelperVocabulary/Matching`` says) copies its source row: the first source id
/// with that key, among those with a row.
public struct SharedTokenCopy: RowInitializer {
    /// The helper model, whose vocabulary is the target's.
    public let helper: HelperModel

    /// Copies of the tokens `helper` shares with the source.
    public init(helper: HelperModel) { self.helper = helper }

    public func plan(_ ids: [TokenID], in context: TransferContext, into plans: inout RowPlans) throws {
        let vocabulary = helper.vocabulary
        var sourceByKey: [[UInt8]: TokenID] = [:]
        let convention = VocabularyConvention(of: context.source)
        for (id, token) in context.source.model.vocabulary.entries where Int(id) < context.sourceRows {
            let key = HelperVocabulary.key(token, convention, vocabulary.matching)
            if sourceByKey[key] == nil { sourceByKey[key] = id }
        }
        var copied = 0
        for id in ids {
            if let token = vocabulary.tokens[Int(id)], let sourceID = sourceByKey[HelperVocabulary.key(token, vocabulary.convention, vocabulary.matching)] {
                plans[id] = RowPlan(.copy(sourceID), RowProvenance(.copy, sources: [(sourceID, 1)]))
                copied += 1
            }
        }
        guard copied > 0 else { throw TransferError.helperVocabularyDisjoint(helper: helper.directory) }
    }
}
