#!/usr/bin/env python3
"""Write SentencePiece goldens: models trained with `sentencepiece` on corpora-samples and the
digests of `sentencepiece`'s encodings of every corpora-samples line and the adversarial strings.

    python tools/oracle/sentencepiece_goldens.py OUTPUT_DIR [--model NAME=FILE.model ...]

- `NAME.model.gz`: the model. By default two are trained on corpora-samples (4,000 pieces):
  `samples_unigram` (Unigram, the default nmt_nfkc rules, extra whitespace removed, user-defined
  `<mask>` and `[SEP]`) and `samples_bpe` (BPE as Llama-2 was trained: identity normalizer, byte
  fallback, spaces kept, digits split, user-defined `[INST]`). `--model` adds an existing model
  (Mistral's, sentencepiece's own test models) under NAME.
- `NAME.crc.txt`: for every line (with its line ending) of every corpora-samples file and every
  adversarial string, in blocks of 8, the CRC-32 of the ids of `encode(text)` (no BOS/EOS), one
  line of space-separated ids per input.
- `NAME.cases.json`: `[text, ids]` for corpus lines with the model's user-defined and control
  pieces pasted in at random places (sentencepiece matches the former whole and spells out the
  latter).
"""
import argparse
import gzip
import json
import os
import random
import shutil
import sys
import tempfile
import zlib

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bpe_goldens import ROOT, BLOCK, sample_files, sample_lines  # noqa: E402

GOLDENS = os.path.join(ROOT, "Tests/TokenizationTests/Goldens")


def train(directory):
    files = ",".join(os.path.join(ROOT, path) for path in sample_files() if path.endswith(".txt"))
    common = dict(input=files, vocab_size=4000, character_coverage=0.9995, num_threads=1, minloglevel=2,
                  input_sentence_size=0, shuffle_input_sentence=False)
    models = {}
    prefix = os.path.join(directory, "samples_unigram")
    spm.SentencePieceTrainer.train(model_prefix=prefix, model_type="unigram", user_defined_symbols=["<mask>", "[SEP]"], **common)
    models["samples_unigram"] = prefix + ".model"
    prefix = os.path.join(directory, "samples_bpe")
    spm.SentencePieceTrainer.train(model_prefix=prefix, model_type="bpe", normalization_rule_name="identity",
                                   remove_extra_whitespaces=False, byte_fallback=True, split_digits=True,
                                   user_defined_symbols=["[INST]"], **common)
    models["samples_bpe"] = prefix + ".model"
    return models


def digests(processor, inputs):
    groups = [(path, sample_lines(os.path.join(ROOT, path))) for path in sample_files()] + [("adversarial", inputs)]
    lines = []
    for path, texts in groups:
        for start in range(0, len(texts), BLOCK):
            block = texts[start:start + BLOCK]
            text = "".join(" ".join(map(str, processor.encode(t))) + "\n" for t in block)
            lines.append(f"{path} {start // BLOCK} {zlib.crc32(text.encode()):08x}")
    return "\n".join(lines) + "\n"


def cases(path, processor, count=200, seed=7):
    proto = sentencepiece_model_pb2.ModelProto()
    with open(path, "rb") as f:
        proto.ParseFromString(f.read())
    pasted = [p.piece for p in proto.pieces if p.type in (proto.SentencePiece.USER_DEFINED, proto.SentencePiece.CONTROL)]
    rng = random.Random(seed)
    lines = [line.rstrip("\n") for path in sample_files() for line in sample_lines(os.path.join(ROOT, path))]
    texts = []
    for _ in range(count):
        text = rng.choice(lines)
        for _ in range(rng.randint(1, 3)):
            cut = rng.randint(0, len(text))
            piece = rng.choice(pasted)
            text = text[:cut] + rng.choice(["", " ", "  "]) + piece + rng.choice(["", " "]) + text[cut:]
        texts.append(text)
    return [[text, processor.encode(text)] for text in texts]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--model", action="append", default=[], help="NAME=FILE.model")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with gzip.open(os.path.join(GOLDENS, "encodings/adversarial.jsonl.gz"), "rt", encoding="utf-8") as f:
        inputs = [json.loads(line) for line in f]
    with tempfile.TemporaryDirectory() as scratch:
        models = train(scratch)
        models.update(spec.split("=", 1) for spec in args.model)
        for name, path in models.items():
            with open(path, "rb") as raw, open(os.path.join(args.out, f"{name}.model.gz"), "wb") as out, \
                    gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as f:
                shutil.copyfileobj(raw, f)
            processor = spm.SentencePieceProcessor(model_file=path)
            with open(os.path.join(args.out, f"{name}.crc.txt"), "w") as f:
                f.write(digests(processor, inputs))
            with open(os.path.join(args.out, f"{name}.cases.json"), "w", encoding="utf-8") as f:
                json.dump(cases(path, processor), f, ensure_ascii=False, indent=0)
            print(f"{name}: {processor.get_piece_size()} pieces, digests written")


if __name__ == "__main__":
    main()
