"""Token datasets for training engines, written from Python: the same files as
`polytoken encode -o PREFIX --format megatron|npy|jsonl`, from any iterable of texts or from
Arrow data (record batches, tables, string arrays, or Parquet through `pyarrow`)."""

from __future__ import annotations

import ctypes
import json
import os
from ctypes import c_void_p
from dataclasses import dataclass, field
from typing import Any, Iterable, List, Optional, Sequence, Union

import numpy as np

from . import _native
from ._native import lib
from .tokenizer import PathLike, Tokenizer


@dataclass
class DatasetSummary:
    """What a committed dataset holds, and its files (the index last)."""

    documents: int
    tokens: int
    text_bytes: int
    paths: List[str]
    shards: List[str] = field(default_factory=list)


class _ArrowTexts:
    """The texts of an Arrow string array, passed to the library in place: its UTF-8 data
    buffer and its offsets (widened to int64)."""

    def __init__(self, array: Any):
        import pyarrow as pa

        if pa.types.is_dictionary(array.type):
            array = array.dictionary_decode()
        if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
            raise TypeError(f"expected a string column, not {array.type}")
        if array.null_count:
            row = next(i for i, valid in enumerate(array.is_valid().to_pylist()) if not valid)
            raise ValueError(f"row {row} of the text column is null")
        width = np.int64 if pa.types.is_large_string(array.type) else np.int32
        _, offsets, data = array.buffers()
        self.count = len(array)
        offsets = np.frombuffer(offsets, dtype=width)[array.offset:array.offset + self.count + 1].astype(np.int64)
        start = int(offsets[0])
        self._offsets = offsets - start
        self._keep = array
        self.data = ctypes.cast(data.address + start, ctypes.c_char_p) if self._offsets[-1] else ctypes.c_char_p(b"")
        self.offsets = self._offsets.ctypes.data


def _column(batch: Any, column: str) -> Any:
    """The string array at `column` (a name, or a dotted path into struct columns) of a record batch."""
    names = column.split(".")
    try:
        array = batch.column(names[0])
    except KeyError:
        raise KeyError(f"no column '{names[0]}' (columns: {', '.join(batch.schema.names)})") from None
    for depth, name in enumerate(names[1:], start=1):
        try:
            array = array.field(name)
        except (KeyError, AttributeError):
            raise KeyError(f"no field '{name}' in column '{'.'.join(names[:depth])}' ({array.type})") from None
    return array


class DatasetWriter:
    """Writes a token dataset at `prefix`, batch by batch, exactly as `polytoken encode -o`:

        with polytoken.DatasetWriter(tokenizer, "out/train", format="megatron", append_eod="</s>") as dataset:
            dataset.write(texts)                                     # any iterable of str, each one document
            dataset.write(pyarrow.parquet.ParquetFile(path).iter_batches(columns=["text"]))
        print(dataset.summary)

    `format`: megatron (PREFIX.bin, PREFIX.idx), npy (PREFIX.tokens.npy, PREFIX.offsets.npy) or
    jsonl. `append_eod` (a token or an id) is appended to every non-empty document, as Megatron's
    `--append-eod`; `shard_size` splits the dataset into numbered shards of at least that many
    tokens. Texts are encoded on `threads` threads (0: every core), the bytes independent of it.
    Nothing appears at `prefix` until `commit()` (the `with` block's end); an error or leaving
    the block by an exception removes everything written, and an existing dataset is replaced
    only with `replace=True`.
    """

    def __init__(self, tokenizer: Union[Tokenizer, PathLike], prefix: PathLike, format: str = "megatron", *,
                 append_eod: Union[str, int, None] = None, add_special_tokens: bool = True,
                 shard_size: Optional[int] = None, threads: int = 0, replace: bool = False, batch_bytes: int = 4 << 20):
        if not isinstance(tokenizer, Tokenizer):
            tokenizer = Tokenizer.from_file(tokenizer)
        if isinstance(append_eod, str):
            eod = tokenizer.token_to_id(append_eod)
            if eod is None:
                raise ValueError(f"append_eod: {append_eod!r} is not a token of the tokenizer")
        else:
            eod = -1 if append_eod is None else append_eod
        if shard_size is not None and shard_size < 1:
            raise ValueError("shard_size must be at least 1")
        if not isinstance(threads, int) or threads < 0:
            raise ValueError("threads must be a non-negative int (0: every core)")
        self.tokenizer = tokenizer
        self.batch_bytes = batch_bytes
        self.summary: Optional[DatasetSummary] = None
        flags = (_native.PT_ADD_SPECIAL_TOKENS if add_special_tokens else 0) | (_native.PT_REPLACE if replace else 0)
        handle, error = c_void_p(), c_void_p()
        _native.check(lib.pt_dataset_new(tokenizer._handle, os.fspath(prefix).encode(), format.encode(), eod,
                                         shard_size or 0, flags, threads, ctypes.byref(handle), ctypes.byref(error)), error)
        self._handle = handle

    def _add(self, texts: Any) -> None:
        if not self._handle:
            raise ValueError("the dataset is closed")
        error = c_void_p()
        status = lib.pt_dataset_add(self._handle, texts.data, texts.offsets, texts.count, ctypes.byref(error))
        if status:
            self.abandon()
            _native.check(status, error)

    def write(self, texts: Union[Iterable[str], Any], column: str = "text") -> None:
        """Appends documents: an iterable of str, or Arrow data (a RecordBatch, Table,
        string Array or ChunkedArray, or an iterable of RecordBatches) whose `column` (a name,
        or a dotted path into struct columns such as `meta.text`) holds the texts."""
        if isinstance(texts, (str, bytes)):
            raise TypeError("write takes an iterable of texts, not one text")
        kind = type(texts).__module__
        if kind.startswith("pyarrow"):
            return self._write_arrow(texts, column)
        iterator = iter(texts)
        first = next(iterator, None)
        if first is None:
            return
        if type(first).__module__.startswith("pyarrow"):
            self._write_arrow(first, column)
            for batch in iterator:
                self._write_arrow(batch, column)
            return
        batch: List[str] = [first]
        size = len(first) if isinstance(first, str) else 0
        for text in iterator:
            if size >= self.batch_bytes:
                self._add(_native.TextArray(batch))
                batch, size = [], 0
            batch.append(text)
            size += len(text) if isinstance(text, str) else 0
        self._add(_native.TextArray(batch))

    def _write_arrow(self, data: Any, column: str) -> None:
        import pyarrow as pa

        if isinstance(data, pa.Table):
            for batch in data.to_batches():
                self._write_arrow(batch, column)
        elif isinstance(data, pa.RecordBatch):
            self._write_arrow(_column(data, column), column)
        elif isinstance(data, pa.ChunkedArray):
            for chunk in data.chunks:
                self._write_arrow(chunk, column)
        elif isinstance(data, pa.Array):
            for start in range(0, len(data), 65536):
                self._add(_ArrowTexts(data.slice(start, 65536)))
        else:
            raise TypeError(f"cannot write {type(data).__name__}: expected a pyarrow RecordBatch, Table, Array or ChunkedArray")

    def commit(self) -> DatasetSummary:
        """Completes the dataset and moves its files into place; returns what it holds."""
        if not self._handle:
            raise ValueError("the dataset is closed")
        text, error = c_void_p(), c_void_p()
        status = lib.pt_dataset_commit(self._handle, ctypes.byref(text), ctypes.byref(error))
        self.abandon()
        _native.check(status, error)
        self.summary = DatasetSummary(**json.loads(_native.take_string(text) or "{}"))
        return self.summary

    def abandon(self) -> None:
        """Removes everything written, unless committed; the writer is closed."""
        if self._handle:
            lib.pt_dataset_free(self._handle)
            self._handle = c_void_p()

    def __enter__(self) -> "DatasetWriter":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None and self._handle:
            self.commit()
        else:
            self.abandon()

    def __del__(self):
        handle = getattr(self, "_handle", None)
        if handle:
            lib.pt_dataset_free(handle)


def encode_dataset(tokenizer: Union[Tokenizer, PathLike], texts: Union[Iterable[str], Any], prefix: PathLike,
                   format: str = "megatron", column: str = "text", **options) -> DatasetSummary:
    """Writes the documents `texts` (see `DatasetWriter.write`) as a token dataset at `prefix`;
    the keyword options are `DatasetWriter`'s."""
    with DatasetWriter(tokenizer, prefix, format, **options) as dataset:
        dataset.write(texts, column)
    return dataset.summary


def merge_datasets(inputs: Sequence[PathLike], output: PathLike, format: Optional[str] = None,
                   replace: bool = False) -> DatasetSummary:
    """`polytoken merge-shards`: concatenates Megatron or npy datasets (prefixes), in order,
    into one at `output`, checking each first."""
    from .commands import command

    summary = command("merge-shards", *[os.fspath(p) for p in inputs], output=output, format=format, force=replace)
    return DatasetSummary(text_bytes=0, **summary)


__all__ = ["DatasetSummary", "DatasetWriter", "encode_dataset", "merge_datasets"]
