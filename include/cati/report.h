#ifndef CATI_REPORT_H
#define CATI_REPORT_H
/* Figures for `cati report rates` and `cati report interviewers`: counts per
 * AAPOR code and category with the AAPOR rates, and per-interviewer call
 * productivity. Printing is plain text or CSV. */

#include "cati/config.h"
#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>

#include "cati/disposition.h"
#include "cati/error.h"

enum report_format { REPORT_TEXT, REPORT_CSV };

struct report_code {
    char code[8];
    long long final, open; /* final cases with this code; open cases whose best code so far it is */
};

struct report_rates {
    char survey[128];
    long long cases, final, open;
    struct report_code *codes; /* malloc'd, in code order; freed by report_rates_free */
    size_t ncodes;
    struct disposition_counts counts; /* final and open cases together */
    struct disposition_rates rates;
};

/* Counts and rates of one survey. Final cases count under their
 * disposition, open ones under their best code so far (3.11 if never
 * called). e in 0..1, or < 0 to estimate it. 0 or -1. */
int report_rates(sqlite3 *db, long long survey_id, double e, struct report_rates *out,
                 struct cati_error *err);
void report_rates_free(struct report_rates *r);
/* header: print the CSV header line first (CSV only). */
void report_rates_print(FILE *out, const struct report_rates *r, enum report_format fmt, int header);

struct report_interviewer {
    long long id;
    char login[64];
    char name[128];
    long long calls, contacts, completes, refusals;
    long long seconds; /* hours worked, in seconds: dashboard_worked_seconds (cati(1)) */
};

/* One row per interviewer who made calls (in the survey, when survey_id > 0)
 * or is an active interviewer, by login. *rows is malloc'd: free() it. */
int report_interviewers(sqlite3 *db, const struct cati_config *cfg, long long survey_id,
                        struct report_interviewer **rows, size_t *n, struct cati_error *err);
void report_interviewers_print(FILE *out, const struct report_interviewer *rows, size_t n,
                               enum report_format fmt);

#endif
