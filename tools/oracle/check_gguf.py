#!/usr/bin/env python3
"""Check tokenizers that `polytoken convert` made from llama.cpp's GGUF vocabulary files.

    python tools/oracle/check_gguf.py MODELS_DIR CONVERTED_DIR --polytoken BIN [--gpt2-files DIR] NAME...

MODELS_DIR is llama.cpp's `models` directory: `ggml-vocab-NAME.gguf` with `.inp` (test strings
separated by `\\n__ggml_vocab_test__\\n`) and `.out` (the ids `transformers` gave on the original
tokenizer, `add_special_tokens=False`). CONVERTED_DIR/NAME/ is the output of
`polytoken convert ggml-vocab-NAME.gguf -o CONVERTED_DIR/NAME/`. For each NAME:
- Hugging Face `tokenizers` and `transformers` (AutoTokenizer) load the converted directory and
  give the `.out` ids for every test string;
- on every line of corpora-samples' en, ru, zh and ar files, the converted tokenizer.json in
  `tokenizers` gives exactly the ids `polytoken encode --tokenizer ggml-vocab-NAME.gguf` prints.
With `--gpt2-files DIR` (the `vocab.json` and `merges.txt` that `polytoken convert --to vocab-merges`
wrote from GPT-2's converted tokenizer.json), `transformers`' GPT2TokenizerFast built from those two
files also gives GPT-2's `.out` ids.
Exits non-zero on the first difference, naming the vocabulary and the text.
"""
import argparse
import os
import subprocess
import sys

from tokenizers import Tokenizer
from transformers import AutoTokenizer, GPT2TokenizerFast

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPORA = [os.path.join(ROOT, "corpora-samples/monolingual", f"{language}.txt") for language in ("en", "ru", "zh", "ar")]


def fail(message):
    print(f"FAIL {message}", file=sys.stderr)
    sys.exit(1)


def tests(gguf):
    """llama.cpp's test strings of a vocabulary file and the original tokenizer's ids for them."""
    with open(gguf + ".inp", encoding="utf-8") as f:
        texts = f.read().split("\n__ggml_vocab_test__\n")
    if texts and texts[-1] == "":
        texts.pop()
    with open(gguf + ".out", encoding="utf-8") as f:
        expected = [[int(x) for x in line.split()] for line in f.read().split("\n")[: len(texts)]]
    return texts, expected


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("models")
    parser.add_argument("converted")
    parser.add_argument("names", nargs="+")
    parser.add_argument("--polytoken", required=True)
    parser.add_argument("--gpt2-files")
    args = parser.parse_args()
    if args.gpt2_files:
        texts, expected = tests(os.path.join(args.models, "ggml-vocab-gpt-2.gguf"))
        files = GPT2TokenizerFast.from_pretrained(args.gpt2_files)
        for text, ids in zip(texts, expected):
            if files.encode(text, add_special_tokens=False) != ids:
                fail(f"gpt-2: GPT2TokenizerFast on the written vocab.json and merges.txt differs from the original on {text!r}")
        print(f"gpt-2: vocab.json and merges.txt give the original's ids on {len(texts)} llama.cpp tests in GPT2TokenizerFast")
    for name in args.names:
        gguf = os.path.join(args.models, f"ggml-vocab-{name}.gguf")
        directory = os.path.join(args.converted, name)
        texts, expected = tests(gguf)
        fast = Tokenizer.from_file(os.path.join(directory, "tokenizer.json"))
        auto = AutoTokenizer.from_pretrained(directory)
        for text, ids in zip(texts, expected):
            if fast.encode(text, add_special_tokens=False).ids != ids:
                fail(f"{name}: tokenizers on the converted tokenizer.json differs from the original on {text!r}")
            if auto.encode(text, add_special_tokens=False) != ids:
                fail(f"{name}: transformers on the converted directory differs from the original on {text!r}")
        checked = 0
        for corpus in CORPORA:
            with open(corpus, encoding="utf-8") as f:
                lines = [line.rstrip("\r\n") for line in f]
            printed = subprocess.run([args.polytoken, "encode", "--tokenizer", gguf, "--no-special-tokens", corpus],
                                     check=True, capture_output=True, text=True).stdout.split("\n")
            for line, ids in zip(lines, printed):
                if fast.encode(line, add_special_tokens=False).ids != [int(x) for x in ids.split()]:
                    fail(f"{name}: polytoken on the GGUF file and tokenizers on the converted tokenizer.json differ on {line[:80]!r}")
                checked += 1
        print(f"{name}: {len(texts)} llama.cpp tests match the original in tokenizers and transformers; {checked} corpus lines match polytoken")


if __name__ == "__main__":
    main()
