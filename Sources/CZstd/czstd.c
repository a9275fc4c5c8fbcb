#include "czstd.h"

#include <stdlib.h>
#include <zstd.h>

struct pt_zstd_decoder {
    ZSTD_DStream *stream;
};

pt_zstd_decoder *pt_zstd_open(void) {
    pt_zstd_decoder *decoder = calloc(1, sizeof(pt_zstd_decoder));
    if (!decoder) return NULL;
    decoder->stream = ZSTD_createDStream();
    if (!decoder->stream) {
        free(decoder);
        return NULL;
    }
    /* Frames with windows up to 2 GiB, as `zstd --long=31` writes them. */
    ZSTD_DCtx_setParameter(decoder->stream, ZSTD_d_windowLogMax, 31);
    return decoder;
}

void pt_zstd_close(pt_zstd_decoder *decoder) {
    if (!decoder) return;
    ZSTD_freeDStream(decoder->stream);
    free(decoder);
}

int pt_zstd_decompress(pt_zstd_decoder *decoder, const uint8_t *input, size_t input_length, size_t *consumed,
                       uint8_t *output, size_t output_capacity, size_t *produced, const char **message) {
    ZSTD_inBuffer in = {input, input_length, 0};
    ZSTD_outBuffer out = {output, output_capacity, 0};
    size_t status = ZSTD_decompressStream(decoder->stream, &out, &in);
    *consumed = in.pos;
    *produced = out.pos;
    if (ZSTD_isError(status)) {
        if (message) *message = ZSTD_getErrorName(status);
        return -1;
    }
    return status == 0 ? 1 : 0;
}

long pt_zstd_compress(const uint8_t *input, size_t input_length, uint8_t *output, size_t output_capacity, int level) {
    size_t length = ZSTD_compress(output, output_capacity, input, input_length, level);
    return ZSTD_isError(length) ? -1 : (long)length;
}

size_t pt_zstd_bound(size_t input_length) { return ZSTD_compressBound(input_length); }
