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

/* Parse "HH:MM" (00:00..24:00) into minutes since midnight; 0 or -1. */
int cati_parse_hhmm(const char *s, int *minutes);

/* Parse "YYYY-MM-DD"; 0 or -1 (checks the day exists). */
int cati_parse_date(const char *s, int *y, int *m, int *d);

/* Seconds for a wall-clock time in time zone tz ("" or NULL = local). */
time_t cati_mktime_tz(const char *tz, int y, int mon, int d, int h, int min);

/* Broken-down wall-clock time of t in time zone tz. */
void cati_localtime_tz(const char *tz, time_t t, struct tm *out);

/* Parse WHEN: "YYYY-MM-DD HH:MM" in tz, or "+N" minutes from now. 0 or -1. */
int cati_parse_when(const char *s, const char *tz, time_t *out);

/* Format t as "YYYY-MM-DD HH:MM" in tz into buf (>= 17 bytes). */
const char *cati_format_time(time_t t, const char *tz, char *buf, size_t size);

/* 1 if tz names a time zone of the system's tz database (e.g. Asia/Thimphu,
 * UTC; TZDIR is honoured), 0 otherwise (a directory such as Asia included). */
int cati_timezone_valid(const char *tz);

#endif
