/* Answer-save benchmark: P processes act as consoles, each claiming cases
 * and answering the ServE questionnaire through the engine (one durable
 * commit per answer, synchronous=FULL). Prints the latency of
 * interview_answer() p50/p99/max and answers per second.
 *
 *   bench_answer DB PROCS SECONDS [PACE_MS]
 *
 * PACE_MS: each console answers every PACE_MS on average (an interviewer's
 * think time, scaled down); 0 or absent = flat out (saturation).
 *
 * Interviewers bench00 … must exist and the survey be loaded with cases.
 * Built and run by scripts/bench-answer. */
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
#include "cati/interview.h"
#include "cati/queue.h"
#include "cati/script.h"

/* A plausible answer for q, as an interviewer would type it. */
static void typical_answer(const struct cati_question *q, char *buf, size_t size)
{
    switch (q->type) {
    case QTYPE_SINGLE:
    case QTYPE_MULTI:
        snprintf(buf, size, "%ld", q->nchoices ? q->choices[0].code : 1);
        break;
    case QTYPE_SCALE: snprintf(buf, size, "%ld", q->hi); break;
    case QTYPE_NUMBER: snprintf(buf, size, "%ld", q->lo + (q->hi - q->lo) / 10); break;
    case QTYPE_DATE: snprintf(buf, size, "2026-01-15"); break;
    case QTYPE_TEXT: snprintf(buf, size, "the office was helpful"); break;
    }
}

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
    int rc = 0;
    srand((unsigned)getpid());
    double start = bench_now_ms();
    while (rc == 0 && bench_now_ms() - start < seconds * 1e3) {
        struct queue_claim q;
        if (queue_claim_next(db, &cfg, &me, QUEUE_CLAIM_ANOTHER, &q, &err) != 1)
            break;
        struct cati_interview *iv;
        if (interview_start(db, &cfg, &me, q.case_id, NULL, &iv, &err) < 0) {
            fprintf(stderr, "bench %d: %s\n", n, err.msg);
            rc = 1;
            break;
        }
        const struct cati_question *cur;
        while ((cur = interview_current(iv)) && bench_now_ms() - start < seconds * 1e3) {
            char input[64];
            struct iv_feedback fb;
            typical_answer(cur, input, sizeof input);
            if (pace > 0)
                bench_sleep_ms(pace * (0.5 + (double)rand() / RAND_MAX));
            double t0 = bench_now_ms();
            int r = interview_answer(iv, input, 1, &fb, &err);
            double ms = bench_now_ms() - t0;
            if (r == IV_OK) {
                if (write(fd, &ms, sizeof ms) != (ssize_t)sizeof ms)
                    rc = 1;
                continue;
            }
            if (r == IV_ERROR) {
                fprintf(stderr, "bench %d: %s\n", n, err.msg);
                rc = 1;
            }
            if (r != IV_ERROR && interview_dk(iv, 1, &fb, &err) == IV_OK)
                continue;
            break; /* an answer this simple driver cannot give: next case */
        }
        interview_free(iv);
    }
    db_close(db);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: bench_answer DB PROCS SECONDS [PACE_MS]\n");
        return 2;
    }
    int procs = atoi(argv[2]);
    double seconds = atof(argv[3]);
    double pace = argc > 4 ? atof(argv[4]) : 0;
    int fds[2];
    if (procs < 1 || procs > 32 || pipe(fds) < 0)
        return 2;
    double start = bench_now_ms();
    pid_t pids[32];
    for (int i = 0; i < procs; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            close(fds[0]);
            _exit(child(argv[1], i, seconds, pace, fds[1]));
        }
    }
    close(fds[1]);
    size_t cap = 1 << 16, n = 0;
    double *ms = malloc(cap * sizeof *ms), v;
    while (read(fds[0], &v, sizeof v) == (ssize_t)sizeof v) {
        if (n == cap)
            ms = realloc(ms, (cap *= 2) * sizeof *ms);
        ms[n++] = v;
    }
    double elapsed = (bench_now_ms() - start) / 1e3;
    int failed = 0;
    for (int i = 0; i < procs; i++) {
        int st;
        waitpid(pids[i], &st, 0);
        failed += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
    }
    qsort(ms, n, sizeof *ms, bench_cmp_double);
    if (n)
        printf("answers, %d consoles %s: %zu saved in %.1f s = %.0f answers/s; save latency p50 %.2f ms, "
               "p99 %.2f ms, max %.2f ms; errors %d\n",
               procs, pace > 0 ? "paced" : "flat out", n, elapsed, n / elapsed, ms[n / 2], ms[(size_t)(n * 0.99)], ms[n - 1], failed);
    free(ms);
    return failed || !n;
}
