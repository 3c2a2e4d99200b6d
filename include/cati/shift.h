#ifndef CATI_SHIFT_H
#define CATI_SHIFT_H
/* What an interviewer's console reads during a shift: today's counts, the
 * case they left unfinished, and one case's details and call history.
 * Read-only; the queue (queue.h) and the schedule (schedule.h) change cases. */

#include <sqlite3.h>
#include <time.h>

#include "cati/config.h"
#include "cati/error.h"

struct cati_interview;

#define SHIFT_MAX_APPTS 10

/* One of today's appointments held for the interviewer. */
struct shift_appt {
    time_t at;
    char ref[64];
    char name[128];
    char timezone[64];  /* the respondent's, "" = the configured one */
    int missed;         /* not kept: schedule_appointment_missed at now */
};

struct shift_counts {
    int calls;         /* calls this interviewer recorded today */
    int completes;     /* of them, completed interviews */
    int appointments;  /* open cases with an appointment today held for them */
    struct shift_appt appts[SHIFT_MAX_APPTS]; /* the first of them, by time */
    int nappts;        /* kept in appts (at most SHIFT_MAX_APPTS) */
};

/* Counts for interviewer_id on the calendar day of now in the [calling]
 * time zone, and today's appointments held for them (time, ref, name),
 * earliest first. 0 or -1. */
int shift_counts(sqlite3 *db, const struct cati_config *cfg, long long interviewer_id, time_t now,
                 struct shift_counts *out, struct cati_error *err);

/* The open case interviewer_id still holds (claimed by them: a console that
 * died or was closed mid-call). Returns 1 and *case_id, 0 when none, -1. */
int shift_unfinished(sqlite3 *db, long long interviewer_id, long long *case_id,
                     struct cati_error *err);

/* Names of the surveys that are not paused, ", " between, into buf. 0 or -1. */
int shift_surveys(sqlite3 *db, char *buf, size_t size, struct cati_error *err);

#define SHIFT_MAX_PHONES 8
#define SHIFT_MAX_CALLS 12
/* A call's note: the note committed for the call and the call's own, each
 * up to SCHEDULE_NOTE_MAX (1000) bytes, "; " between, and the NUL. */
#define SHIFT_NOTE_MAX (2 * 1000 + 3)

struct shift_phone {
    int position;        /* 1 = phone, 2 = phone2, … */
    char number[40];
    char status[32];     /* "ok" or the outcome that retired it */
    int attempts;
};

struct shift_call {
    time_t at;
    char who[64];        /* interviewer login, "" if none */
    char outcome[32];
    char aapor[8];
    char note[SHIFT_NOTE_MAX]; /* whole (the case screen shows it on request) */
};

struct shift_case {
    long long id;
    long long survey_id;
    char survey[64];           /* survey name */
    char survey_title[128];
    char ref[64];
    char name[128];
    char service[128];
    char agency[128];
    char district[64];
    char availed_on[32];
    char language[16];
    char timezone[64];         /* "" = the configured one */
    char state[8];             /* new, open, final */
    char disposition[8];       /* final code, "" while open */
    char interim[8];           /* best AAPOR code so far */
    int attempts;
    time_t next_call_at;       /* when the case is due */
    int phone_pos;             /* the number to dial now */
    struct shift_phone phones[SHIFT_MAX_PHONES];
    int nphones;
    time_t appointment_at;     /* 0 = none */
    char appointment_with[64]; /* login of a hard appointment, "" = anyone */
    int appointment_missed;    /* flagged by a claim; whether it is missed now:
                                * schedule_appointment_missed */
    long long claimed_by;      /* interviewer id, 0 = none */
    time_t lease_until;
    struct shift_call calls[SHIFT_MAX_CALLS]; /* newest first */
    int ncalls;                /* kept here */
    int total_calls;           /* in all */
    long long open_interview;  /* unfinished interview (outcome NULL), 0 = none */
    char open_question[64];    /* its current question */
    int open_answered;         /* its answers on the route */
    char read_language[16];    /* the language to read to this respondent: the one
                                * their latest interview was left in (the interviewer
                                * may have switched it), else the case's language */
};

/* Load case_id. 0, or -1 with "no case N". */
int shift_case_load(sqlite3 *db, long long case_id, struct shift_case *out, struct cati_error *err);

/* Call fn(name, value, ctx) for each extra respondent field of the case
 * (case_fields), in name order. 0 or -1. */
int shift_case_fields(sqlite3 *db, long long case_id,
                      int (*fn)(const char *name, const char *value, void *ctx), void *ctx,
                      struct cati_error *err);

/* The call outcome keyword for an interview the respondent will not finish:
 * "partial" when at least [interview] partial_percent of its route was
 * answered, else "breakoff". */
const char *shift_breakoff_outcome(const struct cati_config *cfg, const struct cati_interview *iv);

#endif
