#ifndef CATI_QUEUE_H
#define CATI_QUEUE_H
/* The call queue: atomic claiming with a lease, renewal, release, and the
 * reason when nothing can be offered.
 *
 * Order of the claim: the interviewer's own unfinished case (claimed by
 * them, or an interview of theirs still in progress); then due
 * appointments — hard ones booked for this interviewer, then due
 * appointments for anyone (a hard one after its [appointments]
 * hold_minutes), then missed ones; then the general queue by priority
 * (higher first), cases never tried first, then the longest since their
 * last call. A case is offered only when due (next_call_at), inside calling
 * hours and days in the respondent's time zone (a due appointment is kept
 * whatever the hour), in a language of the interviewer (or none), with the
 * refusal skill for refusal conversions, outside full quota cells, and in
 * a survey that is not paused. */

#include <sqlite3.h>
#include <stddef.h>

#include "cati/account.h"
#include "cati/config.h"
#include "cati/error.h"

struct queue_claim {
    long long case_id; /* the case claimed; 0 when nothing could be offered */
    int resumed;       /* 1: the interviewer's own unfinished case */
    char reason[512];  /* when nothing: why, one line ("no case due until 14:00") */
};

#define QUEUE_CLAIM_ANOTHER 1u /* do not resume: claim one more case (dialers, benchmarks) */

/* Claim the next case for who, atomically (BEGIN IMMEDIATE, UPDATE …
 * RETURNING), leasing it for [calling] lease_minutes. Returns 1 with
 * out->case_id set, 0 with out->reason when nothing can be offered, or -1
 * with err. */
int queue_claim_next(sqlite3 *db, const struct cati_config *cfg, const struct cati_interviewer *who,
                     unsigned flags, struct queue_claim *out, struct cati_error *err);

/* Renewing, releasing and re-prioritising a case: see case.h. */

/* Why nothing can be offered to who right now, as one line into buf.
 * Read-only; queue_claim_next uses it when its claim finds nothing. */
int queue_why_nothing(sqlite3 *db, const struct cati_config *cfg, const struct cati_interviewer *who,
                      char *buf, size_t size, struct cati_error *err);

#endif
