/* cati: one binary, many subcommands. Parses the global options, loads the
 * configuration and dispatches through the command table (src/cmd/table.c);
 * each command lives in src/cmd/<noun>.c. */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cati/priv.h"
#include "cati/util.h"
#include "cmd/cmd.h"

#ifdef __SANITIZE_ADDRESS__
/* SAN=1 builds: LeakSanitizer cannot stop the threads of a set-group-ID
 * (non-dumpable) process, nor can such a process read ASAN_OPTIONS from its
 * /proc/self/environ; so leak checking is off there (test_door), and only
 * there. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return getegid() != getgid() || geteuid() != getuid() ? "detect_leaks=0" : "";
}
#endif

/* Tests and demos may pin the clock, only where the configuration allows. */
static int apply_clock_override(const struct cli *c)
{
    const char *now = getenv("CATI_NOW");
    if (!now || !*now || !c->cfg.allow_user_override || priv_active())
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

/* A set-group-ID cati uses only databases of its group in the configured
 * database's directory (cati/priv.h); another than the configured one
 * needs the admin role (cli_admit). */
static int check_door(struct cli *c)
{
    struct cati_error err;
    if (priv_check_db_dir(c->cfg.db_path, priv_group(), &err) < 0)
        return cli_fail(&err, EXIT_USAGE);
    if (priv_sqlite_temp_dir(c->cfg.db_path, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    if (c->db_opt &&
        priv_check_db(c->db_opt, c->cfg.db_path, priv_group(), &c->db_other, c->db_path,
                      sizeof c->db_path, &err) < 0)
        return cli_fail_in("-d", &err, EXIT_USAGE);
    return 0;
}

int main(int argc, char **argv)
{
    priv_init(); /* before anything reads the environment */
    /* file: URIs never name a database: a path is a path (a set-group-ID
     * cati must not be steered to another file by --out 'file:…?…') */
    sqlite3_config(SQLITE_CONFIG_URI, 0);
    setlocale(LC_ALL, "");
    out_guard();
    struct cli c;
    memset(&c, 0, sizeof c);
    int opt;
    while ((opt = getopt(argc, argv, "+c:d:hV")) != -1) {
        switch (opt) {
        case 'c': c.config_opt = optarg; break;
        case 'd': c.db_opt = optarg; break;
        case 'h': cli_help(NULL, 0, stdout); return EXIT_OK;
        case 'V': printf("cati 0.1\n"); return EXIT_OK;
        default:
            return cli_usage("[-c cati.ini] [-d db] COMMAND [ARGS] (see 'cati help')");
        }
    }
    struct cati_error err;
    if (config_load(c.config_opt, &c.cfg, &err) < 0)
        return cli_fail(&err, EXIT_USAGE);
    cati_strlcpy(c.db_path, c.db_opt ? c.db_opt : c.cfg.db_path, sizeof c.db_path);
    int rc = priv_active() ? check_door(&c) : 0;
    if (rc == 0)
        rc = apply_clock_override(&c);
    if (rc == 0)
        rc = cli_run(&c, argc - optind, argv + optind);
    db_close(c.db);
    return rc;
}
