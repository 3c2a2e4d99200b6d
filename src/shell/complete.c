/* Tab completion for `cati shell`: libedit's side. What can be completed
 * comes from the command table (cli_complete, src/cmd/complete.c). */
#include "shell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <editline/readline.h>

#include "cati/argv.h"

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

static void cands_cb(void *ctx, const char *word, size_t len)
{
    (void)ctx;
    cands_add(word, len);
}

static sqlite3 *ro_db(void *ctx)
{
    struct cati_error err;
    return shell_ro(ctx, &err) < 0 ? NULL : ((struct shell *)ctx)->ro;
}

/* Decide what the word being completed is, from the words before it (the
 * command table, src/cmd/complete.c). Fills cands; returns -1 when file
 * names should be completed instead. */
static int cands_for(int argc, char **argv, const char *text)
{
    struct cli_completion cc = {.db = ro_db, .add = cands_cb, .ctx = the_shell, .in_shell = 1};
    int rc = cli_complete(&cc, argc, argv, text);
    cands.nocase = cc.nocase;
    return rc;
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
