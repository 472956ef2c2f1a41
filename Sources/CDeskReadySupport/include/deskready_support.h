#ifndef DESKREADY_SUPPORT_H
#define DESKREADY_SUPPORT_H

#include <stddef.h>

/* ---- gzip (zlib) ---- */

/* Compresses `len` bytes into a newly malloc'd gzip stream. Returns 0 on success. Free *out with free(). */
int dr_gzip(const void *in, size_t len, unsigned char **out, size_t *out_len);

/* Inflates a gzip stream, stopping as soon as the output would exceed `max_out` bytes (a gzip bomb is never
   inflated in full). Returns 0 on success, -2 when the output is over the limit, -1 when the stream is not gzip
   or is corrupt. Free *out with free(). */
int dr_gunzip_limited(const void *in, size_t len, size_t max_out, unsigned char **out, size_t *out_len);

void dr_free(void *p);

/* ---- HTTP through libcurl, loaded with dlopen on first use ---- */

/* Loads libcurl's runtime (libcurl.so.4) once. Returns 0 when available; otherwise writes the reason to err. */
int dr_curl_load(char *err, size_t err_len);

typedef struct dr_http_response {
    long status;               /* HTTP status, 0 when no response arrived */
    unsigned char *body;       /* response body, malloc'd (free with dr_http_response_free) */
    size_t body_len;
    long retry_after_seconds;  /* Retry-After header in seconds, -1 when absent */
    char error[256];           /* transport error, empty when a response arrived */
} dr_http_response;

/* POSTs `body` to `url` with the given header lines ("Name: value"). Certificates are verified against the
   system store, or `ca_file` when not NULL. The proxy environment (https_proxy, no_proxy) is honoured.
   Returns 0 when a response arrived (any status), -1 on a transport failure (see out->error). */
int dr_http_request(const char *method, const char *url, const char *const *headers, size_t header_count,
                    const void *body, size_t body_len, long timeout_ms, long connect_timeout_ms,
                    const char *ca_file, dr_http_response *out);

void dr_http_response_free(dr_http_response *response);

/* ---- Network probe timing through libcurl (curl_probe.c) ---- */

typedef struct dr_probe_timing {
    long status;                  /* HTTP status, 0 when no response arrived */
    int curl_code;                /* libcurl's result code, 0 on success */
    int timed_out;                /* 1 when the probe ran out of time */
    long long namelookup_us;      /* from the start: name resolved */
    long long connect_us;         /* TCP connected */
    long long appconnect_us;      /* TLS handshake done (0 for plain HTTP) */
    long long starttransfer_us;   /* first byte of the response */
    long long total_us;
    char error[256];              /* libcurl's error text, empty on success */
} dr_probe_timing;

/* GETs `url` once on a fresh connection and stops at the first byte of the response body, recording libcurl's
   phase times (CURLINFO_*_TIME_T). Certificates are verified (against `ca_file` when not NULL). Returns 0 when a
   response arrived (any status), -1 otherwise (see out->curl_code and out->error). */
int dr_http_probe(const char *url, long timeout_ms, long connect_timeout_ms, const char *ca_file, dr_probe_timing *out);

/* ---- File birth time (birth_time.c) ---- */

/* When the file or folder at `path` was created, in milliseconds since 1970, from statx(2)'s STATX_BTIME. Returns
   -1 when the path cannot be read, or the kernel, C library or filesystem does not keep creation times. */
long long dr_birth_time_ms(const char *path);

/// Names the calling thread (at most 15 characters), as `top -H` and `perf` show it.
void dr_set_thread_name(const char *name);

#endif
