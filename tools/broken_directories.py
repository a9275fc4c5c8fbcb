#!/usr/bin/env python3
"""Writes the deliberately broken model directories of Tests/TransferTests/Fixtures/broken/.

Each directory is a tiny Hugging Face model directory (a 24-token BPE tokenizer.json,
tokenizer_config.json, special_tokens_map.json, config.json, generation_config.json and a
model.safetensors holding one F32 embedding [24, 4]). `00-consistent` is the base and has no
problems; every other directory is the base with one defect, and holds `expected.txt`: one line,
a substring of the problem `ModelDirectoryInspection` (and so `polytoken inspect`) must report
for it, naming the file and key. The README.md beside them is written from the same table.

Python 3 standard library only; the output is byte-for-byte the same on every run (no random
numbers, no timestamps, sorted keys where transformers sorts them). The script removes and
rewrites the numbered directories and README.md under the fixture directory and leaves the rest.

    python3 tools/broken_directories.py            # write the fixtures
    python3 tools/broken_directories.py --check    # exit 1 if the committed fixtures differ
    python3 tools/broken_directories.py -o DIR     # write them somewhere else
"""
import argparse
import copy
import json
import os
import shutil
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "Tests", "TransferTests", "Fixtures", "broken")
WIDTH = 4

# The base vocabulary: four special tokens, thirteen characters, seven merges (24 ids).
SPECIALS = ["<unk>", "<s>", "</s>", "<pad>"]
CHARACTERS = ["a", "b", "d", "e", "h", "l", "n", "o", "r", "s", "t", "w", "!"]
MERGES = [("h", "e"), ("l", "l"), ("o", "w"), ("e", "r"), ("t", "h"), ("he", "ll"), ("hell", "o")]
ROLES = {"bos": "<s>", "eos": "</s>", "unk": "<unk>", "pad": "<pad>"}


# --- Writers -----------------------------------------------------------------------------------

def tokenizer_json(tokens, merges, special_ids, extra_added=()):
    """A `tokenizer.json` as Hugging Face tokenizers saves it (key order, 2-space indent, no final
    newline): a BPE model over `tokens` (token i has id i), `merges` as pairs, the tokens of
    `special_ids` as special added tokens, then `extra_added` ((content, stored id) pairs)."""
    vocab = {token: index for index, token in enumerate(tokens)}
    for left, right in merges:
        assert left in vocab and right in vocab and left + right in vocab, (left, right)
    document = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": index, "content": tokens[index], "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for index in special_ids
        ] + [
            {"id": stored, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for content, stored in extra_added
        ],
        "normalizer": None,
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": None,
        "decoder": None,
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": "<unk>",
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": vocab,
            "merges": [[left, right] for left, right in merges],
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False).encode()


def token_object(content):
    """A special token as transformers writes it in `special_tokens_map.json`."""
    return {"content": content, "lstrip": False, "normalized": False, "rstrip": False, "single_word": False}


def added_tokens_decoder(tokens, special_ids):
    """`tokenizer_config.json`'s `added_tokens_decoder` for the special tokens of `special_ids`."""
    return {str(index): dict(token_object(tokens[index]), special=True) for index in special_ids}


def config_json(document):
    """A configuration file as transformers writes it (sorted keys, 2-space indent, final newline)."""
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def safetensors(tensors):
    """A safetensors file of F32 tensors [(name, rows, width)], in that order, with deterministic
    values (multiples of 1/8 in [-1, 1), exact in F32); the header padded to 8 bytes."""
    header = {"__metadata__": {"format": "pt"}}
    data = b""
    for index, (name, rows, width) in enumerate(tensors):
        values = [((7 * i + 3 * index) % 16 - 8) / 8 for i in range(rows * width)]
        chunk = struct.pack(f"<{rows * width}f", *values)
        header[name] = {"dtype": "F32", "shape": [rows, width], "data_offsets": [len(data), len(data) + len(chunk)]}
        data += chunk
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-(8 + len(encoded)) % 8)
    return struct.pack("<Q", len(encoded)) + encoded + data


# --- The base directory ------------------------------------------------------------------------

class Directory:
    """A model directory in memory: the tokenizer's tokens, merges and special ids, the four JSON
    files as dicts (None: the file is absent), and the tensors of model.safetensors."""

    def __init__(self):
        self.tokens = SPECIALS + CHARACTERS + ["".join(pair) for pair in MERGES]
        self.merges = list(MERGES)
        self.special_ids = [0, 1, 2, 3]
        self.extra_added = []
        self.tokenizer_config = {
            "added_tokens_decoder": added_tokens_decoder(self.tokens, self.special_ids),
            "bos_token": ROLES["bos"],
            "eos_token": ROLES["eos"],
            "pad_token": ROLES["pad"],
            "tokenizer_class": "PreTrainedTokenizerFast",
            "unk_token": ROLES["unk"],
        }
        self.special_tokens_map = {f"{role}_token": token_object(token) for role, token in ROLES.items()}
        self.config = {
            "architectures": ["LlamaForCausalLM"],
            "bos_token_id": 1,
            "eos_token_id": 2,
            "hidden_size": WIDTH,
            "model_type": "llama",
            "pad_token_id": 3,
            "tie_word_embeddings": True,
            "vocab_size": len(self.tokens),
        }
        self.generation_config = {"bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 3}
        self.tensors = [("model.embed_tokens.weight", len(self.tokens), WIDTH)]
        assert len(self.tokens) == 24 and len(set(self.tokens)) == 24

    def files(self):
        """The files of the directory by name, as bytes."""
        files = {"tokenizer.json": tokenizer_json(self.tokens, self.merges, self.special_ids, self.extra_added)}
        for name, document in [("tokenizer_config.json", self.tokenizer_config), ("special_tokens_map.json", self.special_tokens_map),
                               ("config.json", self.config), ("generation_config.json", self.generation_config)]:
            if document is not None:
                files[name] = config_json(document)
        if self.tensors:
            files["model.safetensors"] = safetensors(self.tensors)
        return files


# --- The defects -------------------------------------------------------------------------------
# Each: directory name, the issue-16 bug it reproduces (or None), what is wrong (for the README),
# the substring its problem must contain, and the change to a copy of the base.

def replaced_tokenizer(d):
    # A BERT-style replacement: ids 1 and 2 are now [unused0] and [unused1]; [CLS] and [SEP]
    # take the ids of the two longest merges. The tokenizer files agree with the new tokenizer
    # (and generation_config.json was rewritten), but config.json keeps the old bos/eos ids.
    d.tokens[1:3] = ["[unused0]", "[unused1]"]
    d.tokens[22:24] = ["[CLS]", "[SEP]"]
    d.merges = d.merges[:5]
    d.special_ids = [0, 3, 22, 23]
    d.tokenizer_config.update(added_tokens_decoder=added_tokens_decoder(d.tokens, d.special_ids), bos_token="[CLS]", eos_token="[SEP]")
    d.special_tokens_map.update(bos_token=token_object("[CLS]"), eos_token=token_object("[SEP]"))
    d.generation_config.update(bos_token_id=22, eos_token_id=23)


def stale_generation_eos(d):
    d.generation_config["eos_token_id"] = d.tokens.index("!")


def tokenizer_json_only(d):
    d.tokenizer_config = d.special_tokens_map = d.config = d.generation_config = None
    d.tensors = []


def stale_added_tokens_decoder(d):
    d.tokenizer_config["added_tokens_decoder"]["3"]["content"] = "<mask>"


def special_token_not_in_vocabulary(d):
    d.tokenizer_config["eos_token"] = "<|eot_id|>"
    d.special_tokens_map["eos_token"] = token_object("<|eot_id|>")
    del d.config["eos_token_id"]
    del d.generation_config["eos_token_id"]


def config_id_out_of_range(d):
    d.config["pad_token_id"] = 500


def tokenizer_config_vs_map(d):
    d.special_tokens_map["eos_token"] = token_object("<pad>")


def fewer_rows_than_ids(d):
    d.tensors = [("model.embed_tokens.weight", 20, WIDTH)]
    d.config["vocab_size"] = 20


def vocab_size_mismatch(d):
    d.config["vocab_size"] = 32


def head_rows_mismatch(d):
    d.config["tie_word_embeddings"] = False
    d.tensors.append(("lm_head.weight", 16, WIDTH))


def generation_eos_list_without_eos(d):
    d.generation_config["eos_token_id"] = [1, 3]


def config_pad_disagrees(d):
    d.config["pad_token_id"] = 0


def added_token_misnumbered(d):
    # An added token stored at id 40: tokenizers numbers it 24 (the next after the model's 24
    # entries), so a config id of 40 would name nothing.
    d.extra_added = [("<|extra|>", 40)]
    d.tensors = [("model.embed_tokens.weight", 25, WIDTH)]
    d.config["vocab_size"] = 25


def unk_not_the_models(d):
    # The model emits <unk> for unknown text, but transformers is told the unknown token is <pad>.
    d.tokenizer_config["unk_token"] = "<pad>"
    d.special_tokens_map["unk_token"] = token_object("<pad>")


CASES = [
    ("01-config-ids-stale-after-replacement", 1,
     "tokenizer replaced by one whose ids 1/2 are `[unused0]`/`[unused1]` (bos `[CLS]` = 22, eos `[SEP]` = 23); config.json keeps `bos_token_id` 1, `eos_token_id` 2",
     "config.json bos_token_id = 1", replaced_tokenizer),
    ("02-generation-eos-stale", 2,
     "generation_config.json `eos_token_id` 16 is `!`, an ordinary token; tokenizer_config.json says `</s>`",
     "generation_config.json eos_token_id", stale_generation_eos),
    ("03-tokenizer-json-only", 3,
     "only tokenizer.json, as `polytoken train -o FILE` writes it: no tokenizer_config.json",
     "tokenizer_config.json: missing", tokenizer_json_only),
    ("04-stale-added-tokens-decoder", None,
     "tokenizer_config.json `added_tokens_decoder` says id 3 is `<mask>`; the tokenizer has `<pad>`",
     'added_tokens_decoder names "<mask>" for id 3', stale_added_tokens_decoder),
    ("05-special-token-not-in-vocabulary", None,
     "eos `<|eot_id|>` in tokenizer_config.json and special_tokens_map.json is not in the vocabulary (no eos ids in config.json, generation_config.json)",
     'eos token "<|eot_id|>" (eos_token) is not in the vocabulary', special_token_not_in_vocabulary),
    ("06-config-id-out-of-range", None,
     "config.json `pad_token_id` 500 of 24 ids",
     "pad pad_token_id 500 is outside the vocabulary", config_id_out_of_range),
    ("07-tokenizer-config-vs-map", None,
     "special_tokens_map.json eos `<pad>`, tokenizer_config.json eos `</s>`",
     "eos token disagrees", tokenizer_config_vs_map),
    ("08-fewer-rows-than-ids", None,
     "embedding [20, 4] and config.json `vocab_size` 20 for 24 ids",
     "24 ids but model.embed_tokens.weight has only 20 rows", fewer_rows_than_ids),
    ("09-vocab-size-mismatch", None,
     "config.json `vocab_size` 32, embedding rows 24",
     "config.json vocab_size: 32 but model.embed_tokens.weight has 24 rows", vocab_size_mismatch),
    ("10-head-rows-mismatch", None,
     "`tie_word_embeddings` false and an untied `lm_head.weight` [16, 4] against 24 embedding rows",
     "lm_head.weight: 16 rows but model.embed_tokens.weight has 24", head_rows_mismatch),
    ("11-generation-eos-list-without-eos", 2,
     "generation_config.json `eos_token_id` [1, 3] (`<s>`, `<pad>`) leaves out `</s>`",
     "eos token disagrees", generation_eos_list_without_eos),
    ("12-config-pad-disagrees", None,
     "config.json `pad_token_id` 0 (`<unk>`), tokenizer_config.json pad `<pad>`",
     "config.json pad_token_id = 0", config_pad_disagrees),
    ("13-unk-not-the-models", None,
     "tokenizer_config.json and special_tokens_map.json unk `<pad>`, while the model emits `<unk>`",
     'model.unk_token: the model emits "<unk>" for unknown text, but the unk token is "<pad>"', unk_not_the_models),
    ("14-added-token-misnumbered", None,
     "tokenizer.json lists an added token at id 40, which tokenizers numbers 24",
     '"<|extra|>" is stored at id 40, but tokenizers gives it id 24', added_token_misnumbered),
]

BUGS = {
    1: "1: config ids stale after a tokenizer replacement",
    2: "2: generation_config eos not the tokenizer's eos",
    3: "3: tokenizer.json without its tokenizer files",
}


def readme():
    lines = [
        "# Broken model directories",
        "",
        "Written by `python3 tools/broken_directories.py` (do not edit by hand; rerun it). Each",
        "directory is a tiny Hugging Face model directory: a 24-token BPE `tokenizer.json`",
        "(`<unk>` `<s>` `</s>` `<pad>` = 0–3, letters, merges as pairs), `tokenizer_config.json`,",
        "`special_tokens_map.json`, `config.json` (llama, `vocab_size` 24, tied embeddings),",
        "`generation_config.json` and a `model.safetensors` with one F32 `model.embed_tokens.weight`",
        "[24, 4]. `00-consistent` has no problems; every other directory is it with one defect, and",
        "its `expected.txt` holds a substring of the problem `ModelDirectoryInspection`",
        "(`polytoken inspect`) must report.",
        "",
        "| Directory | Defect | Issue-16 bug |",
        "|---|---|---|",
        "| `00-consistent` | none: the base | — |",
    ]
    for name, bug, defect, _, _ in CASES:
        # A pipe ends a table cell even inside a code span unless escaped.
        lines.append(f"| `{name}` | {defect.replace('|', chr(92) + '|')} | {BUGS[bug] if bug else '—'} |")
    return ("\n".join(lines) + "\n").encode()


# --- Output ------------------------------------------------------------------------------------

def tree():
    """Every file to write, by path relative to the fixture directory."""
    files = {}
    base = Directory()
    for name, content in base.files().items():
        files[f"00-consistent/{name}"] = content
    for name, _, _, expected, defect in CASES:
        directory = copy.deepcopy(base)
        defect(directory)
        for file, content in directory.files().items():
            files[f"{name}/{file}"] = content
        files[f"{name}/expected.txt"] = (expected + "\n").encode()
    files["README.md"] = readme()
    return files


def ours(name):
    return name == "README.md" or (len(name) > 3 and name[:2].isdigit() and name[2] == "-")


def write(output, files):
    os.makedirs(output, exist_ok=True)
    for name in sorted(os.listdir(output)):
        if ours(name):
            path = os.path.join(output, name)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    for name, content in sorted(files.items()):
        path = os.path.join(output, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", default=OUTPUT, help="the fixture directory (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="compare with the files on disk instead of writing")
    arguments = parser.parse_args()
    files = tree()
    if arguments.check:
        differing = []
        for directory, _, names in os.walk(arguments.output):
            for name in names:
                relative = os.path.relpath(os.path.join(directory, name), arguments.output).replace(os.sep, "/")
                if ours(relative.split("/")[0]) and relative not in files:
                    differing.append(relative)
        for name, content in sorted(files.items()):
            path = os.path.join(arguments.output, name)
            if not os.path.isfile(path) or open(path, "rb").read() != content:
                differing.append(name)
        for name in differing:
            print(f"differs: {name}", file=sys.stderr)
        sys.exit(1 if differing else 0)
    write(arguments.output, files)
    print(f"{len(files)} files, {sum(map(len, files.values()))} bytes in {arguments.output}")


if __name__ == "__main__":
    main()
