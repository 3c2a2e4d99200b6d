/* Config table: defaults, every bad-value path, unknown keys, quotas. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cati/config.h"

static char dir[64];

static const char *write_ini(const char *text)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/t.ini", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void load_bad(const char *text, const char *want)
{
    struct cati_config cfg;
    struct cati_error err;
    assert_int_equal(config_load_file(write_ini(text), &cfg, &err), -1);
    if (!strstr(err.msg, want))
        fail_msg("error '%s' lacks '%s'", err.msg, want);
}

static void test_defaults(void **state)
{
    (void)state;
    struct cati_config cfg;
    config_defaults(&cfg);
    assert_int_equal(cfg.max_attempts, 8);
    assert_int_equal(cfg.lease_minutes, 20);
    assert_int_equal(cfg.retry_busy, 15);
    assert_int_equal(cfg.retry_no_answer, 180);
    assert_int_equal(cfg.retry_soft_refusal, 10080);
    assert_int_equal(cfg.hold_minutes, 15);
    assert_int_equal(cfg.nhours, 2);
    assert_int_equal(cfg.hours[0].start, 9 * 60);
    assert_int_equal(cfg.hours[1].end, 18 * 60);
    assert_int_equal(cfg.days, 0x7e); /* mon-sat */
    assert_string_equal(cfg.timezone, "Asia/Thimphu");
    assert_int_equal(cfg.nslots, 3);
    assert_string_equal(cfg.slots[2].name, "evening");
    assert_string_equal(cfg.country_code, "975");
    assert_true(cfg.rates_e < 0);
    assert_int_equal(cfg.allow_user_override, 0);
}

static void test_good_file(void **state)
{
    (void)state;
    struct cati_config cfg;
    struct cati_error err;
    const char *p = write_ini("[calling]\nmax_attempts = 5\nhours = 00:00-24:00\ndays = fri-mon\n"
                              "timezone = UTC\ncountry_code = +91\n[retry]\nbusy=30\n"
                              "[quota]\nservice.cid_new = 300\nDistrict.Paro = 20\nservice.CID_New = 7\n"
                              "[rates]\ne = 0.5\n[security]\nallow_user_override = yes\n");
    assert_int_equal(config_load_file(p, &cfg, &err), 0);
    assert_int_equal(cfg.max_attempts, 5);
    assert_int_equal(cfg.retry_busy, 30);
    assert_int_equal(cfg.nhours, 1);
    assert_int_equal(cfg.hours[0].end, 1440);
    assert_int_equal(cfg.days, (1u << 5) | (1u << 6) | 1u | (1u << 1));
    assert_string_equal(cfg.country_code, "91");
    /* iniparser lowers keys: service.CID_New replaces service.cid_new (the
     * last line wins) and keeps its case as written; fields are lower case */
    assert_int_equal(cfg.nquotas, 2);
    assert_string_equal(cfg.quotas[0].field, "service");
    assert_string_equal(cfg.quotas[0].value, "CID_New");
    assert_int_equal(cfg.quotas[0].limit, 7);
    assert_int_equal(cfg.quotas[0].line, 12);
    assert_string_equal(cfg.quotas[1].field, "district");
    assert_string_equal(cfg.quotas[1].value, "Paro");
    assert_int_equal(cfg.quotas[1].line, 11);
    assert_true(cfg.rates_e > 0.49 && cfg.rates_e < 0.51);
    assert_int_equal(cfg.allow_user_override, 1);
    assert_string_equal(cfg.file, p);
}

static void test_bad_values(void **state)
{
    (void)state;
    load_bad("[calling]\nmax_attempts = lots\n", "calling:max_attempts: must be 1..99, got 'lots'");
    load_bad("[calling]\nmax_attempts = 0\n", "must be 1..99, got '0'");
    load_bad("[calling]\nmax_attempts = 100\n", "must be 1..99");
    load_bad("[calling]\nlease_minutes = 5x\n", "calling:lease_minutes");
    load_bad("[calling]\nhours = 9-5\n", "calling:hours: must be windows");
    load_bad("[calling]\nhours = 09:00-25:00\n", "calling:hours");
    load_bad("[calling]\nhours = 10:00-10:00\n", "calling:hours");
    load_bad("[calling]\ndays = mon-funday\n", "calling:days");
    load_bad("[calling]\ntimezone = Mars/Olympus\n", "calling:timezone");
    load_bad("[calling]\ntimezone = ../../etc/passwd\n", "calling:timezone");
    load_bad("[calling]\nslots = morning\n", "calling:slots");
    load_bad("[calling]\ncountry_code = abc\n", "calling:country_code");
    load_bad("[retry]\nrefusal_conversion = maybe\n", "must be yes or no");
    load_bad("[rates]\ne = 2\n", "rates:e: must be a number 0..1");
    load_bad("[quota]\nservice = 3\n", "quota:service: must be FIELD.VALUE");
    load_bad("[quota]\nservice.x = many\n", "must be a number of completes");
    load_bad("[quota]\nService.X = many\n", "quota:Service.X: must be a number of completes");
    load_bad("[quota]\navailed_on.2026-01-01 = 3\n", "quotas cannot count 'availed_on'");
    load_bad("[quota]\nref.A1 = 3\n", "quotas cannot count 'ref'");
    load_bad("[quota]\ngew-og.chang = 3\n", "'gew-og' is not a sample field name");
    load_bad("[calling]\nmax_atempts = 3\n", "calling:max_atempts: unknown key");
    load_bad("[colling]\nhours = 09:00-10:00\n", "colling:hours: unknown key");
}

static void test_missing_file(void **state)
{
    (void)state;
    struct cati_config cfg;
    struct cati_error err;
    assert_int_equal(config_load_file("/nonexistent/cati.ini", &cfg, &err), -1);
    assert_non_null(strstr(err.msg, "/nonexistent/cati.ini"));
}

static void test_hours_across_midnight(void **state)
{
    (void)state;
    struct cati_config cfg;
    struct cati_error err;
    assert_int_equal(config_load_file(write_ini("[calling]\nhours = 22:00-02:00\ndays = mon\n"), &cfg, &err), 0);
    assert_true(config_in_hours(&cfg, 1, 23 * 60));      /* Monday 23:00 */
    assert_true(config_in_hours(&cfg, 2, 60));           /* Tuesday 01:00 belongs to Monday */
    assert_false(config_in_hours(&cfg, 2, 23 * 60));     /* Tuesday evening is not a calling day */
    assert_false(config_in_hours(&cfg, 1, 60));          /* Monday 01:00 belongs to Sunday */
    assert_false(config_in_hours(&cfg, 1, 12 * 60));
}

static void test_in_hours_default(void **state)
{
    (void)state;
    struct cati_config cfg;
    config_defaults(&cfg);
    assert_true(config_in_hours(&cfg, 1, 9 * 60));
    assert_false(config_in_hours(&cfg, 1, 13 * 60 + 30)); /* lunch */
    assert_false(config_in_hours(&cfg, 0, 10 * 60));      /* Sunday */
    assert_false(config_in_hours(&cfg, 6, 18 * 60));      /* end is exclusive */
}

static void test_lax_files(void **state)
{
    (void)state;
    load_bad("lease_minutes=5\n[calling]\n", "'lease_minutes' is outside any section: put it under [calling]");
    load_bad("[rates]\ne = nan\n", "rates:e: must be a number 0..1");
    load_bad("[rates]\ne = -nan\n", "rates:e");
    load_bad("[calling]\n\xff = 1\n", "not a text file (invalid UTF-8)");
}

static void test_print(void **state)
{
    (void)state;
    struct cati_config cfg;
    struct cati_error err;
    assert_int_equal(config_load_file(write_ini("[calling]\nmax_attempts = 4\n"), &cfg, &err), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    config_print(&cfg, f);
    fclose(f);
    assert_non_null(strstr(buf, "calling:max_attempts = 4\t; "));
    assert_non_null(strstr(buf, "calling:lease_minutes = 20\t; default"));
    assert_non_null(strstr(buf, "calling:days = mon,tue,wed,thu,fri,sat"));
    free(buf);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/cati-test-config.XXXXXX");
    assert_non_null(mkdtemp(dir));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),          cmocka_unit_test(test_good_file),
        cmocka_unit_test(test_bad_values),        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_hours_across_midnight), cmocka_unit_test(test_in_hours_default),
        cmocka_unit_test(test_print),          cmocka_unit_test(test_lax_files),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/t.ini", dir);
    unlink(path);
    rmdir(dir);
    return rc;
}
