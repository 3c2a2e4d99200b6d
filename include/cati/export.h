#ifndef CATI_EXPORT_H
#define CATI_EXPORT_H
/* cati export: results for analysts, from one read snapshot of the
 * database, streamed (memory does not grow with the number of interviews),
 * every file written atomically (cati/atomic.h).
 *
 * CSV format writes into DIR:
 *   NAME_interviews.csv  one row per completed interview (with partials:
 *                        also started ones with an answer); identifying
 *                        columns, the survey's declared respondent fields,
 *                        then one column per question in script order
 *                        (multi: one 0/1 column per choice code of any
 *                        version, ascending: q_1, q_3 …);
 *                        -8 don't know, -9 refused, empty = not asked or off
 *                        the route; a text or date question has NAME_status
 *                        after it (answered, dk, rf; empty = not asked) and
 *                        its DK/RF leave its cell empty (a text may be "-8").
 *                        Identifying columns include who worked on it
 *                        (interviewers), who ended it (ended_by), the AAPOR
 *                        code of the call that ended it (aapor; outcome
 *                        "partial" for a break-off coded 1.2), active and
 *                        wall seconds. The questions of every script version
 *                        that has interviews in the file (the newest
 *                        version's order; older questions after their
 *                        predecessor); with no interview, the latest version.
 *   NAME_codebook.csv    one row per column of NAME_interviews.csv
 *   NAME_calls.csv       every call attempt on the survey's cases
 * SAV and DTA formats write the rows and columns of NAME_interviews.csv as
 *   NAME.sav             SPSS system file (UTF-8), and
 *   NAME.dta             Stata 14+ dataset (release 118, UTF-8),
 *                        with variable and value labels, DK/RF as declared
 *                        missing values, measurement levels
 *                        (src/core/export_native.c states the rules).
 * SQLite format writes DIR/NAME.sqlite with tables interviews, codebook,
 * calls and export_info (not a cati database): typed columns, primary keys
 * (interview_uuid, call_uuid, variable, key), indexes on case_uuid; every
 * question has NAME_status and DK/RF/not asked are NULL (avg() is right).
 * Formats combine (EXPORT_* flags); 0 means EXPORT_DEFAULT: CSV, SAV, DTA.
 *
 * Personal data (the respondent's name and phone numbers, call notes) is
 * written only with with_pii. Times are "YYYY-MM-DD HH:MM:SS" in the given
 * time zone.
 *
 * since_last: only interviews (and calls) inserted or changed after the
 * previous since-last export of the survey. Every change to an interview,
 * its answers or a call takes the next value of a database-wide counter
 * (change_seq); an export reads the counter in its snapshot and, once its
 * files are renamed into place, records it as its watermark in the exports
 * table. The next since-last export takes what is above that watermark, so
 * an interview completed while an export runs goes into the next one:
 * nothing skipped, nothing twice (a crash between the rename and the record
 * repeats rows, never loses them). Exports without since_last are recorded
 * too but do not move the since-last chain.
 *
 * Delivery, exactly once (deliver_to, the nightly script): the files go
 * into dir, a temporary folder, and the export is recorded as 'pending'
 * for the folder deliver_to (made absolute; it must not exist yet). The
 * caller renames dir to deliver_to once every file of the run is written,
 * then calls export_settle, which marks each pending export 'done' when its
 * folder exists and 'failed' when it does not. Only 'done' exports count in
 * the since-last chain, and a since-last export is refused while one of the
 * survey is pending, so over runs that succeed, fail or are killed at any
 * point, every interview is in exactly one delivered folder. */

#include <sqlite3.h>
#include <stddef.h>

#include "cati/error.h"

enum export_format { EXPORT_CSV = 1, EXPORT_SQLITE = 2, EXPORT_SAV = 4, EXPORT_DTA = 8 };
#define EXPORT_DEFAULT (EXPORT_CSV | EXPORT_SAV | EXPORT_DTA)
#define EXPORT_ALL (EXPORT_CSV | EXPORT_SQLITE | EXPORT_SAV | EXPORT_DTA)

enum export_status {
    EXPORT_FAILED = -1,  /* runtime failure (I/O, database): no file left half-written */
    EXPORT_OK = 0,
    EXPORT_REJECTED = 1, /* bad input: unknown survey, unusable names */
};

struct export_options {
    const char *survey;          /* survey NAME */
    const char *dir;             /* output directory (made when missing, one level) */
    unsigned format;             /* EXPORT_* flags; 0 = EXPORT_DEFAULT */
    int since_last;
    int with_pii;                /* the caller checked the role */
    int partials;
    const char *login;           /* recorded in exports and the audit log */
    const char *deliver_to;      /* NULL, or: pending until settled (above) */
    const char *timezone;        /* for times in the files; NULL or "" = UTC */
    /* Test hook: called once the read snapshot is taken, before any file
     * is written. May be NULL. */
    void (*on_snapshot)(void *ctx);
    void *ctx;
};

#define EXPORT_MAX_FILES 6

struct export_result {
    long long interviews;        /* rows of NAME_interviews */
    long long partials;          /* of those, not complete */
    long long calls;             /* rows of NAME_calls */
    long long since, watermark;  /* change_seq range (since, watermark] */
    int nfiles;
    char files[EXPORT_MAX_FILES][1024]; /* paths written, in order */
};

/* "csv,sav,dta": the names of the formats in flags (EXPORT_*), into buf. */
const char *export_format_name(unsigned flags, char *buf, size_t size);
/* Parse "csv,sav" into EXPORT_* flags; -1 on an unknown or empty name. */
int export_format_parse(const char *s, unsigned *flags);

/* Run an export. Returns an enum export_status; err says why on failure. */
int export_run(sqlite3 *db, const struct export_options *opt, struct export_result *res,
               struct cati_error *err);

/* One pending export settled: its survey, folder, rows, and whether the
 * folder was there (delivered) or not (its rows go into the next export). */
typedef void (*export_settled_fn)(void *ctx, const char *survey, const char *dir,
                                  long long rows, int delivered);

/* Settle every pending export (one transaction, audited as login). Returns
 * the number settled (0: none was pending, nothing written), -1 on
 * failure. each (may be NULL) is called for each, after the commit. */
int export_settle(sqlite3 *db, const char *login, export_settled_fn each, void *ctx,
                  struct cati_error *err);

#endif
