/* Completion from the command table, for the shell (src/shell/complete.c,
 * libedit) and for bash (`cati __complete WORD...`, scripts/cati.bash):
 * commands, subcommands, options and their values, survey names,
 * interviewer logins, outcome keywords; file names where an argument is a
 * file, or where the command is not in the table. */
#include <stdio.h>
#include <string.h>

#include "cati/schedule.h"
#include "cmd.h"

/* Add the first column of a fixed query, with one optional integer bound
 * (filter < 0 binds nothing). Quietly adds nothing without a database. */
static void add_query(struct cli_completion *cc, const char *sql, int filter)
{
    sqlite3 *db = cc->db ? cc->db(cc->ctx) : NULL;
    sqlite3_stmt *st;
    if (!db || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return;
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int(st, 1, filter);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        if (s)
            cc->add(cc->ctx, s, strlen(s));
    }
    sqlite3_finalize(st);
}

static void add_words(struct cli_completion *cc, const char *words)
{
    const char *p = words;
    while (*p) {
        size_t len = strcspn(p, " ");
        if (len)
            cc->add(cc->ctx, p, len);
        p += len;
        p += strspn(p, " ");
    }
}

static int visible(const struct cli_completion *cc, const struct cli_command *r)
{
    if (r->flags & CMD_HIDDEN)
        return 0;
    if (cc->in_shell)
        return strcmp(r->name, "shell") != 0;
    return !(r->flags & CMD_SHELL_ONLY);
}

static void add_commands(struct cli_completion *cc)
{
    size_t n;
    const struct cli_command *t = cli_commands(&n);
    for (size_t i = 0; i < n; i++)
        if (visible(cc, &t[i]) && (i == 0 || strcmp(t[i].name, t[i - 1].name)))
            cc->add(cc->ctx, t[i].name, strlen(t[i].name));
}

/* Offer the words of this kind; returns 0, or -1 for file names. */
static int add_kind(struct cli_completion *cc, enum cli_word kind, const char *choices)
{
    switch (kind) {
    case W_CHOICE: add_words(cc, choices); break;
    case W_FILE: return -1;
    case W_SURVEY: add_query(cc, "SELECT name FROM surveys ORDER BY name", -1); break;
    case W_SURVEY_RUNNING: add_query(cc, "SELECT name FROM surveys WHERE paused = 0 ORDER BY name", -1); break;
    case W_SURVEY_PAUSED: add_query(cc, "SELECT name FROM surveys WHERE paused != 0 ORDER BY name", -1); break;
    case W_LOGIN: add_query(cc, "SELECT login FROM interviewers ORDER BY login", -1); break;
    case W_LOGIN_ACTIVE: add_query(cc, "SELECT login FROM interviewers WHERE active = ?1 ORDER BY login", 1); break;
    case W_LOGIN_DISABLED: add_query(cc, "SELECT login FROM interviewers WHERE active = ?1 ORDER BY login", 0); break;
    case W_OUTCOME: {
        size_t n;
        const struct schedule_outcome *o = schedule_outcomes(&n);
        for (size_t i = 0; i < n; i++)
            cc->add(cc->ctx, o[i].keyword, strlen(o[i].keyword));
        break;
    }
    case W_COMMAND: add_commands(cc); break;
    case W_TABLE:
        add_query(cc, "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') "
                      "AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name", -1);
        add_words(cc, "SELECT FROM WHERE GROUP BY ORDER LIMIT JOIN ON AND OR NOT COUNT");
        cc->nocase = 1;
        break;
    default: break;
    }
    return 0;
}

static const struct cli_opt *row_option(const struct cli_command *r, const char *name)
{
    for (size_t i = 0; r && i < sizeof r->opts / sizeof r->opts[0] && r->opts[i].name; i++)
        if (!strcmp(r->opts[i].name, name))
            return &r->opts[i];
    return NULL;
}

int cli_complete(struct cli_completion *cc, int argc, char **argv, const char *text)
{
    if (argc > 0 && !strcmp(argv[0], "cati")) { /* `cati case show` works too */
        argc--;
        argv++;
        /* cati's own options before the command: -c FILE, -d FILE */
        while (argc > 0 && (!strcmp(argv[0], "-c") || !strcmp(argv[0], "-d"))) {
            if (argc == 1)
                return -1; /* the word is the file */
            argc -= 2;
            argv += 2;
        }
    }
    if (argc == 0) {
        add_commands(cc);
        return 0;
    }
    size_t n;
    const struct cli_command *t = cli_commands(&n);
    int has_subs = 0, known = 0;
    const struct cli_command *row = NULL;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(t[i].name, argv[0]) || !visible(cc, &t[i]))
            continue;
        known = 1;
        if (t[i].sub)
            has_subs = 1;
        if (t[i].sub ? argc > 1 && !strcmp(t[i].sub, argv[1]) : !row)
            row = &t[i];
    }
    if (!known)
        return -1;
    /* a command with subcommands and perhaps a form without (sync) */
    if (has_subs && argc == 1) {
        for (size_t i = 0; i < n; i++)
            if (!strcmp(t[i].name, argv[0]) && t[i].sub)
                cc->add(cc->ctx, t[i].sub, strlen(t[i].sub));
        if (!row || text[0] != '-')
            return 0;
    }
    if (!row)
        return 0; /* an unknown subcommand: nothing sensible to offer */
    int first = row->sub ? 2 : 1; /* the first word after name [sub] */
    const struct cli_opt *prev = row_option(row, argv[argc - 1]);
    if (prev && prev->kind != W_FLAG && argc - 1 >= first)
        return add_kind(cc, prev->kind, prev->choices);
    if (text[0] == '-') {
        for (size_t i = 0; i < sizeof row->opts / sizeof row->opts[0] && row->opts[i].name; i++)
            cc->add(cc->ctx, row->opts[i].name, strlen(row->opts[i].name));
        return 0;
    }
    /* Count the positional arguments already given. */
    int pos = 0;
    for (int i = first; i < argc; i++) {
        const struct cli_opt *o = row_option(row, argv[i]);
        if (o && o->kind != W_FLAG)
            i++; /* its value */
        else if (!o && !(argv[i][0] == '-' && argv[i][1] == '-'))
            pos++;
    }
    if (row->args[0].kind == W_TABLE) /* SQL: any word may be a table */
        return add_kind(cc, W_TABLE, NULL);
    if (pos >= (int)(sizeof row->args / sizeof row->args[0]))
        return 0;
    return add_kind(cc, row->args[pos].kind, row->args[pos].choices);
}

/* ---- cati __complete WORD... ------------------------------------------------
 * The words of the command line up to the cursor, the last being the word
 * completed (perhaps empty). Prints the candidates that begin with it, one a
 * line; exit 0, or 3 when file names should be completed instead. */

struct bash_ctx {
    struct cli *c;
    const char *text;
    int tried;
};

static sqlite3 *bash_db(void *p)
{
    struct bash_ctx *x = p;
    if (!x->c->db && !x->tried) {
        struct cati_error err;
        x->tried = 1;
        if (db_open(x->c->db_path, DB_OPEN_READONLY, x->c->cfg.busy_timeout_ms, &x->c->db, &err) < 0)
            x->c->db = NULL;
        else
            x->c->db_readonly = 1;
    }
    return x->c->db;
}

static void bash_add(void *p, const char *word, size_t len)
{
    struct bash_ctx *x = p;
    size_t tl = strlen(x->text);
    if (len >= tl && !strncmp(word, x->text, tl))
        printf("%.*s\n", (int)len, word);
}

int cmd_complete(struct cli *c, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_cmd(c);
    struct bash_ctx x = {.c = c, .text = argv[argc - 1]};
    struct cli_completion cc = {.db = bash_db, .add = bash_add, .ctx = &x};
    int rc = cli_complete(&cc, argc - 2, argv + 1, x.text);
    return rc < 0 ? EXIT_NOTHING : EXIT_OK;
}
