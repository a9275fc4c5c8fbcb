#!/usr/bin/env python3
"""Check `polytoken convert` between SentencePiece models and tokenizer.json against the real
libraries, on every corpora-samples line and adversarial string.

    python tools/oracle/check_sentencepiece.py --polytoken BIN --scratch DIR
        [--model NAME=FILE.model ...] [--tokenizer-json NAME=FILE.json ...] [--gguf-t5 NAME=FILE.gguf ...]

For each model: `convert` writes its tokenizer.json (with --allow-loss when Polytoken refuses,
saying why); `tokenizers` on it must encode as `sentencepiece` on the model when it was not
refused (the count of differences is printed either way); converted back with
`--to sentencepiece`, the new model must encode exactly as the original in `sentencepiece`.
For each tokenizer.json: `convert --to sentencepiece` writes a model that `sentencepiece` must
load and encode exactly as `tokenizers` encodes with the tokenizer.json (no special tokens added).
For each GGUF `t5` file: the SentencePiece model built from its metadata here (with the `gguf`
package, as llama.cpp's UGM tokenizer reads it) must encode in `sentencepiece` exactly as
`polytoken encode --no-special-tokens` with the GGUF file, and `convert --to sentencepiece` must
write a model that encodes alike.
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


def gguf_model(path):
    import gguf
    reader = gguf.GGUFReader(path)
    field = lambda key: reader.fields.get(key)
    scalar = lambda key, default: field(key).parts[field(key).data[0]].tolist()[0] if field(key) else default
    proto = sentencepiece_model_pb2.ModelProto()
    tokens, scores, types = field("tokenizer.ggml.tokens"), field("tokenizer.ggml.scores"), field("tokenizer.ggml.token_type")
    for index, part in enumerate(tokens.data):
        piece = proto.pieces.add()
        piece.piece = bytes(tokens.parts[part]).decode("utf-8")
        piece.score = float(scores.parts[scores.data[index]][0])
        piece.type = int(types.parts[types.data[index]][0])
    proto.trainer_spec.model_type = proto.trainer_spec.UNIGRAM
    proto.trainer_spec.byte_fallback = any(p.type == p.BYTE for p in proto.pieces)
    charsmap = field("tokenizer.ggml.precompiled_charsmap")
    proto.normalizer_spec.precompiled_charsmap = bytes(int(charsmap.parts[i][0]) for i in charsmap.data) if charsmap else b""
    proto.normalizer_spec.add_dummy_prefix = bool(scalar("tokenizer.ggml.add_space_prefix", True))
    proto.normalizer_spec.remove_extra_whitespaces = bool(scalar("tokenizer.ggml.remove_extra_whitespaces", True))
    proto.normalizer_spec.escape_whitespaces = bool(scalar("tokenizer.ggml.escape_whitespaces", True))
    return proto


def differences(texts, left, right):
    found = [text for text in texts if left(text) != right(text)]
    return len(found), found[:1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--polytoken", required=True)
    parser.add_argument("--scratch", required=True)
    parser.add_argument("--model", action="append", default=[], help="NAME=FILE.model")
    parser.add_argument("--tokenizer-json", action="append", default=[], help="NAME=FILE.json")
    parser.add_argument("--gguf-t5", action="append", default=[], help="NAME=FILE.gguf")
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
    for spec in args.gguf_t5:
        name, path = spec.split("=", 1)
        proto = gguf_model(path)
        reference = spm.SentencePieceProcessor(model_proto=proto.SerializeToString())
        plain = [t.replace("\r", " ").replace("\n", " ") for t in texts]
        controls = [p.piece for p in proto.pieces if p.type == p.CONTROL]
        plain = [t for t in plain if not any(c in t for c in controls)]
        lines = os.path.join(args.scratch, f"{name}.lines.txt")
        with open(lines, "w", encoding="utf-8") as f:
            f.write("".join(t + "\n" for t in plain))
        printed = subprocess.run([args.polytoken, "encode", "--no-special-tokens", "--tokenizer", path, lines],
                                 check=True, capture_output=True, text=True).stdout.splitlines()
        ours = [[int(x) for x in line.split()] for line in printed]
        count = sum(reference.encode(t) != o for t, o in zip(plain, ours)) + abs(len(ours) - len(plain))
        model_path = os.path.join(args.scratch, f"{name}.model")
        convert(args.polytoken, path, model_path, "--to", "sentencepiece")
        written = spm.SentencePieceProcessor(model_file=model_path)
        count_written = sum(reference.encode(t) != written.encode(t) for t in plain)
        print(f"{name} (GGUF t5, {len(proto.pieces)} pieces): polytoken vs sentencepiece: {count} of {len(plain)} differ; "
              f"converted to .model: {count_written} differ")
        failures += count > 0 or count_written > 0
    if failures:
        sys.exit(f"{failures} check(s) failed")


if __name__ == "__main__":
    main()
