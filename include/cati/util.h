#ifndef CATI_UTIL_H
#define CATI_UTIL_H
/* Small helpers every module uses: the injectable clock, UUIDs, strings. */

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Current time in Unix seconds. Tests and demos may pin it (cati_clock_set). */
time_t cati_now(void);
/* Pin the clock to t (t == 0 restores the real clock). */
void cati_clock_set(time_t t);

/* Fill out (37 bytes) with a random version-4 UUID. Returns 0 or -1. */
int cati_uuid(char out[37]);

/* Copy at most size-1 bytes and terminate; returns strlen(src). */
size_t cati_strlcpy(char *dst, const char *src, size_t size);

/* malloc'd copy of s (NULL stays NULL); caller frees. */
char *cati_strdup(const char *s);

/* A growing string. After an allocation failure it stays failed (oom) and
 * cati_buf_take returns NULL, so callers check once at the end. */
struct cati_buf {
    char *s;
    size_t len, cap;
    int oom;
};
void cati_buf_add(struct cati_buf *b, const char *s, size_t n);
void cati_buf_addf(struct cati_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text (malloc'd, caller frees; "" when nothing was added), or NULL
 * after an allocation failure. The buffer is empty again afterwards. */
char *cati_buf_take(struct cati_buf *b);

/* 1 if the n bytes at s are valid UTF-8 (no overlongs, no surrogates). */
int cati_utf8_valid(const char *s, size_t n);

/* Parse a whole decimal integer; 0 on success, -1 if s is not one. */
int cati_parse_long(const char *s, long *out);

/* Dates, times and time zones: cati/calendar.h (included here). */
#include "cati/calendar.h"

#endif
