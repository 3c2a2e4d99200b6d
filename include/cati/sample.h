#ifndef CATI_SAMPLE_H
#define CATI_SAMPLE_H
/* Respondent samples: a CSV file imported into cases, phones and
 * case_fields, all or nothing. Column rules in cati(1), "RESPONDENT SAMPLES". */

#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>

#include "cati/config.h"
#include "cati/error.h"

/* The standard respondent fields: the sample columns cati knows (each a
 * column of cases), and who else uses them. The one list: sample import,
 * scripts (fills, conditions, labels, `survey try`), the interview's
 * respondent fields and [quota] all read it. */
enum {
    SAMPLE_FIELD_SCRIPT = 1 << 0, /* a script sees it ({name} fills, conditions, labels) */
    SAMPLE_FIELD_QUOTA = 1 << 1,  /* [quota] may count it */
};
struct sample_field {
    const char *name;
    unsigned use; /* SAMPLE_FIELD_* */
};
/* In sample import order, ended by a NULL name. Static memory. */
extern const struct sample_field sample_fields[];
/* The standard field called name, or NULL. */
const struct sample_field *sample_field_find(const char *name);

enum sample_status {
    SAMPLE_FAILED = -1,  /* runtime failure (database, read error): nothing loaded */
    SAMPLE_OK = 0,       /* every row loaded */
    SAMPLE_REJECTED = 1, /* bad input (unknown survey, bad header, bad rows): nothing loaded */
};

struct sample_result {
    long rows;     /* data rows read */
    long imported; /* rows loaded: rows when SAMPLE_OK, else 0 */
    long bad;      /* bad rows found (each passed to on_bad) */
};

/* Called once per bad row, in file order; bad has the file, the line and
 * the message ("duplicate ref 'A1' (first at line 3)"). */
typedef void (*sample_bad_fn)(const struct cati_error *bad, void *ctx);

/* Longest normalised number: '+', 15 digits, NUL. */
#define SAMPLE_PHONE_MAX 17

/* Normalise the len bytes of a phone number: spaces, dashes and
 * parentheses are dropped; a leading + keeps its country code, a leading 00
 * becomes +, anything else gets + and country_code (digits) in front. The
 * result must be + and 7 to 15 digits. Returns 0 and fills out (at least
 * SAMPLE_PHONE_MAX bytes), or -1 if the number is not one. */
int sample_phone_normalise(const char *in, size_t len, const char *country_code, char *out,
                           size_t size);

/* Import the CSV read from in (name: the file name used in messages) into
 * survey, in one transaction: all rows, or none when any row is bad.
 * cfg gives the country code; login is recorded in the audit log.
 * on_bad (may be NULL) hears every bad row. res (may be NULL) gets counts.
 * Returns a sample_status; SAMPLE_REJECTED and SAMPLE_FAILED fill err with
 * one line (a header problem as FILE:1: …, bad rows as a summary). */
enum sample_status sample_import(sqlite3 *db, const struct cati_config *cfg, const char *survey,
                                 FILE *in, const char *name, const char *login,
                                 sample_bad_fn on_bad, void *ctx, struct sample_result *res,
                                 struct cati_error *err);

#endif
