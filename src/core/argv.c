#include "cati/argv.h"

#include <stdlib.h>
#include <string.h>

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

void argv_free(char **argv)
{
    free(argv);
}

/* One block: the pointer array, then the words copied from line (a word is
 * never longer than its source text, so len + 1 bytes hold them all). */
int argv_split(const char *line, unsigned flags, int *argc, char ***argv, struct cati_error *err)
{
    size_t len = strlen(line);
    size_t maxwords = len / 2 + 2; /* a word needs a character and a blank after it */
    *argv = NULL;
    *argc = 0;
    char **words = malloc((maxwords + 1) * sizeof *words + len + 1);
    if (!words)
        return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
    char *out = (char *)(words + maxwords + 1);
    int n = 0;
    const char *p = line;
    while (is_blank(*p))
        p++;
    if (*p == '#')
        p += strlen(p);
    while (*p) {
        words[n++] = out;
        while (*p && !is_blank(*p)) {
            if (*p == '\'' || *p == '"') {
                char q = *p;
                const char *open = p++;
                while (*p && *p != q) {
                    if (q == '"' && *p == '\\' && (p[1] == '"' || p[1] == '\\'))
                        p++;
                    *out++ = *p++;
                }
                if (!*p) {
                    if (flags & ARGV_LENIENT)
                        break;
                    free(words);
                    return cati_error_set(err, "unterminated %c quote at column %d", q,
                                          (int)(open - line) + 1);
                }
                p++; /* the closing quote */
            } else if (*p == '\\') {
                if (!p[1]) {
                    if (flags & ARGV_LENIENT) {
                        p++;
                        break;
                    }
                    free(words);
                    return cati_error_set(err, "line ends with a backslash");
                }
                *out++ = p[1];
                p += 2;
            } else {
                *out++ = *p++;
            }
        }
        *out++ = '\0';
        while (is_blank(*p))
            p++;
    }
    words[n] = NULL;
    *argc = n;
    *argv = words;
    return 0;
}
