#!/usr/bin/env python3
"""Check BERT's vocab.txt as Polytoken reads it against `tokenizers` on the model's own tokenizer.json.

    python tools/oracle/check_wordpiece_vocabulary.py --polytoken BIN MODEL_DIR SCRATCH

`polytoken convert MODEL_DIR/vocab.txt` (with the tokenizer_config.json beside it) must give a
tokenizer.json that `tokenizers` encodes exactly as MODEL_DIR/tokenizer.json (truncation and padding
off, special tokens added) on every corpora-samples line and adversarial string, and
`polytoken encode --tokenizer MODEL_DIR/vocab.txt` must print the same ids for every line.
"""
import argparse
import os
import subprocess
import sys

from tokenizers import Tokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_encode import texts  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--polytoken", required=True)
    parser.add_argument("model")
    parser.add_argument("scratch")
    args = parser.parse_args()
    os.makedirs(args.scratch, exist_ok=True)
    vocabulary = os.path.join(args.model, "vocab.txt")
    converted = os.path.join(args.scratch, "vocab-txt.json")
    subprocess.run([args.polytoken, "convert", vocabulary, "-o", converted], check=True)
    original = Tokenizer.from_file(os.path.join(args.model, "tokenizer.json"))
    original.no_truncation()
    original.no_padding()
    ours = Tokenizer.from_file(converted)
    inputs = texts()
    expected = [e.ids for e in original.encode_batch(inputs)]
    differ = sum(a.ids != b for a, b in zip(ours.encode_batch(inputs), expected))
    lines = os.path.join(args.scratch, "lines.txt")
    with open(lines, "w", encoding="utf-8") as f:
        f.write("".join(t + "\n" for t in inputs))
    printed = subprocess.run([args.polytoken, "encode", "--tokenizer", vocabulary, lines], check=True, capture_output=True, text=True).stdout
    polytoken = [[int(x) for x in line.split()] for line in printed.splitlines()]
    differ_polytoken = sum(a != b for a, b in zip(polytoken, expected)) + abs(len(polytoken) - len(expected))
    print(f"vocab.txt: converted tokenizer.json in tokenizers: {differ} of {len(inputs)} texts differ; polytoken encode: {differ_polytoken} differ")
    if differ or differ_polytoken:
        sys.exit(1)


if __name__ == "__main__":
    main()
