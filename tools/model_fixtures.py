"""Inputs the whole-command tools share, all from files of the repository: the Llama-2 model of
wordllama (tokenizer and a 16-dimension slice of its embedding), a target tokenizer trained by
Hugging Face tokenizers, a helper model with that tokenizer and seeded embeddings, and an
alignment table; and a digest of an output file or directory."""
import gzip
import hashlib
import json
import os
import random
import shutil
import struct
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "corpora-samples")


def digest(path):
    """SHA-256 of a file, or of a directory's relative names and file digests; None when absent."""
    if not os.path.lexists(path):
        return None
    if os.path.isfile(path):
        return hashlib.sha256(open(path, "rb").read()).hexdigest()
    summary = hashlib.sha256()
    for directory, subdirectories, files in sorted(os.walk(path)):
        subdirectories.sort()
        for name in sorted(files):
            full = os.path.join(directory, name)
            summary.update(os.path.relpath(full, path).encode() + b"\0" + digest(full).encode() + b"\n")
    return summary.hexdigest()


def write_safetensors(path, name, rows, width, seed):
    """A safetensors file with one F32 tensor of seeded uniform values."""
    generator = random.Random(seed)
    data = struct.pack(f"<{rows * width}f", *(generator.uniform(-1, 1) for _ in range(rows * width)))
    header = ('{"%s":{"dtype":"F32","shape":[%d,%d],"data_offsets":[0,%d]}}' % (name, rows, width, len(data))).encode()
    header += b" " * (-(8 + len(header)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header + data)


def fixtures(polytoken, directory):
    """The inputs of the write paths, all from files of the repository."""
    goldens = os.path.join(ROOT, "Tests", "TokenizationTests", "Goldens", "tokenizers")
    model = os.path.join(directory, "llama2")
    os.makedirs(model)
    open(os.path.join(model, "tokenizer.json"), "wb").write(gzip.open(os.path.join(goldens, "llama2.json.gz")).read())
    shutil.copy(os.path.join(ROOT, "Tests", "TransferTests", "Fixtures", "wordllama-slice.safetensors"), os.path.join(model, "model.safetensors"))
    open(os.path.join(model, "config.json"), "w").write('{"model_type": "llama", "vocab_size": 32000, "tie_word_embeddings": true}')
    target = os.path.join(directory, "target.json")
    open(target, "wb").write(gzip.open(os.path.join(goldens, "trained-sentencepiece.json.gz")).read())
    helper = os.path.join(directory, "helper")
    os.makedirs(helper)
    shutil.copy(target, os.path.join(helper, "tokenizer.json"))
    document = json.load(open(target, encoding="utf-8"))
    helper_rows = 1 + max(list(document["model"]["vocab"].values()) + [token["id"] for token in document["added_tokens"]])
    write_safetensors(os.path.join(helper, "model.safetensors"), "model.embed_tokens.weight", helper_rows, 16, 1)
    open(os.path.join(helper, "config.json"), "w").write('{"model_type": "llama", "vocab_size": %d}' % helper_rows)
    table = os.path.join(directory, "table.sqlite")
    subprocess.run([polytoken, "align", "--source-tokenizer", os.path.join(model, "tokenizer.json"), "--target-tokenizer", target,
                    "--parallel", os.path.join(SAMPLES, "parallel", "en-de.tsv"), "--iterations", "2", "-o", table],
                   check=True, capture_output=True)
    return model, target, helper, table
