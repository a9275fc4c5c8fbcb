"""The Spark examples in local mode (local[2]): counting by partitions then training gives the
tokenizer `polytoken train` gives on the whole corpus, and shards written by partitions then
merged are byte-identical to one `polytoken encode -o`."""

import filecmp
import os
import subprocess
import sys

import pytest

from conftest import ROOT, SAMPLES, golden_json
from test_commands import command_line

pytest.importorskip("pyspark")
EXAMPLES = ROOT / "examples" / "spark"
CORPUS = [str(SAMPLES / f"{name}.txt") for name in ("en", "de", "ru", "ja", "zh", "ar", "hi", "ko", "th", "el")]


def spark_job(script, *arguments):
    environment = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    result = subprocess.run([sys.executable, str(EXAMPLES / script), "--master", "local[2]", "--partitions", "5", *arguments],
                            capture_output=True, text=True, env=environment, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


def test_counting_by_partitions_trains_the_same_tokenizer(tmp_path):
    printed = spark_job("count_and_train.py", "--vocab-size", "3000", "-o", str(tmp_path / "spark.json"), *CORPUS)
    assert "partitions counted" in printed
    subprocess.run([command_line(), "train", "--preset", "llama3", "--vocab-size", "3000", "-o", str(tmp_path / "cli.json"), *CORPUS],
                   check=True, capture_output=True)
    assert (tmp_path / "spark.json").read_bytes() == (tmp_path / "cli.json").read_bytes()


def test_shards_by_partitions_merge_into_the_single_process_dataset(tmp_path):
    tokenizer = tmp_path / "tokenizer.json"
    tokenizer.write_text(golden_json("trained-llama3"), encoding="utf-8")
    printed = spark_job("tokenize_to_megatron.py", "--tokenizer", str(tokenizer), "--append-eod", "<|end_of_text|>",
                        "--shards", str(tmp_path / "shards"), "-o", str(tmp_path / "spark"), *CORPUS)
    shards = len([name for name in os.listdir(tmp_path / "shards") if name.endswith(".idx")])
    assert shards >= 5 and printed.startswith(f"{shards} shards, ")
    subprocess.run([command_line(), "encode", "--tokenizer", str(tokenizer), "--format", "megatron", "--append-eod",
                    "--eod-token", "<|end_of_text|>", "-o", str(tmp_path / "cli"), *CORPUS], check=True, capture_output=True)
    for suffix in [".bin", ".idx"]:
        assert filecmp.cmp(f"{tmp_path / 'spark'}{suffix}", f"{tmp_path / 'cli'}{suffix}", shallow=False), suffix
