/* sync: one case with all its rows, read from the site inside one read
 * transaction. A case this site pushed before is hashed first (unchanged
 * since that push = skipped) and read again to write it when it changed; a
 * new one is hashed while it is written. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/db.h"
#include "cati/util.h"
#include "sync_int.h"

/* How a column's value goes from the site to the central database. */
enum ckind { K_PLAIN, K_SURVEY, K_VERSION, K_INTERVIEWER, K_CASE, K_INTERVIEW, K_SITE };

struct col {
    const char *name;
    enum ckind kind;
    const char *src; /* what the site's SELECT reads for it; NULL = the same name */
    int ins_only;    /* written when the central row is made, never updated or compared */
};

struct tdef {
    enum sync_table counter;
    const char *table;
    const struct col *cols;
    int ncols;
    const char *parent;  /* column holding the parent (case or interview) id */
    const char *filter;  /* more of the site's WHERE, or "" */
    const char *order;
    const char *keys[3]; /* uuid, or the natural key within the parent (mirrored) */
    int mirror;          /* the parent's central rows mirror the site's (natural key) */
    int guard;           /* update only when the site row is at least as new */
    int append_only;     /* never updated */
    const char *extra;   /* more site columns after cols, or NULL */
};

#define N(a) ((int)(sizeof a / sizeof a[0]))

static const struct col case_cols[] = {
    {"uuid", K_PLAIN, NULL, 0}, {"survey_id", K_SURVEY, NULL, 0}, {"ref", K_PLAIN, NULL, 0}, {"name", K_PLAIN, NULL, 0},
    {"service", K_PLAIN, NULL, 0}, {"agency", K_PLAIN, NULL, 0}, {"district", K_PLAIN, NULL, 0}, {"availed_on", K_PLAIN, NULL, 0},
    {"language", K_PLAIN, NULL, 0}, {"timezone", K_PLAIN, NULL, 0}, {"priority", K_PLAIN, NULL, 0}, {"phone_pos", K_PLAIN, NULL, 0},
    {"state", K_PLAIN, NULL, 0}, {"attempts", K_PLAIN, NULL, 0}, {"last_call_at", K_PLAIN, NULL, 0},
    {"next_call_at", K_PLAIN, NULL, 0}, {"appointment_at", K_PLAIN, NULL, 0},
    {"appointment_with", K_INTERVIEWER, NULL, 0}, {"appointment_missed", K_PLAIN, NULL, 0},
    /* who holds a case is the site's business: never pushed (a central
     * case is claimed only by the central's own consoles, if any) */
    {"claimed_by", K_PLAIN, "NULL", 0}, {"claimed_at", K_PLAIN, "NULL", 0}, {"lease_until", K_PLAIN, "NULL", 0},
    {"contacted", K_PLAIN, NULL, 0},
    {"eligible", K_PLAIN, NULL, 0}, {"needs_skill", K_PLAIN, NULL, 0}, {"interim_code", K_PLAIN, NULL, 0},
    {"disposition", K_PLAIN, NULL, 0}, {"finalised_at", K_PLAIN, NULL, 0}, {"created_at", K_PLAIN, NULL, 0},
    {"updated_at", K_PLAIN, NULL, 0}};

/* A case row someone worked on (as opposed to one fresh from the sample). */
#define CASE_TOUCHED "(updated_at > created_at OR attempts > 0 OR state <> 'new' OR " \
                     "claimed_by IS NOT NULL OR appointment_at IS NOT NULL)"

static const struct col phone_cols[] = {
    {"case_id", K_CASE, NULL, 0}, {"position", K_PLAIN, NULL, 0}, {"number", K_PLAIN, NULL, 0}, {"status", K_PLAIN, NULL, 0},
    {"attempts", K_PLAIN, NULL, 0}};
static const struct col field_cols[] = {{"case_id", K_CASE, NULL, 0}, {"name", K_PLAIN, NULL, 0}, {"value", K_PLAIN, NULL, 0}};
/* The attempt number is the site's until the case's calls are numbered in
 * time order centrally (number_calls). */
static const struct col call_cols[] = {
    {"uuid", K_PLAIN, NULL, 0}, {"case_id", K_CASE, NULL, 0}, {"attempt", K_PLAIN, NULL, 1},
    {"interviewer_id", K_INTERVIEWER, NULL, 0}, {"started_at", K_PLAIN, NULL, 0}, {"ended_at", K_PLAIN, NULL, 0},
    {"phone_pos", K_PLAIN, NULL, 0}, {"number", K_PLAIN, NULL, 0}, {"outcome", K_PLAIN, NULL, 0}, {"aapor", K_PLAIN, NULL, 0},
    {"slot", K_PLAIN, NULL, 0}, {"note", K_PLAIN, NULL, 0}, {"updated_at", K_PLAIN, NULL, 0},
    {"by_supervisor", K_PLAIN, NULL, 0}};
static const struct col interview_cols[] = {
    {"uuid", K_PLAIN, NULL, 0}, {"case_id", K_CASE, NULL, 0}, {"survey_version_id", K_VERSION, NULL, 0},
    {"interviewer_id", K_INTERVIEWER, NULL, 0}, {"language", K_PLAIN, NULL, 0}, {"mode", K_PLAIN, NULL, 0},
    {"current_question", K_PLAIN, NULL, 0}, {"outcome", K_PLAIN, NULL, 0}, {"started_at", K_PLAIN, NULL, 0},
    {"completed_at", K_PLAIN, NULL, 0}, {"updated_at", K_PLAIN, NULL, 0},
    /* the site's state; the central state is settled per case (sync_settle) */
    {"site_state", K_PLAIN, "state", 0}, {"state", K_PLAIN, "'abandoned'", 1},
    {"site_id", K_SITE, "NULL", 1}};
static const struct col answer_cols[] = {
    {"uuid", K_PLAIN, NULL, 0}, {"interview_id", K_INTERVIEW, NULL, 0}, {"question", K_PLAIN, NULL, 0},
    {"status", K_PLAIN, NULL, 0}, {"value", K_PLAIN, NULL, 0}, {"on_route", K_PLAIN, NULL, 0}, {"seq", K_PLAIN, NULL, 0},
    {"answered_at", K_PLAIN, NULL, 0}, {"updated_at", K_PLAIN, NULL, 0}};
static const struct col log_cols[] = {
    {"uuid", K_PLAIN, NULL, 0}, {"interview_id", K_INTERVIEW, NULL, 0}, {"question", K_PLAIN, NULL, 0}, {"event", K_PLAIN, NULL, 0},
    {"old_value", K_PLAIN, NULL, 0}, {"new_value", K_PLAIN, NULL, 0}, {"interviewer_id", K_INTERVIEWER, NULL, 0},
    {"language", K_PLAIN, NULL, 0}, {"seconds", K_PLAIN, NULL, 0}, {"at", K_PLAIN, NULL, 0}};
static const struct col flag_cols[] = {
    {"uuid", K_PLAIN, NULL, 0}, {"interview_id", K_INTERVIEW, NULL, 0}, {"case_id", K_CASE, NULL, 0}, {"kind", K_PLAIN, NULL, 0},
    {"question", K_PLAIN, NULL, 0}, {"text", K_PLAIN, NULL, 0}, {"raised_at", K_PLAIN, NULL, 0}, {"status", K_PLAIN, NULL, 0},
    {"handled_by", K_PLAIN, NULL, 0}, {"handled_at", K_PLAIN, NULL, 0}, {"updated_at", K_PLAIN, NULL, 0}};

static const struct tdef tdefs[SYNC_T_N] = {
    [SYNC_T_PHONES] = {SYNC_PHONES, "phones", phone_cols, N(phone_cols), "case_id", "",
                       "position", {"position"}, 1, 0, 0, NULL},
    [SYNC_T_FIELDS] = {SYNC_FIELDS, "case_fields", field_cols, N(field_cols), "case_id", "",
                       "name", {"name"}, 1, 0, 0, NULL},
    [SYNC_T_CALLS] = {SYNC_CALLS, "calls", call_cols, N(call_cols), "case_id", "", "id",
                      {"uuid"}, 0, 1, 0, NULL},
    [SYNC_T_INTERVIEWS] = {SYNC_INTERVIEWS, "interviews", interview_cols, N(interview_cols),
                           "case_id", "", "id", {"uuid"}, 0, 1, 0, "id"},
    [SYNC_T_ANSWERS] = {SYNC_ANSWERS, "answers", answer_cols, N(answer_cols), "interview_id", "",
                        "question", {"question"}, 1, 1, 0, NULL},
    [SYNC_T_LOG] = {SYNC_ANSWER_LOG, "answer_log", log_cols, N(log_cols), "interview_id", "",
                    "id", {"uuid"}, 0, 0, 1, NULL},
    [SYNC_T_FLAGS_IV] = {SYNC_FLAGS, "flags", flag_cols, N(flag_cols), "interview_id", "", "id",
                         {"kind", "question"}, 1, 1, 0, NULL},
    [SYNC_T_FLAGS_CASE] = {SYNC_FLAGS, "flags", flag_cols, N(flag_cols), "case_id",
                           " AND interview_id IS NULL", "id", {"uuid"}, 0, 1, 0, NULL},
};

/* --- building the fixed SQL from the tables above (never from input) ------ */

struct sbuf {
    char b[4096];
    size_t n;
    int over;
};

static void sb(struct sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb(struct sbuf *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(s->b + s->n, sizeof s->b - s->n, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= sizeof s->b - s->n)
        s->over = 1;
    else
        s->n += (size_t)k;
}

static int col_index(const struct col *cols, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(cols[i].name, name))
            return i;
    return -1;
}

static int prep(sqlite3 *db, struct sbuf *s, sqlite3_stmt **st, struct cati_error *err)
{
    if (s->over)
        return cati_error_set(err, "sync: internal statement too long");
    return db_prepare(db, s->b, st, err);
}

/* "c1, c2, …" (site: what the site's SELECT reads) */
static void sb_cols(struct sbuf *s, const struct col *cols, int n)
{
    for (int i = 0; i < n; i++)
        sb(s, "%s%s", i ? ", " : "", cols[i].name);
}

static void sb_site_cols(struct sbuf *s, const struct col *cols, int n)
{
    for (int i = 0; i < n; i++)
        sb(s, "%s%s", i ? ", " : "", cols[i].src ? cols[i].src : cols[i].name);
}

/* "(c1 IS NOT ?1 OR …)", skipping column skip (-1 = none) */
static void sb_differs(struct sbuf *s, const struct col *cols, int n, int skip)
{
    sb(s, "(");
    int first = 1;
    for (int i = 0; i < n; i++) {
        if (i == skip || cols[i].ins_only)
            continue;
        sb(s, "%s%s IS NOT ?%d", first ? "" : " OR ", cols[i].name, i + 1);
        first = 0;
    }
    sb(s, ")");
}

static int prepare_table(struct sync *s, const struct tdef *d, struct sync_tstmt *t,
                         struct cati_error *err)
{
    struct sbuf q = {0};
    sb(&q, "SELECT ");
    sb_site_cols(&q, d->cols, d->ncols);
    if (d->extra)
        sb(&q, ", %s", d->extra);
    sb(&q, " FROM %s WHERE %s = ?1%s ORDER BY %s", d->table, d->parent, d->filter, d->order);
    if (prep(s->site, &q, &t->sel, err) < 0)
        return -1;

    q = (struct sbuf){0};
    sb(&q, "INSERT INTO %s(", d->table);
    sb_cols(&q, d->cols, d->ncols);
    sb(&q, ") VALUES(");
    for (int i = 0; i < d->ncols; i++)
        sb(&q, "%s?%d", i ? ", " : "", i + 1);
    sb(&q, ") ON CONFLICT DO NOTHING");
    if (prep(s->central, &q, &t->ins, err) < 0)
        return -1;

    int parent = col_index(d->cols, d->ncols, d->parent);
    if (!d->append_only) {
        q = (struct sbuf){0};
        sb(&q, "UPDATE %s SET ", d->table);
        for (int i = 0, first = 1; i < d->ncols; i++) {
            if (d->cols[i].ins_only)
                continue;
            sb(&q, "%s%s = ?%d", first ? "" : ", ", d->cols[i].name, i + 1);
            first = 0;
        }
        sb(&q, " WHERE ");
        if (d->mirror)
            sb(&q, "%s = ?%d AND ", d->parent, parent + 1);
        for (int k = 0; d->keys[k]; k++)
            sb(&q, "%s = ?%d AND ", d->keys[k], col_index(d->cols, d->ncols, d->keys[k]) + 1);
        sb_differs(&q, d->cols, d->ncols, -1);
        if (d->guard)
            sb(&q, " AND ?%d >= updated_at", col_index(d->cols, d->ncols, "updated_at") + 1);
        if (prep(s->central, &q, &t->upd, err) < 0)
            return -1;
    }
    if (!d->mirror)
        return 0;
    q = (struct sbuf){0};
    sb(&q, "SELECT count(*) FROM %s WHERE %s = ?1", d->table, d->parent);
    if (prep(s->central, &q, &t->count, err) < 0)
        return -1;
    struct sbuf keys = {0}, match = {0};
    for (int k = 0; d->keys[k]; k++) {
        sb(&keys, "%s%s", k ? ", " : "", d->keys[k]);
        sb(&match, " AND %s = ?%d", d->keys[k], k + 2);
    }
    q = (struct sbuf){0};
    sb(&q, "SELECT %s FROM %s WHERE %s = ?1", keys.b, d->table, d->parent);
    if (prep(s->central, &q, &t->list, err) < 0)
        return -1;
    q = (struct sbuf){0};
    sb(&q, "SELECT 1 FROM %s WHERE %s = ?1%s", d->table, d->parent, match.b);
    if (prep(s->site, &q, &t->probe, err) < 0)
        return -1;
    q = (struct sbuf){0};
    sb(&q, "DELETE FROM %s WHERE %s = ?1%s", d->table, d->parent, match.b);
    return prep(s->central, &q, &t->del, err);
}

int sync_case_prepare(struct sync *s, struct cati_error *err)
{
    int n = N(case_cols);
    struct sbuf q = {0};
    sb(&q, "SELECT ");
    sb_site_cols(&q, case_cols, n);
    sb(&q, ", id, %s FROM cases WHERE id = ?1", CASE_TOUCHED);
    if (prep(s->site, &q, &s->case_sel, err) < 0)
        return -1;

    /* central: by this site's mapping, else by uuid, else by (survey, ref);
     * with "worked?" and "differs?" */
    q = (struct sbuf){0};
    char by_map[128];
    snprintf(by_map, sizeof by_map, "id = (SELECT case_id FROM sync_case_map WHERE site_id = ?%d"
             " AND site_uuid = ?1)", n + 1);
    const char *where[3] = {by_map, "uuid = ?1", "survey_id = ?2 AND ref = ?3"};
    for (int pass = 0; pass < 3; pass++) {
        sb(&q, "%sSELECT id, coalesce(site_id, 0), updated_at, %s, ", pass ? " UNION ALL " : "",
           CASE_TOUCHED);
        sb_differs(&q, case_cols, n, 0);
        sb(&q, ", state = 'final' FROM cases WHERE %s", where[pass]);
    }
    sb(&q, " LIMIT 1");
    if (prep(s->central, &q, &s->case_find, err) < 0)
        return -1;

    q = (struct sbuf){0};
    sb(&q, "INSERT INTO cases(");
    sb_cols(&q, case_cols, n);
    sb(&q, ", site_id) VALUES(");
    for (int i = 0; i <= n; i++)
        sb(&q, "%s?%d", i ? ", " : "", i + 1);
    sb(&q, ")");
    if (prep(s->central, &q, &s->case_ins, err) < 0)
        return -1;

    q = (struct sbuf){0};
    sb(&q, "UPDATE cases SET ");
    for (int i = 1; i < n; i++) /* the central uuid stays (a case matched by ref keeps it) */
        sb(&q, "%s = ?%d, ", case_cols[i].name, i + 1);
    sb(&q, "site_id = ?%d WHERE id = ?%d", n + 1, n + 2);
    if (prep(s->central, &q, &s->case_upd, err) < 0)
        return -1;

    if (db_prepare(s->central, "UPDATE cases SET site_id = ?1 WHERE id = ?2", &s->case_adopt,
                   err) < 0 ||
        db_prepare(s->central, "INSERT INTO sync_case_map(site_id, site_uuid, case_id) "
                               "VALUES(?1, ?2, ?3) ON CONFLICT(site_id, site_uuid) DO UPDATE SET "
                               "case_id = excluded.case_id WHERE case_id <> excluded.case_id",
                   &s->case_map, err) < 0 ||
        db_prepare(s->central,
                   "UPDATE calls SET attempt = r.n FROM (SELECT id, row_number() OVER "
                   "(ORDER BY started_at, ended_at, id) AS n FROM calls WHERE case_id = ?1) r "
                   "WHERE calls.id = r.id AND calls.attempt <> r.n", &s->calls_number, err) < 0 ||
        db_prepare(s->central, "SELECT hash FROM sync_seen WHERE site_id = ?1 AND case_uuid = ?2",
                   &s->seen_get, err) < 0 ||
        db_prepare(s->central,
                   "INSERT INTO sync_seen(site_id, case_uuid, hash) VALUES(?1, ?2, ?3) "
                   "ON CONFLICT(site_id, case_uuid) DO UPDATE SET hash = excluded.hash",
                   &s->seen_put, err) < 0 ||
        db_prepare(s->central, "SELECT name FROM sync_sites WHERE id = ?1", &s->site_name, err) < 0 ||
        db_prepare(s->central, "SELECT name FROM surveys WHERE id = ?1", &s->survey_name, err) < 0 ||
        db_prepare(s->central, "SELECT id FROM interviews WHERE uuid = ?1", &s->iv_central_id,
                   err) < 0 ||
        sync_settle_prepare(s->central, &s->settle, err) < 0)
        return -1;
    for (int i = 0; i < SYNC_T_N; i++)
        if (prepare_table(s, &tdefs[i], &s->t[i], err) < 0)
            return -1;
    return 0;
}

void sync_case_finalize(struct sync *s)
{
    sync_settle_finalize(&s->settle);
    sqlite3_stmt **one[] = {&s->case_sel, &s->case_find, &s->case_ins, &s->case_upd,
                            &s->case_adopt, &s->case_map, &s->calls_number, &s->seen_get, &s->seen_put, &s->site_name,
                            &s->survey_name, &s->iv_central_id};
    for (size_t i = 0; i < sizeof one / sizeof one[0]; i++) {
        sqlite3_finalize(*one[i]);
        *one[i] = NULL;
    }
    for (int i = 0; i < SYNC_T_N; i++) {
        struct sync_tstmt *t = &s->t[i];
        sqlite3_stmt **all[] = {&t->sel, &t->ins, &t->upd, &t->count, &t->list, &t->probe, &t->del};
        for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) {
            sqlite3_finalize(*all[k]);
            *all[k] = NULL;
        }
    }
}

/* --- hashing a case ------------------------------------------------------- */

static void hash_bytes(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t x = *h;
    for (size_t i = 0; i < n; i++) {
        x ^= b[i];
        x *= 0x100000001b3ULL; /* FNV-1a */
    }
    *h = x;
}

static void hash_row(uint64_t *h, sqlite3_stmt *st)
{
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++) {
        unsigned char type = (unsigned char)sqlite3_column_type(st, i);
        hash_bytes(h, &type, 1);
        if (type == SQLITE_INTEGER) {
            sqlite3_int64 v = sqlite3_column_int64(st, i);
            hash_bytes(h, &v, sizeof v);
        } else if (type == SQLITE_FLOAT) {
            double v = sqlite3_column_double(st, i);
            hash_bytes(h, &v, sizeof v);
        } else if (type != SQLITE_NULL) {
            const void *p = sqlite3_column_blob(st, i);
            uint32_t len = (uint32_t)sqlite3_column_bytes(st, i);
            hash_bytes(h, &len, sizeof len);
            hash_bytes(h, p, len);
        }
    }
    hash_bytes(h, "\n", 1);
}

/* --- writing --------------------------------------------------------------- */

/* Bind site row src (columns 0..n-1) into dst as parameters 1..n. */
static int bind_row(struct sync *s, const struct col *cols, int n, sqlite3_stmt *src,
                    sqlite3_stmt *dst, long long case_id, long long iv_id, struct cati_error *err)
{
    for (int i = 0; i < n; i++) {
        int type = sqlite3_column_type(src, i), null = type == SQLITE_NULL;
        long long v = type == SQLITE_INTEGER ? sqlite3_column_int64(src, i) : 0, to = 0;
        switch (cols[i].kind) {
        case K_PLAIN:
            /* no copy: src stays on this row while dst runs */
            switch (type) {
            case SQLITE_INTEGER: sqlite3_bind_int64(dst, i + 1, v); break;
            case SQLITE_NULL: sqlite3_bind_null(dst, i + 1); break;
            case SQLITE_TEXT:
                sqlite3_bind_text(dst, i + 1, (const char *)sqlite3_column_text(src, i),
                                  sqlite3_column_bytes(src, i), SQLITE_STATIC);
                break;
            default: sqlite3_bind_value(dst, i + 1, sqlite3_column_value(src, i)); break;
            }
            continue;
        case K_CASE: to = case_id; break;
        case K_INTERVIEW: to = iv_id; break;
        case K_SURVEY:
        case K_VERSION:
            if (null)
                break;
            to = sync_map_get(cols[i].kind == K_SURVEY ? &s->surveys : &s->versions, v);
            if (!to)
                return cati_error_set(err, "sync: %s %lld of the site has no central match",
                                      cols[i].name, v);
            break;
        case K_INTERVIEWER:
            if (!null && sync_interviewer(s, v, &to, err) < 0)
                return -1;
            break;
        case K_SITE: to = s->site_id; break;
        }
        if (null && cols[i].kind != K_CASE && cols[i].kind != K_INTERVIEW && cols[i].kind != K_SITE)
            sqlite3_bind_null(dst, i + 1);
        else
            sqlite3_bind_int64(dst, i + 1, to);
    }
    return 0;
}

static int step_done(sqlite3 *db, sqlite3_stmt *st, struct cati_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "sync");
}

/* Insert or update the central copy of the site row under sel.
 * *changed: 1 inserted, 2 updated, 0 same. */
static int upsert_row(struct sync *s, int ti, long long case_id, long long iv_id, int *changed,
                      struct cati_error *err)
{
    const struct tdef *d = &tdefs[ti];
    struct sync_tstmt *t = &s->t[ti];
    *changed = 0;
    if (bind_row(s, d->cols, d->ncols, t->sel, t->ins, case_id, iv_id, err) < 0 ||
        step_done(s->central, t->ins, err) < 0)
        return -1;
    if (sqlite3_changes(s->central) > 0) {
        s->res->t[d->counter].inserted++;
        *changed = 1;
        return 0;
    }
    if (d->append_only)
        return 0;
    if (bind_row(s, d->cols, d->ncols, t->sel, t->upd, case_id, iv_id, err) < 0 ||
        step_done(s->central, t->upd, err) < 0)
        return -1;
    if (sqlite3_changes(s->central) > 0) {
        s->res->t[d->counter].updated++;
        *changed = 2;
    }
    return 0;
}

/* After n site rows of a mirrored table were upserted under central parent
 * cparent: delete the central rows the site (parent sparent) no longer has. */
static int mirror_delete(struct sync *s, int ti, long long sparent, long long cparent, long long n,
                         struct cati_error *err)
{
    const struct tdef *d = &tdefs[ti];
    struct sync_tstmt *t = &s->t[ti];
    sqlite3_bind_int64(t->count, 1, cparent);
    long long have = sqlite3_step(t->count) == SQLITE_ROW ? sqlite3_column_int64(t->count, 0) : -1;
    sqlite3_reset(t->count);
    if (have < 0)
        return db_error(s->central, err, "sync");
    if (have <= n)
        return 0;
    int nkeys = 0;
    while (d->keys[nkeys])
        nkeys++;
    /* collect first: no deleting under an open cursor */
    size_t cnt = 0, cap = 0;
    sqlite3_value **keys = NULL;
    int rc = 0;
    sqlite3_bind_int64(t->list, 1, cparent);
    while ((rc = sqlite3_step(t->list)) == SQLITE_ROW) {
        sqlite3_bind_int64(t->probe, 1, sparent);
        for (int k = 0; k < nkeys; k++)
            sqlite3_bind_value(t->probe, k + 2, sqlite3_column_value(t->list, k));
        int found = sqlite3_step(t->probe);
        sqlite3_reset(t->probe);
        if (found == SQLITE_ROW)
            continue;
        if (found != SQLITE_DONE) {
            rc = SQLITE_ERROR;
            break;
        }
        if (cnt + (size_t)nkeys > cap) {
            cap = cap ? cap * 2 : 16;
            sqlite3_value **k2 = realloc(keys, cap * sizeof *keys);
            if (!k2) {
                rc = SQLITE_NOMEM;
                break;
            }
            keys = k2;
        }
        for (int k = 0; k < nkeys; k++)
            keys[cnt++] = sqlite3_value_dup(sqlite3_column_value(t->list, k));
    }
    sqlite3_reset(t->list);
    int ret = rc == SQLITE_DONE ? 0 : cati_error_set(err, "sync: cannot compare %s", d->table);
    for (size_t i = 0; ret == 0 && i < cnt; i += (size_t)nkeys) {
        sqlite3_bind_int64(t->del, 1, cparent);
        for (int k = 0; k < nkeys; k++)
            sqlite3_bind_value(t->del, k + 2, keys[i + (size_t)k]);
        if (step_done(s->central, t->del, err) < 0)
            ret = -1;
        else
            s->res->t[d->counter].deleted += sqlite3_changes(s->central);
    }
    for (size_t i = 0; i < cnt; i++)
        sqlite3_value_free(keys[i]);
    free(keys);
    return ret;
}

/* Walk table ti's site rows of parent sparent: hash them (h != NULL)
 * and/or write them (write) under the central case ccase / interview civ
 * (mirroring the parent's rows when the table does). */
static int walk_rows(struct sync *s, int ti, long long sparent, long long ccase, long long civ,
                     uint64_t *h, int write, struct cati_error *err)
{
    struct sync_tstmt *t = &s->t[ti];
    const struct tdef *d = &tdefs[ti];
    long long cparent = !strcmp(d->parent, "case_id") ? ccase : civ;
    long long n = 0;
    int rc;
    sqlite3_bind_int64(t->sel, 1, sparent);
    while ((rc = sqlite3_step(t->sel)) == SQLITE_ROW) {
        n++;
        if (h)
            hash_row(h, t->sel);
        if (!write)
            continue;
        int changed;
        if (upsert_row(s, ti, ccase, civ, &changed, err) < 0)
            goto fail;
    }
    sqlite3_reset(t->sel);
    if (rc != SQLITE_DONE)
        return db_error(s->site, err, "sync: reading the site");
    if (write && d->mirror)
        return mirror_delete(s, ti, sparent, cparent, n, err);
    return 0;
fail:
    sqlite3_reset(t->sel);
    return -1;
}

/* Interviews of the case, each followed by its answers, log and flags. */
static int walk_interviews(struct sync *s, long long scase, long long ccase, uint64_t *h,
                           int write, struct cati_error *err)
{
    struct sync_tstmt *t = &s->t[SYNC_T_INTERVIEWS];
    const struct tdef *d = &tdefs[SYNC_T_INTERVIEWS];
    int rc;
    sqlite3_bind_int64(t->sel, 1, scase);
    while ((rc = sqlite3_step(t->sel)) == SQLITE_ROW) {
        long long siv = sqlite3_column_int64(t->sel, d->ncols), civ = 0;
        int changed = 0;
        if (h)
            hash_row(h, t->sel);
        if (write) {
            if (upsert_row(s, SYNC_T_INTERVIEWS, ccase, 0, &changed, err) < 0)
                goto fail;
            if (changed == 1) {
                civ = sqlite3_last_insert_rowid(s->central);
            } else {
                sqlite3_bind_value(s->iv_central_id, 1, sqlite3_column_value(t->sel, 0));
                civ = sqlite3_step(s->iv_central_id) == SQLITE_ROW
                          ? sqlite3_column_int64(s->iv_central_id, 0) : 0;
                sqlite3_reset(s->iv_central_id);
                if (!civ) {
                    db_error(s->central, err, "sync: interview");
                    goto fail;
                }
            }
        }
        if (walk_rows(s, SYNC_T_ANSWERS, siv, ccase, civ, h, write, err) < 0 ||
            walk_rows(s, SYNC_T_LOG, siv, ccase, civ, h, write, err) < 0 ||
            walk_rows(s, SYNC_T_FLAGS_IV, siv, ccase, civ, h, write, err) < 0)
            goto fail;
    }
    sqlite3_reset(t->sel);
    if (rc != SQLITE_DONE)
        return db_error(s->site, err, "sync: reading the site");
    return 0;
fail:
    sqlite3_reset(t->sel);
    return -1;
}

static void report_conflict(struct sync *s, long long other_site, long long csurvey,
                            long long r_upd, long long c_upd, int won)
{
    s->res->conflicts++;
    char other[512] = "central", survey[128] = "";
    if (other_site) {
        sqlite3_bind_int64(s->site_name, 1, other_site);
        if (sqlite3_step(s->site_name) == SQLITE_ROW)
            db_column_copy(s->site_name, 0, other, sizeof other);
        sqlite3_reset(s->site_name);
    }
    sqlite3_bind_int64(s->survey_name, 1, csurvey);
    if (sqlite3_step(s->survey_name) == SQLITE_ROW)
        db_column_copy(s->survey_name, 0, survey, sizeof survey);
    sqlite3_reset(s->survey_name);
    const char *uuid = (const char *)sqlite3_column_text(s->case_sel, 0);
    const char *ref = (const char *)sqlite3_column_text(s->case_sel, 2);
    struct sync_conflict c = {uuid, survey, ref, other, r_upd, c_upd, won};
    char detail[1024];
    snprintf(detail, sizeof detail, "case %s (survey %s, ref %s) changed at %s and at site %s; "
             "kept the %s row (rule: later updated_at wins, a tie keeps central)",
             uuid, survey, ref, other, s->res->site_uuid, won ? "site's" : "central");
    db_audit(s->central, s->opt->login ? s->opt->login : "", "sync conflict", detail, NULL);
    if (s->opt->on_conflict)
        s->opt->on_conflict(s->opt->ctx, &c);
}

/* The case row itself. *ccase: its central id; *mine: the central row is
 * now this site's (so its phones and fields follow the site's). */
static int write_case_row(struct sync *s, long long *ccase, int *mine, struct cati_error *err)
{
    int n = N(case_cols);
    sqlite3_stmt *src = s->case_sel;
    long long r_touched = sqlite3_column_int64(src, n + 1);
    long long r_upd = sqlite3_column_int64(src, col_index(case_cols, n, "updated_at"));
    if (bind_row(s, case_cols, n, src, s->case_find, 0, 0, err) < 0)
        return -1;
    sqlite3_bind_int64(s->case_find, n + 1, s->site_id);
    int rc = sqlite3_step(s->case_find);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s->case_find);
        if (bind_row(s, case_cols, n, src, s->case_ins, 0, 0, err) < 0)
            return -1;
        sqlite3_bind_int64(s->case_ins, n + 1, s->site_id);
        if (step_done(s->central, s->case_ins, err) < 0)
            return -1;
        *ccase = sqlite3_last_insert_rowid(s->central);
        *mine = 1;
        s->res->t[SYNC_CASES].inserted++;
        return 0;
    }
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s->case_find);
        return db_error(s->central, err, "sync: cases");
    }
    *ccase = sqlite3_column_int64(s->case_find, 0);
    long long c_site = sqlite3_column_int64(s->case_find, 1);
    long long c_upd = sqlite3_column_int64(s->case_find, 2);
    long long c_touched = sqlite3_column_int64(s->case_find, 3);
    long long differs = sqlite3_column_int64(s->case_find, 4);
    int c_final = sqlite3_column_int(s->case_find, 5);
    const unsigned char *r_state = sqlite3_column_text(src, col_index(case_cols, n, "state"));
    int r_final = r_state && !strcmp((const char *)r_state, "final");
    sqlite3_reset(s->case_find);
    long long csurvey = sync_map_get(&s->surveys, sqlite3_column_int64(src, 1));
    int take = 0;
    *mine = 0;
    if (!differs) {
        /* same content: this site agrees with the central row, and owns it
         * from now on (so its next change is not a conflict) */
        if (c_site != s->site_id) {
            sqlite3_bind_int64(s->case_adopt, 1, s->site_id);
            sqlite3_bind_int64(s->case_adopt, 2, *ccase);
            if (step_done(s->central, s->case_adopt, err) < 0)
                return -1;
        }
        *mine = 1;
        return 0;
    }
    if (c_site == s->site_id)
        take = 1;               /* changed again at this site since its last push */
    else if (!r_touched)
        take = 0;               /* never worked here: nothing to bring */
    else if (!c_touched)
        take = 1;               /* never worked there: quietly replaced */
    else {
        /* worked at both: a conflict. A case ended at one site stays ended
         * (its refusal or its limit must not vanish behind a later call
         * elsewhere); else the newer row. Either way sync_settle_case then
         * gives it the code of all its calls. */
        take = r_final != c_final ? r_final : r_upd > c_upd;
        report_conflict(s, c_site, csurvey, r_upd, c_upd, take);
    }
    if (!take)
        return 0;
    if (bind_row(s, case_cols, n, src, s->case_upd, 0, 0, err) < 0)
        return -1;
    sqlite3_bind_int64(s->case_upd, n + 1, s->site_id);
    sqlite3_bind_int64(s->case_upd, n + 2, *ccase);
    if (step_done(s->central, s->case_upd, err) < 0)
        return -1;
    s->res->t[SYNC_CASES].updated++;
    *mine = 1;
    return 0;
}

/* This site's case uuid -> central case ccase. */
static int map_case(struct sync *s, long long ccase, struct cati_error *err)
{
    sqlite3_bind_int64(s->case_map, 1, s->site_id);
    sqlite3_bind_value(s->case_map, 2, sqlite3_column_value(s->case_sel, 0));
    sqlite3_bind_int64(s->case_map, 3, ccase);
    return step_done(s->central, s->case_map, err);
}

/* Hash (h != NULL) and/or write the case under s->case_sel's current row. */
static int walk_case(struct sync *s, long long scase, uint64_t *h, int write,
                     struct cati_error *err)
{
    long long ccase = 0;
    int mine = 0;
    if (h)
        hash_row(h, s->case_sel);
    if (write && (write_case_row(s, &ccase, &mine, err) < 0 || map_case(s, ccase, err) < 0))
        return -1;
    if (h || mine) {
        if (walk_rows(s, SYNC_T_PHONES, scase, ccase, 0, h, write && mine, err) < 0 ||
            walk_rows(s, SYNC_T_FIELDS, scase, ccase, 0, h, write && mine, err) < 0)
            return -1;
    }
    if (walk_rows(s, SYNC_T_CALLS, scase, ccase, 0, h, write, err) < 0 ||
        walk_interviews(s, scase, ccase, h, write, err) < 0 ||
        walk_rows(s, SYNC_T_FLAGS_CASE, scase, ccase, 0, h, write, err) < 0)
        return -1;
    if (!write)
        return 0;
    /* the case as a whole at central: calls in time order, one live interview */
    sqlite3_bind_int64(s->calls_number, 1, ccase);
    if (step_done(s->central, s->calls_number, err) < 0)
        return -1;
    return sync_settle_case(&s->settle, ccase, s->opt->login, &s->res->duplicates, err);
}

int sync_case(struct sync *s, long long scase, struct cati_error *err)
{
    sqlite3_bind_int64(s->case_sel, 1, scase);
    int rc = sqlite3_step(s->case_sel);
    if (rc == SQLITE_DONE) { /* deleted meanwhile */
        sqlite3_reset(s->case_sel);
        return 0;
    }
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s->case_sel);
        return db_error(s->site, err, "sync: reading the site");
    }
    s->res->cases_examined++;
    uint64_t h = 0xcbf29ce484222325ULL, seen = 0;
    int ret = -1;
    sqlite3_bind_int64(s->seen_get, 1, s->site_id);
    sqlite3_bind_value(s->seen_get, 2, sqlite3_column_value(s->case_sel, 0));
    rc = sqlite3_step(s->seen_get);
    int pushed = rc == SQLITE_ROW;
    if (pushed)
        seen = (uint64_t)sqlite3_column_int64(s->seen_get, 0);
    sqlite3_reset(s->seen_get);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_error(s->central, err, "sync");
        goto out;
    }
    if (pushed && !s->opt->full) {
        /* pushed before: hash first, write only when it changed */
        if (walk_case(s, scase, &h, 0, err) < 0)
            goto out;
        if (h == seen) {
            ret = 0;
            goto out;
        }
        s->res->cases_changed++;
        if (walk_case(s, scase, NULL, 1, err) < 0)
            goto out;
    } else {
        /* new to this central database (or --full): hash while writing */
        s->res->cases_changed++;
        if (walk_case(s, scase, &h, 1, err) < 0)
            goto out;
    }
    sqlite3_bind_int64(s->seen_put, 1, s->site_id);
    sqlite3_bind_value(s->seen_put, 2, sqlite3_column_value(s->case_sel, 0));
    sqlite3_bind_int64(s->seen_put, 3, (sqlite3_int64)h);
    ret = step_done(s->central, s->seen_put, err);
out:
    sqlite3_reset(s->case_sel);
    return ret;
}
