"""Token datasets from Python: the same bytes as `polytoken encode -o`, from iterables of texts
and from Arrow data; ids equal to `tokenizers`' encode plus the eod token; nothing left behind
by a failure; shards merged equal one dataset."""

import filecmp
import json
import os
import subprocess

import numpy as np
import pytest
import tokenizers

import polytoken
from conftest import SAMPLES, golden_json
from test_commands import command_line

EOD = "<|end_of_text|>"
FILES = [SAMPLES / f"{name}.txt" for name in ("en", "ru", "ja", "th", "ar")]


@pytest.fixture(scope="module")
def tokenizer_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("tokenizer") / "tokenizer.json"
    path.write_text(golden_json("trained-llama3"), encoding="utf-8")
    return path


def lines():
    """The documents `polytoken encode` reads from FILES: lines without their line ending."""
    out = []
    for path in FILES:
        data = path.read_bytes().split(b"\n")
        out += [line.removesuffix(b"\r").decode() for line in (data[:-1] if data[-1] == b"" else data)]
    return out


def same(prefix_a, prefix_b, suffixes):
    return all(filecmp.cmp(f"{prefix_a}{s}", f"{prefix_b}{s}", shallow=False) for s in suffixes)


SUFFIXES = {"megatron": [".bin", ".idx"], "npy": [".tokens.npy", ".offsets.npy"], "jsonl": [".jsonl"]}


@pytest.mark.parametrize("format", ["megatron", "npy", "jsonl"])
def test_iterable_gives_the_command_lines_bytes(tokenizer_path, tmp_path, format):
    cli = tmp_path / "cli"
    subprocess.run([command_line(), "encode", "--tokenizer", str(tokenizer_path), "--format", format, "--append-eod",
                    "--eod-token", EOD, "-o", str(cli), *map(str, FILES)], check=True, capture_output=True)
    summary = polytoken.encode_dataset(tokenizer_path, iter(lines()), tmp_path / "python", format, append_eod=EOD,
                                       batch_bytes=20_000, threads=2)
    assert same(cli, tmp_path / "python", SUFFIXES[format])
    assert summary.documents == len(lines())
    assert summary.paths == [f"{tmp_path / 'python'}{s}" for s in SUFFIXES[format]]


def test_ids_are_tokenizers_with_eod(tokenizer_path, tmp_path):
    texts = lines()
    summary = polytoken.encode_dataset(tokenizer_path, texts, tmp_path / "d", "npy", append_eod=EOD)
    reference = tokenizers.Tokenizer.from_file(str(tokenizer_path))
    eod = reference.token_to_id(EOD)
    expected = [e.ids + [eod] if e.ids else [] for e in reference.encode_batch(texts)]
    tokens = np.load(tmp_path / "d.tokens.npy", mmap_mode="r")
    offsets = np.load(tmp_path / "d.offsets.npy", mmap_mode="r")
    assert tokens.dtype == np.uint16 and offsets.dtype == np.int64
    assert [tokens[a:b].tolist() for a, b in zip(offsets[:-1], offsets[1:])] == expected
    assert summary.tokens == sum(map(len, expected))


def test_arrow_batches_tables_and_parquet_give_the_same_bytes(tokenizer_path, tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    texts = lines()
    polytoken.encode_dataset(tokenizer_path, texts, tmp_path / "plain", append_eod=EOD)
    table = pa.table({"id": list(range(len(texts))), "meta": [{"text": t, "lang": "x"} for t in texts]})
    polytoken.encode_dataset(tokenizer_path, table, tmp_path / "table", column="meta.text", append_eod=EOD)
    flat = pa.table({"text": pa.array(texts, type=pa.large_string())})
    pq.write_table(flat, tmp_path / "corpus.parquet", row_group_size=700)
    batches = pq.ParquetFile(tmp_path / "corpus.parquet").iter_batches(batch_size=333, columns=["text"])
    polytoken.encode_dataset(tokenizer_path, batches, tmp_path / "parquet", append_eod=EOD)
    sliced = pa.chunked_array([pa.array(texts[:1000]), pa.array(["x"] + texts[1000:]).slice(1)])
    polytoken.encode_dataset(tokenizer_path, sliced, tmp_path / "sliced", append_eod=EOD)
    for name in ["table", "parquet", "sliced"]:
        assert same(tmp_path / "plain", tmp_path / name, [".bin", ".idx"]), name
    with pytest.raises(ValueError, match="row 1 of the text column is null"):
        polytoken.encode_dataset(tokenizer_path, pa.table({"text": ["a", None]}), tmp_path / "nulls")
    with pytest.raises(KeyError, match="no field 'body' in column 'meta'"):
        polytoken.encode_dataset(tokenizer_path, table, tmp_path / "missing", column="meta.body")
    assert not list(tmp_path.glob("nulls*")) and not list(tmp_path.glob("missing*"))


def test_failure_leaves_nothing_and_existing_needs_replace(tokenizer_path, tmp_path):
    with pytest.raises(RuntimeError):
        with polytoken.DatasetWriter(tokenizer_path, tmp_path / "d") as dataset:
            dataset.write(lines()[:100])
            raise RuntimeError("the pipeline failed")
    assert os.listdir(tmp_path) == []
    polytoken.encode_dataset(tokenizer_path, lines()[:10], tmp_path / "d")
    before = (tmp_path / "d.idx").read_bytes()
    with pytest.raises(polytoken.PolytokenError, match="d.bin"):
        polytoken.encode_dataset(tokenizer_path, lines(), tmp_path / "d")
    assert (tmp_path / "d.idx").read_bytes() == before
    summary = polytoken.encode_dataset(tokenizer_path, lines(), tmp_path / "d", replace=True)
    assert summary.documents == len(lines())
    with pytest.raises(ValueError, match="not a token"):
        polytoken.DatasetWriter(tokenizer_path, tmp_path / "e", append_eod="<missing>")
    with pytest.raises(polytoken.PolytokenError, match="unknown dataset format 'parquet'"):
        polytoken.DatasetWriter(tokenizer_path, tmp_path / "e", format="parquet")
    with pytest.raises(TypeError, match="not one text"):
        polytoken.encode_dataset(tokenizer_path, "one text", tmp_path / "e")
    assert sorted(os.listdir(tmp_path)) == ["d.bin", "d.idx"]


def test_shards_merge_into_one_dataset(tokenizer_path, tmp_path):
    whole = polytoken.encode_dataset(tokenizer_path, lines(), tmp_path / "whole", append_eod=EOD)
    sharded = polytoken.encode_dataset(tokenizer_path, lines(), tmp_path / "part", append_eod=EOD, shard_size=20_000)
    assert len(sharded.shards) > 2
    merged = polytoken.merge_datasets(sharded.shards, tmp_path / "merged")
    assert (merged.documents, merged.tokens) == (whole.documents, whole.tokens)
    assert same(tmp_path / "whole", tmp_path / "merged", [".bin", ".idx"])
    assert json.dumps(merged.paths) == json.dumps([f"{tmp_path / 'merged'}.bin", f"{tmp_path / 'merged'}.idx"])
