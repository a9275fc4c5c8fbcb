#!/usr/bin/env python3
"""Expansion of a checkpoint shaped like Llama-3-8B: wall time and peak memory.

    .build-oracle-venv/bin/python tools/bench_expand.py WORK_DIR CORPUS [--other-gb 4] [--new-tokens 10000]

Generates (once) in WORK_DIR/source a model directory shaped like Llama-3-8B: a 128,000-token
Llama-3-style tokenizer trained by Polytoken on CORPUS, `config.json` with vocab_size 128,256
and untied embeddings, and four safetensors shards holding `model.embed_tokens.weight` and
`lm_head.weight` (128,256 × 4,096, BF16, normal values) plus OTHER_GB gigabytes of other BF16
tensors. Then expands it by NEW_TOKENS tokens learned from corpora-samples/monolingual with
`heuristic`, in its own process, measuring wall time and peak resident memory, and compares
with copying the checkpoint (`cp -r`), which any expansion has to do. Expansion syncs its output
to disk before moving it into place (`cp` does not), and is still measured whole.
"""
import argparse
import json
import os
import shutil
import subprocess
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROWS, HIDDEN = 128_256, 4_096


def bf16(values):
    return (np.asarray(values, dtype=np.float32).view(np.uint32) >> 16).astype(np.uint16)


def matrix(rng):
    out = np.empty((ROWS, HIDDEN), dtype=np.uint16)
    for start in range(0, ROWS, 8192):
        out[start:start + 8192] = bf16(rng.standard_normal((min(8192, ROWS - start), HIDDEN), dtype=np.float32) * 0.02)
    return out


def generate(directory, corpus, other_gb, binary):
    os.makedirs(directory, exist_ok=True)
    subprocess.run([binary, "train", "--preset", "llama3", "--vocab-size", "128000", "-o",
                    os.path.join(directory, "tokenizer.json"), corpus], check=True, stderr=subprocess.DEVNULL)
    json.dump({"model_type": "llama", "vocab_size": ROWS, "hidden_size": HIDDEN, "tie_word_embeddings": False,
               "torch_dtype": "bfloat16"}, open(os.path.join(directory, "config.json"), "w"), indent=2)
    rng = np.random.default_rng(0)
    per_shard = int(other_gb * 2**30 / 4 / (HIDDEN * HIDDEN * 2))
    weight_map, total = {}, 0
    for shard in range(4):
        name = f"model-{shard + 1:05d}-of-00004.safetensors"
        tensors = {}
        if shard == 0:
            tensors["model.embed_tokens.weight"] = matrix(rng)
        if shard == 3:
            tensors["lm_head.weight"] = matrix(rng)
        for layer in range(per_shard):
            tensors[f"model.layers.{shard}.mlp.w{layer}.weight"] = np.frombuffer(
                rng.bytes(HIDDEN * HIDDEN * 2), dtype=np.uint16).reshape(HIDDEN, HIDDEN) & 0x3FFF
        path = os.path.join(directory, name)
        write_bf16(tensors, path)
        for key, value in tensors.items():
            weight_map[key] = name
            total += value.nbytes
    json.dump({"metadata": {"total_size": total}, "weight_map": weight_map},
              open(os.path.join(directory, "model.safetensors.index.json"), "w"), indent=2)


def write_bf16(tensors, path):
    """A safetensors file of BF16 tensors given as uint16 bit patterns (numpy has no bfloat16)."""
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for key, value in tensors.items():
        header[key] = {"dtype": "BF16", "shape": list(value.shape), "data_offsets": [offset, offset + value.nbytes]}
        offset += value.nbytes
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-(8 + len(encoded)) % 8)
    with open(path, "wb") as f:
        f.write(len(encoded).to_bytes(8, "little"))
        f.write(encoded)
        for value in tensors.values():
            f.write(np.ascontiguousarray(value).tobytes())


def measured(command):
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"{command[0]} failed")
    return time.perf_counter() - started, usage.ru_maxrss / 2**20, output


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("work")
    parser.add_argument("corpus")
    parser.add_argument("--other-gb", type=float, default=4)
    parser.add_argument("--new-tokens", type=int, default=10_000)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "polytoken"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "release", "polytoken")
    source = os.path.join(args.work, "source")
    if not os.path.exists(os.path.join(source, "model.safetensors.index.json")):
        generate(source, args.corpus, args.other_gb, binary)
    # Each side starts with no output in place and no dirty pages left by the other: replacing
    # an existing output, or flushing someone else's writes, is not part of the work measured.
    copy = os.path.join(args.work, "copy")
    shutil.rmtree(copy, ignore_errors=True)
    os.sync()
    copy_seconds, _, _ = measured(["cp", "-r", source, copy])
    shutil.rmtree(copy)
    output = os.path.join(args.work, "expanded")
    shutil.rmtree(output, ignore_errors=True)
    os.sync()
    seconds, peak_gb, report = measured([binary, "expand", "--model", source, "--target-corpus",
                                         os.path.join(ROOT, "corpora-samples", "monolingual"), "--new-tokens",
                                         str(args.new_tokens), "--method", "heuristic", "--force", "-o", output])
    size_gb = sum(os.path.getsize(os.path.join(source, f)) for f in os.listdir(source)) / 2**30
    matrices_gb = 2 * ROWS * HIDDEN * 2 / 2**30
    print(report.strip())
    print(f"checkpoint {size_gb:.1f} GiB (embedding + head {matrices_gb:.2f} GiB); {args.new_tokens} new tokens, heuristic")
    print(f"expand: {seconds:.1f} s, peak {peak_gb:.2f} GiB = {peak_gb / matrices_gb:.2f}x the two matrices; "
          f"cp -r of the checkpoint: {copy_seconds:.1f} s")


if __name__ == "__main__":
    main()
