/* cati sync --to CENTRAL.db; cati sync conflicts [--keep INTERVIEW] */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cati/priv.h"
#include "cati/sync.h"
#include "cati/util.h"
#include "cmd.h"

#define SYNC_USAGE "sync --to CENTRAL.db [--site NAME] [--batch N] [--full] | " \
                   "sync conflicts [--keep INTERVIEW_UUID]"
#define SHOW_CONFLICTS 20

struct ctx {
    long long shown, kill_at;
    const char *tz;
};

static void on_conflict(void *p, const struct sync_conflict *c)
{
    struct ctx *x = p;
    if (x->shown++ >= SHOW_CONFLICTS)
        return;
    char here[32], there[32];
    printf("conflict: case %s (survey %s, ref %s) was also worked at %s; kept the %s row "
           "(updated %s here, %s there; the later change wins)\n",
           c->case_uuid, c->survey, c->ref, c->other, c->site_won ? "site's" : "central",
           cati_format_time(c->site_updated_at, x->tz, here, sizeof here),
           cati_format_time(c->central_updated_at, x->tz, there, sizeof there));
}

static int on_batch(void *p, long long batch, long long done)
{
    struct ctx *x = p;
    (void)done;
    /* test hook: die like kill -9 with this batch written but not committed */
    if (x->kill_at && batch == x->kill_at)
        raise(SIGKILL);
    return 0;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* --- cati sync conflicts ---------------------------------------------------- */

struct list {
    const char *tz;
    long long cases, shown;
    char last[40];
};

static int print_dup(const struct sync_dup *d, void *p)
{
    struct list *l = p;
    char when[32], chosen[32];
    if (strcmp(l->last, d->case_uuid)) {
        cati_strlcpy(l->last, d->case_uuid, sizeof l->last);
        printf("%scase %s (survey %s, ref %s) was completed at more than one site:\n",
               l->cases++ ? "\n" : "", d->case_uuid, d->survey, d->ref);
    }
    l->shown++;
    printf("  %-9s %s  interview %s  site %s  interviewer %s%s%s%s\n",
           d->kept ? "kept" : "duplicate", cati_format_time(d->completed_at, l->tz, when, sizeof when),
           d->interview_uuid, d->site, d->login[0] ? d->login : "?", d->name[0] ? " (" : "",
           d->name, d->name[0] ? ")" : "");
    if (d->kept && d->chosen_by)
        printf("            why: chosen by %s on %s\n", d->chosen_by,
               cati_format_time(d->chosen_at, l->tz, chosen, sizeof chosen));
    else if (d->kept)
        printf("            why: first to reach the central database (the rule: a kept interview stays kept;"
               " among newcomers the earliest completion)\n");
    return 0;
}

int cmd_sync_conflicts(struct cli *c, int argc, char **argv)
{
    argc--; /* sync conflicts [--keep …]: the options after "conflicts" */
    argv++;
    const char *keep = NULL;
    static const struct option opts[] = {{"keep", required_argument, 0, 'k'}, {0, 0, 0, 0}};
    int o;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'k': keep = optarg; break;
        default: return cli_usage(SYNC_USAGE);
        }
    }
    if (optind != argc)
        return cli_usage(SYNC_USAGE);
    int rc = cli_admit(c);
    if (rc)
        return rc;
    struct cati_error err;
    if (keep) {
        int k = sync_conflicts_keep(c->db, c->me.login, keep, &err);
        if (k < 0)
            return cli_fail(&err, EXIT_FAIL);
        if (k == 1) {
            fprintf(stderr, "cati: sync conflicts: interview '%s' already is its case's "
                            "interview\n", keep);
            return EXIT_NOTHING;
        }
        printf("kept interview %s; the other completed interview of its case is now a "
               "duplicate\n", keep);
        return EXIT_OK;
    }
    struct list l = {.tz = c->cfg.timezone};
    if (sync_conflicts_list(c->db, print_dup, &l, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    if (!l.cases)
        printf("no conflicts: no case was completed at more than one site\n");
    else
        printf("\n%lld case%s completed at more than one site; duplicates are kept for audit and "
               "are in no export, rate or score. Keep another with 'cati sync conflicts --keep "
               "INTERVIEW'.\n", l.cases, l.cases == 1 ? "" : "s");
    return EXIT_OK;
}

int cmd_sync(struct cli *c, int argc, char **argv)
{
    const char *to = NULL, *site = NULL;
    long batch = 0;
    int full = 0;
    static const struct option opts[] = {{"to", required_argument, 0, 't'},
                                         {"site", required_argument, 0, 's'},
                                         {"batch", required_argument, 0, 'b'},
                                         {"full", no_argument, 0, 'f'},
                                         {0, 0, 0, 0}};
    int o;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 't': to = optarg; break;
        case 's': site = optarg; break;
        case 'b':
            if (cati_parse_long(optarg, &batch) < 0 || batch < 1 || batch > 100000)
                return cli_failf(EXIT_USAGE, "sync: --batch must be 1..100000, got '%s'", optarg);
            break;
        case 'f': full = 1; break;
        default: return cli_usage(SYNC_USAGE);
        }
    }
    if (!to || optind != argc)
        return cli_usage(SYNC_USAGE);
    /* supervisor at the site, since sync reads all of it (personal data
     * included), and in the central database it writes to, checked there
     * (anyone can make a site database and be its admin) */
    int rc = cli_admit(c);
    if (rc)
        return rc;
    struct cati_error err;
    sqlite3 *central = NULL;
    int created = 0;
    /* set-group-ID: the central database too must be one of the group's,
     * beside the configured one (cati/priv.h) */
    char to_real[1024];
    int other;
    if (priv_active()) {
        if (priv_check_db(to, c->cfg.db_path, priv_group(), &other, to_real, sizeof to_real,
                          &err) < 0)
            return cli_fail_in("sync --to", &err, EXIT_USAGE);
        /* another group database: only an admin of the configured one (c->db
         * is it, or admit() checked that role for -d) */
        if (other && c->me.role < ROLE_ADMIN)
            return cli_failf(EXIT_FAIL, "permission denied: sync --to another database of the group "
                                        "needs the admin role, '%s' is %s",
                             c->me.login, account_role_name(c->me.role));
        to = to_real;
    }
    if (sync_open_central(to, c->cfg.busy_timeout_ms, c->me.login, &central, &created, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    if (created) {
        /* like `cati init`: whoever creates a database is its first admin */
        if (account_add(central, c->me.login, c->me.name, ROLE_ADMIN, c->me.languages,
                        c->me.skills, &err) < 0) {
            db_close(central);
            return cli_fail(&err, EXIT_FAIL);
        }
        printf("created %s; '%s' is its first admin\n", to, c->me.login);
    }
    struct ctx x = {0, 0, c->cfg.timezone};
    const char *kill = getenv("CATI_FAULT_SYNC_KILL");
    long k;
    if (kill && cati_parse_long(kill, &k) == 0 && k > 0)
        x.kill_at = k;
    struct sync_options opt = {.site_name = site, .login = c->me.login, .batch_cases = (int)batch,
                               .full = full, .on_conflict = on_conflict, .on_batch = on_batch,
                               .ctx = &x};
    struct sync_result res;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int ok = sync_run(c->db, c->db_path, central, &opt, &res, &err);
    double secs = seconds_since(&t0);
    db_close(central);
    if (ok < 0) {
        fprintf(stderr, "cati: sync to '%s': %s (%lld batches of cases were committed; run "
                        "it again to carry on)\n", to, err.msg, res.batches);
        return EXIT_FAIL;
    }
    if (x.shown > SHOW_CONFLICTS)
        printf("conflict: … and %lld more (all in the central audit log)\n",
               x.shown - SHOW_CONFLICTS);
    db_audit(c->db, c->me.login, "sync out", to, NULL);
    printf("synced %s to %s: %lld cases examined, %lld changed, %lld conflicts, %.1f s "
           "(%.0f cases/s)\n", c->db_path, to, res.cases_examined, res.cases_changed,
           res.conflicts, secs, secs > 0 ? (double)res.cases_examined / secs : 0.0);
    if (res.duplicates)
        printf("%lld completed interview%s now duplicate%s: %s case%s completed at more than "
               "one site, one interview kept each (cati -d %s sync conflicts)\n", res.duplicates,
               res.duplicates == 1 ? " is" : "s are", res.duplicates == 1 ? "" : "s",
               res.duplicates == 1 ? "its" : "their", res.duplicates == 1 ? " was" : "s were", to);
    printf("%-16s %10s %10s %10s\n", "TABLE", "INSERTED", "UPDATED", "DELETED");
    for (int t = 0; t < SYNC_NTABLES; t++)
        printf("%-16s %10lld %10lld %10lld\n", sync_table_name((enum sync_table)t),
               res.t[t].inserted, res.t[t].updated, res.t[t].deleted);
    return EXIT_OK;
}
