/* Quota cells: the completes rule (shared by the queue, the report and the
 * monitor) and the checks that every quota names a field of the samples.
 * See cati/quota.h. */
#include "cati/quota.h"

#include <stdlib.h>
#include <string.h>

#include "cati/db.h"
#include "cati/util.h"

static const char *const std_fields[] = {"service", "agency", "district", "language", NULL};

int quota_std_field(const char *field)
{
    for (int i = 0; std_fields[i]; i++)
        if (!strcmp(field, std_fields[i]))
            return 1;
    return 0;
}

int quota_completes(sqlite3 *db, long long survey_id, const struct cati_quota *q, long long *n,
                    struct cati_error *err)
{
    static const char *const std_sql =
        "SELECT count(*) FROM cases INDEXED BY cases_done WHERE survey_id = ?1"
        " AND disposition = '1.1' AND lower(CASE ?2 WHEN 'service' THEN service"
        " WHEN 'agency' THEN agency WHEN 'district' THEN district ELSE language END) = lower(?3)";
    static const char *const field_sql =
        "SELECT count(*) FROM cases c INDEXED BY cases_done JOIN case_fields f ON f.case_id = c.id"
        " WHERE c.survey_id = ?1 AND c.disposition = '1.1' AND lower(f.name) = lower(?2)"
        " AND lower(f.value) = lower(?3)";
    sqlite3_stmt *st;
    *n = 0;
    if (db_prepare(db, quota_std_field(q->field) ? std_sql : field_sql, &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, survey_id);
    sqlite3_bind_text(st, 2, q->field, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, q->value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : db_error(db, err, "quota");
}

static int cells(sqlite3 *db, const struct cati_config *cfg, long long survey_id,
                 struct quota_cell **out, int *n, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT id, name, paused FROM surveys WHERE ?1 = 0 OR id = ?1 ORDER BY name",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, survey_id);
    int rc, cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < cfg->nquotas; i++) {
            const struct cati_quota *q = &cfg->quotas[i];
            if (*n == cap) {
                int ncap = cap ? cap * 2 : 16;
                struct quota_cell *p = realloc(*out, (size_t)ncap * sizeof *p);
                if (!p) {
                    sqlite3_finalize(st);
                    return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
                }
                *out = p;
                cap = ncap;
            }
            struct quota_cell *c = &(*out)[*n];
            memset(c, 0, sizeof *c);
            c->survey_id = sqlite3_column_int64(st, 0);
            const unsigned char *name = sqlite3_column_text(st, 1);
            cati_strlcpy(c->survey, name ? (const char *)name : "", sizeof c->survey);
            c->paused = sqlite3_column_int(st, 2) != 0;
            cati_strlcpy(c->field, q->field, sizeof c->field);
            cati_strlcpy(c->value, q->value, sizeof c->value);
            c->target = q->limit;
            if (quota_completes(db, c->survey_id, q, &c->achieved, err) < 0) {
                sqlite3_finalize(st);
                return -1;
            }
            c->remaining = c->achieved < c->target ? c->target - c->achieved : 0;
            c->full = c->achieved >= c->target;
            (*n)++;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "quota");
}

int quota_cells(sqlite3 *db, const struct cati_config *cfg, long long survey_id,
                struct quota_cell **out, int *n, struct cati_error *err)
{
    *out = NULL;
    *n = 0;
    if (cfg->nquotas == 0)
        return 0;
    int own = sqlite3_get_autocommit(db);
    if (own && db_begin(db, err) < 0)
        return -1;
    int rc = cells(db, cfg, survey_id, out, n, err);
    if (own) {
        if (rc == 0)
            rc = db_commit(db, err); /* a read: commit only ends the snapshot */
        else
            db_rollback(db);
    }
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* 1 when some case of survey_id has the extra field, 0 when none, -1 on error. */
static int survey_has_field(sqlite3 *db, long long survey_id, const char *field,
                            struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT EXISTS (SELECT 1 FROM cases c JOIN case_fields f ON f.case_id = c.id"
                       " WHERE c.survey_id = ?1 AND f.name = lower(?2))",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, survey_id);
    sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int has = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return has < 0 ? db_error(db, err, "quota") : has;
}

/* The extra fields of survey_id's sample, "a, b" (or "none"), into buf. */
static void survey_fields(sqlite3 *db, long long survey_id, char *buf, size_t size)
{
    sqlite3_stmt *st;
    cati_strlcpy(buf, "none", size);
    if (db_prepare(db, "SELECT DISTINCT f.name FROM cases c JOIN case_fields f ON f.case_id = c.id"
                       " WHERE c.survey_id = ?1 ORDER BY f.name LIMIT 20",
                   &st, NULL) < 0)
        return;
    sqlite3_bind_int64(st, 1, survey_id);
    size_t used = 0;
    while (sqlite3_step(st) == SQLITE_ROW && used < size) {
        const unsigned char *f = sqlite3_column_text(st, 0);
        used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
                                 f ? (const char *)f : "");
    }
    sqlite3_finalize(st);
}

static int check_db(sqlite3 *db, const struct cati_config *cfg, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT id, name FROM surveys s WHERE EXISTS"
                       " (SELECT 1 FROM cases WHERE survey_id = s.id) ORDER BY name",
                   &st, err) < 0)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long sid = sqlite3_column_int64(st, 0);
        for (int i = 0; i < cfg->nquotas; i++) {
            const struct cati_quota *q = &cfg->quotas[i];
            if (quota_std_field(q->field))
                continue;
            int has = survey_has_field(db, sid, q->field, err);
            if (has < 0) {
                sqlite3_finalize(st);
                return -1;
            }
            if (has)
                continue;
            char fields[512], survey[64];
            const unsigned char *name = sqlite3_column_text(st, 1);
            cati_strlcpy(survey, name ? (const char *)name : "", sizeof survey);
            survey_fields(db, sid, fields, sizeof fields);
            sqlite3_finalize(st);
            return cati_error_at(err, cfg->file, q->line, 0,
                                 "quota:%s.%s: the sample of survey '%s' has no field '%s' (its extra "
                                 "fields: %s; quotas count service, agency, district, language or an "
                                 "extra sample field)",
                                 q->field, q->value, survey, q->field, fields);
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "quota");
}

int quota_check_db(sqlite3 *db, const struct cati_config *cfg, struct cati_error *err)
{
    int extra = 0;
    for (int i = 0; i < cfg->nquotas; i++)
        extra |= !quota_std_field(cfg->quotas[i].field);
    if (!extra)
        return 0;
    int own = sqlite3_get_autocommit(db);
    if (own && db_begin(db, err) < 0)
        return -1;
    int rc = check_db(db, cfg, err);
    if (own) {
        if (rc == 0)
            rc = db_commit(db, err); /* a read: commit only ends the snapshot */
        else
            db_rollback(db);
    }
    return rc;
}

const struct cati_quota *quota_missing_column(const struct cati_config *cfg,
                                              const char *const *columns, size_t n)
{
    for (int i = 0; i < cfg->nquotas; i++) {
        const struct cati_quota *q = &cfg->quotas[i];
        if (quota_std_field(q->field))
            continue;
        size_t k = 0;
        while (k < n && strcmp(columns[k], q->field))
            k++;
        if (k == n)
            return q;
    }
    return NULL;
}
