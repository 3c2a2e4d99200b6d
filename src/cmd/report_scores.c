/* cati report scores | flags: the monitor's figures as files (text or CSV,
 * RFC 4180). Scores: one row per survey, service and agency (and a total
 * over every service, scope "all") and measured question. Flags: every
 * flag, newest first, with the respondent's words. */
#include "report_scores.h"

#include <stdio.h>
#include <string.h>

#include "cati/csv.h"
#include "cati/dashboard.h"
#include "cati/util.h"

static int csv_str(struct csv_writer *w, const char *s)
{
    return csv_write_field(w, s, strlen(s));
}

static int csv_num(struct csv_writer *w, const char *fmt, double v)
{
    char buf[64];
    snprintf(buf, sizeof buf, fmt, v);
    return csv_str(w, buf);
}

static void scores_csv(const struct dashboard *d)
{
    struct csv_writer w;
    csv_writer_init(&w, stdout);
    static const char *const head[] = {"survey", "scope", "service", "agency", "parameter", "question",
                                       "kind", "n", "mean", "top", "share"};
    csv_write_row(&w, head, sizeof head / sizeof head[0]);
    for (int i = 0; i < d->nscores; i++) {
        const struct dash_score *s = &d->scores[i];
        double share = dash_score_share(s);
        csv_str(&w, s->survey);
        csv_str(&w, s->all ? "all" : "service");
        csv_str(&w, s->service);
        csv_str(&w, s->agency);
        csv_str(&w, s->parameter);
        csv_str(&w, s->question);
        csv_str(&w, dash_kind_name(s->kind));
        csv_write_long(&w, s->n);
        if (!dash_score_has_mean(s))
            csv_str(&w, "");
        else
            csv_num(&w, "%.4f", s->mean);
        if (s->kind != DASH_SCALE && s->kind != DASH_SINGLE)
            csv_str(&w, "");
        else
            csv_write_long(&w, s->top);
        if (share < 0)
            csv_str(&w, "");
        else
            csv_num(&w, "%.4f", share);
        csv_write_end(&w);
    }
}

static void scores_text(sqlite3 *db, const struct dashboard *d)
{
    if (d->nscores == 0) {
        printf("no completed interviews with measured questions yet\n");
        return;
    }
    printf("%-10s %-18s %-12s %-14s %-14s %-6s %7s %8s %7s\n", "SURVEY", "SERVICE", "AGENCY",
           "PARAMETER", "QUESTION", "KIND", "N", "MEAN", "SHARE");
    for (int i = 0; i < d->nscores; i++) {
        const struct dash_score *s = &d->scores[i];
        double share = dash_score_share(s);
        char mean[32] = "-", pct[32] = "-";
        if (dash_score_has_mean(s))
            snprintf(mean, sizeof mean, "%.2f", s->mean);
        if (share >= 0)
            snprintf(pct, sizeof pct, "%.1f%%", share * 100);
        printf("%-10s %-18s %-12s %-14s %-14s %-6s %7lld %8s %7s\n", s->survey,
               s->all ? "(all services)" : s->service[0] ? s->service : "(none)", s->all ? "" : s->agency,
               s->parameter, s->question, dash_kind_name(s->kind), s->n, mean, pct);
        /* a text question's answers, listed once, under the survey's total */
        char **ans;
        int na;
        struct cati_error err;
        if (s->all && s->kind == DASH_TEXT &&
            dashboard_text_answers(db, s->survey_id, s->question, 0, &ans, &na, &err) == 0) {
            for (int k = 0; k < na; k++) {
                printf("    \"");
                for (const char *p = ans[k]; *p; p++)
                    putchar(*p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p); /* one line each; escapes: out.c */
                printf("\"\n");
            }
            dashboard_text_answers_free(ans, na);
        }
    }
    printf("\nmean: scale and number questions; share: the top two points of a scale (4-5 on 1-5),\n"
           "or the answers raising no flag for a single-choice question; n: completed interviews\n"
           "that answered (don't know and refused left out: n 0 when all were); text, multi and\n"
           "date questions are counted (text answers listed under the survey's total)\n");
}

int report_scores_cmd(struct cli *c, long long survey_id, int csv)
{
    struct cati_error err;
    struct dashboard d = {0};
    if (dashboard_measures_sync(c->db, NULL, &err) < 0 ||
        dashboard_refresh(c->db, &c->cfg, survey_id, DASH_SCORES, cati_now(), &d, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    if (csv)
        scores_csv(&d);
    else
        scores_text(c->db, &d);
    dashboard_free(&d);
    if (fflush(stdout) != 0 || ferror(stdout))
        return cli_failf(EXIT_FAIL, "report: cannot write the output");
    return EXIT_OK;
}

int report_flags_cmd(struct cli *c, long long survey_id, int csv)
{
    struct cati_error err;
    struct dash_flag *f;
    int n;
    if (dashboard_flags(c->db, survey_id, 0, &f, &n, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    const char *tz = c->cfg.timezone;
    char t1[32], t2[32];
    if (csv) {
        struct csv_writer w;
        csv_writer_init(&w, stdout);
        static const char *const head[] = {"id", "raised_at", "survey", "ref", "service", "agency",
                                           "kind", "question", "text", "interviewer", "status",
                                           "handled_by", "handled_at"};
        csv_write_row(&w, head, sizeof head / sizeof head[0]);
        for (int i = 0; i < n; i++) {
            csv_write_long(&w, f[i].id);
            csv_str(&w, cati_format_time(f[i].raised_at, tz, t1, sizeof t1));
            csv_str(&w, f[i].survey);
            csv_str(&w, f[i].ref);
            csv_str(&w, f[i].service);
            csv_str(&w, f[i].agency);
            csv_str(&w, f[i].kind);
            csv_str(&w, f[i].question);
            csv_str(&w, f[i].text);
            csv_str(&w, f[i].interviewer);
            csv_str(&w, f[i].status);
            csv_str(&w, f[i].handled_by);
            csv_str(&w, f[i].handled_at ? cati_format_time(f[i].handled_at, tz, t2, sizeof t2) : "");
            csv_write_end(&w);
        }
    } else if (n == 0) {
        printf("no flags raised\n");
    } else {
        for (int i = 0; i < n; i++) {
            printf("%s  #%lld %s %s/%s %s%s%s%s%s  ", cati_format_time(f[i].raised_at, tz, t1, sizeof t1),
                   f[i].id, f[i].kind, f[i].survey, f[i].ref, f[i].service, f[i].agency[0] ? " / " : "",
                   f[i].agency, f[i].interviewer[0] ? "  by " : "", f[i].interviewer);
            if (!strcmp(f[i].status, "new"))
                printf("NEW\n");
            else
                printf("%s by %s %s\n", f[i].status, f[i].handled_by,
                       cati_format_time(f[i].handled_at, tz, t2, sizeof t2));
            printf("    \"%s\"\n", f[i].text);
        }
    }
    dashboard_flags_free(f, n);
    if (fflush(stdout) != 0 || ferror(stdout))
        return cli_failf(EXIT_FAIL, "report: cannot write the output");
    return EXIT_OK;
}
