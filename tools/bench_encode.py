#!/usr/bin/env python3
"""Single-thread encoding throughput: Polytoken against Hugging Face `tokenizers` and tiktoken,
same vocabulary, same corpus, same run.

    python3 tools/corpora.py benchmark /tmp/bench.txt
    .build-oracle-venv/bin/python tools/bench_encode.py /tmp/bench.txt [TOKENIZER_JSON]

Without a tokenizer, a 32k Llama-3-style byte-level vocabulary is first trained on the corpus
with Polytoken. The tiktoken encoding is built from the same vocabulary (ranks = ids, which is
exact for a vocabulary trained by BPE) and the same pattern. Every side gets one document per
line without its line ending (as `polytoken encode` reads a file), already in memory, and
produces ids only, without special tokens, on one thread: `encode_batch_fast` with
RAYON_NUM_THREADS=1 for tokenizers, `encode_ordinary` in a loop for tiktoken, and
`encode --benchmark --threads 1 --no-special-tokens` of the release build for Polytoken (which
times exactly what `encode` does). A sample of lines is checked to give identical ids on all
three, Polytoken's from its `encode` output.
"""
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools", "oracle"))
import configurations  # noqa: E402

os.environ["RAYON_NUM_THREADS"] = "1"
import tiktoken  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402


def byte_decoder():
    printable = list(range(0x21, 0x7F)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    table, extra = {}, 0
    for byte in range(256):
        if byte in printable:
            table[chr(byte)] = byte
        else:
            table[chr(256 + extra)] = byte
            extra += 1
    return table


def tiktoken_encoding(document):
    decoder = byte_decoder()
    ranks = {bytes(decoder[c] for c in token): rank for token, rank in document["model"]["vocab"].items()}
    pre = document["pre_tokenizer"]
    pattern = pre["pretokenizers"][0]["pattern"]["Regex"] if pre["type"] == "Sequence" else configurations.GPT2
    return tiktoken.Encoding(name="same-vocabulary", pat_str=pattern, mergeable_ranks=ranks, special_tokens={})


def main(corpus, tokenizer_path=None):
    subprocess.run(["swift", "build", "-c", "release", "--product", "polytoken"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "release", "polytoken")
    if tokenizer_path is None:
        tokenizer_path = "/tmp/polytoken-bench-llama3-32k.json"
        subprocess.run([binary, "train", "--preset", "llama3", "--vocab-size", "32000", "-o", tokenizer_path, corpus],
                       check=True, stderr=subprocess.DEVNULL)
    with open(tokenizer_path, encoding="utf-8") as f:
        document = json.load(f)
    started = time.perf_counter()
    hf = Tokenizer.from_file(tokenizer_path)
    hf_load = time.perf_counter() - started
    tk = tiktoken_encoding(document)
    with open(corpus, encoding="utf-8", newline="") as f:
        parts = f.read().split("\n")
    megabytes = os.path.getsize(corpus) / 1e6
    lines = [line.removesuffix("\r") for line in (parts[:-1] + ([parts[-1]] if parts[-1] else []))]
    sample = lines[:: max(1, len(lines) // 2000)]
    printed = subprocess.run([binary, "encode", "--no-special-tokens", "--tokenizer", tokenizer_path], input="".join(line + "\n" for line in sample),
                             check=True, capture_output=True, text=True).stdout.split("\n")
    for line, ours in zip(sample, printed):
        expected = hf.encode(line, add_special_tokens=False).ids
        assert tk.encode_ordinary(line) == expected, f"tiktoken differs on {line!r}"
        assert [int(i) for i in ours.split()] == expected, f"polytoken differs on {line!r}"

    started = time.perf_counter()
    hf.encode_batch_fast(lines, add_special_tokens=False)
    hf_rate = megabytes / (time.perf_counter() - started)
    started = time.perf_counter()
    for line in lines:
        tk.encode_ordinary(line)
    tk_rate = megabytes / (time.perf_counter() - started)
    output = subprocess.run([binary, "encode", "--benchmark", "--threads", "1", "--no-special-tokens", "--tokenizer", tokenizer_path, corpus],
                            check=True, capture_output=True, text=True).stdout
    ours = float(re.search(r"([\d.]+) MB/s", output).group(1))
    our_load = float(re.search(r"in (\d+) ms", output).group(1)) / 1000
    print(f"corpus: {corpus}, {megabytes:.1f} MB, {len(lines)} lines; tokenizer: {tokenizer_path}; one thread each")
    print(f"{'tokenizers MB/s':>16} {'tiktoken MB/s':>14} {'polytoken MB/s':>15} {'vs tokenizers':>14} {'vs tiktoken':>12}")
    print(f"{hf_rate:16.2f} {tk_rate:14.2f} {ours:15.2f} {ours / hf_rate:13.1f}x {ours / tk_rate:11.1f}x")
    print(f"loading {len(document['model']['vocab'])} tokens: tokenizers {hf_load * 1000:.0f} ms, polytoken {our_load * 1000:.0f} ms")


if __name__ == "__main__":
    main(*sys.argv[1:])
