"""The ctypes binding of libPolytokenC (see polytoken.h beside this file)."""

from __future__ import annotations

import ctypes
import json
import os
import re
from ctypes import POINTER, c_char_p, c_int32, c_int64, c_size_t, c_uint32, c_void_p
from pathlib import Path
from itertools import accumulate
from typing import List, Optional, Sequence

import numpy as np

_LIBRARY_PATH = os.environ.get("POLYTOKEN_LIBRARY", str(Path(__file__).with_name("libPolytokenC.so")))


class PolytokenError(Exception):
    """An error the library reported: its message names the file, JSON path or option."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


class UsageError(PolytokenError, ValueError):
    """An unknown or invalid option or argument (the command line's usage errors)."""


def _load() -> ctypes.CDLL:
    try:
        return ctypes.CDLL(_LIBRARY_PATH)
    except OSError as error:
        missing = re.search(r"(lib[\w+-]+\.so[.\d]*)", str(error))
        name = missing.group(1) if missing else ""
        hints = {"libicu": "the system ICU library (on Debian: apt-get install libicu72, or the libicuNN your system has)",
                 "libsqlite3": "SQLite (on Debian: apt-get install libsqlite3-0)",
                 "libzstd": "Zstandard (on Debian: apt-get install libzstd1)",
                 "libz.": "zlib (on Debian: apt-get install zlib1g)",
                 "libstdc++": "the C++ runtime (on Debian: apt-get install libstdc++6)"}
        for prefix, hint in hints.items():
            if name.startswith(prefix):
                raise ImportError(f"polytoken needs {hint}: {error}") from error
        raise ImportError(f"cannot load {_LIBRARY_PATH}: {error}") from error


lib = _load()
_out_string = POINTER(c_void_p)

for name, restype, argtypes in [
    ("pt_version", c_char_p, []),
    ("pt_string_free", None, [c_void_p]),
    ("pt_tokenizer_from_file", c_int32, [c_char_p, POINTER(c_void_p), _out_string]),
    ("pt_tokenizer_from_str", c_int32, [c_char_p, c_size_t, POINTER(c_void_p), _out_string]),
    ("pt_tokenizer_free", None, [c_void_p]),
    ("pt_tokenizer_to_str", c_int32, [c_void_p, c_int32, _out_string, _out_string]),
    ("pt_tokenizer_vocab_size", c_size_t, [c_void_p, c_int32]),
    ("pt_tokenizer_token_to_id", c_int32, [c_void_p, c_char_p, c_size_t, POINTER(c_uint32)]),
    ("pt_tokenizer_id_to_token", c_int32, [c_void_p, c_uint32, _out_string]),
    ("pt_encode_batch", c_int32, [c_void_p, c_char_p, c_void_p, c_size_t, c_uint32, c_uint32, POINTER(c_void_p), _out_string]),
    ("pt_encoding_free", None, [c_void_p]),
    ("pt_encoding_count", c_size_t, [c_void_p]),
    ("pt_encoding_token_count", c_size_t, [c_void_p]),
    ("pt_encoding_ids", c_void_p, [c_void_p]),
    ("pt_encoding_text_offsets", c_void_p, [c_void_p]),
    ("pt_encoding_offsets", c_void_p, [c_void_p]),
    ("pt_encoding_type_ids", c_void_p, [c_void_p]),
    ("pt_encoding_special_tokens_mask", c_void_p, [c_void_p]),
    ("pt_encoding_attention_mask", c_void_p, [c_void_p]),
    ("pt_encoding_token_bytes", c_void_p, [c_void_p]),
    ("pt_encoding_token_offsets", c_void_p, [c_void_p]),
    ("pt_decode", c_int32, [c_void_p, POINTER(c_uint32), c_size_t, c_int32, _out_string, POINTER(c_size_t), _out_string]),
    ("pt_trainer_new", c_int32, [c_char_p, POINTER(c_void_p), _out_string]),
    ("pt_trainer_add", c_int32, [c_void_p, c_char_p, c_void_p, c_size_t, _out_string]),
    ("pt_trainer_finish", c_int32, [c_void_p, _out_string, _out_string]),
    ("pt_trainer_cancel", None, [c_void_p]),
    ("pt_trainer_free", None, [c_void_p]),
    ("pt_dataset_new", c_int32, [c_void_p, c_char_p, c_char_p, c_int64, c_int64, c_uint32, c_uint32, POINTER(c_void_p), _out_string]),
    ("pt_dataset_add", c_int32, [c_void_p, c_char_p, c_void_p, c_size_t, _out_string]),
    ("pt_dataset_commit", c_int32, [c_void_p, _out_string, _out_string]),
    ("pt_dataset_free", None, [c_void_p]),
    ("pt_run", c_int32, [c_char_p, _out_string, _out_string]),
]:
    function = getattr(lib, name)
    function.restype = restype
    function.argtypes = argtypes

PT_ADD_SPECIAL_TOKENS = 1
PT_DETAILS = 2
PT_REPLACE = 4


def take_string(pointer: c_void_p, length: Optional[int] = None) -> Optional[str]:
    """The text of a string the library returned, which is then released."""
    if not pointer.value:
        return None
    try:
        data = ctypes.string_at(pointer.value, length) if length is not None else ctypes.string_at(pointer.value)
        return data.decode("utf-8", errors="replace")
    finally:
        lib.pt_string_free(pointer)


def check(status: int, error: c_void_p) -> None:
    """Raises the library's error when `status` is not 0."""
    if status == 0:
        return
    message = take_string(error) or f"polytoken failed with status {status}"
    raise (UsageError if status == 64 else PolytokenError)(message, status)


class TextArray:
    """Texts packed as the batch calls take them: the UTF-8 of all, one after the other, and
    where each starts (one more offset than texts)."""

    def __init__(self, texts: Sequence[str]):
        if isinstance(texts, (str, bytes)):
            raise TypeError("expected a sequence of str, not a single str")
        try:
            encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
        except (AttributeError, TypeError):
            for index, text in enumerate(texts):
                if not isinstance(text, str):
                    raise TypeError(f"texts[{index}] is {type(text).__name__}, not str") from None
            raise
        self.count = len(encoded)
        self.data = b"".join(encoded)
        self._offsets = np.fromiter(accumulate(map(len, encoded), initial=0), dtype=np.int64, count=self.count + 1)
        self.offsets = self._offsets.ctypes.data


def run(arguments: Sequence[str]) -> Optional[dict]:
    """Runs a polytoken command in this process; its summary as a dict, if it has one."""
    summary, error = c_void_p(), c_void_p()
    check(lib.pt_run(json.dumps(list(arguments)).encode(), ctypes.byref(summary), ctypes.byref(error)), error)
    text = take_string(summary)
    return None if text is None else json.loads(text)


def options(arguments: dict) -> List[str]:
    """Command-line options of keyword arguments: `new_tokens=8` is `--new-tokens 8`, a true
    bool a flag, a list or tuple its option repeated; None and False are left out."""
    flags: List[str] = []
    for key, value in arguments.items():
        if value is None or value is False:
            continue
        flag = "--" + key.replace("_", "-")
        if value is True:
            flags.append(flag)
        elif isinstance(value, (list, tuple)):
            for item in value:
                flags += [flag, os.fspath(item) if isinstance(item, os.PathLike) else str(item)]
        else:
            flags += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]
    return flags
