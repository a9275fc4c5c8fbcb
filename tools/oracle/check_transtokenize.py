#!/usr/bin/env python3
"""Check Polytoken's word aligner and trans-tokenization mapping against independent computations.

    python tools/oracle/check_transtokenize.py SOURCE_TOKENIZER TARGET_TOKENIZER PARALLEL.tsv TABLE.sqlite
        [--model ibm1|diagonal] [--iterations 6] [--output MODEL_DIR --source-model DIR [--tensor NAME] [--minimum-count 10]
         [--expansion]]

Alignment: both sides of the TSV are tokenized by Hugging Face `tokenizers`, tokens grouped into words
by the reference's rule (a token joins the previous one when it has no word-start marker, starts with
a letter after the continuation marker, and the previous token ends with a letter), and a plain Python
EM (IBM Model 1 with NULL, or fast_align's diagonal prior with p0 = 0.08 and tension tuning) gives the
soft counts of the last iteration. Every pair stored in TABLE.sqlite must have the same count within
1e-6, and the stored pairs must be exactly those with t(f|e) >= max_f' t(f'|e)^4.

Mapping (with --output): the reference recipe (`map_tokens` and `smooth_mapping` of
LAGoM-NLP/transtokenizer) is recomputed from the stored table, and each target token's weights in the
provenance database, and its row in the output, must agree.

Expansion mode (--expansion, with TARGET_TOKENIZER the expanded MODEL_DIR/tokenizer.json): the recipe maps
the expanded vocabulary; every new token it maps must carry its weights, row and entry in
token_mapping.json, the others a heuristic method (so must a mapped token whose row Polytoken's row
check refused, and the recipe must put more than half of its weight on one token), and every source
row must be unchanged.
"""
import argparse
import json
import math
import os
import sqlite3
import sys
import unicodedata

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_clp import key as decoded_key, vocabulary  # noqa: E402


def markers(tokenizer):
    first = tokenizer.encode(" a", add_special_tokens=False).tokens
    second = tokenizer.encode("a" * 22, add_special_tokens=False).tokens
    return (first[0].rstrip("a") if first else ""), (second[1].rstrip("a") if len(second) > 1 else "")


def is_letter(c):
    return c == "\ufffd" or unicodedata.category(c).startswith("L")


def word_rule(tokenizer):
    start, continuation = markers(tokenizer)
    special = {t.content for t in tokenizer.get_added_tokens_decoder().values()}
    joins, ends = {}, {}
    for token, id_ in tokenizer.get_vocab(with_added_tokens=True).items():
        if token in special:
            joins[id_] = ends[id_] = False
            continue
        text = tokenizer.decode([id_], skip_special_tokens=False).lstrip()
        if continuation and text.startswith(continuation):
            text = text[len(continuation):]
        ends[id_] = bool(text) and is_letter(text[-1])
        marked = bool(start) and token.startswith(start)
        continues = token.startswith(continuation) if continuation else bool(start)
        joins[id_] = not marked and continues and bool(text) and is_letter(text[0])
    return joins, ends


def words(ids, rule):
    joins, ends = rule
    units, current = [], []
    for index, id_ in enumerate(ids):
        if index > 0 and not (joins[id_] and ends[ids[index - 1]]):
            units.append(tuple(current))
            current = []
        current.append(id_)
    if current:
        units.append(tuple(current))
    return units


def corpus(path, source, target, max_tokens, max_ratio):
    rules = word_rule(source), word_rule(target)
    pairs = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\r\n")
        if "\t" not in line:
            continue
        left, right = line.split("\t", 1)
        left, right = left.strip(" \t"), right.strip(" \t")
        if not left or not right or left == right:
            continue
        a = source.encode(left, add_special_tokens=False).ids
        b = target.encode(right, add_special_tokens=False).ids
        if not a or not b or max(len(a), len(b)) > max_tokens or max(len(a), len(b)) / max(1, min(len(a), len(b))) > max_ratio:
            continue
        pairs.append((words(a, rules[0]), words(b, rules[1])))
    return pairs


def feature(j, i, m, n):
    return -abs(i / n - j / m)


def em(pairs, model, iterations, p0=0.08, tension=4.0):
    t = {}
    lengths = {}
    for e, f in pairs:
        lengths[(len(f), len(e))] = lengths.get((len(f), len(e)), 0) + 1
    tokens = sum(len(f) for _, f in pairs)
    for iteration in range(iterations):
        counts = {}
        empirical = 0.0
        for e, f in pairs:
            n, m = len(e), len(f)
            for j, fj in enumerate(f):
                sources = [None] + list(e)
                if model == "diagonal":
                    weights = [math.exp(tension * feature(j + 1, i, m, n)) for i in range(1, n + 1)]
                    z = sum(weights)
                    prior = [p0] + [(1 - p0) * w / z for w in weights]
                else:
                    prior = [1 / (n + 1)] * (n + 1)
                probs = [prior[i] * t.get((sources[i], fj), 1.0) for i in range(n + 1)]
                total = sum(probs)
                for i in range(n + 1):
                    counts[(sources[i], fj)] = counts.get((sources[i], fj), 0.0) + probs[i] / total
                    if model == "diagonal" and i > 0:
                        empirical += feature(j + 1, i, m, n) * probs[i] / total
        last = iteration == iterations - 1
        if model == "diagonal" and iteration > 0 and not last:
            empirical /= tokens
            for _ in range(8):
                expected = 0.0
                for (m, n), count in lengths.items():
                    for j in range(1, m + 1):
                        h = [feature(j, i, m, n) for i in range(1, n + 1)]
                        w = [math.exp(tension * x) for x in h]
                        expected += count * sum(a * b for a, b in zip(h, w)) / sum(w)
                tension = min(14.0, max(0.1, tension + 20 * (empirical - expected / tokens)))
        totals = {}
        for (e, _), c in counts.items():
            totals[e] = totals.get(e, 0.0) + c
        t = {k: c / (totals[k[0]] or 1) for k, c in counts.items()}
    return counts, t


def stored_table(path):
    database = sqlite3.connect(path)
    units = {"source": {}, "target": {}}
    for side, id_, tokens in database.execute("SELECT side, id, tokens FROM units"):
        units[side][id_] = tuple(int(x) for x in tokens.split())
    pairs = [(None if s is None else units["source"][s], units["target"][t], c, p)
             for s, t, c, p in database.execute("SELECT source, target, count, probability FROM pairs")]
    return units, pairs


def check_alignment(args, source, target):
    pairs = corpus(args.parallel, source, target, args.max_tokens, args.max_ratio)
    counts, t = em(pairs, args.model, args.iterations)
    _, stored = stored_table(args.table)
    best = {}
    for (e, _), p in t.items():
        best[e] = max(best.get(e, 0.0), p)
    expected = {k for k, p in t.items() if p > 0 and math.log(p) >= 4 * math.log(best[k[0]]) - 1e-12}
    keys = set()
    worst = 0.0
    for e, f, count, probability in stored:
        keys.add((e, f))
        assert (e, f) in counts, f"pair {(e, f)} is not in the numpy EM table"
        worst = max(worst, abs(counts[(e, f)] - count))
        assert abs(counts[(e, f)] - count) <= 1e-6, ((e, f), counts[(e, f)], count)
        assert abs(t[(e, f)] - probability) <= 1e-9, ((e, f), t[(e, f)], probability)
    missing = [k for k in expected - keys if t[k] > 0 and math.log(t[k]) >= 4 * math.log(best[k[0]]) + 1e-9]
    assert not missing, f"{len(missing)} pairs above the beam are not stored, e.g. {missing[:3]}"
    print(f"{args.table}: {len(stored)} stored pairs of {len(pairs)} sentence pairs ({args.model}, {args.iterations} iterations) "
          f"agree with a plain EM (largest count difference {worst:.2e})")


def roles(tokenizer, directory):
    names = {"pad": ["<pad>", "[PAD]", "<|pad|>", "<|finetune_right_pad_id|>"], "unk": ["<unk>", "[UNK]"],
             "bos": ["<s>", "<bos>", "<|begin_of_text|>", "<|startoftext|>"], "eos": ["</s>", "<eos>", "<|end_of_text|>", "<|endoftext|>"],
             "cls": ["[CLS]", "<cls>"], "sep": ["[SEP]", "<sep>"], "mask": ["[MASK]", "<mask>"]}
    config = os.path.join(directory, "tokenizer_config.json")
    result = {}
    if os.path.exists(config):
        for role, value in json.load(open(config, encoding="utf-8")).items():
            if role.endswith("_token") and role[:-6] in names and value is not None:
                result[role[:-6]] = value["content"] if isinstance(value, dict) else value
        return result
    special = {t.content for t in tokenizer.get_added_tokens_decoder().values() if t.special}
    for role, candidates in names.items():
        found = [c for c in candidates if c in special]
        if found:
            result[role] = found[0]
    unk = json.loads(tokenizer.to_str())["model"].get("unk_token")
    if unk is not None:
        result["unk"] = unk
    return result


def mapping(args, source, target, source_dir, target_dir):
    _, stored = stored_table(args.table)
    old_vocab = source.get_vocab(with_added_tokens=True)
    new_vocab = target.get_vocab(with_added_tokens=True)
    old_tokens = {i: s for s, i in old_vocab.items()}
    new_tokens = {i: s for s, i in new_vocab.items()}
    size = max(new_tokens) + 1
    c = [dict() for _ in range(size)]

    def add(count, new, old):
        if new is None or old is None or new >= size:
            return
        c[new][old] = c[new].get(old, 0) + count

    for e, f, count, _ in stored:
        if e is None:
            continue
        count = int(count)
        if count < args.minimum_count:
            continue
        if len(e) == 1 and len(f) == 1:
            add(count, f[0], e[0])
            continue
        half = max(1, count // 2)
        for new in f:
            for old in e:
                add(max(1, half // len(e)), new, old)
        g = math.gcd(len(e), len(f))
        olds = np.repeat(e, len(f) // g)
        news = np.repeat(f, len(e) // g)
        for old, new in zip(olds, news):
            add(max(1, half // (len(e) // g)), int(new), int(old))

    def first(tokenizer, text):
        ids = tokenizer.encode(text, add_special_tokens=False).ids
        return ids[0] if ids else None

    for number in [str(i) for i in range(9999)] + ["0" + str(i) for i in range(99)]:
        if number in new_vocab:
            add(1, new_vocab[number], old_vocab.get(number, first(source, number)))
        ids = target.encode(number, add_special_tokens=False).ids
        if len(ids) == 1:
            add(1, ids[0], first(source, number))
        ids = target.encode(" " + number, add_special_tokens=False).ids
        if len(ids) == 1:
            add(1, ids[0], first(source, " " + number))
    _, old_convention = vocabulary(source_dir)
    _, new_convention = vocabulary(target_dir)
    by_key = {}
    for i in sorted(old_tokens):
        by_key.setdefault(decoded_key(old_tokens[i], old_convention, "decoded"), i)
    for i in sorted(new_tokens):
        add(1, i, by_key.get(decoded_key(new_tokens[i], new_convention, "decoded")))
    old_roles, new_roles = roles(source, source_dir), roles(target, target_dir)

    def old_id(role):
        token = old_roles.get(role)
        return old_vocab.get(token) if token is not None else None

    fallback = {"bos": "cls", "eos": "sep", "cls": "bos", "sep": "eos", "mask": "pad"}
    for role in ["pad", "unk", "bos", "eos", "cls", "sep", "mask"]:
        token = new_roles.get(role)
        if token is None or token not in new_vocab:
            continue
        chosen = old_id(role)
        if chosen is None and role in fallback:
            chosen = old_id(fallback[role])
        if chosen is None:
            chosen = old_id("unk")
        add(1_000_000_000, new_vocab[token], chosen)

    start, continuation = markers(source)

    def starts_word(old):
        token = old_tokens[old]
        return token.startswith(start) if start else (bool(continuation) and not token.startswith(continuation))

    mapped = [i for i in range(size) if c[i] and new_tokens.get(i)]
    kinds = ["aligned"] * size
    smoothed = {}
    for i in range(size):
        token = new_tokens.get(i)
        if c[i] or not token:
            continue
        similar = [j for j in mapped if new_tokens[j].startswith(token) and new_tokens[j] != token]
        middle = sorted([j for j in mapped if new_tokens[j] in token], key=lambda j: -len(new_tokens[j].encode()))
        middle = [j for k, j in enumerate(middle) if not any(new_tokens[j] in new_tokens[x] for x in middle[:k])]
        if not similar and not middle:
            continue
        result = {}
        for j in similar + middle:
            total = sum(c[j].values())
            for old, count in c[j].items():
                result[old] = result.get(old, 0) + max(1, ((2000 if starts_word(old) else 1000) * count) // total)
        smoothed[i] = result
        kinds[i] = "smoothed"
    for i, result in smoothed.items():
        c[i] = result
    unk_token = new_roles.get("unk")
    unknown = old_vocab.get(unk_token) if unk_token is not None else None
    for role in ["unk", "pad", "bos"]:
        if unknown is None:
            unknown = old_id(role)
    unknown = unknown or 0
    weights = []
    for i in range(size):
        total = sum(c[i].values())
        if total <= 0:
            kinds[i] = "unmapped"
            weights.append({unknown: 1.0})
        else:
            weights.append({old: count / total for old, count in c[i].items()})
    return weights, kinds


def check_mapping(args, source, target):
    target_dir = os.path.dirname(os.path.abspath(args.target_tokenizer))
    weights, kinds = mapping(args, source, target, args.source_model, target_dir)
    database = sqlite3.connect(os.path.join(args.output, "provenance.sqlite"))
    methods = dict(database.execute("SELECT id, method FROM tokens"))
    got = {}
    for token_id, source_id, weight in database.execute("SELECT token_id, source_id, weight FROM sources"):
        got.setdefault(token_id, {})[source_id] = weight
    old = load_file(os.path.join(args.source_model, "model.safetensors"))
    name = args.tensor or next(iter(old))
    E = old[name]
    new = load_file(os.path.join(args.output, "model.safetensors"))[name]
    first = E.shape[0] if args.expansion else 0
    if args.expansion:
        assert np.array_equal(new[:first], E), "source rows changed"
        checked = [i for i in range(first, len(weights)) if kinds[i] != "unmapped"]
        fallback = [i for i in range(first, len(weights)) if kinds[i] == "unmapped"]
        assert all(methods[i] in ("align", "merge", "mean", "random") for i in fallback), [(i, methods[i]) for i in fallback][:5]
        exported = json.load(open(os.path.join(args.output, "token_mapping.json"), encoding="utf-8"))
        new_tokens = {i: s for s, i in target.get_vocab(with_added_tokens=True).items()}
        old_tokens = {i: s for s, i in source.get_vocab(with_added_tokens=True).items()}
        assert [token for token, _ in exported] == [new_tokens[i] for i in checked], "token_mapping.json lists other tokens"
        for (_, pairs), i in zip(exported, checked):
            assert {old_tokens[k]: v for k, v in weights[i].items()} == {t: w for t, w in pairs}, i
    else:
        checked, fallback = list(range(len(weights))), []
        assert new.shape == (len(weights), E.shape[1]), new.shape
    tables = {name for (name,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    refused = {token for (token,) in database.execute("SELECT token_id FROM rejections WHERE method LIKE 'transtokenize%'")} if "rejections" in tables else set()
    for i in checked:
        expected = weights[i]
        if i in refused:
            # Polytoken's row check refuses a row mostly copying one token of the protected text.
            assert args.expansion and methods[i] in ("align", "merge", "mean", "random"), (i, methods[i])
            assert max(expected.values()) > 0.5, (i, "refused, but no token holds most of its weight")
            continue
        assert methods[i] == "transtokenize-" + kinds[i], (i, methods[i], kinds[i])
        assert set(got[i]) == set(expected), (i, sorted(got[i].items())[:5], sorted(expected.items())[:5])
        assert all(abs(got[i][k] - v) < 1e-12 for k, v in expected.items()), i
        row = sum(w * E[k].astype(np.float64) for k, w in expected.items())
        stored = np.asarray(row, dtype=E.dtype).astype(np.float64)
        assert np.all(np.abs(new[i].astype(np.float64) - stored) <= np.abs(np.spacing(np.asarray(row, dtype=E.dtype))).astype(np.float64)), i
    counts = {k: [kinds[i] for i in checked + fallback].count(k) for k in ("aligned", "smoothed", "unmapped")}
    what = f"{len(checked) + len(fallback)} new tokens" if args.expansion else f"all {len(weights)} target tokens"
    print(f"{args.output}: the mapping of {what} ({counts}) and their rows agree with the reference recipe"
          + (f" ({len(refused)} refused by the row check as copies of protected tokens)" if refused else ""))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("source_tokenizer")
    parser.add_argument("target_tokenizer")
    parser.add_argument("parallel")
    parser.add_argument("table")
    parser.add_argument("--model", default="ibm1")
    parser.add_argument("--iterations", type=int, default=6)
    parser.add_argument("--max-tokens", type=int, default=160)
    parser.add_argument("--max-ratio", type=float, default=9.0)
    parser.add_argument("--output")
    parser.add_argument("--source-model")
    parser.add_argument("--tensor")
    parser.add_argument("--minimum-count", type=int, default=10)
    parser.add_argument("--expansion", action="store_true")
    args = parser.parse_args()
    source = Tokenizer.from_file(args.source_tokenizer)
    target = Tokenizer.from_file(args.target_tokenizer)
    check_alignment(args, source, target)
    if args.output:
        check_mapping(args, source, target)


if __name__ == "__main__":
    main()
