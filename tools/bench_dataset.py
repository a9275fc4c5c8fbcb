#!/usr/bin/env python3
"""Tokenizing a JSON Lines corpus into a Megatron dataset, side by side: `polytoken encode -o
--format megatron` against Megatron-LM's `tools/preprocess_data.py` approach (a
`multiprocessing.Pool` of N workers each running `tokenizers`, `imap(encode, lines, 32)`, and
megatron-core's `IndexedDatasetBuilder` in the parent), at the same worker count, one run.

    python3 -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install -r tools/bench-requirements.txt \\
        -r tools/oracle/requirements-megatron.txt
    apt-get install linux-doc-6.1      # the corpus: the kernel's documentation, a document per file
    /tmp/bench-venv/bin/python tools/bench_dataset.py --tokenizer tokenizer.json --eod-token '<|end_of_text|>' \\
        [--corpus /tmp/bench-docs.jsonl] [--megabytes 100] [--workers 1 2]

The corpus is every `.rst` file of linux-doc-6.1 as one JSON record (`{"text": ...}`), repeated
until it reaches --megabytes. Both sides append the end-of-document token (`--append-eod`) and
add the tokenizer's special tokens as `encode` does. The baseline calls `tokenizers` directly
where Megatron's `HuggingFaceTokenizer` goes through `transformers`, which only makes it faster.
The two datasets must be byte-identical, else the run fails. Peak memory is the largest sum of
the resident memory of the process and all its descendants, sampled every 50 ms.
"""
import argparse
import filecmp
import glob
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "release", "polytoken")
DOCS = "/usr/share/doc/linux-doc-6.1/Documentation"


def build_corpus(path, megabytes):
    files = sorted(glob.glob(os.path.join(DOCS, "**", "*.rst.gz"), recursive=True))
    if not files:
        sys.exit(f"no .rst.gz files under {DOCS}: apt-get install linux-doc-6.1")
    texts = []
    for name in files:
        with gzip.open(name, "rt", encoding="utf-8", errors="replace") as f:
            texts.append(json.dumps({"text": f.read()}, ensure_ascii=False) + "\n")
    written = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        while written < megabytes * 1e6:
            for line in texts:
                out.write(line)
                written += len(line.encode("utf-8"))
    print(f"{path}: {written / 1e6:.1f} MB, {len(texts)} documents per repetition")


def tree_rss(pid):
    """Resident bytes of `pid` and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as f:
                total += next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmRSS:"))
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (OSError, StopIteration):
            continue
    return total


def timed(command):
    """Runs `command`; returns (seconds, peak resident bytes of its process tree)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak, done = 0, threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{stderr[-2000:]}")
    return seconds, peak


class Encoder:
    """preprocess_data.py's Encoder, with `tokenizers` as the tokenizer."""

    def __init__(self, tokenizer, eod):
        self.path, self.eod = tokenizer, eod

    def initializer(self):
        from tokenizers import Tokenizer
        Encoder.tokenizer = Tokenizer.from_file(self.path)

    def encode(self, json_line):
        text = json.loads(json_line)["text"]
        ids = Encoder.tokenizer.encode(text).ids
        lengths = [len(ids)] if ids else []
        if ids:
            ids.append(self.eod)
            lengths[-1] += 1
        return ids, lengths, len(json_line)


def baseline(corpus, tokenizer, eod_token, workers, prefix):
    """Megatron's preprocess_data.py approach, in this process."""
    import multiprocessing
    import warnings
    warnings.filterwarnings("ignore")
    from megatron.core.datasets.indexed_dataset import DType, IndexedDatasetBuilder
    from tokenizers import Tokenizer
    vocabulary = Tokenizer.from_file(tokenizer)
    encoder = Encoder(tokenizer, vocabulary.token_to_id(eod_token))
    with open(corpus, encoding="utf-8") as lines, multiprocessing.Pool(workers, initializer=encoder.initializer) as pool:
        builder = IndexedDatasetBuilder(prefix + ".bin", dtype=DType.optimal_dtype(vocabulary.get_vocab_size()))
        for ids, lengths, _ in pool.imap(encoder.encode, lines, 32):
            builder.add_document(ids, lengths)
        builder.finalize(prefix + ".idx")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokenizer", required=True)
    parser.add_argument("--eod-token", required=True)
    parser.add_argument("--corpus", default=os.path.join(tempfile.gettempdir(), "bench-docs.jsonl"))
    parser.add_argument("--megabytes", type=float, default=100)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, os.cpu_count()])
    parser.add_argument("--baseline", nargs=2, metavar=("WORKERS", "PREFIX"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        return baseline(args.corpus, args.tokenizer, args.eod_token, int(args.baseline[0]), args.baseline[1])
    if not os.path.exists(args.corpus) or os.path.getsize(args.corpus) < args.megabytes * 1e6:
        build_corpus(args.corpus, args.megabytes)
    megabytes = os.path.getsize(args.corpus) / 1e6
    scratch = tempfile.mkdtemp(prefix="bench-dataset-")
    print(f"corpus {args.corpus} ({megabytes:.1f} MB), tokenizer {args.tokenizer}, {os.cpu_count()} cores")
    print(f"{'workers':>7}  {'side':<34} {'seconds':>8} {'MB/s':>7} {'peak MB':>8}")
    for workers in args.workers:
        mine, theirs = os.path.join(scratch, f"polytoken-{workers}"), os.path.join(scratch, f"megatron-{workers}")
        ours = timed([BINARY, "encode", "--tokenizer", args.tokenizer, "--field", "text", "--format", "megatron",
                      "--append-eod", "--eod-token", args.eod_token, "--threads", str(workers), "--force", "-o", mine, args.corpus])
        peer = timed([sys.executable, os.path.abspath(__file__), "--tokenizer", args.tokenizer, "--eod-token", args.eod_token,
                      "--corpus", args.corpus, "--baseline", str(workers), theirs])
        for suffix in [".bin", ".idx"]:
            if not filecmp.cmp(mine + suffix, theirs + suffix, shallow=False):
                sys.exit(f"{mine}{suffix} and {theirs}{suffix} differ")
        for name, (seconds, peak) in [("polytoken encode -o", ours), ("preprocess_data.py approach", peer)]:
            print(f"{workers:>7}  {name:<34} {seconds:>8.2f} {megabytes / seconds:>7.1f} {peak / 1e6:>8.0f}")
        print(f"{workers:>7}  identical .bin and .idx; Polytoken {peer[0] / ours[0]:.1f}x faster, {peer[1] / max(ours[1], 1):.1f}x less memory")
        for prefix in (mine, theirs):
            for suffix in [".bin", ".idx"]:
                os.remove(prefix + suffix)
    os.rmdir(scratch)


if __name__ == "__main__":
    main()
