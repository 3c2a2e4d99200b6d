#ifndef CATI_ATOMIC_H
#define CATI_ATOMIC_H
/* Writing a file atomically: readers see the old file or the whole new
 * one, never a part. A temporary file is made in the target's directory,
 * unnamed (O_TMPFILE) where the filesystem allows, else a hidden file of
 * mode 0600; it is written, fsync'd, given its mode and a hidden name,
 * renamed over the target, and the directory is fsync'd. On any error, or
 * when the process is killed while writing, no temporary file is left
 * (an unnamed one disappears with the process). */

#include <stdio.h>
#include <sys/types.h>

#include "cati/error.h"

struct atomic_file {
    FILE *f;         /* write the content here */
    char *tmp;       /* a path that opens the temporary file (owned) */
    char *path;      /* final path (owned) */
    int fd;          /* of f */
    int unnamed;     /* O_TMPFILE: no name until commit */
    mode_t mode;     /* given at commit */
};

/* Create the temporary file for path with permissions exactly mode (the
 * umask does not apply: the files get the modes cati(1) states). On success af->f is open for writing; finish with atomic_commit
 * or atomic_abort. Returns 0 or -1 (err says why, naming path). */
int atomic_open(struct atomic_file *af, const char *path, mode_t mode, struct cati_error *err);

/* The same with a named hidden temporary file (mode 0600 until commit), for
 * writers that must open it by its path (SQLite). Stale ones that a killed
 * writer left beside path are removed first. */
int atomic_open_named(struct atomic_file *af, const char *path, mode_t mode, struct cati_error *err);

/* Flush, fsync, close, rename over the target, fsync the directory.
 * Returns 0, or -1 after removing the temporary file (the target is left
 * as it was). Either way af's memory is released. */
int atomic_commit(struct atomic_file *af, struct cati_error *err);

/* Give up: close and remove the temporary file, release af. Safe to call
 * on a zeroed or already finished af. */
void atomic_abort(struct atomic_file *af);

#endif
