"""Polytoken: tokenizer training, encoding and vocabulary transfer, exactly compatible with
Hugging Face `tokenizers`, backed by the Swift library (libPolytokenC)."""

from ._native import PolytokenError, UsageError, lib as _lib
from .commands import CountSummary, ModelSummary, command, count, expand, transfer, transmi, transtokenize
from .tokenizer import Encoding, Tokenizer
from .training import TrainSummary, train, train_summary

__version__ = _lib.pt_version().decode()

__all__ = [
    "CountSummary", "Encoding", "ModelSummary", "PolytokenError", "Tokenizer", "TrainSummary", "UsageError",
    "command", "count", "expand", "train", "train_summary", "transfer", "transmi", "transtokenize",
]
