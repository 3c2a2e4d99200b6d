/* The monitor's panels as lines of text: the ncurses screen draws them, and
 * `cati monitor --once` prints them. No curses here. */
#include "monitor.h"

#include <langinfo.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cati/disposition.h"
#include "cati/schedule.h"
#include "cati/util.h"

static const char *const panel_names[PANEL_COUNT] = {"queue", "interviewers", "rates", "scores",
                                                     "flags", "quotas"};

const char *mon_panel_name(enum mon_panel p)
{
    return p >= 0 && p < PANEL_COUNT ? panel_names[p] : "?";
}

int mon_panel_parse(const char *s)
{
    for (int i = 0; i < PANEL_COUNT; i++)
        if (!strcmp(s, panel_names[i]))
            return i;
    return -1;
}

void mon_lines_free(struct mon_lines *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

int mon_add(struct mon_lines *l, enum crt_style style, int item, const char *fmt, ...)
{
    if (l->n == l->cap) {
        int ncap = l->cap ? l->cap * 2 : 64;
        struct mon_line *p = realloc(l->v, (size_t)ncap * sizeof *p);
        if (!p)
            return -1;
        l->v = p;
        l->cap = ncap;
    }
    struct mon_line *ln = &l->v[l->n++];
    ln->style = style;
    ln->item = item;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ln->text, sizeof ln->text, fmt, ap);
    va_end(ap);
    return 0;
}

int mon_char(const char *s, int *width)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    wchar_t wc;
    size_t n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        *width = 1;
        return 1;
    }
    int w = wcwidth(wc);
    *width = w < 0 ? 1 : w;
    return (int)n;
}

int mon_width(const char *s)
{
    int w = 0, cw;
    while (*s) {
        s += mon_char(s, &cw);
        w += cw;
    }
    return w;
}

/* A place a line may break after the character at s: a space (dropped), a
 * slash (survey/ref), a Tibetan tsheg or shad (kept at the end of the line: Dzongkha puts no
 * spaces between words). */
static int breaks_after(const char *s, int *drop)
{
    *drop = *s == ' ';
    if (*s == ' ' || *s == '/') /* survey/ref */
        return 1;
    /* U+0F0B tsheg, U+0F0D shad, U+0F0E double shad: E0 BC 8B / 8D / 8E */
    return (unsigned char)s[0] == 0xE0 && (unsigned char)s[1] == 0xBC &&
           ((unsigned char)s[2] == 0x8B || (unsigned char)s[2] == 0x8D || (unsigned char)s[2] == 0x8E);
}

int mon_add_wrapped(struct mon_lines *l, enum crt_style style, int item, int width, const char *first,
                    const char *cont, const char *text)
{
    const char *s = text ? text : "";
    const char *prefix = first;
    int any = 0;
    while (*s || !any) {
        int avail = width - mon_width(prefix);
        size_t room = sizeof l->v[0].text - strlen(prefix) - 1;
        if (avail < 8)
            avail = 8;
        size_t cut = 0, brk = 0, next = 0;
        int used = 0, cw;
        while (s[cut] && s[cut] != '\n') {
            int n = mon_char(s + cut, &cw);
            if ((used + cw > avail && cw > 0) || cut + (size_t)n > room)
                break;
            used += cw;
            int drop;
            if (breaks_after(s + cut, &drop)) {
                brk = drop ? cut : cut + (size_t)n;
                next = cut + (size_t)n;
            }
            cut += (size_t)n;
        }
        size_t take = cut, skip = cut;
        if (s[cut] && s[cut] != '\n' && next > 0) {
            take = brk; /* the last break that fits: no word is cut */
            skip = next;
        }
        if (s[skip] == '\n')
            skip++;
        while (take > 0 && s[take - 1] == ' ')
            take--;
        if (mon_add(l, style, item, "%s%.*s", prefix, (int)take, s) < 0)
            return -1;
        s += skip;
        while (*s == ' ')
            s++;
        prefix = cont;
        any = 1;
    }
    return 0;
}

/* Copy s into dst cut to width columns and padded with spaces to it (left
 * aligned), or right aligned when right is set. Returns dst. */
static char *fit(char *dst, size_t size, const char *s, int width, int right)
{
    size_t o = 0;
    int used = 0, cw;
    const char *end = s;
    while (*end) {
        int n = mon_char(end, &cw);
        if (used + cw > width)
            break;
        used += cw;
        end += n;
    }
    int padn = width - used;
    if (right)
        for (; padn > 0 && o + 1 < size; padn--)
            dst[o++] = ' ';
    for (const char *p = s; p < end && o + 1 < size; p++)
        dst[o++] = *p;
    for (; padn > 0 && o + 1 < size; padn--)
        dst[o++] = ' ';
    dst[o] = '\0';
    return dst;
}

int mon_want_ascii(void)
{
    const char *term = getenv("TERM");
    if (!term || !strncmp(term, "vt", 2) || !strcmp(term, "dumb") || !strcmp(term, "ansi"))
        return 1;
    const char *cs = nl_langinfo(CODESET);
    return !cs || strcmp(cs, "UTF-8") != 0;
}

void mon_bar(double share, int width, int ascii, char *buf, size_t size)
{
    static const char *const eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    if (share < 0)
        share = 0;
    if (share > 1)
        share = 1;
    int units = (int)(share * width * 8 + 0.5);
    size_t o = 0;
    int cols = 0;
    for (; units >= 8 && cols < width; units -= 8, cols++) {
        const char *b = ascii ? "#" : "█";
        size_t bl = strlen(b);
        if (o + bl >= size)
            break;
        memcpy(buf + o, b, bl);
        o += bl;
    }
    if (cols < width && units > 0) {
        const char *b = ascii ? (units >= 4 ? "+" : "") : eighths[units];
        size_t bl = strlen(b);
        if (bl && o + bl < size) {
            memcpy(buf + o, b, bl);
            o += bl;
            cols++;
        }
    }
    for (; cols < width && o + 1 < size; cols++)
        buf[o++] = ascii ? '.' : ' ';
    buf[o] = '\0';
}

static const char *hhmm(time_t t, const struct cati_config *cfg, char *buf, size_t size)
{
    char full[32];
    cati_format_time(t, cfg->timezone, full, sizeof full);
    cati_strlcpy(buf, full + 11, size); /* "HH:MM" */
    return buf;
}

/* "45s", "18m", "1h56m", "3d" */
static const char *ago(time_t secs, char *buf, size_t size)
{
    if (secs < 60)
        snprintf(buf, size, "%lds", (long)(secs < 0 ? 0 : secs));
    else if (secs < 3600)
        snprintf(buf, size, "%ldm", (long)(secs / 60));
    else if (secs < 86400)
        snprintf(buf, size, "%ldh%02ldm", (long)(secs / 3600), (long)(secs % 3600 / 60));
    else
        snprintf(buf, size, "%ldd", (long)(secs / 86400));
    return buf;
}

static const char *mon_code_meaning(const char *code)
{
    return disposition_meaning(code);
}

/* --- queue ------------------------------------------------------------------ */

#define QLABEL 34
#define QCOL 11

/* Queue and rates are tables: a label column, then one column per survey.
 * The label column is as wide as its longest label (at least QLABEL), a
 * survey's as its longest name (at least QCOL); as many surveys as fit side
 * by side, the others in further blocks below. A label wider than the room
 * left wraps onto lines of its own under it. */
struct grid {
    int lab_w, col_w, per;
};

static void grid_plan(const struct dashboard *d, const struct mon_opts *o, int label_need, struct grid *g)
{
    int name = 0;
    for (int i = 0; i < d->nqueues; i++) {
        int w = mon_width(d->queues[i].survey);
        if (w > name)
            name = w;
    }
    g->col_w = name + 2 > QCOL ? name + 2 : QCOL;
    if (g->col_w > o->width - 12)
        g->col_w = o->width - 12;
    g->lab_w = label_need + 1 > QLABEL ? label_need + 1 : QLABEL;
    if (g->lab_w > o->width - g->col_w)
        g->lab_w = o->width - g->col_w;
    g->per = (o->width - g->lab_w) / g->col_w;
    if (g->per < 1)
        g->per = 1;
    if (g->per > 16)
        g->per = 16;
}

/* A row: label (wrapped when wider than its column) and the cells after it. */
static int add_row(struct mon_lines *l, enum crt_style style, int item, const struct grid *g,
                   const char *label, const char *cells)
{
    char lab[1600];
    if (mon_width(label) < g->lab_w)
        return mon_add(l, style, item, "%s%s", fit(lab, sizeof lab, label, g->lab_w, 0), cells);
    int first = l->n;
    if (mon_add_wrapped(l, style, item, g->lab_w - 1, "", "    ", label) < 0)
        return -1;
    struct mon_line *ln = &l->v[first];
    char tmp[1600];
    cati_strlcpy(tmp, ln->text, sizeof tmp);
    snprintf(ln->text, sizeof ln->text, "%s%s", fit(lab, sizeof lab, tmp, g->lab_w, 0), cells);
    return 0;
}

/* The cell of one survey: right aligned in the survey's column. */
static int cell(char *line, size_t size, int n, const struct grid *g, const char *v)
{
    char c[256];
    return n + snprintf(line + n, size - (size_t)n, "%s", fit(c, sizeof c, v, g->col_w, 1));
}

static void code_label(const char *code, char *buf, size_t size)
{
    snprintf(buf, size, "  %-6s %s", code, mon_code_meaning(code));
}

static const char *const queue_rows[] = {"calling",         "not yet called", "due now",
                                         "waiting for retry", "in use",       "final",
                                         "total",           "appointments today",
                                         "  due in the next hour", "  missed"};

static int queue_block(const struct dashboard *d, const struct grid *g, int from, int to,
                       struct mon_lines *l)
{
    char head[1600] = "";
    int o = 0;
    for (int i = from; i < to; i++)
        o = cell(head, sizeof head, o, g, d->queues[i].survey);
    if (add_row(l, CRT_TITLE, -1, g, "QUEUE", head) < 0)
        return -1;
    for (int r = 0; r < 10; r++) {
        char line[1600] = "";
        int n = 0;
        int warn = 0;
        for (int i = from; i < to; i++) {
            const struct dash_queue *q = &d->queues[i];
            long long v = 0;
            const char *txt = NULL;
            switch (r) {
            case 0: txt = q->paused ? "PAUSED" : "running"; warn |= q->paused; break;
            case 1: v = q->not_called; break;
            case 2: v = q->due; break;
            case 3: v = q->waiting; break;
            case 4: v = q->in_use; break;
            case 5: v = q->final; break;
            case 6: v = q->total; break;
            case 7: v = q->appt_today; break;
            case 8: v = q->appt_hour; break;
            case 9: v = q->appt_missed; warn |= v > 0; break;
            }
            char num[32];
            snprintf(num, sizeof num, "%lld", v);
            n = cell(line, sizeof line, n, g, txt ? txt : num);
        }
        if (add_row(l, warn ? CRT_WARN : CRT_NORMAL, r == 0 ? from : -1, g, queue_rows[r], line) < 0)
            return -1;
    }
    /* final cases by code: the union of codes over the surveys shown */
    if (mon_add(l, CRT_DIM, -1, "final by AAPOR code") < 0)
        return -1;
    struct dash_code codes[DASHBOARD_MAX_CODES];
    int ncodes = 0;
    for (int i = from; i < to; i++)
        for (int k = 0; k < d->queues[i].nfinals; k++) {
            int j = 0;
            while (j < ncodes && strcmp(codes[j].code, d->queues[i].finals[k].code))
                j++;
            if (j == ncodes && ncodes < DASHBOARD_MAX_CODES)
                codes[ncodes++] = d->queues[i].finals[k];
        }
    for (int a = 1; a < ncodes; a++) /* code order */
        for (int b = a; b > 0 && strcmp(codes[b - 1].code, codes[b].code) > 0; b--) {
            struct dash_code t = codes[b];
            codes[b] = codes[b - 1];
            codes[b - 1] = t;
        }
    if (ncodes == 0 && mon_add(l, CRT_DIM, -1, "  (none yet)") < 0)
        return -1;
    for (int k = 0; k < ncodes; k++) {
        char line[1600] = "", label[160];
        code_label(codes[k].code, label, sizeof label);
        int n = 0;
        for (int i = from; i < to; i++) {
            long long v = 0;
            for (int j = 0; j < d->queues[i].nfinals; j++)
                if (!strcmp(d->queues[i].finals[j].code, codes[k].code))
                    v = d->queues[i].finals[j].n;
            char num[32];
            snprintf(num, sizeof num, "%lld", v);
            n = cell(line, sizeof line, n, g, num);
        }
        if (add_row(l, CRT_NORMAL, -1, g, label, line) < 0)
            return -1;
    }
    return 0;
}

static int render_queue(const struct dashboard *d, const struct mon_opts *o, struct mon_lines *l)
{
    if (d->nqueues == 0)
        return mon_add_wrapped(l, CRT_DIM, -1, o->width, "", "",
                               "no surveys yet: load one with 'cati survey load FILE.cati'");
    int need = 0;
    for (size_t r = 0; r < sizeof queue_rows / sizeof queue_rows[0]; r++)
        if (mon_width(queue_rows[r]) > need)
            need = mon_width(queue_rows[r]);
    for (int i = 0; i < d->nqueues; i++)
        for (int k = 0; k < d->queues[i].nfinals; k++) {
            char label[160];
            code_label(d->queues[i].finals[k].code, label, sizeof label);
            if (mon_width(label) > need)
                need = mon_width(label);
        }
    struct grid g;
    grid_plan(d, o, need, &g);
    for (int i = 0; i < d->nqueues; i += g.per) {
        if (i > 0 && mon_add(l, CRT_NORMAL, -1, "%s", "") < 0)
            return -1;
        if (queue_block(d, &g, i, i + g.per < d->nqueues ? i + g.per : d->nqueues, l) < 0)
            return -1;
    }
    return 0;
}

/* --- rates ------------------------------------------------------------------ */

static const enum disposition_rate_id shown_rates[] = {RATE_RR1, RATE_RR3, RATE_COOP1, RATE_REF1,
                                                      RATE_CON1};
static const char *const cat_labels[CAT_COUNT] = {
    "I  complete",          "P  partial",          "R  refusal, break-off", "NC non-contact",
    "O  other eligible",    "UH unknown, household", "UO unknown, other",   "NE not eligible"};

static int rates_block(const struct dashboard *d, const struct mon_opts *o, const struct grid *g, int from,
                       int to, struct mon_lines *l)
{
    struct disposition_counts counts[16];
    struct disposition_rates rates[16];
    char line[1600] = "";
    int n = 0;
    for (int i = from; i < to; i++) {
        dashboard_rates(&d->queues[i], o->cfg->rates_e, &counts[i - from], &rates[i - from]);
        n = cell(line, sizeof line, n, g, d->queues[i].survey);
    }
    if (add_row(l, CRT_TITLE, -1, g, "RATES (AAPOR)", line) < 0)
        return -1;
    for (size_t r = 0; r < sizeof shown_rates / sizeof shown_rates[0]; r++) {
        n = 0;
        line[0] = '\0';
        for (int i = from; i < to; i++) {
            const struct disposition_rate *x = &rates[i - from].rate[shown_rates[r]];
            char v[32];
            if (x->defined)
                snprintf(v, sizeof v, "%.1f%%", x->value * 100);
            else
                snprintf(v, sizeof v, "undefined");
            n = cell(line, sizeof line, n, g, v);
        }
        if (add_row(l, CRT_OK, -1, g, disposition_rate_name(shown_rates[r]), line) < 0)
            return -1;
    }
    n = 0;
    line[0] = '\0';
    for (int i = from; i < to; i++) {
        char v[32];
        if (rates[i - from].e_defined)
            snprintf(v, sizeof v, "%.3f", rates[i - from].e);
        else
            snprintf(v, sizeof v, "undefined");
        n = cell(line, sizeof line, n, g, v);
    }
    if (add_row(l, CRT_NORMAL, -1, g, o->cfg->rates_e < 0 ? "e (estimated)" : "e (given)", line) < 0 ||
        mon_add_wrapped(l, CRT_DIM, -1, o->width, "", "  ",
                        "cases by category (open ones by their best code so far)") < 0)
        return -1;
    for (int c = 0; c < CAT_COUNT; c++) {
        n = 0;
        line[0] = '\0';
        for (int i = from; i < to; i++) {
            char v[32];
            snprintf(v, sizeof v, "%lld", counts[i - from].n[c]);
            n = cell(line, sizeof line, n, g, v);
        }
        if (add_row(l, CRT_NORMAL, -1, g, cat_labels[c], line) < 0)
            return -1;
    }
    return 0;
}

static int render_rates(const struct dashboard *d, const struct mon_opts *o, struct mon_lines *l)
{
    if (d->nqueues == 0)
        return mon_add(l, CRT_DIM, -1, "RATES: no surveys yet");
    int need = mon_width("RATES (AAPOR)");
    for (int c = 0; c < CAT_COUNT; c++)
        if (mon_width(cat_labels[c]) > need)
            need = mon_width(cat_labels[c]);
    struct grid g;
    grid_plan(d, o, need, &g);
    for (int i = 0; i < d->nqueues; i += g.per) {
        if (i > 0 && mon_add(l, CRT_NORMAL, -1, "%s", "") < 0)
            return -1;
        if (rates_block(d, o, &g, i, i + g.per < d->nqueues ? i + g.per : d->nqueues, l) < 0)
            return -1;
    }
    return 0;
}

/* --- interviewers ------------------------------------------------------------ */

/* One line per interviewer when login and case ref fit their columns (as
 * wide as the longest of each); otherwise two: login and case ref in full,
 * then the figures under them. */
static int render_interviewers(const struct dashboard *d, const struct mon_opts *o,
                               struct mon_lines *l)
{
    int in = 0, idle = 0, wl = 12, wc = 14;
    for (int i = 0; i < d->nivs; i++) {
        in += d->ivs[i].logged_in;
        idle += d->ivs[i].idle;
        if (mon_width(d->ivs[i].login) > wl)
            wl = mon_width(d->ivs[i].login);
        if (mon_width(d->ivs[i].case_ref) > wc)
            wc = mon_width(d->ivs[i].case_ref);
    }
    int two = wl + wc + 53 > o->width;
    char t[48], title[200];
    snprintf(title, sizeof title, "INTERVIEWERS  %d logged in, %d idle (%d min or more)   today from 00:00", in,
             idle, o->cfg->idle_minutes);
    if (mon_add_wrapped(l, CRT_TITLE, -1, o->width, "", "  ", title) < 0)
        return -1;
    if (two ? mon_add(l, CRT_DIM, -1, "LOGIN, CASE") < 0 ||
                  mon_add(l, CRT_DIM, -1, "  %-11s %7s %5s %5s %5s %5s %7s", "STATUS", "ON CASE", "CALLS", "CONT.",
                      "COMPL", "REFUS", "COMPL/H") < 0
            : mon_add(l, CRT_DIM, -1, "%-*s %-11s %-*s %7s %5s %5s %5s %5s %7s", wl, "LOGIN", "STATUS", wc, "CASE",
                  "ON CASE", "CALLS", "CONT.", "COMPL", "REFUS", "COMPL/H") < 0)
        return -1;
    if (d->nivs == 0)
        return mon_add(l, CRT_DIM, -1, "no interviewer accounts");
    for (int i = 0; i < d->nivs; i++) {
        const struct dash_interviewer *v = &d->ivs[i];
        char status[64], on[48] = "", rate[48] = "-", login[256], ref[256];
        enum crt_style style = CRT_NORMAL;
        if (v->idle) {
            snprintf(status, sizeof status, "IDLE %s",
                     v->idle_since ? ago(d->at - v->idle_since, t, sizeof t) : "");
            style = CRT_WARN;
        } else if (v->logged_in) {
            snprintf(status, sizeof status, "%s", v->case_id ? "on case" : "ready");
        } else if (v->last_seen) {
            snprintf(status, sizeof status, "away %s", ago(d->at - v->last_seen, t, sizeof t));
            style = CRT_DIM;
        } else {
            snprintf(status, sizeof status, "never seen");
            style = CRT_DIM;
        }
        if (v->case_id) {
            long s = (long)(d->at - v->case_since);
            snprintf(on, sizeof on, "%ld:%02ld", s / 60, s % 60);
        }
        if (v->per_hour >= 0)
            snprintf(rate, sizeof rate, "%.2f", v->per_hour);
        int r;
        if (two) {
            char who[256];
            snprintf(who, sizeof who, "%s%s%s", v->login, v->case_ref[0] ? "   " : "", v->case_ref);
            r = mon_add_wrapped(l, style, i, o->width, "", "    ", who);
            if (r == 0)
                r = mon_add(l, style, i, "  %-11s %7s %5d %5d %5d %5d %7s", status, on, v->calls, v->contacts,
                        v->completes, v->refusals, rate);
        } else {
            r = mon_add(l, style, i, "%s %-11s %s %7s %5d %5d %5d %5d %7s", fit(login, sizeof login, v->login, wl, 0),
                    status, fit(ref, sizeof ref, v->case_ref, wc, 0), on, v->calls, v->contacts, v->completes,
                    v->refusals, rate);
        }
        if (r < 0)
            return -1;
    }
    return 0;
}

/* --- scores ------------------------------------------------------------------ */

/* Parameter and question columns as wide as their longest names; when a row
 * does not fit, the bar goes first (the share is also a number), then the
 * names take a line of their own above the figures. */
static int render_scores(const struct dashboard *d, const struct mon_opts *o, struct mon_lines *l)
{
    if (mon_add_wrapped(l, CRT_TITLE, -1, o->width, "", "  ",
                        "FIVE PARAMETERS   completed interviews: mean, share 4-5 or good, n") < 0)
        return -1;
    if (d->nscores == 0)
        return mon_add_wrapped(l, CRT_DIM, -1, o->width, "", "",
                               "no completed interviews with measured questions yet");
    int wp = 14, wq = 12;
    long long maxn = 0;
    for (int i = 0; i < d->nscores; i++) {
        if (mon_width(d->scores[i].parameter) > wp)
            wp = mon_width(d->scores[i].parameter);
        if (mon_width(d->scores[i].question) > wq)
            wq = mon_width(d->scores[i].question);
        if (d->scores[i].n > maxn)
            maxn = d->scores[i].n;
    }
    char nbuf[32];
    int nw = snprintf(nbuf, sizeof nbuf, "%lld", maxn);
    int figures = 7 + 2 + 4 + 1 + 5 + 3 + nw; /* mean, share, what, n */
    int with_bar = 2 + wp + 1 + wq + 1 + figures + 13 <= o->width;
    int names_apart = !with_bar && 2 + wp + 1 + wq + 1 + figures > o->width;
    if (names_apart)
        with_bar = 4 + figures + 13 <= o->width;
    const struct dash_score *prev = NULL;
    for (int i = 0; i < d->nscores; i++) {
        const struct dash_score *s = &d->scores[i];
        if (!prev || strcmp(prev->survey, s->survey)) {
            char sv[128];
            snprintf(sv, sizeof sv, "survey %s", s->survey);
            if (mon_add_wrapped(l, CRT_HILITE, -1, o->width, "", "  ", sv) < 0)
                return -1;
        }
        if (!prev || strcmp(prev->survey, s->survey) || prev->all != s->all ||
            strcmp(prev->service, s->service) || strcmp(prev->agency, s->agency)) {
            char group[256];
            if (s->all)
                snprintf(group, sizeof group, "all services");
            else
                snprintf(group, sizeof group, "%s%s%s", s->service[0] ? s->service : "(no service)",
                         s->agency[0] ? (o->ascii ? " / " : " · ") : "", s->agency);
            if (mon_add_wrapped(l, CRT_OK, -1, o->width, "", "    ", group) < 0)
                return -1;
        }
        prev = s;
        char param[256], q[256], mean[48] = "-", bar[128] = "", pct[48] = "", what[48] = "";
        double share = dash_score_share(s);
        if (dash_score_has_mean(s))
            snprintf(mean, sizeof mean, s->kind == DASH_SCALE ? "%.2f" : "%.1f", s->mean);
        if (share >= 0) {
            mon_bar(share, 12, o->ascii, bar, sizeof bar);
            snprintf(pct, sizeof pct, "%3.0f%%", share * 100);
            snprintf(what, sizeof what, "%s", s->kind == DASH_SCALE ? "4-5" : "good");
            if (s->kind == DASH_SCALE && (s->lo != 1 || s->hi != 5))
                snprintf(what, sizeof what, "%ld-%ld", s->hi - 1, s->hi);
        } else {
            mon_bar(0, 12, 1, bar, sizeof bar);
            memset(bar, ' ', 12);
            snprintf(what, sizeof what, "%s", s->kind == DASH_NUMBER || s->kind == DASH_SCALE
                                                  ? "mean" : dash_kind_name(s->kind));
        }
        char figs[400];
        snprintf(figs, sizeof figs, "%7s  %s%s%4s %-5s n %lld", mean, with_bar ? bar : "", with_bar ? " " : "",
                 pct, what, s->n);
        int r;
        if (names_apart) {
            char names[128];
            snprintf(names, sizeof names, "%s  %s", s->parameter, s->question);
            r = mon_add_wrapped(l, CRT_NORMAL, i, o->width, "  ", "    ", names);
            if (r == 0)
                r = mon_add(l, CRT_NORMAL, i, "    %s", figs);
        } else {
            r = mon_add(l, CRT_NORMAL, i, "  %s %s %s", fit(param, sizeof param, s->parameter, wp, 0),
                    fit(q, sizeof q, s->question, wq, 0), figs);
        }
        if (r < 0)
            return -1;
    }
    return 0;
}

/* --- flags ------------------------------------------------------------------- */

/* The respondent's words in quotes, wrapped under a heading. */
static int add_quoted(struct mon_lines *l, enum crt_style style, int item, int width, const char *indent,
                      const char *text)
{
    size_t n = strlen(text ? text : "");
    char *q = malloc(n + 3);
    if (!q)
        return -1;
    snprintf(q, n + 3, "\"%s\"", text ? text : "");
    char cont[32];
    snprintf(cont, sizeof cont, "%s ", indent);
    int r = mon_add_wrapped(l, style, item, width, indent, cont, q);
    free(q);
    return r;
}

static int render_flags(const struct dashboard *d, const struct mon_opts *o, struct mon_lines *l)
{
    char title[128];
    snprintf(title, sizeof title, "FLAGS   %lld new of %lld, newest first", d->flags_new, d->flags_total);
    if (mon_add_wrapped(l, CRT_TITLE, -1, o->width, "", "  ", title) < 0)
        return -1;
    if (d->nflags == 0)
        return mon_add_wrapped(l, CRT_DIM, -1, o->width, "", "", "no complaints or integrity reports raised");
    for (int i = 0; i < d->nflags; i++) {
        const struct dash_flag *f = &d->flags[i];
        char when[32], status[160], hm[16], head[800];
        cati_format_time(f->raised_at, o->cfg->timezone, when, sizeof when);
        if (!strcmp(f->status, "new"))
            snprintf(status, sizeof status, "NEW");
        else
            snprintf(status, sizeof status, "%s by %s %s", f->status, f->handled_by,
                     hhmm(f->handled_at, o->cfg, hm, sizeof hm));
        snprintf(head, sizeof head, "%s  %s  %-10s %s/%s %s%s%s%s%s", when, status, f->kind, f->survey, f->ref,
                 f->service, f->agency[0] ? (o->ascii ? " / " : " · ") : "", f->agency,
                 f->interviewer[0] ? "  by " : "", f->interviewer);
        /* the heading wraps at word ends, the respondent's words under it */
        if (mon_add_wrapped(l, !strcmp(f->status, "new") ? CRT_WARN : CRT_NORMAL, i, o->width, "", "    ", head) < 0 ||
            add_quoted(l, CRT_NORMAL, i, o->width, "    ", f->text) < 0)
            return -1;
    }
    return 0;
}

/* --- one case ------------------------------------------------------------------ */

/* "label       value", the value wrapped under itself. */
static int add_field(struct mon_lines *l, int width, const char *label, const char *value)
{
    char first[64], cont[64];
    snprintf(first, sizeof first, "%-12s", label);
    snprintf(cont, sizeof cont, "%12s", "");
    return mon_add_wrapped(l, CRT_NORMAL, -1, width, first, cont, value && *value ? value : "-");
}

int mon_render_case(const struct dash_case *c, int with_pii, const struct mon_opts *o, struct mon_lines *l)
{
    const char *tz = o->cfg->timezone;
    char line[1600], t1[32], t2[32];
    int w = o->width, ro = !strcmp(c->state, "final");
    snprintf(line, sizeof line, "CASE %lld   %s/%s   %s%s", c->id, c->survey, c->ref, c->name,
             ro ? "   FINAL, read-only" : "");
    if (mon_add_wrapped(l, CRT_TITLE, -1, w, "", "    ", line) < 0)
        return -1;
    if (add_field(l, w, "service", c->service) < 0 || add_field(l, w, "agency", c->agency) < 0 ||
        add_field(l, w, "district", c->district) < 0 ||
        add_field(l, w, "language", c->language[0] ? c->language : "any") < 0)
        return -1;
    const char *meaning = disposition_meaning(c->code);
    snprintf(line, sizeof line, "%s   code %s%s%s%s   attempts %d   priority %d", c->state, c->code,
             meaning && *meaning ? " (" : "", meaning ? meaning : "", meaning && *meaning ? ")" : "", c->attempts,
             c->priority);
    if (add_field(l, w, "state", line) < 0)
        return -1;
    if (strcmp(c->state, "final") &&
        add_field(l, w, "next call", c->next_call_at ? cati_format_time(c->next_call_at, tz, t1, sizeof t1) : "now") < 0)
        return -1;
    if (c->appointment_at) {
        snprintf(line, sizeof line, "%s %s%s%s", cati_format_time(c->appointment_at, tz, t1, sizeof t1),
                 c->appointment_with[0] ? "held for " : "for anyone", c->appointment_with,
                 schedule_appointment_missed(o->cfg, c->appointment_at, c->appointment_missed, cati_now())
                     ? "  (MISSED)" : "");
        if (add_field(l, w, "appointment", line) < 0)
            return -1;
    }
    if (c->held_by[0]) {
        snprintf(line, sizeof line, "%s until %s", c->held_by, cati_format_time(c->lease_until, tz, t2, sizeof t2));
        if (add_field(l, w, "in use by", line) < 0)
            return -1;
    }
    /* phone numbers: masked unless the viewer may see them (the core's rule) */
    if (mon_add_wrapped(l, CRT_DIM, -1, w, "", "  ",
                        with_pii ? "PHONES (in full: --with-pii)"
                                 : "PHONES (last 3 digits; cati monitor --with-pii shows them whole)") < 0)
        return -1;
    if (c->nphones == 0 && mon_add(l, CRT_DIM, -1, "  (none)") < 0)
        return -1;
    for (int i = 0; i < c->nphones; i++) {
        const struct dash_phone *p = &c->phones[i];
        snprintf(line, sizeof line, "%s %d  %s  %s  %d attempt%s", p->current ? ">" : " ", p->position, p->shown,
                 p->status, p->attempts, p->attempts == 1 ? "" : "s");
        if (mon_add_wrapped(l, p->current ? CRT_OK : CRT_NORMAL, -1, w, "  ", "      ", line) < 0)
            return -1;
    }
    /* flags with the respondent's words, whole */
    snprintf(line, sizeof line, "FLAGS (%lld)", c->flags);
    if (mon_add(l, CRT_DIM, -1, "%s", line) < 0)
        return -1;
    for (int i = 0; i < c->nraised; i++) {
        const struct dash_case_flag *f = &c->raised[i];
        char st[160];
        if (!strcmp(f->status, "new"))
            snprintf(st, sizeof st, "NEW");
        else
            snprintf(st, sizeof st, "%s by %s", f->status, f->handled_by);
        snprintf(line, sizeof line, "%s  %s%s%s%s  %s", cati_format_time(f->raised_at, tz, t1, sizeof t1), f->kind,
                 f->question[0] ? " (" : "", f->question, f->question[0] ? ")" : "", st);
        if (mon_add_wrapped(l, !strcmp(f->status, "new") ? CRT_WARN : CRT_NORMAL, -1, w, "  ", "    ", line) < 0 ||
            add_quoted(l, CRT_NORMAL, -1, w, "    ", f->text) < 0)
            return -1;
    }
    /* calls, oldest first, each note whole under its call */
    snprintf(line, sizeof line, "CALLS (%d)   #  when, by, outcome, AAPOR code; the note under it", c->ncalls);
    if (mon_add_wrapped(l, CRT_DIM, -1, w, "", "  ", line) < 0)
        return -1;
    for (int i = 0; i < c->ncalls; i++) {
        const struct dash_call *k = &c->calls[i];
        snprintf(line, sizeof line, "%3d  %s  %s  %s  %s", k->attempt, cati_format_time(k->started_at, tz, t1, sizeof t1),
                 k->interviewer[0] ? k->interviewer : "-", k->outcome, k->aapor);
        if (mon_add_wrapped(l, CRT_NORMAL, -1, w, "", "       ", line) < 0)
            return -1;
        if (k->note[0] && mon_add_wrapped(l, CRT_NORMAL, -1, w, "       ", "       ", k->note) < 0)
            return -1;
    }
    return 0;
}

int mon_render(enum mon_panel p, const struct dashboard *d, const struct mon_opts *o,
               struct mon_lines *out)
{
    switch (p) {
    case PANEL_QUEUE: return render_queue(d, o, out);
    case PANEL_INTERVIEWERS: return render_interviewers(d, o, out);
    case PANEL_RATES: return render_rates(d, o, out);
    case PANEL_SCORES: return render_scores(d, o, out);
    case PANEL_FLAGS: return render_flags(d, o, out);
    case PANEL_QUOTAS: return mon_render_quotas(d, o, out);
    case PANEL_COUNT: break;
    }
    return 0;
}
