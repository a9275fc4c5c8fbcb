#!/usr/bin/env python3
"""Crash consistency of every write path: SIGKILL at random moments, then check what is on disk.

For each write path (train, count, expand --force, transfer, transtokenize, align), the output
first holds a *previous* result (the same command with other settings). Each trial starts the
command writing the *new* result over it, kills it with SIGKILL after a random delay (uniform
over 1.1 times the command's own duration for half the trials, so kills land in every phase, and
over 0.6 to 1.2 times it for the other half, where the output is written and moved into place),
and checks that the output is byte for byte either the previous result or the
complete new one: never missing, never a mix. Then it runs the command again to completion and
checks that nothing but the output is left beside it: the temporaries and lock of the killed run
are gone. Outputs are compared by SHA-256 (of every file, for directories), which works because
every run is deterministic (checked first).

    python3 tools/reliability/kill_trials.py --polytoken .build/release/polytoken --trials 100
    python3 tools/reliability/kill_trials.py --polytoken ... --trials 30 --paths train,expand   # a subset

Exits non-zero on any invalid or lost output, or any leftover after the next run. Uses only the
standard library and the files of the repository.
"""
import argparse
import gzip
import hashlib
import json
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = os.path.join(ROOT, "corpora-samples")


def digest(path):
    """SHA-256 of a file, or of a directory's relative names and file digests; None when absent."""
    if not os.path.lexists(path):
        return None
    if os.path.isfile(path):
        return hashlib.sha256(open(path, "rb").read()).hexdigest()
    summary = hashlib.sha256()
    for directory, subdirectories, files in sorted(os.walk(path)):
        subdirectories.sort()
        for name in sorted(files):
            full = os.path.join(directory, name)
            summary.update(os.path.relpath(full, path).encode() + b"\0" + digest(full).encode() + b"\n")
    return summary.hexdigest()


def write_safetensors(path, name, rows, width, seed):
    """A safetensors file with one F32 tensor of seeded uniform values."""
    generator = random.Random(seed)
    data = struct.pack(f"<{rows * width}f", *(generator.uniform(-1, 1) for _ in range(rows * width)))
    header = ('{"%s":{"dtype":"F32","shape":[%d,%d],"data_offsets":[0,%d]}}' % (name, rows, width, len(data))).encode()
    header += b" " * (-(8 + len(header)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header + data)


def fixtures(polytoken, directory):
    """The inputs of the write paths, all from files of the repository."""
    goldens = os.path.join(ROOT, "Tests", "TokenizationTests", "Goldens", "tokenizers")
    model = os.path.join(directory, "llama2")
    os.makedirs(model)
    open(os.path.join(model, "tokenizer.json"), "wb").write(gzip.open(os.path.join(goldens, "llama2.json.gz")).read())
    shutil.copy(os.path.join(ROOT, "Tests", "TransferTests", "Fixtures", "wordllama-slice.safetensors"), os.path.join(model, "model.safetensors"))
    open(os.path.join(model, "config.json"), "w").write('{"model_type": "llama", "vocab_size": 32000, "tie_word_embeddings": true}')
    target = os.path.join(directory, "target.json")
    open(target, "wb").write(gzip.open(os.path.join(goldens, "trained-sentencepiece.json.gz")).read())
    helper = os.path.join(directory, "helper")
    os.makedirs(helper)
    shutil.copy(target, os.path.join(helper, "tokenizer.json"))
    document = json.load(open(target, encoding="utf-8"))
    helper_rows = 1 + max(list(document["model"]["vocab"].values()) + [token["id"] for token in document["added_tokens"]])
    write_safetensors(os.path.join(helper, "model.safetensors"), "model.embed_tokens.weight", helper_rows, 16, 1)
    open(os.path.join(helper, "config.json"), "w").write('{"model_type": "llama", "vocab_size": %d}' % helper_rows)
    table = os.path.join(directory, "table.sqlite")
    subprocess.run([polytoken, "align", "--source-tokenizer", os.path.join(model, "tokenizer.json"), "--target-tokenizer", target,
                    "--parallel", os.path.join(SAMPLES, "parallel", "en-de.tsv"), "--iterations", "2", "-o", table],
                   check=True, capture_output=True)
    return model, target, helper, table


def write_paths(polytoken, model, target, helper, table):
    """Each write path: (name, command writing the new result to OUTPUT, command writing the previous one)."""
    en, de, hi = (os.path.join(SAMPLES, "monolingual", f"{language}.txt") for language in ("en", "de", "hi"))
    pairs = os.path.join(SAMPLES, "parallel", "en-de.tsv")
    expand = [polytoken, "expand", "--model", model, "--target-corpus", hi, "--pad-to-multiple", "64", "--force", "-o", "OUTPUT"]
    transtokenize = [polytoken, "transtokenize", "--model", model, "--target-tokenizer", target, "--alignment-table", table, "--force", "-o", "OUTPUT"]
    align = [polytoken, "align", "--source-tokenizer", os.path.join(model, "tokenizer.json"), "--target-tokenizer", target, "--parallel", pairs, "-o", "OUTPUT"]
    transfer = [polytoken, "transfer", "--model", model, "--helper-model", helper, "--force", "-o", "OUTPUT"]
    return [
        ("train", [polytoken, "train", "--preset", "llama3", "--vocab-size", "3000", "-o", "OUTPUT", en, de],
         [polytoken, "train", "--preset", "llama3", "--vocab-size", "1000", "-o", "OUTPUT", en]),
        ("count", [polytoken, "count", "--preset", "gpt2", "-o", "OUTPUT", en, de, hi], [polytoken, "count", "--preset", "gpt2", "-o", "OUTPUT", de]),
        ("expand", expand + ["--new-tokens", "300"], expand + ["--new-tokens", "100"]),
        ("transfer", transfer + ["--seed", "1"], transfer + ["--seed", "2"]),
        ("transtokenize", transtokenize + ["--minimum-count", "2"], transtokenize + ["--minimum-count", "20"]),
        ("align", align + ["--iterations", "3"], align + ["--iterations", "1"]),
    ]


def run(command, output):
    return subprocess.run([output if part == "OUTPUT" else part for part in command], capture_output=True)


def trial_path(name, command, previous_command, workspace, trials, generator):
    directory = os.path.join(workspace, name)
    os.makedirs(directory)
    output = os.path.join(directory, "result")
    started = time.monotonic()
    first = run(command, output)
    duration = time.monotonic() - started
    if first.returncode != 0:
        raise SystemExit(f"{name}: the command fails: {first.stderr.decode()}")
    new = digest(output)
    shutil.move(output, output + ".new")
    for _ in range(2):
        again = run(command, output)
        if again.returncode != 0 or digest(output) != new:
            raise SystemExit(f"{name}: two runs give different outputs; the check needs deterministic outputs")
        shutil.rmtree(output) if os.path.isdir(output) else os.remove(output)
    shutil.rmtree(output + ".new") if os.path.isdir(output + ".new") else os.remove(output + ".new")
    if run(previous_command, output).returncode != 0:
        raise SystemExit(f"{name}: the previous command fails")
    previous = digest(output)
    pristine = output + ".previous-copy"
    (shutil.copytree if os.path.isdir(output) else shutil.copy2)(output, pristine)
    outcomes = {"previous": 0, "new": 0, "invalid": 0, "lost": 0}
    killed_with_leftovers = leftovers_after_next_run = 0
    for trial in range(trials):
        process = subprocess.Popen([output if part == "OUTPUT" else part for part in command],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Every other kill lands in the last part of the run, where the output is written and moved.
        time.sleep(generator.uniform(0, duration * 1.1) if trial % 2 == 0 else generator.uniform(duration * 0.6, duration * 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = digest(output)
        outcome = "previous" if state == previous else "new" if state == new else "lost" if state is None else "invalid"
        outcomes[outcome] += 1
        if outcome in ("invalid", "lost"):
            print(f"  {name}: after a kill the output is {outcome}", file=sys.stderr)
        expected = {"result", "result.previous-copy"}
        if set(os.listdir(directory)) != expected:
            killed_with_leftovers += 1
        completed = run(command, output)
        if completed.returncode != 0 or digest(output) != new:
            outcomes["invalid"] += 1
            print(f"  {name}: the run after a kill failed or differs: {completed.stderr.decode()}", file=sys.stderr)
        left = set(os.listdir(directory)) - expected
        if left:
            leftovers_after_next_run += 1
            print(f"  {name}: left after the next run: {sorted(left)}", file=sys.stderr)
        shutil.rmtree(output) if os.path.isdir(output) else os.remove(output)
        (shutil.copytree if os.path.isdir(pristine) else shutil.copy2)(pristine, output)
    print(f"{name:14} {trials:4} trials, run {duration:5.2f} s: previous {outcomes['previous']:3}, new {outcomes['new']:3}, "
          f"invalid {outcomes['invalid']}, lost {outcomes['lost']}; temporaries after the kill {killed_with_leftovers:3}, "
          f"after the next run {leftovers_after_next_run}")
    return outcomes["invalid"] + outcomes["lost"] + leftovers_after_next_run


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polytoken", required=True)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--paths", default="train,count,expand,transfer,transtokenize,align")
    parser.add_argument("--seed", type=int, default=None)
    arguments = parser.parse_args()
    seed = arguments.seed if arguments.seed is not None else int(time.time())
    print(f"kill trials, seed {seed}")
    generator = random.Random(seed)
    polytoken = os.path.abspath(arguments.polytoken)
    workspace = tempfile.mkdtemp(prefix="polytoken-kill-")
    try:
        model, target, helper, table = fixtures(polytoken, os.path.join(workspace, "fixtures"))
        wanted = arguments.paths.split(",")
        failures = 0
        for name, command, previous in write_paths(polytoken, model, target, helper, table):
            if name in wanted:
                failures += trial_path(name, command, previous, workspace, arguments.trials, generator)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    if failures:
        raise SystemExit(f"{failures} invalid or lost outputs or leftovers")
    print("every output was the previous or the complete new one, and every leftover was removed by the next run")


if __name__ == "__main__":
    main()
