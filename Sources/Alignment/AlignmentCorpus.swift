import Foundation
import Support
import Tokenization

/// A parallel corpus as alignment units: each side of each sentence pair is a list of unit ids
/// (words of that side's tokenizer), stored flat.
public struct AlignmentCorpus: Sendable {
    /// What is dropped before alignment.
    public struct Cleaning: Sendable {
        /// Pairs with more tokens than this on either side are dropped.
        public var maximumTokens = 160
        /// Pairs whose token counts differ by more than this factor are dropped.
        public var maximumLengthRatio = 9.0
        /// Drops pairs whose two sides are the same text (untranslated).
        public var dropIdentical = true

        /// The default cleaning.
        public init() {}
    }

    /// How many pairs were read, kept, and dropped for each reason.
    public struct Statistics: Sendable, CustomStringConvertible {
        /// Pairs read.
        public var read = 0
        /// Pairs kept.
        public var kept = 0
        /// Pairs with an empty side.
        public var empty = 0
        /// Pairs whose sides are the same text.
        public var identical = 0
        /// Pairs over the token limit.
        public var tooLong = 0
        /// Pairs over the length ratio.
        public var lengthRatio = 0
        /// Malformed lines skipped.
        public var malformed = 0

        public var description: String {
            "\(kept) of \(read) pairs kept; dropped: \(empty) empty, \(identical) identical, \(tooLong) too long, \(lengthRatio) over the length ratio"
                + (malformed > 0 ? ", \(malformed) malformed lines skipped" : "")
        }
    }

    /// Source-side unit ids of all pairs, flat.
    public var sourceUnits: [UInt32] = []
    /// Pair `i`'s source units are `sourceUnits[sourceBounds[i]..<sourceBounds[i + 1]]`.
    public var sourceBounds: [Int] = [0]
    /// Target-side unit ids of all pairs, flat.
    public var targetUnits: [UInt32] = []
    /// Pair `i`'s target units are `targetUnits[targetBounds[i]..<targetBounds[i + 1]]`.
    public var targetBounds: [Int] = [0]
    /// The source side's units.
    public var sourceVocabulary: UnitVocabulary
    /// The target side's units.
    public var targetVocabulary: UnitVocabulary
    /// What reading and cleaning did.
    public var statistics = Statistics()

    /// The number of sentence pairs.
    public var count: Int { sourceBounds.count - 1 }

    /// An empty corpus over tokenizers of `sourceTokens` and `targetTokens` ids.
    public init(sourceTokens: Int, targetTokens: Int) {
        sourceVocabulary = UnitVocabulary(tokenCount: sourceTokens)
        targetVocabulary = UnitVocabulary(tokenCount: targetTokens)
    }

    /// Appends a pair given as unit ids.
    public mutating func append(source: [UInt32], target: [UInt32]) {
        sourceUnits.append(contentsOf: source)
        sourceBounds.append(sourceUnits.count)
        targetUnits.append(contentsOf: target)
        targetBounds.append(targetUnits.count)
    }

    /// Reads `reader`'s pairs, tokenizes each side with its tokenizer (on all cores, a batch at
    /// a time), groups tokens into words and keeps the pairs `cleaning` allows.
    public static func read(_ reader: ParallelCorpusReader, source: Tokenizer, target: Tokenizer, cleaning: Cleaning = Cleaning(),
                            batchSize: Int = 16_384, progress: (Statistics) -> Void = { _ in }) throws -> AlignmentCorpus {
        let sourceWords = try WordSegmentation(tokenizer: source), targetWords = try WordSegmentation(tokenizer: target)
        var corpus = AlignmentCorpus(sourceTokens: source.vocabularySize, targetTokens: target.vocabularySize)
        var batch: [(String, String)] = []
        func flush() throws {
            let texts = batch
            let encoded = try parallelMap(count: texts.count, makeState: { (Tokenizer.State(), Tokenizer.State()) }) { states, index in
                (try source.encodeIDs(texts[index].0, state: &states.0), try target.encodeIDs(texts[index].1, state: &states.1))
            }
            for (sourceIDs, targetIDs) in encoded {
                let longer = Double(max(sourceIDs.count, targetIDs.count)), shorter = Double(max(1, min(sourceIDs.count, targetIDs.count)))
                if sourceIDs.isEmpty || targetIDs.isEmpty {
                    corpus.statistics.empty += 1
                } else if max(sourceIDs.count, targetIDs.count) > cleaning.maximumTokens {
                    corpus.statistics.tooLong += 1
                } else if longer / shorter > cleaning.maximumLengthRatio {
                    corpus.statistics.lengthRatio += 1
                } else {
                    var sourceUnits: [UInt32] = [], targetUnits: [UInt32] = []
                    sourceWords.forEachWord(in: sourceIDs) { sourceUnits.append(corpus.sourceVocabulary.id(of: sourceIDs[$0])) }
                    targetWords.forEachWord(in: targetIDs) { targetUnits.append(corpus.targetVocabulary.id(of: targetIDs[$0])) }
                    corpus.append(source: sourceUnits, target: targetUnits)
                    corpus.statistics.kept += 1
                }
            }
            batch.removeAll(keepingCapacity: true)
            progress(corpus.statistics)
        }
        corpus.statistics.malformed = try reader.forEachPair { _, left, right in
            corpus.statistics.read += 1
            let sourceText = left.trimmingCharacters(in: .whitespaces), targetText = right.trimmingCharacters(in: .whitespaces)
            if sourceText.isEmpty || targetText.isEmpty {
                corpus.statistics.empty += 1
            } else if cleaning.dropIdentical && sourceText == targetText {
                corpus.statistics.identical += 1
            } else {
                batch.append((sourceText, targetText))
                if batch.count == batchSize { try flush() }
            }
        }
        try flush()
        return corpus
    }
}
