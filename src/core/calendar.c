#include "cati/calendar.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cati/util.h"

int cati_parse_hhmm(const char *s, int *minutes)
{
    int h, m, n = 0;
    if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || s[n] != '\0' || n != 5)
        return -1;
    if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0))
        return -1;
    *minutes = h * 60 + m;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

int cati_parse_date(const char *s, int *y, int *m, int *d)
{
    int n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", y, m, d, &n) != 3 || n != 10 || s[n] != '\0')
        return -1;
    if (*y < 1900 || *y > 2999 || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
        return -1;
    return 0;
}

void calendar_zone_enter(const char *tz, struct calendar_zone *z)
{
    const char *o = getenv("TZ");
    z->had = o != NULL;
    z->old = o ? strdup(o) : NULL;
    if (tz && *tz)
        setenv("TZ", tz, 1);
    tzset();
}

void calendar_zone_leave(struct calendar_zone *z)
{
    if (z->had)
        setenv("TZ", z->old ? z->old : "", 1);
    else
        unsetenv("TZ");
    free(z->old);
    z->old = NULL;
    tzset();
}

time_t calendar_local_at(int y, int mon, int d, int minute)
{
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mon - 1;
    tm.tm_mday = d;
    tm.tm_hour = minute / 60;
    tm.tm_min = minute % 60;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

time_t cati_mktime_tz(const char *tz, int y, int mon, int d, int h, int min)
{
    struct calendar_zone z;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mon - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = min;
    tm.tm_isdst = -1;
    calendar_zone_enter(tz, &z);
    time_t t = mktime(&tm);
    calendar_zone_leave(&z);
    return t;
}

void cati_localtime_tz(const char *tz, time_t t, struct tm *out)
{
    struct calendar_zone z;
    calendar_zone_enter(tz, &z);
    localtime_r(&t, out);
    calendar_zone_leave(&z);
}

void calendar_day_minute(const char *tz, time_t t, int *wday, int *minute)
{
    struct tm tm;
    cati_localtime_tz(tz, t, &tm);
    if (wday)
        *wday = tm.tm_wday;
    if (minute)
        *minute = tm.tm_hour * 60 + tm.tm_min;
}

time_t calendar_day_start(const char *tz, time_t t, int days)
{
    struct tm tm;
    cati_localtime_tz(tz, t, &tm);
    return cati_mktime_tz(tz, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday + days, 0, 0);
}

time_t calendar_add_days(const char *tz, time_t t, int days)
{
    struct tm tm;
    cati_localtime_tz(tz, t, &tm);
    return cati_mktime_tz(tz, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday + days, tm.tm_hour, tm.tm_min);
}

time_t calendar_at_minute(const char *tz, time_t t, int minute)
{
    struct tm tm;
    cati_localtime_tz(tz, t, &tm);
    return cati_mktime_tz(tz, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, minute / 60, minute % 60);
}

int cati_parse_when(const char *s, const char *tz, time_t *out)
{
    if (!s)
        return -1;
    if (s[0] == '+') {
        long mins;
        if (cati_parse_long(s + 1, &mins) < 0 || mins < 0 || mins > 525600L * 5)
            return -1;
        *out = cati_now() + mins * 60;
        return 0;
    }
    int y, mo, d, h, mi, n = 0;
    if (sscanf(s, "%4d-%2d-%2d %2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 || s[n] != '\0')
        return -1;
    char date[16];
    snprintf(date, sizeof date, "%04d-%02d-%02d", y, mo, d);
    if (cati_parse_date(date, &y, &mo, &d) < 0 || h < 0 || h > 23 || mi < 0 || mi > 59)
        return -1;
    *out = cati_mktime_tz(tz, y, mo, d, h, mi);
    return 0;
}

const char *cati_format_time(time_t t, const char *tz, char *buf, size_t size)
{
    struct tm tm;
    cati_localtime_tz(tz, t, &tm);
    strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

/* One check for every time zone cati accepts (configuration, sample rows):
 * a plain name whose file in the tz database starts with the TZif magic, so
 * a directory ("Asia") or another file ("zone.tab") is refused. */
int cati_timezone_valid(const char *tz)
{
    if (!tz || !*tz || tz[0] == '/' || strstr(tz, "..") || strlen(tz) > 60)
        return 0;
    for (const char *p = tz; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("/_+-", *p))
            return 0;
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char magic[4];
    ssize_t n = read(fd, magic, sizeof magic); /* a directory fails here */
    close(fd);
    return n == 4 && !memcmp(magic, "TZif", 4);
}
