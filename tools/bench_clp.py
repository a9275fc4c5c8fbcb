#!/usr/bin/env python3
"""CLP-Transfer similarity throughput: Polytoken's product against numpy's on the same machine.

    .build-oracle-venv/bin/python tools/bench_clp.py [T A D]

Both multiply a T×D matrix by the transpose of an A×D one in double precision (CLP's
similarity product: targets × anchors over the helper dimension), Polytoken through
OpenBLAS (`polytoken transfer --benchmark-similarity`), numpy through its own BLAS, and
print GFLOP/s. The defaults are 8192 targets, 16384 anchors, 512 dimensions.
"""
import os
import re
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main(targets="8192", anchors="16384", width="512"):
    t, a, d = int(targets), int(anchors), int(width)
    subprocess.run(["swift", "build", "-c", "release", "--product", "polytoken"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "release", "polytoken")
    output = subprocess.run([binary, "transfer", "--benchmark-similarity", f"{t},{a},{d}"], check=True, capture_output=True, text=True).stdout
    ours = float(re.search(r"([\d.]+) GFLOP/s", output).group(1))
    rng = np.random.default_rng(1)
    left, right = rng.uniform(-1, 1, (t, d)), rng.uniform(-1, 1, (a, d))
    started = time.perf_counter()
    left @ right.T
    theirs = 2 * t * a * d / (time.perf_counter() - started) / 1e9
    print(f"similarity product {t} x {a} over {d}, float64, {os.cpu_count()} cores")
    print(f"numpy {np.__version__}: {theirs:.1f} GFLOP/s; polytoken: {ours:.1f} GFLOP/s; ratio {ours / theirs:.2f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
