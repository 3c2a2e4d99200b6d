/* Tab completion for `cati shell`: commands, subcommands, options and their
 * values, survey names, interviewer logins, outcome keywords; file names
 * where an argument is a file, or where the command is not in the table. */
#include "shell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <editline/readline.h>

#include "cati/argv.h"

/* What a word can be. */
enum comp_kind {
    K_END = 0,         /* no such argument: nothing to complete */
    K_FLAG,            /* an option without a value */
    K_TEXT,            /* free text or a number: nothing to complete */
    K_CHOICE,          /* one of the words in .choices */
    K_FILE,
    K_SURVEY,          /* any survey name */
    K_SURVEY_RUNNING,  /* surveys not paused (for pause) */
    K_SURVEY_PAUSED,   /* paused surveys (for resume) */
    K_LOGIN,           /* any interviewer login */
    K_LOGIN_ACTIVE,    /* for disable */
    K_LOGIN_DISABLED,  /* for enable */
    K_OUTCOME,         /* call outcome keywords */
    K_COMMAND,         /* a command name (help COMMAND) */
    K_TABLE            /* table and view names (sql) */
};

struct comp_arg {
    enum comp_kind kind;
    const char *choices; /* K_CHOICE: blank-separated words */
};

struct comp_opt {
    const char *name;
    enum comp_kind kind; /* K_FLAG, or the kind of its value */
    const char *choices;
};

struct comp_spec {
    const char *cmd, *sub;     /* sub NULL: the command has no subcommands */
    struct comp_arg args[3];   /* positional arguments after cmd [sub] */
    struct comp_opt opts[7];
};

#define ROLES "interviewer supervisor admin"
#define REPORT_OPTS                                                                                \
    {{"--survey", K_SURVEY, NULL}, {"--format", K_CHOICE, "text csv"}, {"--e", K_TEXT, NULL}}

/* The one table of what each command takes (keep it in step with the
 * synopsis in src/main.c and man/cati.1). */
static const struct comp_spec specs[] = {
    {"init", NULL, {{0}}, {{0}}},
    {"config", NULL, {{0}}, {{"--man", K_FLAG, NULL}}},
    {"interviewer", "add", {{K_TEXT, NULL}},
     {{"--name", K_TEXT, NULL}, {"--role", K_CHOICE, ROLES}, {"--lang", K_TEXT, NULL},
      {"--skills", K_TEXT, NULL}}},
    {"interviewer", "list", {{0}}, {{0}}},
    {"interviewer", "disable", {{K_LOGIN_ACTIVE, NULL}}, {{0}}},
    {"interviewer", "enable", {{K_LOGIN_DISABLED, NULL}}, {{0}}},
    {"interviewer", "set", {{K_LOGIN, NULL}},
     {{"--role", K_CHOICE, ROLES}, {"--lang", K_TEXT, NULL}, {"--skills", K_TEXT, NULL}}},
    {"survey", "load", {{K_FILE, NULL}}, {{0}}},
    {"survey", "check", {{K_FILE, NULL}}, {{0}}},
    {"survey", "try", {{K_FILE, NULL}}, {{"--answers", K_FILE, NULL}, {"--lang", K_TEXT, NULL}}},
    {"survey", "list", {{0}}, {{0}}},
    {"survey", "pause", {{K_SURVEY_RUNNING, NULL}}, {{0}}},
    {"survey", "resume", {{K_SURVEY_PAUSED, NULL}}, {{0}}},
    {"sample", "import", {{K_FILE, NULL}}, {{"--survey", K_SURVEY, NULL}}},
    {"case", "next", {{0}}, {{0}}},
    {"case", "outcome", {{K_TEXT, NULL}, {K_OUTCOME, NULL}},
     {{"--at", K_TEXT, NULL}, {"--note", K_TEXT, NULL}}},
    {"case", "show", {{K_TEXT, NULL}}, {{0}}},
    {"case", "release", {{K_TEXT, NULL}}, {{0}}},
    {"case", "priority", {{K_TEXT, NULL}, {K_TEXT, NULL}}, {{0}}},
    {"case", "appoint", {{K_TEXT, NULL}, {K_TEXT, NULL}}, {{"--with", K_LOGIN, NULL}}},
    {"report", "rates", {{0}}, REPORT_OPTS},
    {"report", "scores", {{0}}, REPORT_OPTS},
    {"report", "interviewers", {{0}}, REPORT_OPTS},
    {"report", "flags", {{0}}, REPORT_OPTS},
    {"report", "quotas", {{0}}, REPORT_OPTS},
    {"export", NULL, {{0}},
     {{"--survey", K_SURVEY, NULL}, {"--out", K_FILE, NULL}, {"--since-last", K_FLAG, NULL},
      {"--format", K_CHOICE, "csv sqlite"}, {"--with-pii", K_FLAG, NULL},
      {"--partials", K_FLAG, NULL}}},
    {"sync", NULL, {{0}}, {{"--to", K_FILE, NULL}}},
    {"check", NULL, {{0}}, {{0}}},
    {"console", NULL, {{0}}, {{0}}},
    {"monitor", NULL, {{0}}, {{0}}},
    {"help", NULL, {{K_COMMAND, NULL}}, {{0}}},
    /* only in the shell */
    {"sql", NULL, {{K_TABLE, NULL}}, {{0}}}, /* every word, see cands_for */
    {"exit", NULL, {{K_TEXT, NULL}}, {{0}}},
    {"quit", NULL, {{0}}, {{0}}},
};
#define NSPECS (sizeof specs / sizeof specs[0])

static const char *const shell_only[] = {"sql", "exit", "quit", NULL};

static const char outcomes[] =
    "complete partial breakoff refusal soft-refusal appointment no-answer busy "
    "answering-machine message-left not-available language deceased unable disconnected "
    "non-working fax business wrong-number ineligible technical";

/* ---- candidates --------------------------------------------------------- */

static struct shell *the_shell; /* libedit's callbacks take no context */

static struct {
    char **v;
    size_t n, cap;
    int nocase; /* match regardless of case (SQL) */
} cands;

static void cands_clear(void)
{
    for (size_t i = 0; i < cands.n; i++)
        free(cands.v[i]);
    free(cands.v);
    memset(&cands, 0, sizeof cands);
}

static void cands_add(const char *s, size_t len)
{
    if (cands.n == cands.cap) {
        size_t cap = cands.cap ? cands.cap * 2 : 32;
        char **v = realloc(cands.v, cap * sizeof *v);
        if (!v)
            return;
        cands.v = v;
        cands.cap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return;
    memcpy(copy, s, len);
    copy[len] = '\0';
    cands.v[cands.n++] = copy;
}

static void cands_words(const char *words)
{
    const char *p = words;
    while (*p) {
        size_t len = strcspn(p, " ");
        if (len)
            cands_add(p, len);
        p += len;
        p += strspn(p, " ");
    }
}

/* Add the first column of a fixed query, with one optional integer bound
 * (filter < 0 binds nothing). Quietly adds nothing without a database. */
static void cands_query(const char *sql, int filter)
{
    struct cati_error err;
    if (shell_ro(the_shell, &err) < 0)
        return;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(the_shell->ro, sql, -1, &st, NULL) != SQLITE_OK)
        return;
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int(st, 1, filter);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        if (s)
            cands_add(s, strlen(s));
    }
    sqlite3_finalize(st);
}

static void cands_commands(void)
{
    for (const char *const *n = cli_command_names(); *n; n++)
        if (strcmp(*n, "shell"))
            cands_add(*n, strlen(*n));
    for (const char *const *n = shell_only; *n; n++)
        cands_add(*n, strlen(*n));
}

/* Fill cands for a word of this kind; returns 0, or -1 for file names. */
static int cands_kind(enum comp_kind kind, const char *choices)
{
    switch (kind) {
    case K_CHOICE: cands_words(choices); break;
    case K_FILE: return -1;
    case K_SURVEY: cands_query("SELECT name FROM surveys ORDER BY name", -1); break;
    case K_SURVEY_RUNNING: cands_query("SELECT name FROM surveys WHERE paused = 0 ORDER BY name", -1); break;
    case K_SURVEY_PAUSED: cands_query("SELECT name FROM surveys WHERE paused != 0 ORDER BY name", -1); break;
    case K_LOGIN: cands_query("SELECT login FROM interviewers ORDER BY login", -1); break;
    case K_LOGIN_ACTIVE: cands_query("SELECT login FROM interviewers WHERE active = ?1 ORDER BY login", 1); break;
    case K_LOGIN_DISABLED: cands_query("SELECT login FROM interviewers WHERE active = ?1 ORDER BY login", 0); break;
    case K_OUTCOME: cands_words(outcomes); break;
    case K_COMMAND: cands_commands(); break;
    case K_TABLE:
        cands_query("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') "
                    "AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name", -1);
        cands_words("SELECT FROM WHERE GROUP BY ORDER LIMIT JOIN ON AND OR NOT COUNT");
        cands.nocase = 1;
        break;
    default: break;
    }
    return 0;
}

static const struct comp_opt *spec_option(const struct comp_spec *s, const char *name)
{
    for (size_t i = 0; s && i < sizeof s->opts / sizeof s->opts[0] && s->opts[i].name; i++)
        if (!strcmp(s->opts[i].name, name))
            return &s->opts[i];
    return NULL;
}

/* Decide what the word being completed is, from the words before it.
 * Fills cands; returns -1 when file names should be completed instead. */
static int cands_for(int argc, char **argv, const char *text)
{
    if (argc > 0 && !strcmp(argv[0], "cati")) { /* `cati case show` works too */
        argc--;
        argv++;
    }
    if (argc == 0) {
        cands_commands();
        return 0;
    }
    int has_subs = 0, known = 0;
    const struct comp_spec *spec = NULL;
    for (size_t i = 0; i < NSPECS; i++) {
        if (strcmp(specs[i].cmd, argv[0]))
            continue;
        known = 1;
        if (specs[i].sub)
            has_subs = 1;
        if (!specs[i].sub || (argc > 1 && !strcmp(specs[i].sub, argv[1])))
            spec = &specs[i];
    }
    if (!known)
        return -1;
    if (has_subs && argc == 1) {
        for (size_t i = 0; i < NSPECS; i++)
            if (!strcmp(specs[i].cmd, argv[0]))
                cands_add(specs[i].sub, strlen(specs[i].sub));
        return 0;
    }
    if (!spec)
        return 0; /* an unknown subcommand: nothing sensible to offer */
    const struct comp_opt *prev = spec_option(spec, argv[argc - 1]);
    if (prev && prev->kind != K_FLAG && argc - 1 >= (has_subs ? 2 : 1))
        return cands_kind(prev->kind, prev->choices);
    if (text[0] == '-') {
        for (size_t i = 0; i < sizeof spec->opts / sizeof spec->opts[0] && spec->opts[i].name; i++)
            cands_add(spec->opts[i].name, strlen(spec->opts[i].name));
        return 0;
    }
    /* Count the positional arguments already given. */
    int pos = 0;
    for (int i = has_subs ? 2 : 1; i < argc; i++) {
        const struct comp_opt *o = spec_option(spec, argv[i]);
        if (o && o->kind != K_FLAG)
            i++; /* its value */
        else if (!o && !(argv[i][0] == '-' && argv[i][1] == '-'))
            pos++;
    }
    if (spec->args[0].kind == K_TABLE) /* SQL: any word may be a table */
        return cands_kind(K_TABLE, NULL);
    if (pos >= (int)(sizeof spec->args / sizeof spec->args[0]))
        return 0;
    return cands_kind(spec->args[pos].kind, spec->args[pos].choices);
}

/* ---- libedit glue ------------------------------------------------------- */

static size_t gen_next;

static char *cand_generator(const char *text, int state)
{
    if (state == 0)
        gen_next = 0;
    size_t len = strlen(text);
    while (gen_next < cands.n) {
        const char *s = cands.v[gen_next++];
        if (!(cands.nocase ? strncasecmp(s, text, len) : strncmp(s, text, len)))
            return strdup(s);
    }
    return NULL;
}

static char **complete_attempt(const char *text, int start, int end)
{
    (void)end;
    char *before = strndup(rl_line_buffer, (size_t)start);
    if (!before)
        return NULL;
    int argc;
    char **argv;
    struct cati_error err;
    int rc = argv_split(before, ARGV_LENIENT, &argc, &argv, &err);
    free(before);
    if (rc < 0)
        return NULL;
    char **matches = NULL;
    cands_clear();
    if (cands_for(argc, argv, text) < 0) {
        matches = rl_completion_matches(text, rl_filename_completion_function);
    } else {
        matches = rl_completion_matches(text, cand_generator);
        rl_attempted_completion_over = 1; /* no file names when nothing fits */
    }
    cands_clear();
    argv_free(argv);
    return matches;
}

void complete_init(struct shell *sh)
{
    the_shell = sh;
    rl_attempted_completion_function = complete_attempt;
    rl_basic_word_break_characters = " \t\n";
    rl_completer_word_break_characters = (char *)" \t\n";
}
