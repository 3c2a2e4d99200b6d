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

/* The front door: every role check of the front ends is this one, with the
 * least role from the command table. (The core checks the role again where a
 * write happens, in its transaction: account_require_role.) */
static int admit(struct cli *c, const struct cli_command *row)
{
    enum cati_role min = row ? row->role : ROLE_ADMIN; /* no row: the strictest */
    if (min == ROLE_NONE)
        return 0;
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
    if (c->db_other) {
        /* the role that counts is the one in the configured database: anyone
         * may be admin of a database of their own making */
        sqlite3 *conf = NULL;
        struct cati_interviewer a;
        int ok = db_open(c->cfg.db_path, DB_OPEN_EXISTING, c->cfg.busy_timeout_ms, &conf, &err) == 0 &&
                 account_find(conf, c->me.login, &a, &err) == 0 && a.active && a.role >= ROLE_ADMIN;
        db_close(conf);
        if (!ok)
            return cli_failf(EXIT_FAIL, "permission denied: -d naming another database than the "
                                        "configured one needs the admin role in the configured one, "
                                        "which '%s' does not have", c->me.login);
    }
    if (c->me.role < min)
        return cli_failf(EXIT_FAIL, "permission denied: this needs the %s role, '%s' is %s",
                         account_role_name(min), c->me.login, account_role_name(c->me.role));
    return 0;
}

int cli_admit(struct cli *c)
{
    int rc = admit(c, c->cmd);
    if (rc == 0)
        c->admitted = 1;
    return rc;
}

int cli_admit_as(struct cli *c, const char *name, const char *sub)
{
    return admit(c, cli_command_find(name, sub));
}

int cli_any_case(const struct cli *c)
{
    return c->have_me && c->cmd && CMD_ANY_CASE_ROLE(c->cmd->flags) != ROLE_NONE &&
           c->me.role >= CMD_ANY_CASE_ROLE(c->cmd->flags);
}

/* ---- dispatch ------------------------------------------------------------ */

#define GLOBAL_USAGE "[-c cati.ini] [-d db] COMMAND [ARGS] (see 'cati help')"

/* "usage: cati A | B | C": the synopsis lines of one row, or of every row
 * of a command (row->sub NULL and all set). */
static int usage_of(const struct cli_command *t, size_t n, const char *name, const char *sub)
{
    char buf[2048];
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (strcmp(t[i].name, name) || (sub && (!t[i].sub || strcmp(t[i].sub, sub))))
            continue;
        const char *p = t[i].synopsis;
        while (*p && used < sizeof buf) {
            size_t len = strcspn(p, "\n");
            int k = snprintf(buf + used, sizeof buf - used, "%s%.*s", used ? " | " : "", (int)len, p);
            if (k < 0)
                break;
            used += (size_t)k;
            p += len + (p[len] == '\n');
        }
    }
    return cli_usage(buf);
}

int cli_usage_cmd(const struct cli *c)
{
    if (!c->cmd)
        return cli_usage(GLOBAL_USAGE);
    size_t n;
    const struct cli_command *t = cli_commands(&n);
    return usage_of(t, n, c->cmd->name, c->cmd->sub ? c->cmd->sub : NULL);
}

int cli_run(struct cli *c, int argc, char **argv)
{
    if (argc < 1)
        return cli_usage(GLOBAL_USAGE);
    const char *name = argv[0];
    if (!strcmp(name, "--help") || !strcmp(name, "-h"))
        name = "help";
    size_t n;
    const struct cli_command *t = cli_commands(&n), *row = NULL;
    int known = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(t[i].name, name) || ((t[i].flags & CMD_SHELL_ONLY) && !c->in_shell))
            continue;
        known = 1;
        if (t[i].sub ? argc > 1 && !strcmp(t[i].sub, argv[1]) : !row)
            row = &t[i];
    }
    if (!known)
        return cli_failf(EXIT_USAGE, "%s: unknown command (see 'cati help')", argv[0]);
    if (!row) /* a command with subcommands and none of them */
        return usage_of(t, n, name, NULL);
    c->cmd = row;
    c->admitted = 0;
    cli_reset_getopt();
    int rc = row->run(c, argc, argv);
    fflush(stdout);
    /* a handler that did its work without the front door is a bug to see */
    if (rc == EXIT_OK && row->role != ROLE_NONE && !c->admitted && !(row->flags & CMD_NEW_DB))
        rc = cli_failf(EXIT_FAIL, "internal error: %s%s%s ran without its role check", row->name,
                       row->sub ? " " : "", row->sub ? row->sub : "");
    c->cmd = NULL;
    return rc;
}

/* ---- help ----------------------------------------------------------------- */

#define HELP_COLUMN 40

static void print_row(const struct cli_command *r, FILE *out)
{
    char role[80] = "";
    enum cati_role any = CMD_ANY_CASE_ROLE(r->flags);
    if (r->role != ROLE_NONE)
        snprintf(role, sizeof role, " (%s%s%s%s)", account_role_name(r->role),
                 r->flags & CMD_NEW_DB ? ", to upgrade" : "", any ? "; any case: " : "",
                 any ? account_role_name(any) : "");
    int col = 0;
    for (const char *p = r->synopsis; *p;) {
        size_t len = strcspn(p, "\n");
        if (col)
            fputc('\n', out);
        col = fprintf(out, "%s%.*s", r->flags & CMD_SHELL_ONLY ? "" : "cati ", (int)len, p);
        p += len + (p[len] == '\n');
    }
    if (col < HELP_COLUMN)
        fprintf(out, "%*s%s%s\n", HELP_COLUMN - col, "", r->help, role);
    else
        fprintf(out, "\n%*s%s%s\n", HELP_COLUMN, "", r->help, role);
}

/* cati(1)'s text, from the table (scripts/gen-man-cmd puts it in place):
 * "synopsis" the SYNOPSIS lines, "commands" the list that opens COMMANDS. */
static void roff_text(FILE *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '-')
            fputs("\\-", out);
        else if (s[i] == '\\')
            fputs("\\e", out);
        else
            fputc(s[i], out);
    }
}

static int print_man(const char *part, FILE *out)
{
    size_t n;
    const struct cli_command *t = cli_commands(&n);
    int synopsis = !strcmp(part, "synopsis");
    if (!synopsis && strcmp(part, "commands"))
        return -1;
    for (size_t i = 0; i < n; i++) {
        const struct cli_command *r = &t[i];
        if (r->flags & CMD_HIDDEN || (synopsis && r->flags & CMD_SHELL_ONLY))
            continue;
        if (synopsis) {
            for (const char *p = r->synopsis; *p;) {
                size_t len = strcspn(p, "\n");
                fputs(".B cati ", out);
                roff_text(out, p, len);
                fputc('\n', out);
                p += len + (p[len] == '\n');
            }
            continue;
        }
        fprintf(out, ".TP 20\n.B %s%s%s\n", r->name, r->sub ? " " : "", r->sub ? r->sub : "");
        roff_text(out, r->help, strlen(r->help));
        fputs(".\n", out);
        if (r->flags & CMD_SHELL_ONLY)
            fputs("In \\fBcati shell\\fR only.\n", out);
        if (r->role != ROLE_NONE)
            fprintf(out, "Role: \\fB\\%%%s\\fR%s", account_role_name(r->role),
                    r->flags & CMD_NEW_DB ? " to upgrade; none to create" : "");
        if (CMD_ANY_CASE_ROLE(r->flags) != ROLE_NONE)
            fprintf(out, "; \\fB\\%%%s\\fR for any case",
                    account_role_name(CMD_ANY_CASE_ROLE(r->flags)));
        if (r->role == ROLE_NONE)
            fputs("Role: none", out);
        fputs(".\n", out);
    }
    return 0;
}

int cli_help(const char *name, int in_shell, FILE *out)
{
    size_t n;
    const struct cli_command *t = cli_commands(&n);
    if (!name) {
        fprintf(out, "usage: cati [-c cati.ini] [-d db] COMMAND [ARGS]\n\n");
        for (size_t i = 0; i < n; i++)
            if (!(t[i].flags & (CMD_HIDDEN | CMD_SHELL_ONLY)))
                print_row(&t[i], out);
        fprintf(out, "\nSee cati(1), cati.ini(5) and cati-script(5).\n");
        if (in_shell) {
            fprintf(out, "\nIn the shell also:\n");
            for (size_t i = 0; i < n; i++)
                if (t[i].flags & CMD_SHELL_ONLY)
                    print_row(&t[i], out);
        }
        return 0;
    }
    int found = 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t[i].name, name) && !(t[i].flags & CMD_HIDDEN) &&
            (in_shell || !(t[i].flags & CMD_SHELL_ONLY))) {
            print_row(&t[i], out);
            found = 1;
        }
    return found ? 0 : -1;
}

int cmd_help(struct cli *c, int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--man"))
        return print_man(argv[2], stdout) < 0 ? cli_usage("help --man synopsis|commands") : EXIT_OK;
    if (argc > 1 && cli_help(argv[1], c->in_shell, stdout) < 0)
        return cli_failf(EXIT_USAGE, "help: unknown command '%s'", argv[1]);
    if (argc == 1)
        cli_help(NULL, 0, stdout);
    return EXIT_OK;
}
