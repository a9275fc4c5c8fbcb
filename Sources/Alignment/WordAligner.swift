import Foundation
import Tokenization

/// An EM word aligner in the manner of fast_align, run in the direction p(target | source)
/// with a NULL source word: IBM Model 1 (a uniform alignment prior, as trans-tokenization runs
/// fast_align) or fast_align's diagonal prior (IBM Model 2 with `p0` for NULL and a tension λ
/// favouring the diagonal, tuned after each iteration as fast_align's `-o` does). The E-step
/// runs on all cores with one count table per thread; memory is the distinct co-occurring pairs
/// times the thread count, plus the corpus.
public enum WordAligner {
    /// The alignment prior.
    public enum Model: String, Sendable, CaseIterable {
        /// IBM Model 1: NULL and every source position equally likely.
        case ibm1
        /// fast_align's diagonal prior (IBM Model 2).
        case diagonal
    }

    /// How to align.
    public struct Options: Sendable {
        /// The prior.
        public var model: Model = .ibm1
        /// EM iterations; the counts of the last one are the result. Six, as the reference's
        /// `fast_align -I 7` (whose seventh pass only decodes).
        public var iterations = 6
        /// The NULL probability of the diagonal prior.
        public var nullProbability = 0.08
        /// The starting diagonal tension λ.
        public var tension = 4.0
        /// Tunes λ after each iteration from the second on (8 gradient steps of rate 20, λ in
        /// [0.1, 14]), as fast_align `-o`.
        public var optimizesTension = true
        /// Worker threads.
        public var threads = ProcessInfo.processInfo.activeProcessorCount

        /// The defaults (IBM Model 1, six iterations).
        public init(model: Model = .ibm1) { self.model = model }
    }

    /// Aligns `corpus` and returns the soft counts of the last iteration.
    public static func align(_ corpus: AlignmentCorpus, options: Options = Options(), progress: (Int) -> Void = { _ in }) -> TranslationTable {
        let (pairs, pairSources, pairTargets) = registerPairs(corpus)
        let pairCount = pairSources.count
        var probabilities = [Double](repeating: 1, count: pairCount)
        var counts = [Double](repeating: 0, count: pairCount)
        var tension = options.tension
        let workers = max(1, min(options.threads, corpus.count))
        let workerCounts = (0..<workers).map { _ in WorkerCounts(count: pairCount) }
        let lengths = lengthHistogram(corpus)
        let targetTokens = Double(corpus.targetUnits.count)
        for iteration in 0..<options.iterations {
            let currentTension = tension
            let t = probabilities
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let range = (corpus.count * worker / workers)..<(corpus.count * (worker + 1) / workers)
                t.withUnsafeBufferPointer { t in
                    workerCounts[worker].expect(corpus, range, pairs: pairs, t: t, options: options, tension: currentTension)
                }
            }
            counts.withUnsafeMutableBufferPointer { total in
                for index in 0..<pairCount { total[index] = 0 }
                for worker in workerCounts {
                    for index in 0..<pairCount { total[index] += worker.counts[index] }
                }
            }
            let last = iteration == options.iterations - 1
            if options.model == .diagonal && options.optimizesTension && iteration > 0 && !last {
                let empirical = workerCounts.reduce(0) { $0 + $1.feature } / targetTokens
                for _ in 0..<8 {
                    let model = modelFeature(lengths, tension: tension) / targetTokens
                    tension = min(14, max(0.1, tension + 20 * (empirical - model)))
                }
            }
            probabilities = normalized(counts, sources: pairSources)
            progress(iteration + 1)
        }
        var table = TranslationTable()
        table.sources = pairSources.map { $0 == 0 ? TranslationTable.null : $0 - 1 }
        table.targets = pairTargets
        table.counts = counts
        table.probabilities = probabilities
        table.tension = options.model == .diagonal ? tension : nil
        return table
    }

    /// Every co-occurring (source + 1 or 0 for NULL, target) pair gets an index, in order of first appearance.
    static func registerPairs(_ corpus: AlignmentCorpus) -> (PairTable, [UInt32], [UInt32]) {
        var table = PairTable(capacity: 1 << 16)
        var sources: [UInt32] = [], targets: [UInt32] = []
        for sentence in 0..<corpus.count {
            let sourceRange = corpus.sourceBounds[sentence]..<corpus.sourceBounds[sentence + 1]
            for f in corpus.targetUnits[corpus.targetBounds[sentence]..<corpus.targetBounds[sentence + 1]] {
                if table.insertIfAbsent(PairTable.key(0, f), UInt64(sources.count)) {
                    sources.append(0)
                    targets.append(f)
                }
                for e in corpus.sourceUnits[sourceRange] where table.insertIfAbsent(PairTable.key(e + 1, f), UInt64(sources.count)) {
                    sources.append(e + 1)
                    targets.append(f)
                }
            }
        }
        return (table, sources, targets)
    }

    /// How many pairs have each (target length, source length).
    static func lengthHistogram(_ corpus: AlignmentCorpus) -> [(m: Int, n: Int, count: Int)] {
        var histogram: [Int: Int] = [:]
        for sentence in 0..<corpus.count {
            let m = corpus.targetBounds[sentence + 1] - corpus.targetBounds[sentence]
            let n = corpus.sourceBounds[sentence + 1] - corpus.sourceBounds[sentence]
            histogram[m << 32 | n, default: 0] += 1
        }
        return histogram.keys.sorted().map { ($0 >> 32, $0 & 0xFFFF_FFFF, histogram[$0]!) }
    }

    /// The diagonal feature `-|i/n - j/m|` of source position `i` and target position `j` (both 1-based).
    @inline(__always)
    static func feature(_ j: Int, _ i: Int, _ m: Int, _ n: Int) -> Double {
        -abs(Double(i) / Double(n) - Double(j) / Double(m))
    }

    /// Σ over pairs and target positions of the feature's expectation under the diagonal prior
    /// (without NULL): the derivative of log Z, computed exactly.
    static func modelFeature(_ lengths: [(m: Int, n: Int, count: Int)], tension: Double) -> Double {
        var total = 0.0
        for (m, n, count) in lengths {
            var sum = 0.0
            for j in 1...m {
                var z = 0.0, weighted = 0.0
                for i in 1...n {
                    let h = feature(j, i, m, n), w = exp(tension * h)
                    z += w
                    weighted += h * w
                }
                sum += weighted / z
            }
            total += Double(count) * sum
        }
        return total
    }

    /// `counts` divided by the total of their source unit.
    static func normalized(_ counts: [Double], sources: [UInt32]) -> [Double] {
        var totals = [Double](repeating: 0, count: Int(sources.max() ?? 0) + 1)
        for (count, source) in zip(counts, sources) { totals[Int(source)] += count }
        return zip(counts, sources).map { count, source in
            let total = totals[Int(source)]
            return count / (total == 0 ? 1 : total)
        }
    }
}

/// One worker's expected counts and diagonal-feature total for one E-step.
private final class WorkerCounts: @unchecked Sendable {
    var counts: [Double]
    var feature = 0.0

    init(count: Int) { counts = [Double](repeating: 0, count: count) }

    func expect(_ corpus: AlignmentCorpus, _ range: Range<Int>, pairs: PairTable, t: UnsafeBufferPointer<Double>,
                options: WordAligner.Options, tension: Double) {
        feature = 0
        let diagonal = options.model == .diagonal
        var indices: [Int] = [], posterior: [Double] = []
        counts.withUnsafeMutableBufferPointer { counts in
            for index in 0..<counts.count { counts[index] = 0 }
            corpus.sourceUnits.withUnsafeBufferPointer { sourceUnits in
                corpus.targetUnits.withUnsafeBufferPointer { targetUnits in
                    for sentence in range {
                        let sourceStart = corpus.sourceBounds[sentence], n = corpus.sourceBounds[sentence + 1] - sourceStart
                        let targetStart = corpus.targetBounds[sentence], m = corpus.targetBounds[sentence + 1] - targetStart
                        if indices.count < n + 1 {
                            indices = [Int](repeating: 0, count: n + 1)
                            posterior = [Double](repeating: 0, count: n + 1)
                        }
                        for j in 0..<m {
                            let f = targetUnits[targetStart + j]
                            indices[0] = Int(pairs.value(for: PairTable.key(0, f))!)
                            for i in 0..<n {
                                indices[i + 1] = Int(pairs.value(for: PairTable.key(sourceUnits[sourceStart + i] + 1, f))!)
                            }
                            var sum = 0.0
                            if diagonal {
                                var z = 0.0
                                for i in 1...n {
                                    posterior[i] = exp(tension * WordAligner.feature(j + 1, i, m, n))
                                    z += posterior[i]
                                }
                                let scale = (1 - options.nullProbability) / z
                                posterior[0] = options.nullProbability * t[indices[0]]
                                sum = posterior[0]
                                for i in 1...n {
                                    posterior[i] *= scale * t[indices[i]]
                                    sum += posterior[i]
                                }
                            } else {
                                let prior = 1 / Double(n + 1)
                                for i in 0...n {
                                    posterior[i] = prior * t[indices[i]]
                                    sum += posterior[i]
                                }
                            }
                            for i in 0...n {
                                let p = posterior[i] / sum
                                counts[indices[i]] += p
                                if diagonal && i > 0 { feature += WordAligner.feature(j + 1, i, m, n) * p }
                            }
                        }
                    }
                }
            }
        }
    }
}
