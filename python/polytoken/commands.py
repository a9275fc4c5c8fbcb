"""The commands that write models and word counts, with the command line's options as keyword
arguments (`new_tokens=8000` is `--new-tokens 8000`; a list repeats its option; a true bool is a
flag) and their summaries as dataclasses. Each runs in this process, exactly as the command
line would, and writes the same files."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Union

from . import _native
from .tokenizer import PathLike


@dataclass
class ModelSummary:
    """What a command that writes a model directory reports: rows before and after, the rows
    each method made, the vocabulary change's counts and the tensors rebuilt. `expand` adds the
    target corpus's tokens per word and bytes per token, before and after."""

    output: str
    source_rows: int
    rows: int
    initialized: int
    methods: Dict[str, int]
    rejected: Dict[str, int]
    counts: Dict[str, int]
    tensors: List[str]
    tokens_per_word: Optional[List[float]] = None
    bytes_per_token: Optional[List[float]] = None


@dataclass
class CountSummary:
    """What `polytoken count` reports."""

    output: str
    documents: int
    bytes: int
    words: int


def _paths(value: Union[PathLike, Sequence[PathLike]]) -> List[str]:
    if isinstance(value, (str, bytes, os.PathLike)):
        return [os.fspath(value)]
    return [os.fspath(item) for item in value]


def command(name: str, *arguments: str, **options) -> Optional[dict]:
    """Runs `polytoken NAME` with `options` as its options and `arguments` after them; returns
    its summary as a dict (None for commands that print their result)."""
    return _native.run([name, *_native.options(options), *(["--", *arguments] if arguments else [])])


def expand(model: PathLike, target_corpus: Union[PathLike, Sequence[PathLike]], new_tokens: int, output: PathLike,
           **options) -> ModelSummary:
    """`polytoken expand`: adds `new_tokens` target-language tokens to the model directory
    `model` and initializes their rows; writes the directory `output`."""
    return ModelSummary(**command("expand", model=model, target_corpus=_paths(target_corpus), new_tokens=new_tokens,
                                  output=output, **options))


def transfer(model: PathLike, helper_model: PathLike, output: PathLike, **options) -> ModelSummary:
    """`polytoken transfer`: a model for the helper's vocabulary, rows by CLP or OMP."""
    return ModelSummary(**command("transfer", model=model, helper_model=helper_model, output=output, **options))


def transtokenize(model: PathLike, target_tokenizer: PathLike, output: PathLike, **options) -> ModelSummary:
    """`polytoken transtokenize`: a model for a target tokenizer, rows mapped through word alignments."""
    return ModelSummary(**command("transtokenize", model=model, target_tokenizer=target_tokenizer, output=output, **options))


def transmi(model: PathLike, output: PathLike, **options) -> ModelSummary:
    """`polytoken transmi`: adds transliterated tokens (TransMI) to a model."""
    return ModelSummary(**command("transmi", model=model, output=output, **options))


def count(files: Union[PathLike, Sequence[PathLike]], output: PathLike, preset: str = "llama3", **options) -> CountSummary:
    """`polytoken count`: counts the words of a corpus into a store that `train(counts=[...])`
    merges with others."""
    return CountSummary(**command("count", *_paths(files), preset=preset, output=output, **options))
