/// One normalization step of a tokenizer pipeline, as the `normalizer` of `tokenizer.json`.
///
/// A normalizer rewrites text in place and keeps every scalar aligned with the original
/// text it came from.
public protocol Normalizer: Sendable {
    /// Normalizes `text` in place.
    func normalize(_ text: inout NormalizedString) throws
}

extension Normalizer {
    /// Normalizes a string, as Python's `normalize_str` does.
    public func normalize(_ text: String) throws -> String {
        var normalized = NormalizedString(text)
        try normalize(&normalized)
        return normalized.string
    }
}

/// A normalizer that leaves some symbols as they are wherever they occur, so that an added
/// token's pattern in normalized text is not the normalization of its content alone.
public protocol SymbolPreservingNormalizer: Normalizer {
    /// How `content`, an added token matched after normalization, appears in normalized text.
    func pattern(of content: String) -> [UInt32]
}

/// Which Unicode data a normalizer follows.
public enum UnicodeVersionMode: String, Sendable, CaseIterable {
    /// Unicode 9.0 normalization, exactly as Hugging Face `tokenizers` does; the default.
    case huggingFace
    /// The system ICU's current Unicode, for tokenizers Polytoken trains itself.
    case modern
}
