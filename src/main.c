/* cati: one binary, many subcommands. Parses the global options, loads the
 * configuration and dispatches; each command lives in src/cmd/<noun>.c. */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/util.h"
#include "cmd/cmd.h"

struct command {
    const char *name;
    int (*run)(struct cli *c, int argc, char **argv);
    const char *synopsis; /* same lines as man cati(1) SYNOPSIS */
};

static const struct command commands[] = {
    {"init", cmd_init, "init                                   create or upgrade the database\n"},
    {"config", cmd_config, "config                                 print the effective configuration\n"},
    {"interviewer", cmd_interviewer,
     "interviewer add LOGIN [--name N] [--role interviewer|supervisor|admin] [--lang en,dz] [--skills refusal]\n"
     "interviewer list | disable LOGIN | enable LOGIN\n"
     "interviewer set LOGIN [--role R] [--lang L] [--skills S]\n"},
    {"survey", cmd_survey,
     "survey load FILE.cati                  parse, check, store a questionnaire\n"
     "survey check FILE.cati                 parse and check only\n"
     "survey try FILE.cati [--answers FILE] [--lang L]\n"
     "survey list | pause NAME | resume NAME\n"},
    {"sample", cmd_sample, "sample import --survey NAME FILE.csv   import respondents (all or nothing)\n"},
    {"case", cmd_case,
     "case next                              claim the next case; prints its ID\n"
     "case outcome ID OUTCOME [--at WHEN] [--note T]\n"
     "case show ID | release ID | priority ID N | appoint ID WHEN [--with LOGIN]\n"},
    {"report", cmd_report, "report rates|scores|interviewers|flags|quotas [--survey NAME] [--format text|csv] [--e E]\n"},
    {"export", cmd_export,
     "export --survey NAME --out DIR [--since-last] [--format csv|sqlite] [--with-pii] [--partials]\n"
     "export --settle                         confirm or drop deliveries made with --deliver-to FOLDER\n"},
    {"sync", cmd_sync,
     "sync --to CENTRAL.db [--site NAME] [--batch N] [--full]\n"
     "sync conflicts [--keep INTERVIEW_UUID]  on a central database: cases completed at two sites\n"},
    {"check", cmd_check, "check                                  verify the database's invariants; exit 1 on any violation\n"},
    {"console", cmd_console, "console                                interviewer screen\n"},
    {"monitor", cmd_monitor, "monitor [--once [--panel P]... [--width N]]   supervisor dashboard\n"},
    {"shell", cmd_shell, "shell [-k]                             command shell with history and completion\n"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const char *const names[] = {
    "init", "config", "interviewer", "survey", "sample", "case", "report", "export", "sync",
    "check", "console", "monitor", "shell", "help", NULL};

const char *const *cli_command_names(void)
{
    return names;
}

static void print_synopsis(const struct command *cmd, FILE *out)
{
    const char *p = cmd->synopsis;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        fprintf(out, "cati %.*s\n", (int)len, p);
        p += len + (nl ? 1 : 0);
    }
}

int cli_help(const char *name, FILE *out)
{
    if (!name) {
        fprintf(out, "usage: cati [-c cati.ini] [-d db] COMMAND [ARGS]\n\n");
        for (size_t i = 0; i < NCOMMANDS; i++)
            print_synopsis(&commands[i], out);
        fprintf(out, "\nSee cati(1), cati.ini(5) and cati-script(5).\n");
        return 0;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(commands[i].name, name)) {
            print_synopsis(&commands[i], out);
            return 0;
        }
    return -1;
}

int cli_run(struct cli *c, int argc, char **argv)
{
    if (argc < 1)
        return cli_usage("[-c cati.ini] [-d db] COMMAND [ARGS] (see 'cati help')");
    if (!strcmp(argv[0], "help") || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
        if (argc > 1 && cli_help(argv[1], stdout) < 0)
            return cli_failf(EXIT_USAGE, "help: unknown command '%s'", argv[1]);
        if (argc == 1)
            cli_help(NULL, stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(commands[i].name, argv[0])) {
            cli_reset_getopt();
            int rc = commands[i].run(c, argc, argv);
            fflush(stdout);
            return rc;
        }
    return cli_failf(EXIT_USAGE, "%s: unknown command (see 'cati help')", argv[0]);
}

/* Tests and demos may pin the clock, only where the configuration allows. */
static int apply_clock_override(const struct cli *c)
{
    const char *now = getenv("CATI_NOW");
    if (!now || !*now || !c->cfg.allow_user_override)
        return 0;
    long secs;
    time_t t;
    if (cati_parse_long(now, &secs) == 0 && secs > 0)
        t = (time_t)secs;
    else if (cati_parse_when(now, c->cfg.timezone, &t) < 0)
        return cli_failf(EXIT_USAGE, "CATI_NOW: expected YYYY-MM-DD HH:MM or seconds, got '%s'", now);
    cati_clock_set(t);
    return 0;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    out_guard();
    struct cli c;
    memset(&c, 0, sizeof c);
    int opt;
    while ((opt = getopt(argc, argv, "+c:d:hV")) != -1) {
        switch (opt) {
        case 'c': c.config_opt = optarg; break;
        case 'd': c.db_opt = optarg; break;
        case 'h': cli_help(NULL, stdout); return EXIT_OK;
        case 'V': printf("cati 0.1\n"); return EXIT_OK;
        default:
            return cli_usage("[-c cati.ini] [-d db] COMMAND [ARGS] (see 'cati help')");
        }
    }
    struct cati_error err;
    if (config_load(c.config_opt, &c.cfg, &err) < 0)
        return cli_fail(&err, EXIT_USAGE);
    cati_strlcpy(c.db_path, c.db_opt ? c.db_opt : c.cfg.db_path, sizeof c.db_path);
    int rc = apply_clock_override(&c);
    if (rc == 0)
        rc = cli_run(&c, argc - optind, argv + optind);
    db_close(c.db);
    return rc;
}
