#include "deskready_build_info.h"

/* Written by scripts/package-deb.sh for its build only (never committed). */
#if __has_include("build_stamp.h")
#include "build_stamp.h"
#endif

/* The release this source tree is; scripts/package-deb.sh replaces it with the version of the tag or commit. */
#ifndef DESKREADY_BUILD_VERSION
#define DESKREADY_BUILD_VERSION "0.9.0-dev"
#endif

#ifndef DESKREADY_BUILD_COMMIT
#define DESKREADY_BUILD_COMMIT "unknown"
#endif

const char *dr_build_version(void) { return DESKREADY_BUILD_VERSION; }
const char *dr_build_commit(void) { return DESKREADY_BUILD_COMMIT; }
