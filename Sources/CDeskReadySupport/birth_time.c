#define _GNU_SOURCE
#include "deskready_support.h"
#include <fcntl.h>
#include <sys/stat.h>

long long dr_birth_time_ms(const char *path) {
#if defined(STATX_BTIME)
    struct statx st;
    if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BTIME, &st) != 0) return -1;
    if (!(st.stx_mask & STATX_BTIME)) return -1;
    return (long long)st.stx_btime.tv_sec * 1000 + st.stx_btime.tv_nsec / 1000000;
#else
    (void)path;
    return -1;
#endif
}
