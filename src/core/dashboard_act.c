/* The supervisor's actions recorded by the core (flags marked, surveys
 * paused, consoles seen) and the case view of the monitor. */
#include "cati/dashboard.h"
#include "dashboard_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/case.h"
#include "cati/db.h"
#include "cati/disposition.h"
#include "cati/script.h"
#include "cati/util.h"

/* --- actions ---------------------------------------------------------------- */

int dashboard_seen(sqlite3 *db, long long interviewer_id, time_t now, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "UPDATE interviewers SET seen_since = CASE WHEN last_seen_at IS NULL"
                       " OR last_seen_at <= ?3 OR seen_since IS NULL THEN ?2 ELSE seen_since END,"
                       " last_seen_at = ?2 WHERE id = ?1",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, interviewer_id);
    sqlite3_bind_int64(st, 2, (long long)now);
    sqlite3_bind_int64(st, 3, (long long)now - DASHBOARD_LOGIN_MINUTES * 60); /* a new session */
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "last seen");
}

int dashboard_survey_id(sqlite3 *db, const char *name, long long *id, struct cati_error *err)
{
    long long v;
    if (db_int(db, "SELECT id FROM surveys WHERE name = ?1", name, 0, -1, &v, err) < 0)
        return -1;
    if (v < 0)
        return cati_error_setk(err, CATI_ERR_NOT_FOUND, "unknown survey '%s'", name);
    *id = v;
    return 0;
}

int dashboard_survey_pause(sqlite3 *db, long long survey_id, int paused,
                           const struct cati_interviewer *who, struct cati_error *err)
{
    if (db_begin_immediate(db, err) < 0)
        return -1;
    const char *login = who ? who->login : "";
    sqlite3_stmt *st;
    if (account_require_role(db, who, ROLE_SUPERVISOR, err) < 0 ||
        db_prepare(db, "SELECT name FROM surveys WHERE id = ?1", &st, err) < 0) {
        db_rollback(db);
        return -1;
    }
    sqlite3_bind_int64(st, 1, survey_id);
    char name[128] = "";
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        db_column_copy(st, 0, name, sizeof name);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) {
        if (rc == SQLITE_DONE)
            cati_error_setk(err, CATI_ERR_NOT_FOUND, "unknown survey %lld", survey_id);
        else
            db_error(db, err, "surveys");
        db_rollback(db);
        return -1;
    }
    /* the rule is the script module's; the audit line is the same as
     * `cati survey pause|resume` writes */
    if (script_set_paused(db, name, paused, err) < 0 ||
        db_audit(db, login, paused ? "survey pause" : "survey resume", name, err) < 0 ||
        db_commit(db, err) < 0) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

int dashboard_flag_mark(sqlite3 *db, long long flag_id, const char *status,
                        const struct cati_interviewer *who, struct cati_error *err)
{
    if (!status || (strcmp(status, "seen") && strcmp(status, "forwarded")))
        return cati_error_set(err, "invalid flag status '%s': use seen or forwarded",
                              status ? status : "");
    if (db_begin_immediate(db, err) < 0)
        return -1;
    const char *login = who ? who->login : "";
    sqlite3_stmt *st;
    if (account_require_role(db, who, ROLE_SUPERVISOR, err) < 0 ||
        db_prepare(db, "UPDATE flags SET status = ?2, handled_by = ?3, handled_at = ?4, "
                       "updated_at = ?4 WHERE id = ?1",
                   &st, err) < 0) {
        db_rollback(db);
        return -1;
    }
    time_t now = cati_now();
    sqlite3_bind_int64(st, 1, flag_id);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, login, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, (long long)now);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE || sqlite3_changes(db) != 1) {
        if (rc == SQLITE_DONE)
            cati_error_setk(err, CATI_ERR_NOT_FOUND, "unknown flag %lld", flag_id);
        else
            db_error(db, err, "cannot mark the flag");
        db_rollback(db);
        return -1;
    }
    char detail[64];
    snprintf(detail, sizeof detail, "flag %lld %s", flag_id, status);
    if (db_audit(db, login, "flag mark", detail, err) < 0 || db_commit(db, err) < 0) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

/* --- one case ------------------------------------------------------------- */

void dashboard_case_free(struct dash_case *c)
{
    if (!c)
        return;
    free(c->calls);
    free(c->phones);
    for (int i = 0; i < c->nraised; i++)
        free(c->raised[i].text);
    free(c->raised);
    memset(c, 0, sizeof *c);
}

const char *dashboard_phone_shown(const char *number, const struct cati_interviewer *who, int with_pii,
                                  char *buf, size_t size)
{
    if (size == 0)
        return buf;
    const char *s = number ? number : "";
    if (with_pii && who && who->active && who->role >= ROLE_SUPERVISOR) {
        cati_strlcpy(buf, s, size);
        return buf;
    }
    int digits = 0;
    for (const char *p = s; *p; p++)
        digits += *p >= '0' && *p <= '9';
    int keep = digits > 3 ? 3 : 0; /* the last 3 digits, unless that is all of it */
    size_t n = strlen(s), o = 0;
    for (size_t i = 0; i < n && o + 1 < size; i++) {
        int after = 0; /* digits after this one */
        for (size_t j = i + 1; j < n; j++)
            after += s[j] >= '0' && s[j] <= '9';
        int is_digit = s[i] >= '0' && s[i] <= '9';
        buf[o++] = is_digit && after < keep ? s[i] : '*';
    }
    buf[o] = '\0';
    return buf;
}

int dashboard_pii_open(sqlite3 *db, const struct cati_interviewer *who, struct cati_error *err)
{
    if (db_begin_immediate(db, err) < 0)
        return -1;
    if (account_require_role(db, who, ROLE_SUPERVISOR, err) < 0 ||
        db_audit(db, who->login, "monitor with pii", "", err) < 0 || db_commit(db, err) < 0) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

struct calls_ctx { struct dash_case *c; int cap, oom; };

static int add_call(const struct case_call *k, void *ctx)
{
    struct calls_ctx *x = ctx;
    struct dash_case *c = x->c;
    if (dash_grow((void **)&c->calls, c->ncalls, &x->cap, sizeof *c->calls) < 0)
        return x->oom = 1;
    struct dash_call *d = &c->calls[c->ncalls++];
    d->attempt = k->attempt;
    d->started_at = k->started_at;
    d->ended_at = k->ended_at;
    cati_strlcpy(d->interviewer, k->interviewer, sizeof d->interviewer);
    cati_strlcpy(d->outcome, k->outcome, sizeof d->outcome);
    cati_strlcpy(d->aapor, k->aapor, sizeof d->aapor);
    cati_strlcpy(d->note, k->note, sizeof d->note);
    return 0;
}

static int load_calls(sqlite3 *db, struct dash_case *c, struct cati_error *err)
{
    struct calls_ctx x = {.c = c};
    if (case_calls(db, c->id, add_call, &x, NULL, err) < 0)
        return -1;
    return x.oom ? cati_error_setk(err, CATI_ERR_NOMEM, "out of memory") : 0;
}

struct phones_ctx {
    struct dash_case *c;
    int current, cap, oom, with_pii;
    const struct cati_interviewer *who;
};

static int add_phone(const struct case_phone *p, void *ctx)
{
    struct phones_ctx *x = ctx;
    struct dash_case *c = x->c;
    if (dash_grow((void **)&c->phones, c->nphones, &x->cap, sizeof *c->phones) < 0)
        return x->oom = 1;
    struct dash_phone *d = &c->phones[c->nphones++];
    d->position = p->position;
    dashboard_phone_shown(p->number, x->who, x->with_pii, d->shown, sizeof d->shown);
    cati_strlcpy(d->status, p->status, sizeof d->status);
    d->attempts = p->attempts;
    d->current = p->position == x->current;
    return 0;
}

/* The case's numbers; current is the case's phone_pos. */
static int load_phones(sqlite3 *db, struct dash_case *c, int current, const struct cati_interviewer *who,
                       int with_pii, struct cati_error *err)
{
    struct phones_ctx x = {.c = c, .current = current, .who = who, .with_pii = with_pii};
    if (case_phones(db, c->id, add_phone, &x, err) < 0)
        return -1;
    return x.oom ? cati_error_setk(err, CATI_ERR_NOMEM, "out of memory") : 0;
}

static int case_flags(sqlite3 *db, struct dash_case *c, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT raised_at, kind, question, status, coalesce(handled_by, ''), text FROM flags"
                       " WHERE case_id = ?1 ORDER BY raised_at, id",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, c->id);
    int cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (dash_grow((void **)&c->raised, c->nraised, &cap, sizeof *c->raised) < 0) {
            sqlite3_finalize(st);
            return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
        }
        struct dash_case_flag *f = &c->raised[c->nraised];
        memset(f, 0, sizeof *f);
        f->raised_at = (time_t)sqlite3_column_int64(st, 0);
        db_column_copy(st, 1, f->kind, sizeof f->kind);
        db_column_copy(st, 2, f->question, sizeof f->question);
        db_column_copy(st, 3, f->status, sizeof f->status);
        db_column_copy(st, 4, f->handled_by, sizeof f->handled_by);
        const char *t = (const char *)sqlite3_column_text(st, 5);
        f->text = strdup(t ? t : "");
        if (!f->text) {
            sqlite3_finalize(st);
            return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
        }
        c->nraised++;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "flags");
}

static int case_row(sqlite3 *db, long long id, time_t now, struct dash_case *c, int *phone_pos,
                    struct cati_error *err)
{
    struct case_info k;
    int found = case_info_load(db, id, &k, err);
    if (found <= 0)
        return found < 0 ? -1 : cati_error_setk(err, CATI_ERR_NOT_FOUND, "unknown case %lld", id);
    c->id = id;
    cati_strlcpy(c->survey, k.survey, sizeof c->survey);
    cati_strlcpy(c->ref, k.ref, sizeof c->ref);
    cati_strlcpy(c->name, k.name, sizeof c->name);
    cati_strlcpy(c->service, k.service, sizeof c->service);
    cati_strlcpy(c->agency, k.agency, sizeof c->agency);
    cati_strlcpy(c->district, k.district, sizeof c->district);
    cati_strlcpy(c->language, k.language, sizeof c->language);
    cati_strlcpy(c->state, k.state, sizeof c->state);
    cati_strlcpy(c->code, k.code, sizeof c->code);
    c->priority = k.priority;
    c->attempts = k.attempts;
    c->next_call_at = k.next_call_at;
    c->appointment_at = k.appointment_at;
    cati_strlcpy(c->appointment_with, k.appointment_with, sizeof c->appointment_with);
    c->appointment_missed = k.appointment_missed;
    /* held: claimed with a lease that has not run out */
    cati_strlcpy(c->held_by, k.lease_until > now ? k.claimed_login : "", sizeof c->held_by);
    c->lease_until = k.lease_until;
    c->flags = k.nflags;
    *phone_pos = k.phone_pos;
    return 0;
}

int dashboard_case(sqlite3 *db, long long id, time_t now, const struct cati_interviewer *who, int with_pii,
                   struct dash_case *out, struct cati_error *err)
{
    memset(out, 0, sizeof *out);
    if (db_begin(db, err) < 0)
        return -1;
    int phone_pos = 0;
    int rc = case_row(db, id, now, out, &phone_pos, err);
    if (rc == 0)
        rc = load_calls(db, out, err);
    if (rc == 0)
        rc = load_phones(db, out, phone_pos, who, with_pii, err);
    if (rc == 0)
        rc = case_flags(db, out, err);
    if (rc == 0)
        rc = db_commit(db, err);
    else
        db_rollback(db);
    if (rc < 0)
        dashboard_case_free(out);
    return rc;
}

int dashboard_case_lookup(sqlite3 *db, const char *text, long long survey_id, long long *id,
                          struct cati_error *err)
{
    char survey[128] = "";
    const char *ref = text;
    const char *slash = strchr(text, '/');
    if (slash && (size_t)(slash - text) < sizeof survey) {
        memcpy(survey, text, (size_t)(slash - text));
        survey[slash - text] = '\0';
        ref = slash + 1;
    }
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT k.id, s.name FROM cases k JOIN surveys s ON s.id = k.survey_id"
                       " WHERE k.ref = ?1 AND (?2 = 0 OR k.survey_id = ?2) AND (?3 = '' OR s.name = ?3)"
                       " ORDER BY s.name",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_text(st, 1, ref, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, survey_id);
    sqlite3_bind_text(st, 3, survey, -1, SQLITE_TRANSIENT);
    int n = 0, rc;
    char names[200] = "";
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == 0)
            *id = sqlite3_column_int64(st, 0);
        const char *nm = (const char *)sqlite3_column_text(st, 1);
        size_t len = strlen(names);
        snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "", nm ? nm : "");
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(db, err, "cases");
    if (n > 1)
        return cati_error_set(err, "case ref '%s' is in %d surveys (%s): type survey/ref", ref, n, names);
    if (n == 1)
        return 0;
    long v;
    if (!slash && cati_parse_long(text, &v) == 0 && v > 0) {
        if (db_prepare(db, "SELECT id FROM cases WHERE id = ?1 AND (?2 = 0 OR survey_id = ?2)", &st, err) < 0)
            return -1;
        sqlite3_bind_int64(st, 1, v);
        sqlite3_bind_int64(st, 2, survey_id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *id = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (rc == SQLITE_ROW)
            return 0;
        if (rc != SQLITE_DONE)
            return db_error(db, err, "cases");
    }
    return cati_error_setk(err, CATI_ERR_NOT_FOUND, "unknown case '%s'", text);
}

const char *dashboard_case_readonly(const struct dash_case *c, char *buf, size_t size)
{
    if (strcmp(c->state, "final"))
        return NULL;
    const char *meaning = disposition_meaning(c->code);
    snprintf(buf, size, "case %s is final (%s %s): read-only", c->ref, c->code, meaning ? meaning : "");
    return buf;
}
