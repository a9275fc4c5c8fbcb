#!/usr/bin/env python3
"""Training speed and peak memory: Polytoken against Hugging Face `tokenizers`, same corpus,
same configuration, same run.

    python3 tools/corpora.py benchmark /tmp/bench.txt
    .build-oracle-venv/bin/python tools/bench_train.py /tmp/bench.txt [VOCAB_SIZE]

Both train a byte-level BPE with the Llama-3 pattern (Polytoken's `llama3` preset, and the
same pipeline built with `tokenizers` objects) from the file, one document per line, on all
cores. Each runs in its own process; wall time and peak resident memory (ru_maxrss) are
measured around it. The vocabularies and merges are checked to be identical. Polytoken also
runs on one thread, and the phases it reports (counting, merging) are printed for both, so
the speed-up of each phase on all cores shows.
"""
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORACLE = """
import sys
sys.path.insert(0, {oracle!r})
import bpe_presets
tokenizer = bpe_presets.train("llama3", {size}, [{corpus!r}])
tokenizer.save({output!r})
"""


def measured(command):
    """Runs `command`; returns wall seconds, the peak RSS in MB of that process alone, and its
    standard error."""
    started = time.perf_counter()
    with open("/tmp/polytoken-bench-train.err", "w+") as errors:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        errors.seek(0)
        text = errors.read()
    if status != 0:
        raise SystemExit(f"{command[0]} failed with status {status}: {text}")
    return seconds, usage.ru_maxrss / 1024, text


def phases(summary):
    """The counting and merging seconds of Polytoken's summary line."""
    found = re.search(r"counted in ([0-9.]+) s, merged in ([0-9.]+) s", summary)
    return float(found.group(1)), float(found.group(2))


def model(path):
    with open(path, encoding="utf-8") as f:
        document = json.load(f)["model"]
    return document["vocab"], [tuple(pair) for pair in document["merges"]]


def main(corpus, size="32000"):
    subprocess.run(["swift", "build", "-c", "release", "--product", "polytoken"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "release", "polytoken")
    ours_path, theirs_path = "/tmp/polytoken-bench-train-ours.json", "/tmp/polytoken-bench-train-hf.json"
    ours = measured([binary, "train", "--preset", "llama3", "--vocab-size", size, "-o", ours_path, corpus])
    single_path = "/tmp/polytoken-bench-train-one-thread.json"
    single = measured([binary, "train", "--preset", "llama3", "--vocab-size", size, "--threads", "1", "-o", single_path, corpus])
    script = ORACLE.format(oracle=os.path.join(ROOT, "tools", "oracle"), size=int(size), corpus=corpus, output=theirs_path)
    theirs = measured([sys.executable, "-c", script])
    same = model(ours_path) == model(theirs_path) == model(single_path)
    megabytes = os.path.getsize(corpus) / 1e6
    print(f"corpus: {corpus}, {megabytes:.1f} MB; vocabulary {size}, llama3 pipeline; {os.cpu_count()} cores")
    print(f"{'':10} {'seconds':>8} {'MB/s':>6} {'peak MB':>8}")
    print(f"{'tokenizers':10} {theirs[0]:8.2f} {megabytes / theirs[0]:6.2f} {theirs[1]:8.0f}")
    print(f"{'polytoken':10} {ours[0]:8.2f} {megabytes / ours[0]:6.2f} {ours[1]:8.0f}")
    print(f"{'  1 thread':10} {single[0]:8.2f} {megabytes / single[0]:6.2f} {single[1]:8.0f}")
    print(f"speed-up {theirs[0] / ours[0]:.1f}x, memory ratio {ours[1] / theirs[1]:.2f}; identical vocabulary and merges: {same}")
    (count_all, merge_all), (count_one, merge_one) = phases(ours[2]), phases(single[2])
    cores = os.cpu_count()
    print(f"Polytoken phases, 1 thread -> {cores} threads: counting {count_one:.2f} -> {count_all:.2f} s "
          f"({count_one / count_all:.2f}x), merging {merge_one:.2f} -> {merge_all:.2f} s ({merge_one / merge_all:.2f}x)")


if __name__ == "__main__":
    main(*sys.argv[1:])
