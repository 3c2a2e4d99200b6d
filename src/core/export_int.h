#ifndef CATI_EXPORT_INT_H
#define CATI_EXPORT_INT_H
/* Internals of export: the column layout (export_layout.c), the SPSS and
 * Stata syntax (export_syntax.c) and the run (export.c). Not a public API. */

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
    char versions[256];            /* survey versions that ask it, "1 2" */
};

/* One column of NAME_interviews. */
struct xcol {
    char *name;                    /* owned */
    enum xtype type;
    int var;                       /* question index in vars, -1 otherwise */
    int field;                     /* respondent field index, -1 otherwise */
    long code;                     /* multi: the choice */
    const char *label;             /* identifying columns: what it is */
};

/* Identifying columns (before fields and questions). */
enum xid {
    XID_CASE_UUID, XID_INTERVIEW_UUID, XID_REF, XID_NAME, XID_PHONE, XID_SERVICE, XID_AGENCY,
    XID_DISTRICT, XID_INTERVIEWER, XID_MODE, XID_LANGUAGE, XID_OUTCOME, XID_VERSION,
    XID_STARTED, XID_COMPLETED, XID_DURATION, XID_CALLS, XID_N
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
};

/* Build the layout from the versions (ids and numbers, newest first; the
 * layout takes the scripts, which the caller must not free). with_pii adds
 * the name and phone columns. Returns an enum export_status. */
int xlayout_build(struct xlayout *l, struct cati_script **scripts, const int *vnums, int n,
                  int with_pii, struct cati_error *err);
void xlayout_free(struct xlayout *l);

/* Index of question name (len bytes) in vars, or -1. */
int xlayout_find(const struct xlayout *l, const char *name, size_t len);

/* Codebook: the header and one row per column. */
#define XCODEBOOK_NCOLS 10
extern const char *const xcodebook_header[XCODEBOOK_NCOLS];
/* Fill row (XCODEBOOK_NCOLS malloc'd strings, caller frees each) for column c. */
int xcodebook_row(const struct xlayout *l, int c, char *row[XCODEBOOK_NCOLS]);

/* SPSS syntax / Stata do-file reading csvname. 0, or -1 on a write error. */
int xsyntax_spss(const struct xlayout *l, const char *csvname, FILE *out);
int xsyntax_stata(const struct xlayout *l, const char *csvname, FILE *out);

#endif
