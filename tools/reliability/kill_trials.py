#!/usr/bin/env python3
"""Crash consistency of every write path: SIGKILL at random moments, then check what is on disk.

For each write path (train, count, expand --force, transfer, transtokenize, align), the output
first holds a *previous* result (the same command with other settings). Each trial starts the
command writing the *new* result over it, kills it with SIGKILL after a random delay (uniform
over 1.1 times the command's median duration for half the trials, so kills land in every phase, and
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
    durations = []

    def timed(command):
        started = time.monotonic()
        result = run(command, output)
        durations.append(time.monotonic() - started)
        return result

    first = timed(command)
    if first.returncode != 0:
        raise SystemExit(f"{name}: the command fails: {first.stderr.decode()}")
    new = digest(output)
    shutil.move(output, output + ".new")
    for _ in range(2):
        again = timed(command)
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
        # The delay scales with the median duration of the complete runs so far, which follows the
        # machine's load.
        duration = sorted(durations)[len(durations) // 2]
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
        completed = timed(command)
        if completed.returncode != 0 or digest(output) != new:
            outcomes["invalid"] += 1
            print(f"  {name}: the run after a kill failed or differs: {completed.stderr.decode()}", file=sys.stderr)
        left = set(os.listdir(directory)) - expected
        if left:
            leftovers_after_next_run += 1
            print(f"  {name}: left after the next run: {sorted(left)}", file=sys.stderr)
        shutil.rmtree(output) if os.path.isdir(output) else os.remove(output)
        (shutil.copytree if os.path.isdir(pristine) else shutil.copy2)(pristine, output)
    duration = sorted(durations)[len(durations) // 2]
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
