#ifndef CATI_ATOMIC_H
#define CATI_ATOMIC_H
/* Writing a file atomically: readers see the old file or the whole new
 * one, never a part. A temporary file is made in the target's directory
 * (mkstemp), written, fsync'd and closed, renamed over the target, and the
 * directory is fsync'd. On any error the temporary file is removed. */

#include <stdio.h>
#include <sys/types.h>

#include "cati/error.h"

struct atomic_file {
    FILE *f;         /* write the content here */
    char *tmp;       /* temporary path (owned) */
    char *path;      /* final path (owned) */
};

/* Create the temporary file for path with permissions exactly mode (the
 * umask does not apply: the files get the modes cati(1) states). On success af->f is open for writing; finish with atomic_commit
 * or atomic_abort. Returns 0 or -1 (err says why, naming path). */
int atomic_open(struct atomic_file *af, const char *path, mode_t mode, struct cati_error *err);

/* Flush, fsync, close, rename over the target, fsync the directory.
 * Returns 0, or -1 after removing the temporary file (the target is left
 * as it was). Either way af's memory is released. */
int atomic_commit(struct atomic_file *af, struct cati_error *err);

/* Give up: close and remove the temporary file, release af. Safe to call
 * on a zeroed or already finished af. */
void atomic_abort(struct atomic_file *af);

#endif
