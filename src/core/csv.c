/* RFC 4180 CSV reader and writer. The reader is a byte state machine over
 * a fixed chunk buffer; a record's fields live NUL-separated in one growing
 * buffer that is reused, so memory stays bounded by the longest record. */
#include "cati/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 65536

enum state { S_FIELD, S_UNQUOTED, S_QUOTED, S_QUOTE, S_AFTER };

struct field_pos {
    size_t off, len;
    long line; /* physical line where the field's data starts */
};

struct csv_reader {
    FILE *in;                   /* or NULL when reading memory */
    const unsigned char *mem;
    size_t memlen;
    char name[256];
    unsigned flags;
    size_t max_record;

    unsigned char *buf;         /* chunk (FILE) or the caller's bytes (memory) */
    size_t bpos, blen;
    int eof, started, skip_lf;
    long line;                  /* line of the next byte */

    char *data;                 /* this record's fields, each NUL-terminated */
    size_t dlen, dcap;
    struct field_pos *pos;
    size_t npos, poscap;
    struct csv_field *fields;
    size_t fcap;
    size_t width;               /* fields in the first record; 0 = none yet */

    int done;                   /* CSV_EOF or CSV_FATAL returned: sticky */
    enum csv_result done_rc;
    struct cati_error done_err;
};

/* 1 for bytes that end a run of plain data in an unquoted / quoted field. */
static unsigned char special_unquoted[256], special_quoted[256];

static void tables_init(void)
{
    if (special_unquoted[','])
        return;
    special_unquoted[','] = special_unquoted['"'] = special_unquoted['\r'] = special_unquoted['\n'] = 1;
    special_quoted['"'] = special_quoted['\r'] = special_quoted['\n'] = 1;
}

static struct csv_reader *reader_alloc(const char *name, unsigned flags)
{
    struct csv_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    tables_init();
    snprintf(r->name, sizeof r->name, "%s", name ? name : "");
    r->flags = flags;
    r->max_record = CSV_MAX_RECORD;
    r->line = 1;
    r->dcap = 256;
    r->poscap = 16;
    r->data = malloc(r->dcap);
    r->pos = malloc(r->poscap * sizeof *r->pos);
    if (!r->data || !r->pos) {
        csv_reader_free(r);
        return NULL;
    }
    return r;
}

struct csv_reader *csv_reader_new(FILE *in, const char *name, unsigned flags)
{
    struct csv_reader *r = reader_alloc(name, flags);
    if (!r)
        return NULL;
    r->in = in;
    r->buf = malloc(CHUNK);
    if (!r->buf) {
        csv_reader_free(r);
        return NULL;
    }
    return r;
}

struct csv_reader *csv_reader_new_mem(const void *data, size_t len, const char *name,
                                      unsigned flags)
{
    struct csv_reader *r = reader_alloc(name, flags);
    if (!r)
        return NULL;
    r->mem = data;
    r->memlen = len;
    r->buf = (unsigned char *)data; /* never written through */
    r->blen = len;
    r->eof = 1;
    return r;
}

void csv_reader_set_max_record(struct csv_reader *r, size_t max)
{
    if (max)
        r->max_record = max;
}

void csv_reader_free(struct csv_reader *r)
{
    if (!r)
        return;
    if (r->in)
        free(r->buf);
    free(r->data);
    free(r->pos);
    free(r->fields);
    free(r);
}

/* Make bytes available at r->buf[r->bpos]. 1 = some, 0 = end, -1 = read error. */
static int refill(struct csv_reader *r)
{
    if (r->bpos < r->blen)
        return 1;
    if (r->eof)
        return 0;
    r->bpos = 0;
    r->blen = fread(r->buf, 1, CHUNK, r->in);
    if (r->blen < CHUNK) {
        if (ferror(r->in))
            return -1;
        r->eof = 1;
    }
    return r->blen > 0;
}

static int grow(struct csv_reader *r, size_t need)
{
    if (need <= r->dcap)
        return 0;
    size_t cap = r->dcap;
    while (cap < need)
        cap *= 2;
    char *d = realloc(r->data, cap);
    if (!d)
        return -1;
    r->data = d;
    r->dcap = cap;
    return 0;
}

static int append(struct csv_reader *r, const unsigned char *s, size_t n)
{
    if (r->dlen + n + 1 > r->dcap && grow(r, r->dlen + n + 1) < 0)
        return -1;
    memcpy(r->data + r->dlen, s, n);
    r->dlen += n;
    return 0;
}

static int field_begin(struct csv_reader *r)
{
    if (r->npos == r->poscap) {
        struct field_pos *p = realloc(r->pos, 2 * r->poscap * sizeof *p);
        if (!p)
            return -1;
        r->pos = p;
        r->poscap *= 2;
    }
    r->pos[r->npos].off = r->dlen;
    r->pos[r->npos].line = r->line;
    r->npos++;
    return 0;
}

static int field_end(struct csv_reader *r)
{
    struct field_pos *p = &r->pos[r->npos - 1];
    p->len = r->dlen - p->off;
    if (r->dlen + 1 > r->dcap && grow(r, r->dlen + 1) < 0)
        return -1;
    r->data[r->dlen++] = '\0';
    return 0;
}

/* Offset of the first byte that is not valid UTF-8 (or is NUL; *nul set),
 * or len if all are valid. */
static size_t utf8_check(const unsigned char *s, size_t len, int check_utf8, int *nul)
{
    size_t i = 0;
    *nul = 0;
    while (i < len) {
        if (i + 8 <= len) { /* eight ASCII bytes, none NUL, at a time */
            uint64_t v;
            memcpy(&v, s + i, 8);
            const uint64_t hi = 0x8080808080808080ULL, lo = 0x0101010101010101ULL;
            if (!(v & hi) && !((v - lo) & ~v & hi)) {
                i += 8;
                continue;
            }
        }
        unsigned c = s[i];
        if (c == 0) {
            *nul = 1;
            return i;
        }
        if (c < 0x80 || !check_utf8) {
            i++;
            continue;
        }
        size_t n;
        unsigned cp;
        if (c >= 0xc2 && c <= 0xdf) { n = 2; cp = c & 0x1f; }
        else if (c >= 0xe0 && c <= 0xef) { n = 3; cp = c & 0x0f; }
        else if (c >= 0xf0 && c <= 0xf4) { n = 4; cp = c & 0x07; }
        else return i;
        if (i + n > len)
            return i;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += n;
    }
    return len;
}

/* Physical line of byte off of field p: its start line plus the line ends before. */
static long line_in_field(const struct csv_reader *r, const struct field_pos *p, size_t off)
{
    long line = p->line;
    const char *s = r->data + p->off;
    for (size_t i = 0; i < off; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= p->len || s[i + 1] != '\n')))
            line++;
    return line;
}

/* The reader cannot go on: a fault of the input (kind CATI_ERR_INPUT), or
 * of reading it (CATI_ERR_IO, CATI_ERR_NOMEM). */
static enum csv_result fatal(struct csv_reader *r, struct cati_error *err, long line,
                             enum cati_error_kind kind, const char *msg)
{
    cati_error_at(&r->done_err, r->name, (int)line, 0, "%s", msg);
    r->done_err.kind = kind;
    r->done = 1;
    r->done_rc = CSV_FATAL;
    if (err)
        *err = r->done_err;
    return CSV_FATAL;
}

static enum csv_result too_long(struct csv_reader *r, struct cati_error *err, int quoted,
                                long start, long quote_line)
{
    char msg[128];
    if (quoted) {
        snprintf(msg, sizeof msg, "quoted field longer than %zu bytes: unterminated quote?",
                 r->max_record);
        return fatal(r, err, quote_line, CATI_ERR_INPUT, msg);
    }
    snprintf(msg, sizeof msg, "record longer than %zu bytes", r->max_record);
    return fatal(r, err, start, CATI_ERR_INPUT, msg);
}

/* The record is complete: build r->fields and check it. */
static enum csv_result finish(struct csv_reader *r, struct csv_record *rec, long start,
                              long bad_line, size_t bad_field, const char *bad_msg,
                              struct cati_error *err)
{
    if (r->fcap < r->npos) {
        size_t cap = r->fcap ? r->fcap : 16;
        while (cap < r->npos)
            cap *= 2;
        struct csv_field *f = realloc(r->fields, cap * sizeof *f);
        if (!f)
            return fatal(r, err, start, CATI_ERR_NOMEM, "out of memory");
        r->fields = f;
        r->fcap = cap;
    }
    for (size_t i = 0; i < r->npos; i++) {
        r->fields[i].s = r->data + r->pos[i].off;
        r->fields[i].len = r->pos[i].len;
    }
    rec->line = start;
    rec->end_line = r->line - 1 < start ? start : r->line - 1;
    rec->n = r->npos;
    rec->f = r->fields;
    rec->bad_field = 0;
    rec->bad_content = NULL;
    int first = r->width == 0;
    if (first)
        r->width = r->npos;
    if (bad_msg) {
        rec->bad_field = bad_field;
        cati_error_at(err, r->name, (int)bad_line, 0, "%s", bad_msg);
        return CSV_BAD;
    }
    for (size_t i = 0; i < r->npos; i++) {
        int nul;
        size_t at = utf8_check((const unsigned char *)rec->f[i].s, rec->f[i].len,
                               !(r->flags & CSV_ALLOW_BAD_UTF8), &nul);
        if (at < rec->f[i].len) {
            rec->bad_field = i + 1;
            rec->bad_content = nul ? "NUL byte" : "invalid UTF-8";
            cati_error_at(err, r->name, (int)line_in_field(r, &r->pos[i], at), 0,
                          "%s in field %zu", rec->bad_content, i + 1);
            return CSV_BAD;
        }
    }
    if (!first && r->npos != r->width && !(r->flags & CSV_ALLOW_RAGGED)) {
        cati_error_at(err, r->name, (int)start, 0, "expected %zu fields, got %zu", r->width,
                      r->npos);
        return CSV_BAD;
    }
    return CSV_OK;
}

/* Mark the record bad (first problem wins). */
#define BAD(msg)                                                                                   \
    do {                                                                                           \
        if (!bad_msg) {                                                                            \
            bad_msg = (msg);                                                                       \
            bad_line = r->line;                                                                    \
            bad_field = r->npos;                                                                   \
        }                                                                                          \
    } while (0)
#define APPEND(ptr, n)                                                                             \
    do {                                                                                           \
        if (append(r, (ptr), (n)) < 0)                                                             \
            return fatal(r, err, start, CATI_ERR_NOMEM, "out of memory");                          \
    } while (0)

enum csv_result csv_read(struct csv_reader *r, struct csv_record *rec, struct cati_error *err)
{
    if (r->done) {
        if (err)
            *err = r->done_err;
        return r->done_rc;
    }
    if (!r->started) {
        r->started = 1;
        if (refill(r) < 0)
            return fatal(r, err, r->line, CATI_ERR_IO, "read error");
        if (r->blen - r->bpos >= 3 && !memcmp(r->buf + r->bpos, "\xef\xbb\xbf", 3))
            r->bpos += 3;
    }
    r->dlen = 0;
    r->npos = 0;
    enum state st = S_FIELD;
    int in_record = 0;
    long start = r->line, quote_line = 0, bad_line = 0;
    size_t bad_field = 0;
    const char *bad_msg = NULL;

    for (;;) {
        int rc = refill(r);
        if (rc < 0)
            return fatal(r, err, r->line, CATI_ERR_IO, "read error");
        if (rc == 0) { /* end of input */
            if (st == S_QUOTED)
                return fatal(r, err, quote_line, CATI_ERR_INPUT,
                             "unterminated quote: this quoted field never ends");
            if (!in_record) {
                r->done = 1;
                r->done_rc = CSV_EOF;
                cati_error_clear(&r->done_err);
                return CSV_EOF;
            }
            r->line++; /* as if the last line had its line end */
            break;
        }
        const unsigned char *p = r->buf + r->bpos, *end = r->buf + r->blen;
        if (r->skip_lf) { /* the LF of a CRLF that ended the last chunk's record */
            r->skip_lf = 0;
            if (*p == '\n' && ++p == end) {
                r->bpos = r->blen;
                continue;
            }
        }
        if (r->dlen > r->max_record)
            return too_long(r, err, st == S_QUOTED, start, quote_line);
        int ended = 0;
        while (p < end) {
            if (st == S_UNQUOTED || st == S_QUOTED || st == S_AFTER) {
                /* fast path: a run of plain data bytes */
                const unsigned char *table = st == S_QUOTED ? special_quoted : special_unquoted;
                const unsigned char *s = p;
                while (s < end && !table[*s])
                    s++;
                if (s > p) {
                    APPEND(p, (size_t)(s - p));
                    p = s;
                    if (r->dlen > r->max_record)
                        return too_long(r, err, st == S_QUOTED, start, quote_line);
                    if (p == end)
                        break;
                }
            }
            unsigned char c = *p++;
            if (!in_record) {
                if (c == '\n' || c == '\r') { /* an empty line: skip it */
                    r->line++;
                    if (c == '\r' && p < end && *p == '\n')
                        p++;
                    else
                        r->skip_lf = c == '\r' && p == end;
                    continue;
                }
                in_record = 1;
                start = r->line;
                if (field_begin(r) < 0)
                    return fatal(r, err, start, CATI_ERR_NOMEM, "out of memory");
            }
            int eol = c == '\n' || c == '\r';
            switch (st) {
            case S_FIELD:
                if (c == '"') {
                    st = S_QUOTED;
                    quote_line = r->line;
                    r->pos[r->npos - 1].line = r->line;
                    continue;
                }
                st = S_UNQUOTED;
                /* fall through */
            case S_UNQUOTED:
            case S_AFTER:
                if (c == ',' || eol)
                    break;
                if (c == '"')
                    BAD(st == S_AFTER ? "text after the closing quote of a field"
                                      : "quote inside an unquoted field");
                APPEND(&c, 1);
                continue;
            case S_QUOTED:
                if (c == '"') {
                    st = S_QUOTE;
                    continue;
                }
                APPEND(&c, 1);
                /* CRLF inside quotes is one line end; so is a lone CR or LF */
                if (c == '\r' || (c == '\n' && (r->dlen < 2 || r->data[r->dlen - 2] != '\r')))
                    r->line++;
                continue;
            case S_QUOTE:
                if (c == ',' || eol)
                    break;
                if (c == '"') { /* a doubled quote is one quote of data */
                    st = S_QUOTED;
                } else {
                    BAD("text after the closing quote of a field");
                    st = S_AFTER;
                }
                APPEND(&c, 1);
                continue;
            }
            if (eol) {
                r->line++; /* the record's line end */
                if (c == '\r' && p < end && *p == '\n')
                    p++;
                else
                    r->skip_lf = c == '\r' && p == end;
                ended = 1;
                break;
            }
            if (field_end(r) < 0 || field_begin(r) < 0) /* a comma */
                return fatal(r, err, start, CATI_ERR_NOMEM, "out of memory");
            st = S_FIELD;
        }
        r->bpos = (size_t)(p - r->buf);
        if (ended)
            break;
    }
    if (field_end(r) < 0)
        return fatal(r, err, start, CATI_ERR_NOMEM, "out of memory");
    return finish(r, rec, start, bad_line, bad_field, bad_msg, err);
}

#undef BAD
#undef APPEND

/* ---- writer ---------------------------------------------------------- */

void csv_writer_init(struct csv_writer *w, FILE *out)
{
    w->out = out;
    w->nfield = 0;
    w->empty_only = 0;
    w->failed = 0;
}

int csv_write_field(struct csv_writer *w, const char *s, size_t len)
{
    if (!s)
        s = "", len = 0;
    if (len == (size_t)-1)
        len = strlen(s);
    FILE *o = w->out;
    if (w->nfield > 0 && putc(',', o) == EOF)
        w->failed = 1;
    w->empty_only = w->nfield == 0 && len == 0;
    w->nfield++;
    /* a leading byte order mark would be taken for the file's BOM: quote it */
    int quote = len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3);
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote) {
        if (len && fwrite(s, 1, len, o) != len)
            w->failed = 1;
        return w->failed ? -1 : 0;
    }
    if (putc('"', o) == EOF)
        w->failed = 1;
    const char *p = s, *e = s + len;
    while (p < e) {
        const char *q = memchr(p, '"', (size_t)(e - p));
        size_t n = q ? (size_t)(q - p) + 1 : (size_t)(e - p);
        if (fwrite(p, 1, n, o) != n)
            w->failed = 1;
        if (q && putc('"', o) == EOF)
            w->failed = 1;
        p += n;
    }
    if (putc('"', o) == EOF)
        w->failed = 1;
    return w->failed ? -1 : 0;
}

int csv_write_long(struct csv_writer *w, long long v)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%lld", v);
    return csv_write_field(w, buf, (size_t)n);
}

int csv_write_end(struct csv_writer *w)
{
    /* A record of one empty field would read back as a skipped empty line. */
    if (w->nfield == 1 && w->empty_only && fputs("\"\"", w->out) == EOF)
        w->failed = 1;
    if (fputs("\r\n", w->out) == EOF)
        w->failed = 1;
    w->nfield = 0;
    w->empty_only = 0;
    return w->failed ? -1 : 0;
}

int csv_write_row(struct csv_writer *w, const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++)
        csv_write_field(w, fields[i], (size_t)-1);
    return csv_write_end(w);
}

int csv_writer_error(const struct csv_writer *w)
{
    return w->failed || ferror(w->out) ? -1 : 0;
}
