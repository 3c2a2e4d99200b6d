/* Read-only views for the interviewer console: today's counts, unfinished
 * work, a case's details and history. */
#include "cati/shift.h"

#include <stdlib.h>
#include <string.h>

#include "cati/calendar.h"
#include "cati/case.h"
#include "cati/db.h"
#include "cati/interview.h"
#include "cati/schedule.h"
#include "cati/util.h"

int shift_counts(sqlite3 *db, const struct cati_config *cfg, long long interviewer_id, time_t now,
                 struct shift_counts *out, struct cati_error *err)
{
    memset(out, 0, sizeof *out);
    time_t day = calendar_day_start(cfg->timezone, now, 0);
    time_t next = calendar_day_start(cfg->timezone, now, 1);
    sqlite3_stmt *st;
    if (db_prepare(db,
                   "SELECT count(*), coalesce(sum(outcome = 'complete'), 0) FROM calls"
                   " WHERE started_at >= ?1 AND started_at < ?2 AND interviewer_id = ?3",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)day);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)next);
    sqlite3_bind_int64(st, 3, interviewer_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->calls = sqlite3_column_int(st, 0);
        out->completes = sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return db_error(db, err, "today's calls");
    if (db_prepare(db,
                   "SELECT appointment_at, ref, coalesce(name, ''), coalesce(timezone, ''),"
                   " appointment_missed FROM cases WHERE appointment_at >= ?1 AND appointment_at < ?2"
                   " AND appointment_with = ?3 AND state <> 'final' ORDER BY appointment_at, id",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)day);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)next);
    sqlite3_bind_int64(st, 3, interviewer_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->nappts < SHIFT_MAX_APPTS) {
            struct shift_appt *a = &out->appts[out->nappts++];
            a->at = (time_t)sqlite3_column_int64(st, 0);
            db_column_copy(st, 1, a->ref, sizeof a->ref);
            db_column_copy(st, 2, a->name, sizeof a->name);
            db_column_copy(st, 3, a->timezone, sizeof a->timezone);
            a->missed = schedule_appointment_missed(cfg, a->at, sqlite3_column_int(st, 4), now);
        }
        out->appointments++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(db, err, "today's appointments");
    return 0;
}

int shift_unfinished(sqlite3 *db, long long interviewer_id, long long *case_id,
                     struct cati_error *err)
{
    long long id = 0;
    if (db_int(db,
               "SELECT id FROM cases WHERE claimed_by = ?1 AND state <> 'final'"
               " ORDER BY lease_until DESC LIMIT 1",
               NULL, interviewer_id, 0, &id, err) < 0)
        return -1;
    *case_id = id;
    return id > 0;
}

int shift_surveys(sqlite3 *db, char *buf, size_t size, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT name FROM surveys WHERE paused = 0 ORDER BY name", &st, err) < 0)
        return -1;
    size_t used = 0;
    buf[0] = '\0';
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (!name)
            continue;
        size_t n = strlen(name);
        if (used + n + 3 >= size)
            break;
        if (used) {
            memcpy(buf + used, ", ", 2);
            used += 2;
        }
        memcpy(buf + used, name, n);
        used += n;
        buf[used] = '\0';
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_error(db, err, "surveys");
    return 0;
}

static int load_main(sqlite3 *db, long long case_id, struct shift_case *out, struct cati_error *err)
{
    struct case_info k;
    int found = case_info_load(db, case_id, &k, err);
    if (found <= 0)
        return found < 0 ? -1 : cati_error_set(err, "no case %lld", case_id);
    out->id = case_id;
    out->survey_id = k.survey_id;
    cati_strlcpy(out->survey, k.survey, sizeof out->survey);
    cati_strlcpy(out->survey_title, k.survey_title, sizeof out->survey_title);
    cati_strlcpy(out->ref, k.ref, sizeof out->ref);
    cati_strlcpy(out->name, k.name, sizeof out->name);
    cati_strlcpy(out->service, k.service, sizeof out->service);
    cati_strlcpy(out->agency, k.agency, sizeof out->agency);
    cati_strlcpy(out->district, k.district, sizeof out->district);
    cati_strlcpy(out->availed_on, k.availed_on, sizeof out->availed_on);
    cati_strlcpy(out->language, k.language, sizeof out->language);
    cati_strlcpy(out->timezone, k.timezone, sizeof out->timezone);
    cati_strlcpy(out->state, k.state, sizeof out->state);
    cati_strlcpy(out->disposition, k.disposition, sizeof out->disposition);
    cati_strlcpy(out->interim, k.interim, sizeof out->interim);
    out->attempts = k.attempts;
    out->phone_pos = k.phone_pos;
    out->appointment_at = k.appointment_at;
    cati_strlcpy(out->appointment_with, k.appointment_with, sizeof out->appointment_with);
    out->appointment_missed = k.appointment_missed;
    out->claimed_by = k.claimed_by;
    out->lease_until = k.lease_until;
    out->next_call_at = k.next_call_at;
    return 0;
}

static int keep_phone(const struct case_phone *p, void *ctx)
{
    struct shift_case *out = ctx;
    struct shift_phone *q = &out->phones[out->nphones++];
    q->position = p->position;
    cati_strlcpy(q->number, p->number, sizeof q->number);
    cati_strlcpy(q->status, p->status, sizeof q->status);
    q->attempts = p->attempts;
    return out->nphones >= SHIFT_MAX_PHONES;
}

static int load_phones(sqlite3 *db, struct shift_case *out, struct cati_error *err)
{
    return case_phones(db, out->id, keep_phone, out, err);
}

/* Keeps the newest SHIFT_MAX_CALLS calls, in a ring while they come
 * oldest first. */
struct calls_ring { struct shift_call calls[SHIFT_MAX_CALLS]; int n; };

static int keep_call(const struct case_call *k, void *ctx)
{
    struct calls_ring *r = ctx;
    struct shift_call *c = &r->calls[r->n++ % SHIFT_MAX_CALLS];
    c->at = k->started_at;
    cati_strlcpy(c->who, k->interviewer, sizeof c->who);
    cati_strlcpy(c->outcome, k->outcome, sizeof c->outcome);
    cati_strlcpy(c->aapor, k->aapor, sizeof c->aapor);
    cati_strlcpy(c->note, k->note, sizeof c->note);
    return 0;
}

static int load_calls(sqlite3 *db, struct shift_case *out, struct cati_error *err)
{
    struct calls_ring *r = malloc(sizeof *r);
    if (!r)
        return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
    r->n = 0;
    if (case_calls(db, out->id, keep_call, r, &out->total_calls, err) < 0) {
        free(r);
        return -1;
    }
    /* newest first */
    out->ncalls = r->n < SHIFT_MAX_CALLS ? r->n : SHIFT_MAX_CALLS;
    for (int i = 0; i < out->ncalls; i++)
        out->calls[i] = r->calls[(r->n - 1 - i) % SHIFT_MAX_CALLS];
    free(r);
    return 0;
}

static int load_interview(sqlite3 *db, struct shift_case *out, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db,
                   "SELECT v.id, v.current_question,"
                   " (SELECT count(*) FROM answers a WHERE a.interview_id = v.id AND a.on_route)"
                   " FROM interviews v WHERE v.case_id = ?1 AND v.outcome IS NULL"
                   " ORDER BY v.id DESC LIMIT 1",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, out->id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->open_interview = sqlite3_column_int64(st, 0);
        db_column_copy(st, 1, out->open_question, sizeof out->open_question);
        out->open_answered = sqlite3_column_int(st, 2);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_error(db, err, "interview");
    /* the language the respondent was last spoken to in */
    cati_strlcpy(out->read_language, out->language, sizeof out->read_language);
    if (db_prepare(db, "SELECT language FROM interviews WHERE case_id = ?1 ORDER BY id DESC LIMIT 1",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, out->id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_text(st, 0) && *sqlite3_column_text(st, 0))
        db_column_copy(st, 0, out->read_language, sizeof out->read_language);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_error(db, err, "interview");
    return 0;
}

int shift_case_load(sqlite3 *db, long long case_id, struct shift_case *out, struct cati_error *err)
{
    memset(out, 0, sizeof *out);
    if (db_begin(db, err) < 0)
        return -1;
    int rc = load_main(db, case_id, out, err);
    if (rc == 0)
        rc = load_phones(db, out, err);
    if (rc == 0)
        rc = load_calls(db, out, err);
    if (rc == 0)
        rc = load_interview(db, out, err);
    if (rc == 0)
        return db_commit(db, err);
    db_rollback(db);
    return -1;
}

int shift_case_fields(sqlite3 *db, long long case_id,
                      int (*fn)(const char *name, const char *value, void *ctx), void *ctx,
                      struct cati_error *err)
{
    return case_fields(db, case_id, fn, ctx, err);
}

const char *shift_breakoff_outcome(const struct cati_config *cfg, const struct cati_interview *iv)
{
    int n = 0, m = 0;
    interview_progress(iv, &n, &m);
    int answered = interview_current(iv) ? n - 1 : n;
    if (m > 0 && answered > 0 && answered * 100 >= cfg->partial_percent * m)
        return "partial";
    return "breakoff";
}
