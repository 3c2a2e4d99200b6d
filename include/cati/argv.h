#ifndef CATI_ARGV_H
#define CATI_ARGV_H
/* Splitting a command line into words, as the shell does for `cati shell`.
 *
 * Words are separated by blanks (space, tab, CR, LF, VT, FF). Pieces join into
 * one word when nothing separates them (--note="no one home" is one word):
 *   'single quotes'  everything up to the next ' is literal
 *   "double quotes"  literal except \" and \\ (a backslash before anything
 *                    else is kept as it is)
 *   \c               outside quotes: the character c itself
 * A line whose first non-blank character is # is a comment and has no words. */

#include "cati/error.h"

enum {
    ARGV_LENIENT = 1 /* an unterminated quote or a final backslash ends the
                        last word instead of failing (for tab completion) */
};

/* Split line into words. On success returns 0 and sets *argc and *argv: a
 * NULL-terminated array of *argc strings, allocated as one block that the
 * caller releases with argv_free() (the words may be reordered, as getopt
 * does, before freeing). On failure returns -1, fills err ("unterminated \"
 * quote at column 7", "line ends with a backslash") and sets *argv to NULL. */
int argv_split(const char *line, unsigned flags, int *argc, char ***argv, struct cati_error *err);

/* Release what argv_split returned (NULL is fine). */
void argv_free(char **argv);

#endif
