#!/usr/bin/env python3
"""Training speed and peak memory: Polytoken against Hugging Face `tokenizers`, same corpus,
same configuration, same run.

    python3 tools/corpora.py benchmark /tmp/bench.txt
    .build-oracle-venv/bin/python tools/bench_train.py /tmp/bench.txt [VOCAB_SIZE]

Both train a byte-level BPE with the Llama-3 pattern (Polytoken's `llama3` preset, and the
same pipeline built with `tokenizers` objects) from the file, one document per line, on all
cores. Each runs in its own process; wall time and peak resident memory (ru_maxrss) are
measured around it. The vocabularies and merges are checked to be identical.
"""
import json
import os
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
    """Runs `command`; returns wall seconds and the peak RSS in MB of that process alone."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{command[0]} failed with status {status}")
    return seconds, usage.ru_maxrss / 1024


def model(path):
    with open(path, encoding="utf-8") as f:
        document = json.load(f)["model"]
    return document["vocab"], [tuple(pair) for pair in document["merges"]]


def main(corpus, size="32000"):
    subprocess.run(["swift", "build", "-c", "release", "--product", "polytoken"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "release", "polytoken")
    ours_path, theirs_path = "/tmp/polytoken-bench-train-ours.json", "/tmp/polytoken-bench-train-hf.json"
    ours = measured([binary, "train", "--preset", "llama3", "--vocab-size", size, "-o", ours_path, corpus])
    script = ORACLE.format(oracle=os.path.join(ROOT, "tools", "oracle"), size=int(size), corpus=corpus, output=theirs_path)
    theirs = measured([sys.executable, "-c", script])
    same = model(ours_path) == model(theirs_path)
    megabytes = os.path.getsize(corpus) / 1e6
    print(f"corpus: {corpus}, {megabytes:.1f} MB; vocabulary {size}, llama3 pipeline; {os.cpu_count()} cores")
    print(f"{'':10} {'seconds':>8} {'MB/s':>6} {'peak MB':>8}")
    print(f"{'tokenizers':10} {theirs[0]:8.2f} {megabytes / theirs[0]:6.2f} {theirs[1]:8.0f}")
    print(f"{'polytoken':10} {ours[0]:8.2f} {megabytes / ours[0]:6.2f} {ours[1]:8.0f}")
    print(f"speed-up {theirs[0] / ours[0]:.1f}x, memory ratio {ours[1] / theirs[1]:.2f}; identical vocabulary and merges: {same}")


if __name__ == "__main__":
    main(*sys.argv[1:])
