#!/usr/bin/env python3
"""Check every number of `polytoken stats --json` against Hugging Face `tokenizers`.

    python tools/oracle/check_stats.py --polytoken BIN --tokenizer NAME=PATH [--tokenizer NAME=PATH ...] \
        --languages corpora-samples/monolingual --parallel corpora-samples/parallel [--html OUT.html]

Runs `BIN stats --json --tokenizer NAME=PATH ... LANG_DIR --parallel PAR_DIR [-o OUT.html]`, computes
every field on its own with `tokenizers` (one `encode(text, add_special_tokens=False)` per document)
and exits non-zero naming tokenizer, language, field, expected and got on the first differences.
Ints must be equal, floats equal within 1e-9 relative. `--dump-expected FILE` writes the computed
JSON (and `--no-polytoken` skips running polytoken: a check of the computation on its own).

Definitions: a language is a file LANG.txt of the languages directory (name up to the first dot,
sorted by file name); a document is a line (split on "\\n", no trailing empty piece, a trailing
"\\r" removed, empty lines included); a word a maximal run of non-White_Space characters (Rust's
char::is_whitespace); a word is split in 3+ when at least 3 tokens with non-empty offsets overlap
it; parity from REF-LANG.tsv files (REF tab LANG per non-empty line).
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
from collections import Counter

from tokenizers import Tokenizer

# Unicode White_Space, which is what Rust's char::is_whitespace tests (not Python's str.isspace,
# which also counts U+001C..U+001F).
WHITE_SPACE = "\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
WORD = re.compile(f"[^{WHITE_SPACE}]+")
BYTE_FALLBACK = re.compile(r"<0x[0-9A-F]{2}>")

RESULT_FIELDS = [
    "tokenizer", "language", "documents", "bytes", "characters", "words", "tokens", "tokens_per_byte",
    "bytes_per_token", "characters_per_token", "tokens_per_word", "words_split_3_plus", "split_3_plus_share",
    "unknown_tokens", "unknown_rate", "byte_fallback_tokens", "byte_fallback_rate", "distinct_tokens",
    "vocabulary_usage", "parity", "parallel_reference_tokens", "parallel_tokens", "longest_tokens", "coverage",
]
TOKENIZER_FIELDS = ["name", "vocabulary_size", "never_produced", "never_produced_examples"]


def documents(path):
    """The lines of a file: split on b"\\n", no trailing empty piece, a trailing "\\r" removed."""
    with open(path, "rb") as f:
        data = f.read()
    pieces = data.split(b"\n")
    if pieces and pieces[-1] == b"":
        pieces.pop()
    return [(p[:-1] if p.endswith(b"\r") else p).decode("utf-8") for p in pieces]


def ratio(a, b):
    return a / b if b else 0.0


class Measured:
    def __init__(self, name, path):
        self.name = name
        self.path = path
        self.tok = Tokenizer.from_file(path)
        description = json.loads(self.tok.to_str())
        model = description["model"]
        unk = model.get("unk_token")
        self.unk_id = self.tok.token_to_id(unk) if unk is not None else None
        self.byte_fallback = model.get("byte_fallback") is True
        self.vocab = self.tok.get_vocab(with_added_tokens=True)
        self.vocabulary_size = self.tok.get_vocab_size(with_added_tokens=True)
        self.max_id = max(self.vocab.values()) if self.vocab else -1
        self.special_ids = {a["id"] for a in description.get("added_tokens", []) if a.get("special")}
        self.byte_ids = {i for t, i in self.vocab.items() if BYTE_FALLBACK.fullmatch(t)} if self.byte_fallback else set()
        self.notes = []
        if self.vocabulary_size != self.max_id + 1:
            self.notes.append(f"get_vocab_size(with_added_tokens=True) = {self.vocabulary_size} but max id + 1 = {self.max_id + 1}")
        if len(set(self.vocab.values())) != len(self.vocab):
            self.notes.append(f"{len(self.vocab)} token strings share {len(set(self.vocab.values()))} ids")

    def encode(self, texts):
        return self.tok.encode_batch(texts, add_special_tokens=False)

    def count_tokens(self, texts):
        return sum(len(e.ids) for e in self.encode(texts))


def split_3_plus(text, offsets):
    """Words of text over which at least 3 tokens (offsets (s, e) with s < e) overlap."""
    spans = sorted((s, e) for s, e in offsets if s < e)
    count = 0
    for word in WORD.finditer(text):
        start, end = word.start(), word.end()
        overlapping = 0
        for s, e in spans:
            if s >= end:
                break
            if e > start:
                overlapping += 1
        count += overlapping >= 3
    return count


def language_stats(measured, texts):
    encodings = measured.encode(texts)
    counts = Counter()
    words = split = 0
    for text, encoding in zip(texts, encodings):
        counts.update(encoding.ids)
        words += sum(1 for _ in WORD.finditer(text))
        split += split_3_plus(text, encoding.offsets)
    tokens = sum(counts.values())
    size = sum(len(t.encode("utf-8")) for t in texts)
    characters = sum(len(t) for t in texts)
    unknown = counts[measured.unk_id] if measured.unk_id is not None else 0
    byte_fallback = sum(counts[i] for i in measured.byte_ids)
    distinct = len(counts)
    decoded = {i: measured.tok.decode([i]) for i in counts}
    longest = sorted(counts, key=lambda i: (-len(decoded[i]), i))[:5]
    frequencies = sorted(counts.values(), reverse=True)
    coverage = []
    k = 1
    while k < distinct:
        coverage.append([k, sum(frequencies[:k]) / tokens])
        k *= 2
    if distinct:
        coverage.append([distinct, sum(frequencies) / tokens])
    return {
        "documents": len(texts), "bytes": size, "characters": characters, "words": words, "tokens": tokens,
        "tokens_per_byte": ratio(tokens, size), "bytes_per_token": ratio(size, tokens),
        "characters_per_token": ratio(characters, tokens), "tokens_per_word": ratio(tokens, words),
        "words_split_3_plus": split, "split_3_plus_share": ratio(split, words),
        "unknown_tokens": unknown, "unknown_rate": ratio(unknown, tokens),
        "byte_fallback_tokens": byte_fallback, "byte_fallback_rate": ratio(byte_fallback, tokens),
        "distinct_tokens": distinct, "vocabulary_usage": ratio(distinct, measured.vocabulary_size),
        "longest_tokens": [{"id": i, "text": decoded[i]} for i in longest],
        "coverage": coverage,
    }, set(counts)


def parallel_files(directory):
    """{language: (reference, path)} of the REF-LANG.tsv files."""
    files = {}
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".tsv"):
            continue
        reference, separator, language = name[:-len(".tsv")].partition("-")
        if not separator:
            sys.exit(f"check_stats: parallel file {name} is not named REF-LANG.tsv")
        files[language] = (reference, os.path.join(directory, name))
    references = {r for r, _ in files.values()}
    if len(references) > 1:
        sys.exit(f"check_stats: parallel files with several reference languages: {sorted(references)}")
    return files, (references.pop() if references else None)


def parallel_columns(path):
    references, targets = [], []
    for line in documents(path):
        if line == "":
            continue
        reference, separator, target = line.partition("\t")
        if not separator:
            sys.exit(f"check_stats: {path}: a line without a tab: {line[:80]!r}")
        references.append(reference)
        targets.append(target)
    return references, targets


def expected_report(measured_list, languages_dir, parallel_dir):
    names = sorted(n for n in os.listdir(languages_dir) if os.path.isfile(os.path.join(languages_dir, n)))
    languages = [(n.split(".", 1)[0], os.path.join(languages_dir, n)) for n in names]
    texts = {language: documents(path) for language, path in languages}
    files, reference = parallel_files(parallel_dir) if parallel_dir else ({}, None)
    columns = {language: parallel_columns(path) for language, (_, path) in files.items()}
    report = {"tokenizers": [], "languages": [l for l, _ in languages], "reference_language": reference, "results": []}
    for measured in measured_list:
        produced = set()
        parallel = {language: (measured.count_tokens(ref), measured.count_tokens(target)) for language, (ref, target) in columns.items()}
        for language, _ in languages:
            stats, ids = language_stats(measured, texts[language])
            produced |= ids
            if language == reference and parallel:
                total = sum(r for r, _ in parallel.values())
                parity = {"parity": 1.0, "parallel_reference_tokens": total, "parallel_tokens": total}
            elif language in parallel:
                r, t = parallel[language]
                parity = {"parity": t / r if r else None, "parallel_reference_tokens": r, "parallel_tokens": t}
            else:
                parity = {"parity": None, "parallel_reference_tokens": None, "parallel_tokens": None}
            report["results"].append({"tokenizer": measured.name, "language": language, **stats, **parity})
        never = sorted(i for i in set(measured.vocab.values()) if i not in produced and i not in measured.special_ids)
        report["tokenizers"].append({
            "name": measured.name, "vocabulary_size": measured.vocabulary_size, "never_produced": len(never),
            "never_produced_examples": [measured.tok.id_to_token(i) for i in never[:20]],
        })
    return report


class Comparison:
    def __init__(self):
        self.errors = []

    def value(self, where, field, expected, got):
        if not self.same(expected, got):
            self.errors.append(f"{where}, field {field}{self.difference(expected, got)}")

    def difference(self, expected, got):
        """Where two values differ: the first differing element of lists and the differing keys of objects."""
        if isinstance(expected, list) and isinstance(got, list):
            for i, (a, b) in enumerate(zip(expected, got)):
                if not self.same(a, b):
                    return f"[{i}]{self.difference(a, b)}"
            if len(expected) < len(got):
                return f": expected {len(expected)} elements, got {len(got)} (first extra: {got[len(expected)]!r})"
            return f": expected {len(expected)} elements, got {len(got)} (first missing: {expected[len(got)]!r})"
        if isinstance(expected, dict) and isinstance(got, dict) and set(expected) == set(got):
            for key in expected:
                if not self.same(expected[key], got[key]):
                    return f".{key}{self.difference(expected[key], got[key])}"
        return f": expected {expected!r}, got {got!r}"

    def same(self, expected, got):
        if expected is None or got is None:
            return expected is None and got is None
        if isinstance(expected, bool) or isinstance(got, bool):
            return type(expected) is type(got) and expected == got
        if isinstance(expected, float):
            if not isinstance(got, (int, float)):
                return False
            return math.isclose(expected, got, rel_tol=1e-9, abs_tol=0.0) or (expected == 0 and abs(got) < 1e-300)
        if isinstance(expected, int):
            return isinstance(got, int) and expected == got
        if isinstance(expected, list):
            return isinstance(got, list) and len(expected) == len(got) and all(self.same(a, b) for a, b in zip(expected, got))
        if isinstance(expected, dict):
            return isinstance(got, dict) and set(expected) == set(got) and all(self.same(expected[k], got[k]) for k in expected)
        return expected == got

    def record(self, where, fields, expected, got):
        missing = [f for f in fields if f not in got]
        if missing:
            self.errors.append(f"{where}: fields missing from polytoken's JSON: {missing}")
        extra = sorted(set(got) - set(fields))
        if extra:
            print(f"check_stats: note: {where}: fields not in the checked schema: {extra}")
        for field in fields:
            if field in got:
                self.value(where, field, expected[field], got[field])


def compare(expected, got):
    c = Comparison()
    for key in ["tokenizers", "languages", "reference_language", "results"]:
        if key not in got:
            c.errors.append(f"top level: key {key!r} missing")
    c.value("top level", "languages", expected["languages"], got.get("languages"))
    c.value("top level", "reference_language", expected["reference_language"], got.get("reference_language"))
    got_tokenizers = got.get("tokenizers", [])
    c.value("top level", "tokenizers[].name", [t["name"] for t in expected["tokenizers"]], [t.get("name") for t in got_tokenizers])
    for e, g in zip(expected["tokenizers"], got_tokenizers):
        c.record(f"tokenizer {e['name']}", TOKENIZER_FIELDS, e, g)
    got_results = got.get("results", [])
    order = [(r["tokenizer"], r["language"]) for r in expected["results"]]
    got_order = [(r.get("tokenizer"), r.get("language")) for r in got_results]
    c.value("top level", "results order (tokenizer, language)", order, got_order)
    by_key = {(r.get("tokenizer"), r.get("language")): r for r in got_results}
    for e in expected["results"]:
        g = by_key.get((e["tokenizer"], e["language"]))
        if g is not None:
            c.record(f"tokenizer {e['tokenizer']}, language {e['language']}", RESULT_FIELDS, e, g)
    return c.errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--polytoken", required=True)
    parser.add_argument("--tokenizer", action="append", required=True, metavar="NAME=PATH")
    parser.add_argument("--languages", required=True)
    parser.add_argument("--parallel")
    parser.add_argument("--html")
    parser.add_argument("--dump-expected", metavar="FILE")
    parser.add_argument("--no-polytoken", action="store_true", help="only compute (with --dump-expected)")
    args = parser.parse_args()
    measured = []
    for spec in args.tokenizer:
        name, separator, path = spec.partition("=")
        if not separator or not name or not path:
            sys.exit(f"check_stats: --tokenizer wants NAME=PATH, got {spec!r}")
        measured.append(Measured(name, path))
    for m in measured:
        for note in m.notes:
            print(f"check_stats: note: tokenizer {m.name}: {note}")
    expected = expected_report(measured, args.languages, args.parallel)
    if args.dump_expected:
        with open(args.dump_expected, "w", encoding="utf-8") as f:
            json.dump(expected, f, ensure_ascii=False, indent=1)
    if args.no_polytoken:
        return
    command = [args.polytoken, "stats", "--json"]
    for spec in args.tokenizer:
        command += ["--tokenizer", spec]
    command.append(args.languages)
    if args.parallel:
        command += ["--parallel", args.parallel]
    if args.html:
        if os.path.exists(args.html):
            os.remove(args.html)  # an output of this check: polytoken refuses to replace a file without --force
        command += ["-o", args.html]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        sys.exit(f"check_stats: {' '.join(command)} exited {run.returncode}:\n{run.stderr}")
    try:
        got = json.loads(run.stdout)
    except json.JSONDecodeError as error:
        sys.exit(f"check_stats: polytoken's stdout is not JSON ({error}): {run.stdout[:500]!r}")
    if args.html and not os.path.isfile(args.html):
        sys.exit(f"check_stats: polytoken stats -o {args.html} wrote no file")
    errors = compare(expected, got)
    for t in expected["tokenizers"]:
        rows = [r for r in expected["results"] if r["tokenizer"] == t["name"]]
        print(f"check_stats: {t['name']}: {len(rows)} languages checked, {sum(r['tokens'] for r in rows)} tokens, "
              f"{sum(r['words'] for r in rows)} words, vocabulary {t['vocabulary_size']}, never produced {t['never_produced']}, "
              f"parity for {sum(r['parity'] is not None for r in rows)} languages")
    if errors:
        for error in errors[:50]:
            print(f"check_stats: MISMATCH: {error}", file=sys.stderr)
        if len(errors) > 50:
            print(f"check_stats: ... and {len(errors) - 50} more", file=sys.stderr)
        sys.exit(f"check_stats: {len(errors)} differences between polytoken stats --json and tokenizers")
    print("check_stats: polytoken stats --json agrees with tokenizers on every field")


if __name__ == "__main__":
    main()
