#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz harnesses into Corpus/<harness>/ from real files:
small tokenizers trained by polytoken on corpora-samples, slices of the wordllama checkpoint
fixture, pairs of corpora-samples' parallel files, and a word-count store. Run from the
repository root with a built polytoken: python3 Fuzz/seeds.py .build/release/polytoken"""
import json, os, shutil, sqlite3, struct, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
polytoken = os.path.abspath(sys.argv[1])
corpus = os.path.join(root, "Fuzz", "Corpus")
samples = os.path.join(root, "corpora-samples")
work = tempfile.mkdtemp()


def out(harness, name, data):
    os.makedirs(os.path.join(corpus, harness), exist_ok=True)
    with open(os.path.join(corpus, harness, name), "wb") as f:
        f.write(data)


def head(path, lines):
    with open(path, "rb") as f:
        return b"".join(f.readlines()[:lines])


# tokenizer.json: each preset trained on a few lines of three scripts, written compact.
text = os.path.join(work, "text.txt")
with open(text, "wb") as f:
    for language in ["en", "ru", "zh", "ar"]:
        f.write(head(os.path.join(samples, "monolingual", language + ".txt"), 12))
for preset in ["gpt2", "llama3", "qwen2", "sentencepiece"]:
    path = os.path.join(work, preset + ".json")
    subprocess.run([polytoken, "train", "--preset", preset, "--vocab-size", "900" if preset == "sentencepiece" else "330", "-o", path, text], check=True, capture_output=True)
    out("FuzzJSON", "tokenizer-" + preset + ".json", json.dumps(json.load(open(path, encoding="utf-8")), ensure_ascii=False,
                                                                  separators=(",", ":")).encode())
pieces = [["<unk>", 0.0], ["▁", -2.0], ["▁the", -3.1], ["s", -3.5], ["e", -3.6], ["t", -3.7], ["h", -3.8], ["▁a", -4.0], ["а", -4.2], ["я", -4.4]]
out("FuzzJSON", "tokenizer-unigram.json", json.dumps({
    "version": "1.0", "truncation": None, "padding": None,
    "added_tokens": [{"id": 0, "content": "<unk>", "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}],
    "normalizer": {"type": "NFKC"}, "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True},
    "post_processor": None, "decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True},
    "model": {"type": "Unigram", "unk_id": 0, "vocab": pieces, "byte_fallback": False}}, ensure_ascii=False).encode())
out("FuzzJSON", "config.json", b'{"model_type": "llama", "vocab_size": 32000, "tie_word_embeddings": true, "rope_theta": 1e4, "eos_token_id": [1, 2]}')
out("FuzzJSON", "escapes.json", b'["\\u00e9\\ud83d\\ude00\\n\\t\\"\\\\\\/", -0.0, 1.5e-7, 123456789012345678901, [], {}, null, true, false]')

# safetensors: slices of the wordllama fixture, and every dtype.
fixture = open(os.path.join(root, "Tests", "TransferTests", "Fixtures", "wordllama-slice.safetensors"), "rb").read()
length = struct.unpack("<Q", fixture[:8])[0]
header = json.loads(fixture[8:8 + length])
data = fixture[8 + length:]


def safetensors(tensors, metadata=None):
    entries, blob = {}, b""
    if metadata:
        entries["__metadata__"] = metadata
    for name, (dtype, shape, raw) in tensors.items():
        entries[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(blob), len(blob) + len(raw)]}
        blob += raw
    encoded = json.dumps(entries, separators=(",", ":")).encode()
    encoded += b" " * (-(8 + len(encoded)) % 8)
    return struct.pack("<Q", len(encoded)) + encoded + blob


embedding = header["model.embed_tokens.weight"]["data_offsets"]
norm = header["model.norm.weight"]["data_offsets"]
rows = data[embedding[0]:embedding[0] + 8 * 16 * 2]
out("FuzzSafetensors", "wordllama-rows.safetensors", safetensors(
    {"model.embed_tokens.weight": ("F16", [8, 16], rows), "model.norm.weight": ("F16", [16], data[norm[0]:norm[1]])}, {"format": "pt"}))
out("FuzzSafetensors", "dtypes.safetensors", safetensors({
    "a": ("F32", [2, 3], rows[:24]), "b": ("BF16", [4], rows[24:32]), "c": ("F64", [1, 1], rows[32:40]), "d": ("I64", [1], rows[40:48]),
    "e": ("U8", [], rows[48:49]), "f": ("BOOL", [0, 4], b""), "g": ("I16", [2], rows[49:53])}))

# Parallel corpora: the first pairs of two real files, and two line files joined by NUL.
for language in ["de", "ja"]:
    out("FuzzTSV", "en-" + language + ".tsv", head(os.path.join(samples, "parallel", "en-" + language + ".tsv"), 8))
pairs = head(os.path.join(samples, "parallel", "en-de.tsv"), 6).decode().splitlines()
out("FuzzTSV", "lines.bin", "\n".join(p.split("\t")[0] for p in pairs).encode() + b"\0" + "\r\n".join(p.split("\t")[1] for p in pairs).encode())

# Word-count stores: a real one (mode byte 0 then the file) and a row description (mode byte 1).
store = os.path.join(work, "counts.sqlite")
lines = os.path.join(work, "lines.txt")
open(lines, "wb").write(head(os.path.join(samples, "monolingual", "de.txt"), 3))
subprocess.run([polytoken, "count", "--preset", "gpt2", "-o", store, lines], check=True, capture_output=True)
database = sqlite3.connect(store)
database.execute("PRAGMA page_size = 512")
database.execute("VACUUM")
database.close()
out("FuzzCountStore", "store.bin", b"\0" + open(store, "rb").read())
rows = b""
for word, count in [("the", 41), ("Straße", 3), ("語", 7)]:
    raw = word.encode()
    rows += bytes([4, 1, len(raw)]) + raw + struct.pack(">Q", count)
out("FuzzCountStore", "rows.bin", b"\1" + rows)
shutil.rmtree(work)
