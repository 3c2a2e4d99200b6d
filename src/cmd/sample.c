/* cati sample import --survey NAME FILE.csv */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cati/priv.h"
#include "cati/sample.h"
#include "cmd.h"

#define SHOW_BAD 20 /* bad rows printed; the rest are counted */

static void print_bad(const struct cati_error *bad, void *ctx)
{
    long *n = ctx;
    if (++*n <= SHOW_BAD)
        fprintf(stderr, "%s:%d: %s\n", bad->file, bad->line, bad->msg);
}

int cmd_sample(struct cli *c, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "import"))
        return cli_usage_cmd(c);
    const char *survey = NULL;
    static const struct option opts[] = {{"survey", required_argument, 0, 's'}, {0, 0, 0, 0}};
    int o;
    while ((o = getopt_long(argc - 1, argv + 1, "s:", opts, NULL)) != -1) {
        if (o != 's')
            return cli_usage_cmd(c);
        survey = optarg;
    }
    if (!survey || argc - 1 - optind != 1)
        return cli_usage_cmd(c);
    const char *path = argv[1 + optind];
    int rc = cli_admit(c);
    if (rc)
        return rc;
    priv_user_begin(); /* the file as its user may read it (cati/priv.h) */
    FILE *in = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    priv_user_end();
    if (!in)
        return cli_failf(EXIT_USAGE, "sample import: cannot open '%s': %s", path, strerror(errno));
    long nbad = 0;
    struct sample_result res;
    struct cati_error err;
    enum sample_status st = sample_import(c->db, &c->cfg, survey, in, path, c->me.login,
                                          print_bad, &nbad, &res, &err);
    if (in != stdin)
        fclose(in);
    if (nbad > SHOW_BAD)
        fprintf(stderr, "… and %ld more bad rows\n", nbad - SHOW_BAD);
    if (st == SAMPLE_OK) {
        printf("imported %ld respondents into survey %s\n", res.imported, survey);
        return EXIT_OK;
    }
    int code = st == SAMPLE_REJECTED ? EXIT_USAGE : EXIT_FAIL;
    if (err.file[0]) /* FILE:LINE: … */
        return cli_fail(&err, code);
    return cli_failf(code, "sample import: %s", err.msg);
}
