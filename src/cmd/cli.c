/* Shared plumbing of the subcommands: errors, opening the database, roles. */
#include "cmd.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cati/quota.h"
#include "cati/util.h"

int cli_fail(const struct cati_error *err, int code)
{
    char buf[1400];
    fprintf(stderr, "cati: %s\n", cati_error_format(err, buf, sizeof buf));
    return code;
}

int cli_fail_in(const char *what, const struct cati_error *err, int code)
{
    char buf[1400];
    fprintf(stderr, "cati: %s: %s\n", what, cati_error_format(err, buf, sizeof buf));
    return code;
}

int cli_error(const struct cati_error *err)
{
    return cli_fail(err, cati_error_exit(err));
}

int cli_error_in(const char *what, const struct cati_error *err)
{
    return cli_fail_in(what, err, cati_error_exit(err));
}

int cli_failf(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("cati: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

int cli_usage(const char *usage)
{
    fprintf(stderr, "usage: cati %s\n", usage);
    return EXIT_USAGE;
}

void cli_reset_getopt(void)
{
    optind = 0; /* glibc: 0 reinitialises, including permutation state */
    opterr = 1;
}

int cli_open(struct cli *c, enum db_open_mode mode)
{
    if (c->db) {
        if (mode == DB_OPEN_READONLY || !c->db_readonly)
            return 0;
        db_close(c->db); /* reopen writable */
        c->db = NULL;
    }
    struct cati_error err;
    if (db_open(c->db_path, mode, c->cfg.busy_timeout_ms, &c->db, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    c->db_readonly = mode == DB_OPEN_READONLY;
    /* the configuration's quotas must name fields the samples have: checked
     * here, where configuration and database first meet (cati.ini(5)); not
     * by `cati init`, whose database may not have its tables yet */
    if (mode != DB_OPEN_CREATE && quota_check_db(c->db, &c->cfg, &err) < 0) {
        db_close(c->db);
        c->db = NULL;
        return cli_fail(&err, EXIT_USAGE);
    }
    return 0;
}

int cli_require(struct cli *c, enum cati_role min)
{
    int rc = cli_open(c, DB_OPEN_EXISTING);
    if (rc)
        return rc;
    struct cati_error err;
    if (!c->have_me) {
        char login[64];
        if (account_whoami(&c->cfg, login, sizeof login, &err) < 0)
            return cli_fail(&err, EXIT_FAIL);
        if (account_find(c->db, login, &c->me, &err) < 0)
            return cli_failf(EXIT_FAIL, "unknown interviewer '%s': an admin adds you with "
                                        "'cati interviewer add %s'", login, login);
        if (!c->me.active)
            return cli_failf(EXIT_FAIL, "interviewer '%s' is disabled: an admin enables you with "
                                        "'cati interviewer enable %s'", login, login);
        c->have_me = 1;
    }
    if (c->me.role < min)
        return cli_failf(EXIT_FAIL, "permission denied: this needs the %s role, '%s' is %s",
                         account_role_name(min), c->me.login, account_role_name(c->me.role));
    return 0;
}
