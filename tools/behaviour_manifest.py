#!/usr/bin/env python3
"""Records, or checks, what a fixed set of commands writes: the guard of behaviour-preserving changes.

Runs `train` with each preset, `count`, `expand` with each method on the wordllama Llama-2 model,
`transfer`, `transmi` in each mode, `align` and `transtokenize` on files of the repository, and
records for each output the SHA-256 of every file and, for SQLite files, of their rows (so that a
difference in content is told from one in page layout).

    python3 tools/behaviour_manifest.py --polytoken .build/release/polytoken --record tools/behaviour-manifest.json
    python3 tools/behaviour_manifest.py --polytoken .build/release/polytoken --check tools/behaviour-manifest.json

`--check` prints every output, file and table that differs and exits non-zero if any does.
"""
import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_fixtures import SAMPLES, fixtures  # noqa: E402


def commands(polytoken, model, target, helper):
    """(name, arguments writing OUTPUT) for every command of the manifest."""
    text = {language: os.path.join(SAMPLES, "monolingual", f"{language}.txt") for language in ("en", "ru", "zh", "hi", "de", "ja")}
    pairs = {language: os.path.join(SAMPLES, "parallel", f"en-{language}.tsv") for language in ("de", "ja")}
    listed = [(f"train-{preset}", ["train", "--preset", preset, "--vocab-size", "4000", "-o", "OUTPUT", text["en"], text["ru"], text["zh"]])
              for preset in ("gpt2", "llama3", "qwen2", "sentencepiece")]
    listed.append(("count-llama3", ["count", "--preset", "llama3", "-o", "OUTPUT", text["en"], text["ru"]]))
    expand = ["expand", "--model", model, "--new-tokens", "300", "--pad-to-multiple", "64", "-o", "OUTPUT"]
    listed += [(f"expand-{method}", expand + ["--target-corpus", text["hi"], "--method", method])
               for method in ("heuristic", "align", "merge", "mean", "random")]
    listed.append(("expand-clp", expand + ["--target-corpus", text["de"], "--method", "clp", "--helper-model", helper, "--match", "decoded"]))
    listed.append(("expand-transtokenize", expand + ["--target-corpus", text["ja"], "--method", "transtokenize", "--parallel", pairs["ja"],
                                                     "--aligner", "diagonal"]))
    listed.append(("transfer-clp", ["transfer", "--model", model, "--helper-model", helper, "--match", "decoded", "-o", "OUTPUT"]))
    listed += [(f"transmi-{mode}", ["transmi", "--model", model, "--mode", mode, "-o", "OUTPUT"]) for mode in ("max", "min", "average")]
    listed.append(("align-de", ["align", "--source-tokenizer", os.path.join(model, "tokenizer.json"), "--target-tokenizer", target,
                                "--parallel", pairs["de"], "-o", "OUTPUT"]))
    listed.append(("transtokenize-de", ["transtokenize", "--model", model, "--target-tokenizer", target, "--parallel", pairs["de"],
                                        "--minimum-count", "2", "-o", "OUTPUT"]))
    return [(name, [polytoken] + arguments) for name, arguments in listed]


def rows_digest(path):
    """SHA-256 of every table's rows, in order of table and of rows."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    summary = hashlib.sha256()
    for (table,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        summary.update(table.encode() + b"\n")
        for row in sorted(connection.execute(f'SELECT * FROM "{table}"'), key=repr):
            summary.update(repr(row).encode() + b"\n")
    connection.close()
    return summary.hexdigest()


def describe(path, base):
    """Every file of the output: its SHA-256, and its rows' for SQLite files."""
    files = {}
    paths = [path] if os.path.isfile(path) else [os.path.join(d, f) for d, _, fs in os.walk(path) for f in fs]
    for full in sorted(paths):
        name = os.path.relpath(full, base)
        files[name] = {"sha256": hashlib.sha256(open(full, "rb").read()).hexdigest()}
        if open(full, "rb").read(16) == b"SQLite format 3\0":
            files[name]["rows"] = rows_digest(full)
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polytoken", required=True)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--record")
    group.add_argument("--check")
    arguments = parser.parse_args()
    polytoken = os.path.abspath(arguments.polytoken)
    # A fixed working directory: outputs record the paths they were made from (provenance settings).
    workspace = os.path.join(tempfile.gettempdir(), "polytoken-behaviour-manifest")
    shutil.rmtree(workspace, ignore_errors=True)
    os.makedirs(workspace)
    manifest = {}
    try:
        model, target, helper, _ = fixtures(polytoken, os.path.join(workspace, "fixtures"))
        for name, command in commands(polytoken, model, target, helper):
            output = os.path.join(workspace, name)
            result = subprocess.run([output if part == "OUTPUT" else part for part in command], capture_output=True)
            if result.returncode != 0:
                raise SystemExit(f"{name} failed: {result.stderr.decode()}")
            manifest[name] = describe(output, workspace)
            print(f"{name}: {len(manifest[name])} files", file=sys.stderr)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    if arguments.record:
        with open(arguments.record, "w") as f:
            json.dump(manifest, f, indent=1, sort_keys=True)
            f.write("\n")
        return
    recorded = json.load(open(arguments.check))
    differences = 0
    for name in sorted(set(recorded) | set(manifest)):
        before, after = recorded.get(name, {}), manifest.get(name, {})
        for file in sorted(set(before) | set(after)):
            if before.get(file) != after.get(file):
                differences += 1
                what = "missing" if file not in after else "new" if file not in before else \
                    "bytes differ, rows identical" if before[file].get("rows") and before[file].get("rows") == after[file].get("rows") else "differs"
                print(f"{file}: {what}")
    if differences:
        raise SystemExit(f"{differences} files differ from {arguments.check}")
    print(f"every output is identical to {arguments.check}")


if __name__ == "__main__":
    main()
