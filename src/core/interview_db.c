/* Interviews in the database: start, load (resume), and one transaction per
 * accepted answer (answers upsert, answer_log, off-route marks, flags,
 * the interviews row). Never touches the case's queue state. */
#include "interview_int.h"

#include <stdlib.h>
#include <string.h>

#include "cati/case.h"
#include "cati/db.h"
#include "cati/util.h"

static const char *enc(enum cati_astatus st, const char *value)
{
    switch (st) {
    case ANS_VALUE: return value ? value : "";
    case ANS_DK: return "dk";
    case ANS_RF: return "rf";
    default: return NULL;
    }
}

static const char *status_word(enum cati_astatus st)
{
    return st == ANS_DK ? "dk" : st == ANS_RF ? "rf" : "value";
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static void bind_id_or_null(sqlite3_stmt *st, int i, long long id)
{
    if (id)
        sqlite3_bind_int64(st, i, id);
    else
        sqlite3_bind_null(st, i);
}

/* Step a prepared statement to completion and finalize it. 0 or -1. */
static int run(sqlite3 *db, sqlite3_stmt *st, struct cati_error *err, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_error(db, err, what);
    return 0;
}

static int log_event(struct cati_interview *iv, const char *question, const char *event,
                     const char *old_value, const char *new_value, long long seconds, time_t now,
                     struct cati_error *err)
{
    char uuid[37];
    if (cati_uuid(uuid) < 0)
        return cati_error_set(err, "cannot make a UUID");
    sqlite3_stmt *st;
    if (db_prepare(iv->db, "INSERT INTO answer_log(uuid, interview_id, question, event, old_value, "
                           "new_value, interviewer_id, language, seconds, at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, err) < 0)
        return -1;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, iv->id);
    sqlite3_bind_text(st, 3, question, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, event, -1, SQLITE_STATIC);
    bind_text_or_null(st, 5, old_value);
    bind_text_or_null(st, 6, new_value);
    bind_id_or_null(st, 7, iv->interviewer_id);
    sqlite3_bind_text(st, 8, interview_language(iv), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, seconds);
    sqlite3_bind_int64(st, 10, (sqlite3_int64)now);
    return run(iv->db, st, err, "logging the answer");
}

/* The interview's cursor and language. The outcome is not written here:
 * an interview that reached its end keeps outcome NULL (and current
 * question "") until its call is recorded, in the same transaction as the
 * case's call and disposition (schedule_record). */
static int update_interview(struct cati_interview *iv, const char *current, time_t now,
                            struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(iv->db, "UPDATE interviews SET current_question = ?, language = ?, updated_at = ? "
                           "WHERE id = ?", &st, err) < 0)
        return -1;
    sqlite3_bind_text(st, 1, current ? current : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, interview_language(iv), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
    sqlite3_bind_int64(st, 4, iv->id);
    return run(iv->db, st, err, "updating the interview");
}

/* Open a write transaction in which iv's interviewer holds its case. */
static int begin_held(struct cati_interview *iv, struct cati_error *err)
{
    if (db_begin_immediate(iv->db, err) < 0)
        return -1;
    if (case_hold(iv->db, iv->cfg, iv->case_id, &iv->who, err) < 0) {
        db_rollback(iv->db);
        return -1;
    }
    long long open = 0;
    if (db_int(iv->db, "SELECT state = 'live' AND outcome IS NULL FROM interviews WHERE id = ?1", NULL,
               iv->id, 0, &open, err) < 0) {
        db_rollback(iv->db);
        return -1;
    }
    if (!open) {
        db_rollback(iv->db);
        return cati_error_set(err, "interview %lld is already closed", iv->id);
    }
    /* whoever holds the case works its interview: the first write of a new
     * holder (one resumed after a lease ran out, or gone back into from its
     * end) makes it theirs, so one case has one holder */
    sqlite3_stmt *st;
    if (db_prepare(iv->db, "UPDATE interviews SET interviewer_id = ?2 WHERE id = ?1 AND interviewer_id IS NOT ?2",
                   &st, err) < 0) {
        db_rollback(iv->db);
        return -1;
    }
    sqlite3_bind_int64(st, 1, iv->id);
    sqlite3_bind_int64(st, 2, iv->who.id);
    if (run(iv->db, st, err, "taking over the interview") < 0) {
        db_rollback(iv->db);
        return -1;
    }
    return 0;
}

/* Run one statement inside a held transaction. */
static int run_held(struct cati_interview *iv, sqlite3_stmt *st, struct cati_error *err, const char *what)
{
    if (run(iv->db, st, err, what) < 0) {
        db_rollback(iv->db);
        return -1;
    }
    return db_commit(iv->db, err);
}

static int set_flags(struct cati_interview *iv, int qi, time_t now, struct cati_error *err)
{
    const struct cati_question *q = &iv->s->questions[qi];
    for (int i = 0; i < q->nflags; i++) {
        const struct cati_flag *f = &q->flags[i];
        int on = !f->cond || iv_eval(iv, f->cond, NULL);
        sqlite3_stmt *st;
        if (on) {
            char uuid[37];
            char *text = iv_flag_text(iv, qi);
            if (!text || cati_uuid(uuid) < 0) {
                free(text);
                return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
            }
            if (db_prepare(iv->db, "INSERT INTO flags(uuid, interview_id, case_id, kind, question, text, "
                                   "raised_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                                   "ON CONFLICT(interview_id, kind, question) DO UPDATE SET "
                                   "text = excluded.text, updated_at = excluded.updated_at", &st, err) < 0) {
                free(text);
                return -1;
            }
            sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 2, iv->id);
            sqlite3_bind_int64(st, 3, iv->case_id);
            sqlite3_bind_text(st, 4, f->kind, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 5, q->name, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 6, text, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 7, (sqlite3_int64)now);
            sqlite3_bind_int64(st, 8, (sqlite3_int64)now);
            free(text);
        } else {
            if (db_prepare(iv->db, "DELETE FROM flags WHERE interview_id = ? AND kind = ? AND question = ? "
                                   "AND status = 'new'", &st, err) < 0)
                return -1;
            sqlite3_bind_int64(st, 1, iv->id);
            sqlite3_bind_text(st, 2, f->kind, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, q->name, -1, SQLITE_STATIC);
        }
        if (run(iv->db, st, err, "raising a flag") < 0)
            return -1;
    }
    return 0;
}

static int same_as_stored(const struct iv_slot *a)
{
    if (!a->stored || !a->stored_on_route || a->db_status != a->status)
        return 0;
    if (a->status != ANS_VALUE)
        return 1;
    return a->db_value && a->value && !strcmp(a->db_value, a->value);
}

int iv_db_commit(struct cati_interview *iv, const struct iv_commit *cm, struct cati_error *err)
{
    const struct cati_script *s = iv->s;
    int qi = cm->qi;
    struct iv_slot *a = &iv->a[qi];
    const struct cati_question *q = &s->questions[qi];
    time_t now = cati_now();
    long long seconds = now > iv->since ? (long long)(now - iv->since) : 0;
    int same = same_as_stored(a);
    int seq = iv_route_pos(iv, qi) + 1;
    sqlite3_stmt *st;
    if (begin_held(iv, err) < 0)
        return -1;
    if (!same) {
        char uuid[37];
        if (cati_uuid(uuid) < 0) {
            cati_error_set(err, "cannot make a UUID");
            goto fail;
        }
        if (db_prepare(iv->db, "INSERT INTO answers(uuid, interview_id, question, status, value, on_route, "
                               "seq, answered_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?) "
                               "ON CONFLICT(interview_id, question) DO UPDATE SET status = excluded.status, "
                               "value = excluded.value, on_route = 1, seq = excluded.seq, "
                               "answered_at = excluded.answered_at, updated_at = excluded.updated_at",
                       &st, err) < 0)
            goto fail;
        sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, iv->id);
        sqlite3_bind_text(st, 3, q->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, status_word(a->status), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, a->status == ANS_VALUE && a->value ? a->value : "", -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 6, seq);
        sqlite3_bind_int64(st, 7, (sqlite3_int64)now);
        sqlite3_bind_int64(st, 8, (sqlite3_int64)now);
        if (run(iv->db, st, err, "saving the answer") < 0)
            goto fail;
        const char *event = !a->stored ? "answer" : !a->stored_on_route ? "on-route" : "change";
        if (log_event(iv, q->name, event, a->stored ? enc(a->db_status, a->db_value) : NULL,
                      enc(a->status, a->value), seconds, now, err) < 0)
            goto fail;
        if (set_flags(iv, qi, now, err) < 0)
            goto fail;
    }
    for (int i = 0; i < s->nquestions; i++) {
        struct iv_slot *o = &iv->a[i];
        if (iv_off_route(iv, i) && o->stored && o->stored_on_route) {
            if (db_prepare(iv->db, "UPDATE answers SET on_route = 0, updated_at = ? "
                                   "WHERE interview_id = ? AND question = ?", &st, err) < 0)
                goto fail;
            sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
            sqlite3_bind_int64(st, 2, iv->id);
            sqlite3_bind_text(st, 3, s->questions[i].name, -1, SQLITE_STATIC);
            if (run(iv->db, st, err, "marking an answer off the route") < 0)
                goto fail;
            if (log_event(iv, s->questions[i].name, "off-route", enc(o->db_status, o->db_value), NULL, 0,
                          now, err) < 0)
                goto fail;
            if (db_prepare(iv->db, "DELETE FROM flags WHERE interview_id = ? AND question = ? "
                                   "AND status = 'new'", &st, err) < 0)
                goto fail;
            sqlite3_bind_int64(st, 1, iv->id);
            sqlite3_bind_text(st, 2, s->questions[i].name, -1, SQLITE_STATIC);
            if (run(iv->db, st, err, "withdrawing a flag") < 0)
                goto fail;
        }
    }
    for (int p = 0; p < iv->nroute; p++) {
        int k = iv->route[p];
        if (k != qi && iv->a[k].stored && iv->a[k].stored_on_route && iv->a[k].status != ANS_NONE &&
            iv->a[k].seq != p + 1) {
            if (db_prepare(iv->db, "UPDATE answers SET seq = ? WHERE interview_id = ? AND question = ?",
                           &st, err) < 0)
                goto fail;
            sqlite3_bind_int(st, 1, p + 1);
            sqlite3_bind_int64(st, 2, iv->id);
            sqlite3_bind_text(st, 3, s->questions[k].name, -1, SQLITE_STATIC);
            if (run(iv->db, st, err, "renumbering the path") < 0)
                goto fail;
        }
    }
    if (update_interview(iv, cm->next >= 0 ? s->questions[cm->next].name : "", now, err) < 0)
        goto fail;
    if (db_commit(iv->db, err) < 0)
        goto fail;
    /* the database has it: mirror what was written */
    if (!same) {
        char *v = cati_strdup(a->status == ANS_VALUE && a->value ? a->value : "");
        free(a->db_value);
        a->db_value = v;
        a->db_status = a->status;
        a->stored = a->stored_on_route = 1;
    }
    a->seq = seq;
    for (int i = 0; i < s->nquestions; i++)
        if (iv_off_route(iv, i) && iv->a[i].stored)
            iv->a[i].stored_on_route = 0;
    for (int p = 0; p < iv->nroute; p++)
        if (iv->a[iv->route[p]].stored)
            iv->a[iv->route[p]].seq = p + 1;
    return 0;
fail:
    db_rollback(iv->db);
    return -1;
}

int iv_db_cursor(struct cati_interview *iv, int qi, int reopen, struct cati_error *err)
{
    (void)reopen; /* the outcome is only ever written with the call */
    if (begin_held(iv, err) < 0)
        return -1;
    sqlite3_stmt *st;
    if (db_prepare(iv->db, "UPDATE interviews SET current_question = ?, updated_at = ? WHERE id = ?", &st,
                   err) < 0) {
        db_rollback(iv->db);
        return -1;
    }
    sqlite3_bind_text(st, 1, iv->s->questions[qi].name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)cati_now());
    sqlite3_bind_int64(st, 3, iv->id);
    return run_held(iv, st, err, "moving in the interview");
}

int iv_db_end(struct cati_interview *iv, enum cati_end e, struct cati_error *err)
{
    (void)e; /* stored with the call that records it */
    if (begin_held(iv, err) < 0)
        return -1;
    if (update_interview(iv, iv->cursor >= 0 ? iv->s->questions[iv->cursor].name : "", cati_now(), err) < 0) {
        db_rollback(iv->db);
        return -1;
    }
    return db_commit(iv->db, err);
}

int iv_db_language(struct cati_interview *iv, struct cati_error *err)
{
    if (begin_held(iv, err) < 0)
        return -1;
    sqlite3_stmt *st;
    if (db_prepare(iv->db, "UPDATE interviews SET language = ?, updated_at = ? WHERE id = ?", &st, err) < 0) {
        db_rollback(iv->db);
        return -1;
    }
    sqlite3_bind_text(st, 1, interview_language(iv), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)cati_now());
    sqlite3_bind_int64(st, 3, iv->id);
    return run_held(iv, st, err, "switching the language");
}

/* --- start, load ------------------------------------------------------------------ */

/* Respondent fields of a case into iv; *language gets cases.language (malloc'd). */
static int load_fields(sqlite3 *db, struct cati_interview *iv, long long case_id, long long *survey_id,
                       char **language, struct cati_error *err)
{
    sqlite3_stmt *st;
    /* after survey_id, the standard fields a script sees (sample_fields
     * marked SAMPLE_FIELD_SCRIPT; cases names its columns after them) */
    if (db_prepare(db, "SELECT survey_id, ref, name, language, service, agency, district, availed_on "
                       "FROM cases WHERE id = ?", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, case_id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        return rc == SQLITE_DONE ? cati_error_setk(err, CATI_ERR_NOT_FOUND, "unknown case %lld", case_id)
                                 : db_error(db, err, "reading the case");
    }
    if (survey_id)
        *survey_id = sqlite3_column_int64(st, 0);
    int bad = 0, lang_col = 0;
    for (int col = 1; col < sqlite3_column_count(st); col++) {
        const char *name = sqlite3_column_name(st, col);
        if (!strcmp(name, "language"))
            lang_col = col;
        const char *v = (const char *)sqlite3_column_text(st, col);
        bad |= interview_set_field(iv, name, v ? v : "") < 0;
    }
    if (language) {
        const char *v = (const char *)sqlite3_column_text(st, lang_col);
        *language = cati_strdup(v ? v : "");
        bad |= !*language;
    }
    sqlite3_finalize(st);
    if (bad)
        return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
    if (db_prepare(db, "SELECT name, value FROM case_fields WHERE case_id = ? ORDER BY name", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, case_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        bad |= interview_set_field(iv, (const char *)sqlite3_column_text(st, 0),
                                   (const char *)sqlite3_column_text(st, 1)) < 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(db, err, "reading the respondent's fields");
    return bad ? cati_error_setk(err, CATI_ERR_NOMEM, "out of memory") : 0;
}

/* Inside the start transaction: the case's live interview, if any, must
 * be closed and not complete; it becomes abandoned (asked again from the
 * start). A case has at most one live interview. */
static int retire_live(sqlite3 *db, long long case_id, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT id, outcome FROM interviews WHERE case_id = ? AND state = 'live'", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, case_id);
    int rc = sqlite3_step(st);
    long long id = 0;
    char outcome[32] = "";
    int open = 0;
    if (rc == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        open = sqlite3_column_type(st, 1) == SQLITE_NULL;
        if (!open)
            db_column_copy(st, 1, outcome, sizeof outcome);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(db, err, "reading the case's interview");
    if (!id)
        return 0;
    if (open)
        return cati_error_set(err, "case %lld has an interview in progress (%lld): resume it", case_id, id);
    if (!strcmp(outcome, "complete"))
        return cati_error_set(err, "case %lld already has a completed interview (%lld)", case_id, id);
    if (db_prepare(db, "UPDATE interviews SET state = 'abandoned', updated_at = ? WHERE id = ?", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)cati_now());
    sqlite3_bind_int64(st, 2, id);
    return run(db, st, err, "retiring the earlier interview");
}

int interview_start(sqlite3 *db, const struct cati_config *cfg, const struct cati_interviewer *who,
                    long long case_id, const char *lang, struct cati_interview **out,
                    struct cati_error *err)
{
    *out = NULL;
    sqlite3_stmt *st;
    long long survey_id = 0;
    if (db_prepare(db, "SELECT survey_id FROM cases WHERE id = ?", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, case_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        survey_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (!survey_id)
        return cati_error_setk(err, CATI_ERR_NOT_FOUND, "unknown case %lld", case_id);
    struct cati_script *s;
    long long version_id;
    if (script_load_latest(db, NULL, survey_id, &s, &version_id, err) < 0)
        return -1;
    struct cati_interview *iv = iv_alloc(s, err);
    if (!iv) {
        script_free(s);
        return -1;
    }
    iv->owned = s;
    iv->case_id = case_id;
    iv->cfg = cfg;
    iv->who = *who;
    iv->interviewer_id = who->id;
    char *case_lang = NULL;
    if (load_fields(db, iv, case_id, NULL, &case_lang, err) < 0)
        goto fail;
    if (lang) {
        if ((iv->lang = script_find_language(s, lang)) < 0) {
            cati_error_set(err, "language '%s' is not in the questionnaire", lang);
            goto fail;
        }
    } else {
        int li = case_lang && *case_lang ? script_find_language(s, case_lang) : -1;
        iv->lang = li >= 0 ? li : 0;
    }
    free(case_lang);
    case_lang = NULL;
    iv_place_cursor(iv, -1);
    char uuid[37];
    if (cati_uuid(uuid) < 0) {
        cati_error_set(err, "cannot make a UUID");
        goto fail;
    }
    time_t now = cati_now();
    if (db_begin_immediate(db, err) < 0)
        goto fail;
    if (case_hold(db, cfg, case_id, who, err) < 0 || retire_live(db, case_id, err) < 0 ||
        db_prepare(db, "INSERT INTO interviews(uuid, case_id, survey_version_id, interviewer_id, language, "
                       "current_question, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &st,
                   err) < 0)
        goto rollback;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, case_id);
    sqlite3_bind_int64(st, 3, version_id);
    sqlite3_bind_int64(st, 4, who->id);
    sqlite3_bind_text(st, 5, interview_language(iv), -1, SQLITE_STATIC);
    /* "" when every question was skipped by its `ask if`: at its end */
    sqlite3_bind_text(st, 6, iv->cursor >= 0 ? s->questions[iv->cursor].name : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)now);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)now);
    if (run(db, st, err, "starting the interview") < 0)
        goto rollback;
    iv->id = sqlite3_last_insert_rowid(db);
    if (db_commit(db, err) < 0)
        goto rollback;
    iv->db = db;
    iv->since = now;
    *out = iv;
    return 0;
rollback:
    db_rollback(db);
fail:
    free(case_lang);
    interview_free(iv);
    return -1;
}

int iv_db_load(sqlite3 *db, long long interview_id, struct cati_interview **out, struct cati_error *err)
{
    *out = NULL;
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT case_id, survey_version_id, interviewer_id, language, current_question, "
                       "outcome FROM interviews WHERE id = ?", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, interview_id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        return rc == SQLITE_DONE ? cati_error_setk(err, CATI_ERR_NOT_FOUND, "unknown interview %lld", interview_id)
                                 : db_error(db, err, "reading the interview");
    }
    long long case_id = sqlite3_column_int64(st, 0), version_id = sqlite3_column_int64(st, 1);
    long long stored_by = sqlite3_column_int64(st, 2);
    char *lang = cati_strdup((const char *)sqlite3_column_text(st, 3));
    char *current = cati_strdup((const char *)sqlite3_column_text(st, 4));
    char *outcome = sqlite3_column_type(st, 5) == SQLITE_NULL ? NULL
                                                              : cati_strdup((const char *)sqlite3_column_text(st, 5));
    sqlite3_finalize(st);
    struct cati_script *s = NULL;
    struct cati_interview *iv = NULL;
    if (!lang || !current) {
        cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (script_load_version(db, version_id, &s, err) < 0)
        goto fail;
    if (!(iv = iv_alloc(s, err))) {
        script_free(s);
        goto fail;
    }
    iv->owned = s;
    iv->id = interview_id;
    iv->case_id = case_id;
    iv->interviewer_id = stored_by;
    int li = script_find_language(s, lang);
    iv->lang = li >= 0 ? li : 0;
    if (load_fields(db, iv, case_id, NULL, NULL, err) < 0)
        goto fail;
    if (db_prepare(db, "SELECT question, status, value, on_route, seq FROM answers WHERE interview_id = ?",
                   &st, err) < 0)
        goto fail;
    sqlite3_bind_int64(st, 1, interview_id);
    int bad = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int qi = script_find_question(s, (const char *)sqlite3_column_text(st, 0));
        if (qi < 0)
            continue;
        const char *stat = (const char *)sqlite3_column_text(st, 1);
        const char *value = (const char *)sqlite3_column_text(st, 2);
        struct iv_slot *a = &iv->a[qi];
        a->stored = 1;
        a->stored_on_route = sqlite3_column_int(st, 3);
        a->seq = sqlite3_column_int(st, 4);
        a->db_status = !strcmp(stat, "dk") ? ANS_DK : !strcmp(stat, "rf") ? ANS_RF : ANS_VALUE;
        a->db_value = cati_strdup(value ? value : "");
        bad |= !a->db_value;
        if (a->stored_on_route) {
            a->status = a->db_status;
            if (a->status == ANS_VALUE)
                bad |= !(a->value = cati_strdup(a->db_value));
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        db_error(db, err, "reading the answers");
        goto fail;
    }
    if (bad) {
        cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    /* the cursor where it stopped; "" = at the route's end */
    int prefer = *current ? script_find_question(s, current) : -1;
    iv_place_cursor(iv, prefer);
    if (outcome) { /* closed with its call */
        iv->ended = 1;
        iv->outcome = script_end_parse(outcome);
        if (iv->outcome == END_NONE)
            iv->outcome = END_BREAKOFF;
        if (prefer < 0)
            iv->cursor = -1;
    }
    iv->db = db;
    *out = iv;
    free(lang);
    free(current);
    free(outcome);
    return 0;
fail:
    interview_free(iv);
    free(lang);
    free(current);
    free(outcome);
    return -1;
}

int interview_load(sqlite3 *db, const struct cati_config *cfg, const struct cati_interviewer *who,
                   long long interview_id, struct cati_interview **out, struct cati_error *err)
{
    if (iv_db_load(db, interview_id, out, err) < 0)
        return -1;
    (*out)->cfg = cfg;
    (*out)->who = *who;
    (*out)->interviewer_id = who->id;
    return 0;
}

int interview_route_end(sqlite3 *db, long long interview_id, enum cati_end *end, struct cati_error *err)
{
    struct cati_interview *iv;
    if (iv_db_load(db, interview_id, &iv, err) < 0)
        return -1;
    *end = interview_outcome(iv);
    interview_free(iv);
    return 0;
}

int interview_find_open(sqlite3 *db, long long case_id, long long *id, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT id FROM interviews WHERE case_id = ? AND outcome IS NULL AND state = 'live' "
                       "ORDER BY id DESC LIMIT 1", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, case_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? 1 : db_error(db, err, "finding the interview");
}

int interview_stored_answer(sqlite3 *db, long long interview_id, const char *question,
                            enum cati_astatus *status, char **value, int *on_route,
                            struct cati_error *err)
{
    *value = NULL;
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT status, value, on_route FROM answers WHERE interview_id = ? AND question = ?",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, interview_id);
    sqlite3_bind_text(st, 2, question, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *stat = (const char *)sqlite3_column_text(st, 0);
        *status = !strcmp(stat, "dk") ? ANS_DK : !strcmp(stat, "rf") ? ANS_RF : ANS_VALUE;
        *value = cati_strdup(*status == ANS_VALUE && sqlite3_column_text(st, 1)
                                 ? (const char *)sqlite3_column_text(st, 1) : "");
        if (on_route)
            *on_route = sqlite3_column_int(st, 2);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return *value ? 0 : cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
    return rc == SQLITE_DONE ? 1 : db_error(db, err, "reading the answer");
}
