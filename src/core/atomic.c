/* Atomic file replacement: temp file in the same directory, fsync, rename,
 * fsync the directory (standards.md §4). */
#include "cati/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void release(struct atomic_file *af)
{
    free(af->tmp);
    free(af->path);
    af->tmp = af->path = NULL;
    af->f = NULL;
}

int atomic_open(struct atomic_file *af, const char *path, mode_t mode, struct cati_error *err)
{
    memset(af, 0, sizeof *af);
    size_t n = strlen(path);
    af->path = strdup(path);
    af->tmp = malloc(n + sizeof ".tmp.XXXXXX");
    if (!af->path || !af->tmp) {
        release(af);
        return cati_error_set(err, "cannot write '%s': out of memory", path);
    }
    /* the temporary name is a hidden sibling: same directory, same filesystem */
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    memcpy(af->tmp, path, dirlen);
    snprintf(af->tmp + dirlen, n - dirlen + sizeof ".tmp.XXXXXX", ".%s.XXXXXX", path + dirlen);
    int fd = mkstemp(af->tmp);
    if (fd < 0) {
        int e = errno;
        release(af);
        return cati_error_set(err, "cannot write '%s': %s", path, strerror(e));
    }
    /* exactly mode, whatever the umask: the modes cati(1) states */
    if (fchmod(fd, mode) < 0 || !(af->f = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        unlink(af->tmp);
        release(af);
        return cati_error_set(err, "cannot write '%s': %s", path, strerror(e));
    }
    return 0;
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

int atomic_commit(struct atomic_file *af, struct cati_error *err)
{
    if (!af->f)
        return cati_error_set(err, "cannot write: no file open");
    int e = 0;
    errno = 0;
    if (fflush(af->f) == EOF || ferror(af->f))
        e = errno ? errno : EIO;
    if (!e && fsync(fileno(af->f)) < 0)
        e = errno;
    if (fclose(af->f) == EOF && !e)
        e = errno;
    af->f = NULL;
    if (!e && rename(af->tmp, af->path) < 0)
        e = errno;
    if (e) {
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
    if (af->tmp)
        unlink(af->tmp);
    release(af);
}
