#define _GNU_SOURCE
#include "deskready_support.h"
#include <pthread.h>

void dr_set_thread_name(const char *name) {
    (void)pthread_setname_np(pthread_self(), name);
}
