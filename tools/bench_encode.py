#!/usr/bin/env python3
"""Encoding throughput, side by side: Polytoken against every exact peer on PyPI (Hugging Face
`tokenizers`, tiktoken, fastokens, gigatoken), same vocabulary, same corpora, one run.

    python3 -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install -r tools/bench-requirements.txt
    python3 tools/corpora.py benchmark /tmp/bench-en.txt
    python3 tools/corpora.py multilingual /tmp/bench-multi.txt
    /tmp/bench-venv/bin/python tools/bench_encode.py /tmp/bench-en.txt /tmp/bench-multi.txt [--tokenizer T.json]

Without --tokenizer, a 64k Llama-3-style byte-level vocabulary (Llama-3's pre-tokenizer, BPE
with `ignore_merges`) is first trained with Polytoken on all the corpora. The tiktoken encoding
is built from the same vocabulary (ranks = ids, exact for a vocabulary trained by BPE) and the
same pattern.

Every side gets the lines of a corpus without their line endings (as `polytoken encode` reads a
file), already in memory, and produces ids only, without special tokens. Each side runs in a
fresh process per setting, and encodes the corpus twice: the first pass is reported as cold,
the second as warm (caches filled); each setting runs in --repeat fresh processes (default 3,
one after another) and the best cold and best warm rate count, on this noisy machine. "1 thread" pins the process to one core with taskset; "all
threads" lets each side use every core its own way (`encode_batch_fast` and fastokens through
rayon, gigatoken's `parallel=True`, tiktoken's `encode_ordinary_batch` thread pool,
Polytoken's `--threads`). Polytoken is timed by `encode --benchmark`, which times exactly what
`encode` does.

Before any timing, the ids of every line of every corpus are checked identical on all five
sides: Polytoken's are those `polytoken encode` prints.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "release", "polytoken")
PEERS = ["tokenizers", "tiktoken", "fastokens", "gigatoken"]


def read_lines(corpus):
    with open(corpus, encoding="utf-8", newline="") as f:
        parts = f.read().split("\n")
    return [line.removesuffix("\r") for line in (parts[:-1] + ([parts[-1]] if parts[-1] else []))]


def byte_decoder():
    printable = list(range(0x21, 0x7F)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    table, extra = {}, 0
    for byte in range(256):
        if byte in printable:
            table[chr(byte)] = byte
        else:
            table[chr(256 + extra)] = byte
            extra += 1
    return table


class Side:
    """One peer, loaded from the tokenizer file, with a batch encoder to ids."""

    def __init__(self, name, tokenizer_path, threads):
        self.name, self.threads = name, threads
        started = time.perf_counter()
        if name == "tokenizers":
            from tokenizers import Tokenizer
            self.tokenizer = Tokenizer.from_file(tokenizer_path)
        elif name == "tiktoken":
            import tiktoken
            with open(tokenizer_path, encoding="utf-8") as f:
                document = json.load(f)
            decoder = byte_decoder()
            ranks = {bytes(decoder[c] for c in token): rank for token, rank in document["model"]["vocab"].items()}
            pre = document["pre_tokenizer"]
            pattern = pre["pretokenizers"][0]["pattern"]["Regex"]
            self.tokenizer = tiktoken.Encoding(name="same-vocabulary", pat_str=pattern, mergeable_ranks=ranks, special_tokens={})
        elif name == "fastokens":
            import fastokens
            self.tokenizer = fastokens.Tokenizer.from_file(tokenizer_path)
        elif name == "gigatoken":
            import gigatoken
            with open(tokenizer_path, "rb") as f:
                self.tokenizer = gigatoken.Tokenizer.from_json(f.read())
        self.load_seconds = time.perf_counter() - started

    def encode(self, lines):
        """Encodes `lines`; returns whatever the side returns (not converted: that is not timed)."""
        if self.name == "tokenizers":
            return self.tokenizer.encode_batch_fast(lines, add_special_tokens=False)
        if self.name == "tiktoken":
            if self.threads == 1:
                return [self.tokenizer.encode_ordinary(line) for line in lines]
            return self.tokenizer.encode_ordinary_batch(lines, num_threads=os.cpu_count())
        if self.name == "fastokens":
            return self.tokenizer.encode_batch_flat(lines, add_special_tokens=False)
        return self.tokenizer.encode_batch(lines, parallel=self.threads != 1)

    def ids(self, lines):
        """The ids of every line, as lists."""
        if self.name == "tokenizers":
            return [encoding.ids for encoding in self.encode(lines)]
        if self.name == "tiktoken":
            return self.encode(lines)
        if self.name == "fastokens":
            import numpy
            flat, offsets = self.encode(lines)
            flat = numpy.frombuffer(flat, dtype="<u4").tolist()
            offsets = numpy.frombuffer(offsets, dtype="<u8").tolist()
            return [flat[offsets[i]:offsets[i + 1]] for i in range(len(lines))]
        return self.tokenizer.encode_batch_list(lines, parallel=False)


def worker(name, threads, corpus, tokenizer_path):
    """Runs in a fresh process: load, then two timed passes; prints one JSON line."""
    if threads == 1:
        os.environ["RAYON_NUM_THREADS"] = "1"
    side = Side(name, tokenizer_path, threads)
    lines = read_lines(corpus)
    passes = []
    for _ in range(2):
        started = time.perf_counter()
        side.encode(lines)
        passes.append(time.perf_counter() - started)
    print(json.dumps({"load": side.load_seconds, "cold": passes[0], "warm": passes[1]}))


def polytoken_ids(corpus, tokenizer_path):
    output = subprocess.run([BINARY, "encode", "--no-special-tokens", "--tokenizer", tokenizer_path, corpus],
                            check=True, capture_output=True, text=True).stdout
    return [[int(i) for i in line.split()] for line in output.split("\n")[:-1]]


def check_identical(corpus, tokenizer_path):
    lines = read_lines(corpus)
    expected = Side("tokenizers", tokenizer_path, 0).ids(lines)
    results = {"polytoken": polytoken_ids(corpus, tokenizer_path)}
    for name in PEERS[1:]:
        results[name] = Side(name, tokenizer_path, 0).ids(lines)
    for name, ids in results.items():
        assert len(ids) == len(lines), f"{name}: {len(ids)} results for {len(lines)} lines"
        for index, (ours, theirs) in enumerate(zip(ids, expected)):
            assert list(ours) == theirs, f"{name} differs from tokenizers on line {index + 1} of {corpus}: {lines[index][:80]!r}"
    print(f"{corpus}: ids identical on all {len(lines)} lines, {sum(map(len, expected))} tokens, on all five sides")


def time_side(name, threads, corpus, tokenizer_path, repeat):
    """The best cold rate, best warm rate and first load time of `repeat` fresh processes."""
    runs = [run_side(name, threads, corpus, tokenizer_path) for _ in range(repeat)]
    return max(r[0] for r in runs), max(r[1] for r in runs), runs[0][2]


def run_side(name, threads, corpus, tokenizer_path):
    if name == "polytoken":
        command = [BINARY, "encode", "--benchmark", "--threads", str(threads or os.cpu_count()), "--no-special-tokens",
                   "--tokenizer", tokenizer_path, corpus]
    else:
        command = [sys.executable, os.path.abspath(__file__), "--worker", name, str(threads), corpus, tokenizer_path]
    if threads == 1:
        command = ["taskset", "-c", "0"] + command
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    megabytes = os.path.getsize(corpus) / 1e6
    if name == "polytoken":
        rates = {p: float(re.search(p + r": .* ([\d.]+) MB/s", output).group(1)) for p in ("cold", "warm")}
        return rates["cold"], rates["warm"], float(re.search(r"in (\d+) ms", output).group(1)) / 1000
    result = json.loads(output.strip().split("\n")[-1])
    return megabytes / result["cold"], megabytes / result["warm"], result["load"]


def cached_load(tokenizer_path):
    """Polytoken's load time from its binary cache: the best of three loads after the one that
    writes the cache file."""
    import tempfile
    with tempfile.TemporaryDirectory() as directory:
        line = os.path.join(directory, "line.txt")
        with open(line, "w", encoding="utf-8") as f:
            f.write("hello\n")
        times = []
        for _ in range(4):
            output = subprocess.run([BINARY, "encode", "--benchmark", "--threads", "1", "--tokenizer-cache", os.path.join(directory, "cache"),
                                     "--tokenizer", tokenizer_path, line], check=True, capture_output=True, text=True).stdout
            times.append(float(re.search(r"in (\d+) ms", output).group(1)) / 1000)
        return min(times[1:])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="*")
    parser.add_argument("--tokenizer")
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per side and setting; the best rates count")
    parser.add_argument("--worker", nargs=4, metavar=("SIDE", "THREADS", "CORPUS", "TOKENIZER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        name, threads, corpus, tokenizer_path = args.worker
        return worker(name, int(threads), corpus, tokenizer_path)
    subprocess.run(["swift", "build", "-c", "release", "--product", "polytoken"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    tokenizer_path = args.tokenizer
    if tokenizer_path is None:
        tokenizer_path = "/tmp/polytoken-bench-llama3-64k.json"
        subprocess.run([BINARY, "train", "--preset", "llama3", "--vocab-size", "64000", "-o", tokenizer_path, *args.corpora],
                       check=True, stderr=subprocess.DEVNULL)
    for corpus in args.corpora:
        check_identical(corpus, tokenizer_path)
    machine = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = re.search(r"Model name:\s*(.*)", machine)
    print(f"\n{time.strftime('%Y-%m-%d')}, {model.group(1).strip() if model else 'unknown CPU'}, {os.cpu_count()} cores; "
          f"tokenizer {tokenizer_path}; MB/s, best of {args.repeat} processes, higher is better; "
          f"ratio = Polytoken / the fastest peer")
    loads = {}
    for corpus in args.corpora:
        megabytes = os.path.getsize(corpus) / 1e6
        for threads, label in ((1, "1 thread"), (0, f"all {os.cpu_count()} threads")):
            rows = {name: time_side(name, threads, corpus, tokenizer_path, args.repeat) for name in ["polytoken"] + PEERS}
            for name, (_, _, load) in rows.items():
                loads.setdefault(name, load)
            print(f"\n{os.path.basename(corpus)} ({megabytes:.1f} MB), {label}")
            print(f"{'':>12} {'cold':>8} {'warm':>8}")
            for name, (cold, warm, _) in rows.items():
                print(f"{name:>12} {cold:8.1f} {warm:8.1f}")
            best_cold = max(rows[name][0] for name in PEERS)
            best_warm = max(rows[name][1] for name in PEERS)
            print(f"{'ratio':>12} {rows['polytoken'][0] / best_cold:7.2f}x {rows['polytoken'][1] / best_warm:7.2f}x")
    print("\nloading the tokenizer (first corpus, 1 thread): " + ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in loads.items()))
    print(f"polytoken from its --tokenizer-cache file: {cached_load(tokenizer_path) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
