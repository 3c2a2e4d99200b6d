#ifndef CATI_CSV_H
#define CATI_CSV_H
/* RFC 4180 CSV: a streaming reader (constant memory: one chunk buffer and
 * one record buffer, both reused) and a writer. Every import and export
 * goes through here. See cati(1), "CSV files".
 *
 * Reader rules: fields separated by commas, records by CRLF, LF or a lone CR;
 * a field may be quoted ("…"), and inside quotes commas, CR, LF and doubled
 * quotes ("") are data. A UTF-8 byte order mark at the start is skipped.
 * Empty lines (no bytes at all, not even "") are skipped. Line numbers are
 * physical lines, 1-based. Strict by default: invalid UTF-8, NUL bytes, a
 * quote inside an unquoted field, text after a closing quote, and a record
 * whose field count differs from the first record's are errors. */

#include <stddef.h>
#include <stdio.h>

#include "cati/error.h"

struct csv_reader;

enum {
    CSV_ALLOW_RAGGED = 1 << 0,   /* records may differ in field count */
    CSV_ALLOW_BAD_UTF8 = 1 << 1, /* pass bytes through unchecked (NUL still refused) */
};

/* Default limit on one record's bytes; a longer record is CSV_FATAL (it is
 * almost always an unterminated quote). */
#define CSV_MAX_RECORD (1024 * 1024)

struct csv_field {
    const char *s; /* NUL-terminated (the data itself holds no NUL) */
    size_t len;
};

struct csv_record {
    long line;                    /* physical line where the record starts */
    long end_line;                /* physical line where it ends */
    size_t n;                     /* number of fields (>= 1) */
    const struct csv_field *f;    /* n fields, owned by the reader, valid until
                                     the next csv_read or csv_reader_free */
    size_t bad_field;             /* CSV_BAD: 1-based field at fault, 0 = the record */
    const char *bad_content;      /* CSV_BAD in bad_field's content (its bytes, not its
                                     quoting): the problem without its place
                                     ("invalid UTF-8", "NUL byte"), else NULL */
};

enum csv_result {
    CSV_FATAL = -1, /* cannot go on: read error, unterminated quote, record too long */
    CSV_EOF = 0,    /* no more records */
    CSV_OK = 1,     /* *rec holds a record */
    CSV_BAD = 2,    /* *rec holds a malformed record (err says why, at which
                       line); the reader is at the next record, go on if you like */
};

/* A reader of in (not closed by the reader). name is used in errors
 * ("FILE:LINE: …"); flags are CSV_ALLOW_*. Returns NULL when out of memory.
 * Free with csv_reader_free. */
struct csv_reader *csv_reader_new(FILE *in, const char *name, unsigned flags);

/* A reader of the len bytes at data (not copied: keep them alive). */
struct csv_reader *csv_reader_new_mem(const void *data, size_t len, const char *name,
                                      unsigned flags);

/* Change the record size limit (bytes, > 0). */
void csv_reader_set_max_record(struct csv_reader *r, size_t max);

/* Read the next record into *rec. CSV_BAD and CSV_FATAL fill err with
 * file, line and message. After CSV_FATAL or CSV_EOF every call returns the same. */
enum csv_result csv_read(struct csv_reader *r, struct csv_record *rec, struct cati_error *err);

void csv_reader_free(struct csv_reader *r);

/* Writer: fields quoted only when they hold a comma, quote, CR or LF (or
 * start with a BOM, or a record is one empty field, written ""), quotes doubled, records
 * ended with CRLF. Errors are sticky: check csv_writer_error or the
 * return value of csv_write_end. */
struct csv_writer {
    FILE *out;      /* not owned */
    size_t nfield;  /* fields written in the current record */
    int empty_only; /* the record so far is one empty field */
    int failed;     /* a write failed */
};

void csv_writer_init(struct csv_writer *w, FILE *out);

/* Append one field of len bytes (len == (size_t)-1: strlen(s); s NULL = empty).
 * Returns 0 or -1 on a write error. */
int csv_write_field(struct csv_writer *w, const char *s, size_t len);
/* Append an integer field. */
int csv_write_long(struct csv_writer *w, long long v);
/* End the record (CRLF). 0, or -1 if any write so far failed. */
int csv_write_end(struct csv_writer *w);
/* A whole record of n NUL-terminated fields (NULL = empty). */
int csv_write_row(struct csv_writer *w, const char *const *fields, size_t n);
/* 0, or -1 if any write failed. */
int csv_writer_error(const struct csv_writer *w);

#endif
