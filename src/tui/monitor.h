#ifndef CATI_TUI_MONITOR_H
#define CATI_TUI_MONITOR_H
/* The supervisor monitor: its panels rendered as lines of text (used by the
 * ncurses screen and by `cati monitor --once`), and the screen itself. */

#include <sqlite3.h>
#include <stdio.h>

#include "cati/config.h"
#include "cati/dashboard.h"
#include "cati/session.h"
#include "crt.h"

enum mon_panel {
    PANEL_QUEUE, PANEL_INTERVIEWERS, PANEL_RATES, PANEL_SCORES, PANEL_FLAGS, PANEL_QUOTAS, PANEL_COUNT
};

/* What a line shows; item >= 0 ties it to a selectable object (an
 * interviewer, a flag or a survey index in the dashboard arrays). */
struct mon_line {
    enum crt_style style;
    int item;
    char text[1600];
};

struct mon_lines {
    struct mon_line *v; /* owned; mon_lines_free */
    int n, cap;
};

struct mon_opts {
    const struct cati_config *cfg;
    int ascii;          /* bars in ASCII (vt100, non-UTF-8 locales) */
    int width;          /* columns available */
};

/* Panel names ("queue", "interviewers", "rates", "scores", "flags", "quotas"). */
const char *mon_panel_name(enum mon_panel p);
/* Parse a panel name; -1 if unknown. */
int mon_panel_parse(const char *s);

/* Render one panel of d into lines (appended). 0 or -1 (out of memory). */
int mon_render(enum mon_panel p, const struct dashboard *d, const struct mon_opts *o,
               struct mon_lines *out);
void mon_lines_free(struct mon_lines *l);

/* The Quotas panel (monitor_quota.c); mon_render calls it. */
int mon_render_quotas(const struct dashboard *d, const struct mon_opts *o, struct mon_lines *out);

/* The case view: case c in lines of o->width columns, every value whole
 * (wrapped), phone numbers as the core gave them (with_pii: in full). */
int mon_render_case(const struct dash_case *c, int with_pii, const struct mon_opts *o, struct mon_lines *out);

/* Append text word-wrapped to width columns: the first line starts with
 * first, the others with cont (indents). Breaks at spaces and after
 * Dzongkha's tsheg and shad, never inside a word unless the word alone is
 * wider than the line; a newline starts a new line. 0 or -1. */
int mon_add_wrapped(struct mon_lines *l, enum crt_style style, int item, int width, const char *first,
                    const char *cont, const char *text);

/* A bar of share 0..1 in width columns: block characters with eighths, or
 * '#' in ASCII. buf gets the UTF-8 text padded to width columns. */
void mon_bar(double share, int width, int ascii, char *buf, size_t size);

/* 1 when the terminal/locale should get ASCII bars (TERM vt*, dumb,
 * non-UTF-8 locale). */
int mon_want_ascii(void);

/* Display width of UTF-8 text (no curses). */
int mon_width(const char *s);

/* One UTF-8 character at s: returns its bytes (1 for an invalid byte) and
 * puts its display width in *width. */
int mon_char(const char *s, int *width);

/* Append one line (item: the selectable item it belongs to, -1 for none). 0 or -1. */
int mon_add(struct mon_lines *l, enum crt_style style, int item, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The live screen for the session's supervisor (role checks and the audit
 * log go through the core with ses->me); with_pii: phone numbers in full
 * (the caller checked and recorded it: dashboard_pii_open). Returns an exit code. */
int monitor_run(const struct cati_session *ses, long long survey_id, int with_pii);

#endif
