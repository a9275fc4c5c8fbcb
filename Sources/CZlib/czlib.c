#include "czlib.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct pt_inflater {
    z_stream stream;
};

pt_inflater *pt_inflater_open(void) {
    pt_inflater *inflater = calloc(1, sizeof(pt_inflater));
    if (!inflater) return NULL;
    /* 15 + 32: a gzip or zlib header, detected automatically. */
    if (inflateInit2(&inflater->stream, 15 + 32) != Z_OK) {
        free(inflater);
        return NULL;
    }
    return inflater;
}

void pt_inflater_close(pt_inflater *inflater) {
    if (!inflater) return;
    inflateEnd(&inflater->stream);
    free(inflater);
}

int pt_inflate(pt_inflater *inflater, const uint8_t *input, size_t input_length, size_t *consumed,
               uint8_t *output, size_t output_capacity, size_t *produced) {
    z_stream *s = &inflater->stream;
    s->next_in = (Bytef *)input;
    s->avail_in = (uInt)input_length;
    s->next_out = output;
    s->avail_out = (uInt)output_capacity;
    int rc = inflate(s, Z_NO_FLUSH);
    *consumed = input_length - s->avail_in;
    *produced = output_capacity - s->avail_out;
    if (rc == Z_STREAM_END) {
        inflateReset(s);
        return 1;
    }
    if (rc == Z_OK || rc == Z_BUF_ERROR) return 0;
    return -1;
}

size_t pt_gzip_bound(size_t input_length) {
    return compressBound((uLong)input_length) + 32;
}

long pt_gzip(const uint8_t *input, size_t input_length, uint8_t *output, size_t output_capacity) {
    z_stream s;
    memset(&s, 0, sizeof(s));
    if (deflateInit2(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
    s.next_in = (Bytef *)input;
    s.avail_in = (uInt)input_length;
    s.next_out = output;
    s.avail_out = (uInt)output_capacity;
    int rc = deflate(&s, Z_FINISH);
    long n = (long)(output_capacity - s.avail_out);
    deflateEnd(&s);
    return rc == Z_STREAM_END ? n : -1;
}

uint32_t pt_crc32(uint32_t crc, const uint8_t *bytes, size_t length) {
    return (uint32_t)crc32((uLong)crc, bytes, (uInt)length);
}
