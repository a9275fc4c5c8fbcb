"""The normalizer and pre-tokenizer configurations the goldens cover, as tokenizer.json components."""

GPT2 = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"
LLAMA3 = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
QWEN2 = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
O200K = "|".join([
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    r"\p{N}{1,3}", r" ?[^\s\p{L}\p{N}]+[\r\n/]*", r"\s*[\r\n]+", r"\s+(?!\S)", r"\s+",
])


def split(pattern, behavior, invert=False, kind="Regex"):
    return {"type": "Split", "pattern": {kind: pattern}, "behavior": behavior, "invert": invert}


def byte_level(add_prefix_space, use_regex=True, trim_offsets=True):
    return {"type": "ByteLevel", "add_prefix_space": add_prefix_space, "trim_offsets": trim_offsets, "use_regex": use_regex}


NORMALIZERS = {
    "nfc": {"type": "NFC"},
    "nfd": {"type": "NFD"},
    "nfkc": {"type": "NFKC"},
    "nfkd": {"type": "NFKD"},
    "lowercase": {"type": "Lowercase"},
    "strip": {"type": "Strip", "strip_left": True, "strip_right": True},
    "strip-left": {"type": "Strip", "strip_left": True, "strip_right": False},
    "strip-accents": {"type": "StripAccents"},
    "nfd-strip-accents": {"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "StripAccents"}]},
    "replace-string": {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"},
    "replace-regex-space": {"type": "Replace", "pattern": {"Regex": r"\s+"}, "content": " "},
    "replace-regex-number": {"type": "Replace", "pattern": {"Regex": r"\p{N}+"}, "content": "<n>"},
    "replace-regex-delete": {"type": "Replace", "pattern": {"Regex": r"[\p{M}\p{Cf}]"}, "content": ""},
    "prepend": {"type": "Prepend", "prepend": "\u2581"},
    "llama2": {"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "\u2581"},
                                                    {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}]},
    "bert": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": None, "lowercase": True},
    "bert-cased": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": True, "lowercase": False},
    "nfkc-lowercase": {"type": "Sequence", "normalizers": [{"type": "NFKC"}, {"type": "Lowercase"}]},
}

PRE_TOKENIZERS = {
    "byte-level": byte_level(False),
    "byte-level-prefix": byte_level(True),
    "byte-level-no-regex": byte_level(True, use_regex=False),
    "split-gpt2": split(GPT2, "Isolated"),
    "split-llama3": split(LLAMA3, "Isolated"),
    "split-qwen2": split(QWEN2, "Isolated"),
    "split-o200k": split(O200K, "Isolated"),
    "split-gpt2-removed": split(GPT2, "Removed"),
    "split-gpt2-previous": split(GPT2, "MergedWithPrevious"),
    "split-gpt2-next": split(GPT2, "MergedWithNext"),
    "split-gpt2-contiguous": split(GPT2, "Contiguous"),
    "split-gpt2-inverted": split(GPT2, "Isolated", invert=True),
    "split-space-removed": split(" ", "Removed", kind="String"),
    "split-space-previous": split(" ", "MergedWithPrevious", kind="String"),
    "split-space-next-inverted": split(" ", "MergedWithNext", invert=True, kind="String"),
    "split-regex-words": split(r"\w+|[^\w\s]+", "Removed", invert=True),
    "split-regex-lookahead": split(r"(?=\p{Lu})", "MergedWithNext"),
    "split-regex-punctuation": split(r"\p{P}+", "Contiguous"),
    "llama3": {"type": "Sequence", "pretokenizers": [split(LLAMA3, "Isolated"), byte_level(False, use_regex=False)]},
    "qwen2": {"type": "Sequence", "pretokenizers": [split(QWEN2, "Isolated"), byte_level(False, use_regex=False, trim_offsets=False)]},
    "metaspace-always": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
    "metaspace-first": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first", "split": True},
    "metaspace-never": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "never", "split": True},
    "metaspace-first-nosplit": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first", "split": False},
    "whitespace": {"type": "Whitespace"},
    "whitespace-split": {"type": "WhitespaceSplit"},
    "punctuation": {"type": "Punctuation", "behavior": "Isolated"},
    "punctuation-contiguous": {"type": "Punctuation", "behavior": "Contiguous"},
    "digits": {"type": "Digits", "individual_digits": False},
    "digits-individual": {"type": "Digits", "individual_digits": True},
    "bert": {"type": "BertPreTokenizer"},
    "sequence-whitespace-digits": {"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "Digits", "individual_digits": True}]},
}
