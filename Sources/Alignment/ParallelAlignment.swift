import Foundation
import Tokenization

/// The alignment step of trans-tokenization: a parallel corpus read, cleaned and tokenized
/// into words of each side, aligned by `WordAligner`, and the table pruned as fast_align
/// exports it (for each source unit, pairs with `t ≥ (max t)^4`), ready to store in SQLite.
public enum ParallelAlignment {
    /// What to run.
    public struct Options: Sendable {
        /// The corpus cleaning.
        public var cleaning = AlignmentCorpus.Cleaning()
        /// The aligner.
        public var aligner = WordAligner.Options()
        /// Skips malformed lines instead of failing.
        public var skipMalformed = false

        /// The defaults: IBM Model 1 with NULL, six iterations.
        public init() {}
    }

    /// Aligns `corpus` between `source` and `target` tokenizers and returns the table with its units.
    public static func run(_ corpus: ParallelCorpusReader.Source, source: Tokenizer, target: Tokenizer, options: Options = Options(),
                           progress: (String) -> Void = { _ in }) throws -> AlignmentStore.Contents {
        let reader = ParallelCorpusReader(corpus, skipMalformed: options.skipMalformed)
        let units = try AlignmentCorpus.read(reader, source: source, target: target, cleaning: options.cleaning) { progress("read: \($0)") }
        progress("read: \(units.statistics)")
        guard units.count > 0 else {
            throw AlignmentError.emptyCorpus(statistics: "\(units.statistics)")
        }
        let table = WordAligner.align(units, options: options.aligner) { progress("alignment: iteration \($0) of \(options.aligner.iterations)") }
        var best = [Double](repeating: 0, count: units.sourceVocabulary.count + 1)
        func slot(_ source: UInt32) -> Int { source == TranslationTable.null ? 0 : Int(source) + 1 }
        for index in 0..<table.count { best[slot(table.sources[index])] = max(best[slot(table.sources[index])], table.probabilities[index]) }
        var pairs: [AlignmentStore.Pair] = []
        for index in 0..<table.count {
            let probability = table.probabilities[index]
            guard probability > 0, log(probability) >= 4 * log(best[slot(table.sources[index])]) else { continue }
            let sourceUnit = table.sources[index]
            pairs.append(.init(source: sourceUnit == TranslationTable.null ? nil : sourceUnit, target: table.targets[index],
                               count: table.counts[index], probability: probability))
        }
        func stored(_ vocabulary: UnitVocabulary, _ tokenizer: Tokenizer) -> [AlignmentStore.Unit] {
            vocabulary.units.map { tokens in
                .init(tokens: tokens, text: tokens.map { tokenizer.token(for: $0) ?? "" }.joined(separator: " "))
            }
        }
        var settings: [(key: String, value: String)] = [
            ("model", options.aligner.model.rawValue), ("iterations", String(options.aligner.iterations)),
            ("pairs_read", String(units.statistics.read)), ("pairs_kept", String(units.statistics.kept)),
            ("maximum_tokens", String(options.cleaning.maximumTokens)), ("maximum_length_ratio", String(options.cleaning.maximumLengthRatio)),
        ]
        if let tension = table.tension { settings.append(("tension", String(tension))) }
        return AlignmentStore.Contents(sourceUnits: stored(units.sourceVocabulary, source), targetUnits: stored(units.targetVocabulary, target),
                                       pairs: pairs, settings: settings)
    }
}
