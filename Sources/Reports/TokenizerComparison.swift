import Alignment
import Support
import TextProcessing
import Tokenization

/// Several tokenizers measured on the same per-language corpora: what `polytoken stats`
/// reports and the HTML report draws.
public struct TokenizerComparison: Sendable {
    /// A measured tokenizer.
    public struct Subject: Sendable {
        /// Its name in the report.
        public var name: String
        /// The number of ids (vocabulary and added tokens).
        public var vocabularySize: Int
        /// Ids of the vocabulary (special added tokens aside) that no language's text produced.
        public var neverProduced: [TokenID]
        /// The first never-produced tokens, by id.
        public var neverProducedExamples: [String]
    }

    /// One tokenizer on one language.
    public struct Cell: Sendable {
        /// The statistics of the language's documents.
        public var statistics: TokenizationStatistics
        /// Tokens of the parallel text's reference side and of this language's side, when a
        /// parallel file pairs the reference language with this one (both this language's own
        /// count when it is the reference).
        public var parallelTokens: (reference: Int, language: Int)?
        /// The longest tokens produced, by characters of their decoded text (then by id).
        public var longestTokens: [(id: TokenID, text: String)]
        /// The share of tokens that the `k` most frequent ids make up, for `k` = 1, 2, 4, …
        /// and the number of distinct ids.
        public var coverage: [(ids: Int, share: Double)]

        /// Tokens on this language's side of the parallel text per token on the reference side.
        public var parity: Double? {
            parallelTokens.map { $0.reference == 0 ? 0 : Double($0.language) / Double($0.reference) }
        }
    }

    /// The tokenizers, in order.
    public var subjects: [Subject]
    /// The languages, in order.
    public var languages: [String]
    /// The language the parallel files pair the others with, if parallel files were given.
    public var referenceLanguage: String?
    /// The measurements, by tokenizer then language.
    public var cells: [[Cell]]

    /// How many longest tokens each cell keeps.
    public static let longestTokenCount = 5
    /// How many never-produced tokens each subject names.
    public static let neverProducedExampleCount = 20

    /// Measures `tokenizers` (named by `names`) on each language's documents (lines without their
    /// endings, or files, as `mode` says), and on the parallel files (`REF-LANG.tsv`: the
    /// reference language's text, a tab, the other language's), each read once and encoded on
    /// `threads` threads (default: all cores). `progress` is told the bytes of the languages' text
    /// read so far.
    public static func measure(_ tokenizers: [Tokenizer], names: [String], languages: [LanguageCorpus],
                               parallel: [String] = [], mode: CorpusReader.DocumentMode = .line,
                               policy: CorpusReader.InvalidUTF8Policy = .skip, threads: Int? = nil,
                               progress: (Int) -> Void = { _ in }) throws -> (comparison: TokenizerComparison, summaries: [CorpusReader.Summary]) {
        precondition(tokenizers.count == names.count, "a name per tokenizer")
        var statistics = [[TokenizationStatistics]](repeating: [], count: tokenizers.count)
        var summaries: [CorpusReader.Summary] = []
        var done = 0
        for language in languages {
            let (measured, summary) = try TokenizationStatistics.measure(
                tokenizers, over: CorpusReader(paths: language.paths, policy: policy, mode: mode), threads: threads) { progress(done + $0) }
            done += summary.bytes
            summaries.append(summary)
            for index in tokenizers.indices { statistics[index].append(measured[index]) }
        }
        let pairs = try ParallelFile.files(parallel)
        let reference = try ParallelFile.referenceLanguage(of: pairs)
        var parallelTokens = [[(reference: Int, language: Int)?]](repeating: Array(repeating: nil, count: languages.count), count: tokenizers.count)
        for pair in pairs {
            guard let column = languages.firstIndex(where: { $0.name == pair.language }) else { continue }
            let counts = try pair.tokenCounts(tokenizers, threads: threads)
            for index in tokenizers.indices { parallelTokens[index][column] = counts[index] }
        }
        if let reference, let column = languages.firstIndex(where: { $0.name == reference }) {
            for index in tokenizers.indices {
                let own = parallelTokens[index].compactMap { $0?.reference }.reduce(0, +)
                parallelTokens[index][column] = (own, own)
            }
        }
        var subjects: [Subject] = []
        var cells: [[Cell]] = []
        for (index, tokenizer) in tokenizers.enumerated() {
            var used = Set<TokenID>()
            var row: [Cell] = []
            for (column, measured) in statistics[index].enumerated() {
                used.formUnion(measured.idCounts.keys)
                row.append(Cell(statistics: measured, parallelTokens: parallelTokens[index][column],
                                longestTokens: longestTokens(measured, tokenizer), coverage: coverage(measured)))
            }
            let special = Set(tokenizer.addedVocabulary.tokens.filter { $0.value.special }.keys)
            let never = (0..<tokenizer.vocabularySize).lazy.map { TokenID($0) }
                .filter { !used.contains($0) && !special.contains($0) && tokenizer.token(for: $0) != nil }
            let neverProduced = Array(never)
            subjects.append(Subject(name: names[index], vocabularySize: tokenizer.vocabularySize, neverProduced: neverProduced,
                                    neverProducedExamples: neverProduced.prefix(neverProducedExampleCount).compactMap { tokenizer.token(for: $0) }))
            cells.append(row)
        }
        let comparison = TokenizerComparison(subjects: subjects, languages: languages.map(\.name),
                                             referenceLanguage: pairs.isEmpty ? nil : reference, cells: cells)
        return (comparison, summaries)
    }

    private static func longestTokens(_ statistics: TokenizationStatistics, _ tokenizer: Tokenizer) -> [(id: TokenID, text: String)] {
        let decoded = statistics.idCounts.keys.map { (id: $0, text: tokenizer.decode([$0])) }
        return Array(decoded.sorted {
            let (a, b) = ($0.text.unicodeScalars.count, $1.text.unicodeScalars.count)
            return a != b ? a > b : $0.id < $1.id
        }.prefix(longestTokenCount))
    }

    private static func coverage(_ statistics: TokenizationStatistics) -> [(ids: Int, share: Double)] {
        let counts = statistics.idCounts.values.sorted(by: >)
        guard statistics.tokens > 0 else { return [] }
        var points: [(ids: Int, share: Double)] = []
        var sum = 0
        var next = 1
        for (index, count) in counts.enumerated() {
            sum += count
            if index + 1 == next || index + 1 == counts.count {
                points.append((index + 1, Double(sum) / Double(statistics.tokens)))
                next *= 2
            }
        }
        return points
    }
}
