#!/usr/bin/env python3
"""Benchmark trans-tokenization on a real parallel corpus, and compare the alignments with eflomal.

    python tools/bench_transtokenize.py --model DIR --tensor NAME --pairs EN-XX.tsv --report OUT.md [--limit 100000]
        [--aligner ibm1|diagonal]

EN-XX.tsv comes from `python3 tools/corpora.py parallel de EN-XX.tsv` (108k English-German pairs from
Debian packages). A target tokenizer (SentencePiece preset, 16k) is trained on the German side, then
`polytoken transtokenize` runs tokenization, alignment, mapping and model writing on the first
--limit pairs; the script prints pairs per second and peak memory. It then builds the same word
units with Hugging Face `tokenizers`, aligns them with eflomal (PyPI, GPL: run as a separate
program, never linked) and reports how often Polytoken's link for a target word (the source word
with the highest posterior: t(f|e) under Model 1's uniform prior, or times the diagonal prior with
the tuned tension, NULL included) is eflomal's forward link. The report lists the
top source words of the most frequent target words, for a reader to check.
"""
import argparse
import math
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "oracle"))
from check_transtokenize import corpus  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POLYTOKEN = os.path.join(ROOT, ".build", "release", "polytoken")


def timed(command):
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def table(path):
    database = sqlite3.connect(path)
    units = {"source": {}, "target": {}}
    for side, id_, tokens, text in database.execute("SELECT side, id, tokens, text FROM units"):
        units[side][id_] = (tuple(int(x) for x in tokens.split()), text)
    t, counts = {}, {}
    settings = dict(database.execute("SELECT key, value FROM settings"))
    for s, f, c, p in database.execute("SELECT source, target, count, probability FROM pairs"):
        e = None if s is None else units["source"][s][0]
        t[(e, units["target"][f][0])] = p
        counts.setdefault(f, []).append((c, s))
    return units, t, counts, settings


def prior(aligner, tension, m, n, j, p0=0.08):
    """The alignment prior of NULL and of each source position for target position j (0-based)."""
    if aligner == "ibm1":
        return [1.0] * (n + 1)
    weights = [math.exp(-tension * abs(i / n - (j + 1) / m)) for i in range(1, n + 1)]
    z = sum(weights)
    return [p0] + [(1 - p0) * w / z for w in weights]


def report(units, counts, path, corpus_name, top=40):
    totals = sorted(counts, key=lambda f: -sum(c for c, _ in counts[f]))
    lines = [f"# Word alignment report: {corpus_name}", "",
             "The most frequent target words (by expected count) and their five heaviest source words",
             "(share of the target word's expected count; `NULL` = unaligned).", "",
             "| target word | source words |", "|---|---|"]
    shown = 0
    for f in totals:
        text = units["target"][f][1]
        if not any(ch.isalpha() for ch in text):
            continue
        entries = sorted(counts[f], reverse=True)[:5]
        total = sum(c for c, _ in counts[f])
        cells = ", ".join(f"`{'NULL' if s is None else units['source'][s][1]}` {c / total:.2f}" for c, s in entries)
        lines.append(f"| `{text}` | {cells} |")
        shown += 1
        if shown == top:
            break
    open(path, "w", encoding="utf-8").write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--tensor")
    parser.add_argument("--pairs", required=True)
    parser.add_argument("--limit", type=int, default=100_000)
    parser.add_argument("--report", required=True)
    parser.add_argument("--eflomal-iterations", type=float, default=1.0)
    parser.add_argument("--aligner", choices=["ibm1", "diagonal"], default="ibm1")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="bench-transtokenize-")
    pairs = os.path.join(work, "pairs.tsv")
    with open(args.pairs, encoding="utf-8") as source, open(pairs, "w", encoding="utf-8") as out:
        for index, line in enumerate(source):
            if index == args.limit:
                break
            out.write(line)
    german = os.path.join(work, "target.txt")
    with open(pairs, encoding="utf-8") as source, open(german, "w", encoding="utf-8") as out:
        out.writelines(line.split("\t", 1)[1] for line in source if "\t" in line)
    target_dir = os.path.join(work, "target")
    os.makedirs(target_dir)
    target_tokenizer = os.path.join(target_dir, "tokenizer.json")
    subprocess.run([POLYTOKEN, "train", "--preset", "sentencepiece", "--vocab-size", "16000", "-o", target_tokenizer, german],
                   check=True, stdout=subprocess.DEVNULL)
    alignment = os.path.join(work, "alignment.sqlite")
    command = [POLYTOKEN, "transtokenize", "--model", args.model, "--target-tokenizer", target_tokenizer, "--parallel", pairs,
               "--save-alignment", alignment, "--aligner", args.aligner, "-o", os.path.join(work, "model"), "--force"]
    if args.tensor:
        command += ["--embedding-tensor", args.tensor]
    seconds, peak = timed(command)
    read = sum(1 for _ in open(pairs, encoding="utf-8"))
    print(f"polytoken transtokenize: {read} pairs in {seconds:.1f} s = {read / seconds:,.0f} pairs/s "
          f"(tokenize, align {args.aligner} 6 iterations, map, write), peak {peak:.0f} MB")

    source = Tokenizer.from_file(os.path.join(args.model, "tokenizer.json"))
    target = Tokenizer.from_file(target_tokenizer)
    sentences = corpus(pairs, source, target, 160, 9.0)
    units, t, counts, settings = table(alignment)
    tension = float(settings.get("tension", 0))
    report(units, counts, args.report, f"{read:,} English-German pairs from Debian's gettext catalogs and LibreOffice help")
    print(f"report of the most frequent target words -> {args.report}")

    import eflomal
    src = [" ".join("_".join(map(str, u)) for u in e) for e, _ in sentences]
    trg = [" ".join("_".join(map(str, u)) for u in f) for _, f in sentences]
    links = os.path.join(work, "eflomal.links")
    start = time.perf_counter()
    eflomal.Aligner(rel_iterations=args.eflomal_iterations).align(src, trg, links_filename_fwd=links, quiet=True)
    eflomal_seconds = time.perf_counter() - start
    agree = ours_links = theirs_links = 0
    for (e, f), line in zip(sentences, open(links, encoding="utf-8")):
        theirs = {tuple(map(int, link.split("-"))) for link in line.split()}
        mine = set()
        for j, fj in enumerate(f):
            weights = prior(args.aligner, tension, len(f), len(e), j)
            best, best_i = weights[0] * t.get((None, fj), 0.0), None
            for i, ei in enumerate(e):
                p = weights[i + 1] * t.get((ei, fj), 0.0)
                if p > best:
                    best, best_i = p, i
            if best_i is not None:
                mine.add((best_i, j))
        agree += len(mine & theirs)
        ours_links += len(mine)
        theirs_links += len(theirs)
    print(f"eflomal (model 3, forward, {eflomal_seconds:.1f} s): {agree / ours_links:.1%} of Polytoken's {args.aligner} links are eflomal's, "
          f"which cover {agree / theirs_links:.1%} of eflomal's links ({len(sentences)} pairs, word units)")


if __name__ == "__main__":
    main()
