#ifndef CATI_BENCH_UTIL_H
#define CATI_BENCH_UTIL_H
/* Timing helpers shared by the benchmark drivers (header-only: each driver
 * is one translation unit built by its scripts/bench-* script). */
#include <stdlib.h>
#include <time.h>

/* Monotonic milliseconds. */
static inline double bench_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static inline void bench_sleep_ms(double ms)
{
    if (ms <= 0)
        return;
    struct timespec d = {(time_t)(ms / 1e3), (long)((ms - (long)(ms / 1e3) * 1e3) * 1e6)};
    nanosleep(&d, NULL);
}

/* qsort comparator for doubles (latencies). */
static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#endif
