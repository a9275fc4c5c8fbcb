// A small C surface over the system ICU. ICU's C entry points are version-renamed
// macros (`unorm2_normalize_72`), which Swift cannot import; these wrappers can be.
// Text crosses the boundary as UTF-16 code units (ICU's native form).
#ifndef POLYTOKEN_CICU_H
#define POLYTOKEN_CICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Unicode normalization forms understood by `pt_normalizer_open`.
typedef enum {
    PT_NFC = 0,
    PT_NFD = 1,
    PT_NFKC = 2,
    PT_NFKD = 3,
    PT_NFKC_CASEFOLD = 4,
} pt_normalization_form;

typedef struct pt_normalizer pt_normalizer;

/// Opens a normalizer. With a non-NULL `filter` (a UnicodeSet pattern such as
/// "[:age=9.0:]"), characters outside the set are left untouched.
/// Returns NULL and writes a message into `error` on failure.
pt_normalizer *pt_normalizer_open(pt_normalization_form form, const char *filter,
                                  char *error, int32_t error_capacity);
void pt_normalizer_close(pt_normalizer *normalizer);
/// 1 when the text is already normalized, 0 otherwise.
int pt_normalizer_is_normalized(const pt_normalizer *normalizer, const uint16_t *text, int32_t length);
/// 1 when `c` always starts a new normalization segment.
int pt_normalizer_has_boundary_before(const pt_normalizer *normalizer, int32_t c);
/// Normalizes `source` into `destination`; returns the full output length (which may
/// exceed `capacity`, in which case nothing useful was written), or -1 on error.
/// The full decomposition of `c` under this normalizer (canonical for NFC/NFD, compatibility
/// for NFKC/NFKD) into `out`; returns the number of scalars, or -1 when `c` does not decompose.
int32_t pt_normalizer_decomposition(const pt_normalizer *normalizer, int32_t c, int32_t *out, int32_t capacity);

/// The canonical combining class of `c` (0 for characters outside the filter).
int32_t pt_normalizer_combining_class(const pt_normalizer *normalizer, int32_t c);

/// The primary composite of `a` and `b`, or a negative value when they do not compose.
int32_t pt_normalizer_compose_pair(const pt_normalizer *normalizer, int32_t a, int32_t b);

int32_t pt_normalizer_normalize(const pt_normalizer *normalizer, const uint16_t *source, int32_t length,
                                uint16_t *destination, int32_t capacity);

typedef struct pt_transliterator pt_transliterator;
/// Opens an ICU transliterator by transform id, such as "Any-Latin; Latin-ASCII".
pt_transliterator *pt_transliterator_open(const uint16_t *id, int32_t id_length,
                                          char *error, int32_t error_capacity);
void pt_transliterator_close(pt_transliterator *transliterator);
/// Transliterates `text` (of `length` units, in a buffer of `capacity` units) in place;
/// returns the new length, which may exceed `capacity` (then call again with a larger buffer), or -1.
int32_t pt_transliterate(const pt_transliterator *transliterator, uint16_t *text, int32_t length, int32_t capacity);

typedef struct pt_word_breaker pt_word_breaker;
/// Opens a word break iterator for `locale` (the root locale when NULL or empty).
pt_word_breaker *pt_word_breaker_open(const char *locale, char *error, int32_t error_capacity);
void pt_word_breaker_close(pt_word_breaker *breaker);
/// Writes the word boundaries of `text` (UTF-16 offsets, starting with 0 and ending with
/// `length`) into `boundaries`; returns their count, which may exceed `capacity`, or -1.
int32_t pt_word_boundaries(pt_word_breaker *breaker, const uint16_t *text, int32_t length,
                           int32_t *boundaries, int32_t capacity);

typedef struct pt_regex pt_regex;
/// Compiles an ICU regular expression. On failure returns NULL and writes a message
/// naming the offset of the error.
pt_regex *pt_regex_open(const uint16_t *pattern, int32_t length, char *error, int32_t error_capacity);
void pt_regex_close(pt_regex *regex);
/// Finds every non-overlapping match in `text` (UTF-16), writing start/end pairs into
/// `ranges` (2 entries per match). Empty matches are skipped. Returns the match count,
/// which may exceed `capacity` pairs, or -1 on error.
int32_t pt_regex_find_all(pt_regex *regex, const uint16_t *text, int32_t length,
                          int32_t *ranges, int32_t capacity);

/// The ICU script code (UScriptCode) of `c`.
int32_t pt_script_of(int32_t c);
/// The script code named by `name` (a four-letter ISO 15924 code such as "Hebr", or a long
/// name such as "Hebrew"), or -1 when ICU knows no such script.
int32_t pt_script_code(const char *name);
/// The ISO 15924 short name of script `code`, or NULL.
const char *pt_script_short_name(int32_t code);

#ifdef __cplusplus
}
#endif
#endif
