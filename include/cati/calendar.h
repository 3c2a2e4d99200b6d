#ifndef CATI_CALENDAR_H
#define CATI_CALENDAR_H
/* Calendar and time-zone arithmetic: wall-clock dates and times in a named
 * time zone (a respondent's, or [calling] timezone), parsing and formatting
 * them, and local days. The one place that switches TZ; queue, schedule,
 * the dashboard and the console use it. The CLI is single-threaded. */

#include <stddef.h>
#include <time.h>

/* Parse "HH:MM" (00:00..24:00) into minutes since midnight; 0 or -1. */
int cati_parse_hhmm(const char *s, int *minutes);

/* Parse "YYYY-MM-DD"; 0 or -1 (checks the day exists). */
int cati_parse_date(const char *s, int *y, int *m, int *d);

/* Seconds for a wall-clock time in time zone tz ("" or NULL = local). */
time_t cati_mktime_tz(const char *tz, int y, int mon, int d, int h, int min);

/* Broken-down wall-clock time of t in time zone tz. */
void cati_localtime_tz(const char *tz, time_t t, struct tm *out);

/* Parse WHEN: "YYYY-MM-DD HH:MM" in tz, or "+N" minutes from now. 0 or -1. */
int cati_parse_when(const char *s, const char *tz, time_t *out);

/* Format t as "YYYY-MM-DD HH:MM" in tz into buf (>= 17 bytes). */
const char *cati_format_time(time_t t, const char *tz, char *buf, size_t size);

/* 1 if tz names a time zone of the system's tz database (e.g. Asia/Thimphu,
 * UTC; TZDIR is honoured), 0 otherwise (a directory such as Asia included). */
int cati_timezone_valid(const char *tz);

/* A scope in which mktime/localtime use time zone tz: TZ is switched once
 * around a whole computation (calendar_zone_enter … calendar_zone_leave),
 * so the calls inside do not re-read it. tz "" or NULL keeps the local zone. */
struct calendar_zone { char *old; int had; };
void calendar_zone_enter(const char *tz, struct calendar_zone *z);
void calendar_zone_leave(struct calendar_zone *z);

/* Inside a zone scope: the moment of minute (of the day; 1440 = the next
 * midnight) on local day y-mon-d. mktime normalises d + 1 and 24:00. */
time_t calendar_local_at(int y, int mon, int d, int minute);

/* The weekday (0 = Sunday) and minute of the day (0..1439) of t in tz;
 * either pointer may be NULL. */
void calendar_day_minute(const char *tz, time_t t, int *wday, int *minute);

/* Midnight starting the local day of t in tz, plus days days (a calendar
 * day: 23 or 25 hours across a DST change). */
time_t calendar_day_start(const char *tz, time_t t, int days);

/* The same wall-clock time as t, days days later (or earlier), in tz. */
time_t calendar_add_days(const char *tz, time_t t, int days);

/* Minute minute (0..1439) of the local day of t, in tz. */
time_t calendar_at_minute(const char *tz, time_t t, int minute);

#endif
