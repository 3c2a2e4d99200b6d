/* The monitor's panels as lines of text: the ncurses screen draws them, and
 * `cati monitor --once` prints them. No curses here. */
#include "monitor.h"

#include <langinfo.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cati/disposition.h"
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

static int add(struct mon_lines *l, enum crt_style style, int item, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int add(struct mon_lines *l, enum crt_style style, int item, const char *fmt, ...)
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

/* One UTF-8 character at s: its bytes and display width. */
static int char_at(const char *s, int *width)
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
        s += char_at(s, &cw);
        w += cw;
    }
    return w;
}

/* Copy s into dst cut to width columns and padded with spaces to it (left
 * aligned), or right aligned when right is set. Returns dst. */
static char *fit(char *dst, size_t size, const char *s, int width, int right)
{
    size_t o = 0;
    int used = 0, cw;
    const char *end = s;
    while (*end) {
        int n = char_at(end, &cw);
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

static int queue_block(const struct dashboard *d, int from, int to, struct mon_lines *l)
{
    char head[400], cell[64], lab[64];
    int o = snprintf(head, sizeof head, "%s", fit(lab, sizeof lab, "QUEUE", QLABEL, 0));
    for (int i = from; i < to; i++)
        o += snprintf(head + o, sizeof head - (size_t)o, "%s",
                      fit(cell, sizeof cell, d->queues[i].survey, QCOL, 1));
    if (add(l, CRT_TITLE, -1, "%s", head) < 0)
        return -1;
    static const char *const rows[] = {"calling",         "not yet called", "due now",
                                       "waiting for retry", "in use",       "final",
                                       "total",           "appointments today",
                                       "  due in the next hour", "  missed"};
    for (int r = 0; r < 10; r++) {
        char line[400];
        int n = snprintf(line, sizeof line, "%s", fit(lab, sizeof lab, rows[r], QLABEL, 0));
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
            n += snprintf(line + n, sizeof line - (size_t)n, "%s",
                          fit(cell, sizeof cell, txt ? txt : num, QCOL, 1));
        }
        if (add(l, warn ? CRT_WARN : CRT_NORMAL, r == 0 ? from : -1, "%s", line) < 0)
            return -1;
    }
    /* final cases by code: the union of codes over the surveys shown */
    if (add(l, CRT_DIM, -1, "final by AAPOR code") < 0)
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
    if (ncodes == 0 && add(l, CRT_DIM, -1, "  (none yet)") < 0)
        return -1;
    for (int k = 0; k < ncodes; k++) {
        char line[400], label[128];
        snprintf(label, sizeof label, "  %-6s %s", codes[k].code, mon_code_meaning(codes[k].code));
        int n = snprintf(line, sizeof line, "%s", fit(lab, sizeof lab, label, QLABEL, 0));
        for (int i = from; i < to; i++) {
            long long v = 0;
            for (int j = 0; j < d->queues[i].nfinals; j++)
                if (!strcmp(d->queues[i].finals[j].code, codes[k].code))
                    v = d->queues[i].finals[j].n;
            char num[32];
            snprintf(num, sizeof num, "%lld", v);
            n += snprintf(line + n, sizeof line - (size_t)n, "%s", fit(cell, sizeof cell, num, QCOL, 1));
        }
        if (add(l, CRT_NORMAL, -1, "%s", line) < 0)
            return -1;
    }
    return 0;
}

static int render_queue(const struct dashboard *d, const struct mon_opts *o, struct mon_lines *l)
{
    if (d->nqueues == 0)
        return add(l, CRT_DIM, -1, "no surveys yet: load one with 'cati survey load FILE.cati'");
    int per = (o->width - QLABEL) / QCOL;
    if (per < 1)
        per = 1;
    for (int i = 0; i < d->nqueues; i += per) {
        if (i > 0 && add(l, CRT_NORMAL, -1, "%s", "") < 0)
            return -1;
        if (queue_block(d, i, i + per < d->nqueues ? i + per : d->nqueues, l) < 0)
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

static int rates_block(const struct dashboard *d, const struct mon_opts *o, int from, int to,
                       struct mon_lines *l)
{
    struct disposition_counts counts[16];
    struct disposition_rates rates[16];
    char line[400], cell[64], lab[64];
    int n = snprintf(line, sizeof line, "%s", fit(lab, sizeof lab, "RATES (AAPOR)", QLABEL, 0));
    for (int i = from; i < to; i++) {
        dashboard_rates(&d->queues[i], o->cfg->rates_e, &counts[i - from], &rates[i - from]);
        n += snprintf(line + n, sizeof line - (size_t)n, "%s", fit(cell, sizeof cell, d->queues[i].survey, QCOL, 1));
    }
    if (add(l, CRT_TITLE, -1, "%s", line) < 0)
        return -1;
    for (size_t r = 0; r < sizeof shown_rates / sizeof shown_rates[0]; r++) {
        n = snprintf(line, sizeof line, "%s",
                     fit(lab, sizeof lab, disposition_rate_name(shown_rates[r]), QLABEL, 0));
        for (int i = from; i < to; i++) {
            const struct disposition_rate *x = &rates[i - from].rate[shown_rates[r]];
            char v[32];
            if (x->defined)
                snprintf(v, sizeof v, "%.1f%%", x->value * 100);
            else
                snprintf(v, sizeof v, "undefined");
            n += snprintf(line + n, sizeof line - (size_t)n, "%s", fit(cell, sizeof cell, v, QCOL, 1));
        }
        if (add(l, CRT_OK, -1, "%s", line) < 0)
            return -1;
    }
    n = snprintf(line, sizeof line, "%s", fit(lab, sizeof lab, o->cfg->rates_e < 0 ? "e (estimated)" : "e (given)", QLABEL, 0));
    for (int i = from; i < to; i++) {
        char v[32];
        if (rates[i - from].e_defined)
            snprintf(v, sizeof v, "%.3f", rates[i - from].e);
        else
            snprintf(v, sizeof v, "undefined");
        n += snprintf(line + n, sizeof line - (size_t)n, "%s", fit(cell, sizeof cell, v, QCOL, 1));
    }
    if (add(l, CRT_NORMAL, -1, "%s", line) < 0 || add(l, CRT_DIM, -1, "cases by category (open ones by their best code so far)") < 0)
        return -1;
    for (int c = 0; c < CAT_COUNT; c++) {
        n = snprintf(line, sizeof line, "%s", fit(lab, sizeof lab, cat_labels[c], QLABEL, 0));
        for (int i = from; i < to; i++) {
            char v[32];
            snprintf(v, sizeof v, "%lld", counts[i - from].n[c]);
            n += snprintf(line + n, sizeof line - (size_t)n, "%s", fit(cell, sizeof cell, v, QCOL, 1));
        }
        if (add(l, CRT_NORMAL, -1, "%s", line) < 0)
            return -1;
    }
    return 0;
}

static int render_rates(const struct dashboard *d, const struct mon_opts *o, struct mon_lines *l)
{
    if (d->nqueues == 0)
        return add(l, CRT_DIM, -1, "RATES: no surveys yet");
    int per = (o->width - QLABEL) / QCOL;
    if (per < 1)
        per = 1;
    if (per > 16)
        per = 16;
    for (int i = 0; i < d->nqueues; i += per) {
        if (i > 0 && add(l, CRT_NORMAL, -1, "%s", "") < 0)
            return -1;
        if (rates_block(d, o, i, i + per < d->nqueues ? i + per : d->nqueues, l) < 0)
            return -1;
    }
    return 0;
}

/* --- interviewers ------------------------------------------------------------ */

static int render_interviewers(const struct dashboard *d, const struct mon_opts *o,
                               struct mon_lines *l)
{
    int in = 0, idle = 0;
    for (int i = 0; i < d->nivs; i++) {
        in += d->ivs[i].logged_in;
        idle += d->ivs[i].idle;
    }
    char t[48];
    if (add(l, CRT_TITLE, -1, "INTERVIEWERS  %d logged in, %d idle (%d min or more)   today from 00:00",
            in, idle, o->cfg->idle_minutes) < 0)
        return -1;
    if (add(l, CRT_DIM, -1, "%-12s %-11s %-14s %7s %5s %5s %5s %5s %7s", "LOGIN", "STATUS", "CASE",
            "ON CASE", "CALLS", "CONT.", "COMPL", "REFUS", "COMPL/H") < 0)
        return -1;
    if (d->nivs == 0)
        return add(l, CRT_DIM, -1, "no interviewer accounts");
    for (int i = 0; i < d->nivs; i++) {
        const struct dash_interviewer *v = &d->ivs[i];
        char status[64], on[48] = "", rate[48] = "-", login[64], ref[64];
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
        if (add(l, style, i, "%s %s %s %7s %5d %5d %5d %5d %7s", fit(login, sizeof login, v->login, 12, 0),
                status[0] ? fit(t, sizeof t, status, 11, 0) : "", fit(ref, sizeof ref, v->case_ref, 14, 0),
                on, v->calls, v->contacts, v->completes, v->refusals, rate) < 0)
            return -1;
    }
    return 0;
}

/* --- scores ------------------------------------------------------------------ */

static int render_scores(const struct dashboard *d, const struct mon_opts *o, struct mon_lines *l)
{
    if (add(l, CRT_TITLE, -1, "FIVE PARAMETERS   completed interviews: mean, share 4-5 or good, n") < 0)
        return -1;
    if (d->nscores == 0)
        return add(l, CRT_DIM, -1, "no completed interviews with measured questions yet");
    const struct dash_score *prev = NULL;
    for (int i = 0; i < d->nscores; i++) {
        const struct dash_score *s = &d->scores[i];
        if (!prev || strcmp(prev->survey, s->survey)) {
            if (add(l, CRT_HILITE, -1, "survey %s", s->survey) < 0)
                return -1;
        }
        if (!prev || strcmp(prev->survey, s->survey) || prev->all != s->all ||
            strcmp(prev->service, s->service) || strcmp(prev->agency, s->agency)) {
            int r = s->all ? add(l, CRT_OK, -1, "all services")
                           : add(l, CRT_OK, -1, "%s%s%s", s->service[0] ? s->service : "(no service)",
                                 s->agency[0] ? (o->ascii ? " / " : " · ") : "", s->agency);
            if (r < 0)
                return -1;
        }
        prev = s;
        char param[64], q[64], mean[48] = "-", bar[128] = "", pct[48] = "", what[48] = "";
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
        if (add(l, CRT_NORMAL, i, "  %s %s %7s  %s %4s %-5s n %lld", fit(param, sizeof param, s->parameter, 14, 0),
                fit(q, sizeof q, s->question, 12, 0), mean, bar, pct, what, s->n) < 0)
            return -1;
    }
    return 0;
}

/* --- flags ------------------------------------------------------------------- */

static int render_flags(const struct dashboard *d, const struct mon_opts *o, struct mon_lines *l)
{
    if (add(l, CRT_TITLE, -1, "FLAGS   %lld new of %lld, newest first", d->flags_new, d->flags_total) < 0)
        return -1;
    if (d->nflags == 0)
        return add(l, CRT_DIM, -1, "no complaints or integrity reports raised");
    for (int i = 0; i < d->nflags; i++) {
        const struct dash_flag *f = &d->flags[i];
        char when[32], kind[64], status[160], hm[16], where[400];
        cati_format_time(f->raised_at, o->cfg->timezone, when, sizeof when);
        if (!strcmp(f->status, "new"))
            snprintf(status, sizeof status, "NEW");
        else
            snprintf(status, sizeof status, "%s by %s %s", f->status, f->handled_by,
                     hhmm(f->handled_at, o->cfg, hm, sizeof hm));
        snprintf(where, sizeof where, "%s/%s %s%s%s%s%s", f->survey, f->ref, f->service,
                 f->agency[0] ? (o->ascii ? " / " : " · ") : "", f->agency, f->interviewer[0] ? "  by " : "", f->interviewer);
        if (add(l, !strcmp(f->status, "new") ? CRT_WARN : CRT_NORMAL, i, "%s  %s  %s %s", when, status,
                fit(kind, sizeof kind, f->kind, 10, 0), where) < 0)
            return -1;
        /* the respondent's words, wrapped under the heading */
        const char *s = f->text;
        int width = o->width - 6 > 20 ? o->width - 6 : 20;
        int first = 1;
        while (*s || first) {
            char chunk[400];
            size_t cut = 0, lastsp = 0;
            int used = 0, cw;
            while (s[cut] && s[cut] != '\n') {
                int n = char_at(s + cut, &cw);
                if (used + cw > width)
                    break;
                if (s[cut] == ' ')
                    lastsp = cut;
                used += cw;
                cut += (size_t)n;
            }
            if (s[cut] && s[cut] != '\n' && lastsp > 0)
                cut = lastsp;
            if (cut >= sizeof chunk)
                cut = sizeof chunk - 1;
            memcpy(chunk, s, cut);
            chunk[cut] = '\0';
            if (add(l, CRT_NORMAL, i, "    %s%s%s", first ? "\"" : " ", chunk,
                    (!s[cut] || (s[cut] == '\n' && !s[cut + 1])) ? "\"" : "") < 0)
                return -1;
            s += cut;
            while (*s == ' ' || *s == '\n')
                s++;
            first = 0;
        }
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
