import TextProcessing
import Tokenization
import Training

/// Text in the languages a model already serves: an expansion learns no merge that would change
/// how it is segmented, and checks afterwards that the expanded tokenizer encodes every line
/// of it to the same ids.
public enum ProtectedText: Sendable {
    /// The built-in English sample (400 lines of LibreOffice help text, `tools/english_sample.py`).
    case englishSample
    /// The documents of these files.
    case corpus(CorpusReader)

    /// Calls `body` with each document, without its line ending.
    func forEach(_ body: (String) throws -> Void) throws {
        switch self {
        case .englishSample: for line in Self.englishSampleLines { try body(String(line)) }
        case .corpus(let reader): try TargetText.corpus(reader).forEach(body)
        }
    }

    /// The word counts of the text, by `counter`.
    func words(_ counter: WordCounter) throws -> WordCounts {
        switch self {
        case .englishSample: return try counter.count(Self.englishSampleLines.map(String.init))
        case .corpus(let reader): return try counter.count(reader, strippingLineEndings: true).0
        }
    }

    /// How many documents there are, and how many `expanded` encodes to other ids than `source`;
    /// adds to `ids` the source ids of the text.
    func changedLines(source: Tokenizer, expanded: Tokenizer, ids: inout Set<TokenID>) throws -> (lines: Int, changed: Int, first: String?) {
        var sourceState = Tokenizer.State(), expandedState = Tokenizer.State()
        var lines = 0, changed = 0
        var first: String?
        try forEach { line in
            lines += 1
            let sourceIDs = try source.encodeIDs(line, state: &sourceState)
            ids.formUnion(sourceIDs)
            if try sourceIDs != expanded.encodeIDs(line, state: &expandedState) {
                changed += 1
                if first == nil { first = line }
            }
        }
        return (lines, changed, first)
    }

    /// How the provenance database names it.
    var label: String {
        switch self {
        case .englishSample: return "english-sample"
        case .corpus(let reader): return reader.paths.joined(separator: " ")
        }
    }
}
