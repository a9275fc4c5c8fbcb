"""Tokenizer: encoding and decoding with any tokenizer file Polytoken reads."""

from __future__ import annotations

import ctypes
import os
from ctypes import c_size_t, c_uint32, c_void_p
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _native
from ._native import lib

PathLike = Union[str, "os.PathLike[str]"]


@dataclass
class Encoding:
    """The encoding of one text, as `tokenizers.Encoding` gives it: ids, token strings,
    character offsets (code points, as Python indexes a str), type ids and masks."""

    ids: List[int]
    tokens: List[str] = field(default_factory=list)
    offsets: List[Tuple[int, int]] = field(default_factory=list)
    type_ids: List[int] = field(default_factory=list)
    attention_mask: List[int] = field(default_factory=list)
    special_tokens_mask: List[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)


class _Buffers:
    """Owns a `pt_encoding` and releases it when the last array viewing it is gone."""

    def __init__(self, handle: c_void_p):
        self.handle = handle

    def __del__(self):
        if self.handle:
            lib.pt_encoding_free(self.handle)
            self.handle = None

    def array(self, pointer: Optional[int], dtype: str, count: int) -> np.ndarray:
        """A read-only numpy array over `count` values at `pointer`, keeping the buffers alive."""
        if count == 0 or not pointer:
            return np.zeros(0, dtype=dtype)
        return np.asarray(_View(self, pointer, np.dtype(dtype), count))


class _View:
    """The numpy array interface of one buffer of a `_Buffers`."""

    def __init__(self, owner: _Buffers, pointer: int, dtype: np.dtype, count: int):
        self.owner = owner
        self.__array_interface__ = {"shape": (count,), "typestr": dtype.str, "data": (pointer, True), "version": 3}


class Tokenizer:
    """A tokenizer loaded from a `tokenizer.json`, a SentencePiece model, a GGUF file, a tiktoken
    rank file, GPT-2's `vocab.json` (with `merges.txt` beside it) or a BERT `vocab.txt`.
    Ids, tokens and offsets equal those of Hugging Face `tokenizers` on the same file."""

    def __init__(self, handle: c_void_p):
        self._handle = handle

    def __del__(self):
        handle = getattr(self, "_handle", None)
        if handle:
            lib.pt_tokenizer_free(handle)
            self._handle = None

    @classmethod
    def from_file(cls, path: PathLike) -> "Tokenizer":
        """Loads a tokenizer file of any format Polytoken reads, told from its content."""
        path = os.fspath(path)
        if not isinstance(path, str):
            raise TypeError(f"path must be str or os.PathLike, not {type(path).__name__}")
        handle, error = c_void_p(), c_void_p()
        _native.check(lib.pt_tokenizer_from_file(path.encode(), ctypes.byref(handle), ctypes.byref(error)), error)
        return cls(handle)

    @classmethod
    def from_str(cls, json: str) -> "Tokenizer":
        """Loads a tokenizer from the text of a `tokenizer.json`."""
        if not isinstance(json, str):
            raise TypeError(f"json must be str, not {type(json).__name__}")
        data = json.encode("utf-8")
        handle, error = c_void_p(), c_void_p()
        _native.check(lib.pt_tokenizer_from_str(data, len(data), ctypes.byref(handle), ctypes.byref(error)), error)
        return cls(handle)

    def to_str(self, pretty: bool = False) -> str:
        """The `tokenizer.json` text."""
        text, error = c_void_p(), c_void_p()
        _native.check(lib.pt_tokenizer_to_str(self._handle, int(pretty), ctypes.byref(text), ctypes.byref(error)), error)
        return _native.take_string(text) or ""

    def save(self, path: PathLike, pretty: bool = True) -> None:
        """Writes the `tokenizer.json` to `path` (through a temporary file renamed into place)."""
        path = os.fspath(path)
        temporary = f"{path}.tmp-{os.getpid()}"
        with open(temporary, "w", encoding="utf-8") as file:
            file.write(self.to_str(pretty))
        os.replace(temporary, path)

    def to_huggingface(self) -> Any:
        """The same tokenizer as a `tokenizers.Tokenizer` (needs the `tokenizers` package)."""
        try:
            import tokenizers
        except ImportError as error:
            raise ImportError("to_huggingface needs the tokenizers package: pip install tokenizers") from error
        return tokenizers.Tokenizer.from_str(self.to_str())

    def get_vocab_size(self, with_added_tokens: bool = True) -> int:
        """The number of distinct tokens, the added ones included unless told otherwise."""
        return lib.pt_tokenizer_vocab_size(self._handle, int(with_added_tokens))

    def token_to_id(self, token: str) -> Optional[int]:
        """The id of `token` (added tokens first), or None."""
        if not isinstance(token, str):
            raise TypeError(f"token must be str, not {type(token).__name__}")
        data = token.encode("utf-8", errors="surrogatepass")
        found = c_uint32()
        return found.value if lib.pt_tokenizer_token_to_id(self._handle, data, len(data), ctypes.byref(found)) else None

    def id_to_token(self, id: int) -> Optional[str]:
        """The token of `id`, or None."""
        if not isinstance(id, int) or isinstance(id, bool):
            raise TypeError(f"id must be int, not {type(id).__name__}")
        if not 0 <= id < 2**32:
            return None
        text = c_void_p()
        return _native.take_string(text) if lib.pt_tokenizer_id_to_token(self._handle, id, ctypes.byref(text)) else None

    def _encode(self, texts: Sequence[str], add_special_tokens: bool, details: bool, threads: int) -> _Buffers:
        if not isinstance(threads, int) or threads < 0:
            raise ValueError("threads must be a non-negative int (0: every core)")
        array = _native.TextArray(texts)
        flags = (_native.PT_ADD_SPECIAL_TOKENS if add_special_tokens else 0) | (_native.PT_DETAILS if details else 0)
        handle, error = c_void_p(), c_void_p()
        _native.check(lib.pt_encode_batch(self._handle, array.data, array.offsets, array.count, flags, threads,
                                          ctypes.byref(handle), ctypes.byref(error)), error)
        return _Buffers(handle)

    def encode(self, text: str, add_special_tokens: bool = True) -> Encoding:
        """Encodes one text."""
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        return self.encode_batch([text], add_special_tokens, threads=1)[0]

    def encode_batch(self, texts: Sequence[str], add_special_tokens: bool = True, threads: int = 0) -> List[Encoding]:
        """Encodes many texts on `threads` threads (0: every core), with tokens, offsets and masks."""
        buffers = self._encode(texts, add_special_tokens, True, threads)
        handle = buffers.handle
        count, total = lib.pt_encoding_count(handle), lib.pt_encoding_token_count(handle)
        ids = buffers.array(lib.pt_encoding_ids(handle), "<u4", total).tolist()
        starts = buffers.array(lib.pt_encoding_text_offsets(handle), "<i8", count + 1).tolist()
        offsets = buffers.array(lib.pt_encoding_offsets(handle), "<i8", 2 * total).tolist()
        type_ids = buffers.array(lib.pt_encoding_type_ids(handle), "<u4", total).tolist()
        special = buffers.array(lib.pt_encoding_special_tokens_mask(handle), "u1", total).tolist()
        attention = buffers.array(lib.pt_encoding_attention_mask(handle), "u1", total).tolist()
        token_starts = buffers.array(lib.pt_encoding_token_offsets(handle), "<i8", total + 1).tolist()
        token_bytes = ctypes.string_at(lib.pt_encoding_token_bytes(handle), token_starts[-1]) if total else b""
        tokens = [token_bytes[token_starts[i]:token_starts[i + 1]].decode("utf-8", errors="replace") for i in range(total)]
        return [Encoding(ids=ids[a:b], tokens=tokens[a:b], offsets=[(offsets[2 * i], offsets[2 * i + 1]) for i in range(a, b)],
                         type_ids=type_ids[a:b], attention_mask=attention[a:b], special_tokens_mask=special[a:b])
                for a, b in zip(starts, starts[1:])]

    def encode_batch_ids(self, texts: Sequence[str], add_special_tokens: bool = True, threads: int = 0) -> List[List[int]]:
        """The ids of many texts, one list per text (no tokens or offsets are made)."""
        ids, starts = self.encode_batch_numpy(texts, add_special_tokens, threads)
        flat, bounds = ids.tolist(), starts.tolist()
        return [flat[a:b] for a, b in zip(bounds, bounds[1:])]

    def encode_batch_numpy(self, texts: Sequence[str], add_special_tokens: bool = True,
                           threads: int = 0) -> Tuple[np.ndarray, np.ndarray]:
        """The fastest way to encode many texts: a flat `uint32` array of every text's ids and an
        `int64` array of where each text's ids start (one more than the texts; text i is
        `ids[starts[i]:starts[i + 1]]`). Both arrays view the library's buffers without a copy."""
        buffers = self._encode(texts, add_special_tokens, False, threads)
        handle = buffers.handle
        count, total = lib.pt_encoding_count(handle), lib.pt_encoding_token_count(handle)
        return (buffers.array(lib.pt_encoding_ids(handle), "<u4", total),
                buffers.array(lib.pt_encoding_text_offsets(handle), "<i8", count + 1))

    def decode(self, ids: Iterable[int], skip_special_tokens: bool = True) -> str:
        """The text of `ids` through the tokenizer's decoder (special tokens left out by default,
        as `tokenizers` does)."""
        values = np.ascontiguousarray(np.fromiter(ids, dtype=np.int64))
        if values.size and (values.min() < 0 or values.max() >= 2**32):
            raise ValueError("ids must lie between 0 and 2**32 - 1")
        array = np.ascontiguousarray(values.astype(np.uint32))
        text, length, error = c_void_p(), c_size_t(), c_void_p()
        _native.check(lib.pt_decode(self._handle, array.ctypes.data_as(ctypes.POINTER(c_uint32)), array.size,
                                    int(skip_special_tokens), ctypes.byref(text), ctypes.byref(length), ctypes.byref(error)), error)
        return _native.take_string(text, length.value) or ""

    def decode_batch(self, sequences: Iterable[Iterable[int]], skip_special_tokens: bool = True) -> List[str]:
        """The texts of several id sequences."""
        return [self.decode(ids, skip_special_tokens) for ids in sequences]

    def get_vocab(self, with_added_tokens: bool = True) -> Dict[str, int]:
        """Every token and its id (parsed from the `tokenizer.json` text)."""
        import json
        document = json.loads(self.to_str())
        model = document.get("model", {})
        vocab = model.get("vocab", {})
        if isinstance(vocab, list):
            vocab = {entry[0]: index for index, entry in enumerate(vocab)}
        vocab = dict(vocab)
        if with_added_tokens:
            for token in document.get("added_tokens", []):
                vocab.setdefault(token["content"], token["id"])
        return vocab
