"""Alternative rows for the new tokens of an expansion, scored with the quality benchmark's
forward pass (tools/bench_expansion_quality.py), before building one into Polytoken.

    /work/bench/venv/bin/python tools/bench_expansion_quality.py --polytoken BIN --languages ru \
        --sizes 1000 --methods mean --transtokenize none --keep      # makes WORK/out/ru-1000-mean
    /work/bench/venv/bin/python tools/quality/row_variants.py WORK WORK/out/ru-1000-mean ru VARIANT...

Each new token's source segmentation (the source tokenizer on its decoded text) gives its
pieces P (rows of the source embedding); a VARIANT replaces every new row:

- mean: the mean of P (what `expand --method mean` writes);
- first: P's first row; firstmix:w=W: W * first + (1 - W) * mean; lastmix:w=W likewise with the last;
- decay:d=D: the mean weighted by D^position;
- scaled:a=A: the mean scaled by (mean norm of P / norm of the mean)^A;
- center:c=C: the mean minus C times the mean of all source rows (pulls the new rows' logits down
  at every position, as Hewitt recommends for new rows of a tied head);
- fc:w=W,c=C: firstmix and center together.

For each it prints the held-out bits per byte (as the benchmark computes it), the mean log2 p of
targets that are new tokens, English bits per byte over the expanded vocabulary and the new rows'
mass there, and the held-out bits split into new-token targets, source targets right after a new
token, and the rest (where new rows only take probability).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)
import numpy as np
from tokenizers import Tokenizer

import bench_expansion_quality as q
import smollm2

work, expanded, lang = sys.argv[1:4]
source = os.path.join(work, "source")
model = smollm2.Model(work)
E0 = smollm2.load_embedding(source)
E = smollm2.load_embedding(expanded)
n0 = E0.shape[0]
src_tok = Tokenizer.from_file(os.path.join(source, "tokenizer.json"))
tok = Tokenizer.from_file(os.path.join(expanded, "tokenizer.json"))
_, heldout = q.split_tail(q.lines_of(os.path.join(q.MONOLINGUAL, f"{lang}.txt")), 8000)
encoded = q.encode(tok, heldout)
eng_lines = q.split_tail(q.lines_of(os.path.join(q.MONOLINGUAL, "en.txt")), 8000)[1]
english = q.English(model, E0, src_tok, eng_lines, work)

pieces = []
for i in range(n0, E.shape[0]):
    text = tok.decode([i], skip_special_tokens=False)
    pieces.append(src_tok.encode(text, add_special_tokens=False).ids)

mean_all = E0.mean(axis=0)


def rows(kind, **kw):
    out = E.copy()
    for k, p in enumerate(pieces):
        P = E0[p]
        if kind == "mean":
            r = P.mean(axis=0)
        elif kind == "first":
            r = P[0]
        elif kind == "firstmix":
            r = kw["w"] * P[0] + (1 - kw["w"]) * P.mean(axis=0)
        elif kind == "lastmix":
            r = kw["w"] * P[-1] + (1 - kw["w"]) * P.mean(axis=0)
        elif kind == "scaled":
            r = P.mean(axis=0)
            r = r * (np.linalg.norm(P, axis=1).mean() / max(np.linalg.norm(r), 1e-9)) ** kw["a"]
        elif kind == "fc":
            r = kw["w"] * P[0] + (1 - kw["w"]) * P.mean(axis=0) - kw["c"] * mean_all
        elif kind == "decay":
            w = kw["d"] ** np.arange(len(p))
            r = (w[:, None] * P).sum(axis=0) / w.sum()
        elif kind == "center":
            r = P.mean(axis=0) - kw["c"] * mean_all
        else:
            raise SystemExit(kind)
        out[n0 + k] = r
    return out


def measure(label, emb):
    logp, mass, targets = q.score(model, emb, encoded, n0)
    bpb = -logp.sum() / q.scored_bytes(heldout)
    new = targets >= n0
    previous = np.concatenate([[0], targets[:-1]])
    after = (previous >= n0) & ~new
    rest = ~new & ~after
    nbytes = q.scored_bytes(heldout)
    parts = f"bits/byte: new targets {-logp[new].sum() / nbytes:.3f}, after new {-logp[after].sum() / nbytes:.3f} ({after.sum()}), rest {-logp[rest].sum() / nbytes:.3f}"
    ebpb, emass, _ = english.measure(model, emb, tok)
    print(f"{label:>24}: held-out {bpb:.3f}  new-target log2p {logp[new].mean():7.2f} ({new.sum()})  "
          f"English {ebpb:.4f} ({(ebpb / english.bpb - 1) * 100:+.2f}%) mass {emass:.2e}; {parts}", flush=True)


logp, _, _ = q.score(model, E0, q.encode(src_tok, heldout), n0)
print(f"unexpanded held-out {-logp.sum() / q.scored_bytes(heldout):.3f}; English {english.bpb:.4f}", flush=True)
measure("file (as expanded)", E)
for spec in sys.argv[4:]:
    kind, _, arg = spec.partition(":")
    kw = {}
    for item in filter(None, arg.split(",")):
        key, _, value = item.partition("=")
        kw[key] = float(value)
    measure(spec, rows(kind, **kw))
