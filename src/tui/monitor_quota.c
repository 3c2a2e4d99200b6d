/* The monitor's Quotas panel as lines of text: one row per quota cell with
 * its target, achieved and remaining completes (cati/quota.h). Text that
 * does not fit its column wraps onto the next line, never cut. No curses. */
#include "monitor.h"

#include <stdlib.h>
#include <string.h>

/* Bytes of s that fill at most width columns, broken after a space, '_' or
 * '-' when there is one (so words are not cut); at least one character. */
static size_t piece(const char *s, int width)
{
    size_t o = 0, brk = 0;
    int used = 0, w;
    while (s[o]) {
        size_t n = (size_t)mon_char(s + o, &w);
        if (used + w > width && o > 0)
            return brk ? brk : o;
        used += w;
        o += n;
        if (s[o - 1] == ' ' || s[o - 1] == '_' || s[o - 1] == '-')
            brk = o;
    }
    return o;
}

/* s cut to its first piece of width columns into dst, padded to width. */
static const char *cell(char *dst, size_t size, const char **s, int width)
{
    size_t n = piece(*s, width);
    if (n >= size)
        n = size - 1;
    memcpy(dst, *s, n);
    dst[n] = '\0';
    *s += n;
    for (int pad = width - mon_width(dst); pad > 0 && strlen(dst) + 1 < size; pad--)
        strcat(dst, " ");
    return dst;
}

static int widest(const struct dashboard *d, size_t off, int min, int max)
{
    int w = min;
    for (int i = 0; i < d->nquotas; i++) {
        int x = mon_width((const char *)&d->quotas[i] + off);
        if (x > w)
            w = x;
    }
    return w < max ? w : max;
}

#define NUMS 36 /* " TARGET  ACHIEVED  REMAINING  paused" */

int mon_render_quotas(const struct dashboard *d, const struct mon_opts *o, struct mon_lines *l)
{
    if (mon_add(l, CRT_TITLE, -1, "QUOTAS   completes per cell; a full cell's cases are not offered") < 0)
        return -1;
    if (o->cfg->nquotas == 0)
        return mon_add(l, CRT_DIM, -1, "no quotas: [quota] in cati.ini sets none (see cati.ini(5))");
    if (d->nquotas == 0)
        return mon_add(l, CRT_DIM, -1, "no surveys yet");
    int room = o->width - NUMS - 4; /* survey, field and value with two gaps */
    if (room < 24)
        room = 24;
    int ws = widest(d, offsetof(struct quota_cell, survey), 6, room / 3);
    int wf = widest(d, offsetof(struct quota_cell, field), 5, room / 3);
    int wv = widest(d, offsetof(struct quota_cell, value), 5, room - ws - wf);
    char a[400], b[400], c[400];
    const char *hs = "SURVEY", *hf = "FIELD", *hv = "VALUE";
    if (mon_add(l, CRT_DIM, -1, "%s  %s  %s %6s %9s %10s", cell(a, sizeof a, &hs, ws), cell(b, sizeof b, &hf, wf),
            cell(c, sizeof c, &hv, wv), "TARGET", "ACHIEVED", "REMAINING") < 0)
        return -1;
    for (int i = 0; i < d->nquotas; i++) {
        const struct quota_cell *q = &d->quotas[i];
        const char *s = q->survey, *f = q->field, *v = q->value;
        enum crt_style style = q->paused ? CRT_DIM : q->full ? CRT_WARN : CRT_NORMAL;
        if (mon_add(l, style, -1, "%s  %s  %s %6d %9lld %10lld  %s", cell(a, sizeof a, &s, ws),
                cell(b, sizeof b, &f, wf), cell(c, sizeof c, &v, wv), q->target, q->achieved,
                q->remaining, q->paused ? "paused" : q->full ? "FULL" : "") < 0)
            return -1;
        while (*s || *f || *v) /* what did not fit, under its column */
            if (mon_add(l, style, -1, "%s  %s  %s", cell(a, sizeof a, &s, ws), cell(b, sizeof b, &f, wf),
                    cell(c, sizeof c, &v, wv)) < 0)
                return -1;
    }
    return 0;
}
