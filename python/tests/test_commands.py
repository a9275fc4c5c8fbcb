"""The transfer commands from Python write exactly what the command line writes, and report
what it reports."""

import filecmp
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import polytoken
from conftest import ROOT, SAMPLES, models_dir


def command_line() -> str:
    path = os.environ.get("POLYTOKEN_CLI", str(ROOT / ".build" / "release" / "polytoken"))
    if not os.access(path, os.X_OK):
        pytest.skip(f"{path} is not built (set POLYTOKEN_CLI)")
    return path


@pytest.fixture(scope="module")
def llama2(tmp_path_factory) -> Path:
    """Llama-2's tokenizer with wordllama's 256-wide embedding: a small real model directory."""
    models = models_dir()
    source = tmp_path_factory.mktemp("models") / "llama2"
    source.mkdir()
    shutil.copy(models / "wordllama" / "tokenizers" / "l2_supercat_tokenizer_config.json", source / "tokenizer.json")
    shutil.copy(models / "wordllama" / "weights" / "l2_supercat_256.safetensors", source / "model.safetensors")
    (source / "config.json").write_text(json.dumps({"model_type": "llama", "vocab_size": 32000, "tie_word_embeddings": True}))
    return source


def same_directories(left: Path, right: Path) -> None:
    names = sorted(os.listdir(left))
    assert names == sorted(os.listdir(right))
    match, mismatch, errors = filecmp.cmpfiles(left, right, names, shallow=False)
    assert (mismatch, errors) == ([], []), f"differ: {mismatch} {errors}"


def test_expand_matches_the_command_line(llama2, tmp_path):
    options = ["--embedding-tensor", "embedding.weight", "--target-corpus", str(SAMPLES / "ru.txt"),
               "--new-tokens", "300", "--method", "heuristic", "--pad-to-multiple", "64"]
    cli_output = tmp_path / "cli"
    printed = subprocess.run([command_line(), "expand", "--model", str(llama2), *options, "-o", str(cli_output)],
                             check=True, capture_output=True, text=True).stdout
    summary = polytoken.expand(llama2, SAMPLES / "ru.txt", 300, tmp_path / "python", embedding_tensor="embedding.weight",
                               method="heuristic", pad_to_multiple=64)
    same_directories(cli_output, tmp_path / "python")
    assert isinstance(summary, polytoken.ModelSummary)
    assert summary.rows == 32000 + 320 and summary.source_rows == 32000 and summary.initialized == 300
    assert sum(summary.methods.values()) == 300
    assert f"rows {summary.source_rows} -> {summary.rows}" in printed
    assert summary.tokens_per_word[1] < summary.tokens_per_word[0]
    assert f"{summary.tokens_per_word[0]:.3f} -> {summary.tokens_per_word[1]:.3f} tokens per word" in printed


def test_count_and_train_from_counts(tmp_path):
    first = polytoken.count(SAMPLES / "en.txt", tmp_path / "en.sqlite")
    second = polytoken.count([SAMPLES / "de.txt"], tmp_path / "de.sqlite")
    assert first.documents == len((SAMPLES / "en.txt").read_text(encoding="utf-8").splitlines())
    assert second.words > 0
    from_counts = polytoken.train_summary([], vocab_size=3000, output=tmp_path / "counts.json",
                                          counts=[tmp_path / "en.sqlite", tmp_path / "de.sqlite"])
    from_files = polytoken.train_summary([SAMPLES / "en.txt", SAMPLES / "de.txt"], vocab_size=3000, output=tmp_path / "files.json")
    assert from_counts.tokens == from_files.tokens == 3000
    assert (tmp_path / "counts.json").read_bytes() == (tmp_path / "files.json").read_bytes()


def test_transmi_matches_the_command_line(llama2, tmp_path):
    cli_output = tmp_path / "cli"
    printed = subprocess.run([command_line(), "transmi", "--model", str(llama2), "--embedding-tensor", "embedding.weight",
                              "--transform", "Cyrillic-Latin", "-o", str(cli_output)], check=True, capture_output=True, text=True).stdout
    summary = polytoken.transmi(llama2, tmp_path / "python", embedding_tensor="embedding.weight", transform="Cyrillic-Latin")
    same_directories(cli_output, tmp_path / "python")
    assert summary.tokens_per_word is None and summary.source_rows == 32000
    assert summary.rows == summary.source_rows + summary.initialized > summary.source_rows
    assert f"{summary.rows} rows -> " in printed
