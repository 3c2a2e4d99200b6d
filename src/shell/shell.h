#ifndef CATI_SHELL_H
#define CATI_SHELL_H
/* `cati shell`: every subcommand at a libedit prompt, with history and tab
 * completion; batch mode when stdin is not a terminal; `sql` for supervisors.
 * libedit is used in src/shell only. */

#include <sqlite3.h>

#include "../cmd/cmd.h"

struct shell {
    struct cli *cli;    /* reused for every command: the database stays open */
    sqlite3 *ro;        /* read-only connection (sql, completion), opened on demand */
    int keep_going;     /* -k: batch mode runs on after a failure */
    int interactive;    /* stdin is a terminal */
};

/* Run the shell (argv: "shell" [-k]). Returns the exit code. */
int shell_main(struct cli *c, int argc, char **argv);

/* Open sh->ro (query_only, writes refused by an authorizer) if it is not open
 * yet. 0, or -1 with err filled. sh keeps it until shell_main returns. */
int shell_ro(struct shell *sh, struct cati_error *err);

/* `sql STATEMENT`: one read statement on sh->ro, printed as an aligned table.
 * Needs the supervisor role. Returns the exit code (2 for refused or failing SQL). */
int shell_sql(struct shell *sh, const char *sql);

/* Tab completion: install the completer for sh (libedit's readline). */
void complete_init(struct shell *sh);

#endif
