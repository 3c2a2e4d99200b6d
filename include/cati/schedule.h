#ifndef CATI_SCHEDULE_H
#define CATI_SCHEDULE_H
/* Call outcomes and the rules that follow them: every OUTCOME keyword maps
 * to an AAPOR code and a rule (final, retry after [retry] minutes, next
 * phone number, appointment). Next tries land inside the calling hours and
 * days of the respondent's time zone, in the time slot tried least. */

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

#include "cati/account.h"
#include "cati/config.h"
#include "cati/error.h"

enum schedule_rule {
    SCHED_FINAL,       /* the case ends with this call's code */
    SCHED_RETRY,       /* try again after the outcome's [retry] delay */
    SCHED_NEXT_NUMBER, /* retire this number; the case's next number, else final */
    SCHED_APPOINTMENT  /* call again at the time given (--at) */
};

enum schedule_retry {
    RETRY_NONE, RETRY_BUSY, RETRY_NO_ANSWER, RETRY_ANSWERING_MACHINE, RETRY_MESSAGE_LEFT,
    RETRY_NOT_AVAILABLE, RETRY_SOFT_REFUSAL, RETRY_TECHNICAL, RETRY_LANGUAGE
};

struct schedule_outcome {
    const char *keyword;        /* as typed: no-answer, soft-refusal, … */
    const char *aapor;          /* AAPOR code of the call */
    const char *aapor_eligible; /* code instead when eligibility is established, or NULL */
    enum schedule_rule rule;
    enum schedule_retry retry;
    int contact;                /* someone answered */
    int eligible;               /* establishes that the respondent is eligible */
    int rotate;                 /* next try goes to the least-tried time slot */
    const char *doc;            /* one line for the man page */
};

/* The outcome table, in DESIGN order; *n set to its length. Static memory. */
const struct schedule_outcome *schedule_outcomes(size_t *n);
/* The entry for keyword, or NULL. Static memory. */
const struct schedule_outcome *schedule_outcome_find(const char *keyword);
/* 1 if a call of outcome o (NULL: 0) counts as a refusal in the
 * interviewers' figures: its AAPOR code is in the disposition table's
 * refusal and break-off category R (refusal, soft-refusal, breakoff). */
int schedule_outcome_refusal(const struct schedule_outcome *o);
/* What follows the outcome, in plain words for an interviewer, with the
 * configured delay ("call again in about 3 hours, in another time slot"),
 * never a configuration key. Into buf; returns buf. */
const char *schedule_outcome_plain(const struct cati_config *cfg, const struct schedule_outcome *o,
                                   char *buf, size_t size);
/* Minutes of the outcome's [retry] delay (0 for RETRY_NONE). */
int schedule_retry_minutes(const struct cati_config *cfg, enum schedule_retry r);

/* Time zone to use for a respondent: tz, or [calling] timezone if tz is "". */
const char *schedule_zone(const struct cati_config *cfg, const char *tz);
/* 1 if t is inside calling hours and days in time zone tz. */
int schedule_in_hours(const struct cati_config *cfg, const char *tz, time_t t);
/* The first moment >= t inside calling hours and days in tz, and, when
 * slot >= 0, inside that [calling] slot too. 0 if there is none within two
 * weeks (e.g. a slot that never overlaps the calling hours). */
time_t schedule_next_open(const struct cati_config *cfg, const char *tz, time_t t, int slot);
/* Index of the [calling] slot containing t in tz, or -1. */
int schedule_slot_of(const struct cati_config *cfg, const char *tz, time_t t);
/* Slot rotation: tries[i] is how often the case was called in slot i. The
 * first moment >= t inside calling hours in one of the least-tried slots
 * that can still be reached (the soonest of them); without slots, or when
 * no slot overlaps the hours, schedule_next_open(cfg, tz, t, -1). */
time_t schedule_next_rotated(const struct cati_config *cfg, const char *tz, time_t t,
                             const int *tries);

/* A time as an interviewer reads it, in time zone tz (schedule_zone): "today
 * 17:00", "tomorrow 09:00", else "Mon 2026-12-07 09:00" — the day counted
 * from now — followed by the [calling] slot it falls in, when one does:
 * "today 17:00, evening slot". Never a configuration key. Into buf;
 * returns buf. */
const char *schedule_when_text(const struct cati_config *cfg, const char *tz, time_t t, time_t now,
                               char *buf, size_t size);

/* Appointments not kept: the rule, once, for every reader (queue, console,
 * `cati case show`, monitor). An appointment at `at` (0 = none) is missed
 * when the claim already flagged it (cases.appointment_missed) or as soon as
 * now is [appointments] missed_minutes past it: a call clears the
 * appointment, so one still booked at that point was not kept. 1 or 0. */
int schedule_appointment_missed(const struct cati_config *cfg, time_t at, int flagged, time_t now);
/* The latest appointment time that is missed at now (at <= it): for a
 * statement that flags them all at once. */
time_t schedule_missed_cutoff(const struct cati_config *cfg, time_t now);

/* Format the calling windows as "09:00–13:00, 14:00–18:00" into buf. */
const char *schedule_hours_text(const struct cati_config *cfg, char *buf, size_t size);

struct cati_interview;

/* The longest note a call takes (and case_set_note keeps), in bytes. */
#define SCHEDULE_NOTE_MAX 1000

/* One call outcome to record. */
struct schedule_call {
    const char *outcome;  /* keyword */
    time_t at;            /* appointment time (SCHED_APPOINTMENT), else 0 */
    const char *note;     /* NULL or free text, added to the note committed with case_set_note */
    unsigned flags;       /* SCHEDULE_* below */
    struct cati_interview *iv; /* the interview in hand (console), or NULL: see schedule_record */
};
#define SCHEDULE_ANY_HOLDER 1u /* supervisors: any open case, held or not (role checked, audited) */
#define SCHEDULE_KEEP_LEASE 2u /* the console goes on with the case (interview starts) */
#define SCHEDULE_SOFT_APPOINTMENT 4u /* appointment for anyone, not held for who */

struct schedule_result {
    long long call_id;
    int attempt;           /* this call's attempt number */
    char aapor[8];         /* code recorded for the call */
    int final;             /* the case is now final */
    char disposition[8];   /* final code when final */
    time_t next_call_at;   /* when not final */
    time_t appointment_at; /* when an appointment was booked */
    int moved_number;      /* moved on to phone position new_phone_pos */
    int new_phone_pos;
    char new_number[64];
    int conversion;        /* a refusal conversion was scheduled */
    int limit;             /* ended by max_attempts / the per-number limit */
    int no_numbers;        /* ended because no usable number was left */
};

/* Record one call on case_id by who and apply its rule, in one transaction:
 * a calls row (attempt, interviewer, number dialled, outcome, AAPOR code,
 * slot, note) and the case's new state (attempts, next call, number,
 * appointment, interim code or final disposition), and the end of the
 * case's interview. who must hold the case (case_hold: a live lease) —
 * or, with SCHEDULE_ANY_HOLDER, be a supervisor or admin in the database,
 * and the call is audited ("case outcome"). The lease is cleared unless
 * SCHEDULE_KEEP_LEASE and the case stays open. The note is the one
 * committed for the case (case_set_note) followed by call->note.
 *
 * The interview rule: 'complete' needs the case's live interview at its
 * end, complete (call->iv when given, else as stored); a supervisor may
 * record it without one only with a note. An interview at its end is
 * closed (interviews.outcome) with the end its route reached; an open one
 * is closed as 'breakoff' for a breakoff/partial call or when the case
 * becomes final, 'refusal' for a refusal, and otherwise stays open, to be
 * resumed at the next call. Returns 0, or -1 with err (unknown
 * outcome/case, final case, not the holder: kind CATI_ERR_LOST, bad
 * appointment, no completed interview). */
int schedule_record(sqlite3 *db, const struct cati_config *cfg, long long case_id,
                    const struct cati_interviewer *who, const struct schedule_call *call,
                    struct schedule_result *res, struct cati_error *err);

/* Appointments without a call (supervisors): case_appoint in case.h. */

#endif
