#!/usr/bin/env python3
"""Check an expanded model directory against its source with independent tools.

    python tools/oracle/check_expansion.py SOURCE_DIR EXPANDED_DIR TEXT_FILE... [--protected FILE LINES]

- the output loads with `safetensors` and `tokenizers`;
- every tensor other than the resized ones is byte-identical, every source row of the
  resized ones is bit-identical, and `config.json`'s vocab_size equals the new row count;
- every source token keeps its id, every source merge is unchanged and first;
- the rows of tokens initialized by mean, merge or align equal the weighted sums the
  provenance database records, recomputed with numpy (within 1e-6 after rounding to the dtype),
  less the recorded `centering` times the mean source row in the recorded `centered_tensor`;
  for mean and merge, the recorded weights themselves are recomputed from the tokenizers
  (mean: equal weights over the source model's segmentation; merge: the binary tree);
- every new token is reachable: `tokenizers`' model, with `ignore_merges` off, turns the token's own
  string into that token;
- decoding the encoding of every line of the texts gives the line back, with both tokenizers;
- with `--protected FILE LINES`, the first LINES lines of FILE (the expansion's protected text)
  encode to the same ids with both tokenizers; the other lines of FILE that changed are counted.
"""
import json
import os
import sqlite3
import sys

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer


def tensors(directory):
    index = os.path.join(directory, "model.safetensors.index.json")
    names = sorted(set(json.load(open(index))["weight_map"].values())) if os.path.exists(index) else ["model.safetensors"]
    result = {}
    for name in names:
        result.update(load_file(os.path.join(directory, name)))
    return result


def merges(document):
    return [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in document["model"]["merges"]]


def main(source_dir, expanded_dir, *texts):
    protected = None
    if "--protected" in texts:
        at = texts.index("--protected")
        protected = (texts[at + 1], int(texts[at + 2]))
        texts = texts[:at] + texts[at + 3:]
    source_doc = json.load(open(os.path.join(source_dir, "tokenizer.json")))
    expanded_doc = json.load(open(os.path.join(expanded_dir, "tokenizer.json")))
    source_tok = Tokenizer.from_file(os.path.join(source_dir, "tokenizer.json"))
    expanded_tok = Tokenizer.from_file(os.path.join(expanded_dir, "tokenizer.json"))
    for token, id_ in source_doc["model"]["vocab"].items():
        assert expanded_doc["model"]["vocab"][token] == id_, f"source token {token!r} changed id"
    source_merges, expanded_merges = merges(source_doc), merges(expanded_doc)
    source_vocab, vocab = source_doc["model"]["vocab"], expanded_doc["model"]["vocab"]
    # The source merges stay in order, before the new tokens' merges. Beside a SentencePiece model
    # (tokenizer.model), merges forming a source token from a new one join them, as sentencepiece makes them.
    first_new = next((i for i, m in enumerate(expanded_merges) if m[0] + m[1] not in source_vocab), len(expanded_merges))
    assert all(m[0] + m[1] not in source_vocab for m in expanded_merges[first_new:]), "a merge forming a source token follows new ones"
    joined = [m for m in expanded_merges[:first_new] if not (m[0] in source_vocab and m[1] in source_vocab)]
    assert [m for m in expanded_merges[:first_new] if m not in joined] == source_merges, "a source merge changed"
    assert not joined or os.path.exists(os.path.join(expanded_dir, "tokenizer.model")), "merges joined the source ones without a tokenizer.model"

    before, after = tensors(source_dir), tensors(expanded_dir)
    assert before.keys() == after.keys()
    rows = json.load(open(os.path.join(expanded_dir, "config.json")))["vocab_size"]
    resized = [name for name in before if before[name].shape != after[name].shape]
    assert resized, "no tensor was resized"
    for name, value in before.items():
        if name in resized:
            assert after[name].shape[0] == rows, f"{name} has {after[name].shape[0]} rows, config says {rows}"
            assert after[name].dtype == value.dtype
            assert after[name][: value.shape[0]].tobytes() == value.tobytes(), f"source rows of {name} changed"
        else:
            assert after[name].tobytes() == value.tobytes(), f"{name} changed"

    database = sqlite3.connect(os.path.join(expanded_dir, "provenance.sqlite"))
    records = database.execute("SELECT id, token, method FROM tokens ORDER BY id").fetchall()
    sources = {}
    for token_id, source_id, weight in database.execute("SELECT token_id, source_id, weight FROM sources"):
        sources.setdefault(token_id, []).append((source_id, weight))
    merge_of = {}
    for a, b in expanded_merges:
        if a + b not in source_vocab:
            merge_of.setdefault(a + b, (a, b))
    source_count = len(source_doc["model"]["vocab"])

    def mean_weights(token):
        ids = [t.id for t in source_tok.model.tokenize(token)]
        result = {}
        for id_ in ids:
            result[id_] = result.get(id_, 0) + 1 / len(ids)
        return result

    def tree(token):
        if vocab[token] < source_count:
            return {vocab[token]: 1.0}
        if token not in merge_of:
            return mean_weights(token)
        halves = [tree(part) for part in merge_of[token]]
        if None in halves:
            return None
        result = {}
        for half in halves:
            for key, value in half.items():
                result[key] = result.get(key, 0) + value / 2
        return result

    def same(a, b):
        return all(abs(a.get(k, 0) - b.get(k, 0)) < 1e-12 for k in set(a) | set(b))

    settings = dict(database.execute("SELECT key, value FROM settings").fetchall())
    centering = float(settings.get("centering", 0))
    centered = settings.get("centered_tensor")
    assert (centering == 0) == (centered is None), f"centering {centering} recorded with centered tensor {centered}"
    assert centered is None or centered in resized, f"the centered tensor {centered} was not resized"

    checked = {"mean": 0, "merge": 0, "align": 0}
    for token_id, token, method in records:
        if method == "random":
            continue
        weights = dict(sources[token_id])
        assert abs(sum(weights.values()) - 1) < 1e-9, f"weights of {token!r} do not sum to 1"
        if method == "merge":
            assert same(tree(token), weights), f"merge weights of {token!r} are not the binary tree"
        if method == "mean":
            assert same(mean_weights(token), weights), f"mean weights of {token!r} are not its source segmentation"
        for name in resized:
            matrix = before[name].astype(np.float64)
            expected_row = sum(weight * matrix[source_id] for source_id, weight in weights.items())
            if name == centered and (method in checked or method.startswith("transtokenize")):
                expected_row = expected_row - centering * matrix.mean(axis=0)
            actual = after[name][token_id].astype(np.float64)
            rounded = np.asarray(expected_row, dtype=before[name].dtype).astype(np.float64)
            assert np.all(np.abs(actual - rounded) <= 1e-6 + 1e-3 * np.abs(rounded)), f"row of {token!r} in {name} differs"
        checked[method] += 1

    # With ignore_merges the model finds every vocabulary string whole: reachability is through the merges.
    merging = json.loads(json.dumps(expanded_doc))
    merging["model"]["ignore_merges"] = False
    merging_tok = Tokenizer.from_str(json.dumps(merging))
    unreachable = [token for token_id, token, _ in records if [t.id for t in merging_tok.model.tokenize(token)] != [token_id]]
    assert not unreachable, f"{len(unreachable)} new tokens are unreachable, such as {unreachable[:5]}"

    changed = 0
    if protected:
        path, count = protected
        for number, line in enumerate(open(path, encoding="utf-8").read().split("\n")):
            same_ids = source_tok.encode(line, add_special_tokens=False).ids == expanded_tok.encode(line, add_special_tokens=False).ids
            assert same_ids or number >= count, f"protected line {number + 1} of {path} encodes differently: {line[:80]!r}"
            changed += not same_ids

    for path in texts:
        for line in open(path, encoding="utf-8").read().split("\n"):
            for tokenizer in (source_tok, expanded_tok):
                ids = tokenizer.encode(line, add_special_tokens=False).ids
                assert tokenizer.decode(ids) == line, f"decoding does not give back {line!r}"
    print(f"{expanded_dir}: {len(records)} new tokens, all reachable, rows checked {checked}, {len(resized)} tensors resized, "
          + (f"protected lines unchanged ({changed} later lines of {protected[0]} changed), " if protected else "") + "all checks passed")


if __name__ == "__main__":
    main(*sys.argv[1:])
