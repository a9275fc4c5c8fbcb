"""polytoken's ids, tokens, offsets and masks equal tokenizers' on real tokenizers, for single
texts and batches, with added and special tokens."""

import numpy as np
import pytest
import tokenizers

import polytoken
from adversarial import generate
from conftest import GOLDEN_TOKENIZERS, SAMPLES, golden_json, models_dir, sample_lines

GOLDENS = sorted(path.name[:-len(".json.gz")] for path in GOLDEN_TOKENIZERS.glob("*.json.gz"))


def texts_for(reference: tokenizers.Tokenizer) -> list:
    """Real lines, adversarial strings, and lines with the tokenizer's added tokens pasted in."""
    lines = sample_lines() + generate(150, 7)
    added = [token.content for token in reference.get_added_tokens_decoder().values()]
    for index, token in enumerate(added[:20]):
        line = lines[(index * 37) % len(lines)]
        lines.append(f"{line[:len(line) // 2]}{token}{line[len(line) // 2:]} {token}")
    return lines


def assert_same(ours: polytoken.Encoding, theirs, text: str) -> None:
    assert ours.ids == theirs.ids, text
    assert ours.tokens == theirs.tokens, text
    assert ours.offsets == [tuple(offset) for offset in theirs.offsets], text
    assert ours.type_ids == theirs.type_ids, text
    assert ours.attention_mask == theirs.attention_mask, text
    assert ours.special_tokens_mask == theirs.special_tokens_mask, text


def check(ours: polytoken.Tokenizer, reference: tokenizers.Tokenizer) -> None:
    texts = texts_for(reference)
    for add_special_tokens in (True, False):
        expected = reference.encode_batch(texts, add_special_tokens=add_special_tokens)
        batch = ours.encode_batch(texts, add_special_tokens=add_special_tokens)
        assert len(batch) == len(texts)
        for text, mine, theirs in zip(texts, batch, expected):
            assert_same(mine, theirs, text)
        for text, theirs in list(zip(texts, expected))[::7]:
            assert_same(ours.encode(text, add_special_tokens=add_special_tokens), theirs, text)
        ids, starts = ours.encode_batch_numpy(texts, add_special_tokens=add_special_tokens)
        assert ids.dtype == np.uint32 and starts.dtype == np.int64 and len(starts) == len(texts) + 1
        assert [ids[a:b].tolist() for a, b in zip(starts, starts[1:])] == [e.ids for e in expected]
        assert ours.encode_batch_ids(texts, add_special_tokens, threads=1) == [e.ids for e in expected]
    sequences = [e.ids for e in reference.encode_batch(texts[::5])]
    for skip in (True, False):
        assert ours.decode_batch(sequences, skip_special_tokens=skip) == reference.decode_batch(sequences, skip_special_tokens=skip)
    for token, id in list(reference.get_vocab().items())[::97]:
        assert ours.token_to_id(token) == id
        assert ours.id_to_token(id) == reference.id_to_token(id)
    assert ours.get_vocab_size() == reference.get_vocab_size()
    assert ours.get_vocab_size(with_added_tokens=False) == reference.get_vocab_size(with_added_tokens=False)


@pytest.mark.parametrize("name", GOLDENS)
def test_golden_tokenizers(name):
    text = golden_json(name)
    check(polytoken.Tokenizer.from_str(text), tokenizers.Tokenizer.from_str(text))


def test_llama2_from_wordllama():
    path = models_dir() / "wordllama" / "tokenizers" / "l2_supercat_tokenizer_config.json"
    check(polytoken.Tokenizer.from_file(path), tokenizers.Tokenizer.from_file(str(path)))


def test_trained_llama3_style(tmp_path):
    files = [str(path) for path in sorted(SAMPLES.glob("*.txt"))]
    ours = polytoken.train(files=files, preset="llama3", vocab_size=6000, output=tmp_path / "tokenizer.json")
    reference = tokenizers.Tokenizer.from_file(str(tmp_path / "tokenizer.json"))
    check(ours, reference)
    assert ours.to_huggingface().to_str() == reference.to_str()


def test_thread_count_does_not_change_ids():
    ours = polytoken.Tokenizer.from_str(golden_json("trained-llama3"))
    texts = sample_lines(200)
    one = ours.encode_batch_numpy(texts, threads=1)
    many = ours.encode_batch_numpy(texts, threads=3)
    assert np.array_equal(one[0], many[0]) and np.array_equal(one[1], many[1])


def test_numpy_result_outlives_its_tokenizer():
    ours = polytoken.Tokenizer.from_str(golden_json("gpt2"))
    ids, starts = ours.encode_batch_numpy(["hello world", "bonjour"])
    expected = tokenizers.Tokenizer.from_str(golden_json("gpt2")).encode_batch(["hello world", "bonjour"])
    del ours
    assert [ids[a:b].tolist() for a, b in zip(starts, starts[1:])] == [e.ids for e in expected]
