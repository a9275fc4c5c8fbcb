#!/usr/bin/env python3
"""Check a TransMI output against an independent computation with PyICU and numpy.

    python tools/oracle/check_transmi.py SOURCE_DIR OUTPUT_DIR MODE [--tensor NAME] [--transform ID]
        [--static-model-package DIR] [--fewer-tokens TEXT_FILE ...]

Transliterates every vocabulary entry that has a letter outside ASCII with PyICU (ICU's C++ API
through Python, not Polytoken's), removes spaces, combining marks and modifier letters,
keeps the word-start marker, and groups the source tokens by result. Every transliteration that
is not a source token must be a new token, with its group in the provenance, its Unigram score by
MODE (max, min or mean of the group's scores), and its row equal to the row of the group's most
(max) or least (min) probable token, or the mean of the group's rows (average), within one unit
in the last place of the stored dtype.

A static model with a quantized vocabulary (model2vec: `embeddings` cluster rows, `mapping`,
`weights`; token t's vector is weights[t] * embeddings[mapping[t]]) is checked on those vectors:
max/min copy the chosen token's cluster and weight exactly; an average whose group shares one
cluster keeps it with the mean weight, any other gets a new I8 cluster row round(v / s) with weight
s = max|v| / 127. With --static-model-package (the directory holding tokenlearn's `static_model`
package), its native encoder must load the output and embed text as numpy does from the tables.
With --fewer-tokens, each file transliterated by PyICU must need fewer tokens per word with the
output tokenizer than with the source one (both run by Hugging Face tokenizers), and each file as it
is must tokenize identically where it has no ASCII letter (new Latin pieces may rightly apply to
Latin words).
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
    parser.add_argument("--static-model-package")
    parser.add_argument("--fewer-tokens", nargs="*", default=[])
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
    source_tensors = load_file(os.path.join(args.source, "model.safetensors"))
    output_tensors = load_file(os.path.join(args.output, "model.safetensors"))
    quantized = "mapping" in source_tensors and not args.tensor
    if quantized:
        E = static_vectors(source_tensors)
        after = static_vectors(output_tensors)
    else:
        name = args.tensor or next(iter(source_tensors))
        E, after = source_tensors[name], output_tensors[name]
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
        if quantized:
            check_static_row(source_tensors, output_tensors, id_, chosen, row, new)
            continue
        stored = np.asarray(row, dtype=E.dtype)
        assert np.all(np.abs(after[id_].astype(np.float64) - stored.astype(np.float64)) <= np.abs(np.spacing(stored)).astype(np.float64)), new
    if quantized:
        kept = len(source_tensors["mapping"])
        assert np.array_equal(output_tensors["mapping"][:kept], source_tensors["mapping"]), "source tokens' clusters changed"
        assert np.array_equal(output_tensors["weights"][:kept], source_tensors["weights"]), "source tokens' weights changed"
        assert np.array_equal(output_tensors["embeddings"][:len(source_tensors["embeddings"])], source_tensors["embeddings"]), "source clusters changed"
        config = json.load(open(os.path.join(args.output, "config.json")))
        assert config["vocabulary_quantization"] == len(output_tensors["embeddings"]), config
    if args.static_model_package:
        check_static_model_encoder(args.static_model_package, args.output, after, args.fewer_tokens, args.transform)
    for path in args.fewer_tokens:
        check_fewer_tokens(args.source, args.output, path, args.transform)
    print(f"{args.output}: {len(groups)} transliterated tokens, groups, scores and rows agree with PyICU and numpy")


def static_vectors(tensors):
    """Token vectors of a quantized static model, up to the unstored int8 scale."""
    return tensors["embeddings"].astype(np.float64)[tensors["mapping"]] * tensors["weights"].astype(np.float64)[:, None]


def check_static_row(source, output, id_, chosen, row, new):
    mapping, weights = output["mapping"][id_], output["weights"][id_]
    clusters = {int(source["mapping"][i]) for i in chosen}
    if len(clusters) == 1:
        expected_weight = np.float32(sum(w * np.float64(source["weights"][i]) for i, w in chosen.items()))
        assert mapping == clusters.pop() and weights == expected_weight, (new, mapping, weights, expected_weight)
        return
    assert mapping >= len(source["embeddings"]), (new, "a mixed group needs a cluster row of its own")
    scale = np.abs(row).max() / 127
    assert weights == np.float32(scale), (new, weights, scale)
    quantized = output["embeddings"][mapping].astype(np.float64)
    assert np.all(np.abs(quantized - row / scale) <= 0.5 + 1e-9), (new, "cluster row is not round(v / s)")


def check_static_model_encoder(package, output, vectors, files, transform):
    import sys
    from tokenizers import Tokenizer
    sys.path.insert(0, package)
    from static_model._static_model import encode_batch
    tokenizer = Tokenizer.from_file(os.path.join(output, "tokenizer.json"))
    transliterator = icu.Transliterator.createInstance(transform)
    texts = [line.strip() for path in files for line in open(path, encoding="utf-8").readlines()[:50] if line.strip()]
    texts += [transliterator.transliterate(t) for t in texts]
    embedded = np.asarray(encode_batch(output, texts, 512), dtype=np.float64)
    for text, got in zip(texts, embedded):
        ids = tokenizer.encode(text, add_special_tokens=False).ids[:512]
        expected = vectors[ids].mean(axis=0)
        expected /= np.linalg.norm(expected)
        assert np.abs(got - expected).max() < 1e-5, (text, np.abs(got - expected).max())
    print(f"{output}: the static model's own encoder loads it and embeds {len(texts)} lines as numpy does from its tables")


def check_fewer_tokens(source, output, path, transform):
    from tokenizers import Tokenizer
    before = Tokenizer.from_file(os.path.join(source, "tokenizer.json"))
    after = Tokenizer.from_file(os.path.join(output, "tokenizer.json"))
    lines = [line.rstrip("\n") for line in open(path, encoding="utf-8")]
    original = [line for line in lines if not any(c.isascii() and c.isalpha() for c in line)]
    for line in original:
        assert before.encode(line).ids == after.encode(line).ids, (path, line)
    transliterator = icu.Transliterator.createInstance(transform)
    romanized = [transliterator.transliterate(line) for line in lines]
    words = sum(len(line.split()) for line in romanized)
    counts = [sum(len(t.encode(line, add_special_tokens=False).ids) for line in romanized) for t in (before, after)]
    assert counts[1] < counts[0], (path, counts)
    print(f"{path}: transliterated, {counts[0] / words:.3f} tokens per word before and {counts[1] / words:.3f} after; "
          f"the {len(original)} lines with no ASCII letter tokenize as before")


if __name__ == "__main__":
    main()
