"""Bad input raises a Python exception carrying the library's message; nothing crashes."""

import pytest

import polytoken
from conftest import golden_json


def test_missing_file(tmp_path):
    with pytest.raises(polytoken.PolytokenError, match="nothing.json"):
        polytoken.Tokenizer.from_file(tmp_path / "nothing.json")


def test_malformed_tokenizer_json_names_the_json_path():
    text = golden_json("gpt2").replace('"type": "BPE"', '"type": "Nonsense"', 1)
    if text == golden_json("gpt2"):
        text = golden_json("gpt2").replace('"type":"BPE"', '"type":"Nonsense"', 1)
    with pytest.raises(polytoken.PolytokenError, match=r"model"):
        polytoken.Tokenizer.from_str(text)
    with pytest.raises(polytoken.PolytokenError):
        polytoken.Tokenizer.from_str("{\"version\": ")


def test_wrong_types():
    tokenizer = polytoken.Tokenizer.from_str(golden_json("gpt2"))
    with pytest.raises(TypeError):
        tokenizer.encode(42)
    with pytest.raises(TypeError):
        tokenizer.encode_batch("one string")
    with pytest.raises(TypeError):
        tokenizer.encode_batch(["fine", None])
    with pytest.raises(TypeError):
        polytoken.Tokenizer.from_str(b"{}")
    with pytest.raises(ValueError):
        tokenizer.decode([-1])
    with pytest.raises(TypeError):
        tokenizer.token_to_id(3)
    assert tokenizer.id_to_token(10**12) is None


def test_unknown_option_is_a_usage_error(tmp_path):
    with pytest.raises(polytoken.UsageError, match="no-such-option"):
        polytoken.train(iterator=["a b c"], vocab_size=300, no_such_option=1)
    with pytest.raises(polytoken.UsageError, match="vocab-size"):
        polytoken.train(iterator=["a b c"], vocab_size=0)
    with pytest.raises(polytoken.UsageError):
        polytoken.expand(tmp_path / "absent", [tmp_path / "absent.txt"], 10, tmp_path / "out", method="nonsense")


def test_failed_expand_names_the_directory(tmp_path):
    with pytest.raises(polytoken.PolytokenError, match="absent"):
        polytoken.expand(tmp_path / "absent", [tmp_path / "absent.txt"], 10, tmp_path / "out")
    assert not (tmp_path / "out").exists()
