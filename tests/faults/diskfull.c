/* Disk full, at the core: an interviewer saves a few answers, then the
 * filesystem holding the database is filled. Saving the next answer must
 * fail with a clear message, leave the interview where it was and lose
 * nothing already saved; once space returns (the filler file is deleted)
 * the same answer saves and the interview goes on to its end.
 *
 * Usage: diskfull DB CATI.INI FILLER NOW   (DB on a small filesystem, FILLER
 * a path on it). Prints what happened; exits 1 on a broken property. */
#include "faults.h"

/* Fill the filesystem holding path: write until ENOSPC, in smaller and
 * smaller pieces, so not one byte is left. Returns the bytes written. */
static long long fill(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        die("cannot create %s: %s", path, strerror(errno));
    static char buf[65536];
    long long total = 0;
    for (size_t chunk = sizeof buf; chunk >= 1; chunk /= 4) {
        ssize_t n;
        while ((n = write(fd, buf, chunk)) > 0)
            total += n;
        if (n < 0 && errno != ENOSPC)
            die("filling %s: %s", path, strerror(errno));
    }
    fsync(fd);
    close(fd);
    return total;
}

static long long count(sqlite3 *db, const char *sql, long long id)
{
    struct cati_error err;
    long long n = -1;
    if (db_int(db, sql, NULL, id, -1, &n, &err) < 0)
        die("%s", err.msg);
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 5)
        die("usage: diskfull DB CATI.INI FILLER NOW");
    const char *dbpath = argv[1], *filler = argv[3];
    cati_clock_set((time_t)atoll(argv[4]));
    struct fw w;
    struct cati_error err;
    fw_open(&w, dbpath, argv[2], "w1", 42);
    struct cati_interview *iv = fw_begin(&w, 4, "before the disk filled");
    long long id = interview_id(iv), case_id = interview_case_id(iv);
    /* an empty WAL: the next commit needs new space */
    if (db_exec(w.db, "PRAGMA wal_checkpoint(TRUNCATE)", &err) < 0)
        die("%s", err.msg);
    long long filled = fill(filler);
    printf("diskfull: filled the filesystem with %lld bytes\n", filled);

    const struct cati_question *q = interview_current(iv);
    char buf[256];
    struct iv_feedback fb;
    for (int attempt = 1; attempt <= 3; attempt++) {
        const char *in = fw_make_answer(&w, q, buf, sizeof buf);
        int rc = fw_offer(iv, in, &fb, &err);
        if (rc != IV_ERROR)
            die("attempt %d: an answer saved on a full disk (result %d)", attempt, rc);
        if (!strstr(err.msg, "database or disk is full"))
            die("unclear message on a full disk: %s", err.msg);
        if (interview_current(iv) != q)
            die("the failed save moved the interview on");
        printf("diskfull: answer %d to %s refused: %s\n", attempt, q->name, err.msg);
    }
    /* nothing saved is lost, seen from another connection */
    sqlite3 *other;
    if (db_open(dbpath, DB_OPEN_READONLY, 1000, &other, &err) < 0)
        die("reading on a full disk: %s", err.msg);
    long long saved = count(other, "SELECT count(*) FROM answers WHERE interview_id = ?", id);
    if (saved != 4)
        die("%lld answers stored on a full disk, expected the 4 saved before", saved);
    if (count(other, "SELECT count(*) FROM answer_log WHERE interview_id = ?", id) != 4)
        die("answer_log changed on a full disk");
    db_close(other);

    if (unlink(filler) < 0)
        die("unlink %s: %s", filler, strerror(errno));
    if (fw_answer_one(&w, iv, &err) != IV_OK)
        die("after space returned: %s", err.msg);
    printf("diskfull: space returned: %s saved\n", q->name);
    int more = 1;
    while (interview_current(iv)) {
        if (fw_answer_one(&w, iv, &err) != IV_OK)
            die("after space returned: %s", err.msg);
        more++;
    }
    enum cati_end e = interview_outcome(iv);
    if (fw_record(&w, case_id, fw_outcome_of(e), iv, &err) < 0)
        die("%s", err.msg);
    interview_free(iv);
    saved = count(w.db, "SELECT count(*) FROM answers WHERE interview_id = ?", id);
    if (saved != 4 + more || count(w.db, "SELECT count(*) FROM answer_log WHERE interview_id = ?", id) != saved)
        die("after the interview: %lld answers stored, expected %d", saved, 4 + more);
    printf("diskfull: interview %lld %s with %lld answers, none lost\n", id, script_end_name(e), saved);
    fw_close(&w);
    return 0;
}
