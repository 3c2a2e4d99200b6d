/* cati check: the invariants, verified from the rows (see check.h). */
#include "cati/check.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/db.h"
#include "cati/disposition.h"
#include "cati/schedule.h"
#include "cati/util.h"
#include "score_sql.h"

const char *check_kind_name(enum check_kind kind)
{
    static const char *const names[CHECK_KIND_COUNT] = {
        [CHECK_INTEGRITY] = "integrity", [CHECK_FOREIGN_KEY] = "foreign-key",
        [CHECK_HOLDER] = "holder",       [CHECK_LEASE] = "lease",
        [CHECK_DISPOSITION] = "disposition", [CHECK_INTERVIEW] = "interview",
        [CHECK_COMPLETE] = "complete",   [CHECK_LIVE] = "live",
        [CHECK_COUNTER] = "counter",     [CHECK_SEQUENCE] = "sequence"};
    return kind >= 0 && kind < CHECK_KIND_COUNT ? names[kind] : "?";
}

void check_report_release(struct check_report *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].ref);
        free(r->v[i].message);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

/* ---- collecting violations ---------------------------------------------- */

struct run {
    sqlite3 *db;
    struct check_report *out;
    struct cati_error *err;
    int central; /* sites sync into this database (sync_sites has rows) */
};

static int oom(struct run *r)
{
    return cati_error_set(r->err, "check: out of memory");
}

/* Control characters (a sample's escape sequences, line breaks) as c. */
static void one_line(char *s, char c)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = c;
}

/* Add a violation; ref may be NULL (filled from case_id at the end). */
static int add(struct run *r, enum check_kind kind, long long case_id, const char *ref,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int add(struct run *r, enum check_kind kind, long long case_id, const char *ref,
               const char *fmt, ...)
{
    struct check_report *o = r->out;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 16;
        struct check_violation *v = realloc(o->v, cap * sizeof *v);
        if (!v)
            return oom(r);
        o->v = v;
        o->cap = cap;
    }
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    one_line(buf, ' ');
    struct check_violation *v = &o->v[o->n];
    v->kind = kind;
    v->case_id = case_id;
    v->ref = ref ? strdup(ref) : NULL;
    v->message = strdup(buf);
    if ((ref && !v->ref) || !v->message) {
        free(v->ref);
        free(v->message);
        return oom(r);
    }
    if (v->ref)
        one_line(v->ref, '?');
    o->n++;
    return 0;
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}


/* Step st to the end; each row goes to fn. Finalises st. */
static int each_row(struct run *r, sqlite3_stmt *st, const char *what,
                    int (*fn)(struct run *, sqlite3_stmt *))
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(r, st) < 0) {
            sqlite3_finalize(st);
            return -1;
        }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(r->db, r->err, what);
}

static int run_sql(struct run *r, const char *sql, const char *what,
                   int (*fn)(struct run *, sqlite3_stmt *))
{
    sqlite3_stmt *st;
    if (db_prepare(r->db, sql, &st, r->err) < 0)
        return -1;
    return each_row(r, st, what, fn);
}

/* ---- SQLite's own checks ------------------------------------------------- */

/* One violation a line of integrity_check's report (its "*** in database
 * main ***" heading left out). */
static int on_integrity(struct run *r, sqlite3_stmt *st)
{
    const char *text = col(st, 0);
    if (!strcmp(text, "ok"))
        return 0;
    while (*text) {
        size_t len = strcspn(text, "\n");
        if (len && strncmp(text, "*** ", 4) &&
            add(r, CHECK_INTEGRITY, 0, "", "%.*s", (int)len, text) < 0)
            return -1;
        text += len + (text[len] == '\n');
    }
    return 0;
}

static int on_foreign_key(struct run *r, sqlite3_stmt *st)
{
    const char *table = col(st, 0);
    long long rowid = sqlite3_column_int64(st, 1);
    long long case_id = 0;
    if (!strcmp(table, "cases"))
        case_id = rowid;
    return add(r, CHECK_FOREIGN_KEY, case_id, case_id ? NULL : "",
               "%s row %lld refers to a missing row of %s", table, rowid, col(st, 2));
}

/* ---- holders and leases -------------------------------------------------- */

static int on_lease(struct run *r, sqlite3_stmt *st)
{
    return add(r, CHECK_LEASE, sqlite3_column_int64(st, 0), col(st, 1),
               "claimed by %s without a lease (lease_until is NULL)", col(st, 2));
}

static int on_holder(struct run *r, sqlite3_stmt *st)
{
    return add(r, CHECK_HOLDER, sqlite3_column_int64(st, 0), col(st, 1),
               "claimed by %s while %s's interview %lld of it is in progress", col(st, 2),
               col(st, 3), sqlite3_column_int64(st, 4));
}

static int check_holders(struct run *r)
{
    if (run_sql(r,
                "SELECT c.id, c.ref, coalesce(w.login, '#' || c.claimed_by) FROM cases c"
                " LEFT JOIN interviewers w ON w.id = c.claimed_by"
                " WHERE c.claimed_by IS NOT NULL AND c.lease_until IS NULL ORDER BY c.id",
                "leases", on_lease) < 0)
        return -1;
    return run_sql(r,
                   "SELECT c.id, c.ref, coalesce(a.login, '#' || c.claimed_by),"
                   " coalesce(b.login, '#' || i.interviewer_id), i.id"
                   " FROM interviews i JOIN cases c ON c.id = i.case_id"
                   " LEFT JOIN interviewers a ON a.id = c.claimed_by"
                   " LEFT JOIN interviewers b ON b.id = i.interviewer_id"
                   " WHERE i.outcome IS NULL AND i.state = 'live' AND i.current_question <> ''"
                   " AND c.claimed_by IS NOT NULL"
                   " AND i.interviewer_id IS NOT NULL AND c.claimed_by <> i.interviewer_id"
                   " ORDER BY c.id",
                   "holders", on_holder);
}

/* ---- dispositions --------------------------------------------------------- */

/* The ways the last call can have ended a case's calling (a bit per enum
 * disposition_end), from the rule of its outcome (schedule.h). */
static unsigned endings(const struct schedule_outcome *o, int numbers_left)
{
    switch (o->rule) {
    case SCHED_FINAL:
        return 1u << DISP_END_FINAL_CALL;
    case SCHED_NEXT_NUMBER: /* another number left: the call limit ended it */
        return numbers_left ? 1u << DISP_END_LIMIT : 1u << DISP_END_NUMBERS_GONE;
    case SCHED_RETRY: /* the limit, or a second soft refusal / language barrier */
        return 1u << DISP_END_LIMIT |
               (o->retry == RETRY_SOFT_REFUSAL || o->retry == RETRY_LANGUAGE
                    ? 1u << DISP_END_FINAL_CALL : 0);
    case SCHED_APPOINTMENT: /* an appointment never ends a case */
        return 0;
    }
    return 0;
}

/* One final case's calls, gathered from the ordered join. */
struct final_case {
    long long id;
    char ref[128], disposition[16], last_outcome[32];
    char (*codes)[8];
    const char **list;
    size_t n, cap;
    size_t end_n;          /* calls up to the last one that can end a case */
    char end_outcome[32];  /* that call's outcome */
};

/* "no-answer 3.13, busy 3.12, …" (the first calls of a long list). */
static void call_list(const struct final_case *fc, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < fc->n && used < size; i++) {
        int k = i < 12 ? snprintf(buf + used, size - used, "%s%s", i ? " " : "", fc->codes[i])
                       : snprintf(buf + used, size - used, " … (%zu calls)", fc->n);
        if (k < 0)
            break;
        used += (size_t)k;
        if (i >= 12)
            break;
    }
}

static int push_code(struct final_case *fc, const char *outcome, const char *code)
{
    if (fc->n == fc->cap) {
        size_t cap = fc->cap ? fc->cap * 2 : 16;
        void *c = realloc(fc->codes, cap * sizeof *fc->codes);
        if (!c)
            return -1;
        fc->codes = c;
        void *l = realloc(fc->list, cap * sizeof *fc->list);
        if (!l)
            return -1;
        fc->list = l;
        fc->cap = cap;
    }
    cati_strlcpy(fc->codes[fc->n++], code, sizeof fc->codes[0]);
    cati_strlcpy(fc->last_outcome, outcome, sizeof fc->last_outcome);
    const struct schedule_outcome *o = schedule_outcome_find(outcome);
    if (o && o->rule != SCHED_APPOINTMENT) {
        fc->end_n = fc->n;
        cati_strlcpy(fc->end_outcome, outcome, sizeof fc->end_outcome);
    }
    return 0;
}

/* Judge fc's stored code against its calls: 1 agrees, 0 not (want and
 * why describe it), -1 error. At a central database the calls of several
 * sites are merged, and a site may go on calling its copy after another
 * ended the case: there the calls up to the last one that can end a case
 * decide. */
static int judge(sqlite3 *db, struct cati_error *err, int central, sqlite3_stmt *phones,
                 struct final_case *fc, char *want, size_t wsize, char *why, size_t ysize)
{
    static const char *const end_text[] = {"final call", "call limit", "numbers gone"};
    want[0] = why[0] = '\0';
    size_t n = fc->n;
    const char *last = fc->last_outcome;
    const struct schedule_outcome *o = schedule_outcome_find(last);
    if (central && o && o->rule == SCHED_APPOINTMENT && fc->end_n > 0) {
        n = fc->end_n;
        last = fc->end_outcome;
        o = schedule_outcome_find(last);
    }
    if (!o) {
        snprintf(why, ysize, "after a call of unknown outcome '%s'", last);
        return 0;
    }
    int left = 0;
    if (o->rule == SCHED_NEXT_NUMBER) {
        sqlite3_reset(phones);
        sqlite3_bind_int64(phones, 1, fc->id);
        if (sqlite3_step(phones) != SQLITE_ROW)
            return db_error(db, err, "phones");
        left = sqlite3_column_int(phones, 0);
    }
    unsigned ways = endings(o, left);
    for (size_t i = 0; i < n; i++)
        fc->list[i] = fc->codes[i];
    if (!ways) {
        snprintf(why, ysize, "its last call (%s) cannot end a case", last);
        return 0;
    }
    size_t used = 0;
    for (int e = DISP_END_FINAL_CALL; e <= DISP_END_NUMBERS_GONE; e++) {
        if (!(ways & (1u << e)))
            continue;
        const char *code = disposition_final(fc->list, n, (enum disposition_end)e);
        if (code && !strcmp(code, fc->disposition))
            return 1;
        if (code && !want[0])
            cati_strlcpy(want, code, wsize);
        int k = snprintf(why + used, ysize - used, "%s%s (%s)", used ? " or " : "its calls give ",
                         code ? code : "?", end_text[e]);
        if (k > 0 && (size_t)k < ysize - used)
            used += (size_t)k;
    }
    return 0;
}

static int judge_case(struct run *r, sqlite3_stmt *phones, struct final_case *fc)
{
    if (fc->n == 0)
        return add(r, CHECK_DISPOSITION, fc->id, fc->ref, "final %s without any call",
                   fc->disposition);
    char want[16], why[128], calls[256];
    int ok = judge(r->db, r->err, r->central, phones, fc, want, sizeof want, why, sizeof why);
    if (ok != 0)
        return ok < 0 ? -1 : 0;
    call_list(fc, calls, sizeof calls);
    return add(r, CHECK_DISPOSITION, fc->id, fc->ref, "final %s, but %s; calls: %s", fc->disposition,
               why, calls);
}


/* The final code of one case from its calls, by the same rule as
 * judge_case: *agrees is 1 when the stored disposition is one the calls
 * give (or the case is not final, or has no call to judge by), else 0 with
 * want = the code for the first way its last call can have ended it. */
int check_case_final(sqlite3 *db, long long case_id, char *want, size_t size, int *agrees,
                     struct cati_error *err)
{
    struct final_case fc = {0};
    sqlite3_stmt *st = NULL, *phones = NULL;
    int rc = -1;
    *agrees = 1;
    want[0] = '\0';
    if (db_prepare(db, "SELECT k.outcome, k.aapor, c.disposition FROM cases c JOIN calls k"
                       " ON k.case_id = c.id WHERE c.id = ?1 AND c.state = 'final'"
                       " ORDER BY k.attempt, k.id", &st, err) < 0 ||
        db_prepare(db, "SELECT EXISTS(SELECT 1 FROM phones WHERE case_id = ?1 AND status = 'ok')",
                   &phones, err) < 0)
        goto out;
    sqlite3_bind_int64(st, 1, case_id);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        cati_strlcpy(fc.disposition, col(st, 2), sizeof fc.disposition);
        if (push_code(&fc, col(st, 0), col(st, 1)) < 0) {
            cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    if (step != SQLITE_DONE) {
        db_error(db, err, "calls");
        goto out;
    }
    rc = 0;
    if (fc.n) {
        fc.id = case_id;
        char why[128];
        int ok = judge(db, err, 1, phones, &fc, want, size, why, sizeof why);
        if (ok < 0)
            rc = -1;
        else
            *agrees = ok || !want[0]; /* nothing better to give: leave it */
    }
out:
    sqlite3_finalize(st);
    sqlite3_finalize(phones);
    free(fc.codes);
    free(fc.list);
    return rc;
}

/* ---- recounts in C ------------------------------------------------------------ */

/* Counts by label ("case_counts (survey 1, open, 3.13)"): an open-addressing
 * hash table, so one pass over cases and calls recounts three tables. */
struct tally_entry {
    char *key;
    long long n;
    int seen; /* matched by a counter row */
};

struct tally {
    struct tally_entry *e;
    size_t cap, used;
};

static unsigned long hash_key(const char *k)
{
    unsigned long h = 2166136261u;
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 16777619u;
    return h;
}

static struct tally_entry *tally_find(struct tally *t, const char *key, int create)
{
    if (create && (t->used + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        struct tally_entry *e = calloc(cap, sizeof *e);
        if (!e)
            return NULL;
        for (size_t i = 0; i < t->cap; i++)
            if (t->e[i].key) {
                size_t j = hash_key(t->e[i].key) & (cap - 1);
                while (e[j].key)
                    j = (j + 1) & (cap - 1);
                e[j] = t->e[i];
            }
        free(t->e);
        t->e = e;
        t->cap = cap;
    }
    if (!t->cap)
        return NULL;
    size_t j = hash_key(key) & (t->cap - 1);
    while (t->e[j].key) {
        if (!strcmp(t->e[j].key, key))
            return &t->e[j];
        j = (j + 1) & (t->cap - 1);
    }
    if (!create)
        return NULL;
    t->e[j].key = strdup(key);
    if (!t->e[j].key)
        return NULL;
    t->used++;
    return &t->e[j];
}

static int tally_add(struct run *r, struct tally *t, const char *key)
{
    struct tally_entry *e = tally_find(t, key, 1);
    if (!e)
        return oom(r);
    e->n++;
    return 0;
}

static void tally_release(struct tally *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->e[i].key);
    free(t->e);
    memset(t, 0, sizeof *t);
}

/* Compare a counter table, read by sql as (label, n), with the recount. */
static int tally_compare(struct run *r, struct tally *t, const char *sql)
{
    sqlite3_stmt *st;
    if (db_prepare(r->db, sql, &st, r->err) < 0)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *key = col(st, 0);
        long long kept = sqlite3_column_int64(st, 1);
        struct tally_entry *e = tally_find(t, key, 0);
        long long counted = e ? e->n : 0;
        if (e)
            e->seen = 1;
        if (kept != counted &&
            add(r, CHECK_COUNTER, 0, "", "%s: the counter says %lld, a recount gives %lld", key,
                kept, counted) < 0) {
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(r->db, r->err, "counters");
    for (size_t i = 0; i < t->cap; i++)
        if (t->e[i].key && !t->e[i].seen && t->e[i].n &&
            add(r, CHECK_COUNTER, 0, "", "%s: the counter says 0, a recount gives %lld",
                t->e[i].key, t->e[i].n) < 0)
            return -1;
    return 0;
}

/* One pass over every case (by id) and every call (by case, in call
 * order) side by side: the final cases' dispositions are judged, and
 * case_counts, case_due and call_hours recounted. */
struct pass {
    struct tally counts, due, hours;
    sqlite3_stmt *cases, *calls, *phones;
    int crc, krc; /* last step of each */
};

static int count_call(struct run *r, struct pass *p)
{
    char key[256];
    snprintf(key, sizeof key, "call_hours (hour %lld, interviewer %lld, %s)",
             sqlite3_column_int64(p->calls, 3) / 3600, sqlite3_column_int64(p->calls, 4),
             col(p->calls, 1));
    return tally_add(r, &p->hours, key);
}

static int scan(struct run *r, struct pass *p)
{
    struct final_case fc = {0};
    int rc = 0;
    p->crc = sqlite3_step(p->cases);
    p->krc = sqlite3_step(p->calls);
    while (rc == 0 && p->crc == SQLITE_ROW) {
        long long id = sqlite3_column_int64(p->cases, 0);
        const char *state = col(p->cases, 3);
        long long survey = sqlite3_column_int64(p->cases, 2);
        int final = !strcmp(state, "final");
        char key[256];
        snprintf(key, sizeof key, "case_counts (survey %lld, %s, %s)", survey, state,
                 sqlite3_column_type(p->cases, 4) != SQLITE_NULL ? col(p->cases, 4) : col(p->cases, 5));
        rc = tally_add(r, &p->counts, key);
        if (rc == 0 && !strcmp(state, "open")) {
            snprintf(key, sizeof key, "case_due (survey %lld, minute %lld)", survey,
                     sqlite3_column_int64(p->cases, 6) / 60);
            rc = tally_add(r, &p->due, key);
        }
        fc.id = id;
        fc.n = fc.end_n = 0;
        if (final) {
            cati_strlcpy(fc.ref, col(p->cases, 1), sizeof fc.ref);
            cati_strlcpy(fc.disposition, col(p->cases, 4), sizeof fc.disposition);
        }
        /* this case's calls (and those of missing cases before it) */
        char ended_by[64] = ""; /* an open case's call that ends a case */
        while (rc == 0 && p->krc == SQLITE_ROW && sqlite3_column_int64(p->calls, 0) <= id) {
            rc = count_call(r, p);
            if (rc == 0 && !final && !ended_by[0] && sqlite3_column_int64(p->calls, 0) == id) {
                const struct schedule_outcome *o = schedule_outcome_find(col(p->calls, 1));
                if (o && o->rule == SCHED_FINAL)
                    snprintf(ended_by, sizeof ended_by, "%s %s", col(p->calls, 1), col(p->calls, 2));
            }
            if (rc == 0 && final && sqlite3_column_int64(p->calls, 0) == id) {
                if (push_code(&fc, col(p->calls, 1), col(p->calls, 2)) < 0)
                    rc = oom(r);
            }
            p->krc = sqlite3_step(p->calls);
        }
        if (rc == 0 && final)
            rc = judge_case(r, p->phones, &fc);
        if (rc == 0 && ended_by[0])
            rc = add(r, CHECK_DISPOSITION, id, col(p->cases, 1), "%s, but its call %s ended it", state,
                     ended_by);
        p->crc = sqlite3_step(p->cases);
    }
    while (rc == 0 && p->krc == SQLITE_ROW) { /* calls of missing cases after the last */
        rc = count_call(r, p);
        p->krc = sqlite3_step(p->calls);
    }
    free(fc.codes);
    free(fc.list);
    if (rc == 0 && (p->crc != SQLITE_DONE || p->krc != SQLITE_DONE))
        rc = db_error(r->db, r->err, "cases and calls");
    return rc;
}

static int check_cases_and_calls(struct run *r)
{
    struct pass p = {0};
    int rc = -1;
    if (db_prepare(r->db,
                "SELECT id, ref, survey_id, state, disposition, interim_code, next_call_at"
                " FROM cases ORDER BY id", &p.cases, r->err) < 0 ||
        db_prepare(r->db,
                "SELECT case_id, outcome, aapor, started_at, coalesce(interviewer_id, 0)"
                " FROM calls ORDER BY case_id, attempt, id", &p.calls, r->err) < 0 ||
        db_prepare(r->db, "SELECT EXISTS(SELECT 1 FROM phones WHERE case_id = ?1 AND status = 'ok')",
                &p.phones, r->err) < 0)
        goto out;
    if (scan(r, &p) < 0)
        goto out;
    rc = tally_compare(r, &p.counts,
                       "SELECT 'case_counts (survey ' || survey_id || ', ' || state || ', ' || code || ')', n"
                       " FROM case_counts");
    if (rc == 0)
        rc = tally_compare(r, &p.due,
                           "SELECT 'case_due (survey ' || survey_id || ', minute ' || minute || ')', n"
                           " FROM case_due");
    if (rc == 0)
        rc = tally_compare(r, &p.hours,
                           "SELECT 'call_hours (hour ' || hour || ', interviewer ' || interviewer_id || ', '"
                           " || outcome || ')', n FROM call_hours");
out:
    sqlite3_finalize(p.cases);
    sqlite3_finalize(p.calls);
    sqlite3_finalize(p.phones);
    tally_release(&p.counts);
    tally_release(&p.due);
    tally_release(&p.hours);
    return rc;
}

/* ---- interviews ----------------------------------------------------------- */

static int on_interview(struct run *r, sqlite3_stmt *st)
{
    return add(r, CHECK_INTERVIEW, sqlite3_column_int64(st, 0), col(st, 1),
               "completed interview %lld is live but the case is %s", sqlite3_column_int64(st, 2),
               sqlite3_column_type(st, 3) == SQLITE_NULL ? "still open" : col(st, 3));
}

static int on_complete(struct run *r, sqlite3_stmt *st)
{
    return add(r, CHECK_COMPLETE, sqlite3_column_int64(st, 0), col(st, 1),
               "coded 1.1 without a live completed interview or a supervisor's note");
}

static int on_live(struct run *r, sqlite3_stmt *st)
{
    return add(r, CHECK_LIVE, sqlite3_column_int64(st, 0), NULL, "%lld live interviews (ids %s)",
               sqlite3_column_int64(st, 1), col(st, 2));
}

static int check_interviews(struct run *r)
{
    if (run_sql(r,
                "SELECT c.id, c.ref, i.id, c.disposition FROM interviews i"
                " JOIN cases c ON c.id = i.case_id"
                " WHERE i.outcome = 'complete' AND i.state = 'live'"
                " AND c.disposition IS NOT '1.1' ORDER BY c.id",
                "interviews", on_interview) < 0)
        return -1;
    if (run_sql(r,
                "SELECT c.id, c.ref FROM cases c WHERE c.disposition = '1.1'"
                " AND NOT EXISTS(SELECT 1 FROM interviews i WHERE i.case_id = c.id"
                "  AND i.state = 'live' AND i.outcome = 'complete')"
                " AND NOT EXISTS(SELECT 1 FROM calls k"
                "  WHERE k.case_id = c.id AND k.outcome = 'complete' AND k.note <> ''"
                "  AND k.by_supervisor = 1)"
                " ORDER BY c.id",
                "interviews", on_complete) < 0)
        return -1;
    return run_sql(r,
                   "SELECT case_id, count(*), group_concat(id, ', ') FROM interviews"
                   " WHERE state = 'live' GROUP BY case_id HAVING count(*) > 1",
                   "interviews", on_live);
}

/* ---- counters -------------------------------------------------------------- */

/* flag_counts and score_sums, recounted in SQL (case_counts, case_due and
 * call_hours are recounted in the pass over cases and calls above). Each
 * query yields (key text, kept, recounted) for every key where the counter
 * table and the recount differ; a row at 0 equals no row. */
static int on_counter(struct run *r, sqlite3_stmt *st)
{
    return add(r, CHECK_COUNTER, 0, "", "%s: the counter says %s, a recount gives %s", col(st, 0),
               col(st, 1), col(st, 2));
}

static const char *const counter_sql[] = {
    /* flag_counts: flags per (survey, status) */
    "WITH r AS MATERIALIZED (SELECT c.survey_id s, f.status t, count(*) n FROM flags f"
    "  JOIN cases c ON c.id = f.case_id GROUP BY 1, 2)"
    " SELECT 'flag_counts (survey ' || r.s || ', ' || r.t || ')', coalesce(x.n, 0), r.n"
    "  FROM r LEFT JOIN flag_counts x ON x.survey_id = r.s AND x.status = r.t WHERE x.n IS NOT r.n"
    " UNION ALL"
    " SELECT 'flag_counts (survey ' || x.survey_id || ', ' || x.status || ')', x.n, 0"
    "  FROM flag_counts x WHERE x.n <> 0 AND NOT EXISTS(SELECT 1 FROM r"
    "  WHERE r.s = x.survey_id AND r.t = x.status)",
    /* score_sums: measured answers of live completed interviews (n, total, top) */
    "WITH r AS MATERIALIZED (SELECT c.survey_id s, m.parameter p, m.question q, m.kind k,"
    "  c.service sv, c.agency ag, count(*) n,"
    "  sum(" SCORE_TOTAL_AM ") total,"
    "  sum(" SCORE_TOP_AM ") top"
    "  FROM interviews i JOIN answers a ON a.interview_id = i.id"
    "  JOIN survey_measures m ON m.survey_version_id = i.survey_version_id AND m.question = a.question"
    "  JOIN cases c ON c.id = i.case_id"
    "  WHERE i.outcome = 'complete' AND i.state = 'live' AND a.status = 'value' AND a.on_route = 1"
    "  GROUP BY 1, 2, 3, 4, 5, 6)"
    " SELECT 'score_sums (survey ' || r.s || ', ' || r.p || ', ' || r.q || ', service ''' || r.sv"
    "   || ''', agency ''' || r.ag || ''')',"
    "  'n ' || coalesce(x.n, 0) || ', total ' || coalesce(x.total, 0) || ', top ' || coalesce(x.top, 0),"
    "  'n ' || r.n || ', total ' || r.total || ', top ' || r.top"
    "  FROM r LEFT JOIN score_sums x ON x.survey_id = r.s AND x.parameter = r.p AND x.question = r.q"
    "   AND x.kind = r.k AND x.service = r.sv AND x.agency = r.ag"
    "  WHERE x.n IS NOT r.n OR x.top IS NOT r.top"
    "   OR abs(x.total - r.total) > 1e-6 * max(1, abs(r.total))"
    " UNION ALL"
    " SELECT 'score_sums (survey ' || x.survey_id || ', ' || x.parameter || ', ' || x.question"
    "   || ', service ''' || x.service || ''', agency ''' || x.agency || ''')',"
    "  'n ' || x.n || ', total ' || x.total || ', top ' || x.top, 'nothing'"
    "  FROM score_sums x WHERE (x.n <> 0 OR x.top <> 0 OR abs(x.total) > 1e-6)"
    "  AND NOT EXISTS(SELECT 1 FROM r WHERE r.s = x.survey_id AND r.p = x.parameter"
    "   AND r.q = x.question AND r.k = x.kind AND r.sv = x.service AND r.ag = x.agency)",
};

static int check_counters(struct run *r)
{
    for (size_t i = 0; i < sizeof counter_sql / sizeof counter_sql[0]; i++)
        if (run_sql(r, counter_sql[i], "counters", on_counter) < 0)
            return -1;
    return 0;
}

/* ---- change sequence --------------------------------------------------------- */

/* Walk interviews and calls in change_seq order (their indexes) at once:
 * a number seen twice, or past change_seq.n, is a violation. */
static int check_sequence(struct run *r)
{
    long long top = 0;
    if (db_int(r->db, "SELECT n FROM change_seq WHERE id = 1", NULL, 0, 0, &top, r->err) < 0)
        return -1;
    static const char *const what[2] = {"interview", "call"};
    sqlite3_stmt *st[2] = {NULL, NULL};
    if (db_prepare(r->db, "SELECT change_seq, case_id, id FROM interviews WHERE change_seq > 0"
                   " ORDER BY change_seq", &st[0], r->err) < 0 ||
        db_prepare(r->db, "SELECT change_seq, case_id, id FROM calls WHERE change_seq > 0"
                   " ORDER BY change_seq", &st[1], r->err) < 0) {
        sqlite3_finalize(st[0]);
        return -1;
    }
    int rc[2], bad = 0;
    long long prev = 0, prev_case = 0, prev_id = 0;
    int prev_t = -1;
    rc[0] = sqlite3_step(st[0]);
    rc[1] = sqlite3_step(st[1]);
    while (!bad && (rc[0] == SQLITE_ROW || rc[1] == SQLITE_ROW)) {
        int t = rc[0] != SQLITE_ROW ? 1
                : rc[1] != SQLITE_ROW ? 0
                : sqlite3_column_int64(st[1], 0) < sqlite3_column_int64(st[0], 0);
        long long seq = sqlite3_column_int64(st[t], 0), case_id = sqlite3_column_int64(st[t], 1);
        long long id = sqlite3_column_int64(st[t], 2);
        if (prev_t >= 0 && seq == prev &&
            add(r, CHECK_SEQUENCE, case_id, NULL, "%s %lld has change_seq %lld, as %s %lld (case %lld) has",
                what[t], id, seq, what[prev_t], prev_id, prev_case) < 0)
            bad = 1;
        if (!bad && seq > top &&
            add(r, CHECK_SEQUENCE, case_id, NULL, "%s %lld has change_seq %lld, past the counter (%lld)",
                what[t], id, seq, top) < 0)
            bad = 1;
        prev = seq, prev_case = case_id, prev_id = id, prev_t = t;
        rc[t] = sqlite3_step(st[t]);
    }
    for (int t = 0; t < 2; t++) {
        if (!bad && rc[t] != SQLITE_DONE)
            bad = db_error(r->db, r->err, "change_seq") < 0;
        sqlite3_finalize(st[t]);
    }
    return bad ? -1 : 0;
}

/* ---- the run ------------------------------------------------------------------ */

/* Refs of violations found by case id. */
static int fill_refs(struct run *r)
{
    sqlite3_stmt *st;
    if (db_prepare(r->db, "SELECT ref FROM cases WHERE id = ?1", &st, r->err) < 0)
        return -1;
    for (size_t i = 0; i < r->out->n; i++) {
        struct check_violation *v = &r->out->v[i];
        if (v->ref)
            continue;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, v->case_id);
        v->ref = strdup(sqlite3_step(st) == SQLITE_ROW ? col(st, 0) : "");
        if (!v->ref) {
            sqlite3_finalize(st);
            return oom(r);
        }
        one_line(v->ref, '?');
    }
    sqlite3_finalize(st);
    return 0;
}

static int totals(struct run *r)
{
    struct check_report *o = r->out;
    if (db_int(r->db, "SELECT count(*) FROM cases", NULL, 0, 0, &o->cases, r->err) < 0 ||
        db_int(r->db, "SELECT count(*) FROM calls", NULL, 0, 0, &o->calls, r->err) < 0 ||
        db_int(r->db, "SELECT count(*) FROM interviews", NULL, 0, 0, &o->interviews, r->err) < 0)
        return -1;
    return 0;
}

/* PRAGMA integrity_check; a database too damaged to finish it is one
 * violation too. 1 if the file is damaged. */
static int check_integrity(struct run *r)
{
    sqlite3_stmt *st;
    if (db_prepare(r->db, "PRAGMA integrity_check", &st, r->err) < 0)
        return -1;
    size_t before = r->out->n;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (on_integrity(r, st) < 0) {
            sqlite3_finalize(st);
            return -1;
        }
    sqlite3_finalize(st);
    if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) {
        if (add(r, CHECK_INTEGRITY, 0, "", "%s", sqlite3_errmsg(r->db)) < 0)
            return -1;
    } else if (rc != SQLITE_DONE) {
        return db_error(r->db, r->err, "integrity_check");
    }
    return r->out->n > before;
}

int check_run(sqlite3 *db, struct check_report *out, struct cati_error *err)
{
    memset(out, 0, sizeof *out);
    struct run r = {db, out, err, 0};
    long long sites = 0;
    if (db_int(db, "SELECT count(*) FROM sync_sites", NULL, 0, 0, &sites, err) == 0)
        r.central = sites > 0;
    /* one read snapshot; a savepoint also nests in a caller's transaction */
    if (db_exec(db, "SAVEPOINT cati_check", err) < 0)
        return -1;
    int rc = check_integrity(&r);
    if (rc == 1) {
        /* the other checks would read through damaged pages and indexes */
        rc = add(&r, CHECK_INTEGRITY, 0, "", "the database is damaged: the other checks were not run");
        goto done;
    }
    if (rc == 0)
        rc = run_sql(&r, "PRAGMA foreign_key_check", "foreign_key_check", on_foreign_key);
    if (rc == 0)
        rc = check_holders(&r);
    if (rc == 0)
        rc = check_cases_and_calls(&r);
    if (rc == 0)
        rc = check_interviews(&r);
    if (rc == 0)
        rc = check_counters(&r);
    if (rc == 0)
        rc = check_sequence(&r);
    if (rc == 0)
        rc = totals(&r);
done:
    if (rc == 0)
        rc = fill_refs(&r);
    /* a read: nothing to keep */
    struct cati_error ignored;
    db_exec(db, "ROLLBACK TO cati_check; RELEASE cati_check", &ignored);
    if (rc < 0) {
        check_report_release(out);
        return -1;
    }
    return 0;
}
