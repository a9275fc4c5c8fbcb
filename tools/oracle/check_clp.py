#!/usr/bin/env python3
"""Check CLP-Transfer output against an independent numpy implementation of the reference formula.

    python tools/oracle/check_clp.py SOURCE_DIR HELPER_DIR OUTPUT_DIR [--match exact|decoded]
        [--source-tensor NAME] [--helper-tensor NAME]

Recomputes, with numpy in float64, the anchors (source tokens the helper shares, matched by exact
string or by decoded text and word start) and, for every row the provenance says came from `clp`,
`w = cos(h(t), h(anchors)) / sum(cos)` and `sum_j w_j E_source[anchor_j]` (malteos/clp-transfer,
`apply_clp`). Rows must agree within 1e-5 before rounding to the stored dtype (one unit in the
last place of that dtype after), and be no longer than the longest source row; every row the
provenance says was refused as `clp` must be longer (Polytoken's row check). In replacement mode
(the output has the helper's tokenizer) `copy` rows must be bit-identical to the source rows.
"""
import argparse
import json
import os
import sqlite3

import numpy as np
from safetensors.numpy import load_file

NAMES = ["model.embed_tokens.weight", "transformer.wte.weight", "embeddings.word_embeddings.weight", "embedding.weight"]


def printable_bytes():
    table, extra = {}, 0
    for byte in range(256):
        if 0x21 <= byte <= 0x7E or 0xA1 <= byte <= 0xAC or 0xAE <= byte <= 0xFF:
            table[chr(byte)] = byte
        else:
            table[chr(256 + extra)] = byte
            extra += 1
    return table


BYTES = printable_bytes()


def vocabulary(directory):
    document = json.load(open(os.path.join(directory, "tokenizer.json"), encoding="utf-8"))
    model = document["model"]
    vocab = model["vocab"]
    pairs = list(vocab.items()) if isinstance(vocab, dict) else [(piece[0], i) for i, piece in enumerate(vocab)]
    pairs += [(token["content"], token["id"]) for token in document.get("added_tokens", [])]
    strings = {token for token, _ in pairs}
    if model.get("type") == "WordPiece":
        convention = ("wordpiece", model.get("continuing_subword_prefix", "##"))
    elif all(c in strings for c in BYTES):
        convention = ("bytelevel", None)
    elif any(token.startswith("\u2581") for token in strings):
        convention = ("metaspace", None)
    else:
        convention = ("plain", None)
    return pairs, convention


def key(token, convention, match):
    if match == "exact":
        return token
    kind, prefix = convention
    if kind == "bytelevel":
        if not all(c in BYTES for c in token):
            return token
        data = bytes(BYTES[c] for c in token)
        return (True, data[1:]) if data.startswith(b" ") else (False, data)
    if kind == "metaspace":
        if len(token) == 6 and token.startswith("<0x") and token.endswith(">"):
            return ("byte", int(token[3:5], 16))
        return (True, token[1:].encode()) if token.startswith("\u2581") else (False, token.encode())
    if kind == "wordpiece":
        return (False, token[len(prefix):].encode()) if token.startswith(prefix) else (True, token.encode())
    return (False, token.encode())


def matrix(directory, preferred):
    tensors = {}
    for name in os.listdir(directory):
        if name.endswith(".safetensors"):
            tensors.update(load_file(os.path.join(directory, name)))
    name = preferred or next(n for n in NAMES if n in tensors)
    return tensors[name]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("helper")
    parser.add_argument("output")
    parser.add_argument("--match", default="exact")
    parser.add_argument("--source-tensor")
    parser.add_argument("--helper-tensor")
    args = parser.parse_args()
    source_pairs, source_convention = vocabulary(args.source)
    helper_pairs, helper_convention = vocabulary(args.helper)
    E = matrix(args.source, args.source_tensor)
    H = matrix(args.helper, args.helper_tensor).astype(np.float64)
    out = matrix(args.output, args.source_tensor)
    source_by_key = {}
    for token, id_ in sorted(source_pairs, key=lambda pair: pair[1]):
        if id_ < E.shape[0]:
            source_by_key.setdefault(key(token, source_convention, args.match), id_)
    helper_by_key = {}
    for token, id_ in helper_pairs:
        helper_by_key.setdefault(key(token, helper_convention, args.match), id_)
    replacement = os.path.exists(os.path.join(args.output, "tokenizer.json")) and \
        json.load(open(os.path.join(args.output, "tokenizer.json")))["model"] == json.load(open(os.path.join(args.helper, "tokenizer.json")))["model"]
    if replacement:
        helper_tokens = {}
        for token, id_ in helper_pairs:
            helper_tokens.setdefault(id_, token)
        anchors = sorted((h, source_by_key[key(helper_tokens[h], helper_convention, args.match)]) for h in range(H.shape[0])
                         if h in helper_tokens and key(helper_tokens[h], helper_convention, args.match) in source_by_key)
    else:
        anchors = sorted((helper_by_key[k], s) for k, s in source_by_key.items() if k in helper_by_key and helper_by_key[k] < H.shape[0])
        anchors = sorted({s: (h, s) for h, s in anchors}.values(), key=lambda pair: pair[1])
    anchor_helper = np.array([h for h, _ in anchors])
    anchor_source = np.array([s for _, s in anchors])
    unit = H / np.maximum(np.linalg.norm(H, axis=1, keepdims=True), 1e-300)
    Es = E.astype(np.float64)[anchor_source]
    database = sqlite3.connect(os.path.join(args.output, "provenance.sqlite"))
    rows = database.execute("SELECT id, token, method FROM tokens ORDER BY id").fetchall()
    checked = {"copy": 0, "clp": 0, "clp refused": 0}
    refused = {token_id for (token_id,) in database.execute("SELECT token_id FROM rejections WHERE method = 'clp'")}
    longest = np.sqrt((E.astype(np.float64) ** 2).sum(axis=1)).max()
    for row_id, token, method in rows:
        if row_id in refused:
            helper_id = row_id if replacement else helper_by_key[key(token, source_convention, args.match)]
            similarities = unit[anchor_helper] @ unit[helper_id]
            norm = np.linalg.norm((similarities / similarities.sum()) @ Es)
            assert norm > longest, f"CLP row {row_id} ({token!r}) was refused, but its norm {norm} is within {longest}"
            checked["clp refused"] += 1
        if method == "copy":
            source_id = database.execute("SELECT source_id FROM sources WHERE token_id = ?", (row_id,)).fetchone()[0]
            assert out[row_id].tobytes() == E[source_id].tobytes(), f"copied row {row_id} differs"
            checked["copy"] += 1
        elif method == "clp":
            helper_id = row_id if replacement else helper_by_key[key(token, source_convention, args.match)]
            similarities = unit[anchor_helper] @ unit[helper_id]
            weights = similarities / similarities.sum()
            expected = weights @ Es
            stored = np.asarray(expected, dtype=E.dtype).astype(np.float64)
            tolerance = 1e-5 + np.abs(np.spacing(np.asarray(stored, dtype=E.dtype))).astype(np.float64)
            difference = np.abs(out[row_id].astype(np.float64) - stored)
            assert np.all(difference <= tolerance), f"CLP row {row_id} ({token!r}) differs by {difference.max()}"
            assert np.linalg.norm(expected) <= longest, f"CLP row {row_id} ({token!r}) is longer than any source row"
            checked["clp"] += 1
    assert checked["clp"] > 0, "no CLP row to check"
    print(f"{args.output}: {len(anchors)} anchors; rows checked {checked}; all equal the numpy reference")


if __name__ == "__main__":
    main()
