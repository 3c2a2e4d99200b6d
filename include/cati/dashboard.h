#ifndef CATI_DASHBOARD_H
#define CATI_DASHBOARD_H
/* The supervisor's figures: everything `cati monitor` and `cati report
 * scores|flags` show, computed by the core.
 *
 * A refresh (dashboard_refresh) runs a few indexed queries inside one short
 * read transaction and ends it before returning: nothing is held open between
 * refreshes (a reader that never ends starves WAL checkpoints). Queue and
 * score figures come from counters the schema keeps with triggers
 * (case_counts, case_due, call_hours, flag_counts, score_sums), so a
 * refresh costs about the same on a million cases as on a hundred.
 *
 * Definitions (also in cati(1), monitor):
 *  - Queue, per survey, a partition of its cases:
 *      in use      an unexpired lease (claimed_by set, lease_until > now);
 *      not called  state new, not in use;
 *      due now     state open, next_call_at <= now, not in use;
 *      waiting     state open, next_call_at > now (retry or appointment later);
 *      final       state final, also split by final AAPOR code.
 *    Appointments, among cases not final: today = appointment_at within
 *    today (midnight to midnight in [calling] timezone); next hour =
 *    now <= appointment_at < now + 1 h; missed = flagged missed, or not kept
 *    [appointments] missed_minutes after its time.
 *  - Interviewers: logged in = holds an unexpired lease, or was seen (console
 *    heartbeat interviewers.last_seen_at, a call, an answer) within the last
 *    DASHBOARD_LOGIN_MINUTES. Today = since midnight in [calling] timezone.
 *    calls = call attempts recorded today; contacts = those whose outcome
 *    means someone answered (the outcome table's contact column); completes
 *    = outcome complete; refusals = refusal, soft-refusal and breakoff
 *    (AAPOR's R). Completes per hour: dashboard_per_hour over
 *    dashboard_worked_seconds of today (one definition, below). Idle = logged in
 *    and no call, answer or claim for [monitor] idle_minutes (counted from
 *    the start of the console session when there was none since).
 *  - Five parameters, per survey, service and agency, over completed
 *    interviews, per question that `measures` a parameter:
 *      scale LO HI  mean and share in the top two points (4–5 on 1–5);
 *      single       share of "good" answers: codes that raise none of the
 *                   script's flags when that answer alone is known (`flag
 *                   integrity if bribe = 1`, on any question, makes "No"
 *                   good: the share not asked for a bribe); a single
 *                   question no flag looks at is not shown;
 *      number       mean (e.g. working days taken), no share.
 *    n = interviews with an answer (don't know / refused are left out).
 *  - Flags: newest first, with the respondent's words; marked seen or
 *    forwarded with who and when.
 *  - Quotas: every quota cell of the surveys shown with its target,
 *    achieved and remaining completes, counted as the queue counts them
 *    (quota_cells, cati/quota.h). */

#include <sqlite3.h>
#include <stdio.h>
#include <time.h>

#include "cati/account.h"
#include "cati/config.h"
#include "cati/disposition.h"
#include "cati/error.h"
#include "cati/quota.h"

#define DASHBOARD_LOGIN_MINUTES 30
#define DASHBOARD_MAX_CODES 64
#define DASHBOARD_FLAG_LIMIT 200 /* newest flags a refresh keeps */

struct dash_code {
    char code[12]; /* AAPOR code, e.g. "1.1" */
    long long n;
};

struct dash_queue {
    long long survey_id;
    char survey[64];
    int paused;
    long long total;
    long long not_called, due, waiting, in_use, final;
    long long appt_today, appt_hour, appt_missed;
    struct dash_code finals[DASHBOARD_MAX_CODES]; /* final cases by code, code order */
    int nfinals;
    struct dash_code all[DASHBOARD_MAX_CODES];    /* every case by its best code so far */
    int nall;
};

struct dash_interviewer {
    long long id;
    char login[64];
    char name[128];
    int logged_in;
    int idle;              /* logged in and idle for [monitor] idle_minutes */
    time_t last_seen;      /* latest of heartbeat, call, answer; 0 = never */
    time_t last_work;      /* latest call, answer or claim; 0 = never */
    time_t seen_since;     /* start of the console session (dashboard_seen) */
    time_t idle_since;     /* logged in: latest of last_work and seen_since */
    long long case_id;     /* held case (unexpired lease), 0 = none */
    char case_ref[64];
    time_t case_since;     /* when it was claimed (claimed_at, else from the lease) */
    int calls, contacts, completes, refusals;
    double per_hour;       /* completes per hour; < 0 when no call today */
};

/* scale: mean and top-two share; single: share of good answers; number:
 * mean; text, multi, date: a count of answers only (text answers are
 * listed by dashboard_text_answers). */
enum dash_kind { DASH_SCALE, DASH_SINGLE, DASH_NUMBER, DASH_TEXT, DASH_MULTI, DASH_DATE };

struct dash_score {
    long long survey_id;
    char survey[64];
    int all;               /* 1: the survey's total over every service */
    char service[64];      /* "" when all, or when the cases had none */
    char agency[64];
    char parameter[32];
    char question[64];
    enum dash_kind kind;
    long lo, hi;           /* scale bounds */
    long long n;           /* answers behind the figure (0: all don't know / refused) */
    double mean;           /* scale, number (dash_score_has_mean) */
    long long top;         /* scale: top two points; single: good answers */
};

struct dash_flag {
    long long id, case_id, interview_id;
    char survey[64];
    char ref[64];
    char service[64];
    char agency[64];
    char kind[32];
    char question[64];
    char *text;            /* the respondent's words (owned) */
    char interviewer[64];  /* who did the interview, "" if unknown */
    time_t raised_at;
    char status[16];       /* new, seen, forwarded */
    char handled_by[64];
    time_t handled_at;
};

struct dashboard {
    time_t at;                      /* the clock used */
    struct dash_queue *queues;      /* one per survey, by name */
    int nqueues;
    struct dash_interviewer *ivs;   /* active interviewers: logged in first, then login */
    int nivs;
    struct dash_score *scores;      /* by survey, service (totals first), agency, parameter order */
    int nscores;
    struct dash_flag *flags;        /* newest first, at most DASHBOARD_FLAG_LIMIT */
    int nflags;
    long long flags_total, flags_new;
    struct quota_cell *quotas;      /* quota cells (cati/quota.h), surveys by name */
    int nquotas;
};

/* Parts of a refresh. */
#define DASH_QUEUE 1u
#define DASH_INTERVIEWERS 2u
#define DASH_SCORES 4u
#define DASH_FLAGS 8u
#define DASH_QUOTAS 16u
#define DASH_ALL 31u

/* Compute the parts in `what` for survey_id (0 = every survey) at time now,
 * in one read transaction. Score figures need dashboard_measures_sync first
 * (the monitor and reports call it). d is reset first; free it with
 * dashboard_free. Returns 0 or -1. */
int dashboard_refresh(sqlite3 *db, const struct cati_config *cfg, long long survey_id,
                      unsigned what, time_t now, struct dashboard *d, struct cati_error *err);

/* Free what a refresh allocated and zero d. Safe on a zeroed struct. */
void dashboard_free(struct dashboard *d);

/* Make sure every stored script version's measured questions are known
 * (survey_measures) and their completed interviews counted (score_sums).
 * Parses only versions not seen before; writes (one short IMMEDIATE
 * transaction) only then. *added (may be NULL) = versions analysed. */
int dashboard_measures_sync(sqlite3 *db, int *added, struct cati_error *err);

/* Flags of a survey (0 = every survey), newest first, at most limit (0 =
 * all), in one read transaction. *out is malloc'd: free with
 * dashboard_flags_free(*out, *n). */
int dashboard_flags(sqlite3 *db, long long survey_id, int limit, struct dash_flag **out, int *n,
                    struct cati_error *err);
void dashboard_flags_free(struct dash_flag *flags, int n);

/* Record that interviewer id's console is open (interviewers.last_seen_at =
 * now). The console calls it at most once a minute. 0 or -1. */
int dashboard_seen(sqlite3 *db, long long interviewer_id, time_t now, struct cati_error *err);

/* Completes per hour, the one definition (cati(1)): completes over the hours
 * worked, where each day (in [calling] timezone) an interviewer made calls
 * counts from the start of its first call to the end of its last, at least a
 * quarter hour. dashboard_worked_seconds sums those days for the calls of
 * interviewer_id started in [from, to) (of survey_id's cases when not 0);
 * dashboard_per_hour is completes / hours, < 0 when seconds is 0 (no call).
 * The monitor's COMPL/H (today) and `cati report interviewers` use both. */
#define DASHBOARD_MIN_DAY_SECONDS 900
int dashboard_worked_seconds(sqlite3 *db, const struct cati_config *cfg, long long interviewer_id,
                             long long survey_id, time_t from, time_t to, long long *seconds,
                             struct cati_error *err);
double dashboard_per_hour(long long completes, long long seconds);

/* Survey id of name; -1 with "unknown survey 'x'" (kind CATI_ERR_NOT_FOUND,
 * *id untouched) when there is none. The one lookup of a survey by name. */
int dashboard_survey_id(sqlite3 *db, const char *name, long long *id, struct cati_error *err);

/* Pause (paused = 1) or resume a survey: paused surveys offer no cases.
 * who must be a supervisor or admin (checked in the same transaction);
 * audited as who. */
int dashboard_survey_pause(sqlite3 *db, long long survey_id, int paused,
                           const struct cati_interviewer *who, struct cati_error *err);

/* Mark a flag "seen" or "forwarded", recording who (a supervisor or admin,
 * checked in the same transaction) and the time. Audited. */
int dashboard_flag_mark(sqlite3 *db, long long flag_id, const char *status,
                        const struct cati_interviewer *who,
                        struct cati_error *err);

/* One case for the monitor's case view: everything about it in full (notes
 * up to SCHEDULE_NOTE_MAX bytes, the flags' words), phone numbers as
 * dashboard_phone_shown lets the viewer see them. */
struct dash_call {
    int attempt;
    time_t started_at, ended_at;
    char interviewer[64];
    char outcome[32];
    char aapor[12];
    char note[1024];       /* whole: a note is at most 1000 bytes */
};

struct dash_phone {
    int position;          /* 1 = phone, 2 = phone2, ... */
    char shown[64];        /* the number, masked unless the viewer may see it */
    char status[32];       /* ok, or the outcome that retired it */
    int attempts;
    int current;           /* the one to dial next */
};

struct dash_case_flag {
    time_t raised_at;
    char kind[32];
    char question[64];
    char status[16];       /* new, seen, forwarded */
    char handled_by[64];
    char *text;            /* the respondent's words (owned) */
};

struct dash_case {
    long long id;
    char survey[64], ref[64], name[256], service[128], agency[256], district[128], language[16];
    char state[16];        /* new, open, final */
    char code[12];         /* final disposition, else the best code so far */
    int priority, attempts;
    time_t next_call_at, appointment_at; /* 0 = none */
    char appointment_with[64];
    int appointment_missed;
    char held_by[64];      /* "" unless an unexpired lease */
    time_t lease_until;
    long long flags;       /* flags raised on the case */
    struct dash_call *calls; /* oldest first (owned) */
    int ncalls;
    struct dash_phone *phones; /* by position (owned) */
    int nphones;
    struct dash_case_flag *raised; /* the flags, oldest first (owned) */
    int nraised;
};

/* Who sees a respondent's phone number in full: a supervisor or admin who
 * asked for personal data (`cati monitor --with-pii`, as `cati export
 * --with-pii`). Anyone else sees its last 3 digits only, every other
 * character masked with '*' ("+97517819192" -> "*********192"), enough to
 * tell a respondent's numbers apart; a number of 3 digits or fewer is all
 * masked. The one rule for the monitor's case view. Writes into buf. */
const char *dashboard_phone_shown(const char *number, const struct cati_interviewer *who, int with_pii,
                                  char *buf, size_t size);

/* Record that who (a supervisor or admin, checked) opens the monitor with
 * personal data shown: audited as "monitor with pii". 0 or -1. */
int dashboard_pii_open(sqlite3 *db, const struct cati_interviewer *who, struct cati_error *err);

/* Load case id (calls, phones, flags included) as of now, for viewer who
 * (phone numbers by dashboard_phone_shown). -1 with "unknown case N". Free
 * with dashboard_case_free. */
int dashboard_case(sqlite3 *db, long long id, time_t now, const struct cati_interviewer *who, int with_pii,
                   struct dash_case *out, struct cati_error *err);
void dashboard_case_free(struct dash_case *c);

/* The case a supervisor names: its ref (CT-2026-000002), survey/ref when the
 * ref is in more than one survey, or its number. Within survey_id when not 0.
 * A ref wins over a number. -1 with "unknown case 'x'" or "case ref 'x' is in
 * N surveys (a, b): type survey/ref". */
int dashboard_case_lookup(sqlite3 *db, const char *text, long long survey_id, long long *id,
                          struct cati_error *err);

/* Why the case's actions (release, priority, appointment) are refused: a
 * final case is read-only. NULL when they are allowed. Writes into buf. */
const char *dashboard_case_readonly(const struct dash_case *c, char *buf, size_t size);

/* AAPOR category counts and rates of one survey from its queue figures
 * (final cases under their code, open ones under their best code so far):
 * the same numbers as report_rates. e in 0..1, or < 0 to estimate it. */
void dashboard_rates(const struct dash_queue *q, double e, struct disposition_counts *counts,
                     struct disposition_rates *rates);

/* Derived figures. share: top / n as a fraction, < 0 when n == 0 or the
 * kind has none. */
double dash_score_share(const struct dash_score *s);
int dash_score_has_mean(const struct dash_score *s); /* scale, number with n > 0 */

/* The answers (values) of completed, live interviews of survey_id to the
 * text question that measures a parameter, oldest first; at most limit
 * (the newest), or all when limit <= 0. *out is an array of *n strings,
 * freed with dashboard_text_answers_free. */
int dashboard_text_answers(sqlite3 *db, long long survey_id, const char *question, int limit,
                           char ***out, int *n, struct cati_error *err);
void dashboard_text_answers_free(char **answers, int n);
const char *dash_kind_name(enum dash_kind k);

#endif
