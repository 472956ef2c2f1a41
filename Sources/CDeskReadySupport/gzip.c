#include "deskready_support.h"
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int dr_gzip(const void *in, size_t len, unsigned char **out, size_t *out_len) {
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
    size_t cap = deflateBound(&zs, (uLong)len) + 32;
    unsigned char *buf = malloc(cap);
    if (!buf) { deflateEnd(&zs); return -1; }
    zs.next_in = (Bytef *)in;
    zs.avail_in = (uInt)len;
    zs.next_out = buf;
    zs.avail_out = (uInt)cap;
    int rc = deflate(&zs, Z_FINISH);
    if (rc != Z_STREAM_END) { deflateEnd(&zs); free(buf); return -1; }
    *out_len = zs.total_out;
    *out = buf;
    deflateEnd(&zs);
    return 0;
}

int dr_gunzip_limited(const void *in, size_t len, size_t max_out, unsigned char **out, size_t *out_len) {
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 16) != Z_OK) return -1;
    size_t cap = len * 4 + 1024;
    if (cap > max_out + 1) cap = max_out + 1;
    unsigned char *buf = malloc(cap);
    if (!buf) { inflateEnd(&zs); return -1; }
    zs.next_in = (Bytef *)in;
    zs.avail_in = (uInt)len;
    size_t produced = 0;
    for (;;) {
        if (produced == cap) {
            if (cap > max_out) { free(buf); inflateEnd(&zs); return -2; }
            size_t next = cap * 2;
            if (next > max_out + 1) next = max_out + 1;
            unsigned char *grown = realloc(buf, next);
            if (!grown) { free(buf); inflateEnd(&zs); return -1; }
            buf = grown;
            cap = next;
        }
        zs.next_out = buf + produced;
        zs.avail_out = (uInt)(cap - produced);
        int rc = inflate(&zs, Z_NO_FLUSH);
        produced = cap - zs.avail_out;
        if (produced > max_out) { free(buf); inflateEnd(&zs); return -2; }
        if (rc == Z_STREAM_END) break;
        if (rc != Z_OK && rc != Z_BUF_ERROR) { free(buf); inflateEnd(&zs); return -1; }
        if (rc == Z_BUF_ERROR && zs.avail_in == 0) { free(buf); inflateEnd(&zs); return -1; } /* truncated */
    }
    inflateEnd(&zs);
    *out = buf;
    *out_len = produced;
    return 0;
}

void dr_free(void *p) { free(p); }
