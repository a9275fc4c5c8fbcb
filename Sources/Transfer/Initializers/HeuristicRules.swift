import Foundation
import TextProcessing
import Tokenization

/// The rules of the heuristic initializations (Yamaguchi, Villavicencio and Aletras, 2024):
/// for every new token of an expansion, the source rows its embedding combines by Mean, Merge
/// or Align. ``MeanInitializer``, ``MergeInitializer`` and ``AlignInitializer`` apply them.
public struct HeuristicRules: Sendable {
    /// The source tokenizer.
    public let source: Tokenizer
    /// The expansion.
    public let expansion: VocabularyExpansion
    private let sourceIDLimit: TokenID
    private let newByID: [TokenID: VocabularyExpansion.NewToken]

    /// The rules for the new tokens of `expansion` of `source`.
    public init(source: Tokenizer, expansion: VocabularyExpansion) {
        self.source = source
        self.expansion = expansion
        sourceIDLimit = TokenID(source.vocabularySize)
        newByID = Dictionary(uniqueKeysWithValues: expansion.newTokens.map { ($0.id, $0) })
    }

    /// Mean: the source model's segmentation of the token's text, each piece weighted equally.
    ///
    /// The segmentation is the source model's on the token's own symbols (its bytes in the
    /// model's alphabet: `Ġ` is the space byte, `▁` the word start), which is what the source
    /// tokenizer produces for that text inside a word. Unlike the reference code, the symbols
    /// are not passed through the normalizer and pre-tokenizer again, which would add a second
    /// `▁` or re-map byte characters as if they were text. Nil when a piece is not a source token.
    public func mean(_ id: TokenID) -> [(id: TokenID, weight: Double)]? {
        combinationByMean(id).map(\.sorted)
    }

    func combinationByMean(_ id: TokenID) -> Combination? {
        guard let token = newByID[id] else { return nil }
        let scalars = String(decoding: token.token, as: UTF8.self).unicodeScalars.map(\.value)
        var workspace = BPEWorkspace()
        var pieces: [ModelToken] = []
        scalars.withUnsafeBufferPointer { source.model.tokenize($0, workspace: &workspace, into: &pieces, cached: false) }
        guard !pieces.isEmpty, pieces.allSatisfy({ $0.id < sourceIDLimit && source.model.vocabulary.token(for: $0.id) != nil }) else { return nil }
        if let unknown = source.model.unknownToken.flatMap({ source.model.vocabulary.id(for: $0) }), pieces.contains(where: { $0.id == unknown }) {
            return nil
        }
        return Combination.sum(pieces.map { (Combination.source($0.id), 1 / Double(pieces.count)) })
    }

    /// Merge: the binary-tree average along the merges forming each new token: a token made
    /// from parts `a` and `b` gets `(φ(a) + φ(b)) / 2`, a source part is its own row, and a new
    /// character (no merge) its Mean. Nil when a part has no value.
    public func merge() -> [TokenID: [(id: TokenID, weight: Double)]] {
        combinationsByMerge().mapValues(\.sorted)
    }

    func combinationsByMerge() -> [TokenID: Combination] {
        var values: [TokenID: Combination] = [:]
        for token in expansion.newTokens {
            if let (left, right) = token.merge {
                guard let a = left < sourceIDLimit ? Combination.source(left) : values[left],
                      let b = right < sourceIDLimit ? Combination.source(right) : values[right] else { continue }
                values[token.id] = Combination.sum([(a, 0.5), (b, 0.5)])
            } else if let mean = combinationByMean(token.id) {
                values[token.id] = mean
            }
        }
        return values
    }

    /// Align: every occurrence of a new token in `text` (encoded by both tokenizers) is
    /// paired with the source tokens whose character spans nest with its span (special tokens
    /// and empty spans excluded); each distinct source segmentation is weighted by how often
    /// it occurs, and contributes the mean of its rows.
    public func align(_ text: TargetText) throws -> [TokenID: [(id: TokenID, weight: Double)]] {
        try combinationsByAlign(text).mapValues(\.sorted)
    }

    func combinationsByAlign(_ text: TargetText) throws -> [TokenID: Combination] {
        var observations: [TokenID: [[TokenID]: Int]] = [:]
        var sourceState = Tokenizer.State(), targetState = Tokenizer.State()
        var sourceIDs: [TokenID] = [], sourceOffsets: [Range<Int>] = []
        var targetIDs: [TokenID] = [], targetOffsets: [Range<Int>] = []
        let target = expansion.tokenizer
        try text.forEach { line in
            sourceIDs.removeAll(keepingCapacity: true)
            sourceOffsets.removeAll(keepingCapacity: true)
            targetIDs.removeAll(keepingCapacity: true)
            targetOffsets.removeAll(keepingCapacity: true)
            try target.tokenize(line, state: &targetState, ids: &targetIDs, offsets: &targetOffsets)
            guard targetIDs.contains(where: { newByID[$0] != nil }) else { return }
            try source.tokenize(line, state: &sourceState, ids: &sourceIDs, offsets: &sourceOffsets)
            var first = 0
            for (id, span) in zip(targetIDs, targetOffsets) where newByID[id] != nil && !span.isEmpty {
                while first < sourceOffsets.count && sourceOffsets[first].upperBound <= span.lowerBound { first += 1 }
                var nested: [TokenID] = []
                var index = first
                while index < sourceOffsets.count && sourceOffsets[index].lowerBound < span.upperBound {
                    let piece = sourceOffsets[index]
                    let isSpecial = source.addedVocabulary.tokens[sourceIDs[index]]?.special == true
                    if !piece.isEmpty && !isSpecial
                        && ((span.lowerBound <= piece.lowerBound && piece.upperBound <= span.upperBound)
                            || (piece.lowerBound <= span.lowerBound && span.upperBound <= piece.upperBound)) {
                        nested.append(sourceIDs[index])
                    }
                    index += 1
                }
                if !nested.isEmpty { observations[id, default: [:]][nested, default: 0] += 1 }
            }
        }
        return observations.mapValues(Self.alignment)
    }

    /// The Align value of observed segmentations: each segmentation's mean row, weighted by
    /// its share of the occurrences. Segmentations are summed in the order of their ids, not
    /// the dictionary's (which changes from run to run), so the result is the same bits every run.
    static func alignment(_ segmentations: [[TokenID]: Int]) -> Combination {
        let total = Double(segmentations.values.reduce(0, +))
        let ordered = segmentations.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        return Combination.sum(ordered.map { segmentation, count in
            (Combination.sum(segmentation.map { (Combination.source($0), 1 / Double(segmentation.count)) }), Double(count) / total)
        })
    }
}
