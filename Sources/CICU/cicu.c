#include "cicu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uregex.h>
#include <unicode/uscript.h>
#include <unicode/uset.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

static void write_error(char *error, int32_t capacity, const char *what, UErrorCode status) {
    if (error && capacity > 0) {
        snprintf(error, (size_t)capacity, "%s: %s", what, u_errorName(status));
    }
}

struct pt_normalizer {
    UNormalizer2 *owned;      /* the filtered normalizer, if any */
    USet *filter;             /* the set the filtered normalizer refers to */
    const UNormalizer2 *norm; /* the normalizer to call */
};

pt_normalizer *pt_normalizer_open(pt_normalization_form form, const char *filter,
                                  char *error, int32_t error_capacity) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *base = NULL;
    switch (form) {
    case PT_NFC: base = unorm2_getNFCInstance(&status); break;
    case PT_NFD: base = unorm2_getNFDInstance(&status); break;
    case PT_NFKC: base = unorm2_getNFKCInstance(&status); break;
    case PT_NFKD: base = unorm2_getNFKDInstance(&status); break;
    case PT_NFKC_CASEFOLD: base = unorm2_getNFKCCasefoldInstance(&status); break;
    }
    if (U_FAILURE(status) || base == NULL) {
        write_error(error, error_capacity, "unorm2 instance", status);
        return NULL;
    }
    pt_normalizer *result = calloc(1, sizeof(pt_normalizer));
    if (!result) return NULL;
    result->norm = base;
    if (filter && filter[0]) {
        UChar pattern[256];
        u_uastrncpy(pattern, filter, 255);
        pattern[255] = 0;
        result->filter = uset_openPattern(pattern, -1, &status);
        if (U_FAILURE(status)) {
            write_error(error, error_capacity, "filter set", status);
            free(result);
            return NULL;
        }
        uset_freeze(result->filter);
        result->owned = unorm2_openFiltered(base, result->filter, &status);
        if (U_FAILURE(status)) {
            write_error(error, error_capacity, "unorm2_openFiltered", status);
            uset_close(result->filter);
            free(result);
            return NULL;
        }
        result->norm = result->owned;
    }
    return result;
}

void pt_normalizer_close(pt_normalizer *normalizer) {
    if (!normalizer) return;
    if (normalizer->owned) unorm2_close(normalizer->owned);
    if (normalizer->filter) uset_close(normalizer->filter);
    free(normalizer);
}

int pt_normalizer_is_normalized(const pt_normalizer *normalizer, const uint16_t *text, int32_t length) {
    UErrorCode status = U_ZERO_ERROR;
    UBool yes = unorm2_isNormalized(normalizer->norm, (const UChar *)text, length, &status);
    return U_SUCCESS(status) && yes;
}

int pt_normalizer_has_boundary_before(const pt_normalizer *normalizer, int32_t c) {
    return unorm2_hasBoundaryBefore(normalizer->norm, c);
}

int32_t pt_normalizer_normalize(const pt_normalizer *normalizer, const uint16_t *source, int32_t length,
                                uint16_t *destination, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = unorm2_normalize(normalizer->norm, (const UChar *)source, length,
                                 (UChar *)destination, capacity, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR || U_SUCCESS(status)) return n;
    return -1;
}

struct pt_transliterator {
    UTransliterator *trans;
};

pt_transliterator *pt_transliterator_open(const uint16_t *id, int32_t id_length,
                                          char *error, int32_t error_capacity) {
    UErrorCode status = U_ZERO_ERROR;
    UParseError parse;
    UTransliterator *trans = utrans_openU((const UChar *)id, id_length, UTRANS_FORWARD, NULL, 0, &parse, &status);
    if (U_FAILURE(status) || !trans) {
        write_error(error, error_capacity, "utrans_openU", status);
        return NULL;
    }
    pt_transliterator *result = calloc(1, sizeof(pt_transliterator));
    if (!result) { utrans_close(trans); return NULL; }
    result->trans = trans;
    return result;
}

void pt_transliterator_close(pt_transliterator *transliterator) {
    if (!transliterator) return;
    utrans_close(transliterator->trans);
    free(transliterator);
}

int32_t pt_transliterate(const pt_transliterator *transliterator, uint16_t *text, int32_t length, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t text_length = length;
    int32_t limit = length;
    utrans_transUChars(transliterator->trans, (UChar *)text, &text_length, capacity, 0, &limit, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) return text_length > capacity ? text_length : capacity + 1;
    if (U_FAILURE(status)) return -1;
    return text_length;
}

struct pt_word_breaker {
    UBreakIterator *iterator;
};

pt_word_breaker *pt_word_breaker_open(const char *locale, char *error, int32_t error_capacity) {
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *iterator = ubrk_open(UBRK_WORD, (locale && locale[0]) ? locale : "", NULL, 0, &status);
    if (U_FAILURE(status) || !iterator) {
        write_error(error, error_capacity, "ubrk_open", status);
        return NULL;
    }
    pt_word_breaker *result = calloc(1, sizeof(pt_word_breaker));
    if (!result) { ubrk_close(iterator); return NULL; }
    result->iterator = iterator;
    return result;
}

void pt_word_breaker_close(pt_word_breaker *breaker) {
    if (!breaker) return;
    ubrk_close(breaker->iterator);
    free(breaker);
}

int32_t pt_word_boundaries(pt_word_breaker *breaker, const uint16_t *text, int32_t length,
                           int32_t *boundaries, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    ubrk_setText(breaker->iterator, (const UChar *)text, length, &status);
    if (U_FAILURE(status)) return -1;
    int32_t count = 0;
    for (int32_t b = ubrk_first(breaker->iterator); b != UBRK_DONE; b = ubrk_next(breaker->iterator)) {
        if (count < capacity) boundaries[count] = b;
        count++;
    }
    /* Do not keep a pointer to the caller's buffer. */
    ubrk_setText(breaker->iterator, NULL, 0, &status);
    return count;
}

struct pt_regex {
    URegularExpression *regex;
};

pt_regex *pt_regex_open(const uint16_t *pattern, int32_t length, char *error, int32_t error_capacity) {
    UErrorCode status = U_ZERO_ERROR;
    UParseError parse;
    URegularExpression *regex = uregex_open((const UChar *)pattern, length, 0, &parse, &status);
    if (U_FAILURE(status) || !regex) {
        if (error && error_capacity > 0) {
            snprintf(error, (size_t)error_capacity, "%s at offset %d", u_errorName(status), (int)parse.offset);
        }
        return NULL;
    }
    pt_regex *result = calloc(1, sizeof(pt_regex));
    if (!result) { uregex_close(regex); return NULL; }
    result->regex = regex;
    return result;
}

void pt_regex_close(pt_regex *regex) {
    if (!regex) return;
    uregex_close(regex->regex);
    free(regex);
}

int32_t pt_regex_find_all(pt_regex *regex, const uint16_t *text, int32_t length,
                          int32_t *ranges, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    uregex_setText(regex->regex, (const UChar *)text, length, &status);
    if (U_FAILURE(status)) return -1;
    /* Oniguruma's find_iter, as the Rust `onig` crate drives it: search from the end of
       the previous match; an empty match right at the previous match's end is refused
       and the search moves one code point on. */
    int32_t count = 0;
    int32_t position = 0;
    int32_t last_match_end = -1;
    while (position <= length) {
        if (!uregex_find(regex->regex, position, &status) || U_FAILURE(status)) break;
        int32_t start = uregex_start(regex->regex, 0, &status);
        int32_t end = uregex_end(regex->regex, 0, &status);
        if (U_FAILURE(status)) return -1;
        if (start == end && end == last_match_end) {
            if (position >= length) break;
            position += U16_IS_LEAD(text[position]) && position + 1 < length && U16_IS_TRAIL(text[position + 1]) ? 2 : 1;
            continue;
        }
        if (count < capacity) {
            ranges[2 * count] = start;
            ranges[2 * count + 1] = end;
        }
        count++;
        position = end;
        last_match_end = end;
    }
    uregex_setText(regex->regex, NULL, 0, &status);
    return count;
}

int32_t pt_normalizer_decomposition(const pt_normalizer *normalizer, int32_t c, int32_t *out, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    UChar units[32];
    int32_t length = unorm2_getDecomposition(normalizer->norm, c, units, 32, &status);
    if (U_FAILURE(status) || length < 0) return -1;
    int32_t count = 0;
    for (int32_t i = 0; i < length && count < capacity;) {
        UChar32 scalar;
        U16_NEXT(units, i, length, scalar);
        out[count++] = scalar;
    }
    return count;
}

int32_t pt_normalizer_combining_class(const pt_normalizer *normalizer, int32_t c) {
    return unorm2_getCombiningClass(normalizer->norm, c);
}

int32_t pt_normalizer_compose_pair(const pt_normalizer *normalizer, int32_t a, int32_t b) {
    return unorm2_composePair(normalizer->norm, a, b);
}

int32_t pt_script_of(int32_t c) {
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode code = uscript_getScript(c, &status);
    return U_FAILURE(status) ? USCRIPT_INVALID_CODE : (int32_t)code;
}

int32_t pt_script_code(const char *name) {
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode codes[8];
    int32_t count = uscript_getCode(name, codes, 8, &status);
    if (U_FAILURE(status) || count < 1 || codes[0] == USCRIPT_INVALID_CODE) return -1;
    return (int32_t)codes[0];
}

const char *pt_script_short_name(int32_t code) {
    return uscript_getShortName((UScriptCode)code);
}
