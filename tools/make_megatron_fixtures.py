"""Writes the Megatron indexed-dataset fixtures of DatasetsTests with megatron-core's own builder.

Each fixture is built as Megatron-LM's tools/preprocess_data.py builds a dataset: one
`add_document` per document, one sequence per non-empty document, none for an empty one.
`merged` is made by `add_index`, as tools/merge_datasets.py merges. Run with megatron-core
(and torch) installed:

    python tools/make_megatron_fixtures.py Tests/DatasetsTests/Fixtures
"""
import json
import sys
from pathlib import Path

import numpy
from megatron.core.datasets.indexed_dataset import IndexedDatasetBuilder


def documents(count, vocabulary, seed):
    """Deterministic documents of 0 to 40 ids below `vocabulary`, some empty."""
    rng = numpy.random.default_rng(seed)
    result = []
    for index in range(count):
        length = 0 if index % 7 == 3 else int(rng.integers(1, 41))
        result.append([int(value) for value in rng.integers(0, vocabulary, size=length)])
    return result


def build(prefix, docs, dtype):
    builder = IndexedDatasetBuilder(str(prefix) + ".bin", dtype=dtype)
    for doc in docs:
        builder.add_document(doc, [len(doc)] if doc else [])
    builder.finalize(str(prefix) + ".idx")


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    cases = {
        "uint16": (documents(50, 32_000, 1), numpy.uint16),
        "int32": (documents(50, 128_256, 2), numpy.int32),
        "part2": (documents(20, 32_000, 3), numpy.uint16),
    }
    for name, (docs, dtype) in cases.items():
        build(out / name, docs, dtype)
    merged = IndexedDatasetBuilder(str(out / "merged.bin"), dtype=numpy.uint16)
    merged.add_index(str(out / "uint16"))
    merged.add_index(str(out / "part2"))
    merged.finalize(str(out / "merged.idx"))
    (out / "documents.json").write_text(json.dumps({name: docs for name, (docs, _) in cases.items()}) + "\n")


if __name__ == "__main__":
    main()
