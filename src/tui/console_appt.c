/* The appointment picker: date and time in the respondent's time zone
 * (typed, or stepped with Up/Down), "with me" for a hard appointment, and
 * the call note. Shows the weekday, how far ahead, and calling hours. */
#include "console.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "cati/calendar.h"
#include "cati/schedule.h"
#include "cati/util.h"

enum { F_DATE, F_TIME, F_WITH, F_NOTE, F_COUNT };

struct appt {
    struct console *c;
    struct con_under under;
    struct con_field date, time, note;
    int focus;
    int fresh;      /* the focused field was just entered: typing replaces it */
    int with_me;
    int ok;
    time_t at;
    char err[200];
};

static const char *const wdays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
                                    "Friday", "Saturday"};

/* Read the date field: YYYY-MM-DD, or its eight digits (20261224 is
 * 2026-12-24). Anything else is refused with the reason, never dropped. */
static int appt_date(struct appt *a, char *out, size_t size)
{
    const char *b = a->date.buf;
    int y, m, d;
    char date[16];
    size_t n = strlen(b);
    if (n == 8 && strspn(b, "0123456789") == 8)
        snprintf(date, sizeof date, "%.4s-%.2s-%.2s", b, b + 4, b + 6);
    else
        cati_strlcpy(date, b, sizeof date);
    if (n > 10 || cati_parse_date(date, &y, &m, &d) < 0) {
        snprintf(a->err, sizeof a->err, "no such date: %.12s (type YYYY-MM-DD, e.g. 2026-12-24)", b);
        return -1;
    }
    cati_strlcpy(out, date, size);
    return 0;
}

/* Read the time field: HH:MM, or its four digits (0930 is 09:30). */
static int appt_time(struct appt *a, char *out, size_t size)
{
    const char *b = a->time.buf;
    char hhmm[8];
    int mins;
    size_t n = strlen(b);
    if (n == 4 && strspn(b, "0123456789") == 4)
        snprintf(hhmm, sizeof hhmm, "%.2s:%.2s", b, b + 2);
    else
        cati_strlcpy(hhmm, b, sizeof hhmm);
    if (n > 5 || cati_parse_hhmm(hhmm, &mins) < 0 || mins >= 24 * 60) {
        snprintf(a->err, sizeof a->err, "no such time: %.8s (type HH:MM, e.g. 09:30)", b);
        return -1;
    }
    cati_strlcpy(out, hhmm, size);
    return 0;
}

/* Leaving a field: write back what was read (20261224 shows as 2026-12-24)
 * or keep it as typed, with the reason. 0 or -1. */
static int appt_leave(struct appt *a)
{
    char v[16];
    if (a->focus == F_DATE) {
        if (appt_date(a, v, sizeof v) < 0)
            return -1;
        field_set(&a->date, v);
    } else if (a->focus == F_TIME) {
        if (appt_time(a, v, sizeof v) < 0)
            return -1;
        field_set(&a->time, v);
    }
    a->err[0] = '\0';
    return 0;
}

/* Parse the two fields into a time; 0 or -1 with err set. */
static int appt_parse(struct appt *a, time_t *out)
{
    char when[64], date[16], hhmm[8];
    if (appt_date(a, date, sizeof date) < 0 || appt_time(a, hhmm, sizeof hhmm) < 0)
        return -1;
    snprintf(when, sizeof when, "%s %s", date, hhmm);
    if (cati_parse_when(when, console_tz(a->c), out) < 0) {
        snprintf(a->err, sizeof a->err, "no such time: %s", when);
        return -1;
    }
    return 0;
}

static void set_from(struct appt *a, time_t t)
{
    char buf[32];
    cati_format_time(t, console_tz(a->c), buf, sizeof buf);
    buf[10] = '\0';
    field_set(&a->date, buf);
    field_set(&a->time, buf + 11);
}

static void appt_draw(void *ctx, int rows, int cols)
{
    struct appt *a = ctx;
    struct console *c = a->c;
    a->under.ops->draw(a->under.ctx, rows, cols);
    int w = cols - 8 > 76 ? 76 : cols - 8, h = 12;
    int y = (rows - h) / 2, x = (cols - w) / 2;
    crt_box(y, x, h, w, CRT_NORMAL, "Appointment");
    int lx = x + 2, fx = x + 12, r = y + 1;
    char buf[200];
    time_t t;
    char shown[sizeof a->err];
    memcpy(shown, a->err, sizeof shown);
    int valid = appt_parse(a, &t) == 0;
    memcpy(a->err, shown, sizeof shown);
    struct tm tm;

    crt_put(r, lx, 9, CRT_DIM, "Date");
    field_draw(&a->date, r, fx, 12, 1, a->focus == F_DATE ? CRT_HILITE : CRT_NORMAL, a->focus == F_DATE);
    if (valid) {
        cati_localtime_tz(console_tz(c), t, &tm);
        crt_put(r, fx + 14, w - 28, CRT_NORMAL, wdays[tm.tm_wday]);
    } else {
        memset(&tm, 0, sizeof tm);
    }
    r++;
    crt_put(r, lx, 9, CRT_DIM, "Time");
    field_draw(&a->time, r, fx, 7, 1, a->focus == F_TIME ? CRT_HILITE : CRT_NORMAL, a->focus == F_TIME);
    crt_put(r, fx + 14, w - 28, CRT_DIM, console_tz(c));
    r++;
    crt_put(r, lx, 9, CRT_DIM, "With me");
    crt_put(r, fx, 3, a->focus == F_WITH ? CRT_HILITE : CRT_NORMAL, a->with_me ? "[x]" : "[ ]");
    snprintf(buf, sizeof buf, a->with_me ? "held for you for %d min, then anyone may call"
                                         : "anyone may call (Space: only you)",
             c->ses.cfg->hold_minutes);
    crt_put(r, fx + 4, w - 18, CRT_NORMAL, buf);
    r++;
    crt_put(r, lx, 9, CRT_DIM, "Note");
    field_draw(&a->note, r, fx, w - 14, 2, a->focus == F_NOTE ? CRT_HILITE : CRT_NORMAL, a->focus == F_NOTE);
    r += 3;
    /* what Enter books, in words; the reason a field was refused */
    if (valid) {
        long mins = (long)(t - cati_now()) / 60;
        char at[32];
        cati_format_time(t, console_tz(c), at, sizeof at);
        if (mins < 24 * 60)
            snprintf(buf, sizeof buf, "Books %s %s, in %ld h %02ld min", wdays[tm.tm_wday], at,
                     mins / 60, mins % 60);
        else
            snprintf(buf, sizeof buf, "Books %s %s, in %ld days %ld h", wdays[tm.tm_wday], at,
                     mins / 1440, mins % 1440 / 60);
        crt_put(r, lx, w - 4, t <= cati_now() ? CRT_DIM : CRT_OK, buf);
    }
    r++;
    if (a->err[0]) {
        crt_put(r, lx, w - 4, CRT_ERROR, a->err);
    } else if (!valid) {
        crt_put(r, lx, w - 4, CRT_DIM, "date YYYY-MM-DD (or 20261224), time HH:MM (or 0930)");
    } else if (t <= cati_now()) {
        crt_put(r, lx, w - 4, CRT_ERROR, "that time has passed");
    } else if (!schedule_in_hours(c->ses.cfg, console_tz(c), t)) {
        char hours[128], warn[200];
        snprintf(warn, sizeof warn, "outside calling hours (%s)",
                 schedule_hours_text(c->ses.cfg, hours, sizeof hours));
        crt_put(r, lx, w - 4, CRT_WARN, warn);
    }
    r++;
    crt_put(r++, lx, w - 4, CRT_DIM, "Tab next field · Up/Down change · Space with me");
    crt_put(r, lx, w - 4, CRT_DIM, "Enter book it · Esc back");
    struct con_field *f = a->focus == F_DATE ? &a->date : a->focus == F_TIME ? &a->time
                          : a->focus == F_NOTE ? &a->note : NULL;
    if (f)
        crt_cursor(f->cy, f->cx);
}

static void step(struct appt *a, int dir)
{
    time_t t;
    if (appt_parse(a, &t) < 0)
        return;
    const char *tz = console_tz(a->c);
    if (a->focus == F_DATE) {
        t = calendar_add_days(tz, t, dir);
    } else {
        int m;
        calendar_day_minute(tz, t, NULL, &m);
        m = (m / 15) * 15 + (dir > 0 ? 15 : (m % 15 ? 0 : -15));
        m = (m + 24 * 60) % (24 * 60);
        t = calendar_at_minute(tz, t, m);
    }
    set_from(a, t);
}

static enum crt_result appt_key(void *ctx, struct crt_key k)
{
    struct appt *a = ctx;
    console_touch(a->c);
    if (a->c->lost || console_is_esc(k)) {
        a->ok = 0;
        return CRT_LEAVE;
    }
    if (console_is_enter(k)) {
        time_t t;
        if (appt_leave(a) < 0) {
            crt_beep();
            return CRT_HANDLED;
        }
        if (appt_parse(a, &t) < 0) { /* the other field: go back to it */
            char d[16];
            a->focus = appt_date(a, d, sizeof d) < 0 ? F_DATE : F_TIME;
            a->fresh = 0;
            crt_beep();
            return CRT_HANDLED;
        }
        if (t <= cati_now()) {
            snprintf(a->err, sizeof a->err, "that time has passed: choose a later one");
            crt_beep();
            return CRT_HANDLED;
        }
        a->at = t;
        a->ok = 1;
        return CRT_LEAVE;
    }
    if ((!k.is_key && k.ch == '\t') || (k.is_key && k.ch == KEY_BTAB)) {
        int back = k.is_key;
        if (appt_leave(a) < 0) {
            crt_beep();
            return CRT_HANDLED;
        }
        a->focus = (a->focus + (back ? F_COUNT - 1 : 1)) % F_COUNT;
        a->fresh = 1;
        return CRT_HANDLED;
    }
    if (a->focus == F_WITH) {
        if (!k.is_key && (k.ch == ' ' || k.ch == 'x' || k.ch == 'w')) {
            a->with_me = !a->with_me;
            return CRT_HANDLED;
        }
        if (k.is_key && (k.ch == KEY_UP || k.ch == KEY_DOWN))
            a->focus = k.ch == KEY_UP ? F_TIME : F_NOTE;
        return CRT_HANDLED;
    }
    if (a->focus == F_NOTE)
        return field_key(&a->note, k, crt_cols() - 22);
    if (k.is_key && (k.ch == KEY_UP || k.ch == KEY_DOWN || k.ch == KEY_PPAGE || k.ch == KEY_NPAGE)) {
        if (appt_leave(a) < 0) {
            crt_beep();
            return CRT_HANDLED;
        }
        step(a, k.ch == KEY_UP || k.ch == KEY_PPAGE ? 1 : -1);
        a->fresh = 0;
        return CRT_HANDLED;
    }
    if (!k.is_key && k.ch == ' ') {
        a->with_me = !a->with_me;
        return CRT_HANDLED;
    }
    struct con_field *f = a->focus == F_DATE ? &a->date : &a->time;
    if (a->fresh && !k.is_key && k.ch >= '0' && k.ch <= '9')
        field_clear(f);
    a->fresh = 0;
    a->err[0] = '\0'; /* edited: the reason is asked again when it is left */
    return field_key(f, k, 0);
}

static enum crt_result appt_tick(void *ctx)
{
    struct console *c = ((struct appt *)ctx)->c;
    console_heartbeat(c);
    return c->lost ? CRT_LEAVE : CRT_HANDLED;
}

static const struct crt_screen_ops appt_ops = {
    .name = "appointment", .draw = appt_draw, .key = appt_key, .tick = appt_tick, .tick_ms = 2000,
};

enum con_pop console_appt_pick(struct console *c, struct con_under under, time_t *at, int *with_me)
{
    struct appt a;
    memset(&a, 0, sizeof a);
    a.c = c;
    a.under = under;
    field_init(&a.date, FIELD_DATE, 10);
    field_init(&a.time, FIELD_TIME, 5);
    field_init(&a.note, FIELD_ANY, (int)sizeof c->note / 4 - 1);
    field_set(&a.note, c->note);
    /* an hour from now, on the quarter hour */
    time_t t = cati_now() + 3600;
    t += (15 * 60 - t % (15 * 60)) % (15 * 60);
    set_from(&a, t);
    a.fresh = 1;
    if (console_run_popup(c, &appt_ops, &a) == POP_SIGNAL)
        return POP_SIGNAL;
    if (!a.ok || c->lost)
        return POP_CANCEL;
    if (strcmp(c->note, a.note.buf) != 0 && console_save_note(c, a.note.buf) < 0)
        return POP_CANCEL;
    *at = a.at;
    *with_me = a.with_me;
    return POP_OK;
}
