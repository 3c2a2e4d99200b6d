#ifndef CATI_ERROR_H
#define CATI_ERROR_H
/* Errors as values: core functions return 0 on success, -1 on failure and
 * fill a struct cati_error; the front end decides how to show it. */

/* What kind of failure, for callers that act on it (never search msg). */
enum cati_error_kind {
    CATI_ERR_OTHER = 0, /* anything else */
    CATI_ERR_LOST,      /* the case is no longer held by the caller: released, its lease ran
                         * out, taken by another interviewer or closed (see case.h) */
    CATI_ERR_ROLE       /* the caller's role does not allow this */
};

struct cati_error {
    char msg[1024];   /* one line, lower case, no full stop */
    char file[256];   /* input file the error is in, or "" */
    int line, col;    /* 1-based place in file, 0 when unknown */
    enum cati_error_kind kind; /* CATI_ERR_OTHER unless set with cati_error_kind */
};

/* Set err (if not NULL) to a printf-style message; always returns -1. */
int cati_error_set(struct cati_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Same, with the place in an input file. Returns -1. */
int cati_error_at(struct cati_error *err, const char *file, int line, int col,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Set err's kind (after cati_error_set). Returns -1. */
int cati_error_kind(struct cati_error *err, enum cati_error_kind kind);

void cati_error_clear(struct cati_error *err);

/* Format as "FILE:LINE:COL: msg" / "FILE:LINE: msg" / "msg" into buf. */
const char *cati_error_format(const struct cati_error *err, char *buf, unsigned size);

#endif
