/* cati report rates | interviewers | scores | flags | quotas (scores and flags:
 * report_scores.c; quotas: report_quotas.c) */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/dashboard.h"
#include "cati/report.h"
#include "cmd.h"
#include "report_scores.h"

#define REPORT_USAGE                                                                               \
    "report rates|scores|interviewers|flags|quotas [--survey NAME] [--format text|csv] [--e E]"

static int report_all_rates(struct cli *c, long long survey, double e, enum report_format fmt)
{
    struct cati_error err;
    sqlite3_stmt *st;
    if (db_prepare(c->db, "SELECT id FROM surveys WHERE ?1 = 0 OR id = ?1 ORDER BY name", &st, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    sqlite3_bind_int64(st, 1, survey);
    int rc, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct report_rates r;
        if (report_rates(c->db, sqlite3_column_int64(st, 0), e, &r, &err) < 0) {
            sqlite3_finalize(st);
            return cli_fail(&err, EXIT_FAIL);
        }
        if (n && fmt == REPORT_TEXT)
            putchar('\n');
        report_rates_print(stdout, &r, fmt, n == 0);
        report_rates_free(&r);
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return cli_failf(EXIT_FAIL, "report: %s", sqlite3_errmsg(c->db));
    if (!n && fmt == REPORT_CSV)
        fputs("survey,kind,name,value\r\n", stdout);
    else if (!n)
        printf("no surveys yet\n");
    return EXIT_OK;
}

/* every row report SUB of the command table (which names the SUBs) */
int cmd_report(struct cli *c, int argc, char **argv)
{
    const char *what = argv[1];
    const char *survey = NULL, *format = "text", *e_text = NULL;
    static const struct option opts[] = {{"survey", required_argument, 0, 's'},
                                         {"format", required_argument, 0, 'f'},
                                         {"e", required_argument, 0, 'e'},
                                         {0, 0, 0, 0}};
    int o;
    while ((o = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        switch (o) {
        case 's': survey = optarg; break;
        case 'f': format = optarg; break;
        case 'e': e_text = optarg; break;
        default: return cli_usage(REPORT_USAGE);
        }
    }
    if (argc - 1 - optind != 0)
        return cli_usage(REPORT_USAGE);
    enum report_format fmt;
    if (!strcmp(format, "text"))
        fmt = REPORT_TEXT;
    else if (!strcmp(format, "csv"))
        fmt = REPORT_CSV;
    else
        return cli_failf(EXIT_USAGE, "report: invalid --format '%s': use text or csv", format);
    double e = c->cfg.rates_e;
    if (e_text) {
        char *end;
        e = strtod(e_text, &end);
        if (end == e_text || *end || !(e >= 0 && e <= 1))
            return cli_failf(EXIT_USAGE, "report: invalid --e '%s': a share between 0 and 1", e_text);
    }
    int rc = cli_admit(c);
    if (rc)
        return rc;
    struct cati_error err;
    long long sid = 0;
    if (survey && dashboard_survey_id(c->db, survey, &sid, &err) < 0)
        return cli_error_in("report", &err);
    if (!strcmp(what, "rates"))
        return report_all_rates(c, sid, e, fmt);
    if (!strcmp(what, "scores")) /* report_scores.c */
        return report_scores_cmd(c, sid, fmt == REPORT_CSV);
    if (!strcmp(what, "flags"))
        return report_flags_cmd(c, sid, fmt == REPORT_CSV);
    if (!strcmp(what, "quotas")) /* report_quotas.c */
        return report_quotas_cmd(c, sid, fmt == REPORT_CSV);
    struct report_interviewer *rows;
    size_t n;
    if (report_interviewers(c->db, &c->cfg, sid, &rows, &n, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    report_interviewers_print(stdout, rows, n, fmt);
    free(rows);
    return EXIT_OK;
}
