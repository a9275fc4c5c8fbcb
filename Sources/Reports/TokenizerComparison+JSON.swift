import Support
import Tokenization

extension TokenizerComparison {
    /// The comparison as JSON: `tokenizers` (name, vocabulary size, never-produced count and
    /// examples), `languages`, `reference_language` and `results`, one object per tokenizer and
    /// language with the counts, the rates derived from them, parity, longest tokens and coverage.
    public var json: JSONValue {
        func number(_ value: Int) -> JSONValue { .number(Double(value)) }
        let tokenizers: [JSONValue] = subjects.map { subject in
            .object([JSONMember("name", .string(subject.name)),
                     JSONMember("vocabulary_size", number(subject.vocabularySize)),
                     JSONMember("never_produced", number(subject.neverProduced.count)),
                     JSONMember("never_produced_examples", .array(subject.neverProducedExamples.map { .string($0) }))])
        }
        var results: [JSONValue] = []
        for (subject, row) in zip(subjects, cells) {
            for (language, cell) in zip(languages, row) {
                let s = cell.statistics
                let vocabularyUsage = subject.vocabularySize == 0 ? 0 : Double(s.idCounts.count) / Double(subject.vocabularySize)
                results.append(.object([
                    JSONMember("tokenizer", .string(subject.name)),
                    JSONMember("language", .string(language)),
                    JSONMember("documents", number(s.documents)),
                    JSONMember("bytes", number(s.bytes)),
                    JSONMember("characters", number(s.characters)),
                    JSONMember("words", number(s.words)),
                    JSONMember("tokens", number(s.tokens)),
                    JSONMember("tokens_per_byte", .number(s.tokensPerByte)),
                    JSONMember("bytes_per_token", .number(s.bytesPerToken)),
                    JSONMember("characters_per_token", .number(s.charactersPerToken)),
                    JSONMember("tokens_per_word", .number(s.tokensPerWord)),
                    JSONMember("words_split_3_plus", number(s.wordsSplitIntoThreeOrMore)),
                    JSONMember("split_3_plus_share", .number(s.splitWordRate)),
                    JSONMember("unknown_tokens", number(s.unknownTokens)),
                    JSONMember("unknown_rate", .number(s.unknownRate)),
                    JSONMember("byte_fallback_tokens", number(s.byteFallbackTokens)),
                    JSONMember("byte_fallback_rate", .number(s.byteFallbackRate)),
                    JSONMember("distinct_tokens", number(s.idCounts.count)),
                    JSONMember("vocabulary_usage", .number(vocabularyUsage)),
                    JSONMember("parity", cell.parity.map { .number($0) } ?? .null),
                    JSONMember("parallel_reference_tokens", cell.parallelTokens.map { number($0.reference) } ?? .null),
                    JSONMember("parallel_tokens", cell.parallelTokens.map { number($0.language) } ?? .null),
                    JSONMember("longest_tokens", .array(cell.longestTokens.map {
                        .object([JSONMember("id", number(Int($0.id))), JSONMember("text", .string($0.text))])
                    })),
                    JSONMember("coverage", .array(cell.coverage.map { .array([number($0.ids), .number($0.share)]) })),
                ]))
            }
        }
        return .object([JSONMember("tokenizers", .array(tokenizers)),
                        JSONMember("languages", .array(languages.map { .string($0) })),
                        JSONMember("reference_language", referenceLanguage.map { .string($0) } ?? .null),
                        JSONMember("results", .array(results))])
    }
}
