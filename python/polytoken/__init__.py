"""Polytoken: tokenizer training, encoding and vocabulary transfer, exactly compatible with
Hugging Face `tokenizers`, backed by the Swift library (libPolytokenC)."""

from ._native import PolytokenError, UsageError, lib as _lib
from .datasets import DatasetSummary, DatasetWriter, encode_dataset, merge_datasets
from .commands import CountSummary, ModelSummary, command, count, expand, transfer, transmi, transtokenize
from .tokenizer import Encoding, Tokenizer
from .training import TrainSummary, train, train_summary

__version__ = _lib.pt_version().decode()

__all__ = [
    "CountSummary", "DatasetSummary", "DatasetWriter", "Encoding", "ModelSummary", "PolytokenError", "Tokenizer", "TrainSummary", "UsageError",
    "command", "count", "encode_dataset", "expand", "merge_datasets", "train", "train_summary", "transfer", "transmi", "transtokenize",
]
