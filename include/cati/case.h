#ifndef CATI_CASE_H
#define CATI_CASE_H
/* One case, one holder. The lock on a case is the law, kept here once.
 *
 * Every write that concerns a case on behalf of an interviewer — an
 * answer, a language switch, a note, a call outcome, an appointment, the
 * interview's end, a release — runs in one write transaction (BEGIN
 * IMMEDIATE) that first calls case_hold(): the case must be open and
 * claimed by that interviewer with a live lease (lease_until > now), and
 * the lease is renewed. When it is not, the write is refused with
 * err->kind = CATI_ERR_LOST and a line that says, in plain words, what
 * happened ("case CT-1 was released by sonam at 10:42").
 *
 * Supervisor actions (release, priority, appointment) check the caller's
 * role as the database has it now, in the same transaction as the change,
 * (account_require_role) and write their audit row there too: the monitor and `cati case` call
 * the same functions, so the audit text exists once. A refused role gets
 * err->kind = CATI_ERR_ROLE. */

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

#include "cati/account.h"
#include "cati/config.h"
#include "cati/error.h"

/* Inside the caller's write transaction: 0 when who holds case_id (open,
 * claimed by who, lease not run out) — the lease is then renewed for
 * [calling] lease_minutes — else -1 with err (kind CATI_ERR_LOST;
 * CATI_ERR_NOT_FOUND for no such case; CATI_ERR_DATABASE or CATI_ERR_BUSY
 * for a database error). */
int case_hold(sqlite3 *db, const struct cati_config *cfg, long long case_id,
              const struct cati_interviewer *who, struct cati_error *err);

/* The same test without renewing (read only, one statement: needs no
 * transaction): the console looks every few seconds whether its case is
 * still its own. 0 or -1 as case_hold. */
int case_hold_check(sqlite3 *db, const struct cati_config *cfg, long long case_id,
                    const struct cati_interviewer *who, struct cati_error *err);

/* case_hold in a transaction of its own: the console's heartbeat. */
int case_renew(sqlite3 *db, const struct cati_config *cfg, long long case_id,
               const struct cati_interviewer *who, struct cati_error *err);

/* Give case_id back to the queue without a call. The holder releases
 * their own case (hold checked); a supervisor or admin releases anyone's,
 * audited ("case release") and remembered on the case (released_by, _at)
 * so the holder's console can say who took it. *was_claimed (may be NULL)
 * tells whether someone held it. 0 or -1. */
int case_release(sqlite3 *db, const struct cati_config *cfg, long long case_id,
                 const struct cati_interviewer *who, int *was_claimed, struct cati_error *err);

/* A case's priority: a whole number, higher is called first, negative
 * last (still called); the range every writer (sample import, `cati case
 * priority`, the monitor) accepts. */
#define CASE_PRIORITY_MIN (-1000000)
#define CASE_PRIORITY_MAX 1000000
/* Parse s as a priority in that range into *out; 0, or -1 if it is not. */
int case_priority_parse(const char *s, long *out);

/* Supervisors: set a case's priority (higher is called first; in the range
 * above, else an input error). Audited ("case priority", "ID N"). 0 or -1. */
int case_set_priority(sqlite3 *db, long long case_id, int priority,
                      const struct cati_interviewer *who, struct cati_error *err);

/* Supervisors: book an appointment on an open case without a call, held
 * for with_id first when > 0 (hard), else for anyone. Audited ("case
 * appoint", "ID YYYY-MM-DD HH:MM[ with LOGIN]" in tz). 0 or -1. */
int case_appoint(sqlite3 *db, const struct cati_config *cfg, long long case_id, time_t at,
                 long long with_id, const struct cati_interviewer *who, struct cati_error *err);

/* The holder's note for the next call on the case, committed now (F6):
 * schedule_record moves it into the call it records. note "" clears it. */
int case_set_note(sqlite3 *db, const struct cati_config *cfg, long long case_id,
                  const struct cati_interviewer *who, const char *note, struct cati_error *err);

/* The note waiting for the next call, into buf ("" when none). 0 or -1. */
int case_note(sqlite3 *db, long long case_id, char *buf, size_t size, struct cati_error *err);

/* A case as every view of it shows it (the monitor's case view, the
 * console's case screen): its row, its survey, and the logins it names. */
struct case_info {
    long long id, survey_id;
    char survey[128];          /* survey name */
    char survey_title[256];
    char ref[64], name[256], service[256], agency[256], district[128], availed_on[32];
    char language[16];
    char timezone[64];         /* "" = the configured one */
    char state[16];            /* new, open, final */
    char disposition[12];      /* final code, "" while open */
    char interim[12];          /* best AAPOR code so far */
    char code[12];             /* the disposition, else the best code so far */
    int priority, attempts, phone_pos;
    time_t next_call_at;
    time_t appointment_at;     /* 0 = none */
    char appointment_with[64]; /* login of a hard appointment, "" = anyone */
    int appointment_missed;
    long long claimed_by;      /* interviewer id, 0 = none */
    char claimed_login[64];    /* their login, "" */
    time_t lease_until;        /* 0 = none */
    long long nflags;          /* flags raised on the case */
};

/* The one loader of a case's row: 1 with *out, 0 when there is no case
 * case_id, -1 with err. */
int case_info_load(sqlite3 *db, long long case_id, struct case_info *out, struct cati_error *err);

/* One call of a case, as every view of a case shows it (`cati case show`,
 * the monitor's case view, the console's case screen). */
#define CASE_CALL_NOTE_MAX (2 * 1000 + 3) /* the note committed for the call and the
                                           * call's own, "; " between, and the NUL */
struct case_call {
    long long id;
    int attempt;
    time_t started_at, ended_at;
    char interviewer[64];   /* login, "" when none */
    char number[64];        /* the number dialled */
    char outcome[32];
    char aapor[12];
    char slot[64];          /* [calling] slot name, "" when none */
    char note[CASE_CALL_NOTE_MAX];
};

/* The one loader of a case's calls: fn(call, ctx) for each call of case_id,
 * oldest first (attempt, then id); fn returns non-zero to stop. *total (may
 * be NULL) gets the number of calls. 0 or -1. */
int case_calls(sqlite3 *db, long long case_id, int (*fn)(const struct case_call *, void *), void *ctx,
               int *total, struct cati_error *err);

/* One phone number of a case. */
struct case_phone {
    int position;        /* 1 = phone, 2 = phone2, … */
    char number[64];
    char status[32];     /* "ok" or the outcome that retired it */
    int attempts;
};

/* The one loader of a case's numbers: fn(phone, ctx) for each, by
 * position; fn returns non-zero to stop. 0 or -1. */
int case_phones(sqlite3 *db, long long case_id, int (*fn)(const struct case_phone *, void *), void *ctx,
                struct cati_error *err);

/* Call fn(name, value, ctx) for each extra respondent field of the case
 * (case_fields), in name order; fn returns non-zero to stop. 0 or -1. */
int case_fields(sqlite3 *db, long long case_id, int (*fn)(const char *name, const char *value, void *ctx),
                void *ctx, struct cati_error *err);

#endif
