"""Training a BPE tokenizer exactly as Hugging Face `tokenizers` would, from files or from an
iterator of texts."""

from __future__ import annotations

import ctypes
import json
import os
import tempfile
import threading
from ctypes import c_void_p
from dataclasses import dataclass
from itertools import islice
from typing import Iterable, Iterator, List, Optional, Sequence

from . import _native
from ._native import lib
from .tokenizer import PathLike, Tokenizer


@dataclass
class TrainSummary:
    """What `polytoken train` reports: the corpus read and the tokenizer made."""

    output: str
    documents: int
    bytes: int
    words: int
    tokens: int
    merges: int
    counting_seconds: float
    merging_seconds: float


def _training_options(preset: str, vocab_size: int, options: dict) -> List[str]:
    if not isinstance(vocab_size, int) or isinstance(vocab_size, bool):
        raise TypeError(f"vocab_size must be int, not {type(vocab_size).__name__}")
    return _native.options({"preset": preset, "vocab_size": vocab_size, **options})


def _finish(trainer: c_void_p) -> str:
    """Runs the merge phase in a helper thread so that Ctrl-C in the caller cancels it."""
    result: dict = {}

    def work() -> None:
        text, error = c_void_p(), c_void_p()
        status = lib.pt_trainer_finish(trainer, ctypes.byref(text), ctypes.byref(error))
        result["status"], result["text"], result["error"] = status, text, error

    thread = threading.Thread(target=work, name="polytoken-train", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.1)
    except KeyboardInterrupt:
        lib.pt_trainer_cancel(trainer)
        thread.join()
        if result.get("status") == 0:
            lib.pt_string_free(result["text"])
        elif "error" in result:
            lib.pt_string_free(result["error"])
        raise
    _native.check(result["status"], result["error"])
    return _native.take_string(result["text"]) or ""


def train(files: Optional[Sequence[PathLike]] = None, iterator: Optional[Iterable[str]] = None, *,
          vocab_size: int, preset: str = "llama3", output: Optional[PathLike] = None, batch_size: int = 16384,
          **options) -> Tokenizer:
    """Trains a BPE tokenizer, exactly as `tokenizers` would, and returns it.

    Give `files` (paths, directories or .gz files, one document per line, as `tokenizers`'
    `train(files)`) or `iterator` (texts, each one document, as `train_from_iterator`).
    `preset` and the keyword options are `polytoken train`'s: `special_token=[...]`,
    `min_frequency`, `limit_alphabet`, `initial_alphabet`, `max_token_length`,
    `continuing_subword_prefix`, `end_of_word_suffix`, `bos`, `eos`, `pad`, `unk`,
    `merges_format`, `threads`. With `output`, the files are also written there as the command
    line writes them (a `tokenizer.json`, or a directory when it ends in '/'). Ctrl-C stops
    training with KeyboardInterrupt.
    """
    if (files is None) == (iterator is None):
        raise ValueError("give either files or iterator")
    arguments = _training_options(preset, vocab_size, options)
    if files is not None:
        if isinstance(files, (str, bytes, os.PathLike)):
            files = [files]
        paths = [os.fspath(path) for path in files]
        with tempfile.TemporaryDirectory() as scratch:
            destination = os.fspath(output) if output is not None else os.path.join(scratch, "tokenizer.json")
            _native.run(["train", *arguments, "--output", destination, "--", *paths])
            if destination.endswith("/") or os.path.isdir(destination):
                destination = os.path.join(destination, "tokenizer.json")
            return Tokenizer.from_file(destination)
    if isinstance(iterator, (str, bytes)):
        raise TypeError("iterator must yield texts, not be one")
    handle, error = c_void_p(), c_void_p()
    _native.check(lib.pt_trainer_new(json.dumps(arguments).encode(), ctypes.byref(handle), ctypes.byref(error)), error)
    try:
        texts: Iterator[str] = iter(iterator)
        while True:
            batch = list(islice(texts, batch_size))
            if not batch:
                break
            array = _native.TextArray(batch)
            error = c_void_p()
            _native.check(lib.pt_trainer_add(handle, array.data, array.offsets, array.count, ctypes.byref(error)), error)
        tokenizer = Tokenizer.from_str(_finish(handle))
    finally:
        lib.pt_trainer_free(handle)
    if output is not None:
        destination = os.fspath(output)
        if destination.endswith("/") or os.path.isdir(destination):
            os.makedirs(destination, exist_ok=True)
            destination = os.path.join(destination, "tokenizer.json")
        tokenizer.save(destination)
    return tokenizer


def train_summary(files: Sequence[PathLike], *, vocab_size: int, output: PathLike, preset: str = "llama3",
                  **options) -> TrainSummary:
    """Runs `polytoken train` on `files` into `output` and returns what it reports."""
    if isinstance(files, (str, bytes, os.PathLike)):
        files = [files]
    summary = _native.run(["train", *_training_options(preset, vocab_size, options), "--output", os.fspath(output), "--",
                           *[os.fspath(path) for path in files]])
    return TrainSummary(**summary)
