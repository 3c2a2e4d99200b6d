/* cati export --survey NAME --out DIR [--since-last] [--format FORMAT[,FORMAT…]]
 *             [--with-pii] [--partials] [--deliver-to FOLDER]
 * cati export --settle */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cati/export.h"
#include "cmd.h"

#define EXPORT_USAGE                                                                               \
    "export --survey NAME --out DIR [--since-last] [--format csv,sav,dta,sqlite] [--with-pii]"     \
    " [--partials]"                                                                                \
    " [--deliver-to FOLDER] | export --settle"

static void print_settled(void *ctx, const char *survey, const char *dir, long long rows,
                          int delivered)
{
    (void)ctx;
    if (delivered)
        printf("delivered: survey %s, %lld interview%s in %s\n", survey, rows, rows == 1 ? "" : "s",
               dir);
    else
        printf("not delivered: survey %s to %s (its interviews go into the next export)\n", survey,
               dir);
}

/* cati export --settle: confirm or drop every pending delivery */
static int settle(struct cli *c)
{
    int rc = cli_admit(c);
    if (rc)
        return rc;
    struct cati_error err;
    int n = export_settle(c->db, c->me.login, print_settled, NULL, &err);
    if (n < 0)
        return cli_fail_in("export: settling", &err, EXIT_FAIL);
    if (n == 0) {
        printf("no export waits to be settled\n");
        return EXIT_NOTHING;
    }
    return EXIT_OK;
}

int cmd_export(struct cli *c, int argc, char **argv)
{
    struct export_options o = {0};
    const char *format = NULL;
    static const struct option opts[] = {{"survey", required_argument, 0, 's'},
                                         {"out", required_argument, 0, 'o'},
                                         {"since-last", no_argument, 0, 'l'},
                                         {"format", required_argument, 0, 'f'},
                                         {"with-pii", no_argument, 0, 'p'},
                                         {"partials", no_argument, 0, 'P'},
                                         {"deliver-to", required_argument, 0, 'D'},
                                         {"settle", no_argument, 0, 'S'},
                                         {0, 0, 0, 0}};
    int opt, do_settle = 0;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 's': o.survey = optarg; break;
        case 'o': o.dir = optarg; break;
        case 'l': o.since_last = 1; break;
        case 'f': format = optarg; break;
        case 'p': o.with_pii = 1; break;
        case 'P': o.partials = 1; break;
        case 'D': o.deliver_to = optarg; break;
        case 'S': do_settle = 1; break;
        default: return cli_usage(EXPORT_USAGE);
        }
    }
    if (do_settle) {
        if (o.survey || o.dir || o.since_last || o.with_pii || o.partials || o.deliver_to ||
            format || optind != argc)
            return cli_usage(EXPORT_USAGE);
        return settle(c);
    }
    if (!o.survey || !o.dir || optind != argc)
        return cli_usage(EXPORT_USAGE);
    o.format = EXPORT_DEFAULT;
    if (format && export_format_parse(format, &o.format) < 0)
        return cli_failf(EXIT_USAGE,
                         "export: unknown format '%s': use csv, sav, dta or sqlite, or a list such as csv,sav",
                         format);
    /* exporting, with or without personal data, is supervisor work */
    int rc = cli_admit(c);
    if (rc)
        return rc;
    o.login = c->me.login;
    o.timezone = c->cfg.timezone;
    struct export_result res;
    struct cati_error err;
    rc = export_run(c->db, &o, &res, &err);
    if (rc == EXPORT_REJECTED)
        return cli_fail_in("export", &err, EXIT_USAGE);
    if (rc != EXPORT_OK) {
        char buf[1400];
        fprintf(stderr, "cati: export: %s (no file was left half-written)\n",
                cati_error_format(&err, buf, sizeof buf));
        return EXIT_FAIL;
    }
    printf("exported %lld interview%s", res.interviews, res.interviews == 1 ? "" : "s");
    if (o.partials)
        printf(" (%lld partial)", res.partials);
    printf(" and %lld call%s of survey %s%s%s\n", res.calls, res.calls == 1 ? "" : "s", o.survey,
           o.since_last ? (res.since ? " changed since the last export" : " (first since-last export)")
                        : "",
           o.with_pii ? ", WITH PERSONAL DATA" : "");
    for (int i = 0; i < res.nfiles; i++)
        printf("  %s\n", res.files[i]);
    if (o.deliver_to)
        printf("pending: delivered once the folder is renamed to %s and 'cati export --settle' runs\n",
               o.deliver_to);
    return EXIT_OK;
}
