/* Dashboard: every figure the monitor shows, on a database built by hand,
 * compared with values worked out by hand (the comments show the sums). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cati/account.h"
#include "cati/config.h"
#include "cati/dashboard.h"
#include "cati/db.h"
#include "cati/interview.h"
#include "cati/report.h"
#include "cati/schedule.h"
#include "cati/script.h"
#include "cati/util.h"

/* 2024-03-04 10:30:30 in Asia/Thimphu (the default [calling] timezone). */
#define NOW 1709526630LL

static char dir[64];
static sqlite3 *db;
static struct cati_config cfg;
static const struct cati_interviewer amy_ = {.id = 11, .login = "amy", .role = ROLE_INTERVIEWER, .active = 1};
static const struct cati_interviewer sue = {.id = 16, .login = "sue", .role = ROLE_SUPERVISOR, .active = 1};

/* Run SQL with every "@" replaced by NOW (test fixtures only). */
static void run(const char *sql)
{
    char buf[8192], *o = buf;
    for (const char *s = sql; *s; s++) {
        if (*s == '@')
            o += snprintf(o, sizeof buf - (size_t)(o - buf), "%lld", NOW);
        else
            *o++ = *s;
    }
    *o = '\0';
    struct cati_error err;
    if (db_exec(db, buf, &err) < 0)
        fail_msg("%s: %s", err.msg, buf);
}

static long long q1(const char *sql)
{
    struct cati_error err;
    long long v = -1;
    assert_int_equal(db_int(db, sql, NULL, 0, -1, &v, &err), 0);
    return v;
}

static const char *fixture =
    "INSERT INTO surveys(id, name, paused, created_at, uuid) VALUES"
    " (1, 'alpha', 0, 0, 's1'), (2, 'beta', 1, 0, 's2');"
    "INSERT INTO survey_versions(id, survey_id, version, source, loaded_at, uuid) VALUES"
    " (1, 1, 1, '', 0, 'v1'), (2, 2, 1, '', 0, 'v2');"
    "INSERT INTO interviewers(id, login, name, role, active, created_at, last_seen_at) VALUES"
    " (11, 'amy', 'Amy', 'interviewer', 1, 0, @-60),"
    " (12, 'bob', 'Bob', 'interviewer', 1, 0, @-7200),"
    " (13, 'cat', 'Cat', 'interviewer', 1, 0, @-60),"
    " (14, 'dan', 'Dan', 'interviewer', 0, 0, @-10),"
    " (15, 'eve', 'Eve', 'interviewer', 1, 0, NULL),"
    " (16, 'sue', 'Sue', 'supervisor', 1, 0, NULL);"
    /* measured questions of alpha v1 */
    "INSERT INTO survey_measures VALUES (1, 'access', 'accessibility', 'scale', 1, 5, ''),"
    " (1, 'days', 'timeliness', 'number', 0, 365, ''), (1, 'bribe', 'integrity', 'single', 0, 0, ',2,'),"
    " (1, 'feedback', 'feedback', 'scale', 1, 5, ''), (1, 'comment', 'feedback', 'text', 0, 0, '');"
    "INSERT INTO survey_measures_done VALUES (1), (2);"
    "INSERT INTO cases(id, uuid, survey_id, ref, name, service, agency, state, next_call_at,"
    " appointment_at, appointment_missed, claimed_by, lease_until, interim_code, disposition,"
    " created_at, updated_at) VALUES"
    " (1, 'c1', 1, 'R1', 'n', 'cid', 'DCRC', 'new', 0, NULL, 0, NULL, NULL, '3.11', NULL, 0, 0),"
    " (2, 'c2', 1, 'R2', 'n', 'cid', 'DCRC', 'new', 0, NULL, 0, 11, @+900, '3.11', NULL, 0, 0),"
    " (3, 'c3', 1, 'R3', 'n', 'cid', 'DCRC', 'open', @-100, NULL, 0, NULL, NULL, '3.13', NULL, 0, 0),"
    " (4, 'c4', 1, 'R4', 'n', 'cid', 'DCRC', 'open', @, NULL, 0, NULL, NULL, '3.13', NULL, 0, 0),"
    " (5, 'c5', 1, 'R5', 'n', 'cid', 'DCRC', 'open', @+10, NULL, 0, NULL, NULL, '3.12', NULL, 0, 0),"
    " (6, 'c6', 1, 'R6', 'n', 'cid', 'DCRC', 'open', @+3600, @+1800, 0, NULL, NULL, '2.21', NULL, 0, 0),"
    " (7, 'c7', 1, 'R7', 'n', 'cid', 'DCRC', 'open', @-7200, @-7200, 0, NULL, NULL, '2.21', NULL, 0, 0),"
    " (8, 'c8', 1, 'R8', 'n', 'cid', 'DCRC', 'open', @-50, NULL, 0, 12, @-10, '3.13', NULL, 0, 0),"
    " (9, 'c9', 1, 'R9', 'n', 'cid', 'DCRC', 'final', 0, NULL, 0, NULL, NULL, '1.1', '1.1', 0, 0),"
    " (10, 'c10', 1, 'R10', 'n', 'cid', 'DCRC', 'final', 0, NULL, 0, NULL, NULL, '1.1', '1.1', 0, 0),"
    " (11, 'c11', 1, 'R11', 'n', 'cid', 'DCRC', 'final', 0, @-600, 0, NULL, NULL, '2.12', '2.12', 0, 0),"
    " (12, 'c12', 1, 'R12', 'n', 'census', 'DoI', 'open', @-5000, NULL, 0, 13, @+100, '3.13', NULL, 0, 0),"
    " (13, 'c13', 2, 'R13', 'n', '', '', 'new', 0, NULL, 0, NULL, NULL, '3.11', NULL, 0, 0),"
    " (14, 'c14', 2, 'R14', 'n', '', '', 'final', 0, NULL, 0, NULL, NULL, '4.70', '4.70', 0, 0),"
    " (15, 'c15', 1, 'R15', 'n', 'census', 'DoI', 'final', 0, NULL, 0, NULL, NULL, '1.1', '1.1', 0, 0);"
    "INSERT INTO calls(uuid, case_id, attempt, interviewer_id, started_at, ended_at, phone_pos,"
    " number, outcome, aapor, updated_at) VALUES"
    " ('k1', 9, 1, 11, @-3600, @-3300, 1, '+975', 'complete', '1.1', 0),"
    " ('k2', 3, 1, 11, @-3000, @-2990, 1, '+975', 'no-answer', '3.13', 0),"
    " ('k3', 11, 1, 11, @-1800, @-1790, 1, '+975', 'refusal', '2.11', 0),"
    " ('k4', 4, 1, 11, @-86400, @-86300, 1, '+975', 'complete', '1.1', 0),"
    " ('k5', 5, 1, 12, @-7000, @-6990, 1, '+975', 'busy', '3.12', 0);"
    /* interviews start in progress; completing them fires the score triggers */
    "INSERT INTO interviews(id, uuid, case_id, survey_version_id, interviewer_id, started_at,"
    " updated_at) VALUES (1, 'i1', 9, 1, 11, @-3500, @-3400), (2, 'i2', 10, 1, 11, @-3000, @-120),"
    " (3, 'i3', 11, 1, 11, @-1800, @-1790), (4, 'i4', 15, 1, 13, @-9000, @-8000);"
    "INSERT INTO answers(uuid, interview_id, question, status, value, on_route, seq, answered_at,"
    " updated_at) VALUES"
    " ('a1', 1, 'access', 'value', '5', 1, 1, 0, 0), ('a2', 1, 'days', 'value', '10', 1, 2, 0, 0),"
    " ('a3', 1, 'bribe', 'value', '2', 1, 3, 0, 0),"
    " ('a4', 2, 'access', 'value', '3', 1, 1, 0, 0), ('a5', 2, 'days', 'value', '30', 1, 2, 0, 0),"
    " ('a6', 2, 'bribe', 'value', '1', 1, 3, 0, 0),"
    " ('a7', 3, 'access', 'value', '1', 1, 1, 0, 0),"
    " ('a8', 4, 'access', 'value', '4', 1, 1, 0, 0), ('a9', 4, 'days', 'dk', '', 1, 2, 0, 0),"
    " ('a10', 4, 'bribe', 'value', '2', 1, 3, 0, 0), ('a11', 4, 'reason', 'value', 'x', 1, 4, 0, 0),"
    " ('a12', 4, 'feedback', 'value', '1', 0, 5, 0, 0),"
    " ('a14', 1, 'comment', 'value', 'Too slow', 1, 6, 0, 0), ('a15', 2, 'comment', 'dk', '', 1, 6, 0, 0),"
    " ('a16', 4, 'comment', 'value', 'Kind staff', 1, 6, 0, 0), ('a17', 3, 'comment', 'value', 'no', 1, 6, 0, 0);"
    "UPDATE interviews SET outcome = 'complete', completed_at = updated_at WHERE id IN (1, 2, 4);"
    "UPDATE interviews SET outcome = 'breakoff' WHERE id = 3;"
    "INSERT INTO flags(id, uuid, interview_id, case_id, kind, question, text, raised_at, updated_at)"
    " VALUES (1, 'f1', 2, 10, 'integrity', 'bribe', 'Yes', @-300, 0),"
    " (2, 'f2', 3, 11, 'complaint', 'access_why', 'They made me come back three times', @-100, 0),"
    " (3, 'f3', NULL, 13, 'complaint', 'q', 'Rude staff', @-50, 0);";

static int setup(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/dash.db", dir);
    unlink(path);
    struct cati_error err;
    int created;
    if (db_open(path, DB_OPEN_CREATE, 1000, &db, &err) < 0 || db_migrate(db, &created, &err) < 0)
        return -1;
    config_defaults(&cfg);
    run(fixture);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    db = NULL;
    return 0;
}

static const struct dash_queue *queue_named(const struct dashboard *d, const char *name)
{
    for (int i = 0; i < d->nqueues; i++)
        if (!strcmp(d->queues[i].survey, name))
            return &d->queues[i];
    fail_msg("no queue %s", name);
    return NULL;
}

static long long code_n(const struct dash_code *list, int n, const char *code)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(list[i].code, code))
            return list[i].n;
    return 0;
}

static void test_queue(void **state)
{
    (void)state;
    struct dashboard d = {0};
    struct cati_error err;
    assert_int_equal(dashboard_refresh(db, &cfg, 0, DASH_QUEUE, NOW, &d, &err), 0);
    assert_int_equal(d.nqueues, 2);
    const struct dash_queue *a = queue_named(&d, "alpha");
    /* 13 cases: in use 2 and 12; not called 1; due 3, 4 (this minute), 7, 8
     * (lease ended); waiting 5 (later this minute), 6; final 9, 10, 11, 15 */
    assert_int_equal(a->total, 13);
    assert_int_equal(a->in_use, 2);
    assert_int_equal(a->not_called, 1);
    assert_int_equal(a->due, 4);
    assert_int_equal(a->waiting, 2);
    assert_int_equal(a->final, 4);
    assert_int_equal(a->paused, 0);
    assert_int_equal(a->nfinals, 2);
    assert_string_equal(a->finals[0].code, "1.1");
    assert_int_equal(a->finals[0].n, 3);
    assert_string_equal(a->finals[1].code, "2.12");
    assert_int_equal(a->finals[1].n, 1);
    /* best code so far over every case */
    assert_int_equal(code_n(a->all, a->nall, "3.11"), 2);
    assert_int_equal(code_n(a->all, a->nall, "3.13"), 4);
    assert_int_equal(code_n(a->all, a->nall, "2.21"), 2);
    assert_int_equal(code_n(a->all, a->nall, "3.12"), 1);
    /* appointments: 6 at 11:00 and 7 at 08:30 are today; 6 within the hour;
     * 7 is 2 h late (> missed_minutes 60); 11 is final and does not count */
    assert_int_equal(a->appt_today, 2);
    assert_int_equal(a->appt_hour, 1);
    assert_int_equal(a->appt_missed, 1);
    const struct dash_queue *b = queue_named(&d, "beta");
    assert_int_equal(b->paused, 1);
    assert_int_equal(b->total, 2);
    assert_int_equal(b->not_called, 1);
    assert_int_equal(b->final, 1);
    assert_string_equal(b->finals[0].code, "4.70");
    dashboard_free(&d);

    /* the counters follow updates: 5 is called and finalised, 3 moves on */
    run("UPDATE cases SET state = 'final', disposition = '2.11', interim_code = '2.11' WHERE id = 5;"
        "UPDATE cases SET next_call_at = @+600 WHERE id = 3;"
        "UPDATE cases SET state = 'open', next_call_at = @-1 WHERE id = 1;"
        "DELETE FROM flags WHERE case_id = 13; DELETE FROM cases WHERE id = 13;");
    assert_int_equal(dashboard_refresh(db, &cfg, 1, DASH_QUEUE, NOW, &d, &err), 0);
    assert_int_equal(d.nqueues, 1);
    a = &d.queues[0];
    assert_int_equal(a->not_called, 0);
    assert_int_equal(a->due, 4);     /* 1, 4, 7, 8 */
    assert_int_equal(a->waiting, 2); /* 3, 6 */
    assert_int_equal(a->final, 5);
    assert_int_equal(code_n(a->finals, a->nfinals, "2.11"), 1);
    assert_int_equal(code_n(a->all, a->nall, "3.12"), 0);
    dashboard_free(&d);
    /* an hour later 3 and 6 are due, 6's appointment is past */
    assert_int_equal(dashboard_refresh(db, &cfg, 1, DASH_QUEUE, NOW + 3600, &d, &err), 0);
    assert_int_equal(d.queues[0].due, 7); /* every open case: 1, 3, 4, 6, 7, 8, 12 */
    assert_int_equal(d.queues[0].waiting, 0);
    assert_int_equal(d.queues[0].in_use, 0); /* both leases ran out */
    assert_int_equal(d.queues[0].appt_hour, 0);
    dashboard_free(&d);
    assert_int_equal(q1("SELECT count(*) FROM case_counts WHERE survey_id = 2 AND n <> 0"), 1);
}

static const struct dash_interviewer *iv_named(const struct dashboard *d, const char *login)
{
    for (int i = 0; i < d->nivs; i++)
        if (!strcmp(d->ivs[i].login, login))
            return &d->ivs[i];
    return NULL;
}

static void test_interviewers(void **state)
{
    (void)state;
    struct dashboard d = {0};
    struct cati_error err;
    assert_int_equal(dashboard_refresh(db, &cfg, 0, DASH_INTERVIEWERS, NOW, &d, &err), 0);
    assert_int_equal(d.nivs, 5); /* dan is disabled; sue is a supervisor */
    /* logged in first (amy, cat), then by login */
    assert_string_equal(d.ivs[0].login, "amy");
    assert_string_equal(d.ivs[1].login, "cat");
    assert_string_equal(d.ivs[2].login, "bob");
    assert_string_equal(d.ivs[3].login, "eve");
    assert_string_equal(d.ivs[4].login, "sue");
    const struct dash_interviewer *amy = iv_named(&d, "amy");
    /* today: complete, no-answer, refusal (yesterday's call does not count) */
    assert_int_equal(amy->calls, 3);
    assert_int_equal(amy->contacts, 2);
    assert_int_equal(amy->completes, 1);
    assert_int_equal(amy->refusals, 1);
    assert_int_equal(amy->logged_in, 1);
    assert_int_equal(amy->case_id, 2);
    assert_string_equal(amy->case_ref, "R2");
    assert_int_equal(amy->case_since, NOW + 900 - 20 * 60); /* lease 20 min */
    assert_int_equal(amy->last_work, NOW - 120);            /* interview 2 updated */
    assert_int_equal(amy->idle, 0);
    /* 1 complete over the hours worked today: from the start of the first
     * call (an hour ago) to the end of the last (1790 s ago): 1810 s */
    assert_true(fabs(amy->per_hour - 3600.0 / 1810.0) < 1e-9);
    const struct dash_interviewer *bob = iv_named(&d, "bob");
    assert_int_equal(bob->logged_in, 0); /* last seen at his call, 2 h ago */
    assert_int_equal(bob->last_seen, NOW - 6990);
    assert_int_equal(bob->calls, 1);
    assert_int_equal(bob->contacts, 0);
    assert_int_equal(bob->case_id, 0); /* his lease on 8 ran out */
    assert_true(fabs(bob->per_hour - 0.0) < 1e-9);
    const struct dash_interviewer *cat = iv_named(&d, "cat");
    /* holds 12 since 18 min 20 s, no call, last interview 8000 s ago: idle */
    assert_int_equal(cat->logged_in, 1);
    assert_int_equal(cat->case_id, 12);
    assert_int_equal(cat->last_work, NOW + 100 - 1200);
    assert_int_equal(cat->idle, 1);
    assert_true(cat->per_hour < 0);
    const struct dash_interviewer *eve = iv_named(&d, "eve");
    assert_int_equal(eve->logged_in, 0);
    dashboard_free(&d);
    /* the time on a case comes from claimed_at when the queue recorded it */
    run("UPDATE cases SET claimed_at = @-400 WHERE id = 2;");
    assert_int_equal(dashboard_refresh(db, &cfg, 0, DASH_INTERVIEWERS, NOW, &d, &err), 0);
    assert_int_equal(iv_named(&d, "amy")->case_since, NOW - 400);
    eve = iv_named(&d, "eve");
    assert_int_equal(eve->logged_in, 0);
    assert_int_equal(eve->idle, 0);
    assert_int_equal(eve->last_seen, 0);
    dashboard_free(&d);

    /* "today" starts at midnight in [calling] timezone, also off the hour:
     * in Kolkata (UTC+5:30) it is 10:00:30, midnight was 36030 s ago; in
     * Thimphu it is 10:30:30, midnight was 37830 s ago */
    run("INSERT INTO calls(uuid, case_id, attempt, interviewer_id, started_at, ended_at, phone_pos,"
        " number, outcome, aapor, updated_at) VALUES"
        " ('k6', 1, 1, 15, @-36000, @-35990, 1, '+975', 'busy', '3.12', 0),"
        " ('k7', 1, 2, 15, @-36060, @-36050, 1, '+975', 'busy', '3.12', 0);");
    assert_int_equal(dashboard_refresh(db, &cfg, 0, DASH_INTERVIEWERS, NOW, &d, &err), 0);
    assert_int_equal(iv_named(&d, "eve")->calls, 2);
    assert_int_equal(iv_named(&d, "amy")->calls, 3);
    dashboard_free(&d);
    cati_strlcpy(cfg.timezone, "Asia/Kolkata", sizeof cfg.timezone);
    assert_int_equal(dashboard_refresh(db, &cfg, 0, DASH_INTERVIEWERS, NOW, &d, &err), 0);
    assert_int_equal(iv_named(&d, "eve")->calls, 1);
    assert_int_equal(iv_named(&d, "amy")->calls, 3);
    assert_int_equal(iv_named(&d, "amy")->completes, 1);
    dashboard_free(&d);
}

/* service NULL: the survey's total row */
static void test_rates(void **state)
{
    (void)state;
    struct dashboard d = {0};
    struct cati_error err;
    assert_int_equal(dashboard_refresh(db, &cfg, 0, DASH_QUEUE, NOW, &d, &err), 0);
    for (int i = 0; i < d.nqueues; i++) {
        struct disposition_counts c;
        struct disposition_rates r;
        dashboard_rates(&d.queues[i], cfg.rates_e, &c, &r);
        struct report_rates want;
        assert_int_equal(report_rates(db, d.queues[i].survey_id, cfg.rates_e, &want, &err), 0);
        for (int k = 0; k < CAT_COUNT; k++)
            assert_int_equal(c.n[k], want.counts.n[k]);
        assert_int_equal(r.e_defined, want.rates.e_defined);
        for (int k = 0; k < RATE_COUNT; k++) {
            assert_int_equal(r.rate[k].defined, want.rates.rate[k].defined);
            assert_true(fabs(r.rate[k].value - want.rates.rate[k].value) < 1e-12);
        }
        report_rates_free(&want);
    }
    /* alpha by hand: I 3 (1.1), R 1 (2.12), NC 2 (2.21), UH 7 (3.11 x2,
     * 3.13 x4, 3.12); e = 6/6 */
    struct disposition_counts c;
    struct disposition_rates r;
    dashboard_rates(queue_named(&d, "alpha"), -1, &c, &r);
    assert_int_equal(c.n[CAT_I], 3);
    assert_int_equal(c.n[CAT_R], 1);
    assert_int_equal(c.n[CAT_NC], 2);
    assert_int_equal(c.n[CAT_UH], 7);
    assert_true(fabs(r.rate[RATE_RR1].value - 3.0 / 13) < 1e-12);
    assert_true(fabs(r.rate[RATE_RR3].value - 3.0 / 13) < 1e-12);
    assert_true(fabs(r.rate[RATE_COOP1].value - 3.0 / 4) < 1e-12);
    assert_true(fabs(r.rate[RATE_REF1].value - 1.0 / 13) < 1e-12);
    assert_true(fabs(r.rate[RATE_CON1].value - 4.0 / 13) < 1e-12);
    dashboard_free(&d);
}

/* The console marks its interviewer seen: logged in, ready, then idle after
 * [monitor] idle_minutes without work; a new session starts the clock again. */
static void test_seen(void **state)
{
    (void)state;
    struct dashboard d = {0};
    struct cati_error err;
    assert_int_equal(dashboard_seen(db, 15, NOW - 300, &err), 0);
    assert_int_equal(dashboard_seen(db, 15, NOW - 60, &err), 0); /* same session */
    assert_int_equal(q1("SELECT seen_since FROM interviewers WHERE id = 15"), NOW - 300);
    assert_int_equal(dashboard_refresh(db, &cfg, 0, DASH_INTERVIEWERS, NOW, &d, &err), 0);
    const struct dash_interviewer *eve = iv_named(&d, "eve");
    assert_int_equal(eve->logged_in, 1);
    assert_int_equal(eve->idle, 0);
    assert_int_equal(eve->last_seen, NOW - 60);
    assert_int_equal(eve->idle_since, NOW - 300);
    dashboard_free(&d);
    /* 10 minutes after the session began, still nothing done */
    assert_int_equal(dashboard_refresh(db, &cfg, 0, DASH_INTERVIEWERS, NOW + 300, &d, &err), 0);
    assert_int_equal(iv_named(&d, "eve")->idle, 1);
    dashboard_free(&d);
    /* a call 2 minutes ago: busy again */
    run("INSERT INTO calls(uuid, case_id, attempt, interviewer_id, started_at, ended_at, phone_pos,"
        " number, outcome, aapor, updated_at) VALUES ('k9', 1, 1, 15, @+120, @+180, 1, '+975', 'busy',"
        " '3.12', 0);");
    assert_int_equal(dashboard_refresh(db, &cfg, 0, DASH_INTERVIEWERS, NOW + 300, &d, &err), 0);
    assert_int_equal(iv_named(&d, "eve")->idle, 0);
    assert_int_equal(iv_named(&d, "eve")->idle_since, NOW + 180);
    dashboard_free(&d);
    /* back after an hour away: a new session */
    assert_int_equal(dashboard_seen(db, 15, NOW + 4000, &err), 0);
    assert_int_equal(q1("SELECT seen_since FROM interviewers WHERE id = 15"), NOW + 4000);
}

static const struct dash_score *score_of(const struct dashboard *d, const char *service,
                                         const char *question)
{
    for (int i = 0; i < d->nscores; i++)
        if ((service ? !d->scores[i].all && !strcmp(d->scores[i].service, service) : d->scores[i].all) &&
            !strcmp(d->scores[i].question, question))
            return &d->scores[i];
    return NULL;
}

static void test_scores(void **state)
{
    (void)state;
    struct dashboard d = {0};
    struct cati_error err;
    assert_int_equal(dashboard_refresh(db, &cfg, 0, DASH_SCORES, NOW, &d, &err), 0);
    /* totals: access 5, 3, 4 (the breakoff's 1 does not count) */
    const struct dash_score *s = score_of(&d, NULL, "access");
    assert_non_null(s);
    assert_int_equal(s->n, 3);
    assert_true(fabs(s->mean - 4.0) < 1e-9);
    assert_int_equal(s->top, 2);
    assert_true(fabs(dash_score_share(s) - 2.0 / 3.0) < 1e-9);
    assert_string_equal(s->parameter, "accessibility");
    assert_int_equal(s->kind, DASH_SCALE);
    assert_int_equal(s->lo, 1);
    assert_int_equal(s->hi, 5);
    s = score_of(&d, "cid", "access");
    assert_string_equal(s->agency, "DCRC");
    assert_int_equal(s->n, 2);
    assert_int_equal(s->top, 1);
    assert_true(fabs(s->mean - 4.0) < 1e-9);
    s = score_of(&d, "census", "access");
    assert_int_equal(s->n, 1);
    assert_int_equal(s->top, 1);
    /* days: a number, 10 and 30; census answered don't know */
    s = score_of(&d, NULL, "days");
    assert_int_equal(s->n, 2);
    assert_true(fabs(s->mean - 20.0) < 1e-9);
    assert_true(dash_score_share(s) < 0);
    /* census answered only don't know: shown with n 0, no mean (issue 11) */
    s = score_of(&d, "census", "days");
    assert_non_null(s);
    assert_int_equal(s->n, 0);
    assert_false(dash_score_has_mean(s));
    /* a text question that measures a parameter: counted, listed, no mean
     * (the breakoff's answer and the don't know are left out) */
    s = score_of(&d, NULL, "comment");
    assert_non_null(s);
    assert_int_equal(s->kind, DASH_TEXT);
    assert_string_equal(dash_kind_name(s->kind), "text");
    assert_int_equal(s->n, 2);
    assert_false(dash_score_has_mean(s));
    assert_true(dash_score_share(s) < 0);
    char **ans;
    int na;
    assert_int_equal(dashboard_text_answers(db, 1, "comment", 0, &ans, &na, &err), 0);
    assert_int_equal(na, 2);
    assert_string_equal(ans[0], "Kind staff"); /* completed first (@-8000) */
    assert_string_equal(ans[1], "Too slow");
    dashboard_text_answers_free(ans, na);
    assert_int_equal(dashboard_text_answers(db, 1, "comment", 1, &ans, &na, &err), 0);
    assert_int_equal(na, 1);
    assert_string_equal(ans[0], "Too slow"); /* the newest one */
    dashboard_text_answers_free(ans, na);
    /* bribe: good = 2 ("No") in 2 of 3 */
    s = score_of(&d, NULL, "bribe");
    assert_int_equal(s->kind, DASH_SINGLE);
    assert_int_equal(s->n, 3);
    assert_int_equal(s->top, 2);
    /* the unmeasured and the off-route answers do not appear */
    assert_null(score_of(&d, NULL, "reason"));
    assert_null(score_of(&d, NULL, "feedback"));
    /* order: totals first, parameters in the five's order */
    assert_int_equal(d.scores[0].all, 1);
    assert_string_equal(d.scores[0].service, "");
    assert_string_equal(d.scores[0].parameter, "accessibility");
    assert_string_equal(d.scores[1].parameter, "timeliness");
    assert_string_equal(d.scores[2].parameter, "integrity");
    dashboard_free(&d);

    /* changing a completed answer moves the sums; reopening an interview
     * takes it out; answers added to a completed interview go in */
    run("UPDATE answers SET value = '4' WHERE uuid = 'a4';"
        "UPDATE interviews SET outcome = NULL WHERE id = 4;"
        "UPDATE answers SET status = 'rf', value = '' WHERE uuid = 'a2';"
        "INSERT INTO answers(uuid, interview_id, question, value, seq, answered_at, updated_at)"
        " VALUES ('a13', 3, 'days', '7', 2, 0, 0);"
        "UPDATE interviews SET outcome = 'complete' WHERE id = 3;"
        "DELETE FROM answers WHERE uuid = 'a3';");
    assert_int_equal(dashboard_refresh(db, &cfg, 1, DASH_SCORES, NOW, &d, &err), 0);
    s = score_of(&d, NULL, "access"); /* 5 -> interview 1; 4 (was 3); 1 (interview 3) */
    assert_int_equal(s->n, 3);
    assert_int_equal(s->top, 2);
    assert_true(fabs(s->mean - 10.0 / 3.0) < 1e-9);
    s = score_of(&d, NULL, "days"); /* 30 and 7 */
    assert_int_equal(s->n, 2);
    assert_true(fabs(s->mean - 18.5) < 1e-9);
    s = score_of(&d, NULL, "bribe"); /* only interview 2's "Yes" is left */
    assert_int_equal(s->n, 1);
    assert_int_equal(s->top, 0);
    s = score_of(&d, "census", "access"); /* its only interview reopened: n 0 */
    assert_int_equal(s->n, 0);
    dashboard_free(&d);
}

static void test_flags(void **state)
{
    (void)state;
    struct dashboard d = {0};
    struct cati_error err;
    assert_int_equal(dashboard_refresh(db, &cfg, 0, DASH_FLAGS, NOW, &d, &err), 0);
    assert_int_equal(d.nflags, 3);
    assert_int_equal(d.flags_total, 3);
    assert_int_equal(d.flags_new, 3);
    assert_int_equal(d.flags[0].id, 3); /* newest first */
    assert_int_equal(d.flags[1].id, 2);
    assert_int_equal(d.flags[2].id, 1);
    assert_string_equal(d.flags[1].text, "They made me come back three times");
    assert_string_equal(d.flags[1].ref, "R11");
    assert_string_equal(d.flags[1].survey, "alpha");
    assert_string_equal(d.flags[1].interviewer, "amy");
    assert_string_equal(d.flags[0].interviewer, "");
    assert_string_equal(d.flags[2].service, "cid");
    dashboard_free(&d);

    cati_clock_set((time_t)NOW + 5);
    assert_int_equal(dashboard_flag_mark(db, 1, "seen", &sue, &err), 0);
    assert_int_equal(dashboard_flag_mark(db, 2, "forwarded", &sue, &err), 0);
    assert_int_equal(dashboard_flag_mark(db, 2, "new", &sue, &err), -1);
    assert_non_null(strstr(err.msg, "invalid flag status"));
    assert_int_equal(dashboard_flag_mark(db, 99, "seen", &sue, &err), -1);
    assert_non_null(strstr(err.msg, "unknown flag 99"));
    assert_int_equal(dashboard_flag_mark(db, 1, "forwarded", &amy_, &err), -1); /* not a supervisor */
    assert_int_equal(err.kind, CATI_ERR_ROLE);
    assert_int_equal(dashboard_flag_mark(db, 99, "seen", &sue, &err), -1);
    assert_non_null(strstr(err.msg, "unknown flag 99"));
    cati_clock_set(0);
    assert_int_equal(dashboard_refresh(db, &cfg, 1, DASH_FLAGS, NOW, &d, &err), 0);
    assert_int_equal(d.nflags, 2);
    assert_int_equal(d.flags_total, 2);
    assert_int_equal(d.flags_new, 0);
    assert_string_equal(d.flags[1].status, "seen");
    assert_string_equal(d.flags[1].handled_by, "sue");
    assert_int_equal(d.flags[1].handled_at, NOW + 5);
    assert_string_equal(d.flags[0].status, "forwarded");
    dashboard_free(&d);
    assert_int_equal(q1("SELECT count(*) FROM audit WHERE login = 'sue' AND action = 'flag mark'"), 2);
    assert_int_equal(q1("SELECT count(*) FROM audit WHERE detail = 'flag 2 forwarded'"), 1);
}

static void test_pause(void **state)
{
    (void)state;
    struct cati_error err;
    long long id;
    assert_int_equal(dashboard_survey_id(db, "alpha", &id, &err), 0);
    assert_int_equal(id, 1);
    assert_int_equal(dashboard_survey_id(db, "nope", &id, &err), -1);
    assert_string_equal(err.msg, "unknown survey 'nope'");
    assert_int_equal(dashboard_survey_pause(db, 1, 1, &sue, &err), 0);
    assert_int_equal(q1("SELECT paused FROM surveys WHERE id = 1"), 1);
    assert_int_equal(dashboard_survey_pause(db, 2, 0, &sue, &err), 0);
    assert_int_equal(q1("SELECT paused FROM surveys WHERE id = 2"), 0);
    assert_int_equal(dashboard_survey_pause(db, 7, 0, &sue, &err), -1);
    assert_int_equal(dashboard_survey_pause(db, 2, 1, &amy_, &err), -1); /* not a supervisor */
    assert_int_equal(err.kind, CATI_ERR_ROLE);
    assert_int_equal(q1("SELECT paused FROM surveys WHERE id = 2"), 0);
    assert_int_equal(q1("SELECT count(*) FROM audit WHERE action = 'survey pause' AND detail = 'alpha'"), 1);
    assert_int_equal(q1("SELECT count(*) FROM audit WHERE action = 'survey resume' AND detail = 'beta'"), 1);
    /* the refresh left no transaction open; it has the quota cells of the
     * surveys shown (quota_cells, tested in test_quota.c) */
    struct dashboard d = {0};
    cfg.nquotas = 1;
    cfg.quotas[0] = (struct cati_quota){.field = "service", .value = "X", .limit = 1};
    assert_int_equal(dashboard_refresh(db, &cfg, 0, DASH_ALL, NOW, &d, &err), 0);
    assert_int_equal(sqlite3_get_autocommit(db), 1);
    assert_int_equal(d.nquotas, d.nqueues);
    assert_string_equal(d.quotas[0].survey, d.queues[0].survey);
    assert_int_equal(d.quotas[0].remaining, 1);
    dashboard_free(&d);
    assert_int_equal(dashboard_refresh(db, &cfg, 2, DASH_ALL, NOW, &d, &err), 0);
    assert_int_equal(d.nquotas, 1);
    assert_int_equal(d.quotas[0].survey_id, 2);
    dashboard_free(&d);
    cfg.nquotas = 0;
}

static void test_case(void **state)
{
    (void)state;
    struct dash_case c;
    struct cati_error err;
    run("UPDATE cases SET appointment_with = 11, priority = 4 WHERE id = 6;");
    assert_int_equal(dashboard_case(db, 6, NOW, &sue, 1, &c, &err), 0);
    assert_string_equal(c.survey, "alpha");
    assert_string_equal(c.ref, "R6");
    assert_string_equal(c.state, "open");
    assert_string_equal(c.code, "2.21");
    assert_int_equal(c.priority, 4);
    assert_int_equal(c.appointment_at, NOW + 1800);
    assert_string_equal(c.appointment_with, "amy");
    assert_string_equal(c.held_by, "");
    assert_int_equal(c.ncalls, 0);
    dashboard_case_free(&c);
    assert_int_equal(dashboard_case(db, 11, NOW, &sue, 1, &c, &err), 0);
    assert_string_equal(c.code, "2.12");
    assert_int_equal(c.ncalls, 1);
    assert_string_equal(c.calls[0].outcome, "refusal");
    assert_string_equal(c.calls[0].interviewer, "amy");
    assert_int_equal(c.calls[0].started_at, NOW - 1800);
    assert_int_equal(c.flags, 1);
    dashboard_case_free(&c);
    assert_int_equal(dashboard_case(db, 2, NOW, &sue, 1, &c, &err), 0);
    assert_string_equal(c.held_by, "amy");
    dashboard_case_free(&c);
    assert_int_equal(dashboard_case(db, 8, NOW, &sue, 1, &c, &err), 0);
    assert_string_equal(c.held_by, ""); /* bob's lease ran out */
    dashboard_case_free(&c);
    assert_int_equal(dashboard_case(db, 999, NOW, &sue, 1, &c, &err), -1);
    assert_string_equal(err.msg, "unknown case 999");
    assert_int_equal(sqlite3_get_autocommit(db), 1);
}

/* the case view's phone numbers: whole only for a supervisor or admin who
 * asked for personal data; otherwise the last 3 digits */
static void test_phone_shown(void **state)
{
    (void)state;
    char buf[64];
    static const struct cati_interviewer adm = {.id = 17, .login = "ann", .role = ROLE_ADMIN, .active = 1};
    static const struct cati_interviewer gone = {.id = 18, .login = "old", .role = ROLE_SUPERVISOR, .active = 0};
    assert_string_equal(dashboard_phone_shown("+97517819192", &sue, 0, buf, sizeof buf), "*********192");
    assert_string_equal(dashboard_phone_shown("+97517819192", &sue, 1, buf, sizeof buf), "+97517819192");
    assert_string_equal(dashboard_phone_shown("+97517819192", &adm, 1, buf, sizeof buf), "+97517819192");
    assert_string_equal(dashboard_phone_shown("+97517819192", &adm, 0, buf, sizeof buf), "*********192");
    assert_string_equal(dashboard_phone_shown("+97517819192", &amy_, 1, buf, sizeof buf), "*********192");
    assert_string_equal(dashboard_phone_shown("+97517819192", &gone, 1, buf, sizeof buf), "*********192");
    assert_string_equal(dashboard_phone_shown("+97517819192", NULL, 1, buf, sizeof buf), "*********192");
    assert_string_equal(dashboard_phone_shown("123", &sue, 0, buf, sizeof buf), "***"); /* all of it: masked */
    assert_string_equal(dashboard_phone_shown("1234", &sue, 0, buf, sizeof buf), "*234");
    assert_string_equal(dashboard_phone_shown("", &sue, 0, buf, sizeof buf), "");
    assert_string_equal(dashboard_phone_shown("+97517819192", &sue, 0, buf, 5), "****"); /* cut, still masked */
    /* dashboard_case applies it to every number of the case */
    run("INSERT INTO phones(case_id, position, number, status) VALUES (6, 1, '+97517819192', 'non-working'),"
        " (6, 2, '+97577085639', 'ok'); UPDATE cases SET phone_pos = 2 WHERE id = 6;");
    struct dash_case c;
    struct cati_error err;
    assert_int_equal(dashboard_case(db, 6, NOW, &sue, 0, &c, &err), 0);
    assert_int_equal(c.nphones, 2);
    assert_string_equal(c.phones[0].shown, "*********192");
    assert_string_equal(c.phones[0].status, "non-working");
    assert_int_equal(c.phones[0].current, 0);
    assert_string_equal(c.phones[1].shown, "*********639");
    assert_int_equal(c.phones[1].current, 1);
    dashboard_case_free(&c);
    assert_int_equal(dashboard_case(db, 6, NOW, &sue, 1, &c, &err), 0);
    assert_string_equal(c.phones[1].shown, "+97577085639");
    dashboard_case_free(&c);
    /* opening the monitor with personal data is a supervisor's, audited */
    assert_int_equal(dashboard_pii_open(db, &amy_, &err), -1);
    assert_int_equal(err.kind, CATI_ERR_ROLE);
    assert_int_equal(dashboard_pii_open(db, &sue, &err), 0);
    assert_int_equal(q1("SELECT count(*) FROM audit WHERE login = 'sue' AND action = 'monitor with pii'"), 1);
}

/* the case view gets every note whole (up to 1000 bytes) and the flags' words */
static void test_case_whole(void **state)
{
    (void)state;
    char note[1001];
    for (int i = 0; i < 1000; i++)
        note[i] = (char)('a' + i % 26);
    note[1000] = '\0';
    char sql[1400];
    snprintf(sql, sizeof sql, "UPDATE calls SET note = '%s' WHERE uuid = 'k3';", note);
    run(sql);
    struct dash_case c;
    struct cati_error err;
    assert_int_equal(dashboard_case(db, 11, NOW, &sue, 0, &c, &err), 0);
    assert_int_equal(c.ncalls, 1);
    assert_string_equal(c.calls[0].note, note);
    assert_int_equal(c.nraised, 1);
    assert_string_equal(c.raised[0].kind, "complaint");
    assert_string_equal(c.raised[0].question, "access_why");
    assert_string_equal(c.raised[0].text, "They made me come back three times");
    assert_string_equal(c.raised[0].status, "new");
    dashboard_case_free(&c);
}

/* completes per hour: one definition; each day from the first call's start
 * to the last call's end, at least a quarter hour */
static void test_per_hour(void **state)
{
    (void)state;
    struct cati_error err;
    long long secs = -1;
    /* amy (11): yesterday one call of 100 s (a quarter hour), today 1810 s */
    assert_int_equal(dashboard_worked_seconds(db, &cfg, 11, 0, 0, NOW + 1, &secs, &err), 0);
    assert_int_equal(secs, 900 + 1810);
    assert_int_equal(dashboard_worked_seconds(db, &cfg, 11, 0, NOW - 7200, NOW + 1, &secs, &err), 0);
    assert_int_equal(secs, 1810);
    assert_int_equal(dashboard_worked_seconds(db, &cfg, 11, 2, 0, NOW + 1, &secs, &err), 0);
    assert_int_equal(secs, 0); /* no call on beta's cases */
    assert_int_equal(dashboard_worked_seconds(db, &cfg, 13, 0, 0, NOW + 1, &secs, &err), 0);
    assert_int_equal(secs, 0);
    assert_true(dashboard_per_hour(1, 0) < 0);
    assert_true(fabs(dashboard_per_hour(2, 1800) - 4.0) < 1e-9);
    /* report interviewers: the same hours, the same figure */
    struct report_interviewer *rows;
    size_t n;
    assert_int_equal(report_interviewers(db, &cfg, 0, &rows, &n, &err), 0);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(rows[i].login, "amy")) {
            found = 1;
            assert_int_equal(rows[i].seconds, 900 + 1810);
            assert_int_equal(rows[i].completes, 2);
        }
    assert_true(found);
    free(rows);
}

/* a case named by ref, survey/ref or number; a final case is read-only */
static void test_case_lookup(void **state)
{
    (void)state;
    struct cati_error err;
    long long id = 0;
    assert_int_equal(dashboard_case_lookup(db, "R6", 0, &id, &err), 0);
    assert_int_equal(id, 6);
    assert_int_equal(dashboard_case_lookup(db, "6", 0, &id, &err), 0);
    assert_int_equal(id, 6);
    assert_int_equal(dashboard_case_lookup(db, "R99", 0, &id, &err), -1);
    assert_string_equal(err.msg, "unknown case 'R99'");
    assert_int_equal(dashboard_case_lookup(db, "999", 0, &id, &err), -1);
    assert_int_equal(dashboard_case_lookup(db, "R14", 1, &id, &err), -1); /* R14 is beta's */
    run("INSERT INTO cases(id, uuid, survey_id, ref, name, service, agency, state, created_at, updated_at)"
        " VALUES (40, 'c40', 2, 'R6', 'n', '', '', 'new', 0, 0), (41, 'c41', 2, '7', 'n', '', '', 'new', 0, 0);");
    assert_int_equal(dashboard_case_lookup(db, "R6", 0, &id, &err), -1);
    assert_string_equal(err.msg, "case ref 'R6' is in 2 surveys (alpha, beta): type survey/ref");
    assert_int_equal(dashboard_case_lookup(db, "beta/R6", 0, &id, &err), 0);
    assert_int_equal(id, 40);
    assert_int_equal(dashboard_case_lookup(db, "R6", 2, &id, &err), 0);
    assert_int_equal(id, 40);
    assert_int_equal(dashboard_case_lookup(db, "7", 0, &id, &err), 0); /* a ref wins over a number */
    assert_int_equal(id, 41);
    struct dash_case c;
    char why[160];
    assert_int_equal(dashboard_case(db, 9, NOW, &sue, 1, &c, &err), 0);
    assert_string_equal(dashboard_case_readonly(&c, why, sizeof why), "case R9 is final (1.1 complete interview): read-only");
    dashboard_case_free(&c);
    assert_int_equal(dashboard_case(db, 6, NOW, &sue, 1, &c, &err), 0);
    assert_null(dashboard_case_readonly(&c, why, sizeof why));
    dashboard_case_free(&c);
}

/* measures from a stored script: a scale, a single looked at by a flag on
 * another question (good = the codes that raise no flag), a number; a
 * single no flag looks at is left out */
static const char *sync_script =
    "survey syn \"Sync\" version 1\n"
    "parameters accessibility integrity timeliness feedback attitude\n"
    "question acc scale 1 5\n  measures accessibility\n  text en \"A?\"\n"
    "question bribe single\n  measures integrity\n  text en \"B?\"\n  choice 1 \"Yes\"\n  choice 2 \"No\"\n"
    "  choice 3 \"Cannot say\"\n"
    "question what text 100\n  ask if bribe = 1\n  text en \"What?\"\n  flag integrity if bribe = 1\n"
    "question days number 0 365\n  measures timeliness\n  text en \"D?\"\n"
    "question know single\n  measures feedback\n  text en \"K?\"\n  choice 1 \"Yes\"\n  choice 2 \"No\"\n"
    "question why text 200\n  text en \"W?\"\n";

static void test_measures_sync(void **state)
{
    (void)state;
    struct cati_error err;
    struct script_diags diags = {0};
    struct cati_script *s = script_parse("syn.cati", sync_script, strlen(sync_script), &diags);
    if (!s)
        fail_msg("%s", diags.n ? diags.items[0].msg : "parse");
    struct script_stored st;
    assert_int_equal(script_store(db, s, "admin", &st, &err), 0);
    script_free(s);
    /* an interview completed before the monitor ever looked at the version */
    char sql[2048];
    snprintf(sql, sizeof sql,
             "INSERT INTO cases(id, uuid, survey_id, ref, name, service, agency, state, interim_code,"
             " disposition, created_at, updated_at) VALUES (50, 'c50', %lld, 'S1', 'n', 'cid', 'DCRC',"
             " 'final', '1.1', '1.1', 0, 0), (51, 'c51', %lld, 'S2', 'n', 'cid', 'DCRC', 'open', '3.13',"
             " NULL, 0, 0);"
             "INSERT INTO interviews(id, uuid, case_id, survey_version_id, outcome, started_at, updated_at)"
             " VALUES (50, 'i50', 50, %lld, 'complete', 0, 0), (51, 'i51', 51, %lld, NULL, 0, 0);"
             "INSERT INTO answers(uuid, interview_id, question, value, seq, answered_at, updated_at) VALUES"
             " ('s1', 50, 'acc', '4', 1, 0, 0), ('s2', 50, 'bribe', '1', 2, 0, 0),"
             " ('s3', 50, 'days', '12', 3, 0, 0), ('s4', 50, 'know', '1', 4, 0, 0),"
             " ('s5', 51, 'acc', '2', 1, 0, 0), ('s6', 51, 'bribe', '3', 2, 0, 0);",
             st.survey_id, st.survey_id, st.version_id, st.version_id);
    run(sql);
    int added = -1;
    assert_int_equal(dashboard_measures_sync(db, &added, &err), 0);
    assert_int_equal(added, 1);
    snprintf(sql, sizeof sql, "SELECT group_concat(question || ':' || kind || ':' || lo || '-' || hi"
             " || ':' || good, ' ') FROM (SELECT * FROM survey_measures WHERE survey_version_id = %lld"
             " ORDER BY question)", st.version_id);
    sqlite3_stmt *q;
    assert_int_equal(db_prepare(db, sql, &q, &err), 0);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0),
                        "acc:scale:1-5: bribe:single:0-0:,2,3, days:number:0-365:");
    sqlite3_finalize(q);
    /* a second sync has nothing to do */
    assert_int_equal(dashboard_measures_sync(db, &added, &err), 0);
    assert_int_equal(added, 0);
    /* the earlier interview was counted; the one finishing now goes in too */
    run("UPDATE interviews SET outcome = 'complete' WHERE id = 51;");
    struct dashboard d = {0};
    assert_int_equal(dashboard_refresh(db, &cfg, st.survey_id, DASH_SCORES, NOW, &d, &err), 0);
    const struct dash_score *x = score_of(&d, NULL, "acc");
    assert_int_equal(x->n, 2);
    assert_int_equal(x->top, 1);
    assert_true(fabs(x->mean - 3.0) < 1e-9);
    x = score_of(&d, NULL, "bribe"); /* "Yes" raised the flag, "Cannot say" is good */
    assert_int_equal(x->n, 2);
    assert_int_equal(x->top, 1);
    assert_int_equal(x->kind, DASH_SINGLE);
    x = score_of(&d, "cid", "days");
    assert_int_equal(x->n, 1);
    assert_true(fabs(x->mean - 12.0) < 1e-9);
    assert_null(score_of(&d, NULL, "know"));
    assert_null(score_of(&d, NULL, "why"));
    dashboard_free(&d);

    /* an interview through the engine: its answers count when it completes,
     * and its flag carries the respondent's words */
    snprintf(sql, sizeof sql, "INSERT INTO cases(id, uuid, survey_id, ref, name, service, agency,"
             " claimed_by, lease_until, created_at, updated_at)"
             " VALUES (52, 'c52', %lld, 'S3', 'n', 'census', 'DoI', 11, 4102444800, 0, 0);"
             "INSERT INTO phones(case_id, position, number) VALUES (52, 1, '+97517000052');",
             st.survey_id);
    run(sql);
    struct cati_interview *iv;
    assert_int_equal(interview_start(db, &cfg, &amy_, 52, NULL, &iv, &err), 0);
    static const char *const answers[] = {"5", "1", "They wanted Nu. 500 for the stamp", "3", "2", "fine"};
    for (int i = 0; i < 6; i++)
        assert_int_equal(interview_answer(iv, answers[i], 1, NULL, &err), IV_OK);
    assert_int_equal(interview_outcome(iv), END_COMPLETE);
    struct schedule_call call = {.outcome = "complete", .iv = iv};
    struct schedule_result res;
    assert_int_equal(schedule_record(db, &cfg, 52, &amy_, &call, &res, &err), 0);
    interview_free(iv);
    assert_int_equal(dashboard_refresh(db, &cfg, st.survey_id, DASH_SCORES | DASH_FLAGS, NOW, &d, &err), 0);
    x = score_of(&d, NULL, "acc");
    assert_int_equal(x->n, 3);
    assert_int_equal(x->top, 2);
    x = score_of(&d, "census", "bribe");
    assert_int_equal(x->n, 1);
    assert_int_equal(x->top, 0);
    assert_int_equal(d.nflags, 1);
    assert_string_equal(d.flags[0].text, "They wanted Nu. 500 for the stamp");
    assert_string_equal(d.flags[0].kind, "integrity");
    assert_string_equal(d.flags[0].interviewer, "amy");
    assert_int_equal(d.flags_new, 1);
    dashboard_free(&d);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/cati-test-dash.XXXXXX");
    assert_non_null(mkdtemp(dir));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interviewers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scores, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pause, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_lookup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_per_hour, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phone_shown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_measures_sync, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}
