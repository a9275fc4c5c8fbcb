import Alignment
import Support
import TextProcessing
import Tokenization

/// A parallel file of a report: `REF-LANG.tsv`, the reference language's text, a tab, the other
/// language's, one pair per line.
struct ParallelFile: Sendable {
    /// The file.
    var path: String
    /// The reference language (before the dash).
    var reference: String
    /// The other language (after the dash).
    var language: String

    /// The parallel files `paths` name (directories expanded), each named `REF-LANG.tsv`.
    static func files(_ paths: [String]) throws -> [ParallelFile] {
        guard !paths.isEmpty else { return [] }
        return try CorpusReader(paths: paths).files().map { path in
            let name = LanguageCorpus.name(of: path)
            let parts = name.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ConfigurationError(path: path, message: "a parallel file is named REF-LANG.tsv (such as en-de.tsv), the reference language's text first")
            }
            return ParallelFile(path: path, reference: String(parts[0]), language: String(parts[1]))
        }
    }

    /// The one reference language of `files`; files that pair different reference languages are an error.
    static func referenceLanguage(of files: [ParallelFile]) throws -> String? {
        guard let first = files.first else { return nil }
        if let other = files.first(where: { $0.reference != first.reference }) {
            throw ConfigurationError(path: other.path, message: "pairs \(other.reference) where \(first.path) pairs \(first.reference); parity needs one reference language")
        }
        return first.reference
    }

    /// The tokens of each side, for each of `tokenizers`, encoded on `threads` threads.
    func tokenCounts(_ tokenizers: [Tokenizer], threads: Int?) throws -> [(reference: Int, language: Int)] {
        let workers = tokenizers.map { _ in ParallelWorkers(threads: threads) { Tokenizer.State() } }
        var counts = [(reference: Int, language: Int)](repeating: (0, 0), count: tokenizers.count)
        var sources: [String] = []
        var targets: [String] = []
        func flush() throws {
            for (index, tokenizer) in tokenizers.enumerated() {
                counts[index].reference += try tokenizer.encodeBatch(sources, addSpecialTokens: false, workers: workers[index]).reduce(0) { $0 + $1.ids.count }
                counts[index].language += try tokenizer.encodeBatch(targets, addSpecialTokens: false, workers: workers[index]).reduce(0) { $0 + $1.ids.count }
            }
            sources.removeAll(keepingCapacity: true)
            targets.removeAll(keepingCapacity: true)
        }
        try ParallelCorpusReader(.tsv(path)).forEachPair { _, source, target in
            sources.append(source)
            targets.append(target)
            if sources.count == 4096 { try flush() }
        }
        try flush()
        return counts
    }
}
