import TextProcessing

/// What a tiktoken encoding keeps beside its rank file: the split pattern and the special
/// tokens. The encodings `tiktoken` ships (and Meta's Llama 3, whose `tokenizer.model` is a
/// rank file) are built in; a rank file holding exactly the ranks of one of them is read with it.
public struct TiktokenEncoding: Sendable {
    /// The name (`cl100k_base`).
    public var name: String
    /// The split pattern (`pat_str`).
    public var pattern: String
    /// The special tokens and their ids.
    public var specialTokens: [(token: String, id: TokenID)]
    /// How many ranks the encoding's file holds, when known.
    public var rankCount: Int?

    /// An encoding.
    public init(name: String, pattern: String, specialTokens: [(token: String, id: TokenID)], rankCount: Int? = nil) {
        self.name = name
        self.pattern = pattern
        self.specialTokens = specialTokens
        self.rankCount = rankCount
    }

    static let r50kPattern = #"'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"#
    static let cl100kPattern = #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"#

    /// The encodings of `tiktoken` 0.12 (`tiktoken_ext/openai_public.py`) and Llama 3.
    public static let builtIn: [TiktokenEncoding] = {
        let endOfText = "<|endoftext|>"
        let llama3Specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>", "<|reserved_special_token_1|>",
                              "<|reserved_special_token_2|>", "<|reserved_special_token_3|>", "<|start_header_id|>", "<|end_header_id|>",
                              "<|reserved_special_token_4|>", "<|eot_id|>"] + (5..<251).map { "<|reserved_special_token_\($0)|>" }
        return [
            TiktokenEncoding(name: "r50k_base", pattern: r50kPattern, specialTokens: [(endOfText, 50256)], rankCount: 50256),
            TiktokenEncoding(name: "p50k_base", pattern: r50kPattern, specialTokens: [(endOfText, 50256)], rankCount: 50280),
            TiktokenEncoding(name: "p50k_edit", pattern: r50kPattern, specialTokens: [
                (endOfText, 50256), ("<|fim_prefix|>", 50281), ("<|fim_middle|>", 50282), ("<|fim_suffix|>", 50283),
            ]),
            TiktokenEncoding(name: "cl100k_base", pattern: cl100kPattern, specialTokens: [
                (endOfText, 100257), ("<|fim_prefix|>", 100258), ("<|fim_middle|>", 100259), ("<|fim_suffix|>", 100260), ("<|endofprompt|>", 100276),
            ], rankCount: 100256),
            TiktokenEncoding(name: "o200k_base", pattern: O200kScanner.pattern, specialTokens: [(endOfText, 199999), ("<|endofprompt|>", 200018)],
                             rankCount: 199998),
            TiktokenEncoding(name: "llama3", pattern: CL100kScanner.llama3Pattern,
                             specialTokens: llama3Specials.enumerated().map { ($0.element, TokenID(128000 + $0.offset)) }, rankCount: 128000),
        ]
    }()

    /// The pattern as a `tokenizer.json` Split pattern that Hugging Face `tokenizers` (Oniguruma)
    /// and Polytoken run as `tiktoken` (Rust `fancy-regex`) runs ``pattern``: possessive
    /// quantifiers (`?+`, `++`, `*+`, `{1,3}+`) become greedy ones, and `$` becomes `\z`. In these
    /// patterns a possessive quantifier ends its alternative, so greedy matching finds the same
    /// match; but Oniguruma reads `{1,3}+` as `({1,3})+` and `$` as the end of any line.
    public var splitPattern: String {
        var out = ""
        var scalars = pattern.unicodeScalars.makeIterator()
        var classDepth = 0, afterQuantifier = false
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending { pending = nil; return scalar }
            return scalars.next()
        }
        while let scalar = next() {
            switch scalar {
            case "\\":
                out.unicodeScalars.append(scalar)
                guard let escaped = next() else { break }
                out.unicodeScalars.append(escaped)
                // \p{…}, \x{…}, \u{…}, \N{…}: the braces belong to the escape, not a quantifier.
                if "pPxuN".unicodeScalars.contains(escaped), let brace = next() {
                    out.unicodeScalars.append(brace)
                    if brace == "{" { while let inner = next() { out.unicodeScalars.append(inner); if inner == "}" { break } } }
                }
                afterQuantifier = false
            case "[":
                classDepth += 1
                out.unicodeScalars.append(scalar)
            case "]" where classDepth > 0:
                classDepth -= 1
                out.unicodeScalars.append(scalar)
                afterQuantifier = false
            case _ where classDepth > 0:
                out.unicodeScalars.append(scalar)
            case "+" where afterQuantifier:
                afterQuantifier = false
            case "?" where afterQuantifier:
                out.unicodeScalars.append(scalar)
                afterQuantifier = false
            case "?", "*", "+":
                out.unicodeScalars.append(scalar)
                afterQuantifier = true
            case "{":
                out.unicodeScalars.append(scalar)
                while let inner = next() { out.unicodeScalars.append(inner); if inner == "}" { break } }
                afterQuantifier = true
            case "(":
                out.unicodeScalars.append(scalar)
                if let following = next() {
                    if following == "?" { out.unicodeScalars.append(following) } else { pending = following }
                }
                afterQuantifier = false
            case "$":
                out += "\\z"
                afterQuantifier = false
            default:
                out.unicodeScalars.append(scalar)
                afterQuantifier = false
            }
        }
        return out
    }

    /// The built-in encoding called `name` (`gpt2` is `r50k_base`).
    public static func named(_ name: String) -> TiktokenEncoding? {
        builtIn.first { $0.name == (name == "gpt2" ? "r50k_base" : name) }
    }

    /// The built-in encoding whose rank file holds `count` ranks, if exactly one does.
    public static func forRankCount(_ count: Int) -> TiktokenEncoding? {
        let matching = builtIn.filter { $0.rankCount == count }
        return matching.count == 1 ? matching[0] : nil
    }
}
