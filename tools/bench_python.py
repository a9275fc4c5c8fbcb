#!/usr/bin/env python3
"""Encoding from Python, side by side: the `polytoken` package's `encode_batch_numpy` against
`tokenizers`' `encode_batch_fast` and tiktoken's `encode_ordinary_batch`, same vocabulary, same
corpora, one run; and what crossing into Python costs against the command line's
`encode --benchmark`. Then memory: a large file encoded in batches from Python.

    python3 -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install -r tools/bench-requirements.txt ./python
    python3 tools/corpora.py benchmark /tmp/bench-en.txt
    python3 tools/corpora.py multilingual /tmp/bench-multi.txt
    /tmp/bench-venv/bin/python tools/bench_python.py /tmp/bench-en.txt /tmp/bench-multi.txt [--tokenizer T.json] [--stream-megabytes 1000]

The tokenizer, the corpora (lines without their line endings, in memory), the fresh process per
side and setting, the cold and warm passes and the best of --repeat processes are those of
`bench_encode.py`. Before any timing, every side's ids of every line are checked identical.
Memory: the corpora are repeated into a file of --stream-megabytes MB, which a fresh process
reads in batches of 16,384 lines and encodes with `encode_batch_numpy` on every core; its peak
resident memory is printed beside the file's size.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_encode  # noqa: E402

PEERS = ["tokenizers", "tiktoken"]
BATCH = 16384


def python_side(tokenizer_path):
    import polytoken
    return polytoken.Tokenizer.from_file(tokenizer_path)


def worker(name, threads, corpus, tokenizer_path):
    """Runs in a fresh process: load, then two timed passes; prints one JSON line."""
    if threads == 1:
        os.environ["RAYON_NUM_THREADS"] = "1"
    lines = bench_encode.read_lines(corpus)
    started = time.perf_counter()
    if name == "polytoken-python":
        tokenizer = python_side(tokenizer_path)
        encode = lambda: [tokenizer.encode_batch_numpy(lines[i:i + BATCH], add_special_tokens=False, threads=threads)
                          for i in range(0, len(lines), BATCH)]
    else:
        side = bench_encode.Side(name, tokenizer_path, threads)
        encode = lambda: side.encode(lines)
    load = time.perf_counter() - started
    passes = []
    for _ in range(2):
        started = time.perf_counter()
        encode()
        passes.append(time.perf_counter() - started)
    print(json.dumps({"load": load, "cold": passes[0], "warm": passes[1]}))


def stream_worker(path, tokenizer_path):
    """Encodes the file at `path` in batches; prints tokens, seconds and peak resident memory."""
    tokenizer = python_side(tokenizer_path)
    tokens, batch = 0, []
    started = time.perf_counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            batch.append(line.rstrip("\n"))
            if len(batch) == BATCH:
                tokens += len(tokenizer.encode_batch_numpy(batch, add_special_tokens=False)[0])
                batch = []
    if batch:
        tokens += len(tokenizer.encode_batch_numpy(batch, add_special_tokens=False)[0])
    seconds = time.perf_counter() - started
    # VmHWM, not getrusage's ru_maxrss: that keeps the peak of the parent it was forked from.
    with open("/proc/self/status") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(json.dumps({"tokens": tokens, "seconds": seconds, "peak_kb": peak_kb}))


def run_side(name, threads, corpus, tokenizer_path):
    if name == "polytoken":
        return bench_encode.run_side(name, threads, corpus, tokenizer_path)
    command = [sys.executable, os.path.abspath(__file__), "--worker", name, str(threads), corpus, tokenizer_path]
    if threads == 1:
        command = ["taskset", "-c", "0"] + command
    result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip().split("\n")[-1])
    megabytes = os.path.getsize(corpus) / 1e6
    return megabytes / result["cold"], megabytes / result["warm"], result["load"]


def check_identical(corpus, tokenizer_path):
    lines = bench_encode.read_lines(corpus)
    expected = bench_encode.Side("tokenizers", tokenizer_path, 0).ids(lines)
    ids, starts = python_side(tokenizer_path).encode_batch_numpy(lines, add_special_tokens=False)
    flat, bounds = ids.tolist(), starts.tolist()
    results = {"polytoken-python": [flat[a:b] for a, b in zip(bounds, bounds[1:])],
               "polytoken": bench_encode.polytoken_ids(corpus, tokenizer_path),
               "tiktoken": bench_encode.Side("tiktoken", tokenizer_path, 0).ids(lines)}
    for name, found in results.items():
        assert len(found) == len(lines), f"{name}: {len(found)} results for {len(lines)} lines"
        for index, (ours, theirs) in enumerate(zip(found, expected)):
            assert list(ours) == theirs, f"{name} differs from tokenizers on line {index + 1} of {corpus}: {lines[index][:80]!r}"
    print(f"{corpus}: ids identical on all {len(lines)} lines, {sum(map(len, expected))} tokens, on all four sides")


def best(name, threads, corpus, tokenizer_path, repeat):
    runs = [run_side(name, threads, corpus, tokenizer_path) for _ in range(repeat)]
    return max(r[0] for r in runs), max(r[1] for r in runs)


def stream(corpora, megabytes, tokenizer_path):
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "stream.txt")
        text = "".join(line + "\n" for corpus in corpora for line in bench_encode.read_lines(corpus) if line)
        with open(path, "w", encoding="utf-8") as f:
            written = 0
            while written < megabytes * 1e6:
                f.write(text)
                written += len(text.encode("utf-8"))
        size = os.path.getsize(path) / 1e6
        output = subprocess.run([sys.executable, os.path.abspath(__file__), "--stream-worker", path, tokenizer_path],
                                check=True, capture_output=True, text=True).stdout
        result = json.loads(output.strip().split("\n")[-1])
        print(f"\nmemory: {size:.0f} MB file encoded from Python in batches of {BATCH} lines on every core: "
              f"{result['tokens']} tokens in {result['seconds']:.1f} s ({size / result['seconds']:.1f} MB/s), "
              f"peak resident memory {result['peak_kb'] / 1024:.0f} MB")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="*")
    parser.add_argument("--tokenizer")
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per side and setting; the best rates count")
    parser.add_argument("--stream-megabytes", type=float, default=1000, help="size of the file of the memory check (0: skip)")
    parser.add_argument("--worker", nargs=4, metavar=("SIDE", "THREADS", "CORPUS", "TOKENIZER"), help=argparse.SUPPRESS)
    parser.add_argument("--stream-worker", nargs=2, metavar=("FILE", "TOKENIZER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        name, threads, corpus, tokenizer_path = args.worker
        return worker(name, int(threads), corpus, tokenizer_path)
    if args.stream_worker:
        return stream_worker(*args.stream_worker)
    subprocess.run(["swift", "build", "-c", "release", "--product", "polytoken"], cwd=bench_encode.ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    tokenizer_path = args.tokenizer
    if tokenizer_path is None:
        tokenizer_path = "/tmp/polytoken-bench-llama3-64k.json"
        subprocess.run([bench_encode.BINARY, "train", "--preset", "llama3", "--vocab-size", "64000", "-o", tokenizer_path,
                        *args.corpora], check=True, stderr=subprocess.DEVNULL)
    for corpus in args.corpora:
        check_identical(corpus, tokenizer_path)
    print(f"\n{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores; tokenizer {tokenizer_path}; MB/s, best of {args.repeat} "
          "processes; 'vs peers' = polytoken-python / the fastest peer; 'vs CLI' = polytoken-python / polytoken encode --benchmark")
    for corpus in args.corpora:
        megabytes = os.path.getsize(corpus) / 1e6
        for threads, label in ((1, "1 thread"), (0, f"all {os.cpu_count()} threads")):
            rows = {name: best(name, threads, corpus, tokenizer_path, args.repeat)
                    for name in ["polytoken-python", "polytoken"] + PEERS}
            print(f"\n{os.path.basename(corpus)} ({megabytes:.1f} MB), {label}")
            print(f"{'':>17} {'cold':>8} {'warm':>8}")
            for name, (cold, warm) in rows.items():
                print(f"{name:>17} {cold:8.1f} {warm:8.1f}")
            ours = rows["polytoken-python"]
            peers = [rows[name] for name in PEERS]
            print(f"{'vs peers':>17} {ours[0] / max(p[0] for p in peers):7.2f}x {ours[1] / max(p[1] for p in peers):7.2f}x")
            print(f"{'vs CLI':>17} {ours[0] / rows['polytoken'][0]:7.2f}x {ours[1] / rows['polytoken'][1]:7.2f}x")
    if args.stream_megabytes > 0:
        stream(args.corpora, args.stream_megabytes, tokenizer_path)


if __name__ == "__main__":
    main()
