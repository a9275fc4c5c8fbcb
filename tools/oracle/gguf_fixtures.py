#!/usr/bin/env python3
"""Write vocabulary-only GGUF files from the golden tokenizer.json files, laid out as llama.cpp's
`convert_hf_to_gguf.py` lays them out, with the `gguf` package's writer.

    python tools/oracle/gguf_fixtures.py OUTPUT_DIR

- gpt2, trained-llama3, trained-qwen2 (byte-level BPE): `tokenizer.ggml.model` "gpt2", the
  pre-tokenizer name of the family ("gpt-2", "llama-bpe", "qwen2"), tokens by id, token types
  (added special tokens CONTROL, other added tokens USER_DEFINED), merges as "left right" strings
  (`get_vocab_base` / `_set_vocab_gpt2`);
- llama2 (SentencePiece BPE with byte fallback): "llama", tokens, scores and types as
  `_set_vocab_sentencepiece` writes them from a `tokenizer.model` (byte tokens BYTE, <unk> UNKNOWN,
  specials CONTROL). The golden holds no `tokenizer.model`, so each piece's score is recovered from
  the merges `transformers` derived from the real scores: minus the rank of the first merge forming
  it (0 for pieces no merge forms), which orders the pieces as the real scores do;
- wordpiece (BERT): "bert", tokens in llama.cpp's phantom-space form (`BertModel.set_vocab`:
  `##x` -> `x`, `[X]` unchanged, any other `x` -> `▁x`), with cls/sep/unk/pad/mask ids.

The files are written gzip-compressed as NAME.gguf.gz (the tests unpack them). Needs `gguf` only.
"""
import gzip
import json
import os
import re
import sys

import gguf

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDENS = os.path.join(ROOT, "Tests/TokenizationTests/Goldens/tokenizers")
T = gguf.TokenType


def load(name):
    with gzip.open(os.path.join(GOLDENS, name + ".json.gz"), "rt", encoding="utf-8") as f:
        return json.load(f)


def tokens_by_id(document):
    by_id = {i: t for t, i in document["model"]["vocab"].items()}
    added = {a["id"]: a for a in document["added_tokens"]}
    for i, a in added.items():
        by_id[i] = a["content"]
    return [by_id[i] for i in range(max(by_id) + 1)], added


def writer(path):
    return gguf.GGUFWriter(path, "llama")


def finish(w, path, compress=True):
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    if not compress:
        return
    with open(path, "rb") as source, open(path + ".gz", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as target:
        target.write(source.read())
    os.remove(path)


def byte_level(name, pre, output, bos=None, add_bos=None):
    write_byte_level(load(name), os.path.join(output, name + ".gguf"), pre, bos, add_bos)


def write_byte_level(document, path, pre, bos=None, add_bos=None, compress=True):
    """Writes the byte-level BPE `document` (a parsed tokenizer.json) as a GGUF at `path` (+ .gz when `compress`)."""
    tokens, added = tokens_by_id(document)
    types = [(T.CONTROL if added[i]["special"] else T.USER_DEFINED) if i in added else T.NORMAL for i in range(len(tokens))]
    merges = [" ".join(m) if isinstance(m, list) else m for m in document["model"]["merges"]]
    w = writer(path)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre(pre)
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(merges)
    if bos is not None:
        w.add_bos_token_id(tokens.index(bos))
        w.add_eos_token_id(tokens.index(bos))
    if add_bos is not None:
        w.add_add_bos_token(add_bos)
    finish(w, path, compress)


def sentencepiece(name, output):
    document = load(name)
    tokens, added = tokens_by_id(document)
    def kind(i, t):
        if t == document["model"]["unk_token"]:
            return T.UNKNOWN
        if i in added:
            return T.CONTROL if added[i]["special"] else T.USER_DEFINED
        return T.BYTE if re.fullmatch(r"<0x[0-9A-F]{2}>", t) else T.NORMAL
    path = os.path.join(output, name + ".gguf")
    w = writer(path)
    w.add_tokenizer_model("llama")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    first_merge = {}
    for rank, merge in enumerate(document["model"]["merges"]):
        first_merge.setdefault("".join(merge if isinstance(merge, list) else merge.split(" ")), rank)
    w.add_token_scores([-float(first_merge.get(t, 0)) for t in tokens])
    w.add_token_types([kind(i, t) for i, t in enumerate(tokens)])
    w.add_bos_token_id(tokens.index("<s>"))
    w.add_eos_token_id(tokens.index("</s>"))
    w.add_unk_token_id(tokens.index("<unk>"))
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)
    finish(w, path)


def wordpiece(name, output):
    document = load(name)
    tokens, added = tokens_by_id(document)
    def phantom(t):
        if t.startswith("[") and t.endswith("]"):
            return t
        return t[2:] if t.startswith("##") else "\u2581" + t
    path = os.path.join(output, name + ".gguf")
    w = writer(path)
    w.add_tokenizer_model("bert")
    w.add_token_list([phantom(t) for t in tokens])
    w.add_token_types([T.CONTROL if i in added and added[i]["special"] else T.NORMAL for i in range(len(tokens))])
    for key, token in [("unknown", "[UNK]"), ("cls", "[CLS]"), ("seperator", "[SEP]"), ("padding", "[PAD]"), ("mask", "[MASK]")]:
        w.add_uint32(f"tokenizer.ggml.{key}_token_id", tokens.index(token))
    finish(w, path)


def main():
    output = sys.argv[1]
    os.makedirs(output, exist_ok=True)
    byte_level("gpt2", "gpt-2", output, bos="<|endoftext|>")
    byte_level("trained-llama3", "llama-bpe", output, bos="<|begin_of_text|>", add_bos=True)
    byte_level("trained-qwen2", "qwen2", output)
    sentencepiece("llama2", output)
    wordpiece("wordpiece", output)


if __name__ == "__main__":
    main()
