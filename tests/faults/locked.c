/* Locked database, at the core: another process holds the write lock
 * (BEGIN IMMEDIATE) for longer than the busy timeout. Saving an answer,
 * recording a call and claiming a case must report that the database is
 * busy and change nothing; after the lock is released the same answer saves
 * once. The holder is then killed while it holds the lock: the kernel
 * drops a dead process's locks, so the next save just works.
 *
 * Usage: locked DB CATI.INI NOW   (cati.ini with a short busy_timeout_ms)
 * Prints what happened; exits 1 on a broken property. */
#include <signal.h>
#include <sys/wait.h>

#include "faults.h"

struct holder {
    pid_t pid;
    int go;   /* write end: a byte (or EOF) releases the lock */
};

/* `locked hold DB`: take the write lock, say 'L' on stdout, keep it until
 * stdin gives a byte or ends. A separate program (exec'd), so no SQLite
 * state crosses the fork. */
static int holder_main(const char *dbpath)
{
    sqlite3 *db;
    char c = 'L';
    if (sqlite3_open(dbpath, &db) != SQLITE_OK ||
        sqlite3_exec(db, "BEGIN IMMEDIATE; UPDATE cases SET priority = priority", NULL, NULL, NULL) != SQLITE_OK)
        c = 'E';
    if (write(1, &c, 1) != 1 || c != 'L')
        return 1;
    ssize_t n = read(0, &c, 1); /* until released */
    (void)n;
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    return 0;
}

/* Start a process that takes the write lock and keeps it until told. */
static struct holder hold_lock(const char *dbpath)
{
    int ready[2], go[2];
    if (pipe(ready) < 0 || pipe(go) < 0)
        die("pipe: %s", strerror(errno));
    struct holder h = {fork(), go[1]};
    if (h.pid < 0)
        die("fork: %s", strerror(errno));
    if (h.pid == 0) {
        dup2(go[0], 0);
        dup2(ready[1], 1);
        close(ready[0]);
        close(go[1]);
        execl("/proc/self/exe", "locked", "hold", dbpath, (char *)NULL);
        _exit(127);
    }
    close(ready[1]);
    close(go[0]);
    char c = 0;
    if (read(ready[0], &c, 1) != 1 || c != 'L')
        die("the lock holder could not take the lock");
    close(ready[0]);
    return h;
}

static void release(struct holder *h, int kill_it)
{
    if (kill_it)
        kill(h->pid, SIGKILL);
    else if (write(h->go, "x", 1) != 1)
        die("releasing the lock: %s", strerror(errno));
    int status;
    if (waitpid(h->pid, &status, 0) != h->pid)
        die("waitpid: %s", strerror(errno));
    close(h->go);
}

static long long count(sqlite3 *db, const char *sql, long long id, const char *q)
{
    struct cati_error err;
    long long n = -1;
    if (db_int(db, sql, q, id, -1, &n, &err) < 0)
        die("%s", err.msg);
    return n;
}

static void expect_busy(int rc, const struct cati_error *err, const char *what)
{
    if (rc >= 0 && rc != IV_ERROR)
        die("%s went through while another process held the write lock", what);
    if (!strstr(err->msg, "the database is busy"))
        die("%s: unclear message while locked: %s", what, err->msg);
    printf("locked: %s refused: %s\n", what, err->msg);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "hold"))
        return holder_main(argv[2]);
    if (argc != 4)
        die("usage: locked DB CATI.INI NOW");
    const char *dbpath = argv[1];
    cati_clock_set((time_t)atoll(argv[3]));
    struct fw w, w2;
    struct cati_error err;
    fw_open(&w, dbpath, argv[2], "w1", 7);
    fw_open(&w2, dbpath, argv[2], "w2", 8);
    struct cati_interview *iv = fw_begin(&w, 3, "before the lock");
    long long id = interview_id(iv), case_id = interview_case_id(iv);

    for (int round = 0; round < 2; round++) {
        const struct cati_question *q = interview_current(iv);
        char buf[256], answer[256];
        cati_strlcpy(answer, fw_make_answer(&w, q, buf, sizeof buf), sizeof answer);
        struct holder h = hold_lock(dbpath);
        struct iv_feedback fb;
        int rc = fw_offer(iv, answer, &fb, &err);

        expect_busy(rc, &err, "saving an answer");
        if (interview_current(iv) != q)
            die("the refused save moved the interview on");
        /* readers are not blocked: nothing was written */
        if (count(w2.db, "SELECT count(*) FROM answers WHERE question = ? AND interview_id = ?", id, q->name) ||
            count(w2.db, "SELECT count(*) FROM answer_log WHERE interview_id = ?", id, NULL) != 3 + round)
            die("the refused save left rows behind");
        struct queue_claim other;
        expect_busy(queue_claim_next(w2.db, &w2.cfg, &w2.who, 0, &other, &err), &err, "claiming a case");
        struct schedule_call call = {.outcome = "busy", .at = 0, .note = NULL, .flags = 0};
        struct schedule_result res;
        expect_busy(schedule_record(w.db, &w.cfg, case_id, &w.who, &call, &res, &err), &err,
                    "recording a call");
        release(&h, round == 1);
        printf("locked: lock %s\n", round == 1 ? "holder killed (SIGKILL) while holding it" : "released");
        /* the retry: the same answer, saved once */
        rc = fw_offer(iv, answer, &fb, &err);
        if (rc != IV_OK)
            die("retry after the lock went: result %d: %s", rc, err.msg);
        if (count(w2.db, "SELECT count(*) FROM answers WHERE question = ? AND interview_id = ?", id, q->name) != 1 ||
            count(w2.db, "SELECT count(*) FROM answer_log WHERE question = ? AND interview_id = ?", id, q->name) != 1)
            die("the retried answer to %s is not stored exactly once", q->name);
        printf("locked: retry saved %s once (answers 1 row, answer_log 1 row)\n", q->name);
    }
    while (interview_current(iv))
        if (fw_answer_one(&w, iv, &err) != IV_OK)
            die("%s", err.msg);
    enum cati_end e = interview_outcome(iv);
    if (fw_record(&w, case_id, fw_outcome_of(e), iv, &err) < 0)
        die("%s", err.msg);
    interview_free(iv);
    long long answers = count(w.db, "SELECT count(*) FROM answers WHERE interview_id = ?", id, NULL);
    long long log = count(w.db, "SELECT count(*) FROM answer_log WHERE interview_id = ?", id, NULL);
    long long calls = count(w.db, "SELECT count(*) FROM calls WHERE case_id = ?", case_id, NULL);
    if (answers != log || calls != 1)
        die("after the interview: %lld answers, %lld log rows, %lld calls", answers, log, calls);
    printf("locked: interview %lld %s: %lld answers, %lld answer_log rows, 1 call; none lost or doubled\n",
           id, script_end_name(e), answers, log);
    fw_close(&w);
    fw_close(&w2);
    return 0;
}
