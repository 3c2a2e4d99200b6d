/* The supervisor's figures (see cati/dashboard.h for the definitions).
 * One read transaction per refresh; counters come from tables the schema's
 * triggers keep (case_counts, case_due, score_sums). */
#include "cati/dashboard.h"
#include "dashboard_int.h"

#include <stdlib.h>
#include <string.h>

#include "cati/calendar.h"
#include "cati/db.h"
#include "cati/schedule.h"
#include "cati/util.h"

/* Midnight today in the calling time zone. */
static time_t day_start(const struct cati_config *cfg, time_t now)
{
    return calendar_day_start(cfg->timezone, now, 0);
}

int dashboard_worked_seconds(sqlite3 *db, const struct cati_config *cfg, long long interviewer_id,
                             long long survey_id, time_t from, time_t to, long long *seconds,
                             struct cati_error *err)
{
    *seconds = 0;
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT started_at, max(coalesce(ended_at, started_at), started_at) FROM calls"
                       " WHERE interviewer_id = ?1 AND started_at >= ?2 AND started_at < ?3"
                       " AND (?4 = 0 OR case_id IN (SELECT id FROM cases WHERE survey_id = ?4))"
                       " ORDER BY started_at",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, interviewer_id);
    sqlite3_bind_int64(st, 2, (long long)from);
    sqlite3_bind_int64(st, 3, (long long)to);
    sqlite3_bind_int64(st, 4, survey_id);
    time_t day = 0, next = 0, first = 0, last = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        time_t a = (time_t)sqlite3_column_int64(st, 0), b = (time_t)sqlite3_column_int64(st, 1);
        if (!first || a >= next) { /* a new day: close the last one */
            if (first)
                *seconds += last - first > DASHBOARD_MIN_DAY_SECONDS ? last - first : DASHBOARD_MIN_DAY_SECONDS;
            day = day_start(cfg, a);
            next = day_start(cfg, day + 36 * 3600);
            first = a;
            last = b;
        } else if (b > last) {
            last = b;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(db, err, "calls");
    if (first)
        *seconds += last - first > DASHBOARD_MIN_DAY_SECONDS ? last - first : DASHBOARD_MIN_DAY_SECONDS;
    return 0;
}

double dashboard_per_hour(long long completes, long long seconds)
{
    if (seconds <= 0)
        return -1;
    return (double)completes / ((double)seconds / 3600.0);
}

double dash_score_share(const struct dash_score *s)
{
    if (s->n <= 0 || (s->kind != DASH_SCALE && s->kind != DASH_SINGLE))
        return -1;
    return (double)s->top / (double)s->n;
}

int dash_score_has_mean(const struct dash_score *s)
{
    return s->n > 0 && (s->kind == DASH_SCALE || s->kind == DASH_NUMBER);
}

static const char *const kind_names[] = {"scale", "single", "number", "text", "multi", "date"};

const char *dash_kind_name(enum dash_kind k)
{
    return (unsigned)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "?";
}

void dashboard_free(struct dashboard *d)
{
    if (!d)
        return;
    free(d->queues);
    free(d->ivs);
    free(d->scores);
    dashboard_flags_free(d->flags, d->nflags);
    free(d->quotas);
    memset(d, 0, sizeof *d);
}

int dash_grow(void **arr, int n, int *cap, size_t elem)
{
    if (n < *cap)
        return 0;
    int ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, (size_t)ncap * elem);
    if (!p)
        return -1;
    memset((char *)p + (size_t)*cap * elem, 0, (size_t)(ncap - *cap) * elem);
    *arr = p;
    *cap = ncap;
    return 0;
}

void dashboard_rates(const struct dash_queue *q, double e, struct disposition_counts *counts,
                     struct disposition_rates *rates)
{
    memset(counts, 0, sizeof *counts);
    for (int i = 0; i < q->nall; i++) {
        enum disposition_category c = disposition_category(q->all[i].code);
        if (c != CAT_UNKNOWN)
            counts->n[c] += q->all[i].n;
    }
    disposition_rates(counts, e, rates);
}

/* --- queue ---------------------------------------------------------------- */

static struct dash_queue *queue_of(struct dashboard *d, long long survey_id)
{
    for (int i = 0; i < d->nqueues; i++)
        if (d->queues[i].survey_id == survey_id)
            return &d->queues[i];
    return NULL;
}

/* Add n to the code's entry in a sorted list. */
static void add_code(struct dash_code *list, int *count, const char *code, long long n)
{
    int i = 0;
    for (; i < *count; i++) {
        int c = strcmp(list[i].code, code);
        if (c == 0) {
            list[i].n += n;
            return;
        }
        if (c > 0)
            break;
    }
    if (*count >= DASHBOARD_MAX_CODES)
        return;
    memmove(&list[i + 1], &list[i], (size_t)(*count - i) * sizeof *list);
    cati_strlcpy(list[i].code, code, sizeof list[i].code);
    list[i].n = n;
    (*count)++;
}

static int load_surveys(sqlite3 *db, long long survey_id, struct dashboard *d,
                        struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT id, name, paused FROM surveys WHERE ?1 = 0 OR id = ?1 ORDER BY name",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, survey_id);
    int cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (dash_grow((void **)&d->queues, d->nqueues, &cap, sizeof *d->queues) < 0) {
            sqlite3_finalize(st);
            return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
        }
        struct dash_queue *q = &d->queues[d->nqueues++];
        q->survey_id = sqlite3_column_int64(st, 0);
        db_column_copy(st, 1, q->survey, sizeof q->survey);
        q->paused = sqlite3_column_int(st, 2);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "surveys");
}

static int queue_counts(sqlite3 *db, struct dashboard *d, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT survey_id, state, code, n FROM case_counts WHERE n <> 0", &st, err) < 0)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct dash_queue *q = queue_of(d, sqlite3_column_int64(st, 0));
        if (!q)
            continue;
        const char *state = (const char *)sqlite3_column_text(st, 1);
        const char *code = (const char *)sqlite3_column_text(st, 2);
        long long n = sqlite3_column_int64(st, 3);
        q->total += n;
        add_code(q->all, &q->nall, code ? code : "", n);
        if (state && !strcmp(state, "final")) {
            q->final += n;
            add_code(q->finals, &q->nfinals, code ? code : "", n);
        } else if (state && !strcmp(state, "new")) {
            q->not_called += n;
        } else {
            q->waiting += n; /* open: split into due / waiting below */
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "case counts");
}

/* Open cases due by now: whole minutes from the counter, the current minute
 * from the queue index (a handful of rows). */
static int queue_due(sqlite3 *db, struct dashboard *d, time_t now, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT survey_id, sum(n) FROM case_due WHERE minute < ?1 GROUP BY survey_id",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, (long long)now / 60);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct dash_queue *q = queue_of(d, sqlite3_column_int64(st, 0));
        if (q)
            q->due += sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(db, err, "due counts");
    if (db_prepare(db, "SELECT count(*) FROM cases WHERE survey_id = ?1 AND state = 'open' "
                       "AND state <> 'final' AND next_call_at BETWEEN ?2 AND ?3",
                   &st, err) < 0)
        return -1;
    for (int i = 0; i < d->nqueues; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, d->queues[i].survey_id);
        sqlite3_bind_int64(st, 2, (long long)now / 60 * 60);
        sqlite3_bind_int64(st, 3, (long long)now);
        if (sqlite3_step(st) != SQLITE_ROW) {
            sqlite3_finalize(st);
            return db_error(db, err, "due now");
        }
        d->queues[i].due += sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    for (int i = 0; i < d->nqueues; i++)
        d->queues[i].waiting -= d->queues[i].due; /* waiting held every open case */
    return 0;
}

/* Cases in use (an unexpired lease) leave the category they would be in. */
static int queue_in_use(sqlite3 *db, struct dashboard *d, time_t now, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT survey_id, state, next_call_at <= ?1 FROM cases "
                       "WHERE claimed_by IS NOT NULL AND lease_until > ?1 AND state <> 'final'",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, (long long)now);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct dash_queue *q = queue_of(d, sqlite3_column_int64(st, 0));
        if (!q)
            continue;
        const char *state = (const char *)sqlite3_column_text(st, 1);
        q->in_use++;
        if (state && !strcmp(state, "new"))
            q->not_called--;
        else if (sqlite3_column_int(st, 2))
            q->due--;
        else
            q->waiting--;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "cases in use");
}

static int queue_appointments(sqlite3 *db, const struct cati_config *cfg, struct dashboard *d,
                              time_t now, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT survey_id, appointment_at, appointment_missed FROM cases "
                       "WHERE appointment_at IS NOT NULL AND state <> 'final'",
                   &st, err) < 0)
        return -1;
    time_t t0 = day_start(cfg, now);
    time_t t1 = day_start(cfg, t0 + 36 * 3600); /* next midnight, DST-safe */
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct dash_queue *q = queue_of(d, sqlite3_column_int64(st, 0));
        if (!q)
            continue;
        time_t at = (time_t)sqlite3_column_int64(st, 1);
        int missed = schedule_appointment_missed(cfg, at, sqlite3_column_int(st, 2), now);
        if (at >= t0 && at < t1)
            q->appt_today++;
        if (at >= now && at < now + 3600)
            q->appt_hour++;
        if (missed)
            q->appt_missed++;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "appointments");
}

/* --- interviewers ----------------------------------------------------------- */

static struct dash_interviewer *iv_of(struct dashboard *d, long long id)
{
    for (int i = 0; i < d->nivs; i++)
        if (d->ivs[i].id == id)
            return &d->ivs[i];
    return NULL;
}

/* Someone answered: the outcome table's contact column. */
static int is_contact(const char *outcome)
{
    const struct schedule_outcome *o = schedule_outcome_find(outcome);
    return o && o->contact;
}

static time_t max_t(time_t a, time_t b)
{
    return a > b ? a : b;
}

static int iv_list(sqlite3 *db, struct dashboard *d, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT id, login, name, coalesce(last_seen_at, 0), coalesce(seen_since, 0) "
                       "FROM interviewers WHERE active = 1 ORDER BY login",
                   &st, err) < 0)
        return -1;
    int cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (dash_grow((void **)&d->ivs, d->nivs, &cap, sizeof *d->ivs) < 0) {
            sqlite3_finalize(st);
            return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
        }
        struct dash_interviewer *v = &d->ivs[d->nivs++];
        v->id = sqlite3_column_int64(st, 0);
        db_column_copy(st, 1, v->login, sizeof v->login);
        db_column_copy(st, 2, v->name, sizeof v->name);
        v->last_seen = (time_t)sqlite3_column_int64(st, 3);
        v->seen_since = (time_t)sqlite3_column_int64(st, 4);
        v->per_hour = -1;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "interviewers");
}

static void iv_add_calls(struct dashboard *d, time_t *first, long long iv, const char *outcome,
                         int n, time_t f)
{
    struct dash_interviewer *v = iv_of(d, iv);
    if (!v || n <= 0)
        return;
    time_t *fp = &first[v - d->ivs];
    if (!*fp || f < *fp)
        *fp = f;
    v->calls += n;
    if (outcome && is_contact(outcome))
        v->contacts += n;
    if (outcome && !strcmp(outcome, "complete"))
        v->completes += n;
    if (outcome && schedule_outcome_refusal(schedule_outcome_find(outcome)))
        v->refusals += n;
}

/* Today's calls by interviewer and outcome: whole hours from the call_hours
 * counter, the part of an hour before them (time zones off the hour) from
 * the calls themselves. */
static int iv_calls(sqlite3 *db, struct dashboard *d, time_t t0, struct cati_error *err,
                    time_t *first)
{
    long long h0 = ((long long)t0 + 3599) / 3600;
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT interviewer_id, outcome, sum(n), min(first_at) FROM call_hours "
                       "WHERE hour >= ?1 AND n > 0 GROUP BY interviewer_id, outcome",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, h0);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        iv_add_calls(d, first, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
                     sqlite3_column_int(st, 2), (time_t)sqlite3_column_int64(st, 3));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(db, err, "calls today");
    if (db_prepare(db, "SELECT interviewer_id, outcome, count(*), min(started_at) FROM calls "
                       "WHERE started_at >= ?1 AND started_at < ?2 AND interviewer_id IS NOT NULL "
                       "GROUP BY interviewer_id, outcome",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, (long long)t0);
    sqlite3_bind_int64(st, 2, h0 * 3600);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        iv_add_calls(d, first, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
                     sqlite3_column_int(st, 2), (time_t)sqlite3_column_int64(st, 3));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "calls today");
}

/* Latest call and answer of each interviewer (indexed per interviewer). */
static int iv_last_work(sqlite3 *db, struct dashboard *d, struct cati_error *err)
{
    sqlite3_stmt *c, *a;
    if (db_prepare(db, "SELECT max(started_at), max(ended_at) FROM (SELECT started_at, ended_at "
                       "FROM calls WHERE interviewer_id = ?1 ORDER BY started_at DESC LIMIT 1)",
                   &c, err) < 0)
        return -1;
    if (db_prepare(db, "SELECT max(updated_at) FROM interviews WHERE interviewer_id = ?1", &a,
                   err) < 0) {
        sqlite3_finalize(c);
        return -1;
    }
    int ok = 1;
    for (int i = 0; i < d->nivs && ok; i++) {
        struct dash_interviewer *v = &d->ivs[i];
        sqlite3_reset(c);
        sqlite3_reset(a);
        sqlite3_bind_int64(c, 1, v->id);
        sqlite3_bind_int64(a, 1, v->id);
        ok = sqlite3_step(c) == SQLITE_ROW && sqlite3_step(a) == SQLITE_ROW;
        if (ok) {
            time_t w = max_t((time_t)sqlite3_column_int64(c, 0), (time_t)sqlite3_column_int64(c, 1));
            w = max_t(w, (time_t)sqlite3_column_int64(a, 0));
            v->last_work = max_t(v->last_work, w);
        }
    }
    sqlite3_finalize(c);
    sqlite3_finalize(a);
    return ok ? 0 : db_error(db, err, "last activity");
}

static int iv_cases(sqlite3 *db, const struct cati_config *cfg, struct dashboard *d, time_t now,
                    struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT claimed_by, id, ref, coalesce(claimed_at, lease_until - ?2) FROM cases "
                       "WHERE claimed_by IS NOT NULL AND lease_until > ?1 AND state <> 'final' "
                       "ORDER BY lease_until",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, (long long)now);
    sqlite3_bind_int64(st, 2, (long long)cfg->lease_minutes * 60); /* no claimed_at: from the lease */
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct dash_interviewer *v = iv_of(d, sqlite3_column_int64(st, 0));
        if (!v)
            continue;
        v->case_id = sqlite3_column_int64(st, 1);
        db_column_copy(st, 2, v->case_ref, sizeof v->case_ref);
        time_t since = (time_t)sqlite3_column_int64(st, 3);
        v->case_since = since < now ? since : now;
        v->last_work = max_t(v->last_work, v->case_since);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "cases held");
}

static int iv_cmp(const void *pa, const void *pb)
{
    const struct dash_interviewer *a = pa, *b = pb;
    if (a->logged_in != b->logged_in)
        return b->logged_in - a->logged_in;
    return strcmp(a->login, b->login);
}

static int interviewers(sqlite3 *db, const struct cati_config *cfg, struct dashboard *d,
                        time_t now, struct cati_error *err)
{
    if (iv_list(db, d, err) < 0)
        return -1;
    if (d->nivs == 0)
        return 0;
    time_t *first = calloc((size_t)d->nivs, sizeof *first);
    if (!first)
        return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
    time_t t0 = day_start(cfg, now);
    int rc = iv_calls(db, d, t0, err, first);
    if (rc == 0)
        rc = iv_last_work(db, d, err);
    if (rc == 0)
        rc = iv_cases(db, cfg, d, now, err);
    for (int i = 0; rc == 0 && i < d->nivs; i++) {
        struct dash_interviewer *v = &d->ivs[i];
        int console_on = v->last_seen && v->last_seen > now - DASHBOARD_LOGIN_MINUTES * 60;
        v->last_seen = max_t(v->last_seen, v->last_work);
        v->logged_in = v->case_id != 0 || (v->last_seen && v->last_seen > now - DASHBOARD_LOGIN_MINUTES * 60);
        /* idle since the last work, or since the console session began */
        time_t busy = max_t(v->last_work, console_on ? v->seen_since : 0);
        v->idle_since = v->logged_in ? busy : 0;
        v->idle = v->logged_in && (busy == 0 || busy <= now - (time_t)cfg->idle_minutes * 60);
        if (first[i]) { /* the one definition, shared with `report interviewers` */
            long long secs = 0;
            rc = dashboard_worked_seconds(db, cfg, v->id, 0, t0, now + 1, &secs, err);
            if (rc == 0)
                v->per_hour = dashboard_per_hour(v->completes, secs);
        }
    }
    free(first);
    if (rc == 0 && d->nivs > 0)
        qsort(d->ivs, (size_t)d->nivs, sizeof *d->ivs, iv_cmp);
    return rc;
}

/* --- scores ---------------------------------------------------------------- */

static enum dash_kind kind_parse(const char *s)
{
    for (unsigned i = 0; s && i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (!strcmp(s, kind_names[i]))
            return (enum dash_kind)i;
    return DASH_SCALE;
}

/* Add row r into the survey's "all services" total for the same question. */
static int add_total(struct dashboard *d, int *cap, int first_of_survey, const struct dash_score *r)
{
    for (int i = first_of_survey; i < d->nscores; i++) {
        struct dash_score *t = &d->scores[i];
        if (!t->all || strcmp(t->parameter, r->parameter) || strcmp(t->question, r->question) ||
            t->kind != r->kind)
            continue;
        if (t->n + r->n > 0)
            t->mean = (t->mean * (double)t->n + r->mean * (double)r->n) / (double)(t->n + r->n);
        t->n += r->n;
        t->top += r->top;
        return 0;
    }
    if (dash_grow((void **)&d->scores, d->nscores, cap, sizeof *d->scores) < 0)
        return -1;
    struct dash_score *t = &d->scores[d->nscores++];
    *t = *r;
    t->all = 1;
    t->service[0] = t->agency[0] = '\0';
    return 0;
}

/* Rows ordered so that each survey's totals come first, then per service
 * and agency; parameters in the order of a ServE script when they are the
 * five standard ones, else by name. */
static int score_order(const char *p)
{
    static const char *const five[] = {"accessibility", "timeliness", "attitude", "integrity", "feedback"};
    for (int i = 0; i < 5; i++)
        if (!strcmp(p, five[i]))
            return i;
    return 5;
}

static int score_cmp(const void *pa, const void *pb)
{
    const struct dash_score *a = pa, *b = pb;
    int c = strcmp(a->survey, b->survey);
    if (c)
        return c;
    if (a->all != b->all)
        return b->all - a->all;
    if ((c = strcmp(a->service, b->service)) || (c = strcmp(a->agency, b->agency)))
        return c;
    int oa = score_order(a->parameter), ob = score_order(b->parameter);
    if (oa != ob)
        return oa - ob;
    if ((c = strcmp(a->parameter, b->parameter)))
        return c;
    return strcmp(a->question, b->question);
}

static int scores(sqlite3 *db, long long survey_id, struct dashboard *d, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT s.id, s.name, x.service, x.agency, x.parameter, x.question, x.kind, "
                       "x.lo, x.hi, x.n, x.total, x.top FROM score_sums x JOIN surveys s "
                       "ON s.id = x.survey_id WHERE (?1 = 0 OR x.survey_id = ?1) "
                       "ORDER BY s.name, x.service, x.agency",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, survey_id);
    int cap = 0, rc, first = 0;
    long long cur = -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct dash_score r;
        memset(&r, 0, sizeof r);
        r.survey_id = sqlite3_column_int64(st, 0);
        db_column_copy(st, 1, r.survey, sizeof r.survey);
        db_column_copy(st, 2, r.service, sizeof r.service);
        db_column_copy(st, 3, r.agency, sizeof r.agency);
        db_column_copy(st, 4, r.parameter, sizeof r.parameter);
        db_column_copy(st, 5, r.question, sizeof r.question);
        r.kind = kind_parse((const char *)sqlite3_column_text(st, 6));
        r.lo = (long)sqlite3_column_int64(st, 7);
        r.hi = (long)sqlite3_column_int64(st, 8);
        r.n = sqlite3_column_int64(st, 9);
        r.mean = r.n > 0 ? sqlite3_column_double(st, 10) / (double)r.n : 0; /* n 0: all DK/RF */
        r.top = sqlite3_column_int64(st, 11);
        if (r.survey_id != cur) {
            cur = r.survey_id;
            first = d->nscores;
        }
        if (add_total(d, &cap, first, &r) < 0 ||
            dash_grow((void **)&d->scores, d->nscores, &cap, sizeof *d->scores) < 0) {
            sqlite3_finalize(st);
            return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
        }
        d->scores[d->nscores++] = r;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(db, err, "scores");
    if (d->nscores > 0)
        qsort(d->scores, (size_t)d->nscores, sizeof *d->scores, score_cmp);
    return 0;
}

void dashboard_text_answers_free(char **answers, int n)
{
    for (int i = 0; i < n; i++)
        free(answers[i]);
    free(answers);
}

int dashboard_text_answers(sqlite3 *db, long long survey_id, const char *question, int limit,
                           char ***out, int *n, struct cati_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    /* the newest limit, then put back in time order */
    if (db_prepare(db, "SELECT value FROM (SELECT a.value, i.completed_at, i.id FROM interviews i"
                       " JOIN cases c ON c.id = i.case_id"
                       " JOIN survey_measures m ON m.survey_version_id = i.survey_version_id"
                       " JOIN answers a ON a.interview_id = i.id AND a.question = m.question"
                       " WHERE c.survey_id = ?1 AND m.question = ?2 AND m.kind = 'text'"
                       " AND i.outcome = 'complete' AND i.state = 'live'"
                       " AND a.status = 'value' AND a.on_route = 1"
                       " ORDER BY i.completed_at DESC, i.id DESC LIMIT ?3)"
                       " ORDER BY completed_at, id",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, survey_id);
    sqlite3_bind_text(st, 2, question, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, limit > 0 ? limit : -1);
    int cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        char *v = cati_strdup(t ? (const char *)t : "");
        if (!v || dash_grow((void **)out, *n, &cap, sizeof **out) < 0) {
            free(v);
            rc = SQLITE_NOMEM;
            break;
        }
        (*out)[(*n)++] = v;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        dashboard_text_answers_free(*out, *n);
        *out = NULL;
        *n = 0;
        return rc == SQLITE_NOMEM ? cati_error_setk(err, CATI_ERR_NOMEM, "out of memory")
                                  : db_error(db, err, "text answers");
    }
    return 0;
}

/* --- flags ------------------------------------------------------------------ */

void dashboard_flags_free(struct dash_flag *flags, int n)
{
    for (int i = 0; i < n; i++)
        free(flags[i].text);
    free(flags);
}

static int flag_list(sqlite3 *db, long long survey_id, int limit, struct dash_flag **out, int *n,
                     struct cati_error *err)
{
    sqlite3_stmt *st;
    *out = NULL;
    *n = 0;
    if (db_prepare(db, "SELECT f.id, f.case_id, coalesce(f.interview_id, 0), s.name, c.ref, "
                       "c.service, c.agency, f.kind, f.question, f.text, coalesce(iv.login, ''), "
                       "f.raised_at, f.status, coalesce(f.handled_by, ''), coalesce(f.handled_at, 0) "
                       "FROM flags f JOIN cases c ON c.id = f.case_id "
                       "JOIN surveys s ON s.id = c.survey_id "
                       "LEFT JOIN interviews i ON i.id = f.interview_id "
                       "LEFT JOIN interviewers iv ON iv.id = i.interviewer_id "
                       "WHERE ?1 = 0 OR c.survey_id = ?1 "
                       "ORDER BY f.raised_at DESC, f.id DESC LIMIT ?2",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, survey_id);
    sqlite3_bind_int(st, 2, limit > 0 ? limit : -1);
    int cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (dash_grow((void **)out, *n, &cap, sizeof **out) < 0)
            break;
        struct dash_flag *f = &(*out)[*n];
        f->id = sqlite3_column_int64(st, 0);
        f->case_id = sqlite3_column_int64(st, 1);
        f->interview_id = sqlite3_column_int64(st, 2);
        db_column_copy(st, 3, f->survey, sizeof f->survey);
        db_column_copy(st, 4, f->ref, sizeof f->ref);
        db_column_copy(st, 5, f->service, sizeof f->service);
        db_column_copy(st, 6, f->agency, sizeof f->agency);
        db_column_copy(st, 7, f->kind, sizeof f->kind);
        db_column_copy(st, 8, f->question, sizeof f->question);
        const unsigned char *t = sqlite3_column_text(st, 9);
        f->text = cati_strdup(t ? (const char *)t : "");
        db_column_copy(st, 10, f->interviewer, sizeof f->interviewer);
        f->raised_at = (time_t)sqlite3_column_int64(st, 11);
        db_column_copy(st, 12, f->status, sizeof f->status);
        db_column_copy(st, 13, f->handled_by, sizeof f->handled_by);
        f->handled_at = (time_t)sqlite3_column_int64(st, 14);
        if (!f->text)
            break;
        (*n)++;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW) {
        dashboard_flags_free(*out, *n);
        *out = NULL;
        *n = 0;
        return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
    }
    if (rc != SQLITE_DONE) {
        dashboard_flags_free(*out, *n);
        *out = NULL;
        *n = 0;
        return db_error(db, err, "flags");
    }
    return 0;
}

static int flags(sqlite3 *db, long long survey_id, struct dashboard *d, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT coalesce(sum(n), 0), coalesce(sum(CASE WHEN status = 'new' THEN n END), 0) "
                       "FROM flag_counts WHERE ?1 = 0 OR survey_id = ?1",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, survey_id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return db_error(db, err, "flags");
    }
    d->flags_total = sqlite3_column_int64(st, 0);
    d->flags_new = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    return flag_list(db, survey_id, DASHBOARD_FLAG_LIMIT, &d->flags, &d->nflags, err);
}

int dashboard_flags(sqlite3 *db, long long survey_id, int limit, struct dash_flag **out, int *n,
                    struct cati_error *err)
{
    if (db_begin(db, err) < 0)
        return -1;
    if (flag_list(db, survey_id, limit, out, n, err) < 0) {
        db_rollback(db);
        return -1;
    }
    if (db_commit(db, err) < 0) {
        dashboard_flags_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

/* --- refresh ---------------------------------------------------------------- */

static int refresh_parts(sqlite3 *db, const struct cati_config *cfg, long long survey_id,
                         unsigned what, time_t now, struct dashboard *d, struct cati_error *err)
{
    if (load_surveys(db, survey_id, d, err) < 0)
        return -1;
    if (what & DASH_QUEUE) {
        if (queue_counts(db, d, err) < 0 || queue_due(db, d, now, err) < 0 ||
            queue_in_use(db, d, now, err) < 0 || queue_appointments(db, cfg, d, now, err) < 0)
            return -1;
    }
    if ((what & DASH_INTERVIEWERS) && interviewers(db, cfg, d, now, err) < 0)
        return -1;
    if ((what & DASH_SCORES) && scores(db, survey_id, d, err) < 0)
        return -1;
    if ((what & DASH_FLAGS) && flags(db, survey_id, d, err) < 0)
        return -1;
    if ((what & DASH_QUOTAS) && quota_cells(db, cfg, survey_id, &d->quotas, &d->nquotas, err) < 0)
        return -1;
    return 0;
}

int dashboard_refresh(sqlite3 *db, const struct cati_config *cfg, long long survey_id,
                      unsigned what, time_t now, struct dashboard *d, struct cati_error *err)
{
    dashboard_free(d);
    d->at = now;
    if (db_begin(db, err) < 0)
        return -1;
    int rc = refresh_parts(db, cfg, survey_id, what, now, d, err);
    if (rc == 0)
        rc = db_commit(db, err); /* a read: commit only ends the snapshot */
    else
        db_rollback(db);
    if (rc < 0)
        dashboard_free(d);
    return rc;
}
