#!/usr/bin/env python3
"""A GGUF pre-tokenizer name checked against an original tokenizer.json that llama.cpp gives that
name: its hash (`convert_hf_to_gguf.py`'s `get_vocab_base_pre`: the SHA-256 of the ids
`transformers` gives its check text) must be the one llama.cpp maps to the name. The original is
written as a GGUF with that name, laid out as llama.cpp's `convert_hf_to_gguf.py` lays it out (the
`gguf` package's writer, as `gguf_fixtures.py`), converted back by `polytoken convert`, and must
encode every corpora-samples line and adversarial string as the original does in `tokenizers`,
with and without special tokens; `polytoken encode` on the GGUF itself must give the original's
ids on every sample line.

    python tools/oracle/check_gguf_original.py --polytoken BIN NAME=PRE=ORIGINAL_TOKENIZER_JSON=LLAMA_CPP_HASH...
"""
import argparse
import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile

from tokenizers import Tokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from adversarial import generate  # noqa: E402
from gguf_fixtures import write_byte_level  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# llama.cpp's check text (convert_hf_to_gguf.py, get_vocab_base_pre).
CHECK_TEXT = ('\n \n\n \n\n\n \t \t\t \t\n  \n   \n    \n     \n\U0001f680 (normal) \U0001f636\u200d\U0001f32b\ufe0f '
              '(multiple emojis concatenated) \u2705 \U0001f999\U0001f999 3 33 333 3333 33333 333333 3333333 33333333 3.3 3..3 '
              '3...3 \u1780\u17b6\u1793\u17cb\u178f\u17c2\u1796\u17b7\u179f\u17c1\u179f\u17a2\u17b6\u1785\U0001f601 '
              '?\u6211\u60f3\u5728apple\u5de5\u4f5c1314151\u5929\uff5e ------======= \u043d\u0435\u0449\u043e \u043d\u0430 '
              '\u0411\u044a\u043b\u0433\u0430\u0440\u0441\u043a\u0438 \'\'\'\'\'\'```````""""......!!!!!!?????? '
              'I\'ve been \'told he\'s there, \'RE you sure? \'M not sure I\'ll make it, \'D you like some tea? We\'Ve a\'lL')


def llama_cpp_hash(path):
    """The hash convert_hf_to_gguf.py computes of a tokenizer to name its pre-tokenizer."""
    from transformers import PreTrainedTokenizerFast
    ids = PreTrainedTokenizerFast(tokenizer_file=path).encode(CHECK_TEXT)
    return hashlib.sha256(str(ids).encode()).hexdigest()


def sample_lines():
    lines = []
    for path in sorted(glob.glob(os.path.join(ROOT, "corpora-samples/monolingual/*.txt"))):
        with open(path, encoding="utf-8") as f:
            lines += [line for line in f.read().split("\n") if line]
    return lines


def check(name, pre, original_path, expected_hash, polytoken, scratch):
    found_hash = llama_cpp_hash(original_path)
    assert found_hash == expected_hash, f"{name}: llama.cpp would not name {original_path} {pre!r} (hash {found_hash})"
    with open(original_path, encoding="utf-8") as f:
        document = json.load(f)
    gguf_path = os.path.join(scratch, f"{name}.gguf")
    write_byte_level(document, gguf_path, pre, compress=False)
    converted_dir = os.path.join(scratch, name) + "/"
    subprocess.run([polytoken, "convert", gguf_path, "-o", converted_dir], check=True, capture_output=True)
    original = Tokenizer.from_file(original_path)
    converted = Tokenizer.from_file(os.path.join(converted_dir, "tokenizer.json"))
    lines = sample_lines()
    texts = lines + generate(2000, 1)
    for special in (True, False):
        expected = original.encode_batch(texts, add_special_tokens=special)
        found = converted.encode_batch(texts, add_special_tokens=special)
        for text, a, b in zip(texts, expected, found):
            assert a.ids == b.ids, f"{name} ({pre}): the converted tokenizer differs on {text[:80]!r}: {a.ids[:20]} vs {b.ids[:20]}"
    corpus = os.path.join(scratch, f"{name}.txt")
    with open(corpus, "w", encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in lines))
    output = subprocess.run([polytoken, "encode", "--no-special-tokens", "--tokenizer", gguf_path, corpus],
                            check=True, capture_output=True, text=True).stdout.split("\n")[:-1]
    expected = original.encode_batch(lines, add_special_tokens=False)
    assert len(output) == len(lines)
    for line, printed, theirs in zip(lines, output, expected):
        assert [int(i) for i in printed.split()] == theirs.ids, f"{name} ({pre}): polytoken encode differs on {line[:80]!r}"
    print(f"{name}: GGUF pre-tokenizer {pre!r} from {os.path.basename(original_path)} (llama.cpp's hash of {pre!r}): "
          f"{len(texts)} texts encode as the original")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", nargs="+", metavar="NAME=PRE=TOKENIZER_JSON=HASH")
    parser.add_argument("--polytoken", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        for case in args.cases:
            name, pre, rest = case.split("=", 2)
            path, expected_hash = rest.rsplit("=", 1)
            check(name, pre, path, expected_hash, args.polytoken, scratch)


if __name__ == "__main__":
    main()
