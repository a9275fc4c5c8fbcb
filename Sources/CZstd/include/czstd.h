// A small C surface over libzstd's streaming decoder, shaped like CZlib's inflater.
#ifndef POLYTOKEN_CZSTD_H
#define POLYTOKEN_CZSTD_H

#include <stdint.h>
#include <stddef.h>

typedef struct pt_zstd_decoder pt_zstd_decoder;

/// Opens a streaming Zstandard decoder. Returns NULL when out of memory.
pt_zstd_decoder *pt_zstd_open(void);
void pt_zstd_close(pt_zstd_decoder *decoder);
/// Feeds `input` and produces up to `output_capacity` bytes. `consumed` and `produced`
/// receive the byte counts. Returns 0 to go on, 1 at the end of a frame (a following
/// frame, as in concatenated .zst files, continues the stream), or -1 on corrupt data,
/// with `message` (if not NULL) set to zstd's description of the error.
int pt_zstd_decompress(pt_zstd_decoder *decoder, const uint8_t *input, size_t input_length, size_t *consumed,
                       uint8_t *output, size_t output_capacity, size_t *produced, const char **message);

/// Compresses `input` as one Zstandard frame into `output`; returns the length or -1.
/// Used by tests that write .zst fixtures.
long pt_zstd_compress(const uint8_t *input, size_t input_length, uint8_t *output, size_t output_capacity, int level);
/// An upper bound on `pt_zstd_compress`'s output size for `input_length` bytes.
size_t pt_zstd_bound(size_t input_length);

#endif
