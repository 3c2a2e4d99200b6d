/* util: clock, UUIDs, UTF-8 validation, number/time parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cati/util.h"

static void test_clock(void **state)
{
    (void)state;
    cati_clock_set(1000);
    assert_int_equal(cati_now(), 1000);
    cati_clock_set(0);
    assert_true(cati_now() > 1700000000);
}

static void test_uuid(void **state)
{
    (void)state;
    char a[37], b[37];
    assert_int_equal(cati_uuid(a), 0);
    assert_int_equal(cati_uuid(b), 0);
    assert_int_equal(strlen(a), 36);
    assert_int_equal(a[8], '-');
    assert_int_equal(a[14], '4'); /* version 4 */
    assert_non_null(strchr("89ab", a[19]));
    assert_string_not_equal(a, b);
}

static void test_utf8(void **state)
{
    (void)state;
    const char *ok[] = {"plain", "Pema Wangmo", "\xe0\xbd\xa2\xe0\xbe\xab\xe0\xbd\xbc\xe0\xbd\x84\xe0\xbc\x8b", /* Tibetan */
                        "\xf0\x9f\x98\x80", ""};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_true(cati_utf8_valid(ok[i], strlen(ok[i])));
    const char *bad[] = {"\xff", "\xc0\xaf" /* overlong */, "\xed\xa0\x80" /* surrogate */,
                         "\xe0\xbd" /* truncated */, "\xf5\x80\x80\x80", "a\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(cati_utf8_valid(bad[i], strlen(bad[i])));
}

static void test_parse_long(void **state)
{
    (void)state;
    long v;
    assert_int_equal(cati_parse_long(" 42 ", &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(cati_parse_long("-7", &v), 0);
    assert_int_equal(v, -7);
    assert_int_equal(cati_parse_long("4x", &v), -1);
    assert_int_equal(cati_parse_long("", &v), -1);
    assert_int_equal(cati_parse_long("99999999999999999999999", &v), -1);
}

static void test_parse_times(void **state)
{
    (void)state;
    int m, y, mo, d;
    assert_int_equal(cati_parse_hhmm("09:30", &m), 0);
    assert_int_equal(m, 570);
    assert_int_equal(cati_parse_hhmm("24:00", &m), 0);
    assert_int_equal(cati_parse_hhmm("24:01", &m), -1);
    assert_int_equal(cati_parse_hhmm("9:30", &m), -1);
    assert_int_equal(cati_parse_date("2024-02-29", &y, &mo, &d), 0);
    assert_int_equal(cati_parse_date("2026-02-29", &y, &mo, &d), -1);
    assert_int_equal(cati_parse_date("2026-13-01", &y, &mo, &d), -1);
    assert_int_equal(cati_parse_date("2026-1-01", &y, &mo, &d), -1);
}

static void test_when(void **state)
{
    (void)state;
    time_t t;
    /* Asia/Thimphu is UTC+6 with no DST */
    assert_int_equal(cati_parse_when("2026-11-23 10:00", "Asia/Thimphu", &t), 0);
    assert_int_equal(t, 1795406400);
    char buf[32];
    assert_string_equal(cati_format_time(t, "UTC", buf, sizeof buf), "2026-11-23 04:00");
    assert_string_equal(cati_format_time(t, "Asia/Thimphu", buf, sizeof buf), "2026-11-23 10:00");
    cati_clock_set(5000);
    assert_int_equal(cati_parse_when("+15", "UTC", &t), 0);
    assert_int_equal(t, 5000 + 900);
    cati_clock_set(0);
    assert_int_equal(cati_parse_when("tomorrow", "UTC", &t), -1);
    assert_int_equal(cati_parse_when("2026-11-31 10:00", "UTC", &t), -1);
    assert_int_equal(cati_parse_when("2026-11-23 25:00", "UTC", &t), -1);
    assert_int_equal(cati_parse_when("+x", "UTC", &t), -1);
}

static void test_buf(void **state)
{
    (void)state;
    struct cati_buf b = {0};
    char *s = cati_buf_take(&b);
    assert_string_equal(s, "");
    free(s);
    cati_buf_add(&b, "ab", 2);
    cati_buf_addf(&b, "-%d-", 42);
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cati_buf_addf(&b, "%s", big); /* longer than the small stack buffer */
    s = cati_buf_take(&b);
    assert_int_equal(strlen(s), 6 + 999);
    assert_memory_equal(s, "ab-42-xx", 8);
    free(s);
    assert_null(b.s);
    b.oom = 1;
    cati_buf_add(&b, "z", 1);
    assert_null(cati_buf_take(&b));
}

static void test_timezone_valid(void **state)
{
    (void)state;
    if (access("/usr/share/zoneinfo/Asia/Thimphu", R_OK) != 0)
        skip();
    assert_true(cati_timezone_valid("Asia/Thimphu"));
    assert_true(cati_timezone_valid("UTC"));
    assert_true(cati_timezone_valid("America/Argentina/Buenos_Aires"));
    assert_false(cati_timezone_valid(""));
    assert_false(cati_timezone_valid("Asia"));        /* a directory */
    assert_false(cati_timezone_valid("Asia/Nowhere"));
    assert_false(cati_timezone_valid("/etc/passwd"));
    assert_false(cati_timezone_valid("../zoneinfo/UTC"));
    assert_false(cati_timezone_valid("zone.tab"));     /* not a zone file */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clock), cmocka_unit_test(test_timezone_valid),      cmocka_unit_test(test_uuid),
        cmocka_unit_test(test_utf8),       cmocka_unit_test(test_parse_long),
        cmocka_unit_test(test_parse_times), cmocka_unit_test(test_when),
        cmocka_unit_test(test_buf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
