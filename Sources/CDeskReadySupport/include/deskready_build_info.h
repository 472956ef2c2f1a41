#ifndef DESKREADY_BUILD_INFO_H
#define DESKREADY_BUILD_INFO_H

/* The version and commit this binary was built from. Both have defaults, so a plain `swift build` needs no step
   first; scripts/package-deb.sh passes the real ones with
   -Xcc -DDESKREADY_BUILD_VERSION='"1.2.3"' -Xcc -DDESKREADY_BUILD_COMMIT='"0123abc"'. */
const char *dr_build_version(void);
const char *dr_build_commit(void);

#endif
