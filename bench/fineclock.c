/*
 * bench/run preloads this into the sipp caller (LD_PRELOAD) so that the response times it records are
 * measured to the microsecond. sipp reads CLOCK_MONOTONIC_COARSE, which advances once per kernel tick (4 ms at
 * HZ=250): every INVITE->200 time it records is then 0, 4, 8 ... ms, and a p99 "8 against 4 ms"
 * may be a difference of a fraction of a millisecond. Asked for a coarse clock, sipp gets the
 * fine one of the same kind (a vDSO call as well: tens of nanoseconds, not a system call).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <time.h>

typedef int (*clock_gettime_fn)(clockid_t, struct timespec *);

int clock_gettime(clockid_t id, struct timespec *ts)
{
    static clock_gettime_fn next;
    if (!next)
        next = (clock_gettime_fn) dlsym(RTLD_NEXT, "clock_gettime");
    if (id == CLOCK_MONOTONIC_COARSE)
        id = CLOCK_MONOTONIC;
    else if (id == CLOCK_REALTIME_COARSE)
        id = CLOCK_REALTIME;
    return next(id, ts);
}
