#ifndef CATI_CMD_H
#define CATI_CMD_H
/* The `cati` subcommands: thin wrappers that parse options, call the core
 * and print. Each src/cmd/<noun>.c defines cmd_<noun>(). */

#include <sqlite3.h>

#include "cati/account.h"
#include "cati/config.h"
#include "cati/db.h"
#include "cati/error.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_NOTHING = 3 };

struct cli {
    const char *config_opt;    /* -c, or NULL */
    const char *db_opt;        /* -d, or NULL */
    struct cati_config cfg;
    char db_path[1024];
    sqlite3 *db;               /* opened on demand by cli_open/cli_require */
    int db_readonly;
    struct cati_interviewer me; /* filled by cli_require */
    int have_me;
    int in_shell;
};

/* Print "cati: <err>" to stderr and return code. */
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
/* Open the database and identify the user; refuse unless their role is at
 * least min (unknown or disabled logins are refused). 0 or an exit code. */
int cli_require(struct cli *c, enum cati_role min);

/* Reset getopt before parsing a subcommand's options (the shell reuses it). */
void cli_reset_getopt(void);

/* Run one command line (argv[0] = command name). Used by main and the shell. */
int cli_run(struct cli *c, int argc, char **argv);
/* Print the synopsis of one command (or all when name is NULL). 0 if known. */
int cli_help(const char *name, FILE *out);
/* Names of commands and their subcommands, for the shell's completion. */
const char *const *cli_command_names(void);

int cmd_init(struct cli *c, int argc, char **argv);
int cmd_config(struct cli *c, int argc, char **argv);
int cmd_interviewer(struct cli *c, int argc, char **argv);
int cmd_survey(struct cli *c, int argc, char **argv);
int cmd_sample(struct cli *c, int argc, char **argv);
int cmd_case(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_sync(struct cli *c, int argc, char **argv);
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_console(struct cli *c, int argc, char **argv);
int cmd_monitor(struct cli *c, int argc, char **argv);
int cmd_shell(struct cli *c, int argc, char **argv);

#endif
