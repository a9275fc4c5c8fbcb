#!/usr/bin/env python3
"""Check that a model or tokenizer directory loads in `transformers` with the right special tokens.

    python tools/oracle/check_directory.py OUTPUT [--source SOURCE] [--expect ROLE=TOKEN ...]
        [--polytoken BIN] [--text FILE] [--tokenizers-only]

OUTPUT's files are linked into a temporary directory named `model`, so that no model type is guessed
from the path, and loaded offline with `AutoTokenizer` (and `AutoConfig` when there is a config.json).
Then, each failure being reported and making the exit status non-zero:
- the tokenizer's bos, eos, pad, unk, sep, cls and mask tokens must be SOURCE's (none where SOURCE has
  none), each `--expect ROLE=TOKEN` overriding one (`--expect pad=none`: no pad token); a role with no
  expectation must still have a token for eos and pad;
- loading must not add tokens to those of OUTPUT/tokenizer.json, and config.json's vocab_size must hold them;
- every special id of config.json and generation_config.json must be inside the vocabulary and be the
  token of its role (for a list, such as Llama-3.1's eos ids: one of them), and a decoder start id must
  be a special token;
- for the first 200 non-empty lines of FILE (without line endings), `tokenizer(line)` must give the ids
  of `BIN encode --tokenizer OUTPUT/tokenizer.json`, and padding the first 8 in a batch must pad with the
  pad id, on the tokenizer's padding side, with an attention mask of 0 exactly there.
With `--tokenizers-only`, only the `tokenizers` library is used: `Tokenizer.from_file` loads
OUTPUT/tokenizer.json and `encode_batch` must give Polytoken's ids for those lines.
"""
import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLES = ("bos", "eos", "pad", "unk", "sep", "cls", "mask")
REQUIRED = ("eos", "pad")
# The special ids of each file and the role of their token; None: a decoder start, any special token.
ID_FIELDS = {
    "config.json": {"bos_token_id": "bos", "eos_token_id": "eos", "pad_token_id": "pad", "unk_token_id": "unk",
                    "sep_token_id": "sep", "cls_token_id": "cls", "mask_token_id": "mask",
                    "decoder_start_token_id": None},
    "generation_config.json": {"bos_token_id": "bos", "eos_token_id": "eos", "pad_token_id": "pad",
                               "decoder_start_token_id": None},
}
LINES = 200
BATCH = 8

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"


def read_lines(path):
    """The first LINES non-empty lines of a UTF-8 file, without their line endings."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = [line.removesuffix("\r") for line in f.read().split("\n")]
    return [line for line in lines if line][:LINES]


def polytoken_ids(binary, tokenizer_json, lines, per_call):
    """The ids `polytoken encode` gives each line, from one run on a file of the lines. With PER_CALL,
    the tokenizer.json's truncation and padding are removed first, as `transformers` replaces them by
    those each call asks for (none in `tokenizer(line)`); `tokenizers` and Polytoken apply them."""
    with tempfile.TemporaryDirectory() as temporary:
        text = os.path.join(temporary, "lines.txt")
        with open(text, "w", encoding="utf-8") as f:
            f.write("".join(line + "\n" for line in lines))
        if per_call:
            with open(tokenizer_json, encoding="utf-8") as f:
                configuration = dict(json.load(f), truncation=None, padding=None)
            tokenizer_json = os.path.join(temporary, "tokenizer.json")
            with open(tokenizer_json, "w", encoding="utf-8") as f:
                json.dump(configuration, f, ensure_ascii=False)
        run = subprocess.run([binary, "encode", "--tokenizer", tokenizer_json, text], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"polytoken encode failed ({run.returncode}): {run.stderr.strip()}")
    ids = [[int(i) for i in line.split()] for line in run.stdout.splitlines()]
    if len(ids) != len(lines):
        sys.exit(f"polytoken encode printed {len(ids)} lines for {len(lines)}")
    return ids


def differences(actual, expected, lines, name):
    """One problem per line (at most 3 shown) whose ids from NAME are not Polytoken's."""
    wrong = [i for i, (a, e) in enumerate(zip(actual, expected)) if a != e]
    return [f"line {i + 1} {lines[i][:60]!r}: {name} gives {actual[i][:20]}, polytoken {expected[i][:20]}"
            for i in wrong[:3]] + ([f"... {len(wrong)} lines differ in all"] if len(wrong) > 3 else [])


@contextlib.contextmanager
def neutral(directory):
    """A temporary directory named `model` with links to DIRECTORY's entries."""
    with tempfile.TemporaryDirectory() as temporary:
        path = os.path.join(temporary, "model")
        os.mkdir(path)
        for name in os.listdir(directory):
            os.symlink(os.path.abspath(os.path.join(directory, name)), os.path.join(path, name))
        yield path


def load(loader, directory):
    """LOADER.from_pretrained of DIRECTORY under a neutral name; exits with the reason when it fails."""
    with neutral(directory) as path:
        try:
            return loader.from_pretrained(path)
        except Exception as error:
            reason = str(error).split("\n")[0][:300]
            sys.exit(f"{directory}: {loader.__name__} cannot load it: {type(error).__name__}: {reason}")


def parse_expect(text):
    """ROLE=TOKEN of --expect as (role, token), with `none` as None."""
    role, _, token = text.partition("=")
    if role not in ROLES or not _:
        raise argparse.ArgumentTypeError(f"expected ROLE=TOKEN with ROLE one of {', '.join(ROLES)}")
    return role, None if token == "none" else token


def check_roles(tokenizer, expected):
    """Problems with the tokenizer's token of each role."""
    problems = []
    for role in ROLES:
        token = getattr(tokenizer, f"{role}_token")
        if role in expected and token != expected[role]:
            problems.append(f"{role} token is {token!r}, expected {expected[role]!r}")
        elif role not in expected and role in REQUIRED and token is None:
            problems.append(f"the tokenizer declares no {role} token (use --expect {role}=none if none is right)")
    return problems


def check_ids(tokenizer, directory, name):
    """Problems with the special ids of DIRECTORY/NAME, when it exists."""
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        config = json.load(f)
    special = set(tokenizer.all_special_ids) | {i for i, t in tokenizer.added_tokens_decoder.items() if t.special}
    problems = []
    for field, role in ID_FIELDS[name].items():
        value = config.get(field)
        if value is None:
            continue
        ids = value if isinstance(value, list) else [value]
        where = f"{name} {field} {value}"
        if not all(isinstance(i, int) and 0 <= i < len(tokenizer) for i in ids):
            problems.append(f"{where}: outside the vocabulary of {len(tokenizer)} tokens")
            continue
        tokens = tokenizer.convert_ids_to_tokens(ids)
        if role is None:
            if not set(ids) <= special:
                problems.append(f"{where} is {tokens}, not special tokens")
        elif getattr(tokenizer, f"{role}_token") not in tokens:
            problems.append(f"{where} is {tokens}, but the {role} token is {getattr(tokenizer, f'{role}_token')!r}")
    return problems


def check_padding(tokenizer, lines, singles):
    """Problems with padding LINES in a batch, given the unpadded ids of each."""
    batch = tokenizer(lines, padding=True)
    width = max(map(len, singles))
    problems = []
    for line, ids, mask, single in zip(lines, batch["input_ids"], batch["attention_mask"], singles):
        pads, ones = [tokenizer.pad_token_id] * (width - len(single)), [1] * len(single)
        expected = (single + pads, ones + [0] * len(pads)) if tokenizer.padding_side == "right" else \
            (pads + single, [0] * len(pads) + ones)
        if (ids, mask) != expected:
            problems.append(f"padding {line[:40]!r} to {width} gives {ids} with mask {mask}, expected {expected}")
    return problems


def check_transformers(args, lines, expected_ids):
    """Problems of OUTPUT under `transformers`, and its summary line."""
    import transformers
    from tokenizers import Tokenizer

    tokenizer = load(transformers.AutoTokenizer, args.output)
    expected = {}
    if args.source:
        source = load(transformers.AutoTokenizer, args.source)
        expected = {role: getattr(source, f"{role}_token") for role in ROLES}
    expected.update(args.expect)
    problems = check_roles(tokenizer, expected)
    stored = Tokenizer.from_file(os.path.join(args.output, "tokenizer.json")).get_vocab_size(with_added_tokens=True)
    if len(tokenizer) != stored:
        problems.append(f"loading gives {len(tokenizer)} tokens, tokenizer.json has {stored}: added "
                        f"{tokenizer.convert_ids_to_tokens(list(range(stored, len(tokenizer))))[:10]}")
    if os.path.exists(os.path.join(args.output, "config.json")):
        vocab_size = getattr(load(transformers.AutoConfig, args.output), "vocab_size", None)
        if vocab_size is not None and vocab_size < len(tokenizer):
            problems.append(f"config.json vocab_size {vocab_size} is less than the {len(tokenizer)} tokens")
    for name in ID_FIELDS:
        problems += check_ids(tokenizer, args.output, name)
    ids = [tokenizer(line)["input_ids"] for line in lines]
    problems += differences(ids, expected_ids, lines, "transformers")
    if tokenizer.pad_token is not None:
        problems += check_padding(tokenizer, lines[:BATCH], ids[:BATCH])
    tokens = ", ".join(f"{role} {getattr(tokenizer, f'{role}_token')!r}" for role in ROLES[:4])
    return problems, f"transformers {transformers.__version__}: {args.output}: {tokens}; {len(lines)} lines compared"


def check_tokenizers(args, lines, expected_ids):
    """Problems of OUTPUT/tokenizer.json under `tokenizers` alone, and its summary line."""
    import tokenizers

    try:
        tokenizer = tokenizers.Tokenizer.from_file(os.path.join(args.output, "tokenizer.json"))
    except Exception as error:
        sys.exit(f"{args.output}: tokenizers {tokenizers.__version__} cannot load tokenizer.json: {error}")
    ids = [encoding.ids for encoding in tokenizer.encode_batch(lines)]
    return differences(ids, expected_ids, lines, "tokenizers"), \
        f"tokenizers {tokenizers.__version__}: {args.output}: {len(lines)} lines compared"


def main():
    """Run the checks of the command line and exit non-zero with every problem found."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", help="the model or tokenizer directory to check")
    parser.add_argument("--source", help="the directory whose special tokens OUTPUT must have")
    parser.add_argument("--expect", type=parse_expect, action="append", default=[], metavar="ROLE=TOKEN",
                        help="the token of a role (bos, eos, pad, unk, sep, cls, mask), or none")
    parser.add_argument("--polytoken", default=os.path.join(ROOT, ".build/release/polytoken"))
    parser.add_argument("--text", default=os.path.join(ROOT, "corpora-samples/monolingual/en.txt"))
    parser.add_argument("--tokenizers-only", action="store_true", help="check with the tokenizers library alone")
    args = parser.parse_args()

    lines = read_lines(args.text)
    expected_ids = polytoken_ids(args.polytoken, os.path.join(args.output, "tokenizer.json"), lines,
                                 per_call=not args.tokenizers_only)
    check = check_tokenizers if args.tokenizers_only else check_transformers
    problems, summary = check(args, lines, expected_ids)
    if problems:
        sys.exit(f"{args.output}: FAILED\n  " + "\n  ".join(problems))
    print(summary)


if __name__ == "__main__":
    main()
