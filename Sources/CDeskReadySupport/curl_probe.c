/* Network probes through libcurl (loaded with dlopen, as in curl_dl.c): one GET on a fresh connection, timed phase by
   phase with curl_easy_getinfo's *_TIME_T values, stopped at the first byte of the body. */
#include "deskready_support.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

typedef void CURL;
typedef int CURLcode;
typedef long long curl_off_t_;

enum {
    P_CURLOPT_URL = 10002,
    P_CURLOPT_ERRORBUFFER = 10010,
    P_CURLOPT_USERAGENT = 10018,
    P_CURLOPT_CAINFO = 10065,
    P_CURLOPT_WRITEFUNCTION = 20011,
    P_CURLOPT_NOSIGNAL = 99,
    P_CURLOPT_TIMEOUT_MS = 155,
    P_CURLOPT_CONNECTTIMEOUT_MS = 156,
    P_CURLOPT_HTTPGET = 80,
    P_CURLOPT_FRESH_CONNECT = 74,
    P_CURLOPT_FORBID_REUSE = 75,
    P_CURLINFO_RESPONSE_CODE = 0x200002,
    P_CURLINFO_NAMELOOKUP_TIME_T = 0x600000 + 51,
    P_CURLINFO_CONNECT_TIME_T = 0x600000 + 52,
    P_CURLINFO_STARTTRANSFER_TIME_T = 0x600000 + 54,
    P_CURLINFO_APPCONNECT_TIME_T = 0x600000 + 56,
    P_CURLINFO_TOTAL_TIME_T = 0x600000 + 50,
    P_CURLE_WRITE_ERROR = 23,
    P_CURLE_OPERATION_TIMEDOUT = 28,
};

static struct {
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, int, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, int, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
} probe_api;

static pthread_once_t probe_once = PTHREAD_ONCE_INIT;
static int probe_loaded;

static void probe_load(void) {
    const char *names[] = {"libcurl.so.4", "libcurl.so", "libcurl-gnutls.so.4", NULL};
    void *handle = NULL;
    for (int i = 0; names[i] && !handle; i++) handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!handle) return;
#define SYM(field, name) *(void **)(&probe_api.field) = dlsym(handle, name); if (!probe_api.field) return;
    SYM(easy_init, "curl_easy_init")
    SYM(easy_setopt, "curl_easy_setopt")
    SYM(easy_perform, "curl_easy_perform")
    SYM(easy_getinfo, "curl_easy_getinfo")
    SYM(easy_cleanup, "curl_easy_cleanup")
    SYM(easy_strerror, "curl_easy_strerror")
#undef SYM
    probe_loaded = 1;
}

/* The first bytes of the body are all a probe needs: stop there. */
static size_t on_first_byte(char *ptr, size_t size, size_t nmemb, void *userdata) {
    (void)ptr; (void)size; (void)nmemb; (void)userdata;
    return 0;
}

int dr_http_probe(const char *url, long timeout_ms, long connect_timeout_ms, const char *ca_file, dr_probe_timing *out) {
    memset(out, 0, sizeof *out);
    /* dr_curl_load runs curl_global_init once; then the same library is looked up here. */
    if (dr_curl_load(out->error, sizeof out->error) != 0) { out->curl_code = -1; return -1; }
    pthread_once(&probe_once, probe_load);
    if (!probe_loaded) {
        out->curl_code = -1;
        snprintf(out->error, sizeof out->error, "libcurl lacks the functions a probe needs; install a current libcurl4");
        return -1;
    }
    CURL *curl = probe_api.easy_init();
    if (!curl) { out->curl_code = -1; snprintf(out->error, sizeof out->error, "libcurl could not create a handle"); return -1; }
    char errbuf[256] = {0};
    probe_api.easy_setopt(curl, P_CURLOPT_URL, url);
    probe_api.easy_setopt(curl, P_CURLOPT_NOSIGNAL, 1L);
    probe_api.easy_setopt(curl, P_CURLOPT_ERRORBUFFER, errbuf);
    probe_api.easy_setopt(curl, P_CURLOPT_USERAGENT, "deskready-agent/1 probe");
    probe_api.easy_setopt(curl, P_CURLOPT_TIMEOUT_MS, timeout_ms);
    probe_api.easy_setopt(curl, P_CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
    probe_api.easy_setopt(curl, P_CURLOPT_HTTPGET, 1L);
    probe_api.easy_setopt(curl, P_CURLOPT_FRESH_CONNECT, 1L);
    probe_api.easy_setopt(curl, P_CURLOPT_FORBID_REUSE, 1L);
    probe_api.easy_setopt(curl, P_CURLOPT_WRITEFUNCTION, on_first_byte);
    if (ca_file && *ca_file) probe_api.easy_setopt(curl, P_CURLOPT_CAINFO, ca_file);
    CURLcode rc = probe_api.easy_perform(curl);
    curl_off_t_ t = 0;
    if (probe_api.easy_getinfo(curl, P_CURLINFO_NAMELOOKUP_TIME_T, &t) == 0) out->namelookup_us = t;
    t = 0; if (probe_api.easy_getinfo(curl, P_CURLINFO_CONNECT_TIME_T, &t) == 0) out->connect_us = t;
    t = 0; if (probe_api.easy_getinfo(curl, P_CURLINFO_APPCONNECT_TIME_T, &t) == 0) out->appconnect_us = t;
    t = 0; if (probe_api.easy_getinfo(curl, P_CURLINFO_STARTTRANSFER_TIME_T, &t) == 0) out->starttransfer_us = t;
    t = 0; if (probe_api.easy_getinfo(curl, P_CURLINFO_TOTAL_TIME_T, &t) == 0) out->total_us = t;
    probe_api.easy_getinfo(curl, P_CURLINFO_RESPONSE_CODE, &out->status);
    int result = 0;
    if (rc != 0 && !(rc == P_CURLE_WRITE_ERROR && out->status > 0)) {
        out->curl_code = rc;
        out->timed_out = rc == P_CURLE_OPERATION_TIMEDOUT;
        snprintf(out->error, sizeof out->error, "%s", errbuf[0] ? errbuf : probe_api.easy_strerror(rc));
        result = -1;
    }
    probe_api.easy_cleanup(curl);
    return result;
}
