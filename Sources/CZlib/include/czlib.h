// A small C surface over zlib, whose `inflateInit2` is a macro Swift cannot call.
#ifndef POLYTOKEN_CZLIB_H
#define POLYTOKEN_CZLIB_H

#include <stdint.h>
#include <stddef.h>

typedef struct pt_inflater pt_inflater;

/// Opens a streaming gzip (or zlib) decoder. Returns NULL when out of memory.
pt_inflater *pt_inflater_open(void);
void pt_inflater_close(pt_inflater *inflater);
/// Feeds `input` and produces up to `output_capacity` bytes. `consumed` and `produced`
/// receive the byte counts. Returns 0 to go on, 1 at the end of a gzip member (a
/// following member, as in concatenated .gz files, restarts the decoder), or -1 on
/// corrupt data.
int pt_inflate(pt_inflater *inflater, const uint8_t *input, size_t input_length, size_t *consumed,
               uint8_t *output, size_t output_capacity, size_t *produced);

/// Compresses `input` as one gzip member into `output`; returns the length or -1.
/// Used by tools and tests that write .gz fixtures.
long pt_gzip(const uint8_t *input, size_t input_length, uint8_t *output, size_t output_capacity);
/// An upper bound on `pt_gzip`'s output size for `input_length` bytes.
size_t pt_gzip_bound(size_t input_length);

/// Continues the CRC-32 `crc` (0 to start) over `length` bytes, as zlib's `crc32` and
/// Python's `zlib.crc32` compute it.
uint32_t pt_crc32(uint32_t crc, const uint8_t *bytes, size_t length);

#endif
