import TextProcessing

/// Target-language text as initializers read it: one document at a time, as many passes as
/// they need, never all in memory when it comes from a corpus.
public struct TargetText {
    private let each: ((String) throws -> Void) throws -> Void

    /// These documents.
    public static func lines(_ lines: [String]) -> TargetText {
        TargetText { body in try lines.forEach(body) }
    }

    /// The documents of `reader`, without their line endings.
    public static func corpus(_ reader: CorpusReader) -> TargetText {
        TargetText { body in _ = try reader.forEachDocument { line, _ in try body(line.withoutLineEnding) } }
    }

    /// Calls `body` with every document, in order.
    public func forEach(_ body: (String) throws -> Void) throws { try each(body) }
}
