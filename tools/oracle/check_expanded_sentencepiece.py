#!/usr/bin/env python3
"""Check the tokenizer.model `polytoken expand` grows beside tokenizer.json, with sentencepiece
and tokenizers.

    python tools/oracle/check_expanded_sentencepiece.py SOURCE_DIR EXPANDED_DIR TARGET.txt SOURCE_TEXT.txt...

- The expanded tokenizer.model loads in `sentencepiece` and keeps every source piece (id, text,
  score, type); the pieces after them are as many as tokenizer.json's new tokens.
- Every line of each SOURCE_TEXT encodes in `sentencepiece` exactly as with the source model.
- TARGET.txt takes fewer pieces with the expanded model than with the source model.
- `tokenizers` with the expanded tokenizer.json (no special tokens added) encodes every
  corpora-samples line and adversarial string exactly as `sentencepiece` with the expanded
  model, except texts holding a control piece (tokenizers matches those as special tokens).
"""
import gzip
import json
import os
import sys

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2
from tokenizers import Tokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bpe_goldens import ROOT, sample_files, sample_lines  # noqa: E402


def proto(path):
    model = sentencepiece_model_pb2.ModelProto()
    with open(path, "rb") as f:
        model.ParseFromString(f.read())
    return model


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


def main(source_dir, expanded_dir, target, *source_texts):
    source_path, expanded_path = (os.path.join(d, "tokenizer.model") for d in (source_dir, expanded_dir))
    source, expanded = spm.SentencePieceProcessor(model_file=source_path), spm.SentencePieceProcessor(model_file=expanded_path)
    old, new = proto(source_path), proto(expanded_path)
    kept = all((a.piece, a.score, a.type) == (b.piece, b.score, b.type) for a, b in zip(old.pieces, new.pieces))
    assert kept and len(new.pieces) >= len(old.pieces), "a source piece changed"
    document = Tokenizer.from_file(os.path.join(expanded_dir, "tokenizer.json"))
    assert document.get_vocab_size(with_added_tokens=True) == len(new.pieces), \
        f"tokenizer.json has {document.get_vocab_size(with_added_tokens=True)} tokens, tokenizer.model {len(new.pieces)}"
    print(f"tokenizer.model: {len(old.pieces)} source pieces kept (id, text, score, type), {len(new.pieces) - len(old.pieces)} added")
    for path in source_texts:
        texts = lines(path)
        changed = [t for t in texts if source.encode(t) != expanded.encode(t)]
        assert not changed, f"{path}: {len(changed)} lines encode differently, e.g. {changed[0][:80]!r}"
        print(f"{path}: {len(texts)} lines encode exactly as before")
    texts = lines(target)
    before, after = sum(len(source.encode(t)) for t in texts), sum(len(expanded.encode(t)) for t in texts)
    assert after < before, f"{target}: {after} pieces, not fewer than {before}"
    print(f"{target}: {before} -> {after} pieces ({after / before:.2f}x)")
    controls = [p.piece for p in new.pieces if p.type in (p.CONTROL, p.UNKNOWN)]
    inputs = [line for path in sample_files() for line in sample_lines(os.path.join(ROOT, path))]
    with gzip.open(os.path.join(ROOT, "Tests/TokenizationTests/Goldens/encodings/adversarial.jsonl.gz"), "rt", encoding="utf-8") as f:
        inputs += [json.loads(line) for line in f]
    inputs = [t for t in inputs if not any(c in t for c in controls)]
    differ = [t for t in inputs if expanded.encode(t) != document.encode(t, add_special_tokens=False).ids]
    assert not differ, f"tokenizer.json and tokenizer.model differ on {len(differ)} of {len(inputs)} texts, e.g. {differ[0][:80]!r}"
    print(f"tokenizer.json encodes as tokenizer.model on all {len(inputs)} texts")


if __name__ == "__main__":
    main(*sys.argv[1:])
