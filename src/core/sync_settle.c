/* sync: one interview per case at a central database. The settling rule
 * (which interview is the case's live one), the conflicts it lists, and a
 * supervisor's choice of the other interview. See cati/sync.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/account.h"
#include "cati/check.h"
#include "cati/db.h"
#include "cati/util.h"
#include "sync_int.h"

int sync_settle_prepare(sqlite3 *db, struct sync_settle *st, struct cati_error *err)
{
    memset(st, 0, sizeof *st);
    st->db = db;
    if (db_prepare(db, "SELECT id, uuid, outcome IS 'complete', coalesce(completed_at, 0),"
                       " updated_at, state, coalesce(site_state, state) <> 'abandoned'"
                       " FROM interviews WHERE case_id = ?1 ORDER BY id", &st->ivs, err) < 0 ||
        db_prepare(db, "SELECT interview_id FROM sync_keep WHERE case_id = ?1", &st->keep_get,
                   err) < 0 ||
        db_prepare(db, "UPDATE interviews SET state = ?2 WHERE id = ?1 AND state <> ?2",
                   &st->set_state, err) < 0 ||
        db_prepare(db, "SELECT disposition IS '1.1' FROM cases WHERE id = ?1", &st->case_get,
                   err) < 0 ||
        db_prepare(db, "UPDATE cases SET disposition = ?2, interim_code = ?2 WHERE id = ?1"
                       " AND state = 'final'", &st->code_fix, err) < 0 ||
        db_prepare(db, "UPDATE cases SET state = 'final', disposition = '1.1', interim_code = '1.1',"
                       " finalised_at = coalesce(finalised_at, ?2), claimed_by = NULL,"
                       " claimed_at = NULL, lease_until = NULL, appointment_at = NULL,"
                       " appointment_with = NULL WHERE id = ?1", &st->case_fix, err) < 0 ||
        db_prepare(db, "SELECT s.name, c.ref, coalesce(x.name, 'central'), coalesce(v.login, '?')"
                       " FROM interviews i JOIN cases c ON c.id = i.case_id"
                       " JOIN surveys s ON s.id = c.survey_id"
                       " LEFT JOIN sync_sites x ON x.id = i.site_id"
                       " LEFT JOIN interviewers v ON v.id = i.interviewer_id WHERE i.id = ?1",
                   &st->describe, err) < 0) {
        sync_settle_finalize(st);
        return -1;
    }
    return 0;
}

void sync_settle_finalize(struct sync_settle *st)
{
    sqlite3_stmt **all[] = {&st->ivs, &st->keep_get, &st->set_state, &st->case_get,
                            &st->case_fix, &st->code_fix, &st->describe};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        sqlite3_finalize(*all[i]);
        *all[i] = NULL;
    }
}

struct iv {
    long long id, completed_at, updated_at;
    int complete, candidate;
    char uuid[40], state[16];
};

/* 1 if a should be the live interview rather than b (both candidates):
 * a complete before anything else; among completes the one already live
 * (it reached the central database first, and may have been delivered by
 * an export: it is never replaced behind the analysts' back), then the
 * first completed, then the smaller uuid; among the others the latest
 * changed, then the smaller uuid. */
static int better(const struct iv *a, const struct iv *b)
{
    if (a->complete != b->complete)
        return a->complete;
    if (a->complete) {
        int al = !strcmp(a->state, "live"), bl = !strcmp(b->state, "live");
        if (al != bl)
            return al;
    }
    if (a->complete && a->completed_at != b->completed_at)
        return a->completed_at < b->completed_at;
    if (!a->complete && a->updated_at != b->updated_at)
        return a->updated_at > b->updated_at;
    return strcmp(a->uuid, b->uuid) < 0;
}

/* "survey serve, ref r1: interview U (site S, interviewer L)" */
static void describe(struct sync_settle *st, const struct iv *v, char *buf, size_t size)
{
    sqlite3_bind_int64(st->describe, 1, v->id);
    if (sqlite3_step(st->describe) == SQLITE_ROW)
        snprintf(buf, size, "survey %s, ref %s: interview %s (site %s, interviewer %s)",
                 (const char *)sqlite3_column_text(st->describe, 0),
                 (const char *)sqlite3_column_text(st->describe, 1), v->uuid,
                 (const char *)sqlite3_column_text(st->describe, 2),
                 (const char *)sqlite3_column_text(st->describe, 3));
    else
        snprintf(buf, size, "interview %s", v->uuid);
    sqlite3_reset(st->describe);
}

static int set_state(struct sync_settle *st, long long id, const char *state, int *changed,
                     struct cati_error *err)
{
    sqlite3_bind_int64(st->set_state, 1, id);
    sqlite3_bind_text(st->set_state, 2, state, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st->set_state);
    sqlite3_reset(st->set_state);
    if (rc != SQLITE_DONE)
        return db_error(st->db, err, "sync: interview state");
    *changed = sqlite3_changes(st->db) > 0;
    return 0;
}

int sync_settle_case(struct sync_settle *st, long long case_id, const char *login,
                     long long *newdup, struct cati_error *err)
{
    struct iv *v = NULL;
    size_t n = 0, cap = 0;
    int rc, ret = -1;
    long long kept = 0;
    if (!login)
        login = "";
    sqlite3_bind_int64(st->keep_get, 1, case_id);
    rc = sqlite3_step(st->keep_get);
    if (rc == SQLITE_ROW)
        kept = sqlite3_column_int64(st->keep_get, 0);
    sqlite3_reset(st->keep_get);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(st->db, err, "sync: settle");
    sqlite3_bind_int64(st->ivs, 1, case_id);
    while ((rc = sqlite3_step(st->ivs)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4;
            struct iv *v2 = realloc(v, cap * sizeof *v);
            if (!v2) {
                sqlite3_reset(st->ivs);
                free(v);
                return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
            }
            v = v2;
        }
        struct iv *x = &v[n++];
        x->id = sqlite3_column_int64(st->ivs, 0);
        db_column_copy(st->ivs, 1, x->uuid, sizeof x->uuid);
        x->complete = sqlite3_column_int(st->ivs, 2);
        x->completed_at = sqlite3_column_int64(st->ivs, 3);
        x->updated_at = sqlite3_column_int64(st->ivs, 4);
        db_column_copy(st->ivs, 5, x->state, sizeof x->state);
        x->candidate = sqlite3_column_int(st->ivs, 6);
    }
    sqlite3_reset(st->ivs);
    if (rc != SQLITE_DONE) {
        db_error(st->db, err, "sync: settle");
        goto out;
    }
    /* the live one: a supervisor's choice while it is a candidate complete,
     * else the rule */
    long long win = -1;
    for (size_t i = 0; i < n; i++) {
        if (!v[i].candidate)
            continue;
        if (kept == v[i].id && v[i].complete) {
            win = (long long)i;
            break;
        }
        if (win < 0 || better(&v[i], &v[win]))
            win = (long long)i;
    }
    if (kept && (win < 0 || v[win].id != kept)) {
        /* the kept interview is no longer a completed candidate: the rule again */
        win = -1;
        for (size_t i = 0; i < n; i++)
            if (v[i].candidate && (win < 0 || better(&v[i], &v[win])))
                win = (long long)i;
    }
    char a[512], detail[1200];
    /* demote first (at most one live interview per case at any moment) */
    for (size_t i = 0; i < n; i++) {
        if ((long long)i == win)
            continue;
        const char *want = v[i].candidate && v[i].complete ? "duplicate" : "abandoned";
        int changed = 0;
        if (set_state(st, v[i].id, want, &changed, err) < 0)
            goto out;
        if (changed && !strcmp(want, "duplicate")) {
            if (newdup)
                ++*newdup;
            describe(st, &v[i], a, sizeof a);
            snprintf(detail, sizeof detail, "%s marked duplicate; kept interview %s (%s)", a,
                     v[win].uuid,
                     kept == v[win].id ? "chosen by a supervisor" : "rule: first to reach the central database");
            if (db_audit(st->db, login, "sync duplicate", detail, err) < 0)
                goto out;
        }
    }
    if (win >= 0) {
        int changed = 0;
        if (set_state(st, v[win].id, "live", &changed, err) < 0)
            goto out;
        if (v[win].complete) {
            /* the case agrees with its live interview */
            sqlite3_bind_int64(st->case_get, 1, case_id);
            rc = sqlite3_step(st->case_get);
            int agrees = rc == SQLITE_ROW && sqlite3_column_int(st->case_get, 0);
            sqlite3_reset(st->case_get);
            if (rc != SQLITE_ROW) {
                db_error(st->db, err, "sync: settle");
                goto out;
            }
            if (!agrees) {
                sqlite3_bind_int64(st->case_fix, 1, case_id);
                sqlite3_bind_int64(st->case_fix, 2, v[win].completed_at);
                rc = sqlite3_step(st->case_fix);
                sqlite3_reset(st->case_fix);
                if (rc != SQLITE_DONE) {
                    db_error(st->db, err, "sync: settle");
                    goto out;
                }
                describe(st, &v[win], a, sizeof a);
                snprintf(detail, sizeof detail, "%s is complete: the case is final 1.1", a);
                if (db_audit(st->db, login, "sync disposition", detail, err) < 0)
                    goto out;
            }
        }
    }
    if (win < 0 || !v[win].complete) {
        /* no interview decides: the case's code is what all its calls give,
         * whichever site made them (each site may have ended it its way) */
        char want[16];
        int agrees;
        if (check_case_final(st->db, case_id, want, sizeof want, &agrees, err) < 0)
            goto out;
        if (!agrees) {
            sqlite3_bind_int64(st->code_fix, 1, case_id);
            sqlite3_bind_text(st->code_fix, 2, want, -1, SQLITE_TRANSIENT);
            rc = sqlite3_step(st->code_fix);
            sqlite3_reset(st->code_fix);
            if (rc != SQLITE_DONE) {
                db_error(st->db, err, "sync: settle");
                goto out;
            }
            snprintf(detail, sizeof detail, "case %lld: final %s from the calls of every site", case_id,
                     want);
            if (db_audit(st->db, login, "sync disposition", detail, err) < 0)
                goto out;
        }
    }
    ret = 0;
out:
    free(v);
    return ret;
}

/* --- the conflicts, and a supervisor's choice -------------------------------- */

int sync_authorize(sqlite3 *central, const char *login, struct cati_error *err)
{
    struct cati_interviewer me;
    struct cati_error e2;
    const char *path = sqlite3_db_filename(central, "main");
    if (!path || !*path)
        path = "the central database";
    if (!login || account_find(central, login, &me, &e2) < 0)
        return cati_error_set(err, "sync: permission denied: '%s' is not an interviewer of '%s' "
                              "(sync needs an active supervisor or admin of the central database)",
                              login ? login : "", path);
    if (!me.active || me.role < ROLE_SUPERVISOR)
        return cati_error_set(err, "sync: permission denied: '%s' is %s%s at '%s' (sync needs an "
                              "active supervisor or admin of the central database)", login,
                              me.active ? "" : "a disabled ", account_role_name(me.role), path);
    return 0;
}

#define DUP_SQL                                                                                    \
    "SELECT c.uuid, s.name, c.ref, i.uuid, i.state, coalesce(x.name, 'central'),"                 \
    " coalesce(v.login, ''), coalesce(v.name, ''), i.completed_at, k.by_login, k.at,"             \
    " k.interview_id = i.id"                                                                       \
    " FROM interviews i JOIN cases c ON c.id = i.case_id JOIN surveys s ON s.id = c.survey_id"   \
    " LEFT JOIN sync_sites x ON x.id = i.site_id"                                                 \
    " LEFT JOIN interviewers v ON v.id = i.interviewer_id"                                        \
    " LEFT JOIN sync_keep k ON k.case_id = c.id"                                                  \
    " WHERE i.outcome = 'complete' AND i.state IN ('live', 'duplicate')"                          \
    "  AND c.id IN (SELECT case_id FROM interviews WHERE state = 'duplicate')"                    \
    " ORDER BY s.name, c.ref, c.id, i.state = 'live' DESC, i.completed_at, i.uuid"

int sync_conflicts_list(sqlite3 *db, int (*fn)(const struct sync_dup *, void *), void *ctx,
                        struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, DUP_SQL, &st, err) < 0)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct sync_dup d = {
            .case_uuid = (const char *)sqlite3_column_text(st, 0),
            .survey = (const char *)sqlite3_column_text(st, 1),
            .ref = (const char *)sqlite3_column_text(st, 2),
            .interview_uuid = (const char *)sqlite3_column_text(st, 3),
            .kept = !strcmp((const char *)sqlite3_column_text(st, 4), "live"),
            .site = (const char *)sqlite3_column_text(st, 5),
            .login = (const char *)sqlite3_column_text(st, 6),
            .name = (const char *)sqlite3_column_text(st, 7),
            .completed_at = sqlite3_column_int64(st, 8),
        };
        if (d.kept && sqlite3_column_int(st, 11)) {
            d.chosen_by = (const char *)sqlite3_column_text(st, 9);
            d.chosen_at = sqlite3_column_int64(st, 10);
        }
        if (fn(&d, ctx))
            break;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(db, err, "sync conflicts");
    return 0;
}

int sync_conflicts_keep(sqlite3 *db, const char *login, const char *interview_uuid,
                        struct cati_error *err)
{
    struct sync_settle st;
    sqlite3_stmt *q = NULL;
    int ret = -1;
    if (sync_settle_prepare(db, &st, err) < 0)
        return -1;
    if (db_begin_immediate(db, err) < 0) {
        sync_settle_finalize(&st);
        return -1;
    }
    if (sync_authorize(db, login, err) < 0)
        goto fail;
    if (db_prepare(db, "SELECT i.id, i.case_id, i.state, i.outcome IS 'complete',"
                       " (SELECT uuid FROM interviews j WHERE j.case_id = i.case_id"
                       "  AND j.state = 'live'), s.name, c.ref"
                       " FROM interviews i JOIN cases c ON c.id = i.case_id"
                       " JOIN surveys s ON s.id = c.survey_id WHERE i.uuid = ?1", &q, err) < 0)
        goto fail;
    sqlite3_bind_text(q, 1, interview_uuid, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        if (rc == SQLITE_DONE)
            cati_error_set(err, "sync conflicts: no interview '%s'", interview_uuid);
        else
            db_error(db, err, "sync conflicts");
        goto fail;
    }
    long long iv = sqlite3_column_int64(q, 0), case_id = sqlite3_column_int64(q, 1);
    const char *state = (const char *)sqlite3_column_text(q, 2);
    if (!sqlite3_column_int(q, 3) || (strcmp(state, "duplicate") && strcmp(state, "live"))) {
        cati_error_set(err, "sync conflicts: interview '%s' is not a completed interview of a "
                            "case completed at several sites", interview_uuid);
        goto fail;
    }
    if (!strcmp(state, "live")) {
        ret = 1; /* already the case's interview */
        goto fail;
    }
    char detail[800];
    snprintf(detail, sizeof detail, "survey %s, ref %s: kept interview %s instead of %s",
             (const char *)sqlite3_column_text(q, 5), (const char *)sqlite3_column_text(q, 6),
             interview_uuid, sqlite3_column_text(q, 4) ? (const char *)sqlite3_column_text(q, 4)
                                                       : "none");
    sqlite3_finalize(q);
    q = NULL;
    if (db_prepare(db, "INSERT INTO sync_keep(case_id, interview_id, by_login, at)"
                       " VALUES(?1, ?2, ?3, ?4) ON CONFLICT(case_id) DO UPDATE SET"
                       " interview_id = excluded.interview_id, by_login = excluded.by_login,"
                       " at = excluded.at", &q, err) < 0)
        goto fail;
    sqlite3_bind_int64(q, 1, case_id);
    sqlite3_bind_int64(q, 2, iv);
    sqlite3_bind_text(q, 3, login, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 4, cati_now());
    if (sqlite3_step(q) != SQLITE_DONE) {
        db_error(db, err, "sync conflicts");
        goto fail;
    }
    if (sync_settle_case(&st, case_id, login, NULL, err) < 0 ||
        db_audit(db, login, "sync keep", detail, err) < 0 || db_commit(db, err) < 0)
        goto fail;
    ret = 0;
    goto out;
fail:
    db_rollback(db);
out:
    sqlite3_finalize(q);
    sync_settle_finalize(&st);
    return ret;
}
