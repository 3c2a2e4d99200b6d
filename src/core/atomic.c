/* Atomic file replacement: temp file in the same directory, fsync, rename,
 * fsync the directory (standards.md §4). The temp file is unnamed
 * (O_TMPFILE) until it is complete, so a process killed while writing
 * leaves nothing behind; it gets its hidden name only at commit, for the
 * rename. Where the filesystem has no O_TMPFILE, a named hidden file of
 * mode 0600 is used as before. */
#include "cati/atomic.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cati/priv.h"

/* Every file operation here is on a file a user named (an export): done as
 * the real user (cati/priv.h), so a set-group-ID cati writes only where its
 * user may, and the files belong to the user's group. */

static void release(struct atomic_file *af)
{
    if (af->fd >= 0 && !af->f)
        close(af->fd);
    af->fd = -1;
    free(af->tmp);
    free(af->path);
    af->tmp = af->path = NULL;
    af->f = NULL;
}

/* The hidden sibling name ".NAME.XXXXXX" of path into tmp. */
static void hidden_name(const char *path, char *tmp, size_t size)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    snprintf(tmp, size, "%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
}

/* Remove hidden siblings ".NAME.XXXXXX" of path that a killed writer left
 * (named temporary files only: unnamed ones never outlive their process). */
static void remove_stale(const char *path)
{
    char *copy = strdup(path), *copy2 = strdup(path);
    if (!copy || !copy2) {
        free(copy);
        free(copy2);
        return;
    }
    const char *dir = dirname(copy), *base = basename(copy2);
    DIR *d = opendir(dir);
    size_t bl = strlen(base);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        const char *nm = e->d_name;
        if (nm[0] == '.' && !strncmp(nm + 1, base, bl) && nm[1 + bl] == '.' && strlen(nm + 2 + bl) == 6)
            unlinkat(dirfd(d), nm, 0);
    }
    if (d)
        closedir(d);
    free(copy);
    free(copy2);
}

static int open_tmp(struct atomic_file *af, const char *path, mode_t mode, int named,
                    struct cati_error *err);

int atomic_open(struct atomic_file *af, const char *path, mode_t mode, struct cati_error *err)
{
    priv_user_begin();
    int rc = open_tmp(af, path, mode, 0, err);
    priv_user_end();
    return rc;
}

int atomic_open_named(struct atomic_file *af, const char *path, mode_t mode, struct cati_error *err)
{
    priv_user_begin();
    remove_stale(path);
    int rc = open_tmp(af, path, mode, 1, err);
    priv_user_end();
    return rc;
}

static int open_tmp(struct atomic_file *af, const char *path, mode_t mode, int named,
                    struct cati_error *err)
{
    memset(af, 0, sizeof *af);
    af->fd = -1;
    size_t n = strlen(path);
    af->path = strdup(path);
    af->tmp = malloc(n + 32);
    af->mode = mode;
    if (!af->path || !af->tmp) {
        release(af);
        return cati_error_set(err, "cannot write '%s': out of memory", path);
    }
    /* same directory, same filesystem */
    char *copy = strdup(path);
    int fd = copy && !named ? open(dirname(copy), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600) : -1;
    free(copy);
    if (fd >= 0) {
        af->unnamed = 1;
        snprintf(af->tmp, n + 32, "/proc/self/fd/%d", fd); /* opens it by path, e.g. for SQLite */
    } else {
        hidden_name(path, af->tmp, n + 32);
        fd = mkstemp(af->tmp); /* mode 0600 until commit */
    }
    if (fd < 0) {
        int e = errno;
        release(af);
        return cati_error_set(err, "cannot write '%s': %s", path, strerror(e));
    }
    af->fd = fd;
    if (!(af->f = fdopen(fd, "w"))) {
        int e = errno;
        if (!af->unnamed)
            unlink(af->tmp);
        release(af);
        return cati_error_set(err, "cannot write '%s': %s", path, strerror(e));
    }
    return 0;
}

/* Give the complete unnamed file its hidden name (tmp), for the rename. */
static int name_it(struct atomic_file *af)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", af->fd);
    for (int tries = 0; tries < 100; tries++) {
        hidden_name(af->path, af->tmp, strlen(af->path) + 32);
        char *x = af->tmp + strlen(af->tmp) - 6;
        static const char az[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        for (int i = 0; i < 6; i++)
            x[i] = az[(unsigned)rand() % (sizeof az - 1)];
        if (linkat(AT_FDCWD, proc, AT_FDCWD, af->tmp, AT_SYMLINK_FOLLOW) == 0)
            return 0;
        if (errno != EEXIST)
            return -1;
    }
    return -1;
}

static int fsync_dir(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

static int commit(struct atomic_file *af, struct cati_error *err);

int atomic_commit(struct atomic_file *af, struct cati_error *err)
{
    priv_user_begin();
    int rc = commit(af, err);
    priv_user_end();
    return rc;
}

static int commit(struct atomic_file *af, struct cati_error *err)
{
    if (!af->f)
        return cati_error_set(err, "cannot write: no file open");
    int e = 0;
    errno = 0;
    if (fflush(af->f) == EOF || ferror(af->f))
        e = errno ? errno : EIO;
    /* exactly mode, whatever the umask: the modes cati(1) states */
    if (!e && fchmod(af->fd, af->mode) < 0)
        e = errno;
    if (!e && fsync(af->fd) < 0)
        e = errno;
    int named = !af->unnamed;
    if (!e && af->unnamed) {
        if (name_it(af) < 0)
            e = errno ? errno : EIO;
        else
            named = 1;
    }
    if (fclose(af->f) == EOF && !e)
        e = errno;
    af->f = NULL;
    af->fd = -1;
    if (!e && rename(af->tmp, af->path) < 0)
        e = errno;
    if (e) {
        if (named)
            unlink(af->tmp);
        cati_error_set(err, "cannot write '%s': %s", af->path, strerror(e));
        release(af);
        return -1;
    }
    /* renamed: the new content is in place; make the rename itself durable */
    if (fsync_dir(af->path) < 0) {
        e = errno;
        cati_error_set(err, "cannot sync the directory of '%s': %s", af->path, strerror(e));
        release(af);
        return -1;
    }
    release(af);
    return 0;
}

void atomic_abort(struct atomic_file *af)
{
    if (af->f)
        fclose(af->f);
    af->f = NULL;
    af->fd = -1;
    if (af->tmp && !af->unnamed) {
        priv_user_begin();
        unlink(af->tmp);
        priv_user_end();
    }
    release(af);
}
