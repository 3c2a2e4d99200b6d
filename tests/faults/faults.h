/* Shared by the fault drivers (one binary per tests/faults/NAME.c): a
 * scripted interviewer who works through the queue with the core as the
 * console does — claim a case, start or resume its interview, answer every
 * question, record the call outcome — and writes one acknowledgement line
 * (a single write(2)) after each commit has returned:
 *
 *   S <interview> <case>                     interview started
 *   A <interview> <question> <status> <value> answer saved (status value|dk|rf)
 *   O <case> <outcome>                       call outcome recorded
 *
 * Everything is static: each driver includes this once. */
#ifndef CATI_FAULTS_H
#define CATI_FAULTS_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cati/account.h"
#include "cati/config.h"
#include "cati/db.h"
#include "cati/interview.h"
#include "cati/queue.h"
#include "cati/schedule.h"
#include "cati/script.h"
#include "cati/util.h"

struct fw {
    sqlite3 *db;
    struct cati_config cfg;
    struct cati_interviewer who;
    unsigned rng;
    int ack;         /* acknowledgement fd, -1 = none */
    long answers;    /* answers saved by this worker */
    int texts;       /* text answers given: the first is the SQL-injection one */
};

static inline void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static inline void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("faults: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static inline unsigned fw_rand(struct fw *w, unsigned n)
{
    w->rng = w->rng * 1103515245u + 12345u;
    return ((w->rng >> 8) & 0xffffff) % (n ? n : 1);
}

static inline void fw_ack(struct fw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void fw_ack(struct fw *w, const char *fmt, ...)
{
    if (w->ack < 0)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0 || n >= (int)sizeof line - 1)
        die("acknowledgement line too long");
    line[n++] = '\n';
    if (write(w->ack, line, (size_t)n) != n)
        die("cannot write the acknowledgement: %s", strerror(errno));
}

/* Open the database and config as an interviewer would. */
static inline void fw_open(struct fw *w, const char *db, const char *ini, const char *login, unsigned seed)
{
    struct cati_error err;
    memset(w, 0, sizeof *w);
    w->ack = -1;
    w->rng = seed;
    if (config_load_file(ini, &w->cfg, &err) < 0)
        die("%s", err.msg);
    if (db_open(db, DB_OPEN_EXISTING, w->cfg.busy_timeout_ms, &w->db, &err) < 0)
        die("%s", err.msg);
    if (account_find(w->db, login, &w->who, &err) < 0)
        die("no interviewer %s: %s", login, err.msg);
}

static inline void fw_close(struct fw *w)
{
    db_close(w->db);
    w->db = NULL;
    if (w->ack >= 0)
        close(w->ack);
    w->ack = -1;
}

static const char *const fw_texts[] = {
    "it was fine", "'); DROP TABLE cases; --", "ཀུ་ཟུ་ཟང་པོ་ལགས", "\"quoted\" and 'single'",
    "Robert'); DELETE FROM answers WHERE ('1'='1", "slow; three visits, 40 km", "%s%n%x"};

/* A random answer for q, as typed at the console, in buf; or "dk"/"rf". */
static inline const char *fw_make_answer(struct fw *w, const struct cati_question *q, char *buf, size_t size)
{
    if (!q->nodk && fw_rand(w, 20) == 0)
        return "dk";
    if (!q->norf && fw_rand(w, 40) == 0)
        return "rf";
    switch (q->type) {
    case QTYPE_SINGLE:
        /* a question that can end the interview: go on (code 1) */
        snprintf(buf, size, "%ld", q->choices[q->njumps ? 0 : fw_rand(w, (unsigned)q->nchoices)].code);
        break;
    case QTYPE_MULTI: {
        size_t o = 0;
        buf[0] = '\0';
        for (int i = 0; i < q->nchoices && o + 24 < size; i++) {
            int exclusive = 0;
            for (int k = 0; k < q->nexclusive; k++)
                exclusive |= q->exclusive[k] == q->choices[i].code;
            if (!exclusive && fw_rand(w, 2))
                o += (size_t)snprintf(buf + o, size - o, "%s%ld", o ? "," : "", q->choices[i].code);
        }
        if (!o)
            snprintf(buf, size, "%ld", q->nexclusive ? q->exclusive[0] : q->choices[0].code);
        break;
    }
    case QTYPE_SCALE:
    case QTYPE_NUMBER: {
        long span = q->hi - q->lo + 1;
        snprintf(buf, size, "%ld", q->lo + (long)fw_rand(w, (unsigned)(span > 30 ? 30 : span)));
        break;
    }
    case QTYPE_DATE:
        snprintf(buf, size, "2026-10-%02u", 1 + fw_rand(w, 28));
        break;
    case QTYPE_TEXT:
        /* every worker types the hostile text first, so a short run has it too */
        snprintf(buf, size, "%s", fw_texts[w->texts++ ? fw_rand(w, sizeof fw_texts / sizeof *fw_texts) : 1]);
        break;
    }
    return buf;
}

/* Offer one answer to the current question (warnings confirmed). */
static inline int fw_offer(struct cati_interview *iv, const char *in, struct iv_feedback *fb,
                    struct cati_error *err)
{
    if (!strcmp(in, "dk"))
        return interview_dk(iv, 1, fb, err);
    if (!strcmp(in, "rf"))
        return interview_rf(iv, 1, fb, err);
    return interview_answer(iv, in, 1, fb, err);
}

/* Answer the current question until one is accepted and acknowledge it.
 * IV_OK, or IV_ERROR with err (the database refused the save). */
static inline int fw_answer_one(struct fw *w, struct cati_interview *iv, struct cati_error *err)
{
    const struct cati_question *q = interview_current(iv);
    struct iv_feedback fb;
    char buf[256];
    for (int tries = 0;; tries++) {
        const char *in = tries < 8 ? fw_make_answer(w, q, buf, sizeof buf) : q->nodk ? "1" : "dk";
        int rc = fw_offer(iv, in, &fb, err);
        if (rc == IV_ERROR)
            return IV_ERROR;
        if (rc == IV_OK) {
            struct iv_answer a = interview_get(iv, q->index);
            w->answers++;
            fw_ack(w, "A %lld %s %s %s", interview_id(iv), q->name,
                   a.status == ANS_DK ? "dk" : a.status == ANS_RF ? "rf" : "value",
                   a.status == ANS_VALUE ? a.value : "");
            return IV_OK;
        }
        if (tries > 12)
            die("question %s accepts nothing (last: %s)", q->name, fb.n ? fb.msg[0] : "?");
    }
}

static inline const char *fw_outcome_of(enum cati_end e)
{
    switch (e) {
    case END_COMPLETE: return "complete";
    case END_REFUSAL: return "refusal";
    case END_INELIGIBLE: return "ineligible";
    case END_APPOINTMENT: return "not-available";
    default: return "breakoff";
    }
}

static inline int fw_record(struct fw *w, long long case_id, const char *outcome, struct cati_interview *iv,
                            struct cati_error *err)
{
    struct schedule_call call = {.outcome = outcome, .iv = iv};
    struct schedule_result res;
    if (schedule_record(w->db, &w->cfg, case_id, &w->who, &call, &res, err) < 0)
        return -1;
    fw_ack(w, "O %lld %s", case_id, outcome);
    return 0;
}

/* Outcome of the newest interview of a case: 1 with *e when it ended, 0
 * when there is none or it is open. */
static inline int fw_last_outcome(struct fw *w, long long case_id, enum cati_end *e)
{
    sqlite3_stmt *st;
    struct cati_error err;
    if (db_prepare(w->db, "SELECT outcome FROM interviews WHERE case_id = ? ORDER BY id DESC LIMIT 1",
                   &st, &err) < 0)
        die("%s", err.msg);
    sqlite3_bind_int64(st, 1, case_id);
    int ended = 0;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *e = script_end_parse((const char *)sqlite3_column_text(st, 0));
        ended = 1;
    }
    sqlite3_finalize(st);
    return ended;
}

/* Claim the next case and work it to its outcome, as the console does: the
 * interviewer's own case first (its open interview resumed where it
 * stopped; an ended one only needs its outcome recorded). Sometimes the
 * number does not answer. Returns 1 when a case was worked, 0 when nothing
 * was due, -1 with err. */
/* Claim a case, start its interview and answer its first n questions;
 * dies (naming when) on any failure. Caller frees the interview. */
static inline struct cati_interview *fw_begin(struct fw *w, int n, const char *when)
{
    struct queue_claim claim;
    struct cati_interview *iv;
    struct cati_error err;
    if (queue_claim_next(w->db, &w->cfg, &w->who, 0, &claim, &err) != 1)
        die("no case to claim");
    if (interview_start(w->db, &w->cfg, &w->who, claim.case_id, NULL, &iv, &err) < 0)
        die("%s", err.msg);
    for (int i = 0; i < n; i++)
        if (fw_answer_one(w, iv, &err) != IV_OK)
            die("%s: %s", when, err.msg);
    return iv;
}

static inline int fw_case(struct fw *w, struct cati_error *err)
{
    struct queue_claim claim;
    int rc = queue_claim_next(w->db, &w->cfg, &w->who, 0, &claim, err);
    if (rc <= 0)
        return rc;
    long long id = 0;
    struct cati_interview *iv = NULL;
    enum cati_end ended;
    rc = interview_find_open(w->db, claim.case_id, &id, err);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        /* resumed where it stopped; at its end when it reached it */
        if (interview_load(w->db, &w->cfg, &w->who, id, &iv, err) < 0)
            return -1;
    } else if (claim.resumed && fw_last_outcome(w, claim.case_id, &ended)) {
        return fw_record(w, claim.case_id, fw_outcome_of(ended), NULL, err) < 0 ? -1 : 1;
    } else if (fw_rand(w, 5) == 0) {
        return fw_record(w, claim.case_id, fw_rand(w, 2) ? "no-answer" : "busy", NULL, err) < 0 ? -1 : 1;
    } else {
        if (interview_start(w->db, &w->cfg, &w->who, claim.case_id, NULL, &iv, err) < 0)
            return -1;
        fw_ack(w, "S %lld %lld", interview_id(iv), claim.case_id);
    }
    while (interview_current(iv))
        if (fw_answer_one(w, iv, err) == IV_ERROR) {
            interview_free(iv);
            return -1;
        }
    enum cati_end e = interview_outcome(iv);
    rc = fw_record(w, claim.case_id, fw_outcome_of(e), iv, err);
    interview_free(iv);
    return rc < 0 ? -1 : 1;
}

#endif
