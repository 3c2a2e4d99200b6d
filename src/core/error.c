#include "cati/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cati_error_set(struct cati_error *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->file[0] = '\0';
    err->line = err->col = 0;
    err->kind = CATI_ERR_OTHER;
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
    err->kind = CATI_ERR_OTHER;
    return -1;
}

int cati_error_kind(struct cati_error *err, enum cati_error_kind kind)
{
    if (err)
        err->kind = kind;
    return -1;
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
