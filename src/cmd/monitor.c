/* cati monitor: the supervisor dashboard (ncurses), or its panels as text
 * with --once (for scripts, tests and the benchmark). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cati/dashboard.h"
#include "cati/util.h"
#include "cmd.h"
#include "../tui/monitor.h"

#define MONITOR_USAGE                                                                              \
    "monitor [--survey NAME] [--with-pii] [--once [--panel queue|interviewers|rates|scores|flags|quotas]... "         \
    "[--width N] [--repeat N]]"

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Refresh `repeat` times (timing each on stderr when > 1), print the last. */
static int monitor_once(struct cli *c, long long survey_id, unsigned panels, int width, int repeat)
{
    struct cati_error err;
    struct dashboard d = {0};
    double *ms = calloc((size_t)repeat, sizeof *ms);
    if (!ms)
        return cli_failf(EXIT_FAIL, "monitor: out of memory");
    for (int i = 0; i < repeat; i++) {
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (dashboard_measures_sync(c->db, NULL, &err) < 0 ||
            dashboard_refresh(c->db, &c->cfg, survey_id, DASH_ALL, cati_now(), &d, &err) < 0) {
            free(ms);
            return cli_fail(&err, EXIT_FAIL);
        }
        ms[i] = ms_since(&t0);
    }
    if (repeat > 1) {
        double sum = 0;
        for (int i = 0; i < repeat; i++)
            sum += ms[i];
        qsort(ms, (size_t)repeat, sizeof *ms, cmp_double);
        fprintf(stderr, "refresh: %d runs, median %.2f ms, mean %.2f ms, min %.2f ms, max %.2f ms\n",
                repeat, ms[repeat / 2], sum / repeat, ms[0], ms[repeat - 1]);
    }
    free(ms);
    struct mon_opts o = {&c->cfg, mon_want_ascii(), width};
    int rc = EXIT_OK, first = 1;
    for (int p = 0; p < PANEL_COUNT; p++) {
        if (!(panels & (1u << p)))
            continue;
        struct mon_lines l = {0};
        if (mon_render((enum mon_panel)p, &d, &o, &l) < 0) {
            rc = cli_failf(EXIT_FAIL, "monitor: out of memory");
            mon_lines_free(&l);
            break;
        }
        if (!first)
            putchar('\n');
        first = 0;
        for (int i = 0; i < l.n; i++) {
            size_t n = strlen(l.v[i].text);
            while (n > 0 && l.v[i].text[n - 1] == ' ')
                n--;
            printf("%.*s\n", (int)n, l.v[i].text);
        }
        mon_lines_free(&l);
    }
    dashboard_free(&d);
    return rc;
}

int cmd_monitor(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"survey", required_argument, 0, 's'},
                                         {"once", no_argument, 0, 'o'},
                                         {"panel", required_argument, 0, 'p'},
                                         {"width", required_argument, 0, 'w'},
                                         {"repeat", required_argument, 0, 'r'},
                                         {"with-pii", no_argument, 0, 'P'},
                                         {0, 0, 0, 0}};
    const char *survey = NULL;
    int once = 0, with_pii = 0;
    long width = 80, repeat = 1;
    unsigned panels = 0;
    int o;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 's': survey = optarg; break;
        case 'o': once = 1; break;
        case 'P': with_pii = 1; break;
        case 'p': {
            int p = mon_panel_parse(optarg);
            if (p < 0)
                return cli_failf(EXIT_USAGE, "monitor: unknown panel '%s': use queue, interviewers, "
                                             "rates, scores, flags or quotas", optarg);
            panels |= 1u << p;
            break;
        }
        case 'w':
            if (cati_parse_long(optarg, &width) < 0 || width < 40 || width > 400)
                return cli_failf(EXIT_USAGE, "monitor: --width must be 40..400, got '%s'", optarg);
            break;
        case 'r':
            if (cati_parse_long(optarg, &repeat) < 0 || repeat < 1 || repeat > 100000)
                return cli_failf(EXIT_USAGE, "monitor: --repeat must be 1..100000, got '%s'", optarg);
            break;
        default: return cli_usage(MONITOR_USAGE);
        }
    }
    if (optind != argc || (!once && (panels || repeat != 1)) || (once && with_pii))
        return cli_usage(MONITOR_USAGE);
    int rc = cli_admit(c);
    if (rc)
        return rc;
    struct cati_error err;
    long long survey_id = 0;
    if (survey && dashboard_survey_id(c->db, survey, &survey_id, &err) < 0)
        return cli_error_in("monitor", &err);
    if (once)
        return monitor_once(c, survey_id, panels ? panels : (1u << PANEL_COUNT) - 1, (int)width,
                            (int)repeat);
    /* phone numbers in full: asked for, by a supervisor, recorded */
    if (with_pii && dashboard_pii_open(c->db, &c->me, &err) < 0)
        return cli_fail_in("monitor", &err, EXIT_FAIL);
    struct cati_session ses = {.db = c->db, .cfg = &c->cfg, .me = &c->me};
    return monitor_run(&ses, survey_id, with_pii);
}
