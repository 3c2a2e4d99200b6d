/* Respondent import: good files, every kind of bad row (reported with its
 * line, database unchanged), header problems, phone normalisation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cati/config.h"
#include "cati/db.h"
#include "cati/sample.h"
#include "cati/util.h"

#define NOW 1767225600 /* 2026-01-01 00:00 UTC */

struct fixture {
    char dir[64];
    char path[128];
    sqlite3 *db;
    struct cati_config cfg;
};

struct bad_log {
    int n;
    int line[64];
    char msg[64][256];
};

static void on_bad(const struct cati_error *e, void *ctx)
{
    struct bad_log *log = ctx;
    assert_string_equal(e->file, "s.csv");
    if (log->n < 64) {
        log->line[log->n] = e->line;
        cati_strlcpy(log->msg[log->n], e->msg, sizeof log->msg[0]);
    }
    log->n++;
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    strcpy(fx->dir, "/tmp/cati-sample-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->path, sizeof fx->path, "%s/cati.db", fx->dir);
    struct cati_error err;
    assert_int_equal(db_open(fx->path, DB_OPEN_CREATE, 1000, &fx->db, &err), 0);
    assert_int_equal(db_migrate(fx->db, NULL, &err), 0);
    assert_int_equal(db_exec(fx->db,
                             "INSERT INTO surveys(name, title, created_at, uuid)"
                             " VALUES ('serve', 'ServE', 0, 's1'), ('other', 'Other', 0, 's2');"
                             "INSERT INTO survey_versions(survey_id, version, source, fields,"
                             " loaded_at, uuid) VALUES (1, 1, '', 'old_field', 0, 'v1'),"
                             " (1, 2, '', 'gewog', 0, 'v2');",
                             &err),
                     0);
    config_defaults(&fx->cfg);
    cati_clock_set(NOW);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    db_close(fx->db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    assert_int_equal(system(cmd), 0);
    free(fx);
    cati_clock_set(0);
    return 0;
}

static enum sample_status import(struct fixture *fx, const char *survey, const char *csv,
                                 struct bad_log *log, struct sample_result *res,
                                 struct cati_error *err)
{
    FILE *in = fmemopen((void *)csv, strlen(csv), "r");
    assert_non_null(in);
    memset(log, 0, sizeof *log);
    enum sample_status st =
        sample_import(fx->db, &fx->cfg, survey, in, "s.csv", "admin", on_bad, log, res, err);
    fclose(in);
    return st;
}

static long long q(struct fixture *fx, const char *sql)
{
    long long v = -1;
    struct cati_error err;
    assert_int_equal(db_int(fx->db, sql, NULL, 0, -1, &v, &err), 0);
    return v;
}

static char *qs(struct fixture *fx, const char *sql)
{
    static char buf[512];
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(fx->db, sql, -1, &st, NULL), SQLITE_OK);
    buf[0] = '\0';
    size_t o = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? "|" : (o ? ";" : ""),
                                  t ? (const char *)t : "NULL");
        }
    }
    sqlite3_finalize(st);
    return buf;
}

/* Rows in every table the import writes: must not change on a rejected file. */
static long long snapshot(struct fixture *fx)
{
    return q(fx, "SELECT (SELECT count(*) FROM cases) * 1000000 + (SELECT count(*) FROM phones)"
                 " * 10000 + (SELECT count(*) FROM case_fields) * 100 + (SELECT count(*) FROM audit)");
}

#define HEADER "ref,name,phone,phone2,phone3,language,timezone,priority,service,agency,district,availed_on,gewog,note\r\n"

static void test_good_file(void **state)
{
    struct fixture *fx = *state;
    struct bad_log log;
    struct sample_result res;
    struct cati_error err;
    const char *csv =
        "\xef\xbb\xbf" HEADER
        "A1,Dorji Wangchuk,17 12 34 56,,,dz,,,cid_new,DCRC,Thimphu,2026-01-05,Chang,\r\n"
        "A2,\"Wangmo, Pema\",+975-77-123456,(17) 111-111,,EN,Asia/Kolkata,5,census_transfer,DCRC,Paro,2026-02-05,Lungnyi,\"said \"\"call\r\nlater\"\"\"\r\n"
        " A3 , Karma ,0097517222222,,77333333,,,-2,,,,,,\r\n";
    assert_int_equal(import(fx, "serve", csv, &log, &res, &err), SAMPLE_OK);
    assert_int_equal(log.n, 0);
    assert_int_equal(res.rows, 3);
    assert_int_equal(res.imported, 3);
    assert_string_equal(qs(fx, "SELECT ref, name, service, agency, district, availed_on, language,"
                               " timezone, priority, state, next_call_at, created_at, updated_at,"
                               " survey_id, length(uuid) FROM cases ORDER BY id"),
                        "A1|Dorji Wangchuk|cid_new|DCRC|Thimphu|2026-01-05|dz||0|new|0|1767225600|1767225600|1|36;"
                        "A2|Wangmo, Pema|census_transfer|DCRC|Paro|2026-02-05|en|Asia/Kolkata|5|new|0|1767225600|1767225600|1|36;"
                        "A3|Karma|||||||-2|new|0|1767225600|1767225600|1|36");
    /* phones in column order, positions 1, 2, … without gaps */
    assert_string_equal(qs(fx, "SELECT c.ref, p.position, p.number FROM phones p JOIN cases c"
                               " ON c.id = p.case_id ORDER BY c.id, p.position"),
                        "A1|1|+97517123456;A2|1|+97577123456;A2|2|+97517111111;"
                        "A3|1|+97517222222;A3|2|+97577333333");
    assert_string_equal(qs(fx, "SELECT c.ref, f.name, f.value FROM case_fields f JOIN cases c"
                               " ON c.id = f.case_id ORDER BY c.id, f.name"),
                        "A1|gewog|Chang;A1|note|;A2|gewog|Lungnyi;A2|note|said \"call\r\nlater\";"
                        "A3|gewog|;A3|note|");
    assert_int_equal(q(fx, "SELECT count(DISTINCT uuid) FROM cases"), 3);
    assert_string_equal(qs(fx, "SELECT login, action, detail FROM audit"),
                        "admin|sample import|survey serve: 3 respondents from s.csv");
    /* a second file adds to the survey; the same ref in another survey is fine */
    assert_int_equal(import(fx, "serve", "ref,name,phone,gewog\nA4,Sonam,17444444,Kawang\n", &log,
                            &res, &err), SAMPLE_OK);
    assert_int_equal(import(fx, "other", "ref,name,phone\nA1,Sonam,17444444\n", &log, &res, &err),
                     SAMPLE_OK);
    assert_int_equal(q(fx, "SELECT count(*) FROM cases"), 5);
}

static void test_country_code_from_config(void **state)
{
    struct fixture *fx = *state;
    struct bad_log log;
    struct sample_result res;
    struct cati_error err;
    strcpy(fx->cfg.country_code, "91");
    assert_int_equal(import(fx, "other", "ref,name,phone\nX,Asha,98765 43210\n", &log, &res, &err),
                     SAMPLE_OK);
    assert_string_equal(qs(fx, "SELECT number FROM phones"), "+919876543210");
}

struct bad_case {
    const char *rows; /* after the header line */
    int line;
    const char *msg;
};

static void test_each_bad_row(void **state)
{
    struct fixture *fx = *state;
    struct bad_log log;
    struct sample_result res;
    struct cati_error err;
    assert_int_equal(import(fx, "serve", "ref,name,phone,gewog\nOLD1,Tashi,17000000,x\n", &log,
                            &res, &err), SAMPLE_OK);
    static const struct bad_case cases[] = {
        {"G1,a,17111111,,,,,,,,,,x,\n,b,17111112,,,,,,,,,,x,\n", 3, "empty ref"},
        {"G1,,17111111,,,,,,,,,,x,\n", 2, "empty name"},
        {"G1,a,\"  \",,,,,,,,,,x,\n", 2, "empty phone"},
        {"G1,a,17111111,,,,,,,,,,x,\nG2,a,17111112,,,,,,,,,,x,\nG1,b,17111113,,,,,,,,,,x,\n", 4,
         "duplicate ref 'G1' (first at line 2)"},
        {"G1,a,17111111,,,,,,,,,,x,\nOLD1,a,17111112,,,,,,,,,,x,\n", 3,
         "ref 'OLD1' is already in survey serve"},
        {"G1,a,12,,,,,,,,,,x,\n", 2, "bad phone '12': expected 7 to 15 digits with the country code"},
        {"G1,a,17111111,17-abc,,,,,,,,,x,\n", 2, "bad phone2 '17-abc'"},
        {"G1,a,17111111,,+1234567890123456,,,,,,,,x,\n", 2, "bad phone3"},
        {"G1,a,17111111,,,,,,,,,2026-13-01,x,\n", 2, "bad availed_on '2026-13-01': expected a date YYYY-MM-DD"},
        {"G1,a,17111111,,,,,,,,,05/01/2026,x,\n", 2, "bad availed_on"},
        {"G1,a,17111111,,,,Mars/Olympus,,,,,,x,\n", 2, "bad timezone 'Mars/Olympus'"},
        {"G1,a,17111111,,,,../../etc/passwd,,,,,,x,\n", 2, "bad timezone"},
        {"G1,a,17111111,,,,,high,,,,,x,\n", 2, "bad priority 'high': expected a whole number"},
        {"G1,a,17111111,,,Dzongkha,,,,,,,x,\n", 2, "bad language 'Dzongkha'"},
        {"G1,a\xff,17111111,,,,,,,,,,x,\n", 2, "invalid UTF-8 in column name"},
        {"G1,\"multi\nline\",17111111,,,,,,,,,,x,\nG2,\"a\nb\xc3\",17111111,,,,,,,,,,x,\n", 5,
         "invalid UTF-8 in column name"},
        {"G1,a,17111111,,,,,,,,,,x\n", 2, "expected 14 fields, got 13"},
        {"G1,\"x\ny\",17111111,,,,,,,,,,x,,extra\n", 2, "expected 14 fields, got 15"},
        {"G1,a,17111111,,,,,,,,,,x,\nG2,\"never closed,17111111,,,,,,,,,,x,\nG3,a,1,,,,,,,,,,x,\n", 3,
         "unterminated quote"},
        {"G1,a\"b,17111111,,,,,,,,,,x,\n", 2, "quote inside an unquoted field"},
        {"G1,\"a\"b,17111111,,,,,,,,,,x,\n", 2, "text after the closing quote"},
    };
    long long before = snapshot(fx);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char csv[1024];
        snprintf(csv, sizeof csv, "%s%s", HEADER, cases[i].rows);
        enum sample_status st = import(fx, "serve", csv, &log, &res, &err);
        if (st != SAMPLE_REJECTED || log.n != 1 || log.line[0] != cases[i].line ||
            !strstr(log.msg[0], cases[i].msg))
            fail_msg("case %zu: status %d, %d bad rows, first at line %d: %s (want line %d: %s)", i,
                     st, log.n, log.line[0], log.msg[0], cases[i].line, cases[i].msg);
        assert_int_equal(res.bad, 1);
        assert_int_equal(res.imported, 0);
        assert_non_null(strstr(err.msg, "1 bad row, nothing imported"));
        assert_int_equal(snapshot(fx), before);
        assert_int_equal(sqlite3_get_autocommit(fx->db), 1); /* transaction closed */
    }
}

static void test_many_bad_rows(void **state)
{
    struct fixture *fx = *state;
    struct bad_log log;
    struct sample_result res;
    struct cati_error err;
    char *csv = malloc(64 * 1024);
    size_t o = (size_t)sprintf(csv, "ref,name,phone,gewog\nOK1,Good,17000001,g\n");
    for (int i = 0; i < 30; i++)
        o += (size_t)sprintf(csv + o, "R%d,Name,%s,g\n", i, i % 2 ? "1" : "17000002");
    o += (size_t)sprintf(csv + o, "OK2,Good,17000003,g\n");
    long long before = snapshot(fx);
    assert_int_equal(import(fx, "serve", csv, &log, &res, &err), SAMPLE_REJECTED);
    assert_int_equal(log.n, 15); /* every bad row is reported */
    assert_int_equal(res.bad, 15);
    assert_int_equal(res.rows, 32);
    for (int i = 0; i < 15; i++)
        assert_int_equal(log.line[i], 3 + 2 * i + 1);
    assert_non_null(strstr(err.msg, "15 bad rows, nothing imported"));
    assert_int_equal(snapshot(fx), before); /* not even OK1 */
    free(csv);
}

/* A quota counts a field: a sample without it is refused (cati.ini(5)). */
static void test_quota_column(void **state)
{
    struct fixture *fx = *state;
    struct bad_log log;
    struct sample_result res;
    struct cati_error err;
    cati_strlcpy(fx->cfg.file, "cati.ini", sizeof fx->cfg.file);
    fx->cfg.nquotas = 2;
    fx->cfg.quotas[0] = (struct cati_quota){.field = "district", .value = "Paro", .limit = 3, .line = 4};
    fx->cfg.quotas[1] = (struct cati_quota){.field = "woreda", .value = "Chang", .limit = 1, .line = 5};
    long long before = snapshot(fx);
    assert_int_equal(import(fx, "serve", "ref,name,phone,gewog\nA,b,17111111,x\n", &log, &res, &err),
                     SAMPLE_REJECTED);
    assert_string_equal(err.file, "s.csv");
    assert_int_equal(err.line, 1);
    assert_string_equal(err.msg, "missing column 'woreda', which quota:woreda.Chang (cati.ini:5) counts");
    assert_int_equal(snapshot(fx), before);
    assert_int_equal(import(fx, "serve", "ref,name,phone,gewog,Woreda\nA,b,17111111,x,Chang\n", &log, &res,
                            &err), SAMPLE_OK);
    fx->cfg.nquotas = 0;
}

static void test_header_problems(void **state)
{
    struct fixture *fx = *state;
    struct bad_log log;
    struct sample_result res;
    struct cati_error err;
    static const struct { const char *csv; const char *msg; } cases[] = {
        {"ref,name,gewog\nA,b,c\n", "missing required column: phone"},
        {"name,gewog\nb,c\n", "missing required columns: ref, phone"},
        {"ref,name,phone\nA,b,17111111\n", "missing required column: gewog"},
        {"ref,name,phone,gewog,Name\n", "column 'name' appears twice (columns 2 and 5)"},
        {"ref,name,phone,gewog,\n", "column 5 has no name"},
        {"ref,name,phone,gewog,phone type\n", "column 5: 'phone type' is not a valid field name"},
        {"ref,name,phone,gewog\n", "no respondents after the header row"},
        {"", "empty file"},
        {"\n\n", "empty file"},
    };
    long long before = snapshot(fx);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum sample_status st = import(fx, "serve", cases[i].csv, &log, &res, &err);
        if (st != SAMPLE_REJECTED || !strstr(err.msg, cases[i].msg))
            fail_msg("case %zu: status %d: %s (want %s)", i, st, err.msg, cases[i].msg);
        assert_string_equal(err.file, "s.csv");
        assert_int_equal(snapshot(fx), before);
    }
    assert_int_equal(import(fx, "nosuch", "ref,name,phone\nA,b,17111111\n", &log, &res, &err),
                     SAMPLE_REJECTED);
    assert_string_equal(err.msg, "unknown survey 'nosuch' (load it with 'cati survey load')");
    /* header names are matched without regard to case and spaces */
    assert_int_equal(import(fx, "serve", " REF ,Name,PHONE,Gewog\nA,b,17111111,g\n", &log, &res,
                            &err), SAMPLE_OK);
}

static void test_phone_normalise(void **state)
{
    (void)state;
    static const struct { const char *in, *cc, *out; } good[] = {
        {"17123456", "975", "+97517123456"},
        {"17 12 34 56", "975", "+97517123456"},
        {"17-123-456", "975", "+97517123456"},
        {"(02) 322 123", "975", "+97502322123"},
        {"+975 17 123 456", "975", "+97517123456"},
        {"0097517123456", "975", "+97517123456"},
        {"00 44 20 7946 0958", "975", "+442079460958"},
        {"+1 (555) 123-4567", "975", "+15551234567"},
        {"9876543210", "91", "+919876543210"},
        {"+1234567", "975", "+1234567"},             /* 7 digits: shortest */
        {"+123456789012345", "975", "+123456789012345"}, /* 15: longest */
    };
    char out[SAMPLE_PHONE_MAX];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (sample_phone_normalise(good[i].in, strlen(good[i].in), good[i].cc, out, sizeof out) < 0)
            fail_msg("'%s' refused", good[i].in);
        assert_string_equal(out, good[i].out);
    }
    static const char *const bad[] = {
        "", "+", "00", "12", "+123456", "+1234567890123456", "1234567890123", "17a23456",
        "17.123.456", "+975+17123456", "17123456+", "++97517123456", "1712 3456 ext 2",
        "１７１２３４５６", /* full-width digits */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (sample_phone_normalise(bad[i], strlen(bad[i]), "975", out, sizeof out) == 0)
            fail_msg("'%s' accepted as %s", bad[i], out);
    /* len is respected (the rest is not part of the number) */
    assert_int_equal(sample_phone_normalise("17123456xyz", 8, "975", out, sizeof out), 0);
    assert_string_equal(out, "+97517123456");
    /* a buffer too small is a refusal, not an overflow */
    assert_int_equal(sample_phone_normalise("17123456", 8, "975", out, 8), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_good_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_country_code_from_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_bad_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_bad_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_problems, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quota_column, setup, teardown),
        cmocka_unit_test(test_phone_normalise),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
