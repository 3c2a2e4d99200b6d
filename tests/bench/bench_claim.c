/* Claim benchmark: P processes claim cases from one cati database as fast as
 * they can (or at a set pace) for S seconds; prints claim latency p50/p99/max,
 * claims per second, and duplicates (a case claimed twice: must be 0).
 *
 *   bench_claim DB PROCS SECONDS [PACE_MS]
 *   bench_claim --fsync FILE      the disk's own fsync latency, for scale
 *
 * Interviewers bench00 … bench31 must exist. Each claim is a real
 * queue_claim_next() (BEGIN IMMEDIATE, UPDATE … RETURNING, lease) with
 * QUEUE_CLAIM_ANOTHER, so a process keeps claiming new cases. Built and run
 * by scripts/bench-claim. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "cati/account.h"
#include "cati/config.h"
#include "cati/db.h"
#include "cati/queue.h"

struct rec { long long id; double ms; int first; };

static int child(const char *path, int n, double seconds, double pace, int fd)
{
    struct cati_config cfg;
    struct cati_error err;
    struct cati_interviewer me;
    sqlite3 *db;
    char login[32];
    config_defaults(&cfg);
    cfg.hours[0].start = 0, cfg.hours[0].end = 24 * 60, cfg.nhours = 1, cfg.days = 0x7f;
    snprintf(login, sizeof login, "bench%02d", n);
    if (db_open(path, DB_OPEN_EXISTING, cfg.busy_timeout_ms, &db, &err) < 0 ||
        account_find(db, login, &me, &err) < 0) {
        fprintf(stderr, "bench %d: %s\n", n, err.msg);
        return 1;
    }
    int rc = 0, first = 1;
    srand((unsigned)getpid());
    /* paced processes start at random points of their first interval, as
     * consoles do, rather than all at the same instant */
    double start = bench_now_ms(), next = start + (pace > 0 ? pace * rand() / RAND_MAX : 0);
    while (bench_now_ms() - start < seconds * 1e3) {
        if (pace > 0) { /* open loop: a claim every pace ms on average */
            bench_sleep_ms(next - bench_now_ms());
            next += pace * (0.5 + (double)rand() / RAND_MAX);
        }
        struct queue_claim q;
        double t0 = bench_now_ms();
        int got = queue_claim_next(db, &cfg, &me, QUEUE_CLAIM_ANOTHER, &q, &err);
        struct rec r = {got == 1 ? q.case_id : 0, bench_now_ms() - t0, first};
        first = 0;
        if (got < 0) {
            fprintf(stderr, "bench %d: %s\n", n, err.msg);
            rc = 1;
            break;
        }
        if (got == 0)
            break;
        if (write(fd, &r, sizeof r) != (ssize_t)sizeof r) {
            rc = 1;
            break;
        }
    }
    db_close(db);
    return rc;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

/* 300 appends of 4 KiB, each fsynced, 10 ms apart: what one commit costs. */
static int fsync_latency(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return 1;
    static char page[4096];
    double ms[300];
    for (int i = 0; i < 300; i++) {
        if (write(fd, page, sizeof page) != (ssize_t)sizeof page)
            break;
        double t0 = bench_now_ms();
        fsync(fd);
        ms[i] = bench_now_ms() - t0;
        bench_sleep_ms(10);
    }
    close(fd);
    unlink(path);
    qsort(ms, 300, sizeof ms[0], bench_cmp_double);
    printf("disk: fsync of a 4 KiB append p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", ms[150], ms[297],
           ms[299]);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--fsync"))
        return fsync_latency(argv[2]);
    if (argc < 4) {
        fprintf(stderr, "usage: bench_claim DB PROCS SECONDS [PACE_MS]\n");
        return 2;
    }
    const char *path = argv[1];
    int procs = atoi(argv[2]);
    double seconds = atof(argv[3]);
    double pace = argc > 4 ? atof(argv[4]) : 0;
    int fds[2];
    if (procs < 1 || procs > 64 || pipe(fds) < 0)
        return 2;
    double start = bench_now_ms();
    pid_t pids[64];
    for (int i = 0; i < procs; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            close(fds[0]);
            _exit(child(path, i, seconds, pace, fds[1]));
        }
    }
    close(fds[1]);
    size_t cap = 1 << 16, n = 0;
    struct rec *recs = malloc(cap * sizeof *recs);
    struct rec r;
    while (read(fds[0], &r, sizeof r) == (ssize_t)sizeof r) {
        if (n == cap)
            recs = realloc(recs, (cap *= 2) * sizeof *recs);
        recs[n++] = r;
    }
    double elapsed = (bench_now_ms() - start) / 1e3;
    int failed = 0;
    for (int i = 0; i < procs; i++) {
        int st;
        waitpid(pids[i], &st, 0);
        failed += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
    }
    /* Latency of every claim but each process's first (a new connection
     * reads the schema and warms its cache: reported on its own). */
    double *ms = malloc((n ? n : 1) * sizeof *ms), first_max = 0;
    long long *ids = malloc((n ? n : 1) * sizeof *ids);
    size_t nms = 0;
    for (size_t i = 0; i < n; i++) {
        ids[i] = recs[i].id;
        if (recs[i].first)
            first_max = recs[i].ms > first_max ? recs[i].ms : first_max;
        else
            ms[nms++] = recs[i].ms;
    }
    qsort(ms, nms, sizeof *ms, bench_cmp_double);
    qsort(ids, n, sizeof *ids, cmp_ll);
    size_t dups = 0;
    for (size_t i = 1; i < n; i++)
        dups += ids[i] == ids[i - 1];
    char pacebuf[32];
    snprintf(pacebuf, sizeof pacebuf, " every %gms", pace);
    if (nms)
        printf("procs %2d%-13s: %7zu claims in %5.1f s = %7.0f claims/s; latency p50 %6.2f ms, p99 %6.2f ms,"
               " max %7.2f ms (first claims max %.2f ms); duplicates %zu; errors %d\n",
               procs, pace > 0 ? pacebuf : " flat out", n, elapsed, n / elapsed, ms[nms / 2],
               ms[(size_t)(nms * 0.99)], ms[nms - 1], first_max, dups, failed);
    free(ms);
    free(ids);
    free(recs);
    return dups || failed || !nms;
}
