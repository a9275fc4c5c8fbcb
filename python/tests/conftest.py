"""Shared inputs of the Python package's tests: the repository's committed goldens and samples,
and (in CI) the real models `.ci/run` downloads, named by POLYTOKEN_TEST_MODELS."""

import gzip
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_TOKENIZERS = ROOT / "Tests" / "TokenizationTests" / "Goldens" / "tokenizers"
SAMPLES = ROOT / "corpora-samples" / "monolingual"
sys.path.insert(0, str(ROOT / "tools" / "oracle"))


def golden_json(name: str) -> str:
    """The text of a committed golden tokenizer.json."""
    with gzip.open(GOLDEN_TOKENIZERS / f"{name}.json.gz", "rt", encoding="utf-8") as file:
        return file.read()


def sample_lines(per_file: int = 60) -> list:
    """Lines of every monolingual sample (line endings removed), `per_file` from each, spread over the file."""
    lines = []
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8").splitlines()
        step = max(1, len(text) // per_file)
        lines += text[::step][:per_file]
    return lines


def models_dir() -> Path:
    """Where `.ci/run` extracted the real models (wordllama, ...); skips outside CI."""
    path = os.environ.get("POLYTOKEN_TEST_MODELS")
    if not path:
        pytest.skip("POLYTOKEN_TEST_MODELS is not set (.ci/run sets it)")
    return Path(path)
