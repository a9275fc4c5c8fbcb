#!/usr/bin/env python3
"""Write a tiny Llama-3-style checkpoint directory, laid out as `transformers`' `save_pretrained` writes one.

    python tools/oracle/llama3_fixture.py OUTPUT_DIR

The tokenizer is the golden `trained-llama3` tokenizer.json (a byte-level BPE trained by Hugging Face
`tokenizers` with the Llama-3 pattern; specials `<|begin_of_text|>` and `<|end_of_text|>`). The model is
only its tied embedding, `model.embed_tokens.weight` [vocab, 64] float32, normal * 0.02 with seed 0.
`config.json` and `generation_config.json` are those of `LlamaConfig`/`GenerationConfig.save_pretrained`
in transformers 4.57 for such a model (generation settings and the eos list as in Llama-3.1, and an
explicit `_from_model_config: false`, which save_pretrained leaves out as the default);
`tokenizer_config.json` and `special_tokens_map.json` have the form `PreTrainedTokenizerFast.save_pretrained`
writes in 4.57 after loading (so the map holds token objects), with the values of Meta's Llama-3.1 files
(`clean_up_tokenization_spaces`, `model_input_names`, `model_max_length`, the chat template inline; here
Llama-3's) and the end of text as pad token. Needs numpy and safetensors only, not torch or transformers.
"""
import argparse
import gzip
import json
import os

import numpy as np
from safetensors.numpy import save_file

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKENIZER = os.path.join(ROOT, "Tests/TokenizationTests/Goldens/tokenizers/trained-llama3.json.gz")
BOS, EOS = "<|begin_of_text|>", "<|end_of_text|>"
HIDDEN = 64
TRANSFORMERS_VERSION = "4.57.6"
# The chat template of Meta-Llama-3-8B-Instruct.
CHAT_TEMPLATE = (
    "{% set loop_messages = messages %}{% for message in loop_messages %}"
    "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'"
    "+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}"
    "{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}"
)


def write_json(directory, name, value):
    """Write VALUE as NAME in DIRECTORY, indented and key-sorted as `save_pretrained` writes."""
    with open(os.path.join(directory, name), "w", encoding="utf-8") as f:
        f.write(json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def added_token(content, special=None):
    """An AddedToken as serialized by transformers; with SPECIAL, the `added_tokens_decoder` form."""
    token = {"content": content, "lstrip": False, "normalized": False, "rstrip": False, "single_word": False}
    return token if special is None else dict(token, special=special)


def main():
    """Write the checkpoint into the directory given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output")
    args = parser.parse_args()
    os.makedirs(args.output, exist_ok=True)

    raw = gzip.open(TOKENIZER).read()
    tokenizer = json.loads(raw)
    ids = {t["content"]: t["id"] for t in tokenizer["added_tokens"]}
    vocab_size = 1 + max([*tokenizer["model"]["vocab"].values(), *ids.values()])
    with open(os.path.join(args.output, "tokenizer.json"), "wb") as f:
        f.write(raw)

    embedding = (np.random.default_rng(0).standard_normal((vocab_size, HIDDEN)) * 0.02).astype(np.float32)
    save_file({"model.embed_tokens.weight": embedding}, os.path.join(args.output, "model.safetensors"),
              metadata={"format": "pt"})

    write_json(args.output, "config.json", {
        "architectures": ["LlamaForCausalLM"], "attention_bias": False, "attention_dropout": 0.0,
        "bos_token_id": ids[BOS], "dtype": "float32", "eos_token_id": ids[EOS], "head_dim": HIDDEN // 4,
        "hidden_act": "silu", "hidden_size": HIDDEN, "initializer_range": 0.02, "intermediate_size": 2 * HIDDEN,
        "max_position_embeddings": 2048, "mlp_bias": False, "model_type": "llama", "num_attention_heads": 4,
        "num_hidden_layers": 1, "num_key_value_heads": 4, "pretraining_tp": 1, "rms_norm_eps": 1e-05,
        "rope_scaling": None, "rope_theta": 500000.0, "tie_word_embeddings": True,
        "transformers_version": TRANSFORMERS_VERSION, "use_cache": True, "vocab_size": vocab_size,
    })
    write_json(args.output, "generation_config.json", {
        "_from_model_config": False, "bos_token_id": ids[BOS], "do_sample": True, "eos_token_id": [ids[EOS]],
        "temperature": 0.6, "top_p": 0.9, "transformers_version": TRANSFORMERS_VERSION,
    })
    write_json(args.output, "tokenizer_config.json", {
        "added_tokens_decoder": {str(t["id"]): added_token(t["content"], t["special"]) for t in tokenizer["added_tokens"]},
        "bos_token": BOS, "chat_template": CHAT_TEMPLATE, "clean_up_tokenization_spaces": True, "eos_token": EOS,
        "extra_special_tokens": {}, "model_input_names": ["input_ids", "attention_mask"],
        "model_max_length": 131072, "pad_token": EOS, "tokenizer_class": "PreTrainedTokenizerFast",
    })
    write_json(args.output, "special_tokens_map.json",
               {"bos_token": added_token(BOS), "eos_token": added_token(EOS), "pad_token": added_token(EOS)})
    print(f"{args.output}: Llama-3-style checkpoint, vocabulary {vocab_size}, bos {ids[BOS]}, eos {ids[EOS]}")


if __name__ == "__main__":
    main()
