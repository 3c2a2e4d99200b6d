#include "cati/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A message with no position, of kind kind. */
static int vset(struct cati_error *err, enum cati_error_kind kind, const char *fmt, va_list ap)
{
    if (!err)
        return -1;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    err->file[0] = '\0';
    err->line = err->col = 0;
    err->kind = kind;
    return -1;
}

int cati_error_set(struct cati_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(err, CATI_ERR_OTHER, fmt, ap);
    va_end(ap);
    return -1;
}

int cati_error_at(struct cati_error *err, const char *file, int line, int col,
                  const char *fmt, ...)
{
    if (!err)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->col = col;
    err->kind = CATI_ERR_INPUT;
    return -1;
}

int cati_error_kind(struct cati_error *err, enum cati_error_kind kind)
{
    if (err)
        err->kind = kind;
    return -1;
}

int cati_error_setk(struct cati_error *err, enum cati_error_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(err, kind, fmt, ap);
    va_end(ap);
    return -1;
}

int cati_error_exit(const struct cati_error *err)
{
    switch (err ? err->kind : CATI_ERR_OTHER) {
    case CATI_ERR_INPUT:
    case CATI_ERR_NOT_FOUND:
        return 2;
    case CATI_ERR_OTHER:
    case CATI_ERR_ROLE:
    case CATI_ERR_BUSY:
    case CATI_ERR_DATABASE:
    case CATI_ERR_IO:
    case CATI_ERR_NOMEM:
    case CATI_ERR_LOST:
        break;
    }
    return 1;
}

const char *cati_error_kind_name(enum cati_error_kind kind)
{
    switch (kind) {
    case CATI_ERR_OTHER: return "failure";
    case CATI_ERR_INPUT: return "input";
    case CATI_ERR_NOT_FOUND: return "not found";
    case CATI_ERR_ROLE: return "permission";
    case CATI_ERR_BUSY: return "busy";
    case CATI_ERR_DATABASE: return "database";
    case CATI_ERR_IO: return "I/O";
    case CATI_ERR_NOMEM: return "out of memory";
    case CATI_ERR_LOST: return "lost";
    }
    return "failure";
}

void cati_error_clear(struct cati_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

const char *cati_error_format(const struct cati_error *err, char *buf, unsigned size)
{
    if (err->file[0] && err->line && err->col)
        snprintf(buf, size, "%s:%d:%d: %s", err->file, err->line, err->col, err->msg);
    else if (err->file[0] && err->line)
        snprintf(buf, size, "%s:%d: %s", err->file, err->line, err->msg);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, err->msg);
    else
        snprintf(buf, size, "%s", err->msg);
    return buf;
}
