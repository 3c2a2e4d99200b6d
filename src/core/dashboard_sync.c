/* Which questions measure the five parameters: read once per stored script
 * version into survey_measures, and the version's completed interviews
 * counted into score_sums. From then on the schema's triggers keep the sums. */
#include "cati/dashboard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/db.h"
#include "cati/expr.h"
#include "cati/script.h"
#include "score_sql.h"

/* The answers a flag condition sees: only question qi, with value code. */
struct one_answer {
    int qi;
    char value[32];
};

static enum cati_astatus one_answer_fn(const void *ctx, int qi, const char **value)
{
    const struct one_answer *a = ctx;
    if (qi != a->qi)
        return ANS_NONE;
    *value = a->value;
    return ANS_VALUE;
}

static const char *no_field(const void *ctx, const char *name)
{
    (void)ctx;
    (void)name;
    return NULL;
}

/* 1 if some flag of the script fires when question qi alone is answered
 * with code: a flag on qi itself without a condition, or any flag whose
 * condition holds with only that answer known. */
static int code_flagged(const struct cati_script *s, int qi, long code)
{
    struct one_answer a = {qi, ""};
    snprintf(a.value, sizeof a.value, "%ld", code);
    struct expr_env env = {s, one_answer_fn, no_field, &a};
    for (int i = 0; i < s->nquestions; i++) {
        const struct cati_question *q = &s->questions[i];
        for (int f = 0; f < q->nflags; f++) {
            if (!q->flags[f].cond) {
                if (i == qi)
                    return 1;
                continue;
            }
            if (expr_eval(q->flags[f].cond, &env, NULL) == 1)
                return 1;
        }
    }
    return 0;
}

/* Good codes of a single question as ",2,3,"; "" when no flag looks at it
 * (then it has no share to show and is left out). */
static void good_codes(const struct cati_script *s, int qi, char *buf, size_t size)
{
    const struct cati_question *q = &s->questions[qi];
    size_t o = 0;
    int bad = 0;
    buf[0] = '\0';
    for (int c = 0; c < q->nchoices; c++) {
        if (code_flagged(s, qi, q->choices[c].code)) {
            bad++;
            continue;
        }
        int n = snprintf(buf + o, size - o, "%s%ld,", o ? "" : ",", q->choices[c].code);
        if (n < 0 || (size_t)n >= size - o)
            break;
        o += (size_t)n;
    }
    if (!bad)
        buf[0] = '\0';
}

static int store_measures(sqlite3 *db, long long vid, const struct cati_script *s,
                          struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "INSERT INTO survey_measures(survey_version_id, question, parameter, kind,"
                       " lo, hi, good) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                   &st, err) < 0)
        return -1;
    int rc = 0;
    for (int i = 0; i < s->nquestions && rc == 0; i++) {
        const struct cati_question *q = &s->questions[i];
        if (q->measures < 0 || q->measures >= s->nparameters)
            continue;
        const char *kind = NULL;
        char good[512] = "";
        switch (q->type) {
        case QTYPE_SCALE: kind = "scale"; break;
        case QTYPE_NUMBER: kind = "number"; break;
        case QTYPE_TEXT: kind = "text"; break;   /* counted, answers listed */
        case QTYPE_MULTI: kind = "multi"; break; /* counted */
        case QTYPE_DATE: kind = "date"; break;   /* counted */
        case QTYPE_SINGLE:
            good_codes(s, i, good, sizeof good);
            if (good[0])
                kind = "single";
            break;
        }
        if (!kind)
            continue; /* a single no flag looks at */
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, vid);
        sqlite3_bind_text(st, 2, q->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, s->parameters[q->measures], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, q->lo);
        sqlite3_bind_int64(st, 6, q->hi);
        sqlite3_bind_text(st, 7, good, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = db_error(db, err, "survey measures");
    }
    sqlite3_finalize(st);
    return rc;
}

/* Count the version's completed interviews (those the triggers could not
 * see while its measures were unknown). */
static int count_version(sqlite3 *db, long long vid, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db,
                   "INSERT INTO score_sums SELECT c.survey_id, m.parameter, m.question, m.kind,"
                   " c.service, c.agency, sum(a.status = 'value'),"
                   " sum(" SCORE_TOTAL_AM "), sum(" SCORE_TOP_AM "), m.lo, m.hi"
                   " FROM interviews i JOIN answers a ON a.interview_id = i.id"
                   " JOIN survey_measures m ON m.survey_version_id = i.survey_version_id"
                   "  AND m.question = a.question"
                   " JOIN cases c ON c.id = i.case_id"
                   " WHERE i.survey_version_id = ?1 AND " SCORE_COUNTS_I
                   "  AND a.on_route = 1"
                   " GROUP BY 1, 2, 3, 4, 5, 6"
                   " ON CONFLICT DO UPDATE SET n = n + excluded.n, total = total + excluded.total,"
                   "  top = top + excluded.top, lo = excluded.lo, hi = excluded.hi",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, vid);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "score sums");
}

static int sync_version(sqlite3 *db, long long vid, struct cati_error *err)
{
    struct cati_script *s = NULL;
    struct cati_error perr;
    /* a version that no longer parses measures nothing (it is still marked
     * done, so it is not parsed again on every refresh) */
    if (script_load_version(db, vid, &s, &perr) == 0) {
        int rc = store_measures(db, vid, s, err);
        script_free(s);
        if (rc < 0)
            return -1;
    }
    sqlite3_stmt *st;
    if (db_prepare(db, "INSERT INTO survey_measures_done(survey_version_id) VALUES (?1)", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, vid);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(db, err, "survey measures");
    return count_version(db, vid, err);
}

#define PENDING_SQL                                                                                \
    "SELECT v.id FROM survey_versions v WHERE NOT EXISTS "                                         \
    "(SELECT 1 FROM survey_measures_done d WHERE d.survey_version_id = v.id) ORDER BY v.id"

int dashboard_measures_sync(sqlite3 *db, int *added, struct cati_error *err)
{
    if (added)
        *added = 0;
    long long first;
    if (db_int(db, PENDING_SQL " LIMIT 1", NULL, 0, 0, &first, err) < 0)
        return -1;
    if (!first)
        return 0; /* the usual case: nothing new, nothing written */
    if (db_begin_immediate(db, err) < 0)
        return -1;
    sqlite3_stmt *st;
    if (db_prepare(db, PENDING_SQL, &st, err) < 0) {
        db_rollback(db);
        return -1;
    }
    long long ids[64];
    int n = 0, rc;
    while (n < 64 && (rc = sqlite3_step(st)) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    for (int i = 0; i < n; i++)
        if (sync_version(db, ids[i], err) < 0) {
            db_rollback(db);
            return -1;
        }
    if (db_commit(db, err) < 0) {
        db_rollback(db);
        return -1;
    }
    if (added)
        *added = n;
    return 0;
}
