/* Every text cati prints on standard output and standard error goes
 * through the one sanitiser (cati/visible.h): a sample's name, a note, an
 * answer or a line of an input file cannot send a terminal control
 * sequence. The two owners of the terminal, curses (console, monitor) and
 * libedit (shell prompt), write to it through their own stream and show
 * control characters themselves. */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "cati/visible.h"

struct guard {
    int fd;
    struct cati_visible v;
};

static int put_fd(void *ctx, const char *b, size_t n)
{
    int fd = *(int *)ctx;
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

static ssize_t guard_write(void *c, const char *buf, size_t n)
{
    struct guard *g = c;
    return cati_visible_write(&g->v, buf, n, 0, put_fd, &g->fd) < 0 ? -1 : (ssize_t)n;
}

static int guard_close(void *c)
{
    struct guard *g = c;
    return cati_visible_write(&g->v, "", 0, 1, put_fd, &g->fd);
}

void out_guard(void)
{
    static struct guard out = {.fd = STDOUT_FILENO}, err = {.fd = STDERR_FILENO};
    cookie_io_functions_t io = {.read = NULL, .write = guard_write, .seek = NULL, .close = guard_close};
    FILE *o = fopencookie(&out, "w", io), *e = fopencookie(&err, "w", io);
    if (!o || !e) {
        if (o)
            fclose(o);
        if (e)
            fclose(e);
        return; /* out of memory at start: print as before */
    }
    setvbuf(o, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ);
    setvbuf(e, NULL, _IOLBF, BUFSIZ);
    fflush(stdout);
    fflush(stderr);
    stdout = o;
    stderr = e;
}
