/* cati export: one read snapshot, streamed rows, atomic files, and the
 * since-last watermark recorded after the files are in place (or, for
 * delivery, recorded pending and settled once the folder is delivered). */
#include "cati/export.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cati/atomic.h"
#include "cati/db.h"
#include "cati/priv.h"
#include "cati/util.h"
#include "export_int.h"

/* Interviews in the file: ?1 survey, ?2 since, ?3 watermark, ?4 partials.
 * CROSS JOIN keeps interviews as the outer loop, in id order (no sort). */
#define IV_FROM                                                                                    \
    " FROM interviews i CROSS JOIN cases c ON c.id = i.case_id"                                    \
    " JOIN survey_versions sv ON sv.id = i.survey_version_id"
#define IV_WHERE                                                                                   \
    " WHERE c.survey_id = ?1 AND +i.change_seq > ?2 AND +i.change_seq <= ?3 AND i.state = 'live'" \
    " AND (i.outcome = 'complete' OR (?4 AND (i.outcome IS NULL OR i.outcome IN"                   \
    " ('breakoff', 'refusal', 'appointment')) AND EXISTS(SELECT 1 FROM answers a"                  \
    " WHERE a.interview_id = i.id AND a.on_route = 1)))"

enum { R_ID, R_CASE_UUID, R_UUID, R_REF, R_NAME, R_PHONE, R_SERVICE, R_AGENCY, R_DISTRICT,
       R_LOGIN, R_MODE, R_LANGUAGE, R_OUTCOME, R_VERSION, R_STARTED, R_COMPLETED, R_CALLS,
       R_CASE_ID, R_AAPOR, R_ENDED_BY, R_END_SUPERVISOR };

/* The call that ended an interview: the one recorded with its closing, in
 * the same transaction (schedule_record), so at its completed_at; the
 * latest such call of the case. A break-off ended by a call coded 1.2
 * (partial interview) is a partial. */
static const char *const iv_sql =
    "SELECT i.id, c.uuid, i.uuid, c.ref, CASE WHEN ?5 THEN c.name END,"
    " CASE WHEN ?5 THEN"
    " (SELECT p.number FROM phones p WHERE p.case_id = c.id ORDER BY p.position LIMIT 1) END,"
    " c.service, c.agency, c.district, iv.login, i.mode, i.language,"
    " CASE WHEN i.outcome = 'breakoff' AND ek.aapor = '1.2' THEN 'partial'"
    " ELSE coalesce(i.outcome, 'incomplete') END, sv.version, i.started_at, i.completed_at,"
    " (SELECT count(*) FROM calls k WHERE k.case_id = c.id), c.id, ek.aapor, eb.login,"
    " ek.by_supervisor" IV_FROM
    " LEFT JOIN interviewers iv ON iv.id = i.interviewer_id"
    " LEFT JOIN calls ek ON ek.id = (SELECT k.id FROM calls k WHERE k.case_id = i.case_id"
    " AND k.ended_at = i.completed_at ORDER BY k.id DESC LIMIT 1)"
    " LEFT JOIN interviewers eb ON eb.id = ek.interviewer_id" IV_WHERE " ORDER BY i.id";

/* Who answered an interview's questions and when: every answer given
 * (first answers, changes, answers back on the route), its interviewer,
 * time and seconds on the question. Summed up in C (put_worked): a GROUP
 * BY here costs a sort per interview. */
static const char *const worked_sql =
    "SELECT l.interviewer_id, l.at, l.seconds FROM answer_log l"
    " WHERE l.interview_id = ?1 AND l.event IN ('answer', 'change', 'on-route')";

static const char *const calls_sql =
    "SELECT c.uuid, k.uuid, k.attempt, k.started_at, k.ended_at, iv.login, k.phone_pos, k.number,"
    " k.outcome, k.aapor, k.slot, k.note"
    " FROM calls k CROSS JOIN cases c ON c.id = k.case_id"
    " LEFT JOIN interviewers iv ON iv.id = k.interviewer_id"
    " WHERE c.survey_id = ?1 AND +k.change_seq > ?2 AND +k.change_seq <= ?3 ORDER BY k.id";

/* --- times ------------------------------------------------------------------- */

/* The zone's offset is looked up once per quarter hour of time (offsets
 * only change on such boundaries), kept in a small direct-mapped cache:
 * looking it up means reading the zone file again. */
#define TZ_SLOTS 1024

struct tzcache {
    const char *tz;
    long long bucket[TZ_SLOTS];
    long off[TZ_SLOTS];
    unsigned char valid[TZ_SLOTS];
    long long day;      /* the day of date */
    char date[16];      /* "YYYY-MM-DD " */
};

static size_t fmt_time(struct tzcache *z, long long t, char out[24])
{
    long long b = t >= 0 ? t / 900 : -((-t + 899) / 900);
    unsigned slot = (unsigned)((unsigned long long)b % TZ_SLOTS);
    if (!z->valid[slot] || b != z->bucket[slot]) {
        z->off[slot] = 0;
        if (z->tz && *z->tz) {
            struct tm tm;
            cati_localtime_tz(z->tz, (time_t)(b * 900), &tm);
            z->off[slot] = tm.tm_gmtoff;
        }
        z->bucket[slot] = b;
        z->valid[slot] = 1;
    }
    /* the date part changes once a day: keep the last one */
    long long lt = t + z->off[slot];
    long long day = lt >= 0 ? lt / 86400 : -((-lt + 86399) / 86400);
    if (day != z->day || !z->date[0]) {
        time_t d0 = (time_t)(day * 86400);
        struct tm g;
        gmtime_r(&d0, &g);
        strftime(z->date, sizeof z->date, "%Y-%m-%d ", &g);
        z->day = day;
    }
    int sec = (int)(lt - day * 86400);
    memcpy(out, z->date, 11);
    out[11] = (char)('0' + sec / 36000);
    out[12] = (char)('0' + sec / 3600 % 10);
    out[13] = ':';
    out[14] = (char)('0' + sec % 3600 / 600);
    out[15] = (char)('0' + sec % 3600 / 60 % 10);
    out[16] = ':';
    out[17] = (char)('0' + sec % 60 / 10);
    out[18] = (char)('0' + sec % 10);
    out[19] = '\0';
    return 19;
}

/* --- a row of cells, reused ------------------------------------------------------ */

#define EMPTY ((size_t)-1)

struct xrow {
    int n;
    char *buf;
    size_t len, cap;
    size_t *off, *ln;
    const char **ptr;
    size_t *plen;
};

static int row_init(struct xrow *r, int n)
{
    memset(r, 0, sizeof *r);
    r->n = n;
    r->cap = 4096;
    size_t k = (size_t)(n ? n : 1);
    r->buf = malloc(r->cap);
    r->off = malloc(k * sizeof *r->off);
    r->ln = malloc(k * sizeof *r->ln);
    r->ptr = malloc(k * sizeof *r->ptr);
    r->plen = malloc(k * sizeof *r->plen);
    return r->buf && r->off && r->ln && r->ptr && r->plen ? 0 : -1;
}

static void row_free(struct xrow *r)
{
    free(r->buf);
    free(r->off);
    free(r->ln);
    free(r->ptr);
    free(r->plen);
    memset(r, 0, sizeof *r);
}

static void row_clear(struct xrow *r)
{
    r->len = 0;
    for (int i = 0; i < r->n; i++)
        r->ln[i] = EMPTY;
}

static int row_set(struct xrow *r, int col, const char *s, size_t len)
{
    if (col < 0)
        return 0;
    if (r->len + len + 1 > r->cap) {
        size_t cap = (r->len + len + 1) * 2;
        char *b = realloc(r->buf, cap);
        if (!b)
            return -1;
        r->buf = b;
        r->cap = cap;
    }
    memcpy(r->buf + r->len, s, len);
    r->off[col] = r->len;
    r->ln[col] = len;
    r->len += len;
    return 0;
}

static int row_str(struct xrow *r, int col, sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return 0;
    const char *s = (const char *)sqlite3_column_text(st, i);
    return row_set(r, col, s ? s : "", (size_t)sqlite3_column_bytes(st, i));
}

static int row_ll(struct xrow *r, int col, long long v)
{
    char b[24];
    int k = snprintf(b, sizeof b, "%lld", v);
    return row_set(r, col, b, (size_t)k);
}

static int row_time(struct xrow *r, int col, struct tzcache *z, sqlite3_stmt *st, int i)
{
    if (col < 0 || sqlite3_column_type(st, i) == SQLITE_NULL)
        return 0;
    char b[24];
    size_t k = fmt_time(z, sqlite3_column_int64(st, i), b);
    return row_set(r, col, b, k);
}

static void row_ptrs(struct xrow *r)
{
    for (int i = 0; i < r->n; i++) {
        r->ptr[i] = r->ln[i] == EMPTY ? NULL : r->buf + r->off[i];
        r->plen[i] = r->ln[i] == EMPTY ? 0 : r->ln[i];
    }
}

/* --- sinks: a CSV file or a table of the analysis database, and the native
 * files (NAME_interviews' rows only) ----------------------------------------- */

struct xsink {
    struct atomic_file *af;   /* CSV: the file (NULL: none) */
    struct csv_writer w;
    sqlite3 *out;             /* SQLite: the analysis database */
    sqlite3_stmt *ins;
    struct xnative *nat;      /* .sav/.dta (NULL: none) */
    int measuring;            /* nat: this pass only measures the rows */
};

/* Start a table: the CSV header, or CREATE TABLE + its INSERT (INTEGER
 * and TEXT columns; key, when not NULL, names the PRIMARY KEY). Column
 * names are checked identifiers (letters, digits, _), quoted besides. */
static int sink_begin(struct xsink *k, const char *table, const char *const *names,
                      const enum xtype *types, int n, const char *key, struct cati_error *err)
{
    if (!k->out) {
        if (k->af) {
            csv_writer_init(&k->w, k->af->f);
            csv_write_row(&k->w, names, (size_t)n);
        }
        return 0;
    }
    size_t cap = 64 + strlen(table);
    for (int i = 0; i < n; i++)
        cap += strlen(names[i]) + 40;
    char *ddl = malloc(cap), *ins = malloc(cap);
    if (!ddl || !ins) {
        free(ddl);
        free(ins);
        return cati_error_set(err, "out of memory");
    }
    size_t a = (size_t)snprintf(ddl, cap, "CREATE TABLE %s(", table);
    size_t b = (size_t)snprintf(ins, cap, "INSERT INTO %s VALUES(", table);
    for (int i = 0; i < n; i++) {
        a += (size_t)snprintf(ddl + a, cap - a, "%s\"%s\" %s%s", i ? ", " : "", names[i],
                              types && types[i] == XT_INT ? "INTEGER" : "TEXT",
                              key && !strcmp(key, names[i]) ? " NOT NULL PRIMARY KEY" : "");
        b += (size_t)snprintf(ins + b, cap - b, "%s?", i ? ", " : "");
    }
    snprintf(ddl + a, cap - a, ")");
    snprintf(ins + b, cap - b, ")");
    int rc = db_exec(k->out, ddl, err) < 0 || db_prepare(k->out, ins, &k->ins, err) < 0 ? -1 : 0;
    free(ddl);
    free(ins);
    return rc;
}

static int sink_row(struct xsink *k, const char *const *v, const size_t *len, int n,
                    struct cati_error *err)
{
    if (k->nat && (k->measuring ? xnative_measure(k->nat, v, len, err)
                                : xnative_row(k->nat, v, len, err)) < 0)
        return -1;
    if (!k->out) {
        if (!k->af)
            return 0;
        for (int i = 0; i < n; i++)
            csv_write_field(&k->w, v[i], v[i] ? (len ? len[i] : (size_t)-1) : 0);
        if (csv_write_end(&k->w) < 0)
            return cati_error_setk(err, CATI_ERR_IO, "cannot write '%s': %s", k->af->path, strerror(errno));
        return 0;
    }
    for (int i = 0; i < n; i++) {
        if (!v[i])
            sqlite3_bind_null(k->ins, i + 1);
        else
            sqlite3_bind_text(k->ins, i + 1, v[i], len ? (int)len[i] : -1, SQLITE_STATIC);
    }
    int rc = sqlite3_step(k->ins);
    sqlite3_reset(k->ins);
    if (rc != SQLITE_DONE)
        return db_error(k->out, err, "cannot write the analysis database"), cati_error_kind(err, CATI_ERR_IO);
    return 0;
}

static void sink_end(struct xsink *k)
{
    sqlite3_finalize(k->ins);
    k->ins = NULL;
}

/* --- formats ------------------------------------------------------------------ */

static const struct {
    const char *name;
    unsigned flag;
} format_names[] = {
    {"csv", EXPORT_CSV}, {"sqlite", EXPORT_SQLITE}, {"sav", EXPORT_SAV}, {"dta", EXPORT_DTA}};

const char *export_format_name(unsigned flags, char *buf, size_t size)
{
    size_t used = 0;
    if (!flags)
        flags = EXPORT_DEFAULT;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if ((flags & format_names[i].flag) && used < size)
            used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "," : "",
                                     format_names[i].name);
    return buf;
}

int export_format_parse(const char *s, unsigned *flags)
{
    *flags = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        unsigned f = 0;
        for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
            if (strlen(format_names[i].name) == n && !strncmp(s, format_names[i].name, n))
                f = format_names[i].flag;
        if (!f)
            return -1;
        *flags |= f;
        s += n;
        if (*s == ',' && *++s == '\0')
            return -1;
    }
    return *flags ? 0 : -1;
}

/* --- the export ----------------------------------------------------------------- */

struct xrun {
    sqlite3 *db;
    const struct export_options *o;
    struct export_result *res;
    long long survey_id;
    struct xlayout l;           /* the CSV's and the native files' columns */
    struct xlayout lsq;         /* the SQLite file's (every question has a status) */
    struct tzcache tz;
    struct atomic_file af[EXPORT_MAX_FILES];
    int naf;
    FILE *spool;                /* with native files: struct worked's spool */
    int replay;                 /* the second pass reads the spool */
    long long head;             /* the since-last chain's watermark at the snapshot */
    char target[1024];          /* deliver_to, absolute */
    char written[1024];         /* with deliver_to: the folder written (o->dir), absolute */
};

static int bind_range(sqlite3_stmt *st, const struct xrun *x)
{
    sqlite3_bind_int64(st, 1, x->survey_id);
    sqlite3_bind_int64(st, 2, x->res->since);
    sqlite3_bind_int64(st, 3, x->res->watermark);
    if (sqlite3_bind_parameter_count(st) >= 4)
        sqlite3_bind_int(st, 4, x->o->partials);
    if (sqlite3_bind_parameter_count(st) >= 5)
        sqlite3_bind_int(st, 5, x->o->with_pii);
    return 0;
}

/* The script versions of the exported interviews, newest first; with none,
 * the survey's latest version. */
static int load_versions(struct xrun *x, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(x->db, "SELECT DISTINCT i.survey_version_id, sv.version" IV_FROM IV_WHERE
                          " ORDER BY sv.version DESC", &st, err) < 0)
        return EXPORT_FAILED;
    bind_range(st, x);
    struct cati_script **scripts = NULL;
    int *vnums = NULL, n = 0, cap = 0, rc, ret = EXPORT_FAILED;
    long long ids[2];
    for (int pass = 0; pass < 2 && n == 0; pass++) {
        if (pass == 1) {
            sqlite3_finalize(st);
            if (db_prepare(x->db, "SELECT id, version FROM survey_versions WHERE survey_id = ?1"
                                  " ORDER BY version DESC LIMIT 1", &st, err) < 0)
                goto out;
            sqlite3_bind_int64(st, 1, x->survey_id);
        }
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            ids[0] = sqlite3_column_int64(st, 0);
            ids[1] = sqlite3_column_int64(st, 1);
            if (n == cap) {
                cap = cap ? cap * 2 : 4;
                struct cati_script **s2 = realloc(scripts, (size_t)cap * sizeof *s2);
                if (s2)
                    scripts = s2;
                int *v2 = realloc(vnums, (size_t)cap * sizeof *v2);
                if (v2)
                    vnums = v2;
                if (!s2 || !v2) {
                    cati_error_set(err, "out of memory");
                    goto out;
                }
            }
            if (script_load_version(x->db, ids[0], &scripts[n], err) < 0)
                goto out;
            vnums[n++] = (int)ids[1];
        }
        if (rc != SQLITE_DONE) {
            db_error(x->db, err, "export");
            goto out;
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    ret = xlayout_build(&x->l, scripts, vnums, n, x->o->with_pii, 0, err);
    scripts = NULL; /* the layout owns them now */
    n = 0;
out:
    sqlite3_finalize(st);
    for (int i = 0; i < n; i++)
        script_free(scripts[i]);
    free(scripts);
    free(vnums);
    return ret;
}

/* Put the answer (status, value) of question var into the row: its
 * NAME_status when it has one (then DK/RF leave the value cells empty),
 * else DK/RF as -8/-9 (xlayout_build states the scheme). */
static int put_answer(struct xrow *r, const struct xlayout *l, int var, const char *status,
                      const char *value, size_t vlen)
{
    const struct xvar *v = &l->vars[var];
    if (v->col < 0)
        return 0; /* a personal question left out without --with-pii */
    int dk = !strcmp(status, "dk"), rf = !strcmp(status, "rf");
    if (v->status_col >= 0) {
        const char *w = dk ? XSTATUS_DK : rf ? XSTATUS_RF : XSTATUS_ANSWERED;
        if (row_set(r, v->status_col, w, strlen(w)) < 0)
            return -1;
        if (dk || rf)
            return 0;
    } else if (dk || rf) {
        for (int c = 0; c < v->ncols; c++)
            if (row_set(r, v->col + c, dk ? "-8" : "-9", 2) < 0)
                return -1;
        return 0;
    }
    if (v->q->type != QTYPE_MULTI)
        return row_set(r, v->col, value, vlen);
    for (int c = 0; c < v->ncols; c++) {
        int chosen = 0;
        for (size_t i = 0; i < vlen;) {
            char *end;
            long code2 = strtol(value + i, &end, 10);
            if (end == value + i)
                break;
            if (code2 == v->codes[c])
                chosen = 1;
            i = (size_t)(end - value);
            while (i < vlen && (value[i] == ',' || value[i] == ' '))
                i++;
        }
        if (row_set(r, v->col + c, chosen ? "1" : "0", 1) < 0)
            return -1;
    }
    return 0;
}

/* Add login to the space-separated list (at most size bytes) unless it is there. */
static void add_login(char *list, size_t size, const char *login)
{
    if (!login || !*login)
        return;
    size_t n = strlen(login), used = strlen(list);
    for (const char *p = list; (p = strstr(p, login)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return;
    if (used + n + 2 <= size)
        snprintf(list + used, size - used, "%s%s", used ? " " : "", login);
}

/* Interviewers' logins by id, looked up once each (a small cache). */
#define WORKED_MAX 32

struct worked {
    sqlite3_stmt *log, *login;
    long long id[WORKED_MAX];
    char name[WORKED_MAX][64];
    int n;
    FILE *spool;    /* with the native files: what the measuring pass found,
                     * row by row, read back by the second pass (the answer
                     * log is read once; memory does not grow) */
    int replay;     /* 1: read the spool instead of the answer log */
};

/* One row's record in the spool. */
struct worked_rec {
    long long active, wall;
    unsigned len;   /* bytes of the interviewers' list that follows */
    int any;        /* active and wall known */
};

static const char *login_of(struct worked *w, long long id, char buf[64])
{
    for (int i = 0; i < w->n; i++)
        if (w->id[i] == id)
            return w->name[i];
    buf[0] = '\0';
    sqlite3_bind_int64(w->login, 1, id);
    if (sqlite3_step(w->login) == SQLITE_ROW)
        cati_strlcpy(buf, (const char *)sqlite3_column_text(w->login, 0), 64);
    sqlite3_reset(w->login);
    if (w->n < WORKED_MAX) {
        w->id[w->n] = id;
        memcpy(w->name[w->n++], buf, 64);
    }
    return buf;
}

/* The interviewers who worked on the interview of row st, its active and
 * wall seconds (the layout's idcols say what they mean). 0, or -1 out of
 * memory, -2 database error. */
/* Set the row's cells from rec and the list; spool them first when asked. */
static int put_worked_cells(struct xrow *r, const struct xlayout *l, struct worked *w,
                            struct worked_rec *rec, const char *list)
{
    if (w->spool && !w->replay &&
        (fwrite(rec, sizeof *rec, 1, w->spool) != 1 || fwrite(list, 1, rec->len, w->spool) != rec->len))
        return -3;
    int bad = row_set(r, l->idcol[XID_INTERVIEWERS], list, rec->len);
    if (rec->any)
        bad |= row_ll(r, l->idcol[XID_ACTIVE], rec->active) | row_ll(r, l->idcol[XID_WALL], rec->wall);
    return bad;
}

static int put_worked(struct xrow *r, const struct xlayout *l, sqlite3_stmt *st, struct worked *w)
{
    char list[WORKED_MAX * 66 + 140] = "", buf[64];
    struct worked_rec rec;
    if (w->replay) {
        if (fread(&rec, sizeof rec, 1, w->spool) != 1 || rec.len >= sizeof list ||
            fread(list, 1, rec.len, w->spool) != rec.len)
            return -3;
        return put_worked_cells(r, l, w, &rec, list);
    }
    long long who[WORKED_MAX], whofirst[WORKED_MAX];
    int nwho = 0, any = 0, rc;
    long long first = 0, last = 0, active = 0;
    sqlite3_bind_int64(w->log, 1, sqlite3_column_int64(st, R_ID));
    while ((rc = sqlite3_step(w->log)) == SQLITE_ROW) {
        long long at = sqlite3_column_int64(w->log, 1), sec = sqlite3_column_int64(w->log, 2);
        if (!any || at < first)
            first = at;
        if (!any || at > last)
            last = at;
        active += sec < XACTIVE_CAP ? sec : XACTIVE_CAP;
        any = 1;
        if (sqlite3_column_type(w->log, 0) == SQLITE_NULL)
            continue;
        long long id = sqlite3_column_int64(w->log, 0);
        int k = 0;
        while (k < nwho && who[k] != id)
            k++;
        if (k == nwho && nwho < WORKED_MAX) {
            who[nwho] = id;
            whofirst[nwho++] = at;
        } else if (k < nwho && at < whofirst[k]) {
            whofirst[k] = at;
        }
    }
    sqlite3_reset(w->log);
    if (rc != SQLITE_DONE)
        return -2;
    /* in the order of their first answer (ties: as logged) */
    for (int i = 1; i < nwho; i++)
        for (int j = i; j > 0 && whofirst[j] < whofirst[j - 1]; j--) {
            long long t = who[j];
            who[j] = who[j - 1];
            who[j - 1] = t;
            t = whofirst[j];
            whofirst[j] = whofirst[j - 1];
            whofirst[j - 1] = t;
        }
    for (int i = 0; i < nwho; i++)
        add_login(list, sizeof list, login_of(w, who[i], buf));
    add_login(list, sizeof list, (const char *)sqlite3_column_text(st, R_LOGIN));
    if (!sqlite3_column_int(st, R_END_SUPERVISOR))
        add_login(list, sizeof list, (const char *)sqlite3_column_text(st, R_ENDED_BY));
    rec.active = active;
    rec.wall = last - first;
    rec.len = (unsigned)strlen(list);
    rec.any = any;
    return put_worked_cells(r, l, w, &rec, list);
}

static int write_interviews(struct xrun *x, const struct xlayout *l, struct xsink *k,
                            struct cati_error *err)
{
    sqlite3_stmt *st = NULL, *ans = NULL, *fld = NULL;
    struct worked wk = {.spool = x->spool, .replay = x->replay};
    struct xrow r;
    int ret = -1, rc;
    const char **names = malloc((size_t)(l->ncols ? l->ncols : 1) * sizeof *names);
    enum xtype *types = malloc((size_t)(l->ncols ? l->ncols : 1) * sizeof *types);
    if (row_init(&r, l->ncols) < 0 || !names || !types) {
        cati_error_set(err, "out of memory");
        goto out;
    }
    for (int i = 0; i < l->ncols; i++) {
        names[i] = l->cols[i].name;
        types[i] = l->cols[i].type;
    }
    if (sink_begin(k, "interviews", names, types, l->ncols, "interview_uuid", err) < 0 ||
        db_prepare(x->db, iv_sql, &st, err) < 0 || db_prepare(x->db, worked_sql, &wk.log, err) < 0 ||
        db_prepare(x->db, "SELECT login FROM interviewers WHERE id = ?1", &wk.login, err) < 0 ||
        db_prepare(x->db, "SELECT question, status, value FROM answers"
                          " WHERE interview_id = ?1 AND on_route = 1", &ans, err) < 0 ||
        db_prepare(x->db, "SELECT name, value FROM case_fields WHERE case_id = ?1", &fld, err) < 0)
        goto out;
    bind_range(st, x);
    const int *ic = l->idcol;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        row_clear(&r);
        int bad = row_str(&r, ic[XID_CASE_UUID], st, R_CASE_UUID) |
                  row_str(&r, ic[XID_INTERVIEW_UUID], st, R_UUID) |
                  row_str(&r, ic[XID_REF], st, R_REF) | row_str(&r, ic[XID_NAME], st, R_NAME) |
                  row_str(&r, ic[XID_PHONE], st, R_PHONE) |
                  row_str(&r, ic[XID_SERVICE], st, R_SERVICE) |
                  row_str(&r, ic[XID_AGENCY], st, R_AGENCY) |
                  row_str(&r, ic[XID_DISTRICT], st, R_DISTRICT) |
                  row_str(&r, ic[XID_INTERVIEWER], st, R_LOGIN) |
                  row_str(&r, ic[XID_MODE], st, R_MODE) |
                  row_str(&r, ic[XID_LANGUAGE], st, R_LANGUAGE) |
                  row_str(&r, ic[XID_OUTCOME], st, R_OUTCOME) |
                  row_str(&r, ic[XID_VERSION], st, R_VERSION) |
                  row_time(&r, ic[XID_STARTED], &x->tz, st, R_STARTED) |
                  row_time(&r, ic[XID_COMPLETED], &x->tz, st, R_COMPLETED) |
                  row_str(&r, ic[XID_CALLS], st, R_CALLS) | row_str(&r, ic[XID_AAPOR], st, R_AAPOR) |
                  row_str(&r, ic[XID_ENDED_BY], st, R_ENDED_BY);
        int w = put_worked(&r, l, st, &wk);
        if (w == -2)
            goto dberr;
        if (w == -3) {
            cati_error_set(err, "export: cannot use a temporary file: %s",
                           errno ? strerror(errno) : "short read");
            goto out;
        }
        bad |= w;
        if (sqlite3_column_type(st, R_COMPLETED) != SQLITE_NULL)
            bad |= row_ll(&r, ic[XID_DURATION],
                          sqlite3_column_int64(st, R_COMPLETED) - sqlite3_column_int64(st, R_STARTED));
        if (strcmp((const char *)sqlite3_column_text(st, R_OUTCOME), "complete"))
            x->res->partials++;
        if (l->nfields) {
            sqlite3_bind_int64(fld, 1, sqlite3_column_int64(st, R_CASE_ID));
            while ((rc = sqlite3_step(fld)) == SQLITE_ROW) {
                const char *name = (const char *)sqlite3_column_text(fld, 0);
                for (int f = 0; f < l->nfields; f++)
                    if (!strcmp(l->fields[f], name))
                        bad |= row_str(&r, l->field_col + f, fld, 1);
            }
            sqlite3_reset(fld);
            if (rc != SQLITE_DONE)
                goto dberr;
        }
        sqlite3_bind_int64(ans, 1, sqlite3_column_int64(st, R_ID));
        while ((rc = sqlite3_step(ans)) == SQLITE_ROW) {
            int var = xlayout_find(l, (const char *)sqlite3_column_text(ans, 0),
                                   (size_t)sqlite3_column_bytes(ans, 0));
            if (var < 0)
                continue; /* not in any exported version: cannot happen with a stored script */
            const char *status = (const char *)sqlite3_column_text(ans, 1);
            const char *value = (const char *)sqlite3_column_text(ans, 2);
            bad |= put_answer(&r, l, var, status ? status : "", value ? value : "",
                              (size_t)sqlite3_column_bytes(ans, 2));
        }
        sqlite3_reset(ans);
        if (rc != SQLITE_DONE)
            goto dberr;
        if (bad) {
            cati_error_set(err, "out of memory");
            goto out;
        }
        row_ptrs(&r);
        if (sink_row(k, r.ptr, r.plen, r.n, err) < 0)
            goto out;
        x->res->interviews++;
    }
    if (rc != SQLITE_DONE)
        goto dberr;
    ret = 0;
    goto out;
dberr:
    db_error(x->db, err, "export: reading interviews");
out:
    sink_end(k);
    sqlite3_finalize(st);
    sqlite3_finalize(ans);
    sqlite3_finalize(fld);
    sqlite3_finalize(wk.log);
    sqlite3_finalize(wk.login);
    row_free(&r);
    free(names);
    free(types);
    return ret;
}

enum { C_CASE, C_UUID, C_ATTEMPT, C_STARTED, C_ENDED, C_DURATION, C_INTERVIEWER, C_PHONE_INDEX,
       C_PHONE, C_OUTCOME, C_AAPOR, C_SLOT, C_NOTE, C_N };
static const char *const call_names[C_N] = {
    "case_uuid", "call_uuid", "attempt", "started_at", "ended_at", "duration", "interviewer",
    "phone_index", "phone", "outcome", "aapor", "slot", "note"};
static const enum xtype call_types[C_N] = {
    XT_STRING, XT_STRING, XT_INT, XT_TIME, XT_TIME, XT_INT, XT_STRING, XT_INT, XT_STRING,
    XT_STRING, XT_STRING, XT_STRING, XT_STRING};

static int write_calls(struct xrun *x, struct xsink *k, struct cati_error *err)
{
    int pii = x->o->with_pii, col[C_N], n = 0, ret = -1, rc;
    const char *names[C_N];
    enum xtype types[C_N];
    for (int i = 0; i < C_N; i++) {
        col[i] = -1;
        if (!pii && (i == C_PHONE || i == C_NOTE))
            continue;
        col[i] = n;
        names[n] = call_names[i];
        types[n++] = call_types[i];
    }
    struct xrow r;
    sqlite3_stmt *st = NULL;
    if (row_init(&r, n) < 0) {
        row_free(&r);
        return cati_error_set(err, "out of memory");
    }
    if (sink_begin(k, "calls", names, types, n, "call_uuid", err) < 0 ||
        db_prepare(x->db, calls_sql, &st, err) < 0)
        goto out;
    bind_range(st, x);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        row_clear(&r);
        int bad = row_str(&r, col[C_CASE], st, 0) | row_str(&r, col[C_UUID], st, 1) |
                  row_str(&r, col[C_ATTEMPT], st, 2) | row_time(&r, col[C_STARTED], &x->tz, st, 3) |
                  row_time(&r, col[C_ENDED], &x->tz, st, 4) |
                  row_ll(&r, col[C_DURATION], sqlite3_column_int64(st, 4) - sqlite3_column_int64(st, 3)) |
                  row_str(&r, col[C_INTERVIEWER], st, 5) | row_str(&r, col[C_PHONE_INDEX], st, 6) |
                  row_str(&r, col[C_PHONE], st, 7) | row_str(&r, col[C_OUTCOME], st, 8) |
                  row_str(&r, col[C_AAPOR], st, 9) | row_str(&r, col[C_SLOT], st, 10) |
                  row_str(&r, col[C_NOTE], st, 11);
        if (bad) {
            cati_error_set(err, "out of memory");
            goto out;
        }
        row_ptrs(&r);
        if (sink_row(k, r.ptr, r.plen, r.n, err) < 0)
            goto out;
        x->res->calls++;
    }
    if (rc != SQLITE_DONE) {
        db_error(x->db, err, "export: reading calls");
        goto out;
    }
    ret = 0;
out:
    sink_end(k);
    sqlite3_finalize(st);
    row_free(&r);
    return ret;
}

static int write_codebook(const struct xlayout *l, struct xsink *k, struct cati_error *err)
{
    if (sink_begin(k, "codebook", xcodebook_header, NULL, XCODEBOOK_NCOLS, "variable", err) < 0)
        return -1;
    int ret = 0;
    for (int c = 0; c < l->ncols && ret == 0; c++) {
        char *row[XCODEBOOK_NCOLS];
        if (xcodebook_row(l, c, row) < 0) {
            ret = cati_error_set(err, "out of memory");
            break;
        }
        ret = sink_row(k, (const char *const *)row, NULL, XCODEBOOK_NCOLS, err);
        for (int i = 0; i < XCODEBOOK_NCOLS; i++)
            free(row[i]);
    }
    sink_end(k);
    return ret;
}

/* Open the next atomic file DIR/NAME+suffix. */
static struct atomic_file *open_file(struct xrun *x, const char *suffix, struct cati_error *err)
{
    char path[1024];
    if ((size_t)snprintf(path, sizeof path, "%s/%s%s", x->o->dir, x->o->survey, suffix) >= sizeof path)
        return cati_error_set(err, "export: the output path is too long"), NULL;
    struct atomic_file *af = &x->af[x->naf];
    /* SQLite opens its file by path: a named temporary file for it */
    if ((strcmp(suffix, ".sqlite") ? atomic_open : atomic_open_named)(af, path, 0640, err) < 0)
        return NULL;
    x->naf++;
    return af;
}

/* Rename every file into place (all were written completely first). */
static int commit_files(struct xrun *x, struct cati_error *err)
{
    int ret = 0;
    for (int i = 0; i < x->naf; i++) {
        if (ret < 0) {
            atomic_abort(&x->af[i]);
            continue;
        }
        char path[1024];
        cati_strlcpy(path, x->af[i].path, sizeof path);
        if (atomic_commit(&x->af[i], err) < 0)
            ret = -1;
        else
            cati_strlcpy(x->res->files[x->res->nfiles++], path, sizeof x->res->files[0]);
    }
    x->naf = 0;
    return ret;
}

static void abort_files(struct xrun *x)
{
    for (int i = 0; i < x->naf; i++)
        atomic_abort(&x->af[i]);
    x->naf = 0;
}

/* The CSV files and/or the native ones (formats: EXPORT_* flags). With
 * native files, a first pass over the snapshot measures the rows (count,
 * string widths) that ReadStat needs up front; the second feeds every
 * file. */
static int write_flat(struct xrun *x, unsigned formats, struct cati_error *err)
{
    struct xsink k = {0};
    struct atomic_file *iv = NULL, *cb = NULL, *calls = NULL, *sav = NULL, *dta = NULL;
    int ret = -1;
    if (formats & EXPORT_CSV) {
        if (!(iv = open_file(x, "_interviews.csv", err)) || !(cb = open_file(x, "_codebook.csv", err)) ||
            !(calls = open_file(x, "_calls.csv", err)))
            return -1;
    }
    if (((formats & EXPORT_SAV) && !(sav = open_file(x, ".sav", err))) ||
        ((formats & EXPORT_DTA) && !(dta = open_file(x, ".dta", err))))
        return -1;
    if (sav || dta) {
        if (!(k.nat = xnative_new(&x->l)))
            return cati_error_set(err, "out of memory");
        k.measuring = 1;
        if (!(x->spool = tmpfile())) {
            cati_error_set(err, "export: cannot make a temporary file: %s", strerror(errno));
            goto out;
        }
        if (write_interviews(x, &x->l, &k, err) < 0)
            goto out;
        if (fflush(x->spool) != 0 || fseek(x->spool, 0, SEEK_SET) != 0) {
            cati_error_set(err, "export: cannot use a temporary file: %s", strerror(errno));
            goto out;
        }
        x->replay = 1;
        x->res->interviews = x->res->partials = 0;
        k.measuring = 0;
        char label[256];
        snprintf(label, sizeof label, "cati export of survey %s", x->o->survey);
        if (xnative_begin(k.nat, sav ? sav->f : NULL, sav ? sav->path : NULL, dta ? dta->f : NULL,
                          dta ? dta->path : NULL, label, err) < 0)
            goto out;
    }
    k.af = iv;
    x->res->interviews = x->res->partials = x->res->calls = 0;
    if (write_interviews(x, &x->l, &k, err) < 0 || (k.nat && xnative_end(k.nat, err) < 0))
        goto out;
    xnative_free(k.nat);
    k.nat = NULL;
    if (cb && ((k.af = cb), write_codebook(&x->l, &k, err) < 0))
        goto out;
    if (calls && ((k.af = calls), write_calls(x, &k, err) < 0))
        goto out;
    ret = 0;
out:
    xnative_free(k.nat);
    if (x->spool)
        fclose(x->spool);
    x->spool = NULL;
    x->replay = 0;
    return ret;
}

static int write_info(struct xrun *x, sqlite3 *out, struct cati_error *err)
{
    char since[32], wm[32], now[24];
    snprintf(since, sizeof since, "%lld", x->res->since);
    snprintf(wm, sizeof wm, "%lld", x->res->watermark);
    fmt_time(&x->tz, cati_now(), now);
    const char *rows[][2] = {
        {"survey", x->o->survey}, {"exported_at", now},
        {"timezone", x->o->timezone && *x->o->timezone ? x->o->timezone : "UTC"},
        {"with_pii", x->o->with_pii ? "1" : "0"}, {"partials", x->o->partials ? "1" : "0"},
        {"since", since}, {"watermark", wm}};
    struct xsink k = {.out = out};
    const char *names[2] = {"key", "value"};
    if (sink_begin(&k, "export_info", names, NULL, 2, "key", err) < 0)
        return -1;
    int ret = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0] && ret == 0; i++)
        ret = sink_row(&k, rows[i], NULL, 2, err);
    sink_end(&k);
    return ret;
}

static int write_sqlite(struct xrun *x, struct cati_error *err)
{
    struct atomic_file *af = open_file(x, ".sqlite", err);
    if (!af)
        return -1;
    sqlite3 *out = NULL;
    priv_user_begin(); /* the user's file, opened as the user (cati/priv.h) */
    int orc = sqlite3_open_v2(af->tmp, &out, SQLITE_OPEN_READWRITE, NULL);
    priv_user_end();
    if (orc != SQLITE_OK) {
        cati_error_set(err, "cannot write '%s': %s", af->path, out ? sqlite3_errmsg(out) : "out of memory");
        sqlite3_close(out);
        return -1;
    }
    /* built once, from one snapshot; durability comes from the fsync and
     * rename of the whole file, so no journal */
    struct xsink k = {.out = out};
    int ret = -1;
    x->res->interviews = x->res->partials = x->res->calls = 0;
    if (db_exec(out, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=8192;"
                     " BEGIN", err) < 0 ||
        xlayout_copy(&x->lsq, &x->l, x->o->with_pii, 1, err) != EXPORT_OK ||
        write_interviews(x, &x->lsq, &k, err) < 0 || write_codebook(&x->lsq, &k, err) < 0 ||
        write_calls(x, &k, err) < 0 || write_info(x, out, err) < 0 ||
        db_exec(out, "CREATE INDEX interviews_case ON interviews(case_uuid);"
                     " CREATE INDEX interviews_ref ON interviews(ref);"
                     " CREATE INDEX calls_case ON calls(case_uuid, attempt);"
                     " CREATE INDEX codebook_question ON codebook(question);"
                     " COMMIT", err) < 0)
        goto out;
    ret = 0;
out:
    if (sqlite3_close(out) != SQLITE_OK && ret == 0)
        ret = cati_error_setk(err, CATI_ERR_IO, "cannot write '%s': cannot close it", af->path);
    if (ret < 0 && err->kind != CATI_ERR_IO) { /* say which file */
        char m[sizeof err->msg];
        cati_strlcpy(m, err->msg, sizeof m);
        cati_error_setk(err, CATI_ERR_IO, "cannot write '%s': %s", af->path, m);
    }
    return ret;
}

static int make_dir(const char *dir, struct cati_error *err)
{
    struct stat st;
    if (stat(dir, &st) == 0)
        return S_ISDIR(st.st_mode) ? 0 : cati_error_set(err, "cannot export to '%s': not a directory", dir);
    priv_user_begin(); /* the user's folder, made as the user (cati/priv.h) */
    int rc = mkdir(dir, 0750) < 0 || chmod(dir, 0750) < 0; /* 0750 whatever the umask */
    int e = errno;
    priv_user_end();
    if (rc)
        return cati_error_set(err, "cannot create '%s': %s", dir, strerror(e));
    return 0;
}

/* The since-last chain of the survey: the watermark of its last delivered
 * since-last export (0: none), and the folder of a pending one (or ""). */
static const char *const head_sql =
    "SELECT coalesce(max(watermark), 0) FROM exports"
    " WHERE survey_id = ?1 AND since_last = 1 AND state = 'done'";

static int pending_dir(struct xrun *x, char *dir, size_t size, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(x->db, "SELECT dir FROM exports WHERE survey_id = ?1 AND since_last = 1"
                          " AND state = 'pending' ORDER BY id LIMIT 1", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, x->survey_id);
    int rc = sqlite3_step(st);
    dir[0] = '\0';
    if (rc == SQLITE_ROW)
        cati_strlcpy(dir, (const char *)sqlite3_column_text(st, 0), size);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(x->db, err, "export");
    return 0;
}

static int refuse_pending(struct xrun *x, const char *dir, struct cati_error *err)
{
    return cati_error_set(err, "survey '%s' has an export to '%s' not settled yet (was its run "
                               "stopped?): settle it first with 'cati export --settle'",
                          x->o->survey, dir);
}

static int record(struct xrun *x, long long started, struct cati_error *err)
{
    const struct export_options *o = x->o;
    sqlite3_stmt *st;
    char fname[64];
    export_format_name(o->format, fname, sizeof fname);
    if (db_begin_immediate(x->db, err) < 0)
        return -1;
    if (o->since_last) {
        /* nobody moved the chain since the snapshot: the rows of this
         * export are nobody else's */
        char dir[1024];
        long long head = 0;
        if (pending_dir(x, dir, sizeof dir, err) < 0 ||
            db_int(x->db, head_sql, NULL, x->survey_id, 0, &head, err) < 0)
            goto fail;
        if (*dir) {
            refuse_pending(x, dir, err);
            goto fail;
        }
        if (head != x->head) {
            cati_error_set(err, "another since-last export of survey '%s' was recorded while this "
                                "one ran: this one is not recorded", o->survey);
            goto fail;
        }
    }
    if (db_prepare(x->db, "INSERT INTO exports(survey_id, started_at, watermark, dir, format,"
                          " with_pii, rows, by_login, since, since_last, partials, state, written_to)"
                          " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", &st, err) < 0)
        goto fail;
    sqlite3_bind_int64(st, 1, x->survey_id);
    sqlite3_bind_int64(st, 2, started);
    sqlite3_bind_int64(st, 3, x->res->watermark);
    sqlite3_bind_text(st, 4, o->deliver_to ? x->target : o->dir, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, fname, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 6, o->with_pii);
    sqlite3_bind_int64(st, 7, x->res->interviews);
    sqlite3_bind_text(st, 8, o->login ? o->login : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 9, x->res->since);
    sqlite3_bind_int(st, 10, o->since_last);
    sqlite3_bind_int(st, 11, o->partials);
    sqlite3_bind_text(st, 12, o->deliver_to ? "pending" : "done", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 13, o->deliver_to ? x->written : "", -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        db_error(x->db, err, "export: recording it");
        goto fail;
    }
    char detail[2600];
    snprintf(detail, sizeof detail, "survey %s to %s%s%s (%s%s%s%s): %lld interviews, %lld calls",
             o->survey, o->dir, o->deliver_to ? ", pending delivery to " : "",
             o->deliver_to ? x->target : "", fname,
             o->with_pii ? ", WITH PERSONAL DATA" : "", o->since_last ? ", since last" : "",
             o->partials ? ", with partials" : "", x->res->interviews, x->res->calls);
    if (db_audit(x->db, o->login ? o->login : "", o->with_pii ? "export with pii" : "export",
                 detail, err) < 0)
        goto fail;
    return db_commit(x->db, err);
fail:
    db_rollback(x->db);
    return -1;
}

int export_run(sqlite3 *db, const struct export_options *o, struct export_result *res,
               struct cati_error *err)
{
    memset(res, 0, sizeof *res);
    struct xrun x = {.db = db, .o = o, .res = res};
    x.tz.tz = o->timezone;
    int ret = EXPORT_FAILED;
    long long started = cati_now();
    if (db_int(db, "SELECT id FROM surveys WHERE name = ?", o->survey, 0, 0, &x.survey_id, err) < 0)
        return EXPORT_FAILED;
    if (!x.survey_id) {
        cati_error_set(err, "unknown survey '%s'", o->survey);
        return EXPORT_REJECTED;
    }
    if (o->deliver_to) {
        /* recorded absolute, so a later settle finds it from anywhere */
        char cwd[512] = "";
        if (o->deliver_to[0] != '/' && !getcwd(cwd, sizeof cwd)) {
            cati_error_set(err, "export: cannot tell the current directory: %s", strerror(errno));
            return EXPORT_FAILED;
        }
        if ((size_t)snprintf(x.target, sizeof x.target, "%s%s%s", cwd, *cwd ? "/" : "",
                             o->deliver_to) >= sizeof x.target) {
            cati_error_set(err, "export: the delivery path is too long");
            return EXPORT_REJECTED;
        }
        if (o->dir[0] != '/' && !*cwd && !getcwd(cwd, sizeof cwd)) {
            cati_error_set(err, "export: cannot tell the current directory: %s", strerror(errno));
            return EXPORT_FAILED;
        }
        if ((size_t)snprintf(x.written, sizeof x.written, "%s%s%s", o->dir[0] == '/' ? "" : cwd,
                             o->dir[0] == '/' ? "" : "/", o->dir) >= sizeof x.written) {
            cati_error_set(err, "export: the output path is too long");
            return EXPORT_REJECTED;
        }
        struct stat sb;
        if (stat(x.target, &sb) == 0) {
            cati_error_set(err, "cannot deliver to '%s': it is already there", o->deliver_to);
            return EXPORT_REJECTED;
        }
    }
    if (make_dir(o->dir, err) < 0)
        return EXPORT_FAILED;
    if (o->with_pii) {
        /* audited before any personal data reaches the disk: an export
         * killed half-way still has its row in the audit log */
        char detail[1200];
        snprintf(detail, sizeof detail, "survey %s to %s, WITH PERSONAL DATA", o->survey, o->dir);
        if (db_audit(db, o->login ? o->login : "", "export with pii begun", detail, err) < 0)
            return EXPORT_FAILED;
    }
    /* one read snapshot for everything: the counter and every row */
    if (db_begin(db, err) < 0)
        return EXPORT_FAILED;
    if (db_int(db, "SELECT n FROM change_seq WHERE id = 1", NULL, 0, 0, &res->watermark, err) < 0 ||
        (o->since_last && db_int(db, head_sql, NULL, x.survey_id, 0, &x.head, err) < 0))
        goto out;
    if (o->since_last) {
        char dir[1024];
        if (pending_dir(&x, dir, sizeof dir, err) < 0)
            goto out;
        if (*dir) {
            refuse_pending(&x, dir, err);
            goto out;
        }
    }
    res->since = x.head;
    if (res->since > res->watermark)
        res->since = res->watermark;
    if (o->on_snapshot)
        o->on_snapshot(o->ctx);
    if ((ret = load_versions(&x, err)) != EXPORT_OK)
        goto out;
    ret = EXPORT_FAILED;
    unsigned formats = o->format ? o->format : EXPORT_DEFAULT;
    if (((formats & EXPORT_SQLITE) && write_sqlite(&x, err) < 0) ||
        ((formats & ~EXPORT_SQLITE) && write_flat(&x, formats, err) < 0))
        goto out;
    db_rollback(db); /* end the read */
    if (commit_files(&x, err) < 0 || record(&x, started, err) < 0)
        goto out;
    ret = EXPORT_OK;
out:
    abort_files(&x);
    db_rollback(db);
    xlayout_free(&x.lsq);
    xlayout_free(&x.l);
    return ret;
}

/* --- settling deliveries ----------------------------------------------------------- */

/* Make the rename that delivered dir durable: fsync its parent folder (a
 * power cut must not undo a delivery the database already counts). */
static int sync_parent(const char *dir)
{
    char parent[1024];
    cati_strlcpy(parent, dir, sizeof parent);
    char *slash = strrchr(parent, '/');
    if (!slash)
        cati_strlcpy(parent, ".", sizeof parent);
    else
        *(slash == parent ? slash + 1 : slash) = '\0';
    int fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

struct settled {
    char survey[256], dir[1024];
    long long rows;
    int delivered;
};

int export_settle(sqlite3 *db, const char *login, export_settled_fn each, void *ctx,
                  struct cati_error *err)
{
    static const char *const pending_sql =
        "SELECT e.id, s.name, e.dir, e.rows, e.written_to FROM exports e JOIN surveys s ON s.id = e.survey_id"
        " WHERE e.state = 'pending' ORDER BY e.id";
    long long n = 0;
    /* a plain read first: with nothing pending, no write lock is needed */
    if (db_int(db, "SELECT count(*) FROM exports WHERE state = 'pending'", NULL, 0, 0, &n, err) < 0)
        return -1;
    if (n == 0)
        return 0;
    struct settled *done = NULL;
    int nd = 0, cap = 0;
    sqlite3_stmt *st = NULL, *up = NULL;
    if (db_begin_immediate(db, err) < 0)
        return -1;
    if (db_prepare(db, pending_sql, &st, err) < 0 ||
        db_prepare(db, "UPDATE exports SET state = ?2 WHERE id = ?1 AND state = 'pending'", &up,
                   err) < 0)
        goto fail;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (nd == cap) {
            cap = cap ? cap * 2 : 8;
            struct settled *d2 = realloc(done, (size_t)cap * sizeof *d2);
            if (!d2) {
                cati_error_set(err, "out of memory");
                goto fail;
            }
            done = d2;
        }
        /* its written folder is still there: the run that writes it is still
         * at work (or died: the next nightly run removes what it left,
         * holding its lock, before it settles). Not ours to judge yet. */
        struct stat wb;
        const char *written = (const char *)sqlite3_column_text(st, 4);
        if (written && *written && stat(written, &wb) == 0 && S_ISDIR(wb.st_mode))
            continue;
        struct settled *d = &done[nd++];
        cati_strlcpy(d->survey, (const char *)sqlite3_column_text(st, 1), sizeof d->survey);
        cati_strlcpy(d->dir, (const char *)sqlite3_column_text(st, 2), sizeof d->dir);
        d->rows = sqlite3_column_int64(st, 3);
        /* the folder exists only once the run renamed it, complete, into place */
        struct stat sb;
        d->delivered = stat(d->dir, &sb) == 0 && S_ISDIR(sb.st_mode);
        if (d->delivered && sync_parent(d->dir) < 0) {
            cati_error_set(err, "export: cannot flush the folder holding '%s': %s", d->dir,
                           strerror(errno));
            goto fail;
        }
        sqlite3_bind_int64(up, 1, sqlite3_column_int64(st, 0));
        sqlite3_bind_text(up, 2, d->delivered ? "done" : "failed", -1, SQLITE_STATIC);
        int urc = sqlite3_step(up);
        sqlite3_reset(up);
        if (urc != SQLITE_DONE) {
            db_error(db, err, "export: settling");
            goto fail;
        }
        char detail[1400];
        snprintf(detail, sizeof detail, "survey %s to %s: %s (%lld interviews)", d->survey, d->dir,
                 d->delivered ? "delivered" : "not delivered, its interviews go into the next export",
                 d->rows);
        if (db_audit(db, login ? login : "", "export settle", detail, err) < 0)
            goto fail;
    }
    if (rc != SQLITE_DONE) {
        db_error(db, err, "export: settling");
        goto fail;
    }
    sqlite3_finalize(st);
    sqlite3_finalize(up);
    st = up = NULL;
    if (db_commit(db, err) < 0)
        goto fail;
    for (int i = 0; i < nd && each; i++)
        each(ctx, done[i].survey, done[i].dir, done[i].rows, done[i].delivered);
    free(done);
    return nd;
fail:
    sqlite3_finalize(st);
    sqlite3_finalize(up);
    db_rollback(db);
    free(done);
    return -1;
}
