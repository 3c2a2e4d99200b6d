/* sync: pushing sites into a central database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cati/check.h"
#include "cati/db.h"
#include "cati/sync.h"

static char dir[64];

static const char *path_of(const char *name)
{
    static char p[8][128];
    static int i;
    i = (i + 1) % 8;
    snprintf(p[i], sizeof p[i], "%s/%s", dir, name);
    return p[i];
}

static sqlite3 *open_new(const char *name)
{
    sqlite3 *db;
    struct cati_error err;
    assert_int_equal(db_open(path_of(name), DB_OPEN_CREATE, 2000, &db, &err), 0);
    assert_int_equal(db_migrate(db, NULL, &err), 0);
    return db;
}

static void exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

static long long num(sqlite3 *db, const char *sql)
{
    long long v = -1;
    struct cati_error err;
    assert_int_equal(db_int(db, sql, NULL, 0, -1, &v, &err), 0);
    return v;
}

static const char *text(sqlite3 *db, const char *sql)
{
    static char buf[256];
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    buf[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return buf;
}

/* A central database: 'admin' (who runs the syncs) is its admin. */
static sqlite3 *open_central(const char *name)
{
    sqlite3 *db = open_new(name);
    exec(db, "INSERT INTO interviewers(login, role, created_at) VALUES('admin', 'admin', 1)");
    return db;
}

/* A site: survey serve (uuid su), version (uuid sv, source src), two
 * interviewers, three cases (uuid c1..c3) with phone, field, call,
 * interview, two answers, a log row and a flag on c1. */
static void fill_site(sqlite3 *db, const char *su, const char *sv, const char *src)
{
    char sql[4096];
    snprintf(sql, sizeof sql,
             "INSERT INTO interviewers(login, role, created_at) VALUES('zed', 'interviewer', 1),"
             " ('pema', 'interviewer', 1);"
             "INSERT INTO surveys(name, created_at, uuid) VALUES('serve', 1, '%s');"
             "INSERT INTO survey_versions(survey_id, version, source, loaded_at, uuid)"
             " VALUES(1, 1, '%s', 1, '%s');"
             "WITH k(n) AS (VALUES(1), (2), (3))"
             " INSERT INTO cases(uuid, survey_id, ref, name, state, attempts, interim_code,"
             " disposition, finalised_at, created_at, updated_at)"
             " SELECT 'c' || n, 1, 'r' || n, 'Name ' || n, 'final', 1, '1.1', '1.1', 20, 10, 20 FROM k;"
             "INSERT INTO phones(case_id, position, number) SELECT id, 1, '+975170000' || id FROM cases;"
             "INSERT INTO case_fields(case_id, name, value) SELECT id, 'gewog', 'Kawang' FROM cases;"
             "INSERT INTO calls(uuid, case_id, attempt, interviewer_id, started_at, ended_at,"
             " phone_pos, number, outcome, aapor, updated_at)"
             " SELECT 'k' || uuid, id, 1, 2, 15, 20, 1, 'x', 'complete', '1.1', 20 FROM cases;"
             "INSERT INTO interviews(uuid, case_id, survey_version_id, interviewer_id, outcome,"
             " started_at, completed_at, updated_at)"
             " SELECT 'i' || uuid, id, 1, 2, 'complete', 15, 20, 20 FROM cases;"
             "INSERT INTO answers(uuid, interview_id, question, value, seq, answered_at, updated_at)"
             " SELECT 'a' || uuid, id, 'q1', '3', 1, 16, 16 FROM interviews;"
             "INSERT INTO answers(uuid, interview_id, question, status, seq, answered_at, updated_at)"
             " SELECT 'b' || uuid, id, 'q2', 'dk', 2, 17, 17 FROM interviews;"
             "INSERT INTO answer_log(uuid, interview_id, question, event, new_value, interviewer_id, at)"
             " SELECT 'l' || uuid, id, 'q1', 'answer', '3', 2, 16 FROM interviews;"
             "INSERT INTO flags(uuid, interview_id, case_id, kind, question, raised_at, updated_at)"
             " VALUES('f1', 1, 1, 'complaint', 'q1', 20, 20);",
             su, src, sv);
    exec(db, sql);
}

struct seen {
    int n;
    char uuid[8][40];
    int won[8];
    int abort_at;
};

static void on_conflict(void *ctx, const struct sync_conflict *c)
{
    struct seen *s = ctx;
    if (s->n < 8) {
        snprintf(s->uuid[s->n], sizeof s->uuid[0], "%s", c->case_uuid);
        s->won[s->n] = c->site_won;
    }
    s->n++;
}

static int on_batch(void *ctx, long long batch, long long done)
{
    struct seen *s = ctx;
    (void)done;
    return s->abort_at && batch == s->abort_at;
}

static int run(sqlite3 *site, const char *name, sqlite3 *central, struct seen *seen,
               int batch, struct sync_result *res)
{
    struct sync_options o = {.login = "admin", .batch_cases = batch};
    if (seen) {
        o.on_conflict = on_conflict;
        o.on_batch = on_batch;
        o.ctx = seen;
    }
    struct cati_error err;
    int rc = sync_run(site, path_of(name), central, &o, res, &err);
    if (rc < 0 && (!seen || !seen->abort_at))
        fail_msg("sync: %s", err.msg);
    return rc;
}

static void test_push_remap_idempotent(void **state)
{
    (void)state;
    sqlite3 *site = open_new("s1.db"), *central = open_central("c1.db");
    fill_site(site, "su", "sv", "survey serve");
    /* the central database already has accounts, so ids differ */
    exec(central, "INSERT INTO interviewers(login, role, created_at) VALUES('other', 'interviewer', 1),"
                  " ('pema', 'admin', 1)");
    struct seen seen = {0};
    struct sync_result r;
    assert_int_equal(run(site, "s1.db", central, &seen, 2, &r), 0);
    assert_int_equal(r.cases_examined, 3);
    assert_int_equal(r.cases_changed, 3);
    assert_int_equal(r.batches, 2);
    assert_int_equal(r.t[SYNC_SURVEYS].inserted, 1);
    assert_int_equal(r.t[SYNC_INTERVIEWERS].inserted, 0); /* pema matched by login; zed unused */
    assert_int_equal(r.t[SYNC_CASES].inserted, 3);
    assert_int_equal(r.t[SYNC_ANSWERS].inserted, 6);
    assert_int_equal(r.t[SYNC_ANSWER_LOG].inserted, 3);
    assert_int_equal(r.t[SYNC_FLAGS].inserted, 1);
    /* local ids remapped: pema is 2 at the site, 3 centrally */
    assert_int_equal(num(central, "SELECT count(*) FROM calls WHERE interviewer_id = 3"), 3);
    assert_int_equal(num(central, "SELECT count(*) FROM answer_log WHERE interviewer_id = 3"), 3);
    assert_string_equal(text(central, "SELECT role FROM interviewers WHERE login = 'pema'"), "admin");
    assert_int_equal(num(central, "SELECT count(*) FROM answers a JOIN interviews i ON"
                                  " i.id = a.interview_id JOIN cases c ON c.id = i.case_id"
                                  " WHERE c.uuid = 'c2' AND a.question = 'q2' AND a.status = 'dk'"), 1);
    /* twice: nothing */
    assert_int_equal(run(site, "s1.db", central, &seen, 2, &r), 0);
    assert_int_equal(r.cases_examined, 3);
    assert_int_equal(r.cases_changed, 0);
    for (int t = 0; t < SYNC_NTABLES; t++)
        assert_true(r.t[t].inserted + r.t[t].updated + r.t[t].deleted == 0);
    /* every interview and call has its own change number; triggers are back on */
    assert_int_equal(num(central, "SELECT count(DISTINCT change_seq) FROM interviews WHERE change_seq > 0"), 3);
    assert_int_equal(num(central, "SELECT count(DISTINCT change_seq) FROM calls WHERE change_seq > 0"), 3);
    long long n0 = num(central, "SELECT n FROM change_seq");
    exec(central, "UPDATE calls SET note = 'x' WHERE uuid = 'kc1'");
    assert_int_equal(num(central, "SELECT n FROM change_seq"), n0 + 1);
    exec(central, "UPDATE calls SET note = '' WHERE uuid = 'kc1'");
    /* a change at the site after the sync is carried; a removed answer goes */
    exec(site, "UPDATE answers SET value = '4', updated_at = 30 WHERE uuid = 'aic1';"
               "DELETE FROM answers WHERE uuid = 'bic2';"
               "UPDATE cases SET priority = 3 WHERE uuid = 'c3'");
    assert_int_equal(run(site, "s1.db", central, &seen, 10, &r), 0);
    assert_int_equal(r.cases_changed, 3);
    assert_int_equal(r.t[SYNC_ANSWERS].updated, 1);
    assert_int_equal(r.t[SYNC_ANSWERS].deleted, 1);
    assert_int_equal(r.t[SYNC_CASES].updated, 1);
    assert_string_equal(text(central, "SELECT value FROM answers WHERE uuid = 'aic1'"), "4");
    /* the changed interviews took new change numbers (for export --since-last) */
    assert_int_equal(num(central, "SELECT count(*) FROM interviews WHERE change_seq >"
                                  " (SELECT max(change_seq) FROM interviews WHERE uuid = 'ic3')"), 2);
    assert_int_equal(num(central, "SELECT max(change_seq) = (SELECT n FROM change_seq)"
                                  " FROM interviews"), 1);
    assert_int_equal(num(central, "SELECT priority FROM cases WHERE uuid = 'c3'"), 3);
    assert_int_equal(seen.n, 0);
    db_close(site);
    db_close(central);
}

static void test_abort_and_resume(void **state)
{
    (void)state;
    sqlite3 *site = open_new("s2.db"), *central = open_central("c2.db");
    fill_site(site, "su", "sv", "survey serve");
    struct seen seen = {.abort_at = 2};
    struct sync_result r;
    assert_int_equal(run(site, "s2.db", central, &seen, 1, &r), -1);
    assert_int_equal(r.batches, 1);
    /* the first case whole, nothing of the second */
    assert_int_equal(num(central, "SELECT count(*) FROM cases"), 1);
    assert_int_equal(num(central, "SELECT count(*) FROM answers"), 2);
    assert_int_equal(num(central, "SELECT count(*) FROM calls"), 1);
    seen.abort_at = 0;
    assert_int_equal(run(site, "s2.db", central, &seen, 1, &r), 0);
    assert_int_equal(r.cases_changed, 2);
    assert_int_equal(r.t[SYNC_CASES].inserted, 2);
    assert_int_equal(num(central, "SELECT count(*) FROM answers"), 6);
    db_close(site);
    db_close(central);
}

static void test_conflict_rule(void **state)
{
    (void)state;
    sqlite3 *a = open_new("sa.db"), *b = open_new("sb.db"), *central = open_central("c3.db");
    fill_site(a, "su", "sv", "survey serve");
    fill_site(b, "su", "sv", "survey serve");
    exec(a, "INSERT INTO cases(uuid, survey_id, ref, name, created_at, updated_at)"
            " VALUES('c4', 1, 'r4', 'Fresh', 10, 10), ('c5', 1, 'r5', 'Fresh', 10, 10)");
    exec(b, "INSERT INTO cases(uuid, survey_id, ref, name, created_at, updated_at)"
            " VALUES('c4', 1, 'r4', 'Fresh', 10, 10), ('c5', 1, 'r5', 'Fresh', 10, 10)");
    /* c1 worked at both, b later; c2 worked at both at the same second;
     * c3 changed at a only, b's copy differs but was never worked;
     * c4 fresh at a, worked at b */
    exec(a, "UPDATE cases SET priority = 1, updated_at = 40 WHERE uuid IN ('c1', 'c2');"
            "UPDATE cases SET priority = 1, updated_at = 40 WHERE uuid = 'c3'");
    exec(b, "UPDATE cases SET priority = 2, updated_at = 50 WHERE uuid = 'c1';"
            "UPDATE cases SET priority = 2, updated_at = 40 WHERE uuid = 'c2';"
            "UPDATE cases SET name = 'Other', state = 'new', attempts = 0, updated_at = 10"
            " WHERE uuid = 'c3';"
            "UPDATE cases SET attempts = 1, state = 'open', updated_at = 60 WHERE uuid = 'c4'");
    struct seen seen = {0};
    struct sync_result r;
    assert_int_equal(run(a, "sa.db", central, &seen, 0, &r), 0);
    assert_int_equal(seen.n, 0);
    assert_int_equal(run(b, "sb.db", central, &seen, 0, &r), 0);
    assert_int_equal(r.conflicts, 2);
    assert_int_equal(seen.n, 2);
    assert_string_equal(seen.uuid[0], "c1");
    assert_int_equal(seen.won[0], 1);
    assert_string_equal(seen.uuid[1], "c2");
    assert_int_equal(seen.won[1], 0);
    assert_int_equal(num(central, "SELECT priority FROM cases WHERE uuid = 'c1'"), 2);
    assert_int_equal(num(central, "SELECT priority FROM cases WHERE uuid = 'c2'"), 1);
    assert_string_equal(text(central, "SELECT name FROM cases WHERE uuid = 'c3'"), "Name 3");
    assert_int_equal(num(central, "SELECT attempts FROM cases WHERE uuid = 'c4'"), 1);
    assert_int_equal(num(central, "SELECT count(*) FROM audit WHERE action = 'sync conflict'"), 2);
    /* append-only rows of both sites are kept: the same uuids, one copy each */
    assert_int_equal(num(central, "SELECT count(*) FROM calls"), 3);
    exec(b, "INSERT INTO calls(uuid, case_id, attempt, started_at, ended_at, phone_pos, number,"
            " outcome, aapor, updated_at) VALUES('kb', 1, 2, 55, 56, 1, 'x', 'busy', '3.12', 56)");
    assert_int_equal(run(b, "sb.db", central, &seen, 0, &r), 0);
    assert_int_equal(r.t[SYNC_CALLS].inserted, 1);
    assert_int_equal(r.conflicts, 0);
    /* a's next change to c1 (now b's row) is a conflict again; a is later */
    exec(a, "UPDATE cases SET priority = 9, updated_at = 70 WHERE uuid = 'c1'");
    assert_int_equal(run(a, "sa.db", central, &seen, 0, &r), 0);
    assert_int_equal(r.conflicts, 1);
    assert_int_equal(num(central, "SELECT priority FROM cases WHERE uuid = 'c1'"), 9);
    /* and a's own next change is not */
    exec(a, "UPDATE cases SET priority = 8, updated_at = 80 WHERE uuid = 'c1'");
    assert_int_equal(run(a, "sa.db", central, &seen, 0, &r), 0);
    assert_int_equal(r.conflicts, 0);
    assert_int_equal(num(central, "SELECT priority FROM cases WHERE uuid = 'c1'"), 8);
    db_close(a);
    db_close(b);
    db_close(central);
}

static void test_survey_matching(void **state)
{
    (void)state;
    sqlite3 *a = open_new("m1.db"), *b = open_new("m2.db"), *central = open_central("c4.db");
    fill_site(a, "su-a", "sv-a", "survey serve");
    fill_site(b, "su-b", "sv-b", "survey serve");
    exec(b, "INSERT INTO survey_versions(survey_id, version, source, loaded_at, uuid)"
            " VALUES(1, 2, 'survey serve version 2', 1, 'sv-b2');"
            "UPDATE cases SET uuid = 'b' || uuid, ref = 'b' || ref;"
            "UPDATE interviews SET uuid = 'b' || uuid, survey_version_id = 2 WHERE case_id = 3;"
            "UPDATE calls SET uuid = 'b' || uuid; UPDATE answers SET uuid = 'b' || uuid;"
            "UPDATE answer_log SET uuid = 'b' || uuid; UPDATE flags SET uuid = 'b' || uuid");
    struct sync_result r;
    assert_int_equal(run(a, "m1.db", central, NULL, 0, &r), 0);
    assert_int_equal(run(b, "m2.db", central, NULL, 0, &r), 0);
    assert_int_equal(r.t[SYNC_SURVEYS].inserted, 0);   /* same name */
    assert_int_equal(r.t[SYNC_VERSIONS].inserted, 1);  /* same source matched, new one added */
    assert_int_equal(num(central, "SELECT count(*) FROM surveys"), 1);
    assert_int_equal(num(central, "SELECT max(version) FROM survey_versions"), 2);
    assert_int_equal(num(central, "SELECT count(*) FROM cases"), 6);
    assert_int_equal(num(central, "SELECT v.version FROM interviews i JOIN survey_versions v"
                                  " ON v.id = i.survey_version_id WHERE i.uuid = 'bic3'"), 2);
    /* a case of the same (survey, ref) under another uuid is the same case */
    exec(a, "INSERT INTO cases(uuid, survey_id, ref, name, created_at, updated_at)"
            " VALUES('dup', 1, 'br1', 'Name 1', 10, 20)");
    assert_int_equal(run(a, "m1.db", central, NULL, 0, &r), 0);
    assert_int_equal(num(central, "SELECT count(*) FROM cases"), 6);
    db_close(a);
    db_close(b);
    db_close(central);
}

static void test_identity(void **state)
{
    (void)state;
    sqlite3 *a = open_new("id.db");
    char u1[37], u2[37], u3[37];
    struct cati_error err;
    assert_int_equal(sync_site_identity(a, path_of("id.db"), u1, &err), 0);
    assert_int_equal(sync_site_identity(a, path_of("id.db"), u2, &err), 0);
    assert_string_equal(u1, u2);
    assert_int_equal(strlen(u1), 36);
    exec(a, "PRAGMA wal_checkpoint(TRUNCATE)");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cp %s %s", path_of("id.db"), path_of("copy.db"));
    assert_int_equal(system(cmd), 0);
    sqlite3 *b;
    assert_int_equal(db_open(path_of("copy.db"), DB_OPEN_EXISTING, 1000, &b, &err), 0);
    assert_string_equal(text(b, "SELECT uuid FROM site_identity"), u1);
    assert_int_equal(sync_site_identity(b, path_of("copy.db"), u3, &err), 0);
    assert_string_not_equal(u1, u3);
    /* the same database as both ends is refused */
    struct sync_result r;
    struct sync_options o = {0};
    assert_int_equal(sync_run(a, path_of("id.db"), a, &o, &r, &err), -1);
    assert_non_null(strstr(err.msg, "own database"));
    db_close(a);
    db_close(b);
}

static void test_open_central(void **state)
{
    (void)state;
    sqlite3 *c;
    int created = 0;
    struct cati_error err;
    assert_int_equal(sync_open_central(path_of("new-central.db"), 1000, NULL, &c, &created, &err), 0);
    assert_int_equal(created, 1);
    assert_int_equal(num(c, "PRAGMA user_version"), db_schema_version());
    db_close(c);
    assert_int_equal(sync_open_central(path_of("new-central.db"), 1000, NULL, &c, &created, &err), 0);
    assert_int_equal(created, 0);
    db_close(c);
    FILE *f = fopen(path_of("junk.db"), "w");
    fputs("junk", f);
    fclose(f);
    assert_int_equal(sync_open_central(path_of("junk.db"), 1000, NULL, &c, &created, &err), -1);
    assert_string_equal(sync_table_name(SYNC_ANSWER_LOG), "answer_log");
}

static int count_dup(const struct sync_dup *d, void *ctx)
{
    int *n = ctx;
    n[0]++;
    n[1] += d->kept;
    if (d->kept && d->chosen_by)
        n[2]++;
    return 0;
}

/* The same ref completed at two sites (different case uuids): one central
 * case under the first uuid seen, both uuids mapped; one live interview
 * (the first to reach the central database, although b's was completed
 * earlier: a's may have been exported already), the other a duplicate in
 * no score; calls numbered in time order; twice changes nothing; a
 * supervisor keeps the other one, and that choice outlives later syncs. */
static void test_two_sites_one_case(void **state)
{
    (void)state;
    sqlite3 *a = open_new("da.db"), *b = open_new("db.db"), *central = open_central("dc.db");
    fill_site(a, "su", "sv", "survey serve");
    fill_site(b, "su", "sv", "survey serve");
    /* b: its own uuids for the same refs; b completed r1 first, called it earlier */
    exec(b, "UPDATE cases SET uuid = 'b' || uuid; UPDATE calls SET uuid = 'b' || uuid;"
            "UPDATE interviews SET uuid = 'b' || uuid; UPDATE answers SET uuid = 'b' || uuid;"
            "UPDATE answer_log SET uuid = 'b' || uuid; UPDATE flags SET uuid = 'b' || uuid;"
            "UPDATE interviews SET completed_at = 18 WHERE uuid = 'bic1';"
            "UPDATE calls SET started_at = 12 WHERE uuid = 'bkc1';"
            "UPDATE answers SET value = '5' WHERE uuid = 'baic1'");
    /* scores: q1 measures a parameter (central version 1 once pushed) */
    struct sync_result r;
    assert_int_equal(run(a, "da.db", central, NULL, 0, &r), 0);
    exec(central, "INSERT INTO survey_measures(survey_version_id, question, parameter, kind, lo, hi)"
                  " VALUES(1, 'q1', 'access', 'scale', 1, 5);"
                  "INSERT INTO survey_measures_done VALUES(1);"
                  "INSERT INTO score_sums SELECT 1, 'access', 'q1', 'scale', '', '', count(*),"
                  " sum(CAST(value AS REAL)), 0, 1, 5 FROM answers WHERE question = 'q1'");
    assert_int_equal(r.duplicates, 0);
    assert_int_equal(run(b, "db.db", central, NULL, 0, &r), 0);
    assert_int_equal(r.duplicates, 3);
    assert_int_equal(num(central, "SELECT count(*) FROM cases"), 3);
    /* one identity: the first uuid seen, every site's uuid mapped */
    assert_int_equal(num(central, "SELECT count(*) FROM cases WHERE uuid IN ('c1', 'c2', 'c3')"), 3);
    assert_int_equal(num(central, "SELECT count(*) FROM sync_case_map"), 6);
    assert_int_equal(num(central, "SELECT count(DISTINCT m.case_id) FROM sync_case_map m"
                                  " WHERE m.site_uuid IN ('c1', 'bc1')"), 1);
    /* one live interview per case: a's, pushed first (b completed r1 at 18,
     * before a at 20, but a's was already the case's interview) */
    assert_string_equal(text(central, "SELECT uuid FROM interviews WHERE state = 'live'"
                                      " AND case_id = (SELECT id FROM cases WHERE ref = 'r1')"), "ic1");
    assert_string_equal(text(central, "SELECT uuid FROM interviews WHERE state = 'live'"
                                      " AND case_id = (SELECT id FROM cases WHERE ref = 'r2')"), "ic2");
    assert_int_equal(num(central, "SELECT count(*) FROM interviews WHERE state = 'live'"), 3);
    assert_int_equal(num(central, "SELECT count(*) FROM interviews WHERE state = 'duplicate'"), 3);
    assert_int_equal(num(central, "SELECT count(*) FROM cases WHERE disposition = '1.1'"), 3);
    /* scores count the live interviews only: n 3, r1 with a's answer */
    assert_int_equal(num(central, "SELECT n FROM score_sums WHERE question = 'q1'"), 3);
    assert_int_equal(num(central, "SELECT CAST(total AS INTEGER) FROM score_sums"
                                  " WHERE question = 'q1'"), 9);
    /* calls in time order: b's #1 at 12 before a's #1 at 15 */
    assert_string_equal(text(central, "SELECT group_concat(uuid || '#' || attempt, ' ') FROM"
                                      " (SELECT * FROM calls WHERE case_id = (SELECT id FROM cases"
                                      " WHERE ref = 'r1') ORDER BY attempt)"), "bkc1#1 kc1#2");
    assert_int_equal(num(central, "SELECT count(*) FROM audit WHERE action = 'sync duplicate'"), 3);
    /* idempotent */
    assert_int_equal(run(a, "da.db", central, NULL, 0, &r), 0);
    assert_int_equal(r.cases_changed, 0);
    assert_int_equal(run(b, "db.db", central, NULL, 0, &r), 0);
    assert_int_equal(r.cases_changed, 0);
    long long seq = num(central, "SELECT n FROM change_seq");
    struct sync_options full = {.login = "admin", .full = 1};
    struct cati_error err;
    assert_int_equal(sync_run(b, path_of("db.db"), central, &full, &r, &err), 0);
    for (int t = 0; t < SYNC_NTABLES; t++)
        assert_true(r.t[t].inserted + r.t[t].updated + r.t[t].deleted == 0);
    assert_int_equal(r.duplicates, 0);
    assert_int_equal(num(central, "SELECT n FROM change_seq"), seq);
    /* listed: 3 cases x 2 interviews, the kept one each */
    int n[3] = {0, 0, 0};
    assert_int_equal(sync_conflicts_list(central, count_dup, n, &err), 0);
    assert_int_equal(n[0], 6);
    assert_int_equal(n[1], 3);
    assert_int_equal(n[2], 0);
    /* an interviewer may not choose; a supervisor keeps b's r1 */
    exec(central, "INSERT INTO interviewers(login, role, created_at) VALUES('sonam', 'supervisor', 1)");
    assert_int_equal(sync_conflicts_keep(central, "pema", "bic1", &err), -1);
    assert_non_null(strstr(err.msg, "permission denied"));
    assert_int_equal(sync_conflicts_keep(central, "sonam", "nosuch", &err), -1);
    assert_int_equal(sync_conflicts_keep(central, "sonam", "ic1", &err), 1);
    assert_int_equal(sync_conflicts_keep(central, "sonam", "bic1", &err), 0);
    assert_string_equal(text(central, "SELECT group_concat(uuid || ':' || state, ' ') FROM"
                                      " (SELECT * FROM interviews WHERE uuid IN ('ic1', 'bic1')"
                                      " ORDER BY uuid)"), "bic1:live ic1:duplicate");
    assert_int_equal(num(central, "SELECT CAST(total AS INTEGER) FROM score_sums"
                                  " WHERE question = 'q1'"), 11);
    assert_int_equal(num(central, "SELECT n FROM score_sums WHERE question = 'q1'"), 3);
    assert_int_equal(num(central, "SELECT count(*) FROM audit WHERE action = 'sync keep'"
                                  " AND login = 'sonam'"), 1);
    memset(n, 0, sizeof n);
    assert_int_equal(sync_conflicts_list(central, count_dup, n, &err), 0);
    assert_int_equal(n[2], 1);
    /* b changes its r1 interview: pushed again, the choice holds */
    exec(b, "UPDATE interviews SET language = 'dz', updated_at = 99 WHERE uuid = 'bic1'");
    assert_int_equal(run(b, "db.db", central, NULL, 0, &r), 0);
    assert_int_equal(r.cases_changed, 1);
    assert_string_equal(text(central, "SELECT state FROM interviews WHERE uuid = 'bic1'"), "live");
    assert_string_equal(text(central, "SELECT language FROM interviews WHERE uuid = 'bic1'"), "dz");
    db_close(a);
    db_close(b);
    db_close(central);
}

/* The central's own accounts decide who may sync: a site's admin who is
 * nobody centrally is refused before anything is written; and a site never
 * brings roles: its accounts arrive as disabled interviewers. */
static void test_central_roles(void **state)
{
    (void)state;
    sqlite3 *site = open_new("rs.db"), *central = open_central("rc.db");
    fill_site(site, "su", "sv", "survey serve");
    exec(site, "INSERT INTO interviewers(login, role, created_at) VALUES('mallory', 'admin', 1);"
               "UPDATE interviewers SET role = 'admin' WHERE login = 'pema'");
    struct sync_result r;
    struct sync_options o = {.login = "mallory"};
    struct cati_error err;
    long long before = num(central, "SELECT total_changes()");
    assert_int_equal(sync_run(site, path_of("rs.db"), central, &o, &r, &err), -1);
    assert_non_null(strstr(err.msg, "permission denied"));
    assert_int_equal(num(central, "SELECT total_changes()"), before);
    assert_int_equal(num(central, "SELECT count(*) FROM cases"), 0);
    assert_int_equal(num(central, "SELECT count(*) FROM sync_sites"), 0);
    /* an interviewer or a disabled supervisor of central: refused too */
    exec(central, "INSERT INTO interviewers(login, role, created_at) VALUES('mallory', 'interviewer', 1),"
                  " ('old', 'supervisor', 1); UPDATE interviewers SET active = 0 WHERE login = 'old'");
    assert_int_equal(sync_run(site, path_of("rs.db"), central, &o, &r, &err), -1);
    o.login = "old";
    assert_int_equal(sync_run(site, path_of("rs.db"), central, &o, &r, &err), -1);
    o.login = NULL;
    assert_int_equal(sync_run(site, path_of("rs.db"), central, &o, &r, &err), -1);
    /* opening an existing central checks before it writes */
    sqlite3 *c2;
    int created;
    assert_int_equal(sync_open_central(path_of("rc.db"), 1000, "nobody", &c2, &created, &err), -1);
    assert_non_null(strstr(err.msg, "permission denied"));
    assert_int_equal(sync_open_central(path_of("rc.db"), 1000, "admin", &c2, &created, &err), 0);
    db_close(c2);
    /* the site's admin pema arrives as a disabled interviewer */
    assert_int_equal(run(site, "rs.db", central, NULL, 0, &r), 0);
    assert_string_equal(text(central, "SELECT role || ',' || active FROM interviewers"
                                      " WHERE login = 'pema'"), "interviewer,0");
    assert_int_equal(num(central, "SELECT count(*) FROM interviewers WHERE role = 'admin'"), 1);
    db_close(site);
    db_close(central);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/cati-sync-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* What a central database keeps of a case worked at two sites: never the
 * sites' claims; a supervisor's complete stays marked as one (so cati
 * check accepts it there, where site accounts are disabled interviewers);
 * and the case's code is what all its calls give, whichever site's case row
 * arrived last. */
static void test_central_case_rules(void **state)
{
    (void)state;
    sqlite3 *a = open_new("ea.db"), *b = open_new("eb.db"), *central = open_central("ec.db");
    fill_site(a, "su", "sv", "survey serve");
    fill_site(b, "su", "sv", "survey serve");
    exec(b, "UPDATE cases SET uuid = 'b' || uuid; UPDATE calls SET uuid = 'b' || uuid;"
            "UPDATE interviews SET uuid = 'b' || uuid; UPDATE answers SET uuid = 'b' || uuid;"
            "UPDATE answer_log SET uuid = 'b' || uuid; UPDATE flags SET uuid = 'b' || uuid;");
    /* r1 at a: completed by a supervisor's note, no interview */
    exec(a, "UPDATE interviewers SET role = 'supervisor' WHERE login = 'pema';"
            "DELETE FROM flags; DELETE FROM answer_log; DELETE FROM answers WHERE interview_id = 1;"
            "DELETE FROM interviews WHERE id = 1;"
            "UPDATE calls SET note = 'on paper', by_supervisor = 1 WHERE case_id = 1;"
            /* r2 at a: refused (final 2.11), and held by zed meanwhile (another claim) */
            "DELETE FROM answers WHERE interview_id = 2; DELETE FROM interviews WHERE id = 2;"
            "UPDATE calls SET outcome = 'refusal', aapor = '2.11' WHERE case_id = 2;"
            "UPDATE cases SET disposition = '2.11', interim_code = '2.11', claimed_by = 1,"
            " claimed_at = 30, lease_until = 99999999999 WHERE id = 2");
    /* r2 at b: a later call retired its only number (final 4.32 there) */
    exec(b, "DELETE FROM answer_log WHERE interview_id = 2;"
            "DELETE FROM answers WHERE interview_id = 2; DELETE FROM interviews WHERE id = 2;"
            "UPDATE calls SET outcome = 'disconnected', aapor = '4.32', started_at = 40, ended_at = 41,"
            " updated_at = 41 WHERE case_id = 2;"
            "UPDATE phones SET status = 'disconnected' WHERE case_id = 2;"
            "UPDATE cases SET disposition = '4.32', interim_code = '4.32', finalised_at = 41,"
            " updated_at = 41 WHERE id = 2");
    /* r3: refused at a (final 2.11); still open at b, whose later no-answer
     * makes b's case row the newer one */
    exec(a, "DELETE FROM answers WHERE interview_id = 3; DELETE FROM interviews WHERE id = 3;"
            "UPDATE calls SET outcome = 'refusal', aapor = '2.11' WHERE case_id = 3;"
            "UPDATE cases SET disposition = '2.11', interim_code = '2.11' WHERE id = 3");
    exec(b, "DELETE FROM answer_log WHERE interview_id = 3;"
            "DELETE FROM answers WHERE interview_id = 3; DELETE FROM interviews WHERE id = 3;"
            "UPDATE calls SET outcome = 'no-answer', aapor = '3.13', started_at = 50, ended_at = 51,"
            " updated_at = 51 WHERE case_id = 3;"
            "UPDATE cases SET state = 'open', disposition = NULL, interim_code = '3.13',"
            " finalised_at = NULL, next_call_at = 9999, updated_at = 51 WHERE id = 3");
    struct sync_result r;
    assert_int_equal(run(a, "ea.db", central, NULL, 0, &r), 0);
    assert_int_equal(num(central, "SELECT count(*) FROM cases WHERE claimed_by IS NOT NULL"
                                  " OR lease_until IS NOT NULL OR claimed_at IS NOT NULL"), 0);
    assert_int_equal(num(central, "SELECT by_supervisor FROM calls WHERE uuid = 'kc1'"), 1);
    assert_int_equal(run(b, "eb.db", central, NULL, 0, &r), 0);
    /* r2: its calls, refusal then disconnected, give 2.11 (eligibility was
     * established), although b's case row (4.32) is the newer */
    assert_string_equal(text(central, "SELECT state || ' ' || disposition FROM cases WHERE ref = 'r2'"),
                        "final 2.11");
    assert_int_equal(num(central, "SELECT count(*) FROM audit WHERE action = 'sync disposition'"
                                  " AND detail LIKE '%final 2.11 from the calls of every site'"), 1);
    /* r3: the refusal stays, whatever b did later */
    assert_string_equal(text(central, "SELECT state || ' ' || disposition FROM cases WHERE ref = 'r3'"),
                        "final 2.11");
    struct check_report rep;
    struct cati_error err;
    assert_int_equal(check_run(central, &rep, &err), 0);
    for (size_t i = 0; i < rep.n; i++)
        print_message("violation: %s %s %s\n", check_kind_name(rep.v[i].kind), rep.v[i].ref,
                      rep.v[i].message);
    assert_int_equal(rep.n, 0);
    check_report_release(&rep);
    /* idempotent */
    assert_int_equal(run(a, "ea.db", central, NULL, 0, &r), 0);
    assert_int_equal(r.cases_changed, 0);
    db_close(a);
    db_close(b);
    db_close(central);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_push_remap_idempotent),
        cmocka_unit_test(test_abort_and_resume),
        cmocka_unit_test(test_conflict_rule),
        cmocka_unit_test(test_survey_matching),
        cmocka_unit_test(test_identity),
        cmocka_unit_test(test_open_central),
        cmocka_unit_test(test_two_sites_one_case),
        cmocka_unit_test(test_central_roles),
        cmocka_unit_test(test_central_case_rules),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
