/// Chooses the fastest exact implementation of a split pattern.
public enum PatternCatalog {
    /// A hand-written scanner when `regex` is one of the well-known pre-tokenization
    /// patterns (GPT-2, cl100k/Llama-3, Qwen2, o200k), otherwise a ``RegexPattern``.
    public static func pattern(for regex: String) throws -> any SplitPattern {
        switch regex {
        case GPT2Scanner.pattern: return GPT2Scanner()
        case CL100kScanner.llama3Pattern: return CL100kScanner(maxDigits: 3)
        case CL100kScanner.qwen2Pattern: return CL100kScanner(maxDigits: 1)
        case O200kScanner.pattern: return O200kScanner()
        default: return try RegexPattern(regex)
        }
    }
}
