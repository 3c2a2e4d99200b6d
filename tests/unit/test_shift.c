/* shift: what the interviewer console reads — today's counts, the case an
 * interviewer still holds, a case's details and history, break-off vs partial. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cati/config.h"
#include "cati/db.h"
#include "cati/interview.h"
#include "cati/script.h"
#include "cati/shift.h"
#include "cati/util.h"

static char dir[64];
static sqlite3 *db;
static struct cati_config cfg;
static time_t now;

static void exec(const char *sql)
{
    struct cati_error err;
    if (db_exec(db, sql, &err) < 0)
        fail_msg("%s: %s", sql, err.msg);
}

static void exec_time(const char *sql, time_t t)
{
    sqlite3_stmt *st;
    struct cati_error err;
    assert_int_equal(db_prepare(db, sql, &st, &err), 0);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)t);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/cati-shift.XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/t.db", dir);
    struct cati_error err;
    assert_int_equal(db_open(path, DB_OPEN_CREATE, 1000, &db, &err), 0);
    int created;
    assert_int_equal(db_migrate(db, &created, &err), 0);
    config_defaults(&cfg);
    /* Tuesday 2026-11-24 10:00 in Asia/Thimphu (UTC+6) */
    now = cati_mktime_tz(cfg.timezone, 2026, 11, 24, 10, 0);
    exec("INSERT INTO surveys(id, name, title, created_at, uuid) VALUES (1, 'serve', 'ServE', 0, 's1'),"
         " (2, 'old', 'Old', 0, 's2');"
         "UPDATE surveys SET paused = 1 WHERE id = 2;"
         "INSERT INTO interviewers(id, login, name, created_at) VALUES (1, 'pema', 'Pema', 0),"
         " (2, 'karma', 'Karma', 0);"
         "INSERT INTO cases(id, uuid, survey_id, ref, name, service, district, language, created_at,"
         " updated_at) VALUES (1, 'c1', 1, 'R-1', 'Dorji', 'cid_new', 'Paro', 'dz', 0, 0),"
         " (2, 'c2', 1, 'R-2', 'Sonam', 'cid_new', 'Haa', 'en', 0, 0),"
         " (3, 'c3', 1, 'R-3', 'Tashi', 'cid_new', 'Haa', 'en', 0, 0);"
         "INSERT INTO phones(case_id, position, number, status) VALUES (1, 1, '+97517000001', 'wrong-number'),"
         " (1, 2, '+97577000001', 'ok');"
         "INSERT INTO case_fields(case_id, name, value) VALUES (1, 'gewog', 'Dopshari'), (1, 'age', '40');");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static void add_call(long long case_id, int attempt, long long who, time_t at, const char *outcome,
                     const char *note)
{
    sqlite3_stmt *st;
    struct cati_error err;
    assert_int_equal(db_prepare(db,
                                "INSERT INTO calls(uuid, case_id, attempt, interviewer_id, started_at,"
                                " ended_at, phone_pos, number, outcome, aapor, note, updated_at)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?5, 1, '+975', ?6, '3.13', ?7, ?5)",
                                &st, &err), 0);
    char uuid[37];
    cati_uuid(uuid);
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, case_id);
    sqlite3_bind_int(st, 3, attempt);
    sqlite3_bind_int64(st, 4, who);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)at);
    sqlite3_bind_text(st, 6, outcome, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, note, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static void test_counts_today_only(void **state)
{
    (void)state;
    time_t midnight = cati_mktime_tz(cfg.timezone, 2026, 11, 24, 0, 0);
    add_call(2, 1, 1, midnight - 60, "no-answer", "");  /* yesterday 23:59 */
    add_call(2, 2, 1, midnight, "busy", "");            /* today 00:00 */
    add_call(3, 1, 1, now - 600, "complete", "");
    add_call(3, 2, 2, now - 300, "complete", "");       /* karma's */
    exec_time("UPDATE cases SET appointment_at = ?1, appointment_with = 1 WHERE id = 2", now + 3600);
    struct shift_counts n;
    struct cati_error err;
    assert_int_equal(shift_counts(db, &cfg, 1, now, &n, &err), 0);
    assert_int_equal(n.calls, 2);
    assert_int_equal(n.completes, 1);
    assert_int_equal(n.appointments, 1);
    /* issue 12: the list itself, not only a count, earliest first */
    exec_time("UPDATE cases SET appointment_at = ?1, appointment_with = 1 WHERE id = 3", now + 1800);
    assert_int_equal(shift_counts(db, &cfg, 1, now, &n, &err), 0);
    assert_int_equal(n.appointments, 2);
    assert_int_equal(n.nappts, 2);
    assert_int_equal((long long)n.appts[0].at, (long long)(now + 1800));
    assert_int_equal((long long)n.appts[1].at, (long long)(now + 3600));
    assert_true(n.appts[0].ref[0] && n.appts[1].ref[0]);
    assert_string_not_equal(n.appts[0].ref, n.appts[1].ref);
    assert_false(n.appts[0].missed);
    /* missed as soon as [appointments] missed_minutes have passed, with no
     * claim having flagged it (appointment_missed still 0) */
    time_t later = now + 1800 + (time_t)cfg.missed_minutes * 60;
    assert_int_equal(shift_counts(db, &cfg, 1, later - 60, &n, &err), 0);
    assert_false(n.appts[0].missed);
    assert_int_equal(shift_counts(db, &cfg, 1, later, &n, &err), 0);
    assert_true(n.appts[0].missed);
    assert_false(n.appts[1].missed);
    exec("UPDATE cases SET appointment_at = NULL, appointment_with = NULL WHERE id = 3");
    assert_int_equal(shift_counts(db, &cfg, 2, now, &n, &err), 0);
    assert_int_equal(n.calls, 1);
    assert_int_equal(n.completes, 1);
    assert_int_equal(n.appointments, 0);
    /* tomorrow nothing counts yet */
    assert_int_equal(shift_counts(db, &cfg, 1, now + 86400, &n, &err), 0);
    assert_int_equal(n.calls, 0);
    assert_int_equal(n.appointments, 0);
    exec("DELETE FROM calls; UPDATE cases SET appointment_at = NULL, appointment_with = NULL");
}

static void test_unfinished(void **state)
{
    (void)state;
    long long id = -1;
    struct cati_error err;
    assert_int_equal(shift_unfinished(db, 1, &id, &err), 0);
    assert_int_equal(id, 0);
    exec("UPDATE cases SET claimed_by = 1, lease_until = 1, state = 'open' WHERE id = 3");
    assert_int_equal(shift_unfinished(db, 1, &id, &err), 1);
    assert_int_equal(id, 3);
    assert_int_equal(shift_unfinished(db, 2, &id, &err), 0);
    exec("UPDATE cases SET state = 'final' WHERE id = 3"); /* a closed case is nobody's work */
    assert_int_equal(shift_unfinished(db, 1, &id, &err), 0);
    exec("UPDATE cases SET claimed_by = NULL, lease_until = NULL, state = 'new' WHERE id = 3");
}

static void test_surveys(void **state)
{
    (void)state;
    char buf[64];
    struct cati_error err;
    assert_int_equal(shift_surveys(db, buf, sizeof buf, &err), 0);
    assert_string_equal(buf, "serve"); /* 'old' is paused */
}

static void test_case_load(void **state)
{
    (void)state;
    for (int i = 1; i <= 14; i++)
        add_call(1, i, i % 2 ? 1 : 2, now - 3600 * (15 - i), i == 14 ? "busy" : "no-answer",
                 i == 14 ? "line busy twice" : "");
    exec("UPDATE cases SET phone_pos = 2, attempts = 14, appointment_at = 99, appointment_with = 2,"
         " appointment_missed = 1 WHERE id = 1;"
         "INSERT INTO survey_versions(id, survey_id, version, source, loaded_at, uuid)"
         " VALUES (1, 1, 1, '', 0, 'v1');"
         "INSERT INTO interviews(id, uuid, case_id, survey_version_id, interviewer_id,"
         " current_question, started_at, updated_at) VALUES (7, 'i7', 1, 1, 1, 'days', 0, 0);"
         "INSERT INTO answers(uuid, interview_id, question, value, on_route, seq, answered_at,"
         " updated_at) VALUES ('a1', 7, 'q1', '1', 1, 1, 0, 0), ('a2', 7, 'q2', '2', 0, 2, 0, 0),"
         " ('a3', 7, 'q3', '3', 1, 3, 0, 0);");
    struct shift_case k;
    struct cati_error err;
    assert_int_equal(shift_case_load(db, 1, &k, &err), 0);
    /* the language to read: the interview's (switched to en), not the case's dz */
    assert_string_equal(k.read_language, "en");
    exec("UPDATE interviews SET language = 'dz' WHERE id = 7");
    assert_int_equal(shift_case_load(db, 1, &k, &err), 0);
    assert_string_equal(k.read_language, "dz");
    exec("UPDATE interviews SET language = 'en' WHERE id = 7");
    assert_int_equal(shift_case_load(db, 1, &k, &err), 0);
    assert_string_equal(k.ref, "R-1");
    assert_string_equal(k.name, "Dorji");
    assert_string_equal(k.survey, "serve");
    assert_string_equal(k.survey_title, "ServE");
    assert_string_equal(k.language, "dz");
    assert_string_equal(k.district, "Paro");
    assert_int_equal(k.attempts, 14);
    assert_int_equal(k.phone_pos, 2);
    assert_int_equal(k.nphones, 2);
    assert_string_equal(k.phones[0].status, "wrong-number");
    assert_string_equal(k.phones[1].number, "+97577000001");
    assert_int_equal(k.appointment_at, 99);
    assert_string_equal(k.appointment_with, "karma");
    assert_int_equal(k.appointment_missed, 1);
    /* newest call first, at most SHIFT_MAX_CALLS kept, the total counted */
    assert_int_equal(k.total_calls, 14);
    assert_int_equal(k.ncalls, SHIFT_MAX_CALLS);
    assert_string_equal(k.calls[0].outcome, "busy");
    assert_string_equal(k.calls[0].note, "line busy twice");
    assert_string_equal(k.calls[0].who, "karma");
    /* a note is held whole: both notes of the longest call, 2002 bytes */
    exec("UPDATE calls SET note = hex(zeroblob(1000)) || '; ' || hex(zeroblob(500)) WHERE case_id = 1 AND attempt = 14");
    assert_int_equal(shift_case_load(db, 1, &k, &err), 0);
    assert_int_equal(strlen(k.calls[0].note), 2002);
    exec("UPDATE calls SET note = 'line busy twice' WHERE case_id = 1 AND attempt = 14");
    assert_true(k.calls[0].at > k.calls[1].at);
    /* the unfinished interview: answers on the route only */
    assert_int_equal(k.open_interview, 7);
    assert_string_equal(k.open_question, "days");
    assert_int_equal(k.open_answered, 2);
    exec("UPDATE interviews SET outcome = 'complete' WHERE id = 7");
    assert_int_equal(shift_case_load(db, 1, &k, &err), 0);
    assert_int_equal(k.open_interview, 0);
    assert_string_equal(k.read_language, "en"); /* the latest interview's, ended or not */
    exec("DELETE FROM answers WHERE interview_id = 7; DELETE FROM interviews WHERE id = 7");
    assert_int_equal(shift_case_load(db, 1, &k, &err), 0);
    assert_string_equal(k.read_language, "dz"); /* no interview: the case's */
    assert_int_equal(shift_case_load(db, 99, &k, &err), -1);
    assert_string_equal(err.msg, "no case 99");
}

struct seen { char text[256]; };

static int collect(const char *name, const char *value, void *ctx)
{
    struct seen *s = ctx;
    size_t n = strlen(s->text);
    snprintf(s->text + n, sizeof s->text - n, "%s=%s;", name, value);
    return 0;
}

static void test_case_fields(void **state)
{
    (void)state;
    struct seen s = {""};
    struct cati_error err;
    assert_int_equal(shift_case_fields(db, 1, collect, &s, &err), 0);
    assert_string_equal(s.text, "age=40;gewog=Dopshari;");
    s.text[0] = '\0';
    assert_int_equal(shift_case_fields(db, 2, collect, &s, &err), 0);
    assert_string_equal(s.text, "");
}

static void test_breakoff_or_partial(void **state)
{
    (void)state;
    static const char src[] =
        "survey t \"T\"\n"
        "question q1 single\n  text en \"One\"\n  choice 1 \"Yes\"\n  choice 2 \"No\"\n"
        "question q2 number 0 9\n  text en \"Two\"\n"
        "question q3 number 0 9\n  text en \"Three\"\n"
        "question q4 number 0 9\n  text en \"Four\"\n";
    struct script_diags d = {0};
    struct cati_script *s = script_parse("t.cati", src, sizeof src - 1, &d);
    assert_non_null(s);
    struct cati_error err;
    struct cati_interview *iv = interview_new(s, NULL, &err);
    assert_non_null(iv);
    cfg.partial_percent = 50;
    assert_string_equal(shift_breakoff_outcome(&cfg, iv), "breakoff"); /* nothing answered */
    assert_int_equal(interview_answer(iv, "1", 0, NULL, &err), IV_OK);
    assert_string_equal(shift_breakoff_outcome(&cfg, iv), "breakoff"); /* 1 of 4 */
    assert_int_equal(interview_answer(iv, "5", 0, NULL, &err), IV_OK);
    assert_string_equal(shift_breakoff_outcome(&cfg, iv), "partial");  /* 2 of 4 = 50% */
    cfg.partial_percent = 80;
    assert_string_equal(shift_breakoff_outcome(&cfg, iv), "breakoff");
    interview_free(iv);
    script_free(s);
    script_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_today_only),
        cmocka_unit_test(test_unfinished),
        cmocka_unit_test(test_surveys),
        cmocka_unit_test(test_case_load),
        cmocka_unit_test(test_case_fields),
        cmocka_unit_test(test_breakoff_or_partial),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
