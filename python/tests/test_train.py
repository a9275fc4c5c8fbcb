"""polytoken.train from an iterator gives the merges tokenizers' train_from_iterator gives with
the same settings; training can be cancelled and interrupted."""

import _thread
import ctypes
import json
import signal
import time

import pytest

import polytoken
from polytoken._native import lib
from bpe_presets import tokenizer_and_trainer
from conftest import SAMPLES


def documents(language: str) -> list:
    return (SAMPLES / f"{language}.txt").read_text(encoding="utf-8").splitlines()


def model_of(tokenizer_json: str) -> dict:
    return json.loads(tokenizer_json)["model"]


@pytest.mark.parametrize("preset,language,vocab_size,options", [
    ("llama3", "en", 3000, {}),
    ("gpt2", "ru", 2000, {}),
    ("qwen2", "zh", 2500, {}),
    ("sentencepiece", "de", 1500, {}),
    ("llama3", "ar", 2000, {"min_frequency": 3, "max_token_length": 6}),
])
def test_iterator_training_matches_tokenizers(preset, language, vocab_size, options):
    texts = documents(language)
    reference, trainer = tokenizer_and_trainer(preset, vocab_size, **options)
    reference.train_from_iterator(iter(texts), trainer)
    ours = polytoken.train(iterator=iter(texts), preset=preset, vocab_size=vocab_size, batch_size=97, **options)
    mine, theirs = model_of(ours.to_str()), model_of(reference.to_str())
    assert mine["vocab"] == theirs["vocab"]
    assert mine["merges"] == theirs["merges"]


def test_iterator_and_files_agree(tmp_path):
    """A file's documents are its lines with their line endings, as in tokenizers' train(files)."""
    texts = documents("hi")
    path = tmp_path / "hi.txt"
    path.write_text("\n".join(texts) + "\n", encoding="utf-8")
    from_iterator = polytoken.train(iterator=[text + "\n" for text in texts], vocab_size=2000)
    from_files = polytoken.train(files=[path], vocab_size=2000)
    assert from_iterator.to_str() == from_files.to_str()


def test_cancelled_training_raises():
    arguments = json.dumps(["--vocab-size", "500"]).encode()
    trainer, error = ctypes.c_void_p(), ctypes.c_void_p()
    assert lib.pt_trainer_new(arguments, ctypes.byref(trainer), ctypes.byref(error)) == 0
    lib.pt_trainer_cancel(trainer)
    text = ctypes.c_void_p()
    status = lib.pt_trainer_finish(trainer, ctypes.byref(text), ctypes.byref(error))
    assert status != 0
    assert "cancelled" in polytoken._native.take_string(error)
    lib.pt_trainer_free(trainer)


def test_ctrl_c_cancels_training(monkeypatch):
    """Ctrl-C while the library trains raises KeyboardInterrupt, cancels the training (the call
    then fails as cancelled) and leaves the package usable. The interrupt comes as the library call
    starts, which is held back half a second so that it always arrives while the call runs,
    however fast merging is."""
    texts = documents("en")
    statuses = []

    class SlowLibrary:
        def __getattr__(self, name):
            return getattr(lib, name)

        def pt_trainer_finish(self, trainer, text, error):
            _thread.interrupt_main()
            time.sleep(0.5)
            status = lib.pt_trainer_finish(trainer, text, error)
            statuses.append((status, ctypes.string_at(error._obj.value).decode() if status else None))
            return status

    # Ctrl-C reaches Python only where SIGINT is Python's: a process started in the background by a
    # non-interactive shell inherits it ignored, and interrupt_main() then does nothing.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    monkeypatch.setattr(polytoken.training, "lib", SlowLibrary())
    try:
        with pytest.raises(KeyboardInterrupt):
            polytoken.train(iterator=texts, vocab_size=3000)
    finally:
        signal.signal(signal.SIGINT, previous)
    monkeypatch.undo()
    assert len(statuses) == 1 and statuses[0][0] != 0 and "cancelled" in statuses[0][1]
    assert polytoken.train(iterator=texts[:200], vocab_size=400).get_vocab_size() == 400
