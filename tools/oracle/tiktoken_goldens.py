#!/usr/bin/env python3
"""Write tiktoken goldens: rank files derived from real vocabularies and the digests of `tiktoken`'s
encodings of every corpora-samples line and the adversarial strings.

    python tools/oracle/tiktoken_goldens.py OUTPUT_DIR [--gguf NAME=FILE.gguf:RANKS] [--case NAME:ENCODING ...]

- `NAME.tiktoken.gz`: the ranks of a byte-level vocabulary, in tiktoken's own file format
  (`base64 rank` lines by rank, as `tiktoken.load.dump_tiktoken_bpe` writes). By default `gpt2`, from
  the golden GPT-2 tokenizer.json (its 50,256 tokens; ranks are its ids, as in `r50k_base`); `--gguf`
  adds one from the first RANKS tokens of a llama.cpp GGUF vocabulary (Llama 3: 128,000).
- `NAME.ENCODING.crc.txt`: for each case, `tiktoken.Encoding` built from those ranks with the split
  pattern and special tokens of the built-in ENCODING, exactly as `tiktoken_ext.openai_public`
  defines them (its loader is pointed at these ranks instead of downloading); `llama3` is Meta's
  Llama 3 encoding. For every line (with its line ending) of every corpora-samples file and every
  adversarial string, in blocks of 8, the CRC-32 of the ids of `encode(text, allowed_special="all")`,
  one line of space-separated ids per input.
"""
import argparse
import base64
import gzip
import json
import os
import sys
import zlib

import tiktoken
from tiktoken_ext import openai_public

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bpe_goldens import ROOT, BLOCK, sample_files, sample_lines  # noqa: E402

GOLDENS = os.path.join(ROOT, "Tests/TokenizationTests/Goldens")
DEFAULT_CASES = ["gpt2:r50k_base", "gpt2:cl100k_base"]


def byte_decoder():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(bs, cs)}


def ranks_of(tokens):
    decoder = byte_decoder()
    return {bytes(decoder[c] for c in token): rank for rank, token in enumerate(tokens)}


def golden_gpt2():
    with gzip.open(os.path.join(GOLDENS, "tokenizers/gpt2.json.gz"), "rt", encoding="utf-8") as f:
        vocab = json.load(f)["model"]["vocab"]
    return ranks_of([t for t, _ in sorted(vocab.items(), key=lambda item: item[1])][:50256])


def gguf_ranks(path, count):
    import gguf
    field = gguf.GGUFReader(path).fields["tokenizer.ggml.tokens"]
    return ranks_of([bytes(field.parts[i]).decode() for i in field.data][:count])


def write_ranks(path, ranks):
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        for token, rank in sorted(ranks.items(), key=lambda item: item[1]):
            f.write(base64.b64encode(token) + b" " + str(rank).encode() + b"\n")


def encoding(name, ranks):
    if name == "llama3":
        specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>", "<|reserved_special_token_1|>",
                    "<|reserved_special_token_2|>", "<|reserved_special_token_3|>", "<|start_header_id|>", "<|end_header_id|>",
                    "<|reserved_special_token_4|>", "<|eot_id|>"] + [f"<|reserved_special_token_{i}|>" for i in range(5, 251)]
        pattern = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
        return tiktoken.Encoding("llama3", pat_str=pattern, mergeable_ranks=ranks,
                                 special_tokens={t: len(ranks) + i for i, t in enumerate(specials)})
    openai_public.load_tiktoken_bpe = lambda *args, **kwargs: ranks
    definition = getattr(openai_public, name)()
    definition.pop("explicit_n_vocab", None)
    return tiktoken.Encoding(**definition)


def digests(enc, inputs):
    groups = [(path, sample_lines(os.path.join(ROOT, path))) for path in sample_files()] + [("adversarial", inputs)]
    lines = []
    for path, texts in groups:
        for start in range(0, len(texts), BLOCK):
            block = texts[start:start + BLOCK]
            text = "".join(" ".join(map(str, enc.encode(t, allowed_special="all"))) + "\n" for t in block)
            lines.append(f"{path} {start // BLOCK} {zlib.crc32(text.encode()):08x}")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--gguf", action="append", default=[], help="NAME=FILE.gguf:RANKS")
    parser.add_argument("--case", action="append", default=[], help="NAME:ENCODING")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    ranks = {"gpt2": golden_gpt2()}
    for spec in args.gguf:
        name, rest = spec.split("=", 1)
        path, count = rest.rsplit(":", 1)
        ranks[name] = gguf_ranks(path, int(count))
    for name, table in ranks.items():
        write_ranks(os.path.join(args.out, f"{name}.tiktoken.gz"), table)
    with gzip.open(os.path.join(GOLDENS, "encodings/adversarial.jsonl.gz"), "rt", encoding="utf-8") as f:
        inputs = [json.loads(line) for line in f]
    for case in DEFAULT_CASES + args.case:
        name, encoding_name = case.split(":")
        with open(os.path.join(args.out, f"{name}.{encoding_name}.crc.txt"), "w") as f:
            f.write(digests(encoding(encoding_name, ranks[name]), inputs))
        print(f"{name} with {encoding_name}: digests written")


if __name__ == "__main__":
    main()
