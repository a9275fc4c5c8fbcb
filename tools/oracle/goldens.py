#!/usr/bin/env python3
"""Write golden files for the normalizers and pre-tokenizers with Hugging Face `tokenizers`.

    python tools/oracle/goldens.py OUT_DIR                       # corpora-samples + adversarial strings
    python tools/oracle/goldens.py OUT_DIR --random SEED --count N  # a fresh random sample only

OUT_DIR receives `inputs.jsonl.gz` (one JSON string per line) and `configurations.json`
(name -> {"kind", "json"}, and where the digested inputs end). The corpus lines come first:
for them `<name>.crc.txt` holds, per block of BLOCK inputs, the CRC-32 of the canonical
form of the oracle's results (see `canonical`), which keeps the files small and the check
exact. For the remaining inputs (the adversarial strings) `<name>.jsonl.gz` holds the
results themselves: a string (normalizers) or a list of [piece, start, end] with character
offsets (pre-tokenizers).
"""
import argparse
import gzip
import json
import os
import zlib

import tokenizers
from tokenizers import Tokenizer

import adversarial
import configurations

BLOCK = 8
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def component(kind, config):
    document = {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": [],
        "normalizer": config if kind == "normalizer" else None,
        "pre_tokenizer": config if kind == "pre_tokenizer" else None,
        "post_processor": None, "decoder": None,
        "model": {"type": "WordLevel", "vocab": {"[UNK]": 0}, "unk_token": "[UNK]"},
    }
    tokenizer = Tokenizer.from_str(json.dumps(document))
    return tokenizer.normalizer if kind == "normalizer" else tokenizer.pre_tokenizer


def corpus_inputs():
    base = os.path.join(ROOT, "corpora-samples")
    inputs = []
    for directory in ("monolingual", "parallel"):
        for name in sorted(os.listdir(os.path.join(base, directory))):
            with open(os.path.join(base, directory, name), encoding="utf-8", newline="") as f:
                text = f.read()
            inputs.extend(line + "\n" for line in text.split("\n")[:-1])
            if not text.endswith("\n") and text:
                inputs.append(text.split("\n")[-1])
    return inputs


def canonical(result):
    """Results as text for digests: a normalized string as itself; pieces as
    piece U+001F start U+001F end U+001E each."""
    if isinstance(result, str):
        return result
    return "".join(f"{p}\x1f{a}\x1f{b}\x1e" for p, (a, b) in result)


def block_digests(results):
    lines = []
    for start in range(0, len(results), BLOCK):
        crc = 0
        for result in results[start:start + BLOCK]:
            crc = zlib.crc32((canonical(result) + "\x1d").encode("utf-8"), crc)
        lines.append(f"{crc:08x}")
    return lines


def write_gz(path, lines):
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9, newline="\n") as f:
        for line in lines:
            f.write(line + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--random", type=int, help="seed of a fresh random sample (no corpus lines)")
    parser.add_argument("--count", type=int, default=3000)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.random is None:
        digested = corpus_inputs()
        inputs = digested + adversarial.generate(args.count, seed=20261121)
    else:
        digested = []
        inputs = adversarial.generate(args.count, seed=args.random)
    split = len(digested)
    write_gz(os.path.join(args.out, "inputs.jsonl.gz"), [json.dumps(s, ensure_ascii=False) for s in inputs])
    catalog = {}
    for kind, table in (("normalizer", configurations.NORMALIZERS), ("pre_tokenizer", configurations.PRE_TOKENIZERS)):
        for name, config in table.items():
            catalog[name] = {"kind": kind, "json": config}
            oracle = component(kind, config)
            if kind == "normalizer":
                results = [oracle.normalize_str(s) for s in inputs]
            else:
                results = [oracle.pre_tokenize_str(s) for s in inputs]
            if split:
                with open(os.path.join(args.out, f"{name}.crc.txt"), "w") as f:
                    f.write("\n".join(block_digests(results[:split])) + "\n")
            write_gz(os.path.join(args.out, f"{name}.jsonl.gz"),
                     [json.dumps(r if isinstance(r, str) else [[p, a, b] for p, (a, b) in r], ensure_ascii=False)
                      for r in results[split:]])
    with open(os.path.join(args.out, "configurations.json"), "w", encoding="utf-8") as f:
        json.dump({"tokenizers": tokenizers.__version__, "inputs": len(inputs), "digested": split, "block": BLOCK,
                   "configurations": catalog},
                  f, ensure_ascii=False, indent=1, sort_keys=True)
    print(f"{args.out}: {len(inputs)} inputs x {len(catalog)} configurations (tokenizers {tokenizers.__version__})")


if __name__ == "__main__":
    main()
