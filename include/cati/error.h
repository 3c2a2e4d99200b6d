#ifndef CATI_ERROR_H
#define CATI_ERROR_H
/* Errors as values: core functions return 0 on success, -1 on failure and
 * fill a struct cati_error; the front end decides how to show it. */

/* What kind of failure: callers act on the kind (never search msg), and
 * the command line's exit status is derived from it by cati_error_exit. */
enum cati_error_kind {
    CATI_ERR_OTHER = 0,  /* a runtime failure not classified below */
    CATI_ERR_INPUT,      /* the input is wrong: an argument, an option, a file's content */
    CATI_ERR_NOT_FOUND,  /* the input names something that does not exist */
    CATI_ERR_ROLE,       /* permission: the caller's role does not allow this */
    CATI_ERR_BUSY,       /* the database stayed locked by another writer */
    CATI_ERR_DATABASE,   /* the database failed (SQLite error, corrupt, full) */
    CATI_ERR_IO,         /* reading or writing a file failed */
    CATI_ERR_NOMEM,      /* out of memory */
    CATI_ERR_LOST        /* the case is no longer held by the caller: released, its lease ran
                          * out, taken by another interviewer or closed (see case.h) */
};

struct cati_error {
    char msg[1024];   /* one line, lower case, no full stop */
    char file[256];   /* input file the error is in, or "" */
    int line, col;    /* 1-based place in file, 0 when unknown */
    enum cati_error_kind kind; /* CATI_ERR_OTHER from cati_error_set, CATI_ERR_INPUT from
                                * cati_error_at, else as set (cati_error_setk, _kind) */
};

/* Set err (if not NULL) to a printf-style message; always returns -1. */
int cati_error_set(struct cati_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Same, with the place in an input file: kind CATI_ERR_INPUT (set another
 * kind after it for a failure that is not the file's fault). Returns -1. */
int cati_error_at(struct cati_error *err, const char *file, int line, int col,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Set err's kind (after cati_error_set). Returns -1. */
int cati_error_kind(struct cati_error *err, enum cati_error_kind kind);

/* cati_error_set, then the kind. Returns -1. */
int cati_error_setk(struct cati_error *err, enum cati_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The exit status of a command that failed with err (cati(1) EXIT STATUS):
 * 2 (usage or input error) for CATI_ERR_INPUT and CATI_ERR_NOT_FOUND, 1
 * (runtime failure) for every other kind. The one place that maps kinds
 * to exit codes. */
int cati_error_exit(const struct cati_error *err);

/* The kind's name in plain words ("input", "not found", …). */
const char *cati_error_kind_name(enum cati_error_kind kind);

void cati_error_clear(struct cati_error *err);

/* Format as "FILE:LINE:COL: msg" / "FILE:LINE: msg" / "msg" into buf. */
const char *cati_error_format(const struct cati_error *err, char *buf, unsigned size);

#endif
