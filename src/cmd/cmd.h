#ifndef CATI_CMD_H
#define CATI_CMD_H
/* The `cati` subcommands: thin wrappers that parse options, call the core
 * and print. Each src/cmd/<noun>.c defines cmd_<noun>(). */

#include <stdio.h>

#include <sqlite3.h>

#include "cati/account.h"
#include "cati/config.h"
#include "cati/db.h"
#include "cati/error.h"

struct cli_command;

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_NOTHING = 3 };

struct cli {
    const char *config_opt;    /* -c, or NULL */
    const char *db_opt;        /* -d, or NULL */
    struct cati_config cfg;
    char db_path[1024];
    int db_other;              /* set-group-ID: -d names another database than the
                                * configured one, which needs the admin role */
    sqlite3 *db;               /* opened on demand by cli_open/cli_admit */
    int db_readonly;
    struct cati_interviewer me; /* filled by cli_admit */
    int have_me;
    int in_shell;
    const struct cli_command *cmd; /* the table row being run (set by cli_run) */
    int admitted;                  /* cli_admit passed for this row */
};

/* ---- the command table (table.c) ------------------------------------------
 * One row per command or subcommand: its name, synopsis (as cati(1)'s
 * SYNOPSIS prints it), the least role allowed, the handler, one line of help,
 * and what its arguments and options are (for both completions). The rows
 * drive dispatch (cli_run), the role check (cli_admit), `cati help`,
 * cati(1)'s SYNOPSIS and command list (`cati help --man`), the shell's
 * completion and the bash completion (`cati __complete`). */

/* What a word is, for completion. */
enum cli_word {
    W_END = 0,         /* no such argument: nothing to complete */
    W_FLAG,            /* an option without a value */
    W_TEXT,            /* free text or a number: nothing to complete */
    W_CHOICE,          /* one of the words in .choices */
    W_FILE,
    W_SURVEY,          /* any survey name */
    W_SURVEY_RUNNING,  /* surveys not paused (for pause) */
    W_SURVEY_PAUSED,   /* paused surveys (for resume) */
    W_LOGIN,           /* any interviewer login */
    W_LOGIN_ACTIVE,    /* for disable */
    W_LOGIN_DISABLED,  /* for enable */
    W_OUTCOME,         /* call outcome keywords */
    W_COMMAND,         /* a command name (help COMMAND) */
    W_TABLE            /* table and view names (sql) */
};

struct cli_arg {
    enum cli_word kind;
    const char *choices; /* W_CHOICE: blank-separated words */
};

struct cli_opt {
    const char *name;    /* "--survey" */
    enum cli_word kind;  /* W_FLAG, or the kind of its value */
    const char *choices;
};

enum {
    CMD_SHELL_ONLY = 1u,  /* a command of `cati shell` only (sql, exit, quit) */
    CMD_HIDDEN = 2u,      /* plumbing: not in help, the man page or completion */
    CMD_NEW_DB = 4u,      /* init: creating a database needs no role (its creator
                           * becomes its admin); upgrading one needs .role */
};
/* In .flags, for commands on a case: the least role that may act on any
 * case, not only one the caller holds. */
#define CMD_ANY_CASE(role) ((unsigned)(role) << 8)
#define CMD_ANY_CASE_ROLE(flags) ((enum cati_role)(((flags) >> 8) & 0xffu))

struct cli_command {
    const char *name, *sub;   /* sub NULL: the command has no subcommand */
    const char *synopsis;     /* after "cati "; lines separated by \n */
    enum cati_role role;      /* the least role allowed; ROLE_NONE: no login needed */
    int (*run)(struct cli *c, int argc, char **argv); /* argv[0] = name */
    const char *help;         /* one line */
    unsigned flags;
    struct cli_arg args[3];   /* positional arguments after name [sub] */
    struct cli_opt opts[9];
};

/* The table, in the order of cati(1)'s SYNOPSIS; *n rows. */
const struct cli_command *cli_commands(size_t *n);
/* The row for name [sub], or NULL. */
const struct cli_command *cli_command_find(const char *name, const char *sub);

/* Completion of one word: what can follow words[0..nwords-1] ("cati" and
 * global options skipped), offered through add(). db() opens the database
 * for names (surveys, logins, tables) on demand, or returns NULL.
 * Returns 0, or -1 when file names should be completed instead. */
struct cli_completion {
    sqlite3 *(*db)(void *ctx);
    void (*add)(void *ctx, const char *word, size_t len);
    void *ctx;
    int in_shell;    /* offer the shell's own commands, not `shell` */
    int nocase;      /* out: match regardless of case (SQL) */
};
int cli_complete(struct cli_completion *cc, int nwords, char **words, const char *text);

/* Print "cati: <err>" to stderr and return code. */
/* Route stdout and stderr through the sanitiser (src/cmd/out.c); first
 * thing in main. */
void out_guard(void);

int cli_fail(const struct cati_error *err, int code);
/* Print "cati: <what>: <err>" to stderr and return code. */
int cli_fail_in(const char *what, const struct cati_error *err, int code);
/* Same, the exit code derived from err's kind (cati_error_exit). */
int cli_error(const struct cati_error *err);
int cli_error_in(const char *what, const struct cati_error *err);
/* Print "cati: <message>" to stderr and return code. */
int cli_failf(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "usage: cati <usage>" to stderr and return EXIT_USAGE. */
int cli_usage(const char *usage);

/* Open the database (once). Returns 0, or an exit code after printing why. */
int cli_open(struct cli *c, enum db_open_mode mode);
/* The front door: open the database and identify the user; refuse unless
 * their role is at least the least role of the row being run (c->cmd; the
 * strictest role when none). Unknown or disabled logins are refused. Handlers
 * call it once their arguments are parsed, so usage errors come first.
 * 0, or an exit code after printing why. */
int cli_admit(struct cli *c);
/* The same for the row name [sub] (the shell's sql). */
int cli_admit_as(struct cli *c, const char *name, const char *sub);
/* After cli_admit: may the user act on any case, not only one they hold
 * (the row's role_any)? */
int cli_any_case(const struct cli *c);
/* Print "usage: cati <synopsis of c->cmd>" and return EXIT_USAGE. */
int cli_usage_cmd(const struct cli *c);

/* Reset getopt before parsing a subcommand's options (the shell reuses it). */
void cli_reset_getopt(void);

/* Run one command line (argv[0] = command name). Used by main and the shell. */
int cli_run(struct cli *c, int argc, char **argv);
/* Print the synopsis and help of one command (or all when name is NULL;
 * in_shell adds the shell's own commands). 0 if known. */
int cli_help(const char *name, int in_shell, FILE *out);

int cmd_init(struct cli *c, int argc, char **argv);
int cmd_config(struct cli *c, int argc, char **argv);
int cmd_interviewer(struct cli *c, int argc, char **argv);
int cmd_survey_load(struct cli *c, int argc, char **argv);
int cmd_survey_check(struct cli *c, int argc, char **argv);
int cmd_survey_try(struct cli *c, int argc, char **argv);
int cmd_survey_list(struct cli *c, int argc, char **argv);
int cmd_survey_pause(struct cli *c, int argc, char **argv); /* and resume */
int cmd_sample(struct cli *c, int argc, char **argv);
int cmd_case_next(struct cli *c, int argc, char **argv);
int cmd_case_outcome(struct cli *c, int argc, char **argv);
int cmd_case_show(struct cli *c, int argc, char **argv);
int cmd_case_release(struct cli *c, int argc, char **argv);
int cmd_case_priority(struct cli *c, int argc, char **argv);
int cmd_case_appoint(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_sync(struct cli *c, int argc, char **argv);
int cmd_sync_conflicts(struct cli *c, int argc, char **argv);
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_console(struct cli *c, int argc, char **argv);
int cmd_monitor(struct cli *c, int argc, char **argv);
int cmd_shell(struct cli *c, int argc, char **argv);
int cmd_help(struct cli *c, int argc, char **argv);
int cmd_complete(struct cli *c, int argc, char **argv); /* cati __complete WORDS... */

#endif
