/* Scheduling rules: every outcome's code and rule, calling windows across
 * midnight, days and time zones, slot rotation, call limits, refusal
 * conversion, numbers. */
#include "queue_fixture.h"

#include "cati/case.h"
#include "cati/check.h"
#include "cati/interview.h"
#include "cati/schedule.h"

static struct fx F;
static struct cati_interviewer pema, sonam;

static int setup(void **state)
{
    (void)state;
    fx_setup(&F);
    fx_interviewer(&F, "pema", ROLE_INTERVIEWER, "en", "", &pema);
    fx_interviewer(&F, "sonam", ROLE_SUPERVISOR, "en,dz", "refusal", &sonam);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_teardown(&F);
    return 0;
}

static time_t T(int d, int h, int mi) /* a day of November 2026, Thimphu time */
{
    return fx_time(2026, 11, d, h, mi);
}

/* Hold case id for who and record outcome; returns the result. */
static struct schedule_result rec(long long id, const struct cati_interviewer *who, const char *outcome,
                                  time_t at)
{
    struct schedule_call call = {.outcome = outcome, .at = at, .note = "a note", .flags = 0};
    struct schedule_result r;
    struct cati_error err;
    fx_hold(&F, id, who);
    if (!strcmp(outcome, "complete"))
        fx_completed_interview(&F, id, who);
    if (schedule_record(F.db, &F.cfg, id, who, &call, &r, &err) < 0)
        fail_msg("record %s on %lld: %s", outcome, id, err.msg);
    return r;
}

static const char *case_text(const char *expr, long long id)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT %s FROM cases WHERE id = ?", expr);
    return fx_text(&F, sql, id);
}

static void test_outcome_table(void **state)
{
    (void)state;
    static const char *const design[] = {
        "complete", "partial", "breakoff", "refusal", "soft-refusal", "appointment", "no-answer",
        "busy", "answering-machine", "message-left", "not-available", "language", "deceased",
        "unable", "disconnected", "non-working", "fax", "business", "wrong-number", "ineligible",
        "technical"};
    size_t n;
    const struct schedule_outcome *o = schedule_outcomes(&n);
    assert_int_equal(n, sizeof design / sizeof design[0]);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(o[i].keyword, design[i]);
        assert_ptr_equal(schedule_outcome_find(design[i]), &o[i]);
        assert_true(o[i].rule != SCHED_RETRY || schedule_retry_minutes(&F.cfg, o[i].retry) > 0);
    }
    assert_null(schedule_outcome_find("answered"));
    assert_null(schedule_outcome_find(NULL));
    assert_int_equal(schedule_retry_minutes(&F.cfg, RETRY_BUSY), 15);
    assert_int_equal(schedule_retry_minutes(&F.cfg, RETRY_NO_ANSWER), 180);
    assert_int_equal(schedule_retry_minutes(&F.cfg, RETRY_SOFT_REFUSAL), 10080);
}

/* Every outcome on a fresh one-number case, Monday 10:00. */
static void test_every_outcome_rule(void **state)
{
    (void)state;
    struct {
        const char *outcome, *aapor;
        int final;
        time_t next; /* when not final */
    } want[] = {
        {"complete", "1.1", 1, 0},
        {"partial", "1.2", 1, 0},
        {"breakoff", "2.12", 1, 0},
        {"refusal", "2.11", 1, 0},
        {"soft-refusal", "2.11", 0, T(30, 10, 0)},  /* 7 days later: conversion */
        {"appointment", "2.21", 0, T(23, 15, 0)},
        {"no-answer", "3.13", 0, T(23, 14, 0)},     /* 13:00 is lunch; afternoon slot */
        {"busy", "3.12", 0, T(23, 10, 15)},
        {"answering-machine", "3.14", 0, T(23, 14, 0)},
        {"message-left", "3.14", 0, T(24, 12, 0)},  /* a day later, afternoon slot */
        {"not-available", "2.21", 0, T(23, 12, 0)}, /* 2 hours later, afternoon slot */
        {"language", "2.33", 0, T(23, 11, 0)},
        {"deceased", "2.31", 1, 0},
        {"unable", "2.32", 1, 0},
        {"disconnected", "4.32", 1, 0},             /* no other number: final */
        {"non-working", "4.31", 1, 0},
        {"fax", "4.20", 1, 0},
        {"business", "4.51", 1, 0},
        {"wrong-number", "4.41", 1, 0},
        {"ineligible", "4.70", 1, 0},
        {"technical", "3.16", 0, T(23, 11, 0)},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *o = want[i].outcome;
        long long id = fx_case(&F, NULL);
        struct schedule_result r = rec(id, &pema, o, T(23, 15, 0));
        if (strcmp(r.aapor, want[i].aapor) || r.final != want[i].final)
            fail_msg("%s: got %s final=%d", o, r.aapor, r.final);
        assert_int_equal(r.attempt, 1);
        char expect[512];
        snprintf(expect, sizeof expect, "1|%s|%s|morning|a note|%s", o, want[i].aapor,
                 fx_text(&F, "SELECT number FROM phones WHERE position = 1 AND case_id = ?", id));
        assert_string_equal(fx_text(&F, "SELECT attempt || '|' || outcome || '|' || aapor || '|' ||"
                                        " slot || '|' || note || '|' || number FROM calls"
                                        " WHERE case_id = ?", id), expect);
        assert_int_equal(fx_int(&F, "SELECT interviewer_id FROM calls WHERE case_id = ?", id), pema.id);
        assert_string_equal(case_text("claimed_by IS NULL AND lease_until IS NULL", id), "1");
        assert_string_equal(case_text("attempts", id), "1");
        if (want[i].final) {
            snprintf(expect, sizeof expect, "final %s", want[i].aapor);
            assert_string_equal(case_text("state || ' ' || disposition", id), expect);
            assert_string_equal(r.disposition, want[i].aapor);
        } else {
            assert_string_equal(case_text("state || ' ' || coalesce(disposition, '-')", id), "open -");
            if (r.next_call_at != want[i].next)
                fail_msg("%s: next try %ld, want %ld", o, (long)r.next_call_at, (long)want[i].next);
            assert_int_equal(fx_int(&F, "SELECT next_call_at FROM cases WHERE id = ?", id), want[i].next);
            assert_string_equal(case_text("interim_code", id), want[i].aapor);
        }
    }
}

static void test_outcome_side_effects(void **state)
{
    (void)state;
    /* soft refusal: a conversion for the refusal skill */
    long long a = fx_case(&F, NULL);
    struct schedule_result r = rec(a, &pema, "soft-refusal", 0);
    assert_int_equal(r.conversion, 1);
    assert_string_equal(case_text("needs_skill || ' ' || contacted || eligible", a), "refusal 11");
    /* the conversion call reaches the respondent, who refuses again: final */
    cati_clock_set(r.next_call_at);
    r = rec(a, &sonam, "soft-refusal", 0);
    assert_int_equal(r.final, 1);
    assert_string_equal(r.disposition, "2.11");
    assert_string_equal(case_text("needs_skill", a), "");
    cati_clock_set(T(23, 10, 0));

    /* without conversions a soft refusal is final at once */
    F.cfg.refusal_conversion = 0;
    long long b = fx_case(&F, NULL);
    r = rec(b, &pema, "soft-refusal", 0);
    assert_int_equal(r.final, 1);
    assert_string_equal(r.disposition, "2.11");
    F.cfg.refusal_conversion = 1;

    /* hard appointment held for the booking interviewer */
    long long c = fx_case(&F, NULL);
    r = rec(c, &pema, "appointment", T(23, 16, 30));
    assert_int_equal(r.appointment_at, T(23, 16, 30));
    assert_int_equal(fx_int(&F, "SELECT appointment_with FROM cases WHERE id = ?", c), pema.id);
    assert_int_equal(fx_int(&F, "SELECT appointment_at FROM cases WHERE id = ?", c), T(23, 16, 30));

    /* the next call clears it */
    cati_clock_set(T(23, 16, 30));
    rec(c, &pema, "busy", 0);
    assert_string_equal(case_text("appointment_at IS NULL AND appointment_with IS NULL", c), "1");
    assert_string_equal(case_text("interim_code", c), "2.21"); /* eligible: never busy again */
    cati_clock_set(T(23, 10, 0));

    /* language: the case goes to a speaker of the survey's other language */
    long long d = fx_case(&F, NULL);
    rec(d, &pema, "language", 0);
    assert_string_equal(case_text("language", d), "dz");
    /* a dz speaker has a language barrier too: final 2.33 */
    r = rec(d, &sonam, "language", 0);
    assert_int_equal(r.final, 1);
    assert_string_equal(r.disposition, "2.33");
    /* the sample's language may be wrong: an en case goes to dz speakers */
    struct fx_case en = {.language = "en"};
    long long e = fx_case(&F, &en);
    r = rec(e, &pema, "language", 0);
    assert_int_equal(r.final, 0);
    assert_string_equal(case_text("language", e), "dz");
    /* a caller who speaks every survey language: nobody else to ask */
    long long g = fx_case(&F, &en);
    r = rec(g, &sonam, "language", 0);
    assert_int_equal(r.final, 1);
}

static void test_appointment_and_holder_errors(void **state)
{
    (void)state;
    struct cati_error err;
    struct schedule_result r;
    long long id = fx_case(&F, NULL);
    struct schedule_call call = {.outcome = "busy", .at = 0, .note = NULL, .flags = 0};
    /* not claimed by pema */
    assert_int_equal(schedule_record(F.db, &F.cfg, id, &pema, &call, &r, &err), -1);
    assert_non_null(strstr(err.msg, "not claimed by you"));
    assert_int_equal(err.kind, CATI_ERR_LOST);
    assert_int_equal(fx_int(&F, "SELECT count(*) FROM calls WHERE case_id = ?", id), 0);
    /* a supervisor may record on any case */
    call.flags = SCHEDULE_ANY_HOLDER;
    assert_int_equal(schedule_record(F.db, &F.cfg, id, &sonam, &call, &r, &err), 0);
    /* appointments need a future time */
    struct schedule_call appt = {.outcome = "appointment", .at = cati_now() - 60, .note = NULL, .flags = SCHEDULE_ANY_HOLDER};
    assert_int_equal(schedule_record(F.db, &F.cfg, id, &sonam, &appt, &r, &err), -1);
    assert_non_null(strstr(err.msg, "future"));
    struct schedule_call bad = {.outcome = "answered", .at = 0, .note = NULL, .flags = SCHEDULE_ANY_HOLDER};
    assert_int_equal(schedule_record(F.db, &F.cfg, id, &sonam, &bad, &r, &err), -1);
    assert_non_null(strstr(err.msg, "unknown outcome 'answered'"));
    /* a final case takes no more calls */
    struct schedule_call done = {.outcome = "complete", .at = 0, .note = NULL, .flags = SCHEDULE_ANY_HOLDER};
    /* complete without an interview: a supervisor only, and only with a note saying why */
    assert_int_equal(schedule_record(F.db, &F.cfg, id, &sonam, &done, &r, &err), -1);
    assert_non_null(strstr(err.msg, "has no completed interview"));
    /* nor with the holder's pending note alone: the reason must be theirs */
    fx_exec(&F, "UPDATE cases SET call_note = 'wrong number? try later'");
    assert_int_equal(schedule_record(F.db, &F.cfg, id, &sonam, &done, &r, &err), -1);
    assert_non_null(strstr(err.msg, "only with --note"));
    fx_exec(&F, "UPDATE cases SET call_note = ''");
    /* a note is at most SCHEDULE_NOTE_MAX bytes of UTF-8 */
    char long_note[SCHEDULE_NOTE_MAX + 2];
    memset(long_note, 'x', sizeof long_note - 1);
    long_note[sizeof long_note - 1] = '\0';
    done.note = long_note;
    assert_int_equal(schedule_record(F.db, &F.cfg, id, &sonam, &done, &r, &err), -1);
    assert_non_null(strstr(err.msg, "at most 1000 bytes"));
    done.note = "interview on paper, form 17";
    assert_int_equal(schedule_record(F.db, &F.cfg, id, &sonam, &done, &r, &err), 0);
    assert_int_equal(fx_int(&F, "SELECT count(*) FROM audit WHERE action = 'case outcome'"
                                " AND detail LIKE '% complete: interview on paper, form 17'", 0), 1);
    assert_int_equal(schedule_record(F.db, &F.cfg, id, &sonam, &done, &r, &err), -1);
    assert_non_null(strstr(err.msg, "already final (1.1)"));
    assert_int_equal(schedule_record(F.db, &F.cfg, 99999, &sonam, &done, &r, &err), -1);
    assert_non_null(strstr(err.msg, "no such case"));
    /* keep the lease: the interview goes on */
    long long k = fx_case(&F, NULL);
    fx_hold(&F, k, &pema);
    struct schedule_call keep = {.outcome = "not-available", .at = 0, .note = NULL, .flags = SCHEDULE_KEEP_LEASE};
    assert_int_equal(schedule_record(F.db, &F.cfg, k, &pema, &keep, &r, &err), 0);
    assert_int_equal(fx_int(&F, "SELECT claimed_by FROM cases WHERE id = ?", k), pema.id);
    /* soft appointment */
    struct schedule_call soft = {.outcome = "appointment", .at = T(23, 17, 0), .note = NULL, .flags = SCHEDULE_SOFT_APPOINTMENT};
    assert_int_equal(schedule_record(F.db, &F.cfg, k, &pema, &soft, &r, &err), 0);
    assert_string_equal(case_text("appointment_with IS NULL", k), "1");
    /* case_appoint books without a call: supervisors, audited */
    assert_int_equal(case_appoint(F.db, &F.cfg, k, T(24, 9, 30), pema.id, &sonam, &err), 0);
    assert_int_equal(fx_int(&F, "SELECT next_call_at FROM cases WHERE id = ?", k), T(24, 9, 30));
    assert_int_equal(fx_int(&F, "SELECT count(*) FROM audit WHERE action = 'case appoint'"
                                " AND detail LIKE '% 2026-11-24 09:30 with pema'", 0), 1);
    assert_int_equal(case_appoint(F.db, &F.cfg, id, T(24, 9, 30), 0, &sonam, &err), -1); /* final */
    assert_int_equal(case_appoint(F.db, &F.cfg, k, T(23, 9, 0), 0, &sonam, &err), -1);  /* past */
    assert_int_equal(case_appoint(F.db, &F.cfg, k, T(24, 11, 0), 0, &pema, &err), -1);  /* not a supervisor */
    assert_int_equal(err.kind, CATI_ERR_ROLE);
    /* not on a case someone holds: their next call would replace it */
    fx_hold(&F, k, &pema);
    assert_int_equal(case_appoint(F.db, &F.cfg, k, T(24, 11, 0), 0, &sonam, &err), -1);
    assert_non_null(strstr(err.msg, "is held by pema: release it first"));
    assert_int_equal(fx_int(&F, "SELECT next_call_at FROM cases WHERE id = ?", k), T(24, 9, 30));
}

static void test_next_number(void **state)
{
    (void)state;
    struct fx_case two = {.phones = 2};
    long long id = fx_case(&F, &two);
    struct schedule_result r = rec(id, &pema, "disconnected", 0);
    assert_int_equal(r.final, 0);
    assert_int_equal(r.moved_number, 1);
    assert_int_equal(r.new_phone_pos, 2);
    assert_int_equal(r.next_call_at, T(23, 10, 0)); /* the other number can be tried now */
    assert_string_equal(case_text("phone_pos || ' ' || interim_code", id), "2 3.11");
    assert_string_equal(fx_text(&F, "SELECT status FROM phones WHERE case_id = ? AND position = 1", id),
                        "disconnected");
    assert_int_equal(r.no_numbers, 0);
    r = rec(id, &pema, "wrong-number", 0);
    assert_int_equal(r.final, 1);
    assert_int_equal(r.no_numbers, 1);
    assert_string_equal(r.disposition, "4.41");
    assert_string_equal(fx_text(&F, "SELECT group_concat(number, ',') FROM (SELECT number FROM calls"
                                    " WHERE case_id = ? ORDER BY attempt)", id),
                        fx_text(&F, "SELECT group_concat(number, ',') FROM (SELECT number FROM phones"
                                    " WHERE case_id = ? ORDER BY position)", id));

    /* once eligible, losing the numbers keeps the eligible code */
    long long e = fx_case(&F, &two);
    rec(e, &pema, "not-available", 0);
    r = rec(e, &pema, "non-working", 0);
    assert_int_equal(r.moved_number, 1);
    r = rec(e, &pema, "disconnected", 0);
    assert_int_equal(r.final, 1);
    assert_string_equal(r.disposition, "2.21");
    /* an answering machine at a confirmed respondent's number */
    long long m = fx_case(&F, NULL);
    rec(m, &pema, "not-available", 0);
    r = rec(m, &pema, "answering-machine", 0);
    assert_string_equal(r.aapor, "2.222");
    r = rec(m, &pema, "message-left", 0);
    assert_string_equal(r.aapor, "2.221");
}

/* Call until the case ends; returns the last result. */
static struct schedule_result call_until_final(long long id, const char *const *outcomes, int n)
{
    struct schedule_result r = {0};
    for (int i = 0; i < n; i++) {
        r = rec(id, &pema, outcomes[i], 0);
        if (r.final)
            break;
        cati_clock_set(r.next_call_at);
    }
    cati_clock_set(T(23, 10, 0));
    return r;
}

static void test_max_attempts(void **state)
{
    (void)state;
    F.cfg.max_attempts = 3;
    const char *const na[] = {"no-answer", "no-answer", "no-answer", "no-answer"};
    long long a = fx_case(&F, NULL);
    struct schedule_result r = call_until_final(a, na, 4);
    assert_int_equal(r.final, 1);
    assert_int_equal(r.limit, 1);
    assert_int_equal(r.attempt, 3);
    assert_string_equal(r.disposition, "3.13");

    /* a respondent confirmed at the number but never available: 2.21 (NC),
     * not 2.30 (O), which would count them as contacted in CON1-3 */
    const char *const elig[] = {"not-available", "busy", "no-answer", "no-answer"};
    long long b = fx_case(&F, NULL);
    r = call_until_final(b, elig, 4);
    assert_int_equal(r.attempt, 3);
    assert_string_equal(r.disposition, "2.21");
    assert_string_equal(case_text("disposition || ' ' || eligible", b), "2.21 1");

    /* an answering machine every time: 3.14, not 3.90 */
    const char *const am[] = {"answering-machine", "message-left", "answering-machine"};
    long long e = fx_case(&F, NULL);
    r = call_until_final(e, am, 3);
    assert_int_equal(r.limit, 1);
    assert_string_equal(r.disposition, "3.14");

    /* the answering machine of a confirmed respondent: 2.22x */
    const char *const conf_am[] = {"not-available", "answering-machine", "answering-machine"};
    long long g = fx_case(&F, NULL);
    r = call_until_final(g, conf_am, 3);
    assert_string_equal(r.disposition, "2.222");
    const char *const conf_msg[] = {"not-available", "message-left", "answering-machine"};
    long long h = fx_case(&F, NULL);
    r = call_until_final(h, conf_msg, 3);
    assert_string_equal(r.disposition, "2.221");

    /* always busy, and technical problems */
    const char *const busy[] = {"busy", "busy", "busy"};
    long long k = fx_case(&F, NULL);
    r = call_until_final(k, busy, 3);
    assert_string_equal(r.disposition, "3.12");
    const char *const tech[] = {"technical", "no-answer", "technical"};
    long long t = fx_case(&F, NULL);
    r = call_until_final(t, tech, 3);
    assert_string_equal(r.disposition, "3.16");

    /* a refused conversion that was never reached again stays a refusal */
    const char *const refused[] = {"soft-refusal", "no-answer", "no-answer"};
    long long c = fx_case(&F, NULL);
    r = call_until_final(c, refused, 3);
    assert_string_equal(r.disposition, "2.11");
    F.cfg.max_attempts = 8;

    /* per-number limit: move on, then end */
    F.cfg.max_attempts_per_number = 2;
    struct fx_case two = {.phones = 2};
    long long d = fx_case(&F, &two);
    r = rec(d, &pema, "no-answer", 0);
    assert_int_equal(r.moved_number, 0);
    cati_clock_set(r.next_call_at);
    r = rec(d, &pema, "no-answer", 0);
    assert_int_equal(r.moved_number, 1);
    assert_string_equal(fx_text(&F, "SELECT status FROM phones WHERE case_id = ? AND position = 1", d),
                        "limit");
    cati_clock_set(r.next_call_at);
    rec(d, &pema, "busy", 0);
    r = rec(d, &pema, "busy", 0);
    assert_int_equal(r.final, 1);
    assert_int_equal(r.limit, 1);
    assert_int_equal(r.attempt, 4);
    assert_string_equal(r.disposition, "3.13");
    F.cfg.max_attempts_per_number = 6;
    cati_clock_set(T(23, 10, 0));
}

/* Issue 12: what follows an outcome, in plain words with the configured
 * delay, never a configuration key name. */
static void test_outcome_plain(void **state)
{
    (void)state;
    struct cati_config cfg;
    config_defaults(&cfg);
    char buf[256];
    size_t n;
    const struct schedule_outcome *t = schedule_outcomes(&n);
    for (size_t i = 0; i < n; i++) {
        schedule_outcome_plain(&cfg, &t[i], buf, sizeof buf);
        assert_null(strstr(buf, "["));
        assert_null(strstr(buf, "_"));
        assert_true(strlen(buf) > 5);
    }
    cfg.retry_no_answer = 180;
    cfg.nslots = 2;
    assert_string_equal("call again in about 3 hours, in another time slot",
                        schedule_outcome_plain(&cfg, schedule_outcome_find("no-answer"), buf, sizeof buf));
    cfg.retry_busy = 20;
    assert_string_equal("call again in about 20 minutes",
                        schedule_outcome_plain(&cfg, schedule_outcome_find("busy"), buf, sizeof buf));
    cfg.retry_technical = 90;
    assert_string_equal("call again in about 1 hour 30 minutes",
                        schedule_outcome_plain(&cfg, schedule_outcome_find("technical"), buf, sizeof buf));
    cfg.retry_not_available = 2880;
    assert_string_equal("call again in about 2 days, in another time slot",
                        schedule_outcome_plain(&cfg, schedule_outcome_find("not-available"), buf, sizeof buf));
    assert_string_equal("the case is closed",
                        schedule_outcome_plain(&cfg, schedule_outcome_find("refusal"), buf, sizeof buf));
    cfg.refusal_conversion = 0;
    assert_string_equal("the case is closed (refusals are not converted)",
                        schedule_outcome_plain(&cfg, schedule_outcome_find("soft-refusal"), buf, sizeof buf));
}

/* "today 17:00, evening slot": a time as a time, with its calling slot. */
static void test_when_text(void **state)
{
    (void)state;
    struct cati_config cfg;
    config_defaults(&cfg); /* morning 09-12, afternoon 12-17, evening 17-21 */
    char buf[96];
    time_t now = T(24, 10, 0); /* Tuesday */
    assert_string_equal("today 17:00, evening slot", schedule_when_text(&cfg, "", T(24, 17, 0), now, buf, sizeof buf));
    assert_string_equal("today 14:00, afternoon slot", schedule_when_text(&cfg, "", T(24, 14, 0), now, buf, sizeof buf));
    assert_string_equal("tomorrow 09:00, morning slot", schedule_when_text(&cfg, "", T(25, 9, 0), now, buf, sizeof buf));
    assert_string_equal("Mon 2026-11-30 09:30, morning slot",
                        schedule_when_text(&cfg, "", T(30, 9, 30), now, buf, sizeof buf));
    /* late at night: tomorrow is still the next calendar day */
    assert_string_equal("tomorrow 12:00, afternoon slot",
                        schedule_when_text(&cfg, "", T(25, 12, 0), T(24, 23, 59), buf, sizeof buf));
    /* outside every slot, or no slots: the time alone */
    assert_string_equal("today 22:00", schedule_when_text(&cfg, "", T(24, 22, 0), now, buf, sizeof buf));
    cfg.nslots = 0;
    assert_string_equal("today 17:00", schedule_when_text(&cfg, "", T(24, 17, 0), now, buf, sizeof buf));
    /* another zone: the respondent's day and clock */
    config_defaults(&cfg);
    assert_string_equal("today 16:30, afternoon slot",
                        schedule_when_text(&cfg, "Asia/Kolkata", T(24, 17, 0), now, buf, sizeof buf));
}

/* An appointment is missed missed_minutes after its time, or once flagged. */
static void test_appointment_missed(void **state)
{
    (void)state;
    struct cati_config cfg;
    config_defaults(&cfg);
    cfg.missed_minutes = 60;
    time_t at = T(24, 10, 30);
    assert_false(schedule_appointment_missed(&cfg, at, 0, T(24, 10, 0)));
    assert_false(schedule_appointment_missed(&cfg, at, 0, T(24, 11, 29)));
    assert_true(schedule_appointment_missed(&cfg, at, 0, T(24, 11, 30)));
    assert_true(schedule_appointment_missed(&cfg, at, 0, T(25, 9, 0)));
    assert_true(schedule_appointment_missed(&cfg, at, 1, T(24, 10, 0))); /* flagged by a claim */
    assert_false(schedule_appointment_missed(&cfg, 0, 1, T(24, 12, 0))); /* no appointment */
    assert_int_equal(schedule_missed_cutoff(&cfg, T(24, 11, 30)), at);
}

static void test_windows_across_midnight(void **state)
{
    (void)state;
    struct cati_config cfg;
    config_defaults(&cfg);
    cfg.hours[0].start = 22 * 60;
    cfg.hours[0].end = 2 * 60;
    cfg.nhours = 1;
    cfg.days = 1u << 1; /* Mondays: the window that starts on Monday, into Tuesday */
    assert_true(schedule_in_hours(&cfg, "", T(23, 23, 0)));
    assert_true(schedule_in_hours(&cfg, "", T(24, 1, 0)));
    assert_false(schedule_in_hours(&cfg, "", T(24, 23, 0)));
    assert_false(schedule_in_hours(&cfg, "", T(23, 1, 0))); /* Sunday's night */
    assert_false(schedule_in_hours(&cfg, "", T(24, 2, 0)));
    assert_int_equal(schedule_next_open(&cfg, "", T(23, 3, 0), -1), T(23, 22, 0));
    assert_int_equal(schedule_next_open(&cfg, "", T(24, 1, 30), -1), T(24, 1, 30));
    assert_int_equal(schedule_next_open(&cfg, "", T(24, 2, 30), -1), T(30, 22, 0));
    /* a slot past midnight too: 23:30-01:00 inside that window */
    cati_strlcpy(cfg.slots[0].name, "late", sizeof cfg.slots[0].name);
    cfg.slots[0].start = 23 * 60 + 30;
    cfg.slots[0].end = 60;
    cfg.nslots = 1;
    assert_int_equal(schedule_slot_of(&cfg, "", T(24, 0, 30)), 0);
    assert_int_equal(schedule_slot_of(&cfg, "", T(24, 1, 30)), -1);
    assert_int_equal(schedule_next_open(&cfg, "", T(23, 12, 0), 0), T(23, 23, 30));
    assert_int_equal(schedule_next_open(&cfg, "", T(24, 0, 45), 0), T(24, 0, 45));
    /* any time */
    cfg.hours[0].start = 0;
    cfg.hours[0].end = 24 * 60;
    cfg.days = 0x7f;
    assert_int_equal(schedule_next_open(&cfg, "", T(25, 3, 17), -1), T(25, 3, 17));
}

static void test_windows_across_days(void **state)
{
    (void)state;
    /* Saturday 17:50: a busy retry at 18:05 is after hours; Sunday is off */
    assert_int_equal(schedule_next_open(&F.cfg, "", T(28, 18, 5), -1), T(30, 9, 0));
    assert_int_equal(schedule_next_open(&F.cfg, "", T(23, 13, 10), -1), T(23, 14, 0));
    assert_int_equal(schedule_next_open(&F.cfg, "", T(23, 12, 59), -1), T(23, 12, 59));
    assert_int_equal(schedule_next_open(&F.cfg, "", T(23, 18, 0), -1), T(24, 9, 0));
    cati_clock_set(T(28, 17, 50));
    long long id = fx_case(&F, NULL);
    struct schedule_result r = rec(id, &pema, "busy", 0);
    assert_int_equal(r.next_call_at, T(30, 9, 0));
    cati_clock_set(T(23, 10, 0));
    /* a slot that never meets the calling hours is unreachable */
    struct cati_config cfg = F.cfg;
    cfg.slots[2].start = 19 * 60;
    assert_int_equal(schedule_next_open(&cfg, "", T(23, 10, 0), 2), 0);
    char buf[128];
    assert_string_equal(schedule_hours_text(&F.cfg, buf, sizeof buf),
                        "09:00\u201313:00, 14:00\u201318:00");
}

static void test_time_zones(void **state)
{
    (void)state;
    const char *ny = "America/New_York";
    /* Monday 10:00 in Thimphu is Sunday 23:00 in New York */
    assert_true(schedule_in_hours(&F.cfg, "", T(23, 10, 0)));
    assert_false(schedule_in_hours(&F.cfg, ny, T(23, 10, 0)));
    time_t ny9 = cati_mktime_tz(ny, 2026, 11, 23, 9, 0);
    assert_int_equal(ny9, T(23, 20, 0));
    assert_int_equal(schedule_next_open(&F.cfg, ny, T(23, 10, 0), -1), ny9);
    assert_true(schedule_in_hours(&F.cfg, ny, ny9));
    assert_string_equal(schedule_zone(&F.cfg, ""), "Asia/Thimphu");
    assert_string_equal(schedule_zone(&F.cfg, ny), ny);
    /* a busy retry for a New York respondent lands in New York's hours */
    struct fx_case c = {.timezone = ny};
    long long id = fx_case(&F, &c);
    struct schedule_result r = rec(id, &pema, "busy", 0);
    assert_int_equal(r.next_call_at, ny9);
    assert_string_equal(fx_text(&F, "SELECT slot FROM calls WHERE case_id = ?", id), "");
}

static void test_slot_rotation(void **state)
{
    (void)state;
    int tries[CATI_MAX_SLOTS] = {1, 0, 0};
    /* morning tried: the afternoon (from 14:00 after lunch) beats the evening */
    assert_int_equal(schedule_next_rotated(&F.cfg, "", T(23, 13, 0), tries), T(23, 14, 0));
    tries[1] = 1;
    assert_int_equal(schedule_next_rotated(&F.cfg, "", T(23, 10, 0), tries), T(23, 17, 0));
    tries[2] = 1;
    assert_int_equal(schedule_next_rotated(&F.cfg, "", T(23, 10, 0), tries), T(23, 10, 0));
    /* no slots: plain calling hours */
    struct cati_config cfg = F.cfg;
    cfg.nslots = 0;
    assert_int_equal(schedule_next_rotated(&cfg, "", T(23, 13, 0), tries), T(23, 14, 0));

    /* no answers rotate a case through morning, afternoon, evening */
    long long id = fx_case(&F, NULL);
    struct schedule_result r = rec(id, &pema, "no-answer", 0);
    assert_int_equal(r.next_call_at, T(23, 14, 0));
    cati_clock_set(r.next_call_at);
    r = rec(id, &pema, "no-answer", 0);
    assert_int_equal(r.next_call_at, T(23, 17, 0));
    cati_clock_set(r.next_call_at);
    r = rec(id, &pema, "no-answer", 0);
    assert_int_equal(r.next_call_at, T(24, 9, 0)); /* all tried once: the soonest */
    assert_string_equal(fx_text(&F, "SELECT group_concat(slot, ',') FROM (SELECT slot FROM calls"
                                    " WHERE case_id = ? ORDER BY attempt)", id),
                        "morning,afternoon,evening");
    cati_clock_set(T(23, 10, 0));
}

/* Found by the model test (issue 11 §6): an interview completes only by
 * reaching its end — not by being closed as complete in memory — and a
 * case that ends by a supervisor's note leaves no interview open. */
static void test_complete_needs_the_end(void **state)
{
    (void)state;
    struct cati_error err;
    struct schedule_result r;
    long long id = fx_case(&F, NULL);
    fx_hold(&F, id, &pema);
    struct cati_interview *iv;
    assert_int_equal(interview_start(F.db, &F.cfg, &pema, id, NULL, &iv, &err), 0);
    assert_int_equal(interview_close(iv, END_COMPLETE, &err), -1);
    assert_non_null(strstr(err.msg, "only when it reaches its end"));
    struct schedule_call call = {.outcome = "complete", .iv = iv};
    assert_int_equal(schedule_record(F.db, &F.cfg, id, &pema, &call, &r, &err), -1);
    assert_non_null(strstr(err.msg, "has no completed interview"));
    assert_int_equal(fx_int(&F, "SELECT count(*) FROM calls WHERE case_id = ?", id), 0);
    interview_free(iv);
    /* a supervisor completes it on paper: the open interview is closed */
    struct schedule_call paper = {.outcome = "complete", .note = "on paper, form 12",
                                  .flags = SCHEDULE_ANY_HOLDER};
    assert_int_equal(schedule_record(F.db, &F.cfg, id, &sonam, &paper, &r, &err), 0);
    assert_string_equal(fx_text(&F, "SELECT coalesce(outcome, 'open') FROM interviews WHERE case_id = ?", id),
                        "breakoff");
    struct check_report rep;
    assert_int_equal(check_run(F.db, &rep, &err), 0);
    assert_int_equal(rep.n, 0);
    check_report_release(&rep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outcome_table),
        cmocka_unit_test(test_every_outcome_rule),
        cmocka_unit_test(test_outcome_side_effects),
        cmocka_unit_test(test_appointment_and_holder_errors),
        cmocka_unit_test(test_next_number),
        cmocka_unit_test(test_max_attempts),
        cmocka_unit_test(test_outcome_plain),
        cmocka_unit_test(test_when_text),
        cmocka_unit_test(test_appointment_missed),
        cmocka_unit_test(test_windows_across_midnight),
        cmocka_unit_test(test_windows_across_days),
        cmocka_unit_test(test_time_zones),
        cmocka_unit_test(test_slot_rotation),
        cmocka_unit_test(test_complete_needs_the_end),
    };
    return cmocka_run_group_tests_name("schedule", tests, setup, teardown);
}
