#!/usr/bin/env python3
"""Check `polytoken convert` between SentencePiece models and tokenizer.json against the real
libraries, on every corpora-samples line and adversarial string.

    python tools/oracle/check_sentencepiece.py --polytoken BIN --scratch DIR
        [--model NAME=FILE.model ...] [--tokenizer-json NAME=FILE.json ...]

For each model: `convert` writes its tokenizer.json (with --allow-loss when Polytoken refuses,
saying why); `tokenizers` on it must encode as `sentencepiece` on the model when it was not
refused (the count of differences is printed either way); converted back with
`--to sentencepiece`, the new model must encode exactly as the original in `sentencepiece`.
For each tokenizer.json: `convert --to sentencepiece` writes a model that `sentencepiece` must
load and encode exactly as `tokenizers` encodes with the tokenizer.json (no special tokens added).
Texts containing a control piece are left out of the tokenizers comparisons: `tokenizers` matches
control pieces in text as special tokens (as `transformers` converts them), `sentencepiece` spells
them out.
"""
import argparse
import gzip
import json
import os
import subprocess
import sys

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2
from tokenizers import Tokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bpe_goldens import ROOT, sample_files, sample_lines  # noqa: E402


def inputs():
    texts = [line for path in sample_files() for line in sample_lines(os.path.join(ROOT, path))]
    with gzip.open(os.path.join(ROOT, "Tests/TokenizationTests/Goldens/encodings/adversarial.jsonl.gz"), "rt", encoding="utf-8") as f:
        texts += [json.loads(line) for line in f]
    return texts


def control_pieces(path):
    proto = sentencepiece_model_pb2.ModelProto()
    with open(path, "rb") as f:
        proto.ParseFromString(f.read())
    return [p.piece for p in proto.pieces if p.type in (proto.SentencePiece.CONTROL, proto.SentencePiece.UNKNOWN)]


def convert(binary, source, output, *options):
    run = subprocess.run([binary, "convert", source, "-o", output, *options], capture_output=True, text=True)
    if run.returncode == 0:
        return True, run.stderr.strip()
    lossy = subprocess.run([binary, "convert", source, "-o", output, "--allow-loss", *options], capture_output=True, text=True)
    if lossy.returncode != 0:
        sys.exit(f"convert {source} failed: {run.stderr}{lossy.stderr}")
    return False, run.stderr.strip().splitlines()[0]


def differences(texts, left, right):
    found = [text for text in texts if left(text) != right(text)]
    return len(found), found[:1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--polytoken", required=True)
    parser.add_argument("--scratch", required=True)
    parser.add_argument("--model", action="append", default=[], help="NAME=FILE.model")
    parser.add_argument("--tokenizer-json", action="append", default=[], help="NAME=FILE.json")
    args = parser.parse_args()
    os.makedirs(args.scratch, exist_ok=True)
    texts = inputs()
    failures = 0
    for spec in args.model:
        name, path = spec.split("=", 1)
        original = spm.SentencePieceProcessor(model_file=path)
        twin_path = os.path.join(args.scratch, f"{name}.json")
        exact, message = convert(args.polytoken, path, twin_path)
        twin = Tokenizer.from_file(twin_path)
        controls = control_pieces(path)
        plain = [t for t in texts if not any(c in t for c in controls)]
        count, example = differences(plain, original.encode, lambda t: twin.encode(t, add_special_tokens=False).ids)
        verdict = "exact" if count == 0 else f"{count} of {len(plain)} texts differ, e.g. {example[0][:80]!r}"
        print(f"{name}: tokenizer.json {'lossless' if exact else 'refused without --allow-loss'}: tokenizers vs sentencepiece: {verdict}")
        if not exact:
            print(f"  reason: {message}")
        if exact and count:
            failures += 1
        back_path = os.path.join(args.scratch, f"{name}.back.model")
        convert(args.polytoken, twin_path, back_path, "--to", "sentencepiece")
        back = spm.SentencePieceProcessor(model_file=back_path)
        count, example = differences(texts, original.encode, back.encode)
        print(f"{name}: back to .model: sentencepiece on it vs the original: {'exact' if count == 0 else f'{count} differ, e.g. {example[0][:80]!r}'}")
        failures += count > 0
    for spec in args.tokenizer_json:
        name, path = spec.split("=", 1)
        tokenizer = Tokenizer.from_file(path)
        model_path = os.path.join(args.scratch, f"{name}.model")
        exact, message = convert(args.polytoken, path, model_path, "--to", "sentencepiece")
        model = spm.SentencePieceProcessor(model_file=model_path)
        controls = control_pieces(model_path)
        plain = [t for t in texts if not any(c in t for c in controls)]
        count, example = differences(plain, model.encode, lambda t: tokenizer.encode(t, add_special_tokens=False).ids)
        print(f"{name}: .model ({'lossless' if exact else message}): sentencepiece vs tokenizers: {'exact' if count == 0 else f'{count} of {len(plain)} differ, e.g. {example[0][:80]!r}'} on {len(plain)} texts")
        failures += count > 0
    if failures:
        sys.exit(f"{failures} check(s) failed")


if __name__ == "__main__":
    main()
