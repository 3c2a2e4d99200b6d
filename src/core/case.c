/* One case, one holder: the hold check every case write makes, and the
 * supervisor actions on a case with their role check and audit row. */
#include "cati/case.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/db.h"
#include "cati/schedule.h"
#include "cati/util.h"

struct hold_row {
    char ref[64];
    char state[8];
    char disposition[8];
    long long claimed_by;   /* 0 = none */
    char holder[64];        /* login of claimed_by */
    long long claimed_at, lease_until;
    char released_by[64];   /* "" = never released by someone else */
    long long released_at;
    char session[40];       /* the console holding it, "" = a command */
    char last_by[64];       /* the last call's interviewer */
    long long last_at;      /* and its time */
};

static void copy_text(sqlite3_stmt *st, int i, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    cati_strlcpy(out, t ? (const char *)t : "", size);
}

/* 1 found, 0 no such case, -1 error. */
static int load_hold(sqlite3 *db, long long case_id, struct hold_row *h, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db,
                   "SELECT c.ref, c.state, coalesce(c.disposition, ''), coalesce(c.claimed_by, 0),"
                   " coalesce(h.login, ''), coalesce(c.claimed_at, 0), coalesce(c.lease_until, 0),"
                   " coalesce(r.login, ''), coalesce(c.released_at, 0),"
                   " coalesce((SELECT i.login FROM calls k JOIN interviewers i ON i.id = k.interviewer_id"
                   "   WHERE k.case_id = c.id ORDER BY k.id DESC LIMIT 1), ''),"
                   " coalesce((SELECT max(k.ended_at) FROM calls k WHERE k.case_id = c.id), 0),"
                   " c.claim_session"
                   " FROM cases c LEFT JOIN interviewers h ON h.id = c.claimed_by"
                   " LEFT JOIN interviewers r ON r.id = c.released_by WHERE c.id = ?1",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, case_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        copy_text(st, 0, h->ref, sizeof h->ref);
        copy_text(st, 1, h->state, sizeof h->state);
        copy_text(st, 2, h->disposition, sizeof h->disposition);
        h->claimed_by = sqlite3_column_int64(st, 3);
        copy_text(st, 4, h->holder, sizeof h->holder);
        h->claimed_at = sqlite3_column_int64(st, 5);
        h->lease_until = sqlite3_column_int64(st, 6);
        copy_text(st, 7, h->released_by, sizeof h->released_by);
        h->released_at = sqlite3_column_int64(st, 8);
        copy_text(st, 9, h->last_by, sizeof h->last_by);
        h->last_at = sqlite3_column_int64(st, 10);
        copy_text(st, 11, h->session, sizeof h->session);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "case");
}

/* "10:42" when t is today in the calling zone, else "2026-11-28 10:42". */
static const char *clock_text(const struct cati_config *cfg, time_t t, char *buf, size_t size)
{
    char now[32];
    cati_format_time(t, cfg->timezone, buf, size);
    cati_format_time(cati_now(), cfg->timezone, now, sizeof now);
    if (strlen(buf) >= 16 && !strncmp(buf, now, 10))
        memmove(buf, buf + 11, strlen(buf + 11) + 1);
    return buf;
}

/* Why who does not hold the case, as one plain line. Returns -1. */
static int lost(const struct cati_config *cfg, const struct hold_row *h,
                const struct cati_interviewer *who, time_t now, struct cati_error *err)
{
    char t[32];
    if (!strcmp(h->state, "final")) {
        if (h->last_by[0] && h->last_at)
            cati_error_set(err, "case %s was closed (%s) by %s at %s", h->ref, h->disposition,
                           h->last_by, clock_text(cfg, (time_t)h->last_at, t, sizeof t));
        else
            cati_error_set(err, "case %s is closed (%s)", h->ref, h->disposition);
    } else if (h->claimed_by && h->claimed_by != who->id) {
        cati_error_set(err, "case %s is not claimed by you: %s holds it since %s", h->ref, h->holder,
                       clock_text(cfg, (time_t)h->claimed_at, t, sizeof t));
    } else if (h->claimed_by == who->id) {
        cati_error_set(err, "your hold on case %s ran out at %s (no key for %d minute%s)", h->ref,
                       clock_text(cfg, (time_t)h->lease_until, t, sizeof t), cfg->lease_minutes,
                       cfg->lease_minutes == 1 ? "" : "s");
    } else if (h->released_by[0] && h->released_at) {
        cati_error_set(err, "case %s was released by %s at %s", h->ref, h->released_by,
                       clock_text(cfg, (time_t)h->released_at, t, sizeof t));
    } else {
        cati_error_set(err, "case %s is not claimed by you", h->ref);
    }
    (void)now;
    return cati_error_kind(err, CATI_ERR_LOST);
}

int case_hold_check(sqlite3 *db, const struct cati_config *cfg, long long case_id,
                    const struct cati_interviewer *who, struct cati_error *err)
{
    /* the common case in one short indexed read; the story only when lost */
    long long held = 0;
    if (who) {
        sqlite3_stmt *st;
        if (db_prepare(db, "SELECT state <> 'final' AND claimed_by = ?2 AND lease_until > ?3"
                           " AND (?4 = '' OR claim_session = ?4) FROM cases WHERE id = ?1", &st, err) < 0)
            return -1;
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, who->id);
        sqlite3_bind_int64(st, 3, (long long)cati_now());
        sqlite3_bind_text(st, 4, who->session, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            held = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return db_error(db, err, "case");
        if (held)
            return 0;
    }
    struct hold_row h;
    int found = load_hold(db, case_id, &h, err);
    if (found < 0)
        return -1;
    if (!found)
        return cati_error_setk(err, CATI_ERR_NOT_FOUND, "case %lld: no such case", case_id);
    time_t now = cati_now();
    if (!who || strcmp(h.state, "final") == 0 || h.claimed_by != who->id || h.lease_until <= now)
        return lost(cfg, &h, who ? who : &(struct cati_interviewer){0}, now, err);
    if (who->session[0] && strcmp(h.session, who->session) != 0) {
        char t[32];
        cati_error_set(err, "case %s was opened in another console of yours at %s", h.ref,
                       clock_text(cfg, (time_t)h.claimed_at, t, sizeof t));
        return cati_error_kind(err, CATI_ERR_LOST);
    }
    return 0;
}

int case_hold(sqlite3 *db, const struct cati_config *cfg, long long case_id,
              const struct cati_interviewer *who, struct cati_error *err)
{
    if (case_hold_check(db, cfg, case_id, who, err) < 0)
        return -1;
    time_t now = cati_now();
    sqlite3_stmt *st;
    if (db_prepare(db, "UPDATE cases SET lease_until = ?2 WHERE id = ?1", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, (long long)now + (long long)cfg->lease_minutes * 60);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "lease");
}

int case_renew(sqlite3 *db, const struct cati_config *cfg, long long case_id,
               const struct cati_interviewer *who, struct cati_error *err)
{
    if (db_begin_immediate(db, err) < 0)
        return -1;
    if (case_hold(db, cfg, case_id, who, err) < 0) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db, err);
}

static int audit(sqlite3 *db, const struct cati_interviewer *who, const char *action,
                 const char *detail, struct cati_error *err)
{
    return db_audit(db, who->login, action, detail, err);
}

/* Step a prepared statement to its end and finalize it. */
static int step_done(sqlite3 *db, sqlite3_stmt *st, struct cati_error *err, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, what);
}

/* Clear the hold; by > 0: someone else took it (remembered for the holder). */
static int clear_hold(sqlite3 *db, long long case_id, long long by, time_t now, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "UPDATE cases SET claimed_by = NULL, lease_until = NULL, claimed_at = NULL,"
                       " released_by = CASE WHEN ?3 > 0 THEN ?3 ELSE released_by END,"
                       " released_at = CASE WHEN ?3 > 0 THEN ?2 ELSE released_at END,"
                       " updated_at = ?2 WHERE id = ?1", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, (long long)now);
    sqlite3_bind_int64(st, 3, by);
    return step_done(db, st, err, "release");
}

static int release_in(sqlite3 *db, const struct cati_config *cfg, long long case_id,
                      const struct cati_interviewer *who, int *was_claimed, struct cati_error *err)
{
    struct hold_row h;
    int found = load_hold(db, case_id, &h, err);
    if (found < 0)
        return -1;
    if (!found || !strcmp(h.state, "final"))
        return cati_error_setk(err, CATI_ERR_NOT_FOUND, "case %lld: no such open case", case_id);
    if (was_claimed)
        *was_claimed = h.claimed_by != 0;
    time_t now = cati_now();
    if (who && h.claimed_by == who->id && h.lease_until > now) {
        /* the holder lets their own case go (from the console holding it) */
        if (case_hold_check(db, cfg, case_id, who, err) < 0)
            return -1;
        return clear_hold(db, case_id, 0, now, err);
    }
    if (account_require_role(db, who, ROLE_SUPERVISOR, err) < 0) {
        if (err && err->kind == CATI_ERR_ROLE)
            return lost(cfg, &h, who, now, err);
        return -1;
    }
    char detail[32];
    snprintf(detail, sizeof detail, "%lld", case_id);
    if (clear_hold(db, case_id, who->id, now, err) < 0)
        return -1;
    return audit(db, who, "case release", detail, err);
}

int case_release(sqlite3 *db, const struct cati_config *cfg, long long case_id,
                 const struct cati_interviewer *who, int *was_claimed, struct cati_error *err)
{
    if (db_begin_immediate(db, err) < 0)
        return -1;
    if (release_in(db, cfg, case_id, who, was_claimed, err) < 0) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db, err);
}

int case_priority_parse(const char *s, long *out)
{
    long v;
    if (!s || cati_parse_long(s, &v) < 0 || v < CASE_PRIORITY_MIN || v > CASE_PRIORITY_MAX)
        return -1;
    *out = v;
    return 0;
}

int case_set_priority(sqlite3 *db, long long case_id, int priority,
                      const struct cati_interviewer *who, struct cati_error *err)
{
    if (priority < CASE_PRIORITY_MIN || priority > CASE_PRIORITY_MAX)
        return cati_error_setk(err, CATI_ERR_INPUT, "case %lld: priority %d is outside %d..%d", case_id,
                               priority, CASE_PRIORITY_MIN, CASE_PRIORITY_MAX);
    if (db_begin_immediate(db, err) < 0)
        return -1;
    char detail[64];
    snprintf(detail, sizeof detail, "%lld %d", case_id, priority);
    sqlite3_stmt *st;
    if (account_require_role(db, who, ROLE_SUPERVISOR, err) < 0 ||
        db_prepare(db, "UPDATE cases SET priority = ?2, updated_at = ?3 WHERE id = ?1", &st, err) < 0)
        goto fail;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int(st, 2, priority);
    sqlite3_bind_int64(st, 3, (long long)cati_now());
    if (step_done(db, st, err, "priority") < 0)
        goto fail;
    if (sqlite3_changes(db) == 0) {
        cati_error_setk(err, CATI_ERR_NOT_FOUND, "case %lld: no such case", case_id);
        goto fail;
    }
    if (audit(db, who, "case priority", detail, err) < 0)
        goto fail;
    return db_commit(db, err);
fail:
    db_rollback(db);
    return -1;
}

int case_appoint(sqlite3 *db, const struct cati_config *cfg, long long case_id, time_t at,
                 long long with_id, const struct cati_interviewer *who, struct cati_error *err)
{
    if (at <= cati_now())
        return cati_error_set(err, "an appointment needs a time in the future");
    if (db_begin_immediate(db, err) < 0)
        return -1;
    char when[32], with[64] = "", detail[160];
    if (account_require_role(db, who, ROLE_SUPERVISOR, err) < 0)
        goto fail;
    struct hold_row h;
    int found = load_hold(db, case_id, &h, err);
    if (found < 0)
        goto fail;
    if (found && h.claimed_by && h.claimed_by != who->id && h.lease_until > cati_now()) {
        /* the holder's next call would replace it: they book it, or release first */
        cati_error_set(err, "case %s is held by %s: release it first (or %s books the appointment)",
                       h.ref, h.holder, h.holder);
        goto fail;
    }
    if (with_id > 0) {
        sqlite3_stmt *st;
        if (db_prepare(db, "SELECT login FROM interviewers WHERE id = ?1", &st, err) < 0)
            goto fail;
        sqlite3_bind_int64(st, 1, with_id);
        if (sqlite3_step(st) == SQLITE_ROW)
            copy_text(st, 0, with, sizeof with);
        sqlite3_finalize(st);
    }
    sqlite3_stmt *st;
    if (db_prepare(db,
                   "UPDATE cases SET appointment_at = ?2, appointment_with = ?3,"
                   " appointment_missed = 0, next_call_at = ?2, updated_at = ?4"
                   " WHERE id = ?1 AND state <> 'final'", &st, err) < 0)
        goto fail;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, (long long)at);
    if (with_id > 0)
        sqlite3_bind_int64(st, 3, with_id);
    else
        sqlite3_bind_null(st, 3);
    sqlite3_bind_int64(st, 4, (long long)cati_now());
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        db_error(db, err, "appointment");
        goto fail;
    }
    if (sqlite3_changes(db) == 0) {
        cati_error_setk(err, CATI_ERR_NOT_FOUND, "case %lld: no such open case", case_id);
        goto fail;
    }
    snprintf(detail, sizeof detail, "%lld %s%s%s", case_id,
             cati_format_time(at, cfg->timezone, when, sizeof when), with[0] ? " with " : "", with);
    if (audit(db, who, "case appoint", detail, err) < 0)
        goto fail;
    return db_commit(db, err);
fail:
    db_rollback(db);
    return -1;
}

int case_set_note(sqlite3 *db, const struct cati_config *cfg, long long case_id,
                  const struct cati_interviewer *who, const char *note, struct cati_error *err)
{
    if (strlen(note) > SCHEDULE_NOTE_MAX || !cati_utf8_valid(note, strlen(note)))
        return cati_error_set(err, "a note is UTF-8 text of at most %d bytes", SCHEDULE_NOTE_MAX);
    if (db_begin_immediate(db, err) < 0)
        return -1;
    if (case_hold(db, cfg, case_id, who, err) < 0)
        goto fail;
    sqlite3_stmt *st;
    if (db_prepare(db, "UPDATE cases SET call_note = ?2 WHERE id = ?1", &st, err) < 0)
        goto fail;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_text(st, 2, note, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        db_error(db, err, "note");
        goto fail;
    }
    return db_commit(db, err);
fail:
    db_rollback(db);
    return -1;
}

int case_note(sqlite3 *db, long long case_id, char *buf, size_t size, struct cati_error *err)
{
    sqlite3_stmt *st;
    buf[0] = '\0';
    if (db_prepare(db, "SELECT call_note FROM cases WHERE id = ?1", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, case_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        copy_text(st, 0, buf, size);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(db, err, "note");
}

int case_calls(sqlite3 *db, long long case_id, int (*fn)(const struct case_call *, void *), void *ctx,
               int *total, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db,
                   "SELECT k.id, k.attempt, k.started_at, coalesce(k.ended_at, 0), coalesce(i.login, ''),"
                   " k.number, k.outcome, k.aapor, k.slot, k.note, count(*) OVER ()"
                   " FROM calls k LEFT JOIN interviewers i ON i.id = k.interviewer_id"
                   " WHERE k.case_id = ?1 ORDER BY k.attempt, k.id",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, case_id);
    if (total)
        *total = 0;
    struct case_call *k = malloc(sizeof *k);
    if (!k) {
        sqlite3_finalize(st);
        return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (total)
            *total = sqlite3_column_int(st, 10);
        k->id = sqlite3_column_int64(st, 0);
        k->attempt = sqlite3_column_int(st, 1);
        k->started_at = (time_t)sqlite3_column_int64(st, 2);
        k->ended_at = (time_t)sqlite3_column_int64(st, 3);
        db_column_copy(st, 4, k->interviewer, sizeof k->interviewer);
        db_column_copy(st, 5, k->number, sizeof k->number);
        db_column_copy(st, 6, k->outcome, sizeof k->outcome);
        db_column_copy(st, 7, k->aapor, sizeof k->aapor);
        db_column_copy(st, 8, k->slot, sizeof k->slot);
        db_column_copy(st, 9, k->note, sizeof k->note);
        if (fn(k, ctx))
            break;
    }
    free(k);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : db_error(db, err, "calls");
}

int case_info_load(sqlite3 *db, long long case_id, struct case_info *out, struct cati_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    if (db_prepare(db,
                   "SELECT k.survey_id, s.name, s.title, k.ref, k.name, k.service, k.agency, k.district,"
                   " k.availed_on, k.language, k.timezone, k.state, coalesce(k.disposition, ''),"
                   " k.interim_code, coalesce(k.disposition, k.interim_code), k.priority, k.attempts,"
                   " k.phone_pos, k.next_call_at, coalesce(k.appointment_at, 0), coalesce(a.login, ''),"
                   " k.appointment_missed, coalesce(k.claimed_by, 0), coalesce(h.login, ''),"
                   " coalesce(k.lease_until, 0), (SELECT count(*) FROM flags f WHERE f.case_id = k.id)"
                   " FROM cases k JOIN surveys s ON s.id = k.survey_id"
                   " LEFT JOIN interviewers a ON a.id = k.appointment_with"
                   " LEFT JOIN interviewers h ON h.id = k.claimed_by WHERE k.id = ?1",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, case_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = case_id;
        out->survey_id = sqlite3_column_int64(st, 0);
        db_column_copy(st, 1, out->survey, sizeof out->survey);
        db_column_copy(st, 2, out->survey_title, sizeof out->survey_title);
        db_column_copy(st, 3, out->ref, sizeof out->ref);
        db_column_copy(st, 4, out->name, sizeof out->name);
        db_column_copy(st, 5, out->service, sizeof out->service);
        db_column_copy(st, 6, out->agency, sizeof out->agency);
        db_column_copy(st, 7, out->district, sizeof out->district);
        db_column_copy(st, 8, out->availed_on, sizeof out->availed_on);
        db_column_copy(st, 9, out->language, sizeof out->language);
        db_column_copy(st, 10, out->timezone, sizeof out->timezone);
        db_column_copy(st, 11, out->state, sizeof out->state);
        db_column_copy(st, 12, out->disposition, sizeof out->disposition);
        db_column_copy(st, 13, out->interim, sizeof out->interim);
        db_column_copy(st, 14, out->code, sizeof out->code);
        out->priority = sqlite3_column_int(st, 15);
        out->attempts = sqlite3_column_int(st, 16);
        out->phone_pos = sqlite3_column_int(st, 17);
        out->next_call_at = (time_t)sqlite3_column_int64(st, 18);
        out->appointment_at = (time_t)sqlite3_column_int64(st, 19);
        db_column_copy(st, 20, out->appointment_with, sizeof out->appointment_with);
        out->appointment_missed = sqlite3_column_int(st, 21);
        out->claimed_by = sqlite3_column_int64(st, 22);
        db_column_copy(st, 23, out->claimed_login, sizeof out->claimed_login);
        out->lease_until = (time_t)sqlite3_column_int64(st, 24);
        out->nflags = sqlite3_column_int64(st, 25);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "case");
}

int case_phones(sqlite3 *db, long long case_id, int (*fn)(const struct case_phone *, void *), void *ctx,
                struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT position, number, status, attempts FROM phones WHERE case_id = ?1"
                       " ORDER BY position", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, case_id);
    int rc;
    struct case_phone p;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        p.position = sqlite3_column_int(st, 0);
        db_column_copy(st, 1, p.number, sizeof p.number);
        db_column_copy(st, 2, p.status, sizeof p.status);
        p.attempts = sqlite3_column_int(st, 3);
        if (fn(&p, ctx))
            break;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : db_error(db, err, "phones");
}

int case_fields(sqlite3 *db, long long case_id, int (*fn)(const char *name, const char *value, void *ctx),
                void *ctx, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT name, value FROM case_fields WHERE case_id = ?1 ORDER BY name", &st,
                   err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, case_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *value = (const char *)sqlite3_column_text(st, 1);
        if (fn(name ? name : "", value ? value : "", ctx))
            break;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : db_error(db, err, "case fields");
}
