#!/usr/bin/env python3
"""Check a TransMI output against an independent computation with PyICU and numpy.

    python tools/oracle/check_transmi.py SOURCE_DIR OUTPUT_DIR MODE [--tensor NAME] [--transform ID]

Transliterates every vocabulary entry that has a letter outside ASCII with PyICU (ICU's C++ API
through Python, not Polytoken's), removes spaces, combining marks and modifier letters,
keeps the word-start marker, and groups the source tokens by result. Every transliteration that
is not a source token must be a new token, with its group in the provenance, its Unigram score by
MODE (max, min or mean of the group's scores), and its row equal to the row of the group's most
(max) or least (min) probable token, or the mean of the group's rows (average), within one unit
in the last place of the stored dtype.
"""
import argparse
import json
import os
import sqlite3
import unicodedata

import icu

import numpy as np
from safetensors.numpy import load_file


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("output")
    parser.add_argument("mode")
    parser.add_argument("--tensor")
    parser.add_argument("--transform", default="Any-Latin; Latin-ASCII")
    args = parser.parse_args()
    document = json.load(open(os.path.join(args.source, "tokenizer.json"), encoding="utf-8"))
    model = document["model"]
    unigram = model["type"] == "Unigram"
    pieces = [(p, s) for p, s in model["vocab"]] if unigram else sorted(model["vocab"].items(), key=lambda kv: kv[1])
    scores = {i: p[1] for i, p in enumerate(pieces)} if unigram else None
    tokens = [p for p, _ in pieces]
    added = {t["content"] for t in document.get("added_tokens", [])}
    candidates = []
    for id_, token in enumerate(tokens):
        if token in added or (len(token) == 6 and token.startswith("<0x") and token.endswith(">")):
            continue
        marker = token.startswith("\u2581")
        body = token[1:] if marker else token
        if any(ord(c) > 127 and unicodedata.category(c).startswith("L") for c in body):
            candidates.append((id_, marker, body))
    transliterator = icu.Transliterator.createInstance(args.transform)
    result = [transliterator.transliterate(body) for _, _, body in candidates]
    vocabulary = set(tokens) | added
    groups = {}
    for (id_, marker, body), out in zip(candidates, result):
        cleaned = "".join(c for c in out if not c.isspace() and not unicodedata.category(c).startswith("M") and unicodedata.category(c) != "Lm")
        if not cleaned or cleaned == body:
            continue
        new = ("\u2581" if marker else "") + cleaned
        if new not in vocabulary:
            groups.setdefault(new, []).append(id_)
    database = sqlite3.connect(os.path.join(args.output, "provenance.sqlite"))
    records = {token: (id_, method) for id_, token, method in database.execute("SELECT id, token, method FROM tokens")}
    sources = {}
    for token_id, source_id, weight in database.execute("SELECT token_id, source_id, weight FROM sources"):
        sources.setdefault(token_id, {})[source_id] = weight
    expanded = json.load(open(os.path.join(args.output, "tokenizer.json"), encoding="utf-8"))["model"]
    new_scores = {p: s for p, s in expanded["vocab"]} if unigram else None
    before = next(iter(load_file(os.path.join(args.source, "model.safetensors")).items())) if not args.tensor else \
        (args.tensor, load_file(os.path.join(args.source, "model.safetensors"))[args.tensor])
    name, E = before
    after = load_file(os.path.join(args.output, "model.safetensors"))[name]
    rank = (lambda i: scores[i]) if unigram else (lambda i: -i)
    for new, group in groups.items():
        assert new in records, f"{new!r} is missing"
        id_, method = records[new]
        assert method == f"transmi-{args.mode}", (new, method)
        if args.mode == "max":
            chosen = {max(group, key=lambda i: (rank(i), -i)): 1.0}
        elif args.mode == "min":
            chosen = {min(group, key=lambda i: (rank(i), -i)): 1.0}
        else:
            chosen = {i: 1 / len(group) for i in group}
        assert set(sources[id_]) == set(chosen) and all(abs(sources[id_][k] - v) < 1e-12 for k, v in chosen.items()), new
        if unigram:
            expected = {"max": max, "min": min}.get(args.mode, lambda xs: sum(xs) / len(xs))([scores[i] for i in group])
            assert abs(new_scores[new] - expected) < 1e-9, (new, new_scores[new], expected)
        row = sum(w * E[i].astype(np.float64) for i, w in chosen.items())
        stored = np.asarray(row, dtype=E.dtype)
        assert np.all(np.abs(after[id_].astype(np.float64) - stored.astype(np.float64)) <= np.abs(np.spacing(stored)).astype(np.float64)), new
    print(f"{args.output}: {len(groups)} transliterated tokens, groups, scores and rows agree with PyICU and numpy")


if __name__ == "__main__":
    main()
