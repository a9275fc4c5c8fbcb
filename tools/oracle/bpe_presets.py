"""The Polytoken training presets built with Hugging Face `tokenizers` objects, so that the
oracle trains exactly what `polytoken train --preset NAME` trains."""
import json

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers


LLAMA3 = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
QWEN2 = LLAMA3.replace(r"\p{N}{1,3}", r"\p{N}")
SPECIALS = {
    "gpt2": ["<|endoftext|>"],
    "llama3": ["<|begin_of_text|>", "<|end_of_text|>"],
    "qwen2": ["<|endoftext|>"],
    "sentencepiece": ["<unk>", "<s>", "</s>"],
}
BYTE_TOKENS = ["<0x%02X>" % byte for byte in range(256)]


def template(begin, begin_id):
    return processors.TemplateProcessing(single=f"{begin} $A", pair=f"{begin} $A {begin}:1 $B:1",
                                         special_tokens=[(begin, begin_id)])


def tokenizer_and_trainer(preset, vocab_size, **options):
    """An untrained tokenizer with the preset's pipeline, and the trainer for it."""
    byte_level = preset != "sentencepiece"
    if preset == "sentencepiece":
        tokenizer = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
        tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="first", split=True)
        tokenizer.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse(),
                                               decoders.Strip(" ", 1, 0)])
    else:
        tokenizer = Tokenizer(models.BPE(ignore_merges=preset == "llama3"))
        if preset == "gpt2":
            tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
            tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
            tokenizer.decoder = decoders.ByteLevel()
        elif preset == "llama3":
            tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
                pre_tokenizers.Split(Regex(LLAMA3), behavior="isolated"),
                pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
            tokenizer.decoder = decoders.ByteLevel()
        else:
            tokenizer.normalizer = normalizers.NFC()
            tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
                pre_tokenizers.Split(Regex(QWEN2), behavior="isolated"),
                pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)])
            tokenizer.post_processor = processors.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)
            tokenizer.decoder = decoders.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)
    specials = SPECIALS[preset] + ([] if byte_level else BYTE_TOKENS)
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=specials, show_progress=False, **options,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet() if byte_level else [])
    return tokenizer, trainer


def train(preset, vocab_size, files, **options):
    """The tokenizer Hugging Face trains with the preset on `files` (one document per line);
    `options` are further `BpeTrainer` arguments."""
    tokenizer, trainer = tokenizer_and_trainer(preset, vocab_size, **options)
    tokenizer.train(files, trainer)
    begin = {"llama3": "<|begin_of_text|>", "sentencepiece": "<s>"}.get(preset)
    if begin:
        processor = template(begin, tokenizer.token_to_id(begin))
        if preset == "llama3":
            processor = processors.Sequence([processors.ByteLevel(trim_offsets=False), processor])
        tokenizer.post_processor = processor
    return tokenizer


def train_unigram(vocab_size, files, byte_fallback=False):
    """A SentencePiece-style Unigram tokenizer trained by `tokenizers` (NFKC, Metaspace); with
    `byte_fallback`, the 256 `<0xNN>` pieces are appended (scored below every other piece) and
    the model falls back to them for unknown text."""
    tokenizer = Tokenizer(models.Unigram())
    tokenizer.normalizer = normalizers.NFKC()
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    tokenizer.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    trainer = trainers.UnigramTrainer(vocab_size=vocab_size, special_tokens=["<unk>"], unk_token="<unk>", show_progress=False)
    tokenizer.train(files, trainer)
    if not byte_fallback:
        return tokenizer
    document = json.loads(tokenizer.to_str())
    lowest = min(score for _, score in document["model"]["vocab"])
    document["model"]["vocab"] += [[piece, lowest - 1] for piece in BYTE_TOKENS]
    document["model"]["byte_fallback"] = True
    document["decoder"] = {"type": "Sequence", "decoders": [document["decoder"], {"type": "ByteFallback"}]}
    return Tokenizer.from_str(json.dumps(document))


def train_wordpiece(vocab_size, files):
    """A BERT-style (uncased) WordPiece tokenizer trained by `tokenizers`: BertNormalizer,
    BertPreTokenizer, `[CLS] $A [SEP]`, the WordPiece decoder."""
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.decoder = decoders.WordPiece()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=specials, show_progress=False)
    tokenizer.train(files, trainer)
    tokenizer.post_processor = processors.BertProcessing(("[SEP]", tokenizer.token_to_id("[SEP]")), ("[CLS]", tokenizer.token_to_id("[CLS]")))
    return tokenizer


def train_wordlevel(vocab_size, files):
    """A WordLevel tokenizer trained by `tokenizers`: NFKC and lowercase, Whitespace
    pre-tokenizer, `[UNK]` for every word outside the vocabulary."""
    tokenizer = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    trainer = trainers.WordLevelTrainer(vocab_size=vocab_size, special_tokens=["[UNK]", "[PAD]"], show_progress=False)
    tokenizer.train(files, trainer)
    return tokenizer
