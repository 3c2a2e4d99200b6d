/* Survey versions in the database: `cati survey load` stores a checked
 * script as the next version when its text changed; interviews parse the
 * version they started with. */
#include "cati/script.h"

#include <stdlib.h>
#include <string.h>

#include "cati/db.h"
#include "cati/util.h"

static char *join_words(char *const *w, int n)
{
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(w[i]) + 1;
    char *out = malloc(len);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(out, " ");
        strcat(out, w[i]);
    }
    return out;
}

int script_store(sqlite3 *db, const struct cati_script *s, const char *login,
                 struct script_stored *out, struct cati_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    char uuid[37];
    char *fields = join_words(s->fields, s->nfields);
    char *langs = join_words((char *const *)s->languages, s->nlangs);
    if (!fields || !langs) {
        free(fields);
        free(langs);
        return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
    }
    time_t now = cati_now();
    if (db_begin_immediate(db, err) < 0)
        goto fail_nodb;
    if (db_prepare(db, "SELECT id FROM surveys WHERE name = ?", &st, err) < 0)
        goto fail;
    sqlite3_bind_text(st, 1, s->name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        out->survey_id = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE)
        goto dberr;
    sqlite3_finalize(st);
    st = NULL;
    if (!out->survey_id) {
        if (cati_uuid(uuid) < 0) {
            cati_error_set(err, "cannot make a UUID");
            goto fail;
        }
        if (db_prepare(db, "INSERT INTO surveys(name, title, created_at, uuid) VALUES (?, ?, ?, ?)", &st,
                       err) < 0)
            goto fail;
        sqlite3_bind_text(st, 1, s->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, s->title, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
        sqlite3_bind_text(st, 4, uuid, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto dberr;
        out->survey_id = sqlite3_last_insert_rowid(db);
        sqlite3_finalize(st);
        st = NULL;
    }
    if (db_prepare(db, "SELECT id, version, source FROM survey_versions WHERE survey_id = ? "
                       "ORDER BY version DESC LIMIT 1", &st, err) < 0)
        goto fail;
    sqlite3_bind_int64(st, 1, out->survey_id);
    rc = sqlite3_step(st);
    int last = 0;
    if (rc == SQLITE_ROW) {
        last = sqlite3_column_int(st, 1);
        const void *src = sqlite3_column_blob(st, 2);
        size_t n = (size_t)sqlite3_column_bytes(st, 2);
        if (n == s->source_len && (n == 0 || !memcmp(src, s->source, n))) {
            out->version_id = sqlite3_column_int64(st, 0);
            out->version = last;
            out->changed = 0;
            sqlite3_finalize(st);
            db_rollback(db);
            free(fields);
            free(langs);
            return 0;
        }
    } else if (rc != SQLITE_DONE) {
        goto dberr;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (cati_uuid(uuid) < 0) {
        cati_error_set(err, "cannot make a UUID");
        goto fail;
    }
    if (db_prepare(db, "INSERT INTO survey_versions(survey_id, version, script_version, source, "
                       "source_file, fields, languages, loaded_at, loaded_by, uuid) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, err) < 0)
        goto fail;
    sqlite3_bind_int64(st, 1, out->survey_id);
    sqlite3_bind_int(st, 2, last + 1);
    sqlite3_bind_int64(st, 3, s->version);
    sqlite3_bind_text(st, 4, s->source, (int)s->source_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, s->file ? s->file : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, fields, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, langs, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)now);
    sqlite3_bind_text(st, 9, login ? login : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, uuid, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto dberr;
    out->version_id = sqlite3_last_insert_rowid(db);
    out->version = last + 1;
    out->changed = 1;
    sqlite3_finalize(st);
    st = NULL;
    if (db_prepare(db, "UPDATE surveys SET title = ? WHERE id = ?", &st, err) < 0)
        goto fail;
    sqlite3_bind_text(st, 1, s->title, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, out->survey_id);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto dberr;
    sqlite3_finalize(st);
    st = NULL;
    if (db_commit(db, err) < 0)
        goto fail;
    free(fields);
    free(langs);
    return 0;
dberr:
    db_error(db, err, "storing the survey");
fail:
    sqlite3_finalize(st);
    db_rollback(db);
fail_nodb:
    free(fields);
    free(langs);
    return -1;
}

int script_load_version(sqlite3 *db, long long version_id, struct cati_script **out,
                        struct cati_error *err)
{
    *out = NULL;
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT v.source, v.source_file, v.version, s.name FROM survey_versions v "
                       "JOIN surveys s ON s.id = v.survey_id WHERE v.id = ?", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, version_id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE)
            return cati_error_setk(err, CATI_ERR_NOT_FOUND, "unknown survey version %lld", version_id);
        return db_error(db, err, "reading the survey version");
    }
    const char *src = (const char *)sqlite3_column_blob(st, 0);
    size_t n = (size_t)sqlite3_column_bytes(st, 0);
    const char *file = (const char *)sqlite3_column_text(st, 1);
    struct script_diags d = {0};
    *out = script_parse(file && *file ? file : "(stored)", src ? src : "", n, &d);
    if (!*out)
        cati_error_set(err, "survey '%s' version %d no longer parses: %s", sqlite3_column_text(st, 3),
                       sqlite3_column_int(st, 2), d.n ? d.items[0].msg : "?");
    script_diags_free(&d);
    sqlite3_finalize(st);
    return *out ? 0 : -1;
}

int script_load_latest(sqlite3 *db, const char *name, long long survey_id,
                       struct cati_script **out, long long *version_id, struct cati_error *err)
{
    *out = NULL;
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT v.id FROM survey_versions v JOIN surveys s ON s.id = v.survey_id "
                       "WHERE (?1 IS NULL AND s.id = ?2) OR s.name = ?1 ORDER BY v.version DESC LIMIT 1",
                   &st, err) < 0)
        return -1;
    if (name)
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 1);
    sqlite3_bind_int64(st, 2, survey_id);
    int rc = sqlite3_step(st);
    long long vid = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(db, err, "finding the survey");
    if (!vid) {
        if (name)
            return cati_error_setk(err, CATI_ERR_NOT_FOUND, "unknown survey '%s': load it with 'cati survey load FILE'", name);
        return cati_error_set(err, "survey %lld has no questionnaire loaded", survey_id);
    }
    if (version_id)
        *version_id = vid;
    return script_load_version(db, vid, out, err);
}

int script_list(sqlite3 *db, int (*fn)(const struct script_survey_info *, void *), void *ctx,
                struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT s.id, s.name, s.title, s.paused, "
                       "COALESCE(v.version, 0), COALESCE(v.script_version, 0), COALESCE(v.languages, ''), "
                       "COALESCE(v.loaded_at, 0), COALESCE(v.loaded_by, ''), "
                       "(SELECT count(*) FROM cases c WHERE c.survey_id = s.id) "
                       "FROM surveys s LEFT JOIN survey_versions v ON v.survey_id = s.id AND v.version = "
                       "(SELECT max(version) FROM survey_versions WHERE survey_id = s.id) ORDER BY s.name",
                   &st, err) < 0)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct script_survey_info in;
        memset(&in, 0, sizeof in);
        in.id = sqlite3_column_int64(st, 0);
        db_column_copy(st, 1, in.name, sizeof in.name);
        db_column_copy(st, 2, in.title, sizeof in.title);
        in.paused = sqlite3_column_int(st, 3);
        in.version = sqlite3_column_int(st, 4);
        in.script_version = (long)sqlite3_column_int64(st, 5);
        db_column_copy(st, 6, in.languages, sizeof in.languages);
        in.loaded_at = sqlite3_column_int64(st, 7);
        db_column_copy(st, 8, in.loaded_by, sizeof in.loaded_by);
        in.cases = sqlite3_column_int64(st, 9);
        if (fn(&in, ctx))
            break;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(db, err, "listing surveys");
    return 0;
}

int script_set_paused(sqlite3 *db, const char *name, int paused, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "UPDATE surveys SET paused = ? WHERE name = ?", &st, err) < 0)
        return -1;
    sqlite3_bind_int(st, 1, paused ? 1 : 0);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(db, err, "updating the survey");
    if (sqlite3_changes(db) == 0)
        return cati_error_setk(err, CATI_ERR_NOT_FOUND, "unknown survey '%s'", name);
    return 0;
}
