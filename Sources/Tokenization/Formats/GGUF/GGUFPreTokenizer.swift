import Support
import TextProcessing

/// The Hugging Face pre-tokenizer of each byte-level (`gpt2`) GGUF pre-tokenizer name
/// (`tokenizer.ggml.pre`): the `tokenizer.json` configuration of the model family llama.cpp
/// maps that name to, so that the converted tokenizer encodes as the original did.
/// llama.cpp runs adapted regular expressions of its own; these are the originals.
public enum GGUFPreTokenizer {
    /// The `tokenizer.json` parts a name stands for.
    public struct Family: Sendable {
        /// The pre-tokenizer.
        public var preTokenizer: JSONValue
        /// The normalizer (Qwen2's and OLMo's NFC), or null.
        public var normalizer: JSONValue = .null
        /// Whether the BPE model takes a whole piece that is a token before any merging (Llama-3).
        public var ignoreMerges = false
        /// Whether the ByteLevel post-processor trims offsets (GPT-2's does; Llama-3's does not).
        public var trimsOffsets = false
        /// Whether the beginning-of-text token is added when the file does not say (llama.cpp's
        /// default: Llama-3's family adds it).
        public var addsBOSByDefault = false
    }

    /// The family of `name`, or nil when the name is not supported.
    public static func family(named name: String) -> Family? {
        families.first { $0.names.contains(name) }?.family
    }

    /// The supported names, for messages and documentation.
    public static let supportedNames = families.flatMap(\.names)

    /// Each family with the `tokenizer.ggml.pre` names llama.cpp gives it.
    static let families: [(names: [String], family: Family)] = {
        let llama3 = sequence([split(CL100kScanner.llama3Pattern), byteLevel(useRegex: false)])
        let qwen2 = sequence([split(CL100kScanner.qwen2Pattern), byteLevel(useRegex: false)])
        let nfc = JSONValue.object([JSONMember("type", .string("NFC"))])
        return [
            (["llama3", "llama-v3", "llama-bpe"], Family(preTokenizer: llama3, ignoreMerges: true, addsBOSByDefault: true)),
            (["dbrx"], Family(preTokenizer: llama3)),
            // The Llama-3 tokenizer.json whose llama.cpp hash is smaug-bpe's takes whole tokens
            // before merging, as Llama-3's: without it, Arabic lines encode differently.
            (["smaug-bpe"], Family(preTokenizer: llama3, ignoreMerges: true)),
            (["qwen2", "deepseek-r1-qwen"], Family(preTokenizer: qwen2, normalizer: nfc)),
            (["stablelm2"], Family(preTokenizer: qwen2)),
            (["qwen35"], Family(preTokenizer: sequence([split(qwen35Pattern), byteLevel(useRegex: false)]))),
            (["gpt-4o", "llama4"], Family(preTokenizer: sequence([split(O200kScanner.pattern), byteLevel(useRegex: false)]))),
            (["gpt-2", "phi-2", "mpt"], Family(preTokenizer: byteLevel(useRegex: true), trimsOffsets: true)),
            // OLMo's GPT-NeoX-style tokenizer composes (NFC) before splitting; the GGUF does not say so.
            (["olmo"], Family(preTokenizer: byteLevel(useRegex: true), normalizer: nfc, trimsOffsets: true)),
            (["starcoder", "refact", "smollm", "command-r"], Family(preTokenizer: sequence([digits(individual: true), byteLevel(useRegex: true)]))),
            (["falcon"], Family(preTokenizer: sequence([
                .object([JSONMember("type", .string("Punctuation")), JSONMember("behavior", .string("Contiguous"))]),
                byteLevel(useRegex: true), digits(individual: false), split("[0-9][0-9][0-9]"),
            ]))),
            (["deepseek-llm"], Family(preTokenizer: sequence([
                split("[\r\n]"), split(deepseekLetters), split("\\s?[!-/:-~\u{FF01}-\u{FF0F}\u{FF1A}-\u{FF5E}\u{2018}-\u{201F}\u{3000}-\u{3002}]+"),
                split("\\s+$"), split(cjk), digits(individual: true), byteLevel(useRegex: false),
            ]))),
            (["deepseek-coder"], Family(preTokenizer: sequence([
                split("[\r\n]"), split("\\s?\\p{L}+"), split("\\s?\\p{P}+"), split(cjk), digits(individual: true), byteLevel(useRegex: false),
            ]))),
        ]
    }()

    // Characters outside ASCII are written as escapes: the ranges are of code points, and some
    // (Greek with oxia, the Kelvin and Ohm signs) would change under canonical normalization.
    static let qwen35Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let deepseekLetters = "\\s?[A-Za-z\u{B5}\u{C0}-\u{D6}\u{D8}-\u{F6}\u{F8}-\u{1BA}\u{1BC}-\u{1BF}\u{1C4}-\u{293}\u{295}-\u{2AF}\u{370}-\u{373}\u{376}\u{377}\u{37B}-\u{37D}\u{37F}\u{386}\u{388}-\u{38A}\u{38C}\u{38E}-\u{3A1}\u{3A3}-\u{3F5}\u{3F7}-\u{481}\u{48A}-\u{52F}\u{531}-\u{556}\u{10A0}-\u{10C5}\u{13A0}-\u{13F5}\u{13F8}-\u{13FD}\u{1C90}-\u{1CBA}\u{1CBD}-\u{1CBF}\u{1D00}-\u{1D2B}\u{1D6B}-\u{1D77}\u{1D79}-\u{1D9A}\u{1E00}-\u{1F15}\u{1F18}-\u{1F1D}\u{1F20}-\u{1F45}\u{1F48}-\u{1F4D}\u{1F50}-\u{1F57}\u{1F59}\u{1F5B}\u{1F5D}\u{1F5F}-\u{1F7D}\u{1F80}-\u{1FB4}\u{1FB6}-\u{1FBC}\u{1FBE}\u{1FC2}-\u{1FC4}\u{1FC6}-\u{1FCC}\u{1FD0}-\u{1FD3}\u{1FD6}-\u{1FDB}\u{1FE0}-\u{1FEC}\u{1FF2}-\u{1FF4}\u{1FF6}-\u{1FFC}\u{2102}\u{2107}\u{210A}-\u{2113}\u{2115}\u{2119}-\u{211D}\u{2124}\u{2126}\u{2128}\u{212A}-\u{212D}\u{212F}-\u{2134}\u{2139}\u{213C}-\u{213F}\u{2145}-\u{2149}\u{214E}\u{2183}\u{2184}\u{2C00}-\u{2C7B}\u{2C7E}-\u{2CE4}\u{2CEB}-\u{2CEE}\u{2CF2}\u{2CF3}\u{A640}-\u{A66D}\u{A680}-\u{A69B}\u{A722}-\u{A76F}\u{A771}-\u{A787}\u{A78B}-\u{A78E}\u{AB70}-\u{ABBF}\u{FB00}-\u{FB06}\u{FB13}-\u{FB17}\u{FF21}-\u{FF3A}\u{FF41}-\u{FF5A}\u{10400}-\u{1044F}\u{104B0}-\u{104D3}\u{104D8}-\u{104FB}\u{10C80}-\u{10CB2}\u{10CC0}-\u{10CF2}\u{118A0}-\u{118DF}\u{1E900}-\u{1E943}]+"

    static let cjk = "[\u{4E00}-\u{9FA5}\u{800}-\u{4E00}\u{AC00}-\u{D7FF}]+"

    static func sequence(_ parts: [JSONValue]) -> JSONValue {
        .object([JSONMember("type", .string("Sequence")), JSONMember("pretokenizers", .array(parts))])
    }

    static func split(_ regex: String) -> JSONValue {
        .object([
            JSONMember("type", .string("Split")), JSONMember("pattern", .object([JSONMember("Regex", .string(regex))])),
            JSONMember("behavior", .string("Isolated")), JSONMember("invert", .bool(false)),
        ])
    }

    static func byteLevel(useRegex: Bool) -> JSONValue {
        .object([
            JSONMember("type", .string("ByteLevel")), JSONMember("add_prefix_space", .bool(false)),
            JSONMember("trim_offsets", .bool(true)), JSONMember("use_regex", .bool(useRegex)),
        ])
    }

    static func digits(individual: Bool) -> JSONValue {
        .object([JSONMember("type", .string("Digits")), JSONMember("individual_digits", .bool(individual))])
    }
}
