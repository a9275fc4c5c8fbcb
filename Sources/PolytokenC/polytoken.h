/*
 * polytoken.h: the C interface of libPolytokenC, the Polytoken library behind the Python package.
 *
 * Objects are opaque handles, created by a *_new / *_from_* function and released by the
 * matching *_free. A function that can fail returns a status (PT_OK, else the failure's status)
 * and, on failure, sets *error to a UTF-8 message naming the file, JSON path or option
 * (release it with pt_string_free). Nothing crosses the boundary as a crash: every Swift error
 * becomes a status and a message. Batches of texts are passed packed: the UTF-8 of every text,
 * one after the other, in data, and count + 1 offsets (text i is bytes [offsets[i], offsets[i + 1])
 * of data); other strings passed in are NUL-terminated (paths, JSON arguments); strings returned are NUL-terminated, owned by the
 * caller and released with pt_string_free. No function calls back into the caller, so callers
 * may release their interpreter lock around any call; batch calls use every core.
 */
#ifndef POLYTOKEN_H
#define POLYTOKEN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pt_tokenizer pt_tokenizer;
typedef struct pt_encoding pt_encoding;
typedef struct pt_trainer pt_trainer;
typedef struct pt_dataset pt_dataset;

enum {
    PT_OK = 0,            /* success */
    PT_ERROR = 1,         /* the work failed: a bad file, input or model */
    PT_USAGE = 64,        /* an unknown or invalid option or argument */
};

/* Flags of pt_encode_batch. */
#define PT_ADD_SPECIAL_TOKENS 1u  /* add the post-processor's special tokens (such as <s>) */
#define PT_DETAILS 2u             /* also tokens, character offsets, type ids and masks */
/* Flag of pt_dataset_new (with PT_ADD_SPECIAL_TOKENS). */
#define PT_REPLACE 4u             /* replace an existing dataset at the prefix */

/* The library's version, a static string. */
const char *pt_version(void);
/* Releases a string the library returned. NULL is ignored. */
void pt_string_free(char *string);

/* Loads a tokenizer of any format Polytoken reads (tokenizer.json, SentencePiece model, GGUF,
 * tiktoken ranks, vocab.json with merges.txt beside it, vocab.txt), told from the content. */
int32_t pt_tokenizer_from_file(const char *path, pt_tokenizer **tokenizer, char **error);
/* Loads a tokenizer from the text of a tokenizer.json. */
int32_t pt_tokenizer_from_str(const char *json, size_t length, pt_tokenizer **tokenizer, char **error);
void pt_tokenizer_free(pt_tokenizer *tokenizer);
/* The tokenizer.json text (pretty-printed when pretty is non-zero). */
int32_t pt_tokenizer_to_str(const pt_tokenizer *tokenizer, int32_t pretty, char **json, char **error);
/* The number of distinct tokens: the model's vocabulary, with the added tokens when
 * with_added_tokens is non-zero (as tokenizers' get_vocab_size). */
size_t pt_tokenizer_vocab_size(const pt_tokenizer *tokenizer, int32_t with_added_tokens);
/* 1 and *id set when the token (added tokens first, then the vocabulary) exists, else 0. */
int32_t pt_tokenizer_token_to_id(const pt_tokenizer *tokenizer, const char *token, size_t length, uint32_t *id);
/* 1 and *token set (release with pt_string_free) when the id exists, else 0. */
int32_t pt_tokenizer_id_to_token(const pt_tokenizer *tokenizer, uint32_t id, char **token);

/* Encodes count packed texts (invalid UTF-8 becomes U+FFFD) on threads threads (0: every core);
 * the result does not depend on the thread count. */
int32_t pt_encode_batch(const pt_tokenizer *tokenizer, const char *data, const int64_t *offsets, size_t count,
                        uint32_t flags, uint32_t threads, pt_encoding **encoding, char **error);
void pt_encoding_free(pt_encoding *encoding);
/* The number of texts, and of tokens over all of them. */
size_t pt_encoding_count(const pt_encoding *encoding);
size_t pt_encoding_token_count(const pt_encoding *encoding);
/* The ids of all texts, one after the other (token_count values). */
const uint32_t *pt_encoding_ids(const pt_encoding *encoding);
/* Where each text's ids start (count + 1 values: text i has ids [offsets[i], offsets[i + 1])). */
const int64_t *pt_encoding_text_offsets(const pt_encoding *encoding);
/* With PT_DETAILS, else NULL: per token, its character (code point) start and end in its text
 * (2 * token_count values), type id, special-tokens mask and attention mask; and the tokens'
 * UTF-8 text, concatenated, token i being bytes [token_offsets[i], token_offsets[i + 1]). */
const int64_t *pt_encoding_offsets(const pt_encoding *encoding);
const uint32_t *pt_encoding_type_ids(const pt_encoding *encoding);
const uint8_t *pt_encoding_special_tokens_mask(const pt_encoding *encoding);
const uint8_t *pt_encoding_attention_mask(const pt_encoding *encoding);
const char *pt_encoding_token_bytes(const pt_encoding *encoding);
const int64_t *pt_encoding_token_offsets(const pt_encoding *encoding);

/* The text of count ids, through the tokenizer's decoder; special added tokens left out when
 * skip_special_tokens is non-zero. *length receives its length in bytes (it may hold NULs). */
int32_t pt_decode(const pt_tokenizer *tokenizer, const uint32_t *ids, size_t count, int32_t skip_special_tokens,
                  char **text, size_t *length, char **error);

/* A training session configured by `polytoken train`'s options, given as a JSON array of
 * strings (["--preset", "llama3", "--vocab-size", "8000"]). Texts are added in batches, each
 * text one document; finish trains and returns the tokenizer.json text. */
int32_t pt_trainer_new(const char *arguments_json, pt_trainer **trainer, char **error);
int32_t pt_trainer_add(pt_trainer *trainer, const char *data, const int64_t *offsets, size_t count, char **error);
int32_t pt_trainer_finish(pt_trainer *trainer, char **tokenizer_json, char **error);
/* Makes a running or later add or finish fail ("training was cancelled"). Safe from any thread. */
void pt_trainer_cancel(pt_trainer *trainer);
void pt_trainer_free(pt_trainer *trainer);

/* A token dataset at prefix, in format "megatron" (PREFIX.bin, PREFIX.idx), "npy"
 * (PREFIX.tokens.npy, PREFIX.offsets.npy) or "jsonl" (PREFIX.jsonl), as `polytoken encode -o`
 * writes it: end_of_document (an id, or -1 for none) is appended to every non-empty document,
 * shard_size > 0 splits it into numbered shards of at least that many tokens. Texts are added
 * in batches, each text one document, encoded on threads threads (0: every core); the bytes do
 * not depend on the thread count or the batch sizes. Nothing is visible at the prefix until
 * commit, which sets *summary_json (documents, tokens, text_bytes, paths, and shards when
 * sharded). After a failed add or commit, and after commit, only pt_dataset_free is allowed.
 * Releasing an uncommitted dataset removes everything it wrote. */
int32_t pt_dataset_new(const pt_tokenizer *tokenizer, const char *prefix, const char *format, int64_t end_of_document,
                       int64_t shard_size, uint32_t flags, uint32_t threads, pt_dataset **dataset, char **error);
int32_t pt_dataset_add(pt_dataset *dataset, const char *data, const int64_t *offsets, size_t count, char **error);
int32_t pt_dataset_commit(pt_dataset *dataset, char **summary_json, char **error);
void pt_dataset_free(pt_dataset *dataset);

/* Runs a polytoken command in this process, its arguments given as a JSON array of strings
 * (["expand", "--model", "in", ...], without the program name). *summary_json receives the
 * summary of a command that writes a tokenizer, word counts or a model, as a JSON object, or
 * NULL for commands whose output is their result (encode, decode, ...), which write standard output. */
int32_t pt_run(const char *arguments_json, char **summary_json, char **error);

#ifdef __cplusplus
}
#endif

#endif
