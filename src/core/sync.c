/* cati sync: the run (batches of whole cases), surveys and versions,
 * interviewers, the site's identity. See cati/sync.h for the rules. */
#include "cati/sync.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cati/account.h"
#include "cati/db.h"
#include "cati/util.h"
#include "sync_int.h"

static const char *const table_names[SYNC_NTABLES] = {
    "surveys", "survey_versions", "interviewers", "cases", "phones", "case_fields",
    "calls", "interviews", "answers", "answer_log", "flags"};

const char *sync_table_name(enum sync_table t)
{
    return t >= 0 && t < SYNC_NTABLES ? table_names[t] : "?";
}

/* --- id maps ---------------------------------------------------------------- */

static size_t map_pos(const struct sync_map *m, long long from)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->from[mid] < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

long long sync_map_get(const struct sync_map *m, long long from)
{
    size_t i = map_pos(m, from);
    return i < m->n && m->from[i] == from ? m->to[i] : 0;
}

int sync_map_put(struct sync_map *m, long long from, long long to)
{
    size_t i = map_pos(m, from);
    if (i < m->n && m->from[i] == from) {
        m->to[i] = to;
        return 0;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 32;
        long long *f = realloc(m->from, cap * sizeof *f);
        if (!f)
            return -1;
        m->from = f;
        long long *t = realloc(m->to, cap * sizeof *t);
        if (!t)
            return -1;
        m->to = t;
        m->cap = cap;
    }
    memmove(m->from + i + 1, m->from + i, (m->n - i) * sizeof *m->from);
    memmove(m->to + i + 1, m->to + i, (m->n - i) * sizeof *m->to);
    m->from[i] = from;
    m->to[i] = to;
    m->n++;
    return 0;
}

void sync_map_free(struct sync_map *m)
{
    free(m->from);
    free(m->to);
    memset(m, 0, sizeof *m);
}

/* --- opening the central database, the site's identity -------------------- */

int sync_open_central(const char *path, int busy_ms, const char *login, sqlite3 **out,
                      int *created, struct cati_error *err)
{
    *created = 0;
    if (db_open(path, DB_OPEN_CREATE, busy_ms, out, err) < 0)
        return -1;
    long long ver = 0;
    /* an existing database: its own accounts decide, before it is upgraded */
    if (login && (db_int(*out, "PRAGMA user_version", NULL, 0, 0, &ver, err) < 0 ||
                  (ver > 0 && sync_authorize(*out, login, err) < 0))) {
        db_close(*out);
        *out = NULL;
        return -1;
    }
    if (db_migrate(*out, created, err) < 0) {
        db_close(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

int sync_site_identity(sqlite3 *site, const char *path, char uuid[37], struct cati_error *err)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return cati_error_set(err, "cannot stat '%s': %s", path, strerror(errno));
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) < 0)
        host[0] = '\0';
    sqlite3_stmt *q;
    if (db_prepare(site, "SELECT uuid, host, ino FROM site_identity WHERE id = 1", &q, err) < 0)
        return -1;
    int rc = sqlite3_step(q), same = 0;
    if (rc == SQLITE_ROW) {
        same = !strcmp((const char *)sqlite3_column_text(q, 1), host) &&
               sqlite3_column_int64(q, 2) == (sqlite3_int64)st.st_ino;
        db_column_copy(q, 0, uuid, 37);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(site, err, "site identity");
    if (same)
        return 0;
    /* first sync, or this file is a copy (or moved): a new identity */
    if (cati_uuid(uuid) < 0)
        return cati_error_set(err, "cannot make a uuid");
    if (db_begin_immediate(site, err) < 0)
        return -1;
    if (db_prepare(site, "INSERT OR REPLACE INTO site_identity(id, uuid, host, dev, ino) "
                         "VALUES(1, ?1, ?2, ?3, ?4)", &q, err) < 0)
        goto fail;
    sqlite3_bind_text(q, 1, uuid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, host, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)st.st_dev);
    sqlite3_bind_int64(q, 4, (sqlite3_int64)st.st_ino);
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        db_error(site, err, "site identity");
        goto fail;
    }
    return db_commit(site, err);
fail:
    db_rollback(site);
    return -1;
}

/* --- interviewers ------------------------------------------------------------ */

int sync_interviewer(struct sync *s, long long site_id, long long *out, struct cati_error *err)
{
    if ((*out = sync_map_get(&s->interviewers, site_id)))
        return 0;
    sqlite3_bind_int64(s->iv_site, 1, site_id);
    int rc = sqlite3_step(s->iv_site);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s->iv_site);
        return rc == SQLITE_DONE ? cati_error_set(err, "sync: interviewer %lld is missing at the site",
                                                  site_id)
                                 : db_error(s->site, err, "sync: interviewers");
    }
    /* login, name, created_at, last_seen_at; role and active are the
     * central's: a disabled interviewer */
    for (int i = 0; i < 4; i++)
        sqlite3_bind_value(s->iv_ins, i + 1, sqlite3_column_value(s->iv_site, i));
    rc = sqlite3_step(s->iv_ins);
    sqlite3_reset(s->iv_ins);
    if (rc != SQLITE_DONE) {
        sqlite3_reset(s->iv_site);
        return db_error(s->central, err, "sync: interviewers");
    }
    s->res->t[SYNC_INTERVIEWERS].inserted += sqlite3_changes(s->central);
    sqlite3_bind_value(s->iv_find, 1, sqlite3_column_value(s->iv_site, 0));
    rc = sqlite3_step(s->iv_find);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(s->iv_find, 0) : 0;
    sqlite3_reset(s->iv_find);
    sqlite3_reset(s->iv_site);
    if (!*out)
        return db_error(s->central, err, "sync: interviewers");
    return sync_map_put(&s->interviewers, site_id, *out) < 0 ? cati_error_setk(err, CATI_ERR_NOMEM, "out of memory")
                                                             : 0;
}

/* --- surveys and their versions (one transaction, before the cases) ------- */

static int sync_surveys(struct sync *s, struct cati_error *err)
{
    sqlite3_stmt *sel = NULL, *find = NULL, *ins = NULL, *vsel = NULL, *vfind = NULL,
                 *vnum = NULL, *vins = NULL;
    int ret = -1, rc;
    if (db_prepare(s->site, "SELECT id, name, title, paused, created_at, uuid FROM surveys "
                            "ORDER BY id", &sel, err) < 0 ||
        db_prepare(s->central, "SELECT id FROM surveys WHERE uuid = ?1 UNION ALL "
                               "SELECT id FROM surveys WHERE name = ?2 LIMIT 1", &find, err) < 0 ||
        db_prepare(s->central, "INSERT INTO surveys(name, title, paused, created_at, uuid) "
                               "VALUES(?1, ?2, ?3, ?4, ?5)", &ins, err) < 0 ||
        db_prepare(s->site, "SELECT id, survey_id, version, script_version, source, source_file, "
                            "fields, languages, loaded_at, loaded_by, uuid FROM survey_versions "
                            "ORDER BY id", &vsel, err) < 0 ||
        db_prepare(s->central, "SELECT id FROM survey_versions WHERE uuid = ?1 UNION ALL "
                               "SELECT id FROM (SELECT id FROM survey_versions WHERE "
                               "survey_id = ?2 AND source = ?3 ORDER BY id) LIMIT 1",
                   &vfind, err) < 0 ||
        db_prepare(s->central, "SELECT CASE WHEN EXISTS(SELECT 1 FROM survey_versions WHERE "
                               "survey_id = ?1 AND version = ?2) THEN (SELECT max(version) + 1 "
                               "FROM survey_versions WHERE survey_id = ?1) ELSE ?2 END",
                   &vnum, err) < 0 ||
        db_prepare(s->central, "INSERT INTO survey_versions(survey_id, version, script_version, "
                               "source, source_file, fields, languages, loaded_at, loaded_by, uuid) "
                               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", &vins, err) < 0)
        goto out;
    while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
        long long cid = 0;
        sqlite3_bind_value(find, 1, sqlite3_column_value(sel, 5));
        sqlite3_bind_value(find, 2, sqlite3_column_value(sel, 1));
        if ((rc = sqlite3_step(find)) == SQLITE_ROW)
            cid = sqlite3_column_int64(find, 0);
        sqlite3_reset(find);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            goto dberr;
        if (!cid) {
            for (int i = 1; i <= 5; i++)
                sqlite3_bind_value(ins, i, sqlite3_column_value(sel, i));
            rc = sqlite3_step(ins);
            sqlite3_reset(ins);
            if (rc != SQLITE_DONE)
                goto dberr;
            cid = sqlite3_last_insert_rowid(s->central);
            s->res->t[SYNC_SURVEYS].inserted++;
        }
        if (sync_map_put(&s->surveys, sqlite3_column_int64(sel, 0), cid) < 0) {
            cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    if (rc != SQLITE_DONE)
        goto siteerr;
    while ((rc = sqlite3_step(vsel)) == SQLITE_ROW) {
        long long csurvey = sync_map_get(&s->surveys, sqlite3_column_int64(vsel, 1)), cid = 0;
        sqlite3_bind_value(vfind, 1, sqlite3_column_value(vsel, 10));
        sqlite3_bind_int64(vfind, 2, csurvey);
        sqlite3_bind_value(vfind, 3, sqlite3_column_value(vsel, 4));
        if ((rc = sqlite3_step(vfind)) == SQLITE_ROW)
            cid = sqlite3_column_int64(vfind, 0);
        sqlite3_reset(vfind);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            goto dberr;
        if (!cid) {
            sqlite3_bind_int64(vnum, 1, csurvey);
            sqlite3_bind_value(vnum, 2, sqlite3_column_value(vsel, 2));
            rc = sqlite3_step(vnum);
            long long version = sqlite3_column_int64(vnum, 0);
            sqlite3_reset(vnum);
            if (rc != SQLITE_ROW)
                goto dberr;
            sqlite3_bind_int64(vins, 1, csurvey);
            sqlite3_bind_int64(vins, 2, version);
            for (int i = 3; i <= 10; i++)
                sqlite3_bind_value(vins, i, sqlite3_column_value(vsel, i));
            rc = sqlite3_step(vins);
            sqlite3_reset(vins);
            if (rc != SQLITE_DONE)
                goto dberr;
            cid = sqlite3_last_insert_rowid(s->central);
            s->res->t[SYNC_VERSIONS].inserted++;
        }
        if (sync_map_put(&s->versions, sqlite3_column_int64(vsel, 0), cid) < 0) {
            cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    if (rc != SQLITE_DONE)
        goto siteerr;
    ret = 0;
    goto out;
dberr:
    db_error(s->central, err, "sync: surveys");
    goto out;
siteerr:
    db_error(s->site, err, "sync: reading the site");
out:
    sqlite3_finalize(sel);
    sqlite3_finalize(find);
    sqlite3_finalize(ins);
    sqlite3_finalize(vsel);
    sqlite3_finalize(vfind);
    sqlite3_finalize(vnum);
    sqlite3_finalize(vins);
    return ret;
}

/* Register the site in the central database; s->site_id. */
static int sync_register(struct sync *s, const char *name, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(s->central, "INSERT INTO sync_sites(uuid, name, first_at, last_at) "
                               "VALUES(?1, ?2, ?3, ?3) ON CONFLICT(uuid) DO UPDATE SET "
                               "name = excluded.name RETURNING id", &st, err) < 0)
        return -1;
    sqlite3_bind_text(st, 1, s->res->site_uuid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, cati_now());
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        s->site_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : db_error(s->central, err, "sync: sites");
}

static int same_file(sqlite3 *a, sqlite3 *b)
{
    const char *pa = sqlite3_db_filename(a, "main"), *pb = sqlite3_db_filename(b, "main");
    struct stat sa, sb;
    if (!pa || !pb || stat(pa, &sa) < 0 || stat(pb, &sb) < 0)
        return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* --- the run ------------------------------------------------------------------ */

static int run_batches(struct sync *s, struct cati_error *err)
{
    sqlite3_stmt *ids = NULL;
    long long *batch = NULL;
    int size = s->opt->batch_cases > 0 ? s->opt->batch_cases : 500, ret = -1;
    if (db_prepare(s->site, "SELECT id FROM cases WHERE id > ?1 ORDER BY id LIMIT ?2", &ids, err) < 0)
        return -1;
    batch = malloc((size_t)size * sizeof *batch);
    if (!batch) {
        sqlite3_finalize(ids);
        return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
    }
    long long last = 0, done = 0;
    for (;;) {
        /* one read snapshot of the site and one central transaction per batch */
        if (db_begin(s->site, err) < 0)
            goto out;
        int n = 0, rc;
        sqlite3_bind_int64(ids, 1, last);
        sqlite3_bind_int64(ids, 2, size);
        while ((rc = sqlite3_step(ids)) == SQLITE_ROW)
            batch[n++] = sqlite3_column_int64(ids, 0);
        sqlite3_reset(ids);
        if (rc != SQLITE_DONE) {
            db_error(s->site, err, "sync: reading the site");
            goto fail;
        }
        if (n == 0) {
            db_rollback(s->site);
            break;
        }
        if (db_begin_immediate(s->central, err) < 0)
            goto fail;
        for (int i = 0; i < n; i++)
            if (sync_case(s, batch[i], err) < 0)
                goto fail;
        done += n;
        if (s->opt->on_batch && s->opt->on_batch(s->opt->ctx, s->res->batches + 1, done)) {
            cati_error_set(err, "sync: stopped");
            goto fail;
        }
        if (db_commit(s->central, err) < 0)
            goto fail;
        db_rollback(s->site); /* end the read */
        s->res->batches++;
        last = batch[n - 1];
    }
    ret = 0;
    goto out;
fail:
    db_rollback(s->central);
    db_rollback(s->site);
out:
    sqlite3_finalize(ids);
    free(batch);
    return ret;
}

int sync_run(sqlite3 *site, const char *site_path, sqlite3 *central,
             const struct sync_options *opt, struct sync_result *res, struct cati_error *err)
{
    memset(res, 0, sizeof *res);
    if (same_file(site, central))
        return cati_error_set(err, "sync: the central database is this site's own database");
    if (sync_authorize(central, opt->login, err) < 0)
        return -1;
    struct sync s = {.site = site, .central = central, .opt = opt, .res = res};
    int ret = -1;
    /* the schema's triggers stay on: change_seq, case and call counters and
     * score sums follow what sync writes as they follow any other writer */
    char name[1200];
    if (sync_site_identity(site, site_path, res->site_uuid, err) < 0)
        goto out;
    if (opt->site_name) {
        cati_strlcpy(name, opt->site_name, sizeof name);
    } else {
        char host[256] = "", *real = realpath(site_path, NULL);
        if (gethostname(host, sizeof host - 1) < 0)
            host[0] = '\0';
        snprintf(name, sizeof name, "%s:%s", host, real ? real : site_path);
        free(real);
    }
    if (db_prepare(site, "SELECT login, name, created_at, last_seen_at FROM interviewers "
                         "WHERE id = ?1", &s.iv_site, err) < 0 ||
        db_prepare(central, "INSERT INTO interviewers(login, name, role, active, created_at, "
                            "last_seen_at) VALUES(?1, ?2, 'interviewer', 0, ?3, ?4) "
                            "ON CONFLICT(login) DO NOTHING", &s.iv_ins, err) < 0 ||
        db_prepare(central, "SELECT id FROM interviewers WHERE login = ?1", &s.iv_find, err) < 0 ||
        sync_case_prepare(&s, err) < 0)
        goto out;

    /* the site and its surveys: one transaction */
    if (db_begin(site, err) < 0)
        goto out;
    if (db_begin_immediate(central, err) < 0) {
        db_rollback(site);
        goto out;
    }
    if (sync_register(&s, name, err) < 0 || sync_surveys(&s, err) < 0 ||
        db_commit(central, err) < 0) {
        db_rollback(central);
        db_rollback(site);
        goto out;
    }
    db_rollback(site);

    if (run_batches(&s, err) < 0)
        goto out;

    if (db_begin_immediate(central, err) < 0)
        goto out;
    sqlite3_stmt *st;
    if (db_prepare(central, "UPDATE sync_sites SET last_at = ?1, runs = runs + 1 WHERE id = ?2",
                   &st, err) < 0) {
        db_rollback(central);
        goto out;
    }
    sqlite3_bind_int64(st, 1, cati_now());
    sqlite3_bind_int64(st, 2, s.site_id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    char detail[1400];
    snprintf(detail, sizeof detail, "from %s (site %s): %lld cases examined, %lld changed, "
             "%lld conflicts, %lld duplicate interviews", name, res->site_uuid,
             res->cases_examined, res->cases_changed, res->conflicts, res->duplicates);
    if (rc != SQLITE_DONE ||
        db_audit(central, opt->login ? opt->login : "", "sync in", detail, err) < 0) {
        if (rc != SQLITE_DONE)
            db_error(central, err, "sync: sites");
        db_rollback(central);
        goto out;
    }
    if (db_commit(central, err) < 0)
        goto out;
    ret = 0;
out:
    sqlite3_finalize(s.iv_site);
    sqlite3_finalize(s.iv_ins);
    sqlite3_finalize(s.iv_find);
    sync_case_finalize(&s);
    sync_map_free(&s.surveys);
    sync_map_free(&s.versions);
    sync_map_free(&s.interviewers);
    return ret;
}
