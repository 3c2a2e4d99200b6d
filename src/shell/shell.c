/* `cati shell`: run cati subcommands at a prompt (libedit, history, tab
 * completion) or, when stdin is not a terminal, line by line from stdin. */
#include "shell.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <editline/readline.h>

#include "cati/argv.h"
#include "cati/priv.h"
#include "cati/util.h"

/* libedit behind a few macros, as sqlite3's shell does. */
#define shell_readline(prompt) readline(prompt)
#define shell_add_history(line) add_history(line)
#define shell_stifle_history(n) stifle_history(n)
#define shell_read_history(path) read_history(path)
#define shell_write_history(path) write_history(path)

#define HISTORY_LINES 1000
#define PROMPT "cati> "

#define SHELL_USAGE "shell [-k]   (commands from stdin when it is not a terminal; -k: keep going after a failure)"

/* ---- history ------------------------------------------------------------ */

/* $XDG_STATE_HOME/cati/history, else ~/.local/state/cati/history.
 * Returns 0, or -1 when there is no home directory. */
static int history_path(char *buf, size_t size)
{
    const char *state = getenv("XDG_STATE_HOME");
    int n;
    if (state && state[0] == '/') {
        n = snprintf(buf, size, "%s/cati/history", state);
    } else {
        const char *home = getenv("HOME");
        if (!home || !*home) {
            struct passwd *pw = getpwuid(getuid());
            home = pw ? pw->pw_dir : NULL;
        }
        if (!home || !*home)
            return -1;
        n = snprintf(buf, size, "%s/.local/state/cati/history", home);
    }
    return n > 0 && (size_t)n < size ? 0 : -1;
}

/* mkdir -p of the directory part of path (new directories 0700). */
static int make_parents(const char *path)
{
    char dir[4096];
    cati_strlcpy(dir, path, sizeof dir);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char keep = *p;
            *p = '\0';
            if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return -1;
            *p = keep;
            if (!keep)
                break;
        }
    }
    return 0;
}

/* Find (and create, mode 0600) the history file and load it. Returns 0, or
 * -1 after a warning: the shell then runs without saving history. */
static int history_open(char *path, size_t size)
{
    if (history_path(path, size) < 0) {
        fprintf(stderr, "cati: shell: history not saved: no home directory\n");
        return -1;
    }
    int fd = -1;
    priv_user_begin(); /* the user's own file, as the user (cati/priv.h) */
    if (make_parents(path) < 0 || (fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0600)) < 0) {
        priv_user_end();
        fprintf(stderr, "cati: shell: history not saved: cannot create '%s': %s\n", path,
                strerror(errno));
        return -1;
    }
    close(fd);
    shell_stifle_history(HISTORY_LINES);
    shell_read_history(path); /* an empty file is not an error worth a word */
    priv_user_end();
    return 0;
}

/* ---- running one line --------------------------------------------------- */

/* If line is `sql …` (or `cati sql …`), the raw text after the word, else
 * NULL: SQL is not split into words, its quotes belong to SQL. */
static const char *sql_text(const char *line)
{
    const char *p = line + strspn(line, " \t");
    if (!strncmp(p, "cati", 4) && (p[4] == ' ' || p[4] == '\t'))
        p += 4 + strspn(p + 4, " \t");
    if (strncmp(p, "sql", 3) || (p[3] && p[3] != ' ' && p[3] != '\t' && p[3] != '\n'))
        return NULL;
    return p + 3;
}

/* help [COMMAND]: the synopsis, as `cati help` prints it. At the prompt the
 * shell's own commands follow (not in batch mode, where the text is exactly
 * that of `cati help`); `help sql` works in both. */
static int shell_help(struct shell *sh, int argc, char **argv)
{
    if (argc == 1) {
        cli_help(NULL, sh->interactive, stdout);
        return EXIT_OK;
    }
    return cli_run(sh->cli, argc, argv);
}

/* Run one line. Returns -1 for a blank or comment line, else the exit code;
 * sets *quit for exit/quit. */
static int shell_line(struct shell *sh, const char *line, int *quit)
{
    const char *sql = sql_text(line);
    if (sql)
        return shell_sql(sh, sql);
    int argc;
    char **argv;
    struct cati_error err;
    if (argv_split(line, 0, &argc, &argv, &err) < 0)
        return cli_failf(EXIT_USAGE, "shell: %s", err.msg);
    int rc = -1;
    char **args = argv;
    if (argc > 1 && !strcmp(args[0], "cati")) {
        args++;
        argc--;
    }
    if (argc == 0) {
        rc = -1;
    } else if (!strcmp(args[0], "exit") || !strcmp(args[0], "quit")) {
        long code = 0;
        *quit = 1;
        rc = EXIT_OK;
        if (argc > 2 || (argc == 2 && (cati_parse_long(args[1], &code) < 0 || code < 0 || code > 255))) {
            *quit = 0;
            rc = cli_usage("exit [CODE]   (CODE 0..255)");
        } else {
            rc = (int)code;
        }
    } else if (!strcmp(args[0], "shell")) {
        rc = cli_failf(EXIT_USAGE, "shell: already in the shell");
    } else if (!strcmp(args[0], "help") || !strcmp(args[0], "--help") || !strcmp(args[0], "-h")) {
        rc = shell_help(sh, argc, args);
    } else {
        rc = cli_run(sh->cli, argc, args);
    }
    argv_free(argv);
    fflush(stdout);
    return rc;
}

/* ---- the two loops ------------------------------------------------------ */

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* Read a line. Ctrl-C at the prompt drops the line and asks again (while a
 * command runs, Ctrl-C does what it does outside the shell). NULL at EOF;
 * the caller frees the line. */
static char *shell_prompt(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt; /* no SA_RESTART: readline returns */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    char *line;
    for (;;) {
        interrupted = 0;
        line = shell_readline(PROMPT);
        if (line || !interrupted)
            break;
        fputs("^C\n", stdout);
        fflush(stdout);
    }
    sigaction(SIGINT, &old, NULL);
    return line;
}

static int shell_interactive(struct shell *sh)
{
    char path[4096];
    /* libedit owns the terminal line: its own stream on fd 1, since stdout
     * goes through the sanitiser (src/cmd/out.c) */
    if (!rl_outstream)
        rl_outstream = fdopen(dup(STDOUT_FILENO), "w");
    int save = history_open(path, sizeof path) == 0;
    complete_init(sh);
    rl_readline_name = "cati"; /* ~/.editrc lines may start with "cati:" */
    if (!save) { /* else loading the history set libedit up, reading ~/.editrc as the user */
        priv_user_begin(); /* ~/.editrc, read as the user (cati/priv.h) */
        rl_initialize();
        priv_user_end();
    }
    printf("cati shell: 'help' lists the commands, Tab completes, 'exit' or Ctrl-D leaves\n");
    fflush(stdout);
    char *last = NULL;
    int quit = 0, rc = EXIT_OK;
    while (!quit) {
        char *line = shell_prompt();
        if (!line) {
            putchar('\n');
            break;
        }
        if (line[strspn(line, " \t")] && (!last || strcmp(last, line))) {
            shell_add_history(line);
            priv_user_begin();
            if (save && shell_write_history(path) != 0)
                save = 0;
            priv_user_end();
            free(last);
            last = strdup(line);
        }
        int r = shell_line(sh, line, &quit);
        if (quit)
            rc = r;
        free(line);
    }
    free(last);
    priv_user_begin();
    if (save)
        shell_write_history(path);
    priv_user_end();
    clear_history();
    return rc;
}

static int shell_batch(struct shell *sh)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0;
    int quit = 0, rc = EXIT_OK;
    while (!quit && (len = getline(&line, &cap, stdin)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        int r = shell_line(sh, line, &quit);
        if (quit) {
            if (r != EXIT_OK || !sh->keep_going)
                rc = r;
            break;
        }
        if (r <= 0)
            continue;
        rc = r;
        if (!sh->keep_going) {
            fprintf(stderr, "cati: shell: stopped at line %ld (exit %d)\n", lineno, r);
            break;
        }
    }
    free(line);
    return rc;
}

int shell_main(struct cli *c, int argc, char **argv)
{
    struct shell sh = {.cli = c};
    int opt;
    while ((opt = getopt(argc, argv, "k")) != -1) {
        if (opt != 'k')
            return cli_usage(SHELL_USAGE);
        sh.keep_going = 1;
    }
    if (optind != argc)
        return cli_usage(SHELL_USAGE);
    if (c->in_shell)
        return cli_failf(EXIT_USAGE, "shell: already in the shell");
    c->in_shell = 1;
    sh.interactive = isatty(STDIN_FILENO);
    int rc = sh.interactive ? shell_interactive(&sh) : shell_batch(&sh);
    db_close(sh.ro);
    c->in_shell = 0;
    return rc;
}
