/* Rules with one home (issue 14): each is checked here where it lives —
 * the refusal category, the [retry] delay table, the survey lookup by
 * name, the copy-a-column helper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cati/case.h"
#include "cati/config.h"
#include "cati/dashboard.h"
#include "cati/db.h"
#include "cati/disposition.h"
#include "cati/sample.h"
#include "cati/schedule.h"
#include "cati/script.h"
#include "../../src/core/score_sql.h"

static void test_refusal_category(void **state)
{
    (void)state;
    size_t n;
    const struct schedule_outcome *o = schedule_outcomes(&n);
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        int want = !strcmp(o[i].keyword, "refusal") || !strcmp(o[i].keyword, "soft-refusal") ||
                   !strcmp(o[i].keyword, "breakoff");
        assert_int_equal(schedule_outcome_refusal(&o[i]), want);
        count += want;
    }
    assert_int_equal(count, 3);
    assert_int_equal(schedule_outcome_refusal(NULL), 0);
}

static void test_retry_delays(void **state)
{
    (void)state;
    struct cati_config cfg;
    config_defaults(&cfg);
    cfg.retry_busy = 11;
    cfg.retry_no_answer = 12;
    cfg.retry_answering_machine = 13;
    cfg.retry_message_left = 14;
    cfg.retry_not_available = 15;
    cfg.retry_soft_refusal = 16;
    cfg.retry_technical = 17;
    cfg.retry_language = 18;
    assert_int_equal(schedule_retry_minutes(&cfg, RETRY_NONE), 0);
    assert_int_equal(schedule_retry_minutes(&cfg, RETRY_BUSY), 11);
    assert_int_equal(schedule_retry_minutes(&cfg, RETRY_NO_ANSWER), 12);
    assert_int_equal(schedule_retry_minutes(&cfg, RETRY_ANSWERING_MACHINE), 13);
    assert_int_equal(schedule_retry_minutes(&cfg, RETRY_MESSAGE_LEFT), 14);
    assert_int_equal(schedule_retry_minutes(&cfg, RETRY_NOT_AVAILABLE), 15);
    assert_int_equal(schedule_retry_minutes(&cfg, RETRY_SOFT_REFUSAL), 16);
    assert_int_equal(schedule_retry_minutes(&cfg, RETRY_TECHNICAL), 17);
    assert_int_equal(schedule_retry_minutes(&cfg, RETRY_LANGUAGE), 18);
    /* every retry outcome of the table has a delay, every other none */
    size_t n;
    const struct schedule_outcome *o = schedule_outcomes(&n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(o[i].rule == SCHED_RETRY, schedule_retry_minutes(&cfg, o[i].retry) > 0);
}

static void test_survey_lookup_and_copy(void **state)
{
    (void)state;
    char dir[] = "/tmp/cati-test-rules-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/r.db", dir);
    sqlite3 *db;
    struct cati_error err;
    int created;
    assert_int_equal(db_open(path, DB_OPEN_CREATE, 100, &db, &err), 0);
    assert_int_equal(db_migrate(db, &created, &err), 0);
    assert_int_equal(db_exec(db, "INSERT INTO surveys(id, name, title, created_at, uuid)"
                                 " VALUES (7, 'alpha', 'Alpha', 0, 'u7')", &err), 0);
    long long id = 42;
    assert_int_equal(dashboard_survey_id(db, "nope", &id, &err), -1);
    assert_int_equal(err.kind, CATI_ERR_NOT_FOUND);
    assert_string_equal(err.msg, "unknown survey 'nope'");
    assert_int_equal(id, 42); /* untouched when not found */
    assert_int_equal(dashboard_survey_id(db, "alpha", &id, &err), 0);
    assert_int_equal(id, 7);

    sqlite3_stmt *st;
    assert_int_equal(db_prepare(db, "SELECT name, NULL FROM surveys", &st, &err), 0);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char buf[4] = "xyz";
    db_column_copy(st, 0, buf, sizeof buf);
    assert_string_equal(buf, "alp"); /* cut to size */
    db_column_copy(st, 1, buf, sizeof buf);
    assert_string_equal(buf, ""); /* NULL as "" */
    sqlite3_finalize(st);
    db_close(db);
    unlink(path);
    char wal[80];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    rmdir(dir);
}

static void test_priority_range(void **state)
{
    (void)state;
    long p = 5;
    assert_int_equal(case_priority_parse("1000000", &p), 0);
    assert_int_equal(p, 1000000);
    assert_int_equal(case_priority_parse("-1000000", &p), 0);
    assert_int_equal(p, -1000000);
    assert_int_equal(case_priority_parse("1000001", &p), -1);
    assert_int_equal(case_priority_parse("-1000001", &p), -1);
    assert_int_equal(case_priority_parse("1.5", &p), -1);
    assert_int_equal(case_priority_parse("", &p), -1);
    assert_int_equal(case_priority_parse(NULL, &p), -1);
    assert_int_equal(p, -1000000);
    struct cati_error err;
    assert_int_equal(case_set_priority(NULL, 1, CASE_PRIORITY_MAX + 1, NULL, &err), -1);
    assert_int_equal(err.kind, CATI_ERR_INPUT);
}

static long long one(sqlite3 *db, const char *sql, const char *text)
{
    struct cati_error err;
    long long v = -1;
    assert_int_equal(db_int(db, sql, text, 0, -1, &v, &err), 0);
    return v;
}

/* The score triggers expand the one definition of the top-two-box rule
 * (five places), and count top two points of a scale and good codes. */
static void test_top_two_box(void **state)
{
    (void)state;
    char dir[] = "/tmp/cati-test-rules-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.db", dir);
    sqlite3 *db;
    struct cati_error err;
    int created;
    assert_int_equal(db_open(path, DB_OPEN_CREATE, 100, &db, &err), 0);
    assert_int_equal(db_migrate(db, &created, &err), 0);
    static const char *const in[] = {SCORE_TOP_SQL("new", "m"), SCORE_TOP_SQL("old", "m"),
                                     SCORE_TOP_SQL("a", "m")};
    long long uses = 0;
    for (int i = 0; i < 3; i++)
        uses += one(db, "SELECT sum((length(sql) - length(replace(sql, ?1, ''))) / length(?1))"
                        " FROM sqlite_master WHERE type = 'trigger'", in[i]);
    assert_int_equal(uses, 5);
    assert_int_equal(db_exec(db,
        "INSERT INTO surveys(id, name, created_at, uuid) VALUES (1, 's', 0, 's1');"
        "INSERT INTO survey_versions(id, survey_id, version, source, loaded_at, uuid)"
        " VALUES (1, 1, 1, '', 0, 'v1');"
        "INSERT INTO survey_measures VALUES (1, 'q', 'p', 'scale', 1, 5, ''),"
        " (1, 'b', 'integrity', 'single', 0, 0, ',2,');"
        "INSERT INTO cases(id, uuid, survey_id, ref, name, service, agency, state, next_call_at,"
        " interim_code, created_at, updated_at) VALUES"
        " (1, 'c1', 1, 'R1', 'n', 'x', 'y', 'final', 0, '1.1', 0, 0),"
        " (2, 'c2', 1, 'R2', 'n', 'x', 'y', 'final', 0, '1.1', 0, 0),"
        " (3, 'c3', 1, 'R3', 'n', 'x', 'y', 'final', 0, '1.1', 0, 0);"
        "INSERT INTO interviews(id, uuid, case_id, survey_version_id, started_at, updated_at)"
        " VALUES (1, 'i1', 1, 1, 0, 0), (2, 'i2', 2, 1, 0, 0), (3, 'i3', 3, 1, 0, 0);"
        "INSERT INTO answers(uuid, interview_id, question, status, value, on_route, seq, answered_at,"
        " updated_at) VALUES ('a1', 1, 'q', 'value', '5', 1, 1, 0, 0), ('a2', 2, 'q', 'value', '4', 1, 1, 0, 0),"
        " ('a3', 3, 'q', 'value', '3', 1, 1, 0, 0), ('b1', 1, 'b', 'value', '2', 1, 2, 0, 0),"
        " ('b2', 2, 'b', 'value', '1', 1, 2, 0, 0), ('b3', 3, 'b', 'dk', '', 1, 2, 0, 0);"
        "UPDATE interviews SET outcome = 'complete';", &err), 0);
    assert_int_equal(one(db, "SELECT n * 100 + top FROM score_sums WHERE question = ?1", "q"), 302);
    assert_int_equal(one(db, "SELECT n * 100 + top FROM score_sums WHERE question = ?1", "b"), 201);
    /* a corrected answer and a deleted one move the sums */
    assert_int_equal(db_exec(db, "UPDATE answers SET value = '4' WHERE uuid = 'a3';"
                                 "DELETE FROM answers WHERE uuid = 'b1';", &err), 0);
    assert_int_equal(one(db, "SELECT n * 100 + top FROM score_sums WHERE question = ?1", "q"), 303);
    assert_int_equal(one(db, "SELECT n * 100 + top FROM score_sums WHERE question = ?1", "b"), 100);
    assert_int_equal(one(db, "SELECT CAST(total AS INTEGER) FROM score_sums WHERE question = ?1", "q"), 13);
    db_close(db);
    unlink(path);
    char aux[80];
    snprintf(aux, sizeof aux, "%s-wal", path);
    unlink(aux);
    snprintf(aux, sizeof aux, "%s-shm", path);
    unlink(aux);
    rmdir(dir);
}

static void test_standard_fields(void **state)
{
    (void)state;
    static const char *const script[] = {"ref", "name", "service", "agency", "district",
                                         "availed_on", "language"};
    static const char *const quota[] = {"language", "service", "agency", "district"};
    int nscript = 0, nquota = 0, n = 0;
    for (const struct sample_field *f = sample_fields; f->name; f++, n++) {
        nscript += script_standard_field(f->name);
        nquota += !!(f->use & SAMPLE_FIELD_QUOTA);
        assert_ptr_equal(sample_field_find(f->name), f);
    }
    assert_int_equal(n, 10);
    assert_int_equal(nscript, 7);
    assert_int_equal(nquota, 4);
    for (size_t i = 0; i < sizeof script / sizeof *script; i++)
        assert_true(script_standard_field(script[i]));
    for (size_t i = 0; i < sizeof quota / sizeof *quota; i++)
        assert_true(sample_field_find(quota[i])->use & SAMPLE_FIELD_QUOTA);
    assert_false(script_standard_field("phone"));
    assert_false(script_standard_field("priority"));
    assert_null(sample_field_find("phone2"));
    assert_null(sample_field_find(NULL));
}

static int see_phone(const struct case_phone *p, void *ctx)
{
    int *order = ctx;
    order[0] = order[0] * 10 + p->position;
    return strcmp(p->status, "stop") == 0;
}

struct seen { int n, stop_at; int attempts[8]; char notes[8][200]; };

static int see_call(const struct case_call *k, void *ctx)
{
    struct seen *x = ctx;
    x->attempts[x->n] = k->attempt;
    snprintf(x->notes[x->n], sizeof x->notes[0], "%s/%s/%s", k->interviewer, k->outcome, k->slot);
    return ++x->n == x->stop_at; /* non-zero stops */
}

/* The one loader of a case's calls, oldest first, with the total. */
static void test_case_calls(void **state)
{
    (void)state;
    char dir[] = "/tmp/cati-test-rules-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/c.db", dir);
    sqlite3 *db;
    struct cati_error err;
    int created, total = -1;
    assert_int_equal(db_open(path, DB_OPEN_CREATE, 100, &db, &err), 0);
    assert_int_equal(db_migrate(db, &created, &err), 0);
    assert_int_equal(db_exec(db,
        "INSERT INTO surveys(id, name, created_at, uuid) VALUES (1, 's', 0, 's1');"
        "INSERT INTO interviewers(id, login, name, role, active, created_at)"
        " VALUES (5, 'amy', 'Amy', 'interviewer', 1, 0);"
        "INSERT INTO cases(id, uuid, survey_id, ref, name, service, agency, state, next_call_at,"
        " interim_code, created_at, updated_at) VALUES (1, 'c1', 1, 'R1', 'n', 'x', 'y', 'open', 0, '3.13', 0, 0);"
        "INSERT INTO calls(uuid, case_id, attempt, interviewer_id, started_at, ended_at, phone_pos,"
        " number, outcome, aapor, slot, updated_at) VALUES"
        " ('k3', 1, 3, NULL, 30, 31, 1, '+975', 'busy', '3.12', '', 0),"
        " ('k1', 1, 1, 5, 10, 11, 1, '+975', 'no-answer', '3.13', 'day', 0),"
        " ('k2', 1, 2, 5, 20, 21, 1, '+975', 'busy', '3.12', 'eve', 0);", &err), 0);
    struct seen x = {0};
    assert_int_equal(case_calls(db, 1, see_call, &x, &total, &err), 0);
    assert_int_equal(total, 3);
    assert_int_equal(x.n, 3);
    assert_int_equal(x.attempts[0], 1);
    assert_int_equal(x.attempts[2], 3);
    assert_string_equal(x.notes[0], "amy/no-answer/day");
    assert_string_equal(x.notes[2], "/busy/");
    memset(&x, 0, sizeof x);
    x.stop_at = 2;
    assert_int_equal(case_calls(db, 1, see_call, &x, NULL, &err), 0);
    assert_int_equal(x.n, 2);
    memset(&x, 0, sizeof x);
    assert_int_equal(case_calls(db, 2, see_call, &x, &total, &err), 0);
    assert_int_equal(x.n, 0);
    assert_int_equal(total, 0);
    /* and the one loader of a case's row */
    struct case_info k;
    assert_int_equal(case_info_load(db, 2, &k, &err), 0);
    assert_int_equal(db_exec(db, "UPDATE cases SET claimed_by = 5, lease_until = 99, priority = -3"
                                 " WHERE id = 1", &err), 0);
    assert_int_equal(case_info_load(db, 1, &k, &err), 1);
    assert_string_equal(k.survey, "s");
    assert_string_equal(k.ref, "R1");
    assert_string_equal(k.code, "3.13"); /* open: the best code so far */
    assert_string_equal(k.disposition, "");
    assert_string_equal(k.claimed_login, "amy");
    assert_int_equal(k.priority, -3);
    assert_int_equal(k.nflags, 0);
    assert_int_equal(db_exec(db, "INSERT INTO phones(case_id, position, number, status, attempts) VALUES"
                                 " (1, 2, '+2', 'stop', 0), (1, 1, '+1', 'ok', 1), (1, 3, '+3', 'ok', 0)",
                             &err), 0);
    int order = 0;
    assert_int_equal(case_phones(db, 1, see_phone, &order, &err), 0);
    assert_int_equal(order, 12); /* by position, stopped by the callback */
    db_close(db);
    unlink(path);
    char aux[80];
    snprintf(aux, sizeof aux, "%s-wal", path);
    unlink(aux);
    snprintf(aux, sizeof aux, "%s-shm", path);
    unlink(aux);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refusal_category),
        cmocka_unit_test(test_retry_delays),
        cmocka_unit_test(test_survey_lookup_and_copy),
        cmocka_unit_test(test_priority_range),
        cmocka_unit_test(test_top_two_box),
        cmocka_unit_test(test_standard_fields),
        cmocka_unit_test(test_case_calls),
    };
    return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
