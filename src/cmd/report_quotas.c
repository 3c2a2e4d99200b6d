/* cati report quotas: one line per quota cell (a [quota] of cati.ini in one
 * survey) with its target, the completes achieved and what remains, as the
 * queue counts them (cati/quota.h). Text or CSV (RFC 4180). */
#include "report_scores.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/csv.h"
#include "cati/quota.h"

static const char *status(const struct quota_cell *q)
{
    if (q->paused)
        return q->full ? "full (survey paused)" : "open (survey paused)";
    return q->full ? "full" : "open";
}

static void quotas_csv(const struct quota_cell *cells, int n)
{
    struct csv_writer w;
    csv_writer_init(&w, stdout);
    static const char *const head[] = {"survey", "field", "value", "target", "achieved", "remaining",
                                       "full", "paused"};
    csv_write_row(&w, head, sizeof head / sizeof head[0]);
    for (int i = 0; i < n; i++) {
        const struct quota_cell *q = &cells[i];
        csv_write_field(&w, q->survey, strlen(q->survey));
        csv_write_field(&w, q->field, strlen(q->field));
        csv_write_field(&w, q->value, strlen(q->value));
        csv_write_long(&w, q->target);
        csv_write_long(&w, q->achieved);
        csv_write_long(&w, q->remaining);
        csv_write_long(&w, q->full);
        csv_write_long(&w, q->paused);
        csv_write_end(&w);
    }
}

static int widest(const struct quota_cell *cells, int n, size_t off, int min)
{
    int w = min;
    for (int i = 0; i < n; i++) {
        int len = (int)strlen((const char *)&cells[i] + off);
        if (len > w)
            w = len;
    }
    return w;
}

static void quotas_text(const struct quota_cell *cells, int n)
{
    int ws = widest(cells, n, offsetof(struct quota_cell, survey), 6);
    int wf = widest(cells, n, offsetof(struct quota_cell, field), 5);
    int wv = widest(cells, n, offsetof(struct quota_cell, value), 5);
    printf("%-*s  %-*s  %-*s  %6s  %8s  %9s  %s\n", ws, "SURVEY", wf, "FIELD", wv, "VALUE", "TARGET",
           "ACHIEVED", "REMAINING", "STATUS");
    for (int i = 0; i < n; i++) {
        const struct quota_cell *q = &cells[i];
        printf("%-*s  %-*s  %-*s  %6d  %8lld  %9lld  %s\n", ws, q->survey, wf, q->field, wv, q->value,
               q->target, q->achieved, q->remaining, status(q));
    }
}

int report_quotas_cmd(struct cli *c, long long survey_id, int csv)
{
    struct quota_cell *cells;
    int n;
    struct cati_error err;
    if (quota_cells(c->db, &c->cfg, survey_id, &cells, &n, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    if (csv)
        quotas_csv(cells, n);
    else if (c->cfg.nquotas == 0)
        printf("no quotas: [quota] in %s sets none (see cati.ini(5))\n",
               c->cfg.file[0] ? c->cfg.file : "the configuration");
    else if (n == 0)
        printf("no surveys yet\n");
    else
        quotas_text(cells, n);
    free(cells);
    return EXIT_OK;
}
