/* The supervisor monitor: a live dashboard of panels (queue, interviewers,
 * rates, five parameters, flags, quotas), one at a time or all together, refreshed
 * every [monitor] refresh_seconds in a short read transaction. */
#include "monitor_int.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cati/schedule.h"
#include "cati/util.h"

#define KEY_ESC 27
#define CTRL(c) ((c) & 0x1f)

static const char *const panel_titles[PANEL_COUNT] = {"Queue", "Interviewers", "Rates", "Scores",
                                                      "Flags", "Quotas"};

void mon_say(struct mon *m, enum crt_style style, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->status, sizeof m->status, fmt, ap);
    va_end(ap);
    m->status_style = style;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

void mon_refresh(struct mon *m)
{
    struct cati_error err;
    struct dashboard d = {0};
    double t0 = now_ms();
    if (dashboard_measures_sync(m->db, NULL, &err) < 0 ||
        dashboard_refresh(m->db, m->cfg, m->survey_id, DASH_ALL, cati_now(), &d, &err) < 0) {
        mon_say(m, CRT_ERROR, "cannot refresh: %s", err.msg);
        m->refreshed_at = cati_now(); /* try again at the next interval, not in a loop */
        return;
    }
    m->refresh_ms = now_ms() - t0;
    dashboard_free(&m->d);
    m->d = d;
    m->have_data = 1;
    m->refreshed_at = d.at;
    if (m->viewing) { /* keep the case view current too */
        struct dash_case c;
        if (dashboard_case(m->db, m->cv.id, cati_now(), m->me, m->with_pii, &c, &err) == 0) {
            dashboard_case_free(&m->cv);
            m->cv = c;
        }
    }
}

/* Items a panel's selection moves over. */
static int item_count(const struct mon *m, int panel)
{
    switch (panel) {
    case PANEL_QUEUE: return m->d.nqueues;
    case PANEL_INTERVIEWERS: return m->d.nivs;
    case PANEL_FLAGS: return m->d.nflags;
    default: return 0;
    }
}

long long mon_selected_case(const struct mon *m)
{
    if (m->viewing)
        return m->cv.id;
    int s = m->sel[m->panel < PANEL_COUNT ? m->panel : 0];
    if (m->panel == PANEL_INTERVIEWERS && s < m->d.nivs)
        return m->d.ivs[s].case_id;
    if (m->panel == PANEL_FLAGS && s < m->d.nflags)
        return m->d.flags[s].case_id;
    return 0;
}

/* --- drawing ------------------------------------------------------------------ */

/* The title bar: what is shown, as of when, who; the new-flags alert at its
 * right end. When it does not all fit, the least useful parts go first
 * (refresh time, program name, clock), so the alert is always seen. The
 * panel tabs below drop their padding when they do not fit either. */
static void draw_title(struct mon *m, int cols)
{
    char t[32], alert[48] = "";
    struct tm tm;
    cati_localtime_tz(m->cfg->timezone, m->refreshed_at, &tm);
    strftime(t, sizeof t, "%H:%M:%S", &tm);
    if (m->d.flags_new > 0)
        snprintf(alert, sizeof alert, " %lld NEW FLAG%s (5) ", m->d.flags_new, m->d.flags_new == 1 ? "" : "S");
    char piece[5][160];
    snprintf(piece[0], sizeof piece[0], "cati monitor");
    snprintf(piece[1], sizeof piece[1], "survey: %s", m->survey_id ? m->survey_name : "all");
    snprintf(piece[2], sizeof piece[2], "as of %s", t);
    snprintf(piece[3], sizeof piece[3], "refresh %.1f ms, every %d s", m->refresh_ms, m->cfg->refresh_seconds);
    snprintf(piece[4], sizeof piece[4], "%s", m->login);
    static const int drop_order[] = {3, 0, 2, 4};
    int shown[5] = {1, 1, 1, 1, 1};
    char line[800];
    for (int d = 0;; d++) {
        int o = 0;
        line[0] = '\0';
        for (int i = 0; i < 5; i++)
            if (shown[i])
                o += snprintf(line + o, sizeof line - (size_t)o, "%s%s", o ? "   " : " ", piece[i]);
        if (crt_width(line) + crt_width(alert) + 1 <= cols || d == 4)
            break;
        shown[drop_order[d]] = 0;
    }
    crt_bar(0, CRT_TITLE);
    int aw = crt_width(alert);
    crt_put(0, 0, cols - aw - 1, CRT_TITLE, line);
    if (aw)
        crt_put(0, cols - aw, aw, CRT_WARN, alert);
    char tabs[PANEL_COUNT + 1][48];
    int total = 1;
    for (int p = 0; p <= PANEL_COUNT; p++) {
        if (p < PANEL_COUNT)
            snprintf(tabs[p], sizeof tabs[p], " %d %s ", p + 1, panel_titles[p]);
        else
            snprintf(tabs[p], sizeof tabs[p], " a All ");
        total += crt_width(tabs[p]) + 1;
    }
    int x = total > cols ? 0 : 1;
    for (int p = 0; p <= PANEL_COUNT; p++) {
        const char *tab = total > cols ? tabs[p] + 1 : tabs[p]; /* "1 Queue " */
        x += crt_put(1, x, cols - x, p == m->panel ? CRT_HILITE : CRT_NORMAL, tab) + (total > cols ? 0 : 1);
    }
}

static int render(struct mon *m, int panel, int width, struct mon_lines *l)
{
    struct mon_opts o = {m->cfg, m->ascii, width};
    if (!m->have_data)
        return 0;
    return mon_render((enum mon_panel)panel, &m->d, &o, l);
}

/* Keep the selected item's first line on screen. */
static void follow_selection(struct mon *m, const struct mon_lines *l, int height)
{
    int p = m->panel;
    if (p >= PANEL_COUNT || item_count(m, p) == 0)
        return;
    int first = -1, last = -1;
    for (int i = 0; i < l->n; i++)
        if (l->v[i].item == m->sel[p]) {
            if (first < 0)
                first = i;
            last = i;
        }
    if (first < 0)
        return;
    if (first < m->top[p])
        m->top[p] = first > 2 ? first - 2 : 0; /* keep the column heads in view near the top */
    if (last >= m->top[p] + height)
        m->top[p] = last - height + 1;
}

static void draw_lines(struct mon *m, const struct mon_lines *l, int y0, int height, int cols)
{
    int p = m->panel;
    int maxtop = l->n - height;
    if (m->top[p] > maxtop)
        m->top[p] = maxtop > 0 ? maxtop : 0;
    for (int r = 0; r < height; r++) {
        int i = m->top[p] + r;
        if (i >= l->n)
            return;
        const struct mon_line *ln = &l->v[i];
        int sel = p < PANEL_COUNT && ln->item >= 0 && ln->item == m->sel[p] && item_count(m, p) > 0 &&
                  (ln->style != CRT_TITLE);
        if (sel)
            crt_fill(y0 + r, 0, cols, CRT_HILITE);
        crt_put(y0 + r, 0, cols, sel ? CRT_HILITE : ln->style, ln->text);
    }
}

/* Split panels 0..n-1 (heights h, a blank line between two in a column) into
 * ncol runs in order, the tallest run as short as can be: first[c] = the
 * first panel of column c (first[ncol] = n). */
static int column_height(const int *h, int from, int to)
{
    int t = 0;
    for (int i = from; i < to; i++)
        t += h[i] + (i > from);
    return t;
}

static void split_columns(const int *h, int n, int ncol, int *first)
{
    /* best[c][i]: the least tallest column putting panels i.. in c columns */
    int best[PANEL_COUNT + 1][PANEL_COUNT + 1], cut[PANEL_COUNT + 1][PANEL_COUNT + 1];
    for (int i = 0; i <= n; i++) {
        best[1][i] = column_height(h, i, n);
        cut[1][i] = n;
    }
    for (int c = 2; c <= ncol; c++)
        for (int i = 0; i <= n; i++) {
            best[c][i] = best[c - 1][i];
            cut[c][i] = i; /* this column empty */
            for (int j = i + 1; j <= n; j++) {
                int a = column_height(h, i, j), b = best[c - 1][j];
                int worst = a > b ? a : b;
                if (worst <= best[c][i]) { /* ties: fill the left columns first */
                    best[c][i] = worst;
                    cut[c][i] = j;
                }
            }
        }
    int i = 0;
    for (int c = 0; c < ncol; c++) {
        first[c] = i;
        i = cut[ncol - c][i];
    }
    first[ncol] = n;
}

/* All panels together: as many columns as 80-column widths fit, each panel
 * whole in one column (never split across two), the columns scrolled
 * together. */
static void draw_all(struct mon *m, int y0, int height, int cols)
{
    int ncol = cols / CRT_MIN_COLS;
    if (ncol < 1)
        ncol = 1;
    if (ncol > PANEL_COUNT)
        ncol = PANEL_COUNT;
    int colw = cols / ncol;
    struct mon_lines l[PANEL_COUNT];
    int h[PANEL_COUNT], first[PANEL_COUNT + 1];
    memset(l, 0, sizeof l);
    for (int p = 0; p < PANEL_COUNT; p++) {
        if (render(m, p, ncol > 1 ? colw - 1 : cols, &l[p]) < 0)
            mon_say(m, CRT_ERROR, "out of memory");
        h[p] = l[p].n;
    }
    split_columns(h, PANEL_COUNT, ncol, first);
    int tallest = 0;
    for (int c = 0; c < ncol; c++) {
        int t = column_height(h, first[c], first[c + 1]);
        if (t > tallest)
            tallest = t;
    }
    int *top = &m->top[PANEL_COUNT];
    if (*top > tallest - height)
        *top = tallest - height > 0 ? tallest - height : 0;
    for (int c = 0; c < ncol; c++) {
        int row = 0; /* row within the column's content */
        for (int p = first[c]; p < first[c + 1]; p++) {
            if (p > first[c])
                row++;
            for (int i = 0; i < l[p].n; i++, row++) {
                int y = row - *top;
                if (y >= 0 && y < height)
                    crt_put(y0 + y, c * colw, ncol > 1 ? colw - 1 : cols, l[p].v[i].style, l[p].v[i].text);
            }
        }
    }
    for (int p = 0; p < PANEL_COUNT; p++)
        mon_lines_free(&l[p]);
}

/* The case view: every value whole, wrapped; scrolled with the arrows and
 * PgUp/PgDn when it does not fit. */
static void draw_case(struct mon *m, int y0, int height, int cols)
{
    struct mon_lines l = {0};
    struct mon_opts o = {m->cfg, m->ascii, cols};
    if (mon_render_case(&m->cv, m->with_pii, &o, &l) < 0)
        mon_say(m, CRT_ERROR, "out of memory");
    int more = l.n > height; /* the last row says there is more, and where */
    if (more)
        height--;
    m->cv_height = height;
    int maxtop = l.n - height;
    if (m->cv_top > maxtop)
        m->cv_top = maxtop > 0 ? maxtop : 0;
    for (int r = 0; r < height && m->cv_top + r < l.n; r++) {
        const struct mon_line *ln = &l.v[m->cv_top + r];
        if (ln->style == CRT_TITLE)
            crt_bar(y0 + r, CRT_TITLE);
        crt_put(y0 + r, 0, cols, ln->style, ln->text);
    }
    if (more) {
        char where[96];
        int last = m->cv_top + height < l.n ? m->cv_top + height : l.n;
        snprintf(where, sizeof where, "lines %d-%d of %d   %s", m->cv_top + 1, last, l.n,
                 last < l.n ? "PgDn, Down: more" : "PgUp, Up: back to the top");
        crt_put(y0 + height, 0, cols, CRT_DIM, where);
    }
    mon_lines_free(&l);
}

/* The key bar of each panel: every action the panel accepts (the help, F1
 * or ?, lists every key). Each fits in 80 columns. */
static const char *const *bar_keys(const struct mon *m)
{
    static const char *const view[] = {"Esc", "Back", "PgDn", "More", "x", "Release", "p", "Priority",
                                       "b", "Appointment", "r", "Refresh", "?", "Help", "q", "Quit", NULL};
    static const char *const queue[] = {"1-6/a", "Panel", "o", "Case", "x", "Release", "p", "Priority",
                                        "b", "Appt", "s", "Survey", "z", "Pause", "?", "Help", "q", "Quit", NULL};
    static const char *const ivs[] = {"1-6/a", "Panel", "Enter/o", "Case", "x", "Release", "p", "Priority",
                                      "b", "Appt", "s", "Survey", "?", "Help", "q", "Quit", NULL};
    static const char *const flags[] = {"1-6/a", "Panel", "Enter", "Case", "S", "Seen", "F", "Fwd",
                                        "x", "Release", "p", "Priority", "b", "Appt", "?", "Help", "q", "Quit", NULL};
    static const char *const all[] = {"1-6", "Panel", "o", "Case", "x", "Release", "p", "Priority",
                                      "b", "Appt", "s", "Survey", "z", "Pause", "?", "Help", "q", "Quit", NULL};
    static const char *const view_final[] = {"Esc", "Back", "PgUp/PgDn", "Scroll", "r", "Refresh", "?", "Help",
                                             "q", "Quit", NULL};
    if (m->viewing)
        return strcmp(m->cv.state, "final") ? view : view_final;
    switch (m->panel) {
    case PANEL_QUEUE: return queue;
    case PANEL_FLAGS: return flags;
    case PANEL_COUNT: return all;
    default: return ivs;
    }
}

/* The help: every key of the panel (or case view) it was opened from. */
static const char *const *help_lines(const struct mon *m)
{
    static const char *const view[] = {
        "Case view",
        "Esc, Enter, o, Left   back to the panel",
        "Up, Down              scroll a line",
        "PgUp, PgDn, Home, End scroll a page, to the top, to the end",
        "x                     release the case (its holder loses it)",
        "p                     change the case's priority (higher is called first)",
        "b                     book an appointment for anyone",
        "                      (a final case is read-only: x, p and b refuse)",
        "r, Ctrl-L             refresh now",
        "F1, ?                 this help",
        "q, F10, Ctrl-C        quit",
        NULL};
    static const char *const queue[] = {
        "Queue panel",
        "1-6, a (or 0)         panel: Queue, Interviewers, Rates, Scores, Flags,",
        "                      Quotas, All",
        "Tab, Right / Left     next / previous panel",
        "Up, Down, PgUp, PgDn  select a survey",
        "o                     open a case by its ref (CT-2026-000002) or number",
        "x                     release a case",
        "p                     change a case's priority",
        "b                     book an appointment for a case",
        "s                     show one survey, the next, or all",
        "z                     pause or resume the selected survey",
        "r, Ctrl-L             refresh now",
        "F1, ?                 this help",
        "q, F10, Ctrl-C        quit",
        NULL};
    static const char *const ivs[] = {
        "%s panel",
        "1-6, a (or 0)         panel: Queue, Interviewers, Rates, Scores, Flags,",
        "                      Quotas, All",
        "Tab, Right / Left     next / previous panel",
        "Up, Down, PgUp, PgDn  select an interviewer (or scroll)",
        "Enter                 open the selected interviewer's case (or ask which)",
        "o                     open a case by its ref (CT-2026-000002) or number",
        "x                     release a case (the selected one's, pre-filled)",
        "p                     change a case's priority",
        "b                     book an appointment for a case",
        "s                     show one survey, the next, or all",
        "r, Ctrl-L             refresh now",
        "F1, ?                 this help",
        "q, F10, Ctrl-C        quit",
        NULL};
    static const char *const flags[] = {
        "Flags panel",
        "1-6, a (or 0)         panel: Queue, Interviewers, Rates, Scores, Flags,",
        "                      Quotas, All",
        "Tab, Right / Left     next / previous panel",
        "Up, Down, PgUp, PgDn  select a flag",
        "Enter                 open the flag's case",
        "o                     open a case by its ref (CT-2026-000002) or number",
        "S                     mark the selected flag seen",
        "F                     mark the selected flag forwarded",
        "x                     release a case (the flag's, pre-filled)",
        "p                     change a case's priority",
        "b                     book an appointment for a case",
        "r, Ctrl-L             refresh now",
        "F1, ?                 this help",
        "q, F10, Ctrl-C        quit",
        NULL};
    static const char *const all[] = {
        "All panels",
        "1-6                   one panel: Queue, Interviewers, Rates, Scores,",
        "                      Flags, Quotas",
        "Tab, Right / Left     next / previous panel",
        "Up, Down, PgUp, PgDn  scroll",
        "o, Enter              open a case by its ref (CT-2026-000002) or number",
        "x                     release a case",
        "p                     change a case's priority",
        "b                     book an appointment for a case",
        "s                     show one survey, the next, or all",
        "z                     pause or resume a survey",
        "r, Ctrl-L             refresh now",
        "F1, ?                 this help",
        "q, F10, Ctrl-C        quit",
        NULL};
    if (m->viewing)
        return view;
    switch (m->panel) {
    case PANEL_QUEUE: return queue;
    case PANEL_FLAGS: return flags;
    case PANEL_COUNT: return all;
    default: return ivs;
    }
}

/* Which panel keys a panel refuses, and why (the key bar does not list them). */
static const char *refused(const struct mon *m, wint_t ch)
{
    if (ch == 'z' && m->panel != PANEL_QUEUE && m->panel != PANEL_COUNT)
        return "z pauses a survey: on the Queue panel (1)";
    if (ch == 's' && m->panel == PANEL_FLAGS)
        return "s chooses the survey: on the Queue panel (1)";
    return NULL;
}

static void draw_help(struct mon *m, int y0, int height, int cols)
{
    const char *const *lines = help_lines(m);
    char head[64];
    snprintf(head, sizeof head, lines[0],
             m->panel < PANEL_COUNT ? panel_titles[m->panel] : "All");
    crt_put(y0, 0, cols, CRT_TITLE, "HELP");
    crt_put(y0 + 1, 2, cols - 2, CRT_OK, head);
    int n = 0;
    while (lines[n])
        n++;
    if (m->help_top > n - 2)
        m->help_top = n > 2 ? n - 2 : 0;
    int y = y0 + 2;
    for (int i = 1 + m->help_top; lines[i] && y < y0 + height; i++, y++)
        crt_put(y, 2, cols - 4, CRT_NORMAL, lines[i]);
}

static void draw(void *ctx, int rows, int cols)
{
    struct mon *m = ctx;
    draw_title(m, cols);
    /* the status line wraps (up to 3 lines) instead of cutting its words */
    struct mon_lines st = {0};
    if (m->act == ACT_NONE && !m->helping)
        mon_add_wrapped(&st, m->status_style, -1, cols, "", "", m->status);
    int nst = st.n < 1 ? 1 : st.n > 3 ? 3 : st.n;
    int y0 = 2, height = rows - 3 - nst;
    if (m->helping) {
        draw_help(m, y0, height, cols);
        crt_put(rows - 2, 0, cols, CRT_DIM, "any key: back");
        static const char *const keys[] = {"Up/Down", "Scroll", "any key", "Back", NULL};
        crt_keybar(keys);
        return;
    }
    if (m->viewing) {
        draw_case(m, y0, height, cols);
    } else if (m->panel == PANEL_COUNT) {
        draw_all(m, y0, height, cols);
    } else {
        struct mon_lines l = {0};
        if (render(m, m->panel, cols, &l) < 0)
            mon_say(m, CRT_ERROR, "out of memory");
        follow_selection(m, &l, height);
        draw_lines(m, &l, y0, height, cols);
        mon_lines_free(&l);
    }
    if (m->act != ACT_NONE) {
        int x = crt_put(rows - 2, 0, cols, CRT_HILITE, m->label);
        x += crt_put(rows - 2, x, cols - x, CRT_NORMAL, " ");
        x += crt_put(rows - 2, x, cols - x, CRT_NORMAL, m->input);
        crt_cursor(rows - 2, x < cols ? x : cols - 1);
        static const char *const keys[] = {"Enter", "Done", "Esc", "Cancel", NULL};
        crt_keybar(keys);
        return;
    }
    for (int i = 0; i < nst && i < st.n; i++)
        crt_put(rows - 1 - nst + i, 0, cols, st.v[i].style, st.v[i].text);
    mon_lines_free(&st);
    crt_keybar(bar_keys(m));
}

/* --- keys -------------------------------------------------------------------- */

static void next_survey(struct mon *m)
{
    /* cycle: all -> each survey by name -> all; the queue panel lists them */
    struct cati_error err;
    struct dashboard all = {0};
    if (dashboard_refresh(m->db, m->cfg, 0, 0, cati_now(), &all, &err) < 0) {
        mon_say(m, CRT_ERROR, "%s", err.msg);
        return;
    }
    int i = 0;
    if (m->survey_id)
        while (i < all.nqueues && all.queues[i].survey_id != m->survey_id)
            i++;
    int next = m->survey_id ? i + 1 : 0;
    if (next < all.nqueues) {
        m->survey_id = all.queues[next].survey_id;
        cati_strlcpy(m->survey_name, all.queues[next].survey, sizeof m->survey_name);
    } else {
        m->survey_id = 0;
        m->survey_name[0] = '\0';
    }
    dashboard_free(&all);
    memset(m->sel, 0, sizeof m->sel);
    memset(m->top, 0, sizeof m->top);
    mon_say(m, CRT_NORMAL, "showing %s", m->survey_id ? m->survey_name : "every survey");
    mon_refresh(m);
}

static enum crt_result prompt_key(struct mon *m, struct crt_key k)
{
    int fresh = m->input_fresh;
    m->input_fresh = 0;
    if (fresh && !k.is_key && k.ch >= 0x20 && k.ch < 0x7f)
        m->input[0] = '\0'; /* typed over the pre-filled value: it replaces it */
    size_t len = strlen(m->input);
    if (k.is_key && (k.ch == KEY_LEFT || k.ch == KEY_RIGHT || k.ch == KEY_HOME || k.ch == KEY_END))
        return CRT_HANDLED; /* the cursor stays at the end: from now on typing adds to the value */
    if (!k.is_key && k.ch == KEY_ESC) {
        m->act = ACT_NONE;
        mon_say(m, CRT_NORMAL, "cancelled");
    } else if ((!k.is_key && (k.ch == '\r' || k.ch == '\n')) || (k.is_key && k.ch == KEY_ENTER)) {
        mon_act_submit(m);
    } else if ((k.is_key && k.ch == KEY_BACKSPACE) || (!k.is_key && (k.ch == 127 || k.ch == 8))) {
        if (len > 0)
            m->input[len - 1] = '\0';
    } else if (!k.is_key && k.ch == CTRL('u')) {
        m->input[0] = '\0';
    } else if (!k.is_key && k.ch >= 0x20 && k.ch < 0x7f && len + 1 < sizeof m->input) {
        m->input[len] = (char)k.ch;
        m->input[len + 1] = '\0';
    } else {
        return CRT_IGNORED;
    }
    return CRT_HANDLED;
}

static void move_sel(struct mon *m, int delta, int page)
{
    int p = m->panel;
    int n = p < PANEL_COUNT ? item_count(m, p) : 0;
    if (n == 0 || page) {
        m->top[p] += delta * (page ? 10 : 1);
        if (m->top[p] < 0)
            m->top[p] = 0;
        if (!page || n == 0)
            return;
    }
    m->sel[p] += delta * (page ? 10 : 1);
    if (m->sel[p] >= n)
        m->sel[p] = n - 1;
    if (m->sel[p] < 0)
        m->sel[p] = 0;
}

static enum crt_result case_view_key(struct mon *m, struct crt_key k)
{
    if ((!k.is_key && (k.ch == KEY_ESC || k.ch == '\r' || k.ch == '\n' || k.ch == 'o')) ||
        (k.is_key && k.ch == KEY_LEFT)) {
        m->viewing = 0;
        dashboard_case_free(&m->cv);
        return CRT_HANDLED;
    }
    int page = m->cv_height > 2 ? m->cv_height - 1 : 1;
    if (k.is_key && k.ch == KEY_DOWN)
        m->cv_top++; /* draw_case keeps it within the view */
    else if (k.is_key && k.ch == KEY_UP && m->cv_top > 0)
        m->cv_top--;
    else if (k.is_key && k.ch == KEY_NPAGE)
        m->cv_top += page;
    else if (k.is_key && k.ch == KEY_PPAGE)
        m->cv_top = m->cv_top > page ? m->cv_top - page : 0;
    else if (k.is_key && k.ch == KEY_HOME)
        m->cv_top = 0;
    else if (k.is_key && k.ch == KEY_END)
        m->cv_top = 1 << 20;
    else if (!k.is_key && k.ch == 'x')
        mon_act_start(m, ACT_RELEASE);
    else if (!k.is_key && k.ch == 'p')
        mon_act_start(m, ACT_PRIORITY);
    else if (!k.is_key && k.ch == 'b')
        mon_act_start(m, ACT_APPOINT);
    else
        return CRT_IGNORED;
    return CRT_HANDLED;
}

static enum crt_result key(void *ctx, struct crt_key k)
{
    struct mon *m = ctx;
    if (m->act != ACT_NONE)
        return prompt_key(m, k);
    if (m->helping) {
        if (k.is_key && k.ch == KEY_DOWN)
            m->help_top++;
        else if (k.is_key && k.ch == KEY_UP && m->help_top > 0)
            m->help_top--;
        else
            m->helping = 0;
        return CRT_HANDLED;
    }
    if ((!k.is_key && k.ch == '?') || (k.is_key && k.ch == (wint_t)KEY_F(1))) {
        m->helping = 1;
        m->help_top = 0;
        return CRT_HANDLED;
    }
    const char *why = k.is_key || m->viewing ? NULL : refused(m, k.ch);
    if (why) {
        mon_say(m, CRT_WARN, "%s", why);
        return CRT_HANDLED;
    }
    if ((!k.is_key && (k.ch == 'q' || k.ch == 'Q' || k.ch == CTRL('c'))) || (k.is_key && k.ch == (wint_t)KEY_F(10)))
        return CRT_LEAVE;
    if (!k.is_key && (k.ch == 'r' || k.ch == CTRL('l'))) {
        mon_refresh(m);
        mon_say(m, CRT_NORMAL, "refreshed");
        return CRT_HANDLED;
    }
    enum crt_result r = CRT_HANDLED;
    if (m->viewing) {
        r = case_view_key(m, k);
    } else if (!k.is_key && k.ch >= '1' && k.ch <= '0' + PANEL_COUNT) {
        m->panel = (int)(k.ch - '1');
    } else if (!k.is_key && (k.ch == 'a' || k.ch == '0')) {
        m->panel = PANEL_COUNT;
    } else if ((!k.is_key && k.ch == '\t') || (k.is_key && k.ch == KEY_RIGHT)) {
        m->panel = (m->panel + 1) % (PANEL_COUNT + 1);
    } else if (k.is_key && (k.ch == KEY_BTAB || k.ch == KEY_LEFT)) {
        m->panel = (m->panel + PANEL_COUNT) % (PANEL_COUNT + 1);
    } else if (k.is_key && k.ch == KEY_UP) {
        move_sel(m, -1, 0);
    } else if (k.is_key && k.ch == KEY_DOWN) {
        move_sel(m, 1, 0);
    } else if (k.is_key && k.ch == KEY_PPAGE) {
        move_sel(m, -1, 1);
    } else if (k.is_key && k.ch == KEY_NPAGE) {
        move_sel(m, 1, 1);
    } else if (k.is_key && k.ch == KEY_HOME) {
        m->top[m->panel] = 0;
        if (m->panel < PANEL_COUNT)
            m->sel[m->panel] = 0;
    } else if (!k.is_key && k.ch == 's') {
        next_survey(m);
    } else if ((!k.is_key && (k.ch == '\r' || k.ch == '\n')) || (k.is_key && k.ch == KEY_ENTER)) {
        long long id = mon_selected_case(m);
        if (id)
            mon_open_case(m, id);
        else
            mon_act_start(m, ACT_OPEN);
    } else if (!k.is_key && k.ch == 'o') {
        mon_act_start(m, ACT_OPEN);
    } else if (!k.is_key && k.ch == 'x') {
        mon_act_start(m, ACT_RELEASE);
    } else if (!k.is_key && k.ch == 'p') {
        mon_act_start(m, ACT_PRIORITY);
    } else if (!k.is_key && k.ch == 'b') {
        mon_act_start(m, ACT_APPOINT);
    } else if (!k.is_key && k.ch == 'z') {
        mon_act_start(m, ACT_PAUSE);
    } else if (!k.is_key && k.ch == 'S' && m->panel == PANEL_FLAGS) {
        mon_flag_mark(m, "seen");
    } else if (!k.is_key && k.ch == 'F' && m->panel == PANEL_FLAGS) {
        mon_flag_mark(m, "forwarded");
    } else {
        r = CRT_IGNORED;
    }
    /* keys keep coming: refresh when the interval has passed anyway */
    if (cati_now() - m->refreshed_at >= m->cfg->refresh_seconds)
        mon_refresh(m);
    return r;
}

static enum crt_result tick(void *ctx)
{
    struct mon *m = ctx;
    if (m->act == ACT_NONE || cati_now() - m->refreshed_at >= m->cfg->refresh_seconds)
        mon_refresh(m);
    return CRT_HANDLED;
}

int monitor_run(const struct cati_session *ses, long long survey_id, int with_pii)
{
    sqlite3 *db = ses->db;
    const struct cati_config *cfg = ses->cfg;
    struct mon m;
    memset(&m, 0, sizeof m);
    m.db = db;
    m.cfg = cfg;
    m.me = ses->me;
    m.login = ses->me->login;
    m.survey_id = survey_id;
    m.with_pii = with_pii;
    m.ascii = mon_want_ascii();
    if (survey_id) {
        struct dashboard d = {0};
        struct cati_error err;
        if (dashboard_refresh(db, cfg, survey_id, 0, cati_now(), &d, &err) == 0 && d.nqueues == 1)
            cati_strlcpy(m.survey_name, d.queues[0].survey, sizeof m.survey_name);
        dashboard_free(&d);
    }
    mon_say(&m, CRT_DIM, "1-6, Tab: panels   a: all   arrows: select   Enter: open a case   ?: help");
    mon_refresh(&m);
    if (crt_init() < 0) {
        dashboard_free(&m.d);
        fprintf(stderr, "cati: monitor: not a terminal (use 'cati monitor --once' for text)\n");
        return 1;
    }
    struct crt_screen_ops ops = {"monitor", draw, key, tick, cfg->refresh_seconds * 1000};
    int sig = crt_run(&ops, &m);
    crt_done();
    dashboard_free(&m.d);
    dashboard_case_free(&m.cv);
    return sig ? 128 + sig : 0;
}
