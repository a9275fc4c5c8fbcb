#!/usr/bin/env python3
"""Crash consistency of every write path: SIGKILL at random moments, then check what is on disk.

For each write path (train, count, expand --force, transfer, transtokenize, align, stats -o, encode -o of a
Megatron dataset, merge-shards), the output
first holds a *previous* result (the same command with other settings). Each trial starts the
command writing the *new* result over it, kills it with SIGKILL after a random delay (uniform
over 1.1 times the command's median duration for half the trials, so kills land in every phase, and
over 0.6 to 1.2 times it for the other half, where the output is written and moved into place),
and checks that the output is byte for byte either the previous result or the
complete new one: never missing, never a mix. Then it runs the command again to completion and
checks that nothing but the output is left beside it: the temporaries and lock of the killed run
are gone. Outputs are compared by SHA-256 (of every file, for directories), which works because
every run is deterministic (checked first). A dataset is two files at a prefix (PREFIX.bin and
PREFIX.idx), which no rename replaces together: the writer removes the previous index first, then
moves the new data and the new index into place, so a kill between those three calls leaves a
.bin without .idx, visibly incomplete (counted as such, not as a failure), and never a complete-
looking mix of old and new.

    python3 tools/reliability/kill_trials.py --polytoken .build/release/polytoken --trials 100
    python3 tools/reliability/kill_trials.py --polytoken ... --trials 30 --paths train,expand   # a subset

Exits non-zero on any invalid or lost output, or any leftover after the next run. Uses only the
standard library and the files of the repository.
"""
import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from model_fixtures import SAMPLES, digest, fixtures  # noqa: E402


DATASET = [".bin", ".idx"]


def write_paths(polytoken, model, target, helper, table, shards):
    """Each write path: (name, command writing the new result to OUTPUT, command writing the
    previous one, and for outputs that are files at a prefix, their suffixes)."""
    en, de, hi, ja = (os.path.join(SAMPLES, "monolingual", f"{language}.txt") for language in ("en", "de", "hi", "ja"))
    pairs = os.path.join(SAMPLES, "parallel", "en-de.tsv")
    expand = [polytoken, "expand", "--model", model, "--target-corpus", hi, "--pad-to-multiple", "64", "--force", "-o", "OUTPUT"]
    transtokenize = [polytoken, "transtokenize", "--model", model, "--target-tokenizer", target, "--alignment-table", table, "--force", "-o", "OUTPUT"]
    align = [polytoken, "align", "--source-tokenizer", os.path.join(model, "tokenizer.json"), "--target-tokenizer", target, "--parallel", pairs, "-o", "OUTPUT"]
    transfer = [polytoken, "transfer", "--model", model, "--helper-model", helper, "--force", "-o", "OUTPUT"]
    encode = [polytoken, "encode", "--tokenizer", target, "--format", "megatron", "--append-eod", "--eod-token", "</s>", "--force", "-o", "OUTPUT"]
    merge = [polytoken, "merge-shards", "--force", "-o", "OUTPUT"]
    stats = [polytoken, "stats", "--tokenizer", "source=" + os.path.join(model, "tokenizer.json"), "--tokenizer", "target=" + target,
             "--parallel", pairs, "-o", "OUTPUT"]
    return [
        ("train", [polytoken, "train", "--preset", "llama3", "--vocab-size", "3000", "-o", "OUTPUT", en, de],
         [polytoken, "train", "--preset", "llama3", "--vocab-size", "1000", "-o", "OUTPUT", en], None),
        ("count", [polytoken, "count", "--preset", "gpt2", "-o", "OUTPUT", en, de, hi], [polytoken, "count", "--preset", "gpt2", "-o", "OUTPUT", de], None),
        ("expand", expand + ["--new-tokens", "300"], expand + ["--new-tokens", "100"], None),
        ("transfer", transfer + ["--seed", "1"], transfer + ["--seed", "2"], None),
        ("transtokenize", transtokenize + ["--minimum-count", "2"], transtokenize + ["--minimum-count", "20"], None),
        ("align", align + ["--iterations", "3"], align + ["--iterations", "1"], None),
        ("encode", encode + [en, de, hi, ja] * 3, encode + ["--max-documents", "500", en], DATASET),
        ("merge-shards", merge + shards, merge + shards[:2], DATASET),
        ("stats", stats + [en, de, hi, ja], stats + [en], None),
    ]


def state(output, suffixes):
    """The digest of the output: the file or directory, or the files at a prefix (None when none exists)."""
    if suffixes is None:
        return digest(output)
    parts = tuple(digest(output + suffix) for suffix in suffixes)
    return None if all(part is None for part in parts) else parts


def remove(output, suffixes):
    for path in [output] if suffixes is None else [output + suffix for suffix in suffixes]:
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.lexists(path):
            os.remove(path)


def copy(source, destination, suffixes):
    for suffix in [""] if suffixes is None else suffixes:
        (shutil.copytree if os.path.isdir(source + suffix) else shutil.copy2)(source + suffix, destination + suffix)


def run(command, output):
    return subprocess.run([output if part == "OUTPUT" else part for part in command], capture_output=True)


def trial_path(name, command, previous_command, suffixes, workspace, trials, generator):
    directory = os.path.join(workspace, name)
    os.makedirs(directory)
    output = os.path.join(directory, "result")
    durations = []

    def timed(command):
        started = time.monotonic()
        result = run(command, output)
        durations.append(time.monotonic() - started)
        return result

    first = timed(command)
    if first.returncode != 0:
        raise SystemExit(f"{name}: the command fails: {first.stderr.decode()}")
    new = state(output, suffixes)
    for _ in range(2):
        remove(output, suffixes)
        again = timed(command)
        if again.returncode != 0 or state(output, suffixes) != new:
            raise SystemExit(f"{name}: two runs give different outputs; the check needs deterministic outputs")
    remove(output, suffixes)
    if run(previous_command, output).returncode != 0:
        raise SystemExit(f"{name}: the previous command fails")
    previous = state(output, suffixes)
    pristine = output + ".previous-copy"
    copy(output, pristine, suffixes)
    names = {"result", "result.previous-copy"} if suffixes is None else {prefix + suffix for prefix in ("result", "result.previous-copy") for suffix in suffixes}
    outcomes = {"previous": 0, "new": 0, "incomplete": 0, "invalid": 0, "lost": 0}
    killed_with_leftovers = leftovers_after_next_run = 0
    for trial in range(trials):
        # The delay scales with the median duration of the complete runs so far, which follows the
        # machine's load.
        duration = sorted(durations)[len(durations) // 2]
        process = subprocess.Popen([output if part == "OUTPUT" else part for part in command],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Every other kill lands in the last part of the run, where the output is written and moved.
        time.sleep(generator.uniform(0, duration * 1.1) if trial % 2 == 0 else generator.uniform(duration * 0.6, duration * 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        found = state(output, suffixes)
        # A dataset whose index is missing is visibly incomplete (the data of the old or the new).
        incomplete = suffixes is not None and found is not None and found[-1] is None and found[0] in (previous[0], new[0])
        outcome = ("previous" if found == previous else "new" if found == new else "incomplete" if incomplete
                   else "lost" if found is None else "invalid")
        outcomes[outcome] += 1
        if outcome in ("invalid", "lost"):
            print(f"  {name}: after a kill the output is {outcome}", file=sys.stderr)
        if not set(os.listdir(directory)) <= names:
            killed_with_leftovers += 1
        completed = timed(command)
        if completed.returncode != 0 or state(output, suffixes) != new:
            outcomes["invalid"] += 1
            print(f"  {name}: the run after a kill failed or differs: {completed.stderr.decode()}", file=sys.stderr)
        left = set(os.listdir(directory)) - names
        if left:
            leftovers_after_next_run += 1
            print(f"  {name}: left after the next run: {sorted(left)}", file=sys.stderr)
        remove(output, suffixes)
        copy(pristine, output, suffixes)
    duration = sorted(durations)[len(durations) // 2]
    print(f"{name:14} {trials:4} trials, run {duration:5.2f} s: previous {outcomes['previous']:3}, new {outcomes['new']:3}, "
          + (f"incomplete {outcomes['incomplete']}, " if suffixes else "")
          + f"invalid {outcomes['invalid']}, lost {outcomes['lost']}; temporaries after the kill {killed_with_leftovers:3}, "
          f"after the next run {leftovers_after_next_run}")
    return outcomes["invalid"] + outcomes["lost"] + leftovers_after_next_run


def shard_fixtures(polytoken, tokenizer, prefix):
    """Megatron shards of every monolingual sample, three times over: the inputs of merge-shards."""
    corpus = sorted(os.path.join(SAMPLES, "monolingual", name) for name in os.listdir(os.path.join(SAMPLES, "monolingual")))
    subprocess.run([polytoken, "encode", "--tokenizer", tokenizer, "--format", "megatron", "--shard-size", "200000",
                    "-o", prefix] + corpus * 3, check=True, capture_output=True)
    directory = os.path.dirname(prefix)
    return sorted(os.path.join(directory, name[:-4]) for name in os.listdir(directory)
                  if name.startswith(os.path.basename(prefix) + "_") and name.endswith(".idx"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polytoken", required=True)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--paths", default="train,count,expand,transfer,transtokenize,align,encode,merge-shards,stats")
    parser.add_argument("--seed", type=int, default=None)
    arguments = parser.parse_args()
    seed = arguments.seed if arguments.seed is not None else int(time.time())
    print(f"kill trials, seed {seed}")
    generator = random.Random(seed)
    polytoken = os.path.abspath(arguments.polytoken)
    workspace = tempfile.mkdtemp(prefix="polytoken-kill-")
    try:
        model, target, helper, table = fixtures(polytoken, os.path.join(workspace, "fixtures"))
        shards = shard_fixtures(polytoken, target, os.path.join(workspace, "fixtures", "shard"))
        wanted = arguments.paths.split(",")
        failures = 0
        for name, command, previous, suffixes in write_paths(polytoken, model, target, helper, table, shards):
            if name in wanted:
                failures += trial_path(name, command, previous, suffixes, workspace, arguments.trials, generator)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    if failures:
        raise SystemExit(f"{failures} invalid or lost outputs or leftovers")
    print("every output was the previous or the complete new one (or a dataset visibly without its index), "
          "and every leftover was removed by the next run")


if __name__ == "__main__":
    main()
