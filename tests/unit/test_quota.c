/* Quota cells: target, achieved (the queue's completes rule), remaining,
 * full; the check that quotas name fields the samples have. */
#include "queue_fixture.h"

#include "cati/quota.h"

static struct fx F;

static int setup(void **state)
{
    (void)state;
    fx_setup(&F);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_teardown(&F);
    return 0;
}

static void complete(long long id)
{
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE cases SET state = 'final', disposition = '1.1' WHERE id = %lld", id);
    fx_exec(&F, sql);
}

static void test_cells(void **state)
{
    (void)state;
    F.cfg.nquotas = 3;
    F.cfg.quotas[0] = (struct cati_quota){.field = "service", .value = "CID_New", .limit = 2};
    F.cfg.quotas[1] = (struct cati_quota){.field = "gewog", .value = "Chang", .limit = 1};
    F.cfg.quotas[2] = (struct cati_quota){.field = "service", .value = "census_move", .limit = 0};
    fx_exec(&F, "INSERT INTO surveys(name, title, created_at, uuid, paused) VALUES('other', '', 0, 's2', 1)");
    struct fx_case cid = {.service = "cid_new"}, census = {.service = "census_move"};
    long long a = fx_case(&F, &cid), b = fx_case(&F, &cid), c = fx_case(&F, &cid);
    long long d = fx_case(&F, &census);
    char sql[256];
    snprintf(sql, sizeof sql, "INSERT INTO case_fields(case_id, name, value) VALUES(%lld, 'gewog', 'chang'),"
             " (%lld, 'gewog', 'Chang'), (%lld, 'gewog', 'kawang'), (%lld, 'gewog', 'Chang')", a, b, c, d);
    fx_exec(&F, sql);
    complete(a);
    complete(c);
    fx_exec(&F, "UPDATE cases SET state = 'final', disposition = '2.11' WHERE id = 2"); /* b: refusal */
    struct quota_cell *cells;
    int n;
    struct cati_error err;
    assert_int_equal(quota_cells(F.db, &F.cfg, 0, &cells, &n, &err), 0);
    assert_int_equal(n, 6); /* 3 quotas x 2 surveys, by survey name */
    assert_string_equal(cells[0].survey, "other");
    assert_int_equal(cells[0].paused, 1);
    assert_int_equal(cells[0].achieved, 0);
    assert_int_equal(cells[0].remaining, 2);
    const struct quota_cell *s = &cells[3];
    assert_string_equal(s[0].survey, "serve");
    assert_int_equal(s[0].paused, 0);
    /* service CID_New: a and c complete (compared without regard to case), b refused */
    assert_string_equal(s[0].field, "service");
    assert_string_equal(s[0].value, "CID_New");
    assert_int_equal(s[0].target, 2);
    assert_int_equal(s[0].achieved, 2);
    assert_int_equal(s[0].remaining, 0);
    assert_int_equal(s[0].full, 1);
    /* gewog Chang: a only (c is kawang, d not complete) */
    assert_int_equal(s[1].achieved, 1);
    assert_int_equal(s[1].full, 1);
    /* a target of 0 is full at once; remaining never below 0 */
    assert_int_equal(s[2].achieved, 0);
    assert_int_equal(s[2].remaining, 0);
    assert_int_equal(s[2].full, 1);
    free(cells);
    /* one survey; achieved agrees with quota_completes (the queue's rule) */
    F.cfg.quotas[0].limit = 5;
    assert_int_equal(quota_cells(F.db, &F.cfg, F.survey, &cells, &n, &err), 0);
    assert_int_equal(n, 3);
    long long k;
    assert_int_equal(quota_completes(F.db, F.survey, &F.cfg.quotas[0], &k, &err), 0);
    assert_int_equal(cells[0].achieved, k);
    assert_int_equal(cells[0].remaining, 3);
    assert_int_equal(cells[0].full, 0);
    free(cells);
    /* no quota: no cell */
    F.cfg.nquotas = 0;
    assert_int_equal(quota_cells(F.db, &F.cfg, 0, &cells, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_null(cells);
}

static void test_check_db(void **state)
{
    (void)state;
    struct cati_error err;
    cati_strlcpy(F.cfg.file, "cati.ini", sizeof F.cfg.file);
    F.cfg.nquotas = 2;
    F.cfg.quotas[0] = (struct cati_quota){.field = "service", .value = "x", .limit = 2, .line = 3};
    F.cfg.quotas[1] = (struct cati_quota){.field = "gewog", .value = "Chang", .limit = 1, .line = 4};
    /* before any sample: nothing to hold the quota against */
    assert_int_equal(quota_check_db(F.db, &F.cfg, &err), 0);
    long long a = fx_case(&F, NULL);
    assert_int_equal(quota_check_db(F.db, &F.cfg, &err), -1);
    assert_string_equal(err.file, "cati.ini");
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.msg, "quota:gewog.Chang: the sample of survey 'serve' has no field 'gewog'"));
    char sql[128];
    snprintf(sql, sizeof sql, "INSERT INTO case_fields(case_id, name, value) VALUES(%lld, 'gewog', '')", a);
    fx_exec(&F, sql);
    assert_int_equal(quota_check_db(F.db, &F.cfg, &err), 0);
    /* a standard field needs no column */
    F.cfg.nquotas = 1;
    fx_exec(&F, "DELETE FROM case_fields");
    assert_int_equal(quota_check_db(F.db, &F.cfg, &err), 0);
}

static void test_missing_column(void **state)
{
    (void)state;
    F.cfg.nquotas = 2;
    F.cfg.quotas[0] = (struct cati_quota){.field = "district", .value = "Paro", .limit = 2};
    F.cfg.quotas[1] = (struct cati_quota){.field = "gewog", .value = "Chang", .limit = 1};
    const char *with[] = {"ref", "name", "phone", "gewog"}, *without[] = {"ref", "name", "phone"};
    assert_null(quota_missing_column(&F.cfg, with, 4));
    assert_ptr_equal(quota_missing_column(&F.cfg, without, 3), &F.cfg.quotas[1]);
    assert_true(quota_std_field("language"));
    assert_false(quota_std_field("gewog"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_db, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_column, setup, teardown),
    };
    return cmocka_run_group_tests_name("quota", tests, NULL, NULL);
}
