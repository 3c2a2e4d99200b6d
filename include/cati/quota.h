#ifndef CATI_QUOTA_H
#define CATI_QUOTA_H
/* Quotas ([quota] FIELD.VALUE = completes in cati.ini, see cati.ini(5)).
 *
 * A quota cell is one quota of one survey. Its achieved count is the
 * survey's completed cases (AAPOR 1.1) whose sample field FIELD equals
 * VALUE, compared without regard to case; the one rule, used by the queue
 * (a full cell's cases are no longer offered), `cati report quotas` and the
 * monitor's Quotas panel. FIELD is a standard field quotas can count
 * (service, agency, district, language) or an extra column of the sample.
 *
 * A quota must name a field the samples have: every survey that has a
 * sample must have FIELD (quota_check_db, when cati opens its database),
 * and a sample imported later must have a FIELD column
 * (quota_check_columns, at `cati sample import`). Before any sample
 * exists, any well-formed field is accepted. */

#include <sqlite3.h>
#include <stddef.h>

#include "cati/config.h"
#include "cati/error.h"

/* One quota cell, as shown to supervisors. */
struct quota_cell {
    long long survey_id;
    char survey[64];
    char field[64];        /* lower case, as samples name columns */
    char value[128];       /* as written in cati.ini */
    int target;            /* the configured number of completes */
    long long achieved;    /* completes in the cell (quota_completes) */
    long long remaining;   /* target - achieved, never below 0 */
    int full;              /* achieved >= target: the cell's cases are not offered */
    int paused;            /* the survey is paused (no cell of it holds anything back) */
};

/* 1 if field is a standard respondent field quotas count (service, agency,
 * district, language), else 0. */
int quota_std_field(const char *field);

/* Completes so far in quota q of survey_id (the rule above). 0 or -1. */
int quota_completes(sqlite3 *db, long long survey_id, const struct cati_quota *q, long long *n,
                    struct cati_error *err);

/* Every quota cell of survey_id (0 = every survey), surveys by name, cells
 * in cati.ini order. Runs in the caller's transaction, else in a read
 * transaction of its own. *out is malloc'd (NULL when there is none): free
 * it with free(). 0 or -1. */
int quota_cells(sqlite3 *db, const struct cati_config *cfg, long long survey_id,
                struct quota_cell **out, int *n, struct cati_error *err);

/* Check every quota against the samples in db: each survey with a sample
 * must have the quota's field. -1 with "FILE:LINE: quota:FIELD.VALUE: the
 * sample of survey 'S' has no field 'FIELD' …" (FILE:LINE of cfg's file)
 * at the first that does not. 0 when all do, or when there is no sample. */
int quota_check_db(sqlite3 *db, const struct cati_config *cfg, struct cati_error *err);

/* The quota whose field is an extra field missing from columns (n
 * lower-case column names of a sample), or NULL when every quota's field
 * is there. */
const struct cati_quota *quota_missing_column(const struct cati_config *cfg,
                                              const char *const *columns, size_t n);

#endif
