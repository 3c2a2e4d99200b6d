/* Crash at any point: interviewers (worker processes, see faults.h) answer
 * ServE interviews flat out while this parent kills them with SIGKILL at
 * random moments — some after a random delay, some just after an answer was
 * acknowledged, to land inside the next commit. After every round:
 *   - PRAGMA integrity_check is ok and no foreign key is broken;
 *   - every acknowledged answer is in the database, with its value;
 *   - each open interview reopens (interview_load) at the right question:
 *     the one after the last acknowledged answer, or the one after that
 *     when that answer's commit landed but its acknowledgement did not;
 *   - a case a dead worker held is not offered while its lease runs, and
 *     is offered again (queue_claim_next) once the clock passes the lease.
 * At the end the workers run again without kills and finish their cases.
 *
 * Usage: crash DB CATI.INI KILLS SEED NOW   (NOW: the pinned clock, seconds)
 *        crash worker DB CATI.INI LOGIN SEED ACKFILE NOW [--finish]
 * Prints "crash: N kills survived, A answers acknowledged, L lost, …";
 * exits 1 on the first broken property. */
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "faults.h"

#define NWORKERS 2

static const char *const logins[NWORKERS] = {"w1", "w2"};

/* --- the worker ------------------------------------------------------------------ */

static int worker(int argc, char **argv)
{
    if (argc < 7)
        die("usage: crash worker DB CATI.INI LOGIN SEED ACKFILE NOW [--finish]");
    int finish = argc > 7 && !strcmp(argv[7], "--finish");
    cati_clock_set((time_t)atoll(argv[6]));
    struct fw w;
    fw_open(&w, argv[1], argv[2], argv[3], (unsigned)atoi(argv[4]));
    if ((w.ack = open(argv[5], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)) < 0)
        die("cannot open %s: %s", argv[5], strerror(errno));
    struct cati_error err;
    for (;;) {
        /* --finish: only the case this interviewer still holds */
        if (finish) {
            long long held = 0;
            if (db_int(w.db, "SELECT count(*) FROM cases WHERE claimed_by = ?", NULL, w.who.id, 0,
                       &held, &err) < 0)
                die("%s", err.msg);
            if (!held)
                break;
        }
        int rc = fw_case(&w, &err);
        if (rc < 0)
            die("%s: %s", w.who.login, err.msg);
        if (rc == 0)
            break; /* nothing due: the sample is used up */
    }
    fw_close(&w);
    return 0;
}

/* --- what was acknowledged --------------------------------------------------------- */

struct expect {
    long long iv;
    char q[CATI_NAME_MAX];
    char status[8];
    char *value;
    int acked;  /* 0: committed without its acknowledgement (found after a kill) */
};

static struct expect *exps;
static size_t nexp, capexp;
static long acked_total, lost, unacked_found;

static void expect_add(long long iv, const char *q, const char *status, const char *value, int acked)
{
    for (size_t i = 0; i < nexp; i++)
        if (exps[i].iv == iv && !strcmp(exps[i].q, q))
            die("answer %lld/%s saved twice: the workers never change an answer", iv, q);
    if (nexp == capexp) {
        capexp = capexp ? capexp * 2 : 1024;
        if (!(exps = realloc(exps, capexp * sizeof *exps)))
            die("out of memory");
    }
    struct expect *e = &exps[nexp++];
    e->iv = iv;
    cati_strlcpy(e->q, q, sizeof e->q);
    cati_strlcpy(e->status, status, sizeof e->status);
    if (!(e->value = cati_strdup(value)))
        die("out of memory");
    e->acked = acked;
}

static int expected(long long iv, const char *q)
{
    for (size_t i = 0; i < nexp; i++)
        if (exps[i].iv == iv && !strcmp(exps[i].q, q))
            return 1;
    return 0;
}

/* Read the acknowledgement lines a worker wrote since *off (whole lines only). */
static void read_acks(const char *path, long *off)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    fseek(f, *off, SEEK_SET);
    char line[1200];
    while (fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        if (!n || line[n - 1] != '\n')
            break; /* a torn last line was not acknowledged */
        *off += (long)n;
        line[n - 1] = '\0';
        if (line[0] != 'A')
            continue;
        long long iv;
        char q[CATI_NAME_MAX], status[8];
        int at = 0;
        if (sscanf(line, "A %lld %63s %7s %n", &iv, q, status, &at) < 3)
            die("bad acknowledgement line '%s'", line);
        const char *value = at ? line + at : "";
        /* "A 1 q value " then the value; an empty value leaves no space */
        expect_add(iv, q, status, value, 1);
        acked_total++;
    }
    fclose(f);
}

/* --- the checks after a kill ------------------------------------------------------- */

static sqlite3 *check_open(const char *path, const struct cati_config *cfg)
{
    sqlite3 *db;
    struct cati_error err;
    if (db_open(path, DB_OPEN_EXISTING, cfg->busy_timeout_ms, &db, &err) < 0)
        die("reopening after the kill: %s", err.msg);
    return db;
}

static void check_integrity(sqlite3 *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
        die("integrity_check: %s", sqlite3_errmsg(db));
    if (sqlite3_step(st) != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(st, 0), "ok"))
        die("integrity_check: %s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK)
        die("foreign_key_check: %s", sqlite3_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW)
        die("foreign_key_check: a broken reference in %s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

/* Every expected answer is stored, on the route, with its value. */
static void check_answers(sqlite3 *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT status, value, on_route FROM answers WHERE interview_id = ? "
                               "AND question = ?", -1, &st, NULL) != SQLITE_OK)
        die("%s", sqlite3_errmsg(db));
    for (size_t i = 0; i < nexp; i++) {
        struct expect *e = &exps[i];
        sqlite3_bind_int64(st, 1, e->iv);
        sqlite3_bind_text(st, 2, e->q, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW) {
            fprintf(stderr, "crash: LOST: interview %lld question %s (%s)\n", e->iv, e->q,
                    e->acked ? "acknowledged" : "found after an earlier kill");
            lost++;
        } else if (strcmp((const char *)sqlite3_column_text(st, 0), e->status) ||
                   strcmp((const char *)sqlite3_column_text(st, 1), e->value) ||
                   !sqlite3_column_int(st, 2)) {
            fprintf(stderr, "crash: CHANGED: interview %lld question %s: %s '%s', expected %s '%s'\n",
                    e->iv, e->q, sqlite3_column_text(st, 0), sqlite3_column_text(st, 1), e->status,
                    e->value);
            lost++;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
}

/* Each open interview resumes right after its last saved answer, and the
 * saved answers are the acknowledged ones plus at most the one whose
 * acknowledgement the kill cut off (which becomes expected from now on). */
static int check_resume(sqlite3 *db, const struct cati_config *cfg)
{
    sqlite3_stmt *st, *ans;
    struct cati_error err;
    int extras = 0, resumes = 0;
    if (sqlite3_prepare_v2(db, "SELECT id FROM interviews WHERE outcome IS NULL", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT question, status, value, on_route FROM answers WHERE interview_id = ? "
                               "ORDER BY seq", -1, &ans, NULL) != SQLITE_OK)
        die("%s", sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        struct cati_interview *iv;
        static const struct cati_interviewer reader = {.login = "checker"};
        if (interview_load(db, cfg, &reader, id, &iv, &err) < 0)
            die("interview %lld does not reopen: %s", id, err.msg);
        const struct cati_script *s = interview_script(iv);
        int path[512], total = 0;
        int n = interview_path(iv, path, 512, &total);
        const struct cati_question *cur = interview_current(iv);
        /* an interview killed after its last answer, before its call was
         * recorded, reopens at its end (never as a new interview) */
        if (!cur && interview_outcome(iv) == END_NONE)
            die("open interview %lld reopens past its end without an end", id);
        const char *curname = cur ? cur->name : "";
        /* the stored answers, in path order, are exactly the path before the cursor */
        sqlite3_bind_int64(ans, 1, id);
        int k = 0, fresh = 0;
        while (sqlite3_step(ans) == SQLITE_ROW) {
            const char *q = (const char *)sqlite3_column_text(ans, 0);
            if (!sqlite3_column_int(ans, 3))
                die("interview %lld: answer %s off the route, but no answer was changed", id, q);
            if (k >= n || strcmp(s->questions[path[k]].name, q))
                die("interview %lld: stored answer %s is not question %d of the path resumed", id, q,
                    k + 1);
            if (!strcmp(q, curname))
                die("interview %lld resumes at %s, which is already answered", id, q);
            if (!expected(id, q)) {
                /* committed, not acknowledged: only the last one before the cursor */
                fresh++;
                if (k != n - 1)
                    die("interview %lld: unacknowledged answer %s is not the last one saved", id, q);
                expect_add(id, q, (const char *)sqlite3_column_text(ans, 1),
                           (const char *)sqlite3_column_text(ans, 2), 0);
                unacked_found++;
            }
            k++;
        }
        sqlite3_reset(ans);
        if (k != n)
            die("interview %lld resumes at %s, question %d of its path, but %d answers are stored", id,
                cur ? curname : "its end", n + 1, k);
        if (fresh > 1)
            die("interview %lld: %d saved answers were never acknowledged", id, fresh);
        extras += fresh;
        resumes++;
        interview_free(iv);
    }
    sqlite3_finalize(ans);
    sqlite3_finalize(st);
    if (extras > NWORKERS)
        die("%d unacknowledged answers after killing %d workers", extras, NWORKERS);
    return resumes;
}

/* On a copy of the database: the cases the dead workers hold stay held
 * until their lease ends, then the queue offers them again. */
static int check_leases(sqlite3 *db, const char *dbpath, const struct cati_config *cfg, time_t now)
{
    char copy[1100];
    snprintf(copy, sizeof copy, "%s.leasecheck", dbpath);
    unlink(copy);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "VACUUM INTO ?", -1, &st, NULL) != SQLITE_OK)
        die("%s", sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, copy, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        die("copying the database: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);

    sqlite3 *c = check_open(copy, cfg);
    struct cati_error err;
    if (db_exec(c, "PRAGMA synchronous=OFF", &err) < 0)
        die("%s", err.msg);
    long long held[NWORKERS], until = 0;
    int nheld = 0;
    if (sqlite3_prepare_v2(c, "SELECT id, lease_until FROM cases WHERE claimed_by IS NOT NULL", -1, &st,
                           NULL) != SQLITE_OK)
        die("%s", sqlite3_errmsg(c));
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (nheld == NWORKERS)
            die("more cases held than workers");
        held[nheld++] = sqlite3_column_int64(st, 0);
        long long u = sqlite3_column_int64(st, 1);
        if (u > now + cfg->lease_minutes * 60LL)
            die("case %lld leased until %lld, past the lease of %d minutes", held[nheld - 1], u,
                cfg->lease_minutes);
        if (u > until)
            until = u;
    }
    sqlite3_finalize(st);
    /* the held cases first in the queue, so they are what is offered */
    if (db_exec(c, "UPDATE cases SET priority = 1000 WHERE claimed_by IS NOT NULL", &err) < 0)
        die("%s", err.msg);
    struct cati_interviewer who;
    if (account_find(c, "checker", &who, &err) < 0)
        die("no interviewer 'checker'");
    struct queue_claim cl;
    for (int i = 0; i < nheld; i++) { /* while the lease runs: not offered */
        if (queue_claim_next(c, cfg, &who, QUEUE_CLAIM_ANOTHER, &cl, &err) < 0)
            die("%s", err.msg);
        for (int j = 0; j < nheld; j++)
            if (cl.case_id == held[j])
                die("case %lld offered while its lease runs", held[j]);
    }
    cati_clock_set((time_t)until + 1);
    int back = 0;
    for (int i = 0; i < nheld; i++) {
        if (queue_claim_next(c, cfg, &who, QUEUE_CLAIM_ANOTHER, &cl, &err) < 0)
            die("%s", err.msg);
        for (int j = 0; j < nheld; j++)
            back += cl.case_id == held[j];
    }
    cati_clock_set(now);
    if (back != nheld)
        die("%d of %d held cases came back after their lease", back, nheld);
    db_close(c);
    static const char *const sfx[] = {"", "-wal", "-shm", "-claim"};
    for (int i = 0; i < 4; i++) {
        char p[1200];
        snprintf(p, sizeof p, "%s%s", copy, sfx[i]);
        unlink(p);
    }
    return nheld;
}

/* --- the parent -------------------------------------------------------------------- */

static pid_t spawn(char **argv)
{
    pid_t pid = fork();
    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    return pid;
}

static void nap_us(long us)
{
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : 0;
}

/* Kill pid at a random moment: after a random delay, or (one time in
 * three) just after its acknowledgement file grows, to hit a commit.
 * Returns 1 if it was killed, 0 if it had already exited (status checked). */
static int kill_randomly(pid_t pid, const char *ackfile, unsigned *rng)
{
    *rng = *rng * 1103515245u + 12345u;
    unsigned r = (*rng >> 8) & 0xffffff;
    if (r % 3 == 0) {
        long size = file_size(ackfile);
        for (int i = 0; i < 20000 && file_size(ackfile) == size; i++) {
            if (waitpid(pid, NULL, WNOHANG) == pid)
                die("a worker exited before it was killed");
            nap_us(100);
        }
        nap_us((long)(r % 2000));
    } else {
        nap_us((long)(r % 80000));
    }
    kill(pid, SIGKILL);
    int status;
    if (waitpid(pid, &status, 0) != pid)
        die("waitpid: %s", strerror(errno));
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        return 1;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    die("a worker failed (status %d) before it was killed", status);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "worker"))
        return worker(argc - 1, argv + 1);
    if (argc != 6)
        die("usage: crash DB CATI.INI KILLS SEED NOW | crash worker …");
    const char *dbpath = argv[1], *ini = argv[2];
    int kills_wanted = atoi(argv[3]);
    unsigned rng = (unsigned)atoi(argv[4]);
    time_t now = (time_t)atoll(argv[5]);
    struct cati_config cfg;
    struct cati_error err;
    if (config_load_file(ini, &cfg, &err) < 0)
        die("%s", err.msg);
    cati_clock_set(now);

    char ackfile[NWORKERS][1100], seed[NWORKERS][16];
    long ackoff[NWORKERS] = {0};
    for (int i = 0; i < NWORKERS; i++) {
        snprintf(ackfile[i], sizeof ackfile[i], "%s.ack-%s", dbpath, logins[i]);
        unlink(ackfile[i]);
    }
    int kills = 0, rounds = 0, resumes = 0, leases = 0;
    while (kills < kills_wanted) {
        pid_t pid[NWORKERS];
        for (int i = 0; i < NWORKERS; i++) {
            snprintf(seed[i], sizeof seed[i], "%u", rng + (unsigned)(rounds * NWORKERS + i));
            char *wargv[] = {"crash", "worker", (char *)dbpath, (char *)ini, (char *)logins[i], seed[i],
                             ackfile[i], argv[5], NULL};
            pid[i] = spawn(wargv);
        }
        int killed = 0;
        for (int i = 0; i < NWORKERS; i++)
            killed += kill_randomly(pid[i], ackfile[i], &rng);
        if (!killed)
            die("the workers ran out of cases after %d kills: import a bigger sample", kills);
        kills += killed;
        rounds++;
        for (int i = 0; i < NWORKERS; i++)
            read_acks(ackfile[i], &ackoff[i]);
        sqlite3 *db = check_open(dbpath, &cfg);
        check_integrity(db);
        check_answers(db);
        resumes += check_resume(db, &cfg);
        leases += check_leases(db, dbpath, &cfg, now);
        db_close(db);
        if (lost)
            die("%ld acknowledged answers lost after %d kills", lost, kills);
    }
    /* work goes on: every worker finishes the case it holds, without kills */
    for (int i = 0; i < NWORKERS; i++) {
        char *wargv[] = {"crash", "worker", (char *)dbpath, (char *)ini, (char *)logins[i], seed[i],
                         ackfile[i], argv[5], "--finish", NULL};
        pid_t p = spawn(wargv);
        int status;
        if (waitpid(p, &status, 0) != p || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            die("a worker could not finish its case after the kills");
        read_acks(ackfile[i], &ackoff[i]);
    }
    sqlite3 *db = check_open(dbpath, &cfg);
    check_integrity(db);
    check_answers(db);
    long long held = -1, open = -1, done = -1;
    if (db_int(db, "SELECT count(*) FROM cases WHERE claimed_by IS NOT NULL", NULL, 0, -1, &held, &err) < 0 ||
        db_int(db, "SELECT count(*) FROM interviews i JOIN cases c ON c.id = i.case_id WHERE i.outcome "
                   "IS NULL AND c.state <> 'final'", NULL, 0, -1, &open, &err) < 0 ||
        db_int(db, "SELECT count(*) FROM interviews i JOIN cases c ON c.id = i.case_id WHERE "
                   "i.outcome = 'complete' AND c.disposition = '1.1'", NULL, 0, -1, &done, &err) < 0)
        die("%s", err.msg);
    db_close(db);
    if (held || open)
        die("after finishing: %lld cases still held, %lld interviews open", held, open);
    for (int i = 0; i < NWORKERS; i++)
        unlink(ackfile[i]);
    printf("crash: %d kills survived (%d rounds of %d workers), %ld answers acknowledged, %ld lost; "
           "%ld saved but unacknowledged (kill between commit and acknowledgement); %d resumes and "
           "%d leases checked; %lld interviews completed\n",
           kills, rounds, NWORKERS, acked_total, lost, unacked_found, resumes, leases, done);
    for (size_t i = 0; i < nexp; i++)
        free(exps[i].value);
    free(exps);
    return 0;
}
