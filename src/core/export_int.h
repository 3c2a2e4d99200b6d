#ifndef CATI_EXPORT_INT_H
#define CATI_EXPORT_INT_H
/* Internals of export: the column layout (export_layout.c), the SPSS and
 * Stata files (export_native.c) and the run (export.c). Not a public API. */

#include <stdio.h>

#include "cati/csv.h"
#include "cati/export.h"
#include "cati/script.h"

enum xtype { XT_STRING, XT_INT, XT_TIME };

/* One question of the file (its newest definition). */
struct xvar {
    const char *name;              /* owned by a script of the layout */
    const struct cati_question *q;
    const struct cati_script *s;
    int col, ncols;                /* its columns: col .. col + ncols - 1 */
    long *codes;                   /* multi: the code of each column (owned) */
    int status_col;                /* its NAME_status column, -1 = none */
    char versions[256];            /* survey versions that ask it, "1 2" */
};

/* One column of NAME_interviews. */
struct xcol {
    char *name;                    /* owned */
    enum xtype type;
    int var;                       /* question index in vars, -1 otherwise */
    int field;                     /* respondent field index, -1 otherwise */
    long code;                     /* multi: the choice */
    int status;                    /* 1: the NAME_status column of var */
    const char *label;             /* identifying columns: what it is */
};

/* Identifying columns (before fields and questions). */
enum xid {
    XID_CASE_UUID, XID_INTERVIEW_UUID, XID_REF, XID_NAME, XID_PHONE, XID_SERVICE, XID_AGENCY,
    XID_DISTRICT, XID_INTERVIEWER, XID_INTERVIEWERS, XID_ENDED_BY, XID_MODE, XID_LANGUAGE,
    XID_OUTCOME, XID_AAPOR, XID_VERSION, XID_STARTED, XID_COMPLETED, XID_DURATION, XID_ACTIVE,
    XID_WALL, XID_CALLS, XID_N
};

struct xlayout {
    struct cati_script **scripts;  /* newest version first (owned) */
    int *vnums;                    /* survey_versions.version of each */
    int nscripts;
    struct xvar *vars;
    int nvars;
    char **fields;                 /* declared respondent fields (borrowed from scripts) */
    int nfields;
    int field_col;                 /* column of fields[0] */
    struct xcol *cols;
    int ncols;
    int idcol[XID_N];              /* column of each identifying item, -1 = left out (PII) */
    int *hash;                     /* question name -> var index + 1, open addressing */
    size_t hsize;
    int sqlite;                    /* the SQLite file's layout (below) */
    int borrowed;                  /* scripts are another layout's: not freed */
};

/* The status of an answer, in NAME_status columns: */
#define XSTATUS_ANSWERED "answered"
#define XSTATUS_DK "dk"
#define XSTATUS_RF "rf"

/* Seconds of one answer's time on its question counted at most into
 * active_seconds (a question left on screen longer counts this much). */
#define XACTIVE_CAP 600

/* Build the layout from the versions (ids and numbers, newest first; the
 * layout takes the scripts, which the caller must not free). with_pii adds
 * the name and phone columns. Returns an enum export_status.
 *
 * Questions' columns: the value column(s) (multi: one per choice code),
 * then NAME_status (answered, dk, rf; empty = not asked) for text and date
 * questions, whose DK/RF leave the value cell empty (a text may be "-8");
 * numeric questions carry -8 / -9 in their value cells instead.
 * The SQLite layout (sqlite): every question has NAME_status and DK/RF
 * cells are NULL like not asked ones (so avg() is right); the codebook
 * then gives no DK/RF codes. */
int xlayout_build(struct xlayout *l, struct cati_script **scripts, const int *vnums, int n,
                  int with_pii, int sqlite, struct cati_error *err);
/* A second layout over the scripts of l (which must outlive it), for
 * the SQLite file. */
int xlayout_copy(struct xlayout *to, const struct xlayout *l, int with_pii, int sqlite,
                 struct cati_error *err);
void xlayout_free(struct xlayout *l);

/* Index of question name (len bytes) in vars, or -1. */
int xlayout_find(const struct xlayout *l, const char *name, size_t len);

/* Codebook: the header and one row per column. */
#define XCODEBOOK_NCOLS 10
extern const char *const xcodebook_header[XCODEBOOK_NCOLS];
/* Fill row (XCODEBOOK_NCOLS malloc'd strings, caller frees each) for column c. */
int xcodebook_row(const struct xlayout *l, int c, char *row[XCODEBOOK_NCOLS]);

/* NAME.sav and NAME.dta from the rows of NAME_interviews (cells as the
 * CSV's: NULL = empty). Use: xnative_new; xnative_measure for every row;
 * xnative_begin; xnative_row for the same rows in the same order;
 * xnative_end; xnative_free. The column rules are in export_native.c.
 * Functions return 0 or -1 (err says why). */
struct xnative;
/* NULL when out of memory; l must outlive it. */
struct xnative *xnative_new(const struct xlayout *l);
int xnative_measure(struct xnative *n, const char *const *v, const size_t *len,
                    struct cati_error *err);
/* Start the files: sav and/or dta (either may be NULL), named in errors by
 * their paths; label is the files' label. */
int xnative_begin(struct xnative *n, FILE *sav, const char *savpath, FILE *dta,
                  const char *dtapath, const char *label, struct cati_error *err);
int xnative_row(struct xnative *n, const char *const *v, const size_t *len, struct cati_error *err);
/* Finish the files (the caller commits or aborts them). */
int xnative_end(struct xnative *n, struct cati_error *err);
void xnative_free(struct xnative *n);

#endif
