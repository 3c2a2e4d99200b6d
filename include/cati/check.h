#ifndef CATI_CHECK_H
#define CATI_CHECK_H
/* `cati check`: the database's invariants, verified from its rows.
 *
 * - SQLite's own: PRAGMA integrity_check and foreign_key_check.
 * - One holder, with a lease: a claimed case has lease_until; a case is
 *   not claimed by one interviewer while another's interview of it is in
 *   progress (one that reached its end, waiting for its call, stays its
 *   interviewer's whoever records the call).
 * - Dispositions: every final case's code is what disposition_final gives
 *   from its calls, for the ways its last call can have ended its calling
 *   (at a central database, calls a site made after another ended the case
 *   do not count); no open case has a call that ends a case (a refusal, a
 *   complete, ...).
 * - Interviews: every live completed interview belongs to a case coded
 *   1.1; every 1.1 case has a live completed interview, or was completed
 *   by a supervisor's note (its `complete` call has a non-empty note and
 *   was recorded by a supervisor or admin: calls.by_supervisor, which
 *   sync carries to the central database); at most one live interview
 *   per case.
 * - Counters kept by triggers (case_counts, case_due, score_sums over live
 *   completed interviews, flag_counts, call_hours) equal a recount.
 * - Change sequence: every non-zero change_seq of interviews and calls is
 *   unique across both tables and at most change_seq.n.
 *
 * Everything is read in one read transaction (a consistent snapshot;
 * writers go on meanwhile). */

#include <sqlite3.h>
#include <stddef.h>

#include "cati/error.h"

enum check_kind {
    CHECK_INTEGRITY,   /* PRAGMA integrity_check */
    CHECK_FOREIGN_KEY, /* PRAGMA foreign_key_check */
    CHECK_HOLDER,      /* two holders of one case */
    CHECK_LEASE,       /* a claimed case without a lease */
    CHECK_DISPOSITION, /* a final code its calls do not give */
    CHECK_INTERVIEW,   /* a live completed interview on a case not coded 1.1 */
    CHECK_COMPLETE,    /* a 1.1 case with neither interview nor supervisor's note */
    CHECK_LIVE,        /* more than one live interview on a case */
    CHECK_COUNTER,     /* a counter table differs from a recount */
    CHECK_SEQUENCE,    /* a change sequence number used twice or past the counter */
    CHECK_KIND_COUNT
};

struct check_violation {
    enum check_kind kind;
    long long case_id; /* 0 when the violation is not about one case */
    char *ref;         /* the case's ref, "" when none */
    char *message;     /* one line, no newline */
};

struct check_report {
    struct check_violation *v; /* in the order found */
    size_t n, cap;
    long long cases, calls, interviews; /* rows looked at */
};

/* "integrity", "foreign-key", "holder", "lease", "disposition",
 * "interview", "complete", "live", "counter", "sequence". */
const char *check_kind_name(enum check_kind kind);

/* Verify every invariant above and list the violations in out (initialised
 * here; free with check_report_release). Returns 0 when the checks ran
 * (out->n == 0 means the database is sound), -1 with err when they could
 * not (e.g. not a cati database, out of memory). */
int check_run(sqlite3 *db, struct check_report *out, struct cati_error *err);

/* The disposition rule for one case (the one check_run applies to every
 * final case): *agrees = 1 when its stored code is one its calls give (or
 * it is not final, or has no call to judge by), else 0 and want gets the
 * code its calls give. Sync uses it to settle a case worked at several
 * sites. 0 or -1. */
int check_case_final(sqlite3 *db, long long case_id, char *want, size_t size, int *agrees,
                     struct cati_error *err);

/* Free the violations of r and reset it. */
void check_report_release(struct check_report *r);

#endif
