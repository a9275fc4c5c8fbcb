#!/usr/bin/env python3
"""Check `polytoken encode -o PREFIX --format megatron|npy|jsonl` and `polytoken merge-shards`
against the readers training engines use and against `tokenizers`.

    python tools/oracle/check_datasets.py --polytoken BIN --scratch DIR --tokenizer NAME=TOKENIZER.JSON=EOD ...

For each tokenizer, two corpora: every corpora-samples monolingual file (a document per line), and
a JSON Lines file whose documents sit at `meta.text` (sample lines and generated unicode edge
cases: escapes, surrogate pairs, NUL, U+2028, CR LF inside a text, empty texts, long runs), also
gzip- and zstd-compressed. Every Megatron dataset is read with megatron-core's own
`IndexedDataset`, every npy dataset with `numpy.load(mmap_mode="r")`, every jsonl with `json`: the
ids of each document equal `tokenizers`' `encode` of it plus the end-of-document token (none for an
empty document, as Megatron's `--append-eod`). Threads 1, 2 and 8 give identical bytes, the
compressed inputs the same bytes as the plain one, and shards merged by `merge-shards` and by
megatron-core's `IndexedDatasetBuilder.add_index` (as `merge_datasets.py` does) the same bytes as
one run. Megatron's id type follows its rule (uint16 below 65,500 ids, else int32).
"""
import argparse
import filecmp
import glob
import gzip
import json
import os
import random
import subprocess
import sys
import warnings

import numpy
import zstandard
from tokenizers import Tokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from adversarial import generate  # noqa: E402

warnings.filterwarnings("ignore")
from megatron.core.datasets.indexed_dataset import IndexedDataset, IndexedDatasetBuilder  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = sorted(glob.glob(os.path.join(ROOT, "corpora-samples/monolingual/*.txt")))
FORMATS = {"megatron": [".bin", ".idx"], "npy": [".tokens.npy", ".offsets.npy"], "jsonl": [".jsonl"]}


def lines_of(path):
    """The documents polytoken reads from a text file: lines without their line ending."""
    data = open(path, "rb").read().split(b"\n")
    if data and data[-1] == b"":
        data.pop()
    return [line[:-1].decode() if line.endswith(b"\r") else line.decode() for line in data]


def edge_cases():
    """Texts that stress the JSON reader and the encoder."""
    return ["", " ", "\u0000", "a\u0000b", "\u2028line\u2029", "cr\r\nlf\n", "tab\there", "\"quoted\" \\ back",
            "\U0001F468\u200d\U0001F469\u200d\U0001F467", "e\u0301\u0327", "\ufeffbom", "\ud7ff\ue000\U0010fffd",
            "\u00a0\u3000", "z" * 20000] + generate(600, 7)[1:]


def write_jsonl(path):
    """A JSON Lines corpus with documents at meta.text; returns the texts in order."""
    rng = random.Random(3)
    texts = [line for path_ in SAMPLES for line in lines_of(path_)[:150]] + edge_cases()
    rng.shuffle(texts)
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for index, text in enumerate(texts):
            record = {"id": index, "meta": {"lang": "x", "text": text, "tags": [1, {"a": None}]}, "text": ["not", "this"]}
            out.write(json.dumps(record, ensure_ascii=index % 2 == 0) + "\n")
    raw = open(path, "rb").read()
    with gzip.open(path + ".gz", "wb") as out:
        out.write(raw)
    with open(path + ".zst", "wb") as out:
        out.write(zstandard.ZstdCompressor(level=3).compress(raw))
    return texts


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr}")
    return result.stdout


def same_files(prefix_a, prefix_b, fmt):
    return all(filecmp.cmp(prefix_a + s, prefix_b + s, shallow=False) for s in FORMATS[fmt])


def read_dataset(prefix, fmt):
    """The ids of every document of a dataset, read as training engines read it."""
    if fmt == "megatron":
        dataset = IndexedDataset(prefix, mmap=True)
        indices = dataset.document_indices
        return [numpy.concatenate([dataset[s] for s in range(indices[d], indices[d + 1])] or [numpy.zeros(0, numpy.int64)]).tolist()
                for d in range(len(indices) - 1)], dataset.index.dtype
    if fmt == "npy":
        tokens = numpy.load(prefix + ".tokens.npy", mmap_mode="r")
        offsets = numpy.load(prefix + ".offsets.npy", mmap_mode="r")
        assert offsets.dtype == numpy.int64 and offsets[0] == 0 and offsets[-1] == len(tokens)
        return [tokens[a:b].tolist() for a, b in zip(offsets[:-1], offsets[1:])], tokens.dtype
    return [json.loads(line)["ids"] for line in open(prefix + ".jsonl", encoding="utf-8")], None


def check(name, tokenizer_path, eod_token, polytoken, scratch, jsonl, jsonl_texts):
    tokenizer = Tokenizer.from_file(tokenizer_path)
    eod = tokenizer.token_to_id(eod_token)
    vocabulary = tokenizer.get_vocab_size(with_added_tokens=True)
    expected_dtype = {"megatron": numpy.uint16 if vocabulary < 65500 else numpy.int32,
                      "npy": numpy.uint16 if vocabulary <= 65536 else numpy.uint32}
    encode = [polytoken, "encode", "--tokenizer", tokenizer_path, "--append-eod", "--eod-token", eod_token]
    corpora = {"samples": (SAMPLES, [], [line for path in SAMPLES for line in lines_of(path)])}
    for suffix in ["", ".gz", ".zst"]:
        corpora["jsonl" + suffix] = ([jsonl + suffix], ["--field", "meta.text"], jsonl_texts)
    expected_cache = {}
    for corpus, (inputs, options, texts) in corpora.items():
        key = id(texts)
        if key not in expected_cache:
            expected_cache[key] = [e.ids + [eod] if e.ids else [] for e in tokenizer.encode_batch(texts)]
        expected = expected_cache[key]
        for fmt in FORMATS:
            prefixes = []
            for threads in ([1, 2, 8] if corpus in ("samples", "jsonl") else [2]):
                prefix = os.path.join(scratch, f"{name}-{corpus}-{fmt}-{threads}")
                run(encode + ["--format", fmt, "--threads", str(threads), "-o", prefix] + options + inputs)
                prefixes.append(prefix)
            for other in prefixes[1:]:
                assert same_files(prefixes[0], other, fmt), f"{name} {corpus} {fmt}: {other} differs from {prefixes[0]}"
            if corpus.startswith("jsonl."):
                plain = os.path.join(scratch, f"{name}-jsonl-{fmt}-1")
                assert same_files(plain, prefixes[0], fmt), f"{name} {corpus} {fmt}: differs from the uncompressed input"
                continue
            documents, dtype = read_dataset(prefixes[0], fmt)
            if dtype is not None:
                assert dtype == expected_dtype[fmt], f"{name} {fmt}: {dtype}, expected {expected_dtype[fmt]} for {vocabulary} ids"
            assert len(documents) == len(expected), f"{name} {corpus} {fmt}: {len(documents)} documents, expected {len(expected)}"
            wrong = [i for i, (a, b) in enumerate(zip(documents, expected)) if a != b]
            assert not wrong, f"{name} {corpus} {fmt}: {len(wrong)} documents differ, first {wrong[0]}: {texts[wrong[0]]!r}\n{documents[wrong[0]]}\n{expected[wrong[0]]}"
            tokens = sum(map(len, documents))
            print(f"{name} {corpus} {fmt}: {len(documents)} documents, {tokens} tokens equal tokenizers' (dtype {dtype}); threads 1, 2, 8 identical")
        if corpus == "samples":
            whole = os.path.join(scratch, f"{name}-samples-megatron-1")
            shard_prefix = os.path.join(scratch, f"{name}-shard")
            run(encode + ["--format", "megatron", "--shard-size", "25000", "-o", shard_prefix] + inputs)
            shards = sorted(p[:-4] for p in glob.glob(shard_prefix + "_*.idx"))
            assert len(shards) > 2, shards
            run([polytoken, "merge-shards", "-o", shard_prefix + "-merged"] + shards)
            assert same_files(shard_prefix + "-merged", whole, "megatron"), f"{name}: merge-shards differs from one run"
            builder = IndexedDatasetBuilder(shard_prefix + "-megatron.bin", dtype=expected_dtype["megatron"])
            for shard in shards:
                builder.add_index(shard)
            builder.finalize(shard_prefix + "-megatron.idx")
            assert same_files(shard_prefix + "-megatron", whole, "megatron"), f"{name}: megatron-core's merge of the shards differs from one run"
            print(f"{name}: {len(shards)} shards merged by merge-shards and by megatron-core equal one run")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--polytoken", required=True)
    parser.add_argument("--scratch", required=True)
    parser.add_argument("--tokenizer", action="append", required=True, help="NAME=TOKENIZER.JSON=EOD_TOKEN")
    args = parser.parse_args()
    os.makedirs(args.scratch, exist_ok=True)
    jsonl = os.path.join(args.scratch, "corpus.jsonl")
    texts = write_jsonl(jsonl)
    for spec in args.tokenizer:
        name, path, eod = spec.split("=", 2)
        check(name, path, eod, args.polytoken, args.scratch, jsonl, texts)


if __name__ == "__main__":
    main()
