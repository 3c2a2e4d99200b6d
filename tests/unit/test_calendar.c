/* calendar: local days, wall-clock arithmetic across DST, zone scopes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cati/calendar.h"

static int have_zones(void)
{
    return access("/usr/share/zoneinfo/Europe/Berlin", R_OK) == 0 &&
           access("/usr/share/zoneinfo/Asia/Thimphu", R_OK) == 0;
}

static const char *fmt(time_t t, const char *tz)
{
    static char buf[32];
    return cati_format_time(t, tz, buf, sizeof buf);
}

static void test_day_start(void **state)
{
    (void)state;
    if (!have_zones())
        skip();
    /* Thimphu is UTC+6 all year: 2026-11-23 03:00 local is 2026-11-22 21:00 UTC */
    time_t t = cati_mktime_tz("Asia/Thimphu", 2026, 11, 23, 3, 0);
    assert_string_equal(fmt(calendar_day_start("Asia/Thimphu", t, 0), "Asia/Thimphu"), "2026-11-23 00:00");
    assert_string_equal(fmt(calendar_day_start("Asia/Thimphu", t, 1), "Asia/Thimphu"), "2026-11-24 00:00");
    assert_string_equal(fmt(calendar_day_start("UTC", t, 0), "UTC"), "2026-11-22 00:00");
    /* Berlin springs forward on 2026-03-29: that day has 23 hours */
    time_t d = cati_mktime_tz("Europe/Berlin", 2026, 3, 29, 12, 0);
    time_t a = calendar_day_start("Europe/Berlin", d, 0), b = calendar_day_start("Europe/Berlin", d, 1);
    assert_int_equal((long)(b - a), 23 * 3600L);
    /* month and year ends roll over */
    time_t nye = cati_mktime_tz("UTC", 2026, 12, 31, 23, 59);
    assert_string_equal(fmt(calendar_day_start("UTC", nye, 1), "UTC"), "2027-01-01 00:00");
}

static void test_add_days(void **state)
{
    (void)state;
    if (!have_zones())
        skip();
    /* the same wall-clock time the next day, across the DST change */
    time_t t = cati_mktime_tz("Europe/Berlin", 2026, 3, 28, 10, 30);
    time_t n = calendar_add_days("Europe/Berlin", t, 1);
    assert_string_equal(fmt(n, "Europe/Berlin"), "2026-03-29 10:30");
    assert_int_equal((long)(n - t), 23 * 3600L);
    assert_string_equal(fmt(calendar_add_days("Europe/Berlin", n, -1), "Europe/Berlin"), "2026-03-28 10:30");
    time_t feb = cati_mktime_tz("UTC", 2028, 2, 28, 8, 0); /* 2028 is a leap year */
    assert_string_equal(fmt(calendar_add_days("UTC", feb, 1), "UTC"), "2028-02-29 08:00");
}

static void test_day_minute(void **state)
{
    (void)state;
    if (!have_zones())
        skip();
    time_t t = cati_mktime_tz("Asia/Thimphu", 2026, 11, 23, 9, 45); /* a Monday */
    int wday = -1, m = -1;
    calendar_day_minute("Asia/Thimphu", t, &wday, &m);
    assert_int_equal(wday, 1);
    assert_int_equal(m, 9 * 60 + 45);
    calendar_day_minute("UTC", t, &wday, NULL); /* 03:45 UTC, still Monday */
    assert_int_equal(wday, 1);
    calendar_day_minute("UTC", t, NULL, &m);
    assert_int_equal(m, 3 * 60 + 45);
    assert_string_equal(fmt(calendar_at_minute("Asia/Thimphu", t, 17 * 60 + 15), "Asia/Thimphu"),
                        "2026-11-23 17:15");
}

static void test_zone_scope(void **state)
{
    (void)state;
    if (!have_zones())
        skip();
    setenv("TZ", "UTC", 1);
    struct calendar_zone z;
    calendar_zone_enter("Asia/Thimphu", &z);
    assert_string_equal(getenv("TZ"), "Asia/Thimphu");
    /* minute 1440 is the next midnight (mktime normalises 24:00) */
    time_t a = calendar_local_at(2026, 11, 23, 8 * 60), b = calendar_local_at(2026, 11, 23, 1440);
    calendar_zone_leave(&z);
    assert_string_equal(getenv("TZ"), "UTC");
    assert_string_equal(fmt(a, "Asia/Thimphu"), "2026-11-23 08:00");
    assert_string_equal(fmt(b, "Asia/Thimphu"), "2026-11-24 00:00");
    unsetenv("TZ");
    calendar_zone_enter("Asia/Thimphu", &z);
    calendar_zone_leave(&z);
    assert_null(getenv("TZ")); /* an unset TZ stays unset */
}

static void test_parse(void **state)
{
    (void)state;
    int y, m, d, min;
    assert_int_equal(cati_parse_date("2028-02-29", &y, &m, &d), 0);
    assert_int_equal(cati_parse_date("2026-02-29", &y, &m, &d), -1);
    assert_int_equal(cati_parse_hhmm("24:00", &min), 0);
    assert_int_equal(min, 1440);
    assert_int_equal(cati_parse_hhmm("24:01", &min), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_day_start),  cmocka_unit_test(test_add_days),
        cmocka_unit_test(test_day_minute), cmocka_unit_test(test_zone_scope),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
