#!/usr/bin/env python3
"""Check `polytoken encode` against `tokenizers` on a tokenizer.json Polytoken wrote or copied.

    python tools/oracle/check_encode.py --polytoken BIN SCRATCH TOKENIZER.json...

For each file, `polytoken encode --tokenizer FILE` must print, for every corpora-samples line and
adversarial string (line breaks inside a string made spaces), the ids `tokenizers` gives with the
same file (special tokens added, with the file's truncation and padding).
"""
import argparse
import gzip
import json
import os
import subprocess
import sys

from tokenizers import Tokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bpe_goldens import ROOT, sample_files, sample_lines  # noqa: E402


def texts():
    found = [line.rstrip("\r\n") for path in sample_files() for line in sample_lines(os.path.join(ROOT, path))]
    with gzip.open(os.path.join(ROOT, "Tests/TokenizationTests/Goldens/encodings/adversarial.jsonl.gz"), "rt", encoding="utf-8") as f:
        found += [json.loads(line) for line in f]
    return [t.replace("\r", " ").replace("\n", " ") for t in found]


def mismatches(polytoken, scratch, path, inputs):
    tokenizer = Tokenizer.from_file(path)
    expected = [e.ids for e in tokenizer.encode_batch(inputs)]
    lines = os.path.join(scratch, "lines.txt")
    with open(lines, "w", encoding="utf-8") as f:
        f.write("".join(t + "\n" for t in inputs))
    printed = subprocess.run([polytoken, "encode", "--tokenizer", path, lines], check=True, capture_output=True, text=True).stdout
    ours = [[int(x) for x in line.split()] for line in printed.splitlines()]
    return sum(a != b for a, b in zip(ours, expected)) + abs(len(ours) - len(expected))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--polytoken", required=True)
    parser.add_argument("scratch")
    parser.add_argument("tokenizers", nargs="+")
    args = parser.parse_args()
    os.makedirs(args.scratch, exist_ok=True)
    inputs = texts()
    failed = 0
    for path in args.tokenizers:
        count = mismatches(args.polytoken, args.scratch, path, inputs)
        print(f"{path}: polytoken encode vs tokenizers: {count} of {len(inputs)} texts differ")
        failed += count > 0
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
