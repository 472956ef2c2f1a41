/* libcurl through dlopen: the agent's `mark` path never loads an HTTP stack, and no libcurl -dev package is
   needed to build. Only the stable ABI subset used here is declared. */
#include "deskready_support.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef void CURL;
struct curl_slist;
typedef int CURLcode;

enum {
    DR_CURLOPT_WRITEDATA = 10001,
    DR_CURLOPT_URL = 10002,
    DR_CURLOPT_ERRORBUFFER = 10010,
    DR_CURLOPT_POSTFIELDS = 10015,
    DR_CURLOPT_USERAGENT = 10018,
    DR_CURLOPT_HTTPHEADER = 10023,
    DR_CURLOPT_HEADERDATA = 10029,
    DR_CURLOPT_CUSTOMREQUEST = 10036,
    DR_CURLOPT_CAINFO = 10065,
    DR_CURLOPT_WRITEFUNCTION = 20011,
    DR_CURLOPT_HEADERFUNCTION = 20079,
    DR_CURLOPT_POSTFIELDSIZE_LARGE = 30120,
    DR_CURLOPT_NOSIGNAL = 99,
    DR_CURLOPT_TIMEOUT_MS = 155,
    DR_CURLOPT_CONNECTTIMEOUT_MS = 156,
    DR_CURLOPT_HTTPGET = 80,
    DR_CURLINFO_RESPONSE_CODE = 0x200002,
    DR_CURL_GLOBAL_DEFAULT = 3,
    DR_CURL_ERROR_SIZE = 256,
};

static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, int, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, int, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} api;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[256];
static int loaded;

static void load(void) {
    const char *names[] = {"libcurl.so.4", "libcurl.so", "libcurl-gnutls.so.4", NULL};
    void *handle = NULL;
    for (int i = 0; names[i] && !handle; i++) handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        snprintf(load_error, sizeof load_error,
                 "libcurl's runtime (libcurl.so.4) is not installed; install the libcurl4 package "
                 "(apt-get install libcurl4) so the agent can upload. Events stay in the spool until then.");
        return;
    }
#define SYM(field, name) *(void **)(&api.field) = dlsym(handle, name); if (!api.field) { \
        snprintf(load_error, sizeof load_error, "libcurl is missing the symbol %s; install a current libcurl4", name); return; }
    SYM(global_init, "curl_global_init")
    SYM(easy_init, "curl_easy_init")
    SYM(easy_setopt, "curl_easy_setopt")
    SYM(easy_perform, "curl_easy_perform")
    SYM(easy_getinfo, "curl_easy_getinfo")
    SYM(easy_cleanup, "curl_easy_cleanup")
    SYM(easy_strerror, "curl_easy_strerror")
    SYM(slist_append, "curl_slist_append")
    SYM(slist_free_all, "curl_slist_free_all")
#undef SYM
    if (api.global_init(DR_CURL_GLOBAL_DEFAULT) != 0) {
        snprintf(load_error, sizeof load_error, "libcurl failed to initialise");
        return;
    }
    loaded = 1;
}

int dr_curl_load(char *err, size_t err_len) {
    pthread_once(&load_once, load);
    if (loaded) return 0;
    if (err && err_len) snprintf(err, err_len, "%s", load_error);
    return -1;
}

typedef struct { unsigned char *data; size_t len, cap; } growbuf;

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata) {
    growbuf *b = userdata;
    size_t n = size * nmemb;
    if (b->len + n > 4 * 1024 * 1024) return 0; /* a response over 4 MiB is not ours */
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1) cap *= 2;
        unsigned char *grown = realloc(b->data, cap);
        if (!grown) return 0;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = 0;
    return n;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *userdata) {
    long *retry_after = userdata;
    size_t n = size * nmemb;
    const char *name = "retry-after:";
    size_t name_len = strlen(name);
    if (n > name_len && strncasecmp(ptr, name, name_len) == 0) {
        char value[32] = {0};
        size_t vlen = n - name_len;
        if (vlen >= sizeof value) vlen = sizeof value - 1;
        memcpy(value, ptr + name_len, vlen);
        char *end = NULL;
        long seconds = strtol(value, &end, 10);
        if (end != value && seconds >= 0) *retry_after = seconds;
    }
    return n;
}

int dr_http_request(const char *method, const char *url, const char *const *headers, size_t header_count,
                    const void *body, size_t body_len, long timeout_ms, long connect_timeout_ms,
                    const char *ca_file, dr_http_response *out) {
    memset(out, 0, sizeof *out);
    out->retry_after_seconds = -1;
    if (dr_curl_load(out->error, sizeof out->error) != 0) return -1;
    CURL *curl = api.easy_init();
    if (!curl) { snprintf(out->error, sizeof out->error, "libcurl could not create a handle"); return -1; }
    struct curl_slist *list = NULL;
    for (size_t i = 0; i < header_count; i++) list = api.slist_append(list, headers[i]);
    list = api.slist_append(list, "Expect:");
    growbuf response = {0};
    char errbuf[DR_CURL_ERROR_SIZE] = {0};
    api.easy_setopt(curl, DR_CURLOPT_URL, url);
    api.easy_setopt(curl, DR_CURLOPT_NOSIGNAL, 1L);
    api.easy_setopt(curl, DR_CURLOPT_ERRORBUFFER, errbuf);
    api.easy_setopt(curl, DR_CURLOPT_HTTPHEADER, list);
    api.easy_setopt(curl, DR_CURLOPT_USERAGENT, "deskready-agent/1");
    api.easy_setopt(curl, DR_CURLOPT_TIMEOUT_MS, timeout_ms);
    api.easy_setopt(curl, DR_CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
    api.easy_setopt(curl, DR_CURLOPT_WRITEFUNCTION, on_body);
    api.easy_setopt(curl, DR_CURLOPT_WRITEDATA, &response);
    api.easy_setopt(curl, DR_CURLOPT_HEADERFUNCTION, on_header);
    api.easy_setopt(curl, DR_CURLOPT_HEADERDATA, &out->retry_after_seconds);
    if (ca_file && *ca_file) api.easy_setopt(curl, DR_CURLOPT_CAINFO, ca_file);
    if (method && strcmp(method, "GET") == 0) {
        api.easy_setopt(curl, DR_CURLOPT_HTTPGET, 1L);
    } else {
        api.easy_setopt(curl, DR_CURLOPT_POSTFIELDS, body ? body : "");
        api.easy_setopt(curl, DR_CURLOPT_POSTFIELDSIZE_LARGE, (long long)body_len);
        if (method && strcmp(method, "POST") != 0) api.easy_setopt(curl, DR_CURLOPT_CUSTOMREQUEST, method);
    }
    CURLcode rc = api.easy_perform(curl);
    int result = 0;
    if (rc != 0) {
        snprintf(out->error, sizeof out->error, "%s", errbuf[0] ? errbuf : api.easy_strerror(rc));
        free(response.data);
        result = -1;
    } else {
        api.easy_getinfo(curl, DR_CURLINFO_RESPONSE_CODE, &out->status);
        out->body = response.data;
        out->body_len = response.len;
    }
    api.slist_free_all(list);
    api.easy_cleanup(curl);
    return result;
}

void dr_http_response_free(dr_http_response *response) {
    free(response->body);
    response->body = NULL;
    response->body_len = 0;
}
