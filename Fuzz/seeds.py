#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz harnesses into Corpus/<harness>/ from real files:
small tokenizers trained by polytoken on corpora-samples, slices of the wordllama checkpoint
fixture, pairs of corpora-samples' parallel files, and a word-count store. Run from the
repository root with a built polytoken: python3 Fuzz/seeds.py .build/release/polytoken"""
import base64, json, os, shutil, sqlite3, struct, subprocess, sys, tempfile

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
unigram_path = os.path.join(work, "unigram.json")
pieces = [["<unk>", 0.0], ["▁", -2.0], ["▁the", -3.1], ["s", -3.5], ["e", -3.6], ["t", -3.7], ["h", -3.8], ["▁a", -4.0], ["а", -4.2], ["я", -4.4]]
unigram = json.dumps({
    "version": "1.0", "truncation": None, "padding": None,
    "added_tokens": [{"id": 0, "content": "<unk>", "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}],
    "normalizer": {"type": "NFKC"}, "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True},
    "post_processor": None, "decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True},
    "model": {"type": "Unigram", "unk_id": 0, "vocab": pieces, "byte_fallback": False}}, ensure_ascii=False).encode()
open(unigram_path, "wb").write(unigram)
out("FuzzJSON", "tokenizer-unigram.json", unigram)
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
# Tokenizer files of other formats, from the small trained tokenizers: GGUF vocabularies (gpt2 with
# its merges, llama with scores from the merge order, bert from a WordPiece), written as llama.cpp's
# converter lays them out, and a tiktoken rank file.
def gguf(entries):
    def string(text):
        raw = text.encode()
        return struct.pack("<Q", len(raw)) + raw
    def value(kind, item):
        if kind == 8:
            return string(item)
        return struct.pack({4: "<I", 5: "<i", 6: "<f", 7: "<?"}[kind], item)
    data = b"GGUF" + struct.pack("<IQQ", 3, 0, len(entries))
    for key, kind, item in entries:
        data += string(key) + struct.pack("<I", kind)
        if isinstance(item, tuple):
            element, items = item
            data += struct.pack("<IQ", element, len(items)) + b"".join(value(element, x) for x in items)
        else:
            data += value(kind, item)
    return data


def trained(preset):
    document = json.load(open(os.path.join(work, preset + ".json"), encoding="utf-8"))
    by_id = {i: t for t, i in document["model"]["vocab"].items()}
    return document, [by_id[i] for i in range(len(by_id))]


document, tokens = trained("gpt2")
merges = [" ".join(m) for m in document["model"]["merges"]]
out("FuzzTokenizerFiles", "gpt2.gguf", gguf([
    ("tokenizer.ggml.model", 8, "gpt2"), ("tokenizer.ggml.pre", 8, "gpt-2"), ("tokenizer.ggml.tokens", 9, (8, tokens)),
    ("tokenizer.ggml.token_type", 9, (5, [3 if t == "<|endoftext|>" else 1 for t in tokens])), ("tokenizer.ggml.merges", 9, (8, merges)),
    ("tokenizer.ggml.bos_token_id", 4, tokens.index("<|endoftext|>")), ("tokenizer.ggml.add_bos_token", 7, True)]))
document, tokens = trained("sentencepiece")
first = {}
for rank, merge in enumerate(document["model"]["merges"]):
    first.setdefault("".join(merge), rank)
out("FuzzTokenizerFiles", "llama.gguf", gguf([
    ("tokenizer.ggml.model", 8, "llama"), ("tokenizer.ggml.tokens", 9, (8, tokens)),
    ("tokenizer.ggml.scores", 9, (6, [-float(first.get(t, 0)) for t in tokens])),
    ("tokenizer.ggml.token_type", 9, (5, [2 if t == "<unk>" else 3 if t in ("<s>", "</s>") else 6 if t.startswith("<0x") else 1 for t in tokens])),
    ("tokenizer.ggml.unknown_token_id", 4, tokens.index("<unk>")), ("tokenizer.ggml.bos_token_id", 4, tokens.index("<s>"))]))
words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "##s", "a", "##nd", "hello", ",", "!", "при", "##вет"]
out("FuzzTokenizerFiles", "bert.gguf", gguf([
    ("tokenizer.ggml.model", 8, "bert"),
    ("tokenizer.ggml.tokens", 9, (8, [w if w.startswith("[") else w[2:] if w.startswith("##") else "\u2581" + w for w in words])),
    ("tokenizer.ggml.token_type", 9, (5, [3 if w.startswith("[") else 1 for w in words])),
    ("tokenizer.ggml.unknown_token_id", 4, 1), ("tokenizer.ggml.cls_token_id", 4, 2), ("tokenizer.ggml.seperator_token_id", 4, 3)]))
document, tokens = trained("llama3")
byte_of = {}
printable = list(range(0x21, 0x7F)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
extra = 0
for byte in range(256):
    if byte in printable:
        byte_of[chr(byte)] = byte
    else:
        byte_of[chr(256 + extra)] = byte
        extra += 1
ranks = [t for t in tokens if not t.startswith("<|")]
out("FuzzTokenizerFiles", "ranks.tiktoken", b"".join(base64.b64encode(bytes(byte_of[c] for c in t)) + b" " + str(rank).encode() + b"\n"
                                                    for rank, t in enumerate(ranks)))
# SentencePiece models written by polytoken convert from the SentencePiece-style BPE and the Unigram above.
for name, source in [("bpe.model", os.path.join(work, "sentencepiece.json")), ("unigram.model", unigram_path)]:
    subprocess.run([polytoken, "convert", source, "--to", "sentencepiece", "--allow-loss", "-o", os.path.join(corpus, "FuzzTokenizerFiles", name)],
                   check=True, capture_output=True)
shutil.rmtree(work)
