#!/usr/bin/env python3
"""Pre-tokenization throughput, Polytoken against Hugging Face `tokenizers`, same corpus, same run.

    python3 tools/corpora.py benchmark /tmp/bench-en.txt
    python3 tools/corpora.py multilingual /tmp/bench-multi.txt
    .build-oracle-venv/bin/python tools/bench_pretokenize.py /tmp/bench-en.txt /tmp/bench-multi.txt

Both sides get one document per line (with its line ending), already in memory, on one thread,
and produce every piece: `pre_tokenize_str` for tokenizers (each piece's text and character
offsets), the `pretokenize --benchmark` mode of the release build for Polytoken, which finds the
pieces in the UTF-8 bytes as its encoder does (each piece's byte range, and its byte-level
characters). The piece counts are compared.
"""
import json
import os
import re
import subprocess
import sys
import time

from tokenizers import Tokenizer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "oracle"))
import configurations  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PIPELINES = {
    "gpt2": configurations.PRE_TOKENIZERS["byte-level"],
    "llama3": configurations.PRE_TOKENIZERS["llama3"],
    "o200k": {"type": "Sequence", "pretokenizers": [configurations.PRE_TOKENIZERS["split-o200k"], configurations.byte_level(False, use_regex=False)]},
}


def oracle(config):
    document = {"version": "1.0", "truncation": None, "padding": None, "added_tokens": [], "normalizer": None,
                "pre_tokenizer": config, "post_processor": None, "decoder": None,
                "model": {"type": "WordLevel", "vocab": {"[UNK]": 0}, "unk_token": "[UNK]"}}
    return Tokenizer.from_str(json.dumps(document)).pre_tokenizer


def main(corpora):
    os.environ["RAYON_NUM_THREADS"] = "1"
    subprocess.run(["swift", "build", "-c", "release", "--product", "polytoken"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    for corpus in corpora:
        measure(corpus)


def measure(corpus):
    binary = os.path.join(ROOT, ".build", "release", "polytoken")
    with open(corpus, encoding="utf-8", newline="") as f:
        parts = f.read().split("\n")
    lines = [line + "\n" for line in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    megabytes = os.path.getsize(corpus) / 1e6
    print(f"corpus: {corpus}, {megabytes:.1f} MB, {len(lines)} lines; one thread each")
    print(f"{'pattern':8} {'tokenizers MB/s':>16} {'polytoken MB/s':>15} {'ratio':>7}")
    for name, config in PIPELINES.items():
        pre = oracle(config)
        started = time.perf_counter()
        pieces = sum(len(pre.pre_tokenize_str(line)) for line in lines)
        hf = megabytes / (time.perf_counter() - started)
        output = subprocess.run([binary, "pretokenize", "--preset", name, "--benchmark", corpus],
                                check=True, capture_output=True, text=True).stdout
        ours = float(re.search(r"([0-9.]+) MB/s", output).group(1))
        ours_pieces = int(re.search(r"([0-9]+) pieces", output).group(1))
        note = "" if ours_pieces == pieces else f"  (piece counts differ: {pieces} vs {ours_pieces})"
        print(f"{name:8} {hf:16.2f} {ours:15.2f} {ours / hf:6.1f}x{note}")


if __name__ == "__main__":
    main(sys.argv[1:])
