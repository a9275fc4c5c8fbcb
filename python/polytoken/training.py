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


class _Finishing:
    """The merge phase of a training session, run in a helper thread so that Ctrl-C in the
    caller can cancel it. It owns the session from its creation: the helper thread releases it
    when the library call returns, so that an interrupt at any moment (even while the thread is
    starting) never releases a session the library is still using."""

    def __init__(self, trainer: c_void_p):
        self.trainer: Optional[c_void_p] = trainer
        self.lock = threading.Lock()
        self.abandoned = False
        self.status: Optional[int] = None
        self.text, self.error = c_void_p(), c_void_p()

    def run(self) -> None:
        try:
            self.status = lib.pt_trainer_finish(self.trainer, ctypes.byref(self.text), ctypes.byref(self.error))
        finally:
            with self.lock:
                lib.pt_trainer_free(self.trainer)
                self.trainer = None
                if self.abandoned:
                    self.release()

    def cancel(self) -> None:
        """Stops the library call (it fails as cancelled); its results are released when it returns."""
        with self.lock:
            self.abandoned = True
            if self.trainer is not None:
                lib.pt_trainer_cancel(self.trainer)
            else:
                self.release()

    def release(self) -> None:
        lib.pt_string_free(self.text)
        lib.pt_string_free(self.error)
        self.text, self.error = c_void_p(), c_void_p()


def _finish(trainer: c_void_p) -> str:
    """Trains on what `trainer` counted and returns the tokenizer.json text; takes ownership of
    `trainer`. Ctrl-C cancels the training, waits for the library to stop, and raises
    KeyboardInterrupt."""
    finishing = _Finishing(trainer)
    thread = threading.Thread(target=finishing.run, name="polytoken-train", daemon=True)
    try:
        thread.start()
        while thread.is_alive():
            thread.join(0.1)
    except KeyboardInterrupt:
        finishing.cancel()
        try:
            thread.join()
        except RuntimeError:
            pass  # the thread never started: the session is left to the process's end
        raise
    _native.check(finishing.status, finishing.error)
    return _native.take_string(finishing.text) or ""


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
    except BaseException:
        lib.pt_trainer_free(handle)
        raise
    tokenizer = Tokenizer.from_str(_finish(handle))
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
