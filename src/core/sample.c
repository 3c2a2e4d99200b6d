/* Respondent import: one pass over the CSV inside one write transaction.
 * Rows are checked and inserted with statements prepared once; after the
 * first bad row nothing more is inserted but every row is still checked,
 * so the user sees all problems at once; then the transaction is rolled back. */
#include "cati/sample.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cati/case.h"
#include "cati/csv.h"
#include "cati/db.h"
#include "cati/quota.h"
#include "cati/util.h"

#define NAME_MAX_LEN 64

enum col_kind {
    C_REF, C_NAME, C_PHONE, C_LANGUAGE, C_TIMEZONE, C_PRIORITY, C_SERVICE, C_AGENCY,
    C_DISTRICT, C_AVAILED, C_NSTD, /* standard columns above, then: */
    C_FIELD
};

/* In enum col_kind order (C_REF … C_AVAILED). */
const struct sample_field sample_fields[C_NSTD + 1] = {
    {"ref", SAMPLE_FIELD_SCRIPT},
    {"name", SAMPLE_FIELD_SCRIPT},
    {"phone", 0},
    {"language", SAMPLE_FIELD_SCRIPT | SAMPLE_FIELD_QUOTA},
    {"timezone", 0},
    {"priority", 0},
    {"service", SAMPLE_FIELD_SCRIPT | SAMPLE_FIELD_QUOTA},
    {"agency", SAMPLE_FIELD_SCRIPT | SAMPLE_FIELD_QUOTA},
    {"district", SAMPLE_FIELD_SCRIPT | SAMPLE_FIELD_QUOTA},
    {"availed_on", SAMPLE_FIELD_SCRIPT},
    {NULL, 0},
};

const struct sample_field *sample_field_find(const char *name)
{
    for (const struct sample_field *f = sample_fields; name && f->name; f++)
        if (!strcmp(f->name, name))
            return f;
    return NULL;
}

struct column {
    char name[NAME_MAX_LEN + 1];
    enum col_kind kind;
    long phone_n; /* phone = 1, phone2 = 2, … */
};

struct phone_col { size_t col; long n; };

/* ref -> first line, an open-addressing hash set */
struct ref_set {
    struct ref_slot { char *ref; long line; } *slots;
    size_t cap, used;
};

struct importer {
    sqlite3 *db;
    const struct cati_config *cfg;
    const char *survey, *file;
    long long survey_id;
    char declared[1024];
    struct column *cols;
    size_t ncols;
    int std[C_NSTD];        /* column of each standard name, -1 if absent */
    struct phone_col *phones;
    size_t nphones;
    size_t *fields;         /* columns kept as case_fields */
    size_t nfields;
    sqlite3_stmt *ins_case, *ins_phone, *ins_field, *has_ref;
    struct ref_set refs;
    char tz_ok[64];         /* last time zone found valid */
    sample_bad_fn on_bad;
    void *ctx;
    struct sample_result res;
};

struct val { const char *s; size_t len; };

/* ---- small checks ------------------------------------------------------ */

int sample_phone_normalise(const char *in, size_t len, const char *country_code, char *out,
                           size_t size)
{
    char digits[64];
    size_t nd = 0;
    int plus = 0;
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '\t')
            continue;
        if (c == '+' && nd == 0 && !plus) {
            plus = 1;
            continue;
        }
        if (c < '0' || c > '9' || nd + 1 >= sizeof digits)
            return -1;
        digits[nd++] = c;
    }
    digits[nd] = '\0';
    const char *cc = "", *rest = digits;
    if (!plus) {
        if (nd >= 2 && digits[0] == '0' && digits[1] == '0')
            rest = digits + 2;
        else
            cc = country_code ? country_code : "";
    }
    size_t total = strlen(cc) + strlen(rest);
    if (total < 7 || total > 15 || size < total + 2)
        return -1;
    snprintf(out, size, "+%s%s", cc, rest);
    return 0;
}

static struct val field(const struct csv_record *rec, int col)
{
    struct val v = {"", 0};
    if (col < 0 || (size_t)col >= rec->n)
        return v;
    v.s = rec->f[col].s;
    v.len = rec->f[col].len;
    while (v.len && (*v.s == ' ' || *v.s == '\t')) {
        v.s++;
        v.len--;
    }
    while (v.len && (v.s[v.len - 1] == ' ' || v.s[v.len - 1] == '\t'))
        v.len--;
    return v;
}

/* Copy v into buf as a C string, cut to size. */
static const char *cstr(struct val v, char *buf, size_t size)
{
    size_t n = v.len < size - 1 ? v.len : size - 1;
    memcpy(buf, v.s, n);
    buf[n] = '\0';
    return buf;
}

/* ---- the set of refs seen in this file ----------------------------------- */

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/* Insert ref (len bytes) seen at line. Returns 0 if new, the first line if
 * seen before, -1 when out of memory. */
static long refs_add(struct ref_set *set, const char *ref, size_t len, long line)
{
    if (2 * (set->used + 1) > set->cap) {
        size_t cap = set->cap ? 2 * set->cap : 1024;
        struct ref_slot *s = calloc(cap, sizeof *s);
        if (!s)
            return -1;
        for (size_t i = 0; i < set->cap; i++) {
            if (!set->slots[i].ref)
                continue;
            size_t j = hash(set->slots[i].ref, strlen(set->slots[i].ref)) & (cap - 1);
            while (s[j].ref)
                j = (j + 1) & (cap - 1);
            s[j] = set->slots[i];
        }
        free(set->slots);
        set->slots = s;
        set->cap = cap;
    }
    size_t j = hash(ref, len) & (set->cap - 1);
    for (; set->slots[j].ref; j = (j + 1) & (set->cap - 1))
        if (strlen(set->slots[j].ref) == len && !memcmp(set->slots[j].ref, ref, len))
            return set->slots[j].line;
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, ref, len);
    copy[len] = '\0';
    set->slots[j].ref = copy;
    set->slots[j].line = line;
    set->used++;
    return 0;
}

static void refs_free(struct ref_set *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->slots[i].ref);
    free(set->slots);
    memset(set, 0, sizeof *set);
}

/* Quote a value for a message: cut long ones, keep it on one line. */
static const char *show(struct val v, char *buf, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < v.len && o + 4 < size; i++)
        buf[o++] = v.s[i] == '\n' || v.s[i] == '\r' ? ' ' : v.s[i];
    if (o < v.len) {
        while (o > 0 && ((unsigned char)v.s[o] & 0xc0) == 0x80)
            o--; /* do not cut a character in two */
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
    return buf;
}

/* ---- header -------------------------------------------------------------- */

static int valid_name(const char *s)
{
    if (!*s || isdigit((unsigned char)*s))
        return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
            return 0;
    return 1;
}

/* "phone" -> 1, "phone2".. -> N, else 0 */
static long phone_number(const char *s)
{
    if (strncmp(s, "phone", 5))
        return 0;
    if (!s[5])
        return 1;
    if (s[5] < '2' && s[6] == '\0')
        return 0; /* phone0, phone1: not ours */
    if (s[5] == '0')
        return 0;
    long n;
    return cati_parse_long(s + 5, &n) == 0 && n >= 2 && n <= 99 ? n : 0;
}

static int phone_cmp(const void *a, const void *b)
{
    long x = ((const struct phone_col *)a)->n, y = ((const struct phone_col *)b)->n;
    return (x > y) - (x < y);
}

static int header(struct importer *im, const struct csv_record *rec, struct cati_error *err)
{
    im->ncols = rec->n;
    im->cols = calloc(rec->n, sizeof *im->cols);
    im->phones = calloc(rec->n, sizeof *im->phones);
    im->fields = calloc(rec->n, sizeof *im->fields);
    if (!im->cols || !im->phones || !im->fields)
        return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
    for (int k = 0; k < C_NSTD; k++)
        im->std[k] = -1;
    for (size_t i = 0; i < rec->n; i++) {
        struct column *c = &im->cols[i];
        struct val v = field(rec, (int)i);
        if (v.len == 0)
            return cati_error_at(err, im->file, (int)rec->line, 0, "column %zu has no name", i + 1);
        if (v.len > NAME_MAX_LEN)
            return cati_error_at(err, im->file, (int)rec->line, 0,
                                 "column %zu: name longer than %d characters", i + 1, NAME_MAX_LEN);
        cstr(v, c->name, sizeof c->name);
        for (char *p = c->name; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        if (!valid_name(c->name)) {
            char shown[96];
            return cati_error_at(err, im->file, (int)rec->line, 0,
                                 "column %zu: '%s' is not a valid field name "
                                 "(use letters, digits and _)", i + 1, show(v, shown, sizeof shown));
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(im->cols[j].name, c->name))
                return cati_error_at(err, im->file, (int)rec->line, 0,
                                     "column '%s' appears twice (columns %zu and %zu)", c->name,
                                     j + 1, i + 1);
        c->kind = C_FIELD;
        for (int k = 0; k < C_NSTD; k++)
            if (!strcmp(c->name, sample_fields[k].name)) {
                c->kind = (enum col_kind)k;
                im->std[k] = (int)i;
            }
        if ((c->phone_n = phone_number(c->name)) > 0) {
            im->phones[im->nphones].col = i;
            im->phones[im->nphones++].n = c->phone_n;
            if (c->phone_n > 1)
                c->kind = C_PHONE;
        } else if (c->kind == C_FIELD) {
            im->fields[im->nfields++] = i;
        }
    }
    qsort(im->phones, im->nphones, sizeof *im->phones, phone_cmp);
    /* required: ref, name, phone and the survey's declared fields */
    char missing[512] = "";
    int nmissing = 0;
    for (int k = C_REF; k <= C_PHONE; k++)
        if (im->std[k] < 0) {
            snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s",
                     nmissing++ ? ", " : "", sample_fields[k].name);
        }
    char decl[sizeof im->declared];
    cati_strlcpy(decl, im->declared, sizeof decl);
    for (char *save = NULL, *tok = strtok_r(decl, " \t,", &save); tok;
         tok = strtok_r(NULL, " \t,", &save)) {
        int found = 0;
        for (size_t i = 0; i < im->ncols && !found; i++)
            found = !strcasecmp(im->cols[i].name, tok);
        if (!found)
            snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s",
                     nmissing++ ? ", " : "", tok);
    }
    if (nmissing)
        return cati_error_at(err, im->file, (int)rec->line, 0, "missing required column%s: %s",
                             nmissing > 1 ? "s" : "", missing);
    /* a quota counts a field: the sample must have it (cati.ini(5), [quota]) */
    const char **names = calloc(im->ncols ? im->ncols : 1, sizeof *names);
    if (!names)
        return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < im->ncols; i++)
        names[i] = im->cols[i].name;
    const struct cati_quota *q = quota_missing_column(im->cfg, names, im->ncols);
    free(names);
    if (q) {
        char where[1100] = "";
        if (im->cfg->file[0] && q->line)
            snprintf(where, sizeof where, " (%s:%d)", im->cfg->file, q->line);
        return cati_error_at(err, im->file, (int)rec->line, 0,
                             "missing column '%s', which quota:%s.%s%s counts", q->field,
                             q->field, q->value, where);
    }
    return 0;
}

/* ---- rows ---------------------------------------------------------------- */

static void bad_row(struct importer *im, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void bad_row(struct importer *im, long line, const char *fmt, ...)
{
    struct cati_error e;
    cati_error_clear(&e);
    cati_strlcpy(e.file, im->file, sizeof e.file);
    e.line = (int)line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.msg, sizeof e.msg, fmt, ap);
    va_end(ap);
    im->res.bad++;
    if (im->on_bad)
        im->on_bad(&e, im->ctx);
}

static int bind_val(sqlite3_stmt *st, int i, struct val v)
{
    return sqlite3_bind_text(st, i, v.s, (int)v.len, SQLITE_STATIC);
}

static int step_done(struct importer *im, sqlite3_stmt *st, struct cati_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_error(im->db, err, "cannot store the sample");
    return 0;
}

/* Check one row; insert it unless an earlier row was bad.
 * Returns 0 (good or bad row), -1 on a runtime failure. */
static int row(struct importer *im, const struct csv_record *rec, struct cati_error *err)
{
    long line = rec->line;
    char shown[96];
    struct val ref = field(rec, im->std[C_REF]);
    for (int k = C_REF; k <= C_PHONE; k++)
        if (field(rec, im->std[k]).len == 0) {
            bad_row(im, line, "empty %s", sample_fields[k].name);
            return 0;
        }
    long first = refs_add(&im->refs, ref.s, ref.len, line);
    if (first < 0)
        return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
    if (first > 0) {
        bad_row(im, line, "duplicate ref '%s' (first at line %ld)", show(ref, shown, sizeof shown),
                first);
        return 0;
    }
    sqlite3_bind_int64(im->has_ref, 1, im->survey_id);
    bind_val(im->has_ref, 2, ref);
    int rc = sqlite3_step(im->has_ref);
    sqlite3_reset(im->has_ref);
    if (rc == SQLITE_ROW) {
        bad_row(im, line, "ref '%s' is already in survey %s", show(ref, shown, sizeof shown),
                im->survey);
        return 0;
    }
    if (rc != SQLITE_DONE)
        return db_error(im->db, err, "cannot check refs");

    char phones[16][SAMPLE_PHONE_MAX];
    int nph = 0;
    for (size_t i = 0; i < im->nphones; i++) {
        struct val v = field(rec, (int)im->phones[i].col);
        if (v.len == 0)
            continue; /* phone itself is checked above; phone2… may be empty */
        char num[SAMPLE_PHONE_MAX];
        if (sample_phone_normalise(v.s, v.len, im->cfg->country_code, num, sizeof num) < 0) {
            bad_row(im, line, "bad %s '%s': expected 7 to 15 digits with the country code",
                    im->cols[im->phones[i].col].name, show(v, shown, sizeof shown));
            return 0;
        }
        int dup = 0;
        for (int k = 0; k < nph && !dup; k++)
            dup = !strcmp(phones[k], num);
        if (!dup && nph < 16)
            memcpy(phones[nph++], num, sizeof num);
    }
    char lang[8] = "";
    struct val v = field(rec, im->std[C_LANGUAGE]);
    if (v.len) {
        int ok = v.len >= 2 && v.len <= 3;
        for (size_t i = 0; ok && i < v.len; i++)
            ok = isalpha((unsigned char)v.s[i]);
        if (!ok) {
            bad_row(im, line, "bad language '%s': expected a code such as en or dz",
                    show(v, shown, sizeof shown));
            return 0;
        }
        for (size_t i = 0; i < v.len; i++)
            lang[i] = (char)tolower((unsigned char)v.s[i]);
        lang[v.len] = '\0';
    }
    char tz[64] = "";
    v = field(rec, im->std[C_TIMEZONE]);
    if (v.len) {
        cstr(v, tz, sizeof tz);
        if (v.len >= sizeof tz ||
            (strcmp(tz, im->tz_ok) && !cati_timezone_valid(tz))) {
            bad_row(im, line, "bad timezone '%s': not a known time zone such as Asia/Thimphu",
                    show(v, shown, sizeof shown));
            return 0;
        }
        cati_strlcpy(im->tz_ok, tz, sizeof im->tz_ok);
    }
    long priority = 0;
    v = field(rec, im->std[C_PRIORITY]);
    if (v.len) {
        char buf[32];
        if (v.len >= sizeof buf || case_priority_parse(cstr(v, buf, sizeof buf), &priority) < 0) {
            bad_row(im, line, "bad priority '%s': expected a whole number",
                    show(v, shown, sizeof shown));
            return 0;
        }
    }
    v = field(rec, im->std[C_AVAILED]);
    if (v.len) {
        char buf[16];
        int y, m, d;
        if (v.len >= sizeof buf || cati_parse_date(cstr(v, buf, sizeof buf), &y, &m, &d) < 0) {
            bad_row(im, line, "bad availed_on '%s': expected a date YYYY-MM-DD",
                    show(v, shown, sizeof shown));
            return 0;
        }
    }
    if (im->res.bad)
        return 0; /* nothing will be stored: only checking now */

    char uuid[37];
    if (cati_uuid(uuid) < 0)
        return cati_error_set(err, "cannot make a UUID: /dev/urandom unreadable");
    sqlite3_stmt *st = im->ins_case;
    long long now = (long long)cati_now();
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, im->survey_id);
    bind_val(st, 3, ref);
    bind_val(st, 4, field(rec, im->std[C_NAME]));
    bind_val(st, 5, field(rec, im->std[C_SERVICE]));
    bind_val(st, 6, field(rec, im->std[C_AGENCY]));
    bind_val(st, 7, field(rec, im->std[C_DISTRICT]));
    bind_val(st, 8, field(rec, im->std[C_AVAILED]));
    sqlite3_bind_text(st, 9, lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, tz, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 11, priority);
    sqlite3_bind_int64(st, 12, now);
    if (step_done(im, st, err) < 0)
        return -1;
    long long case_id = sqlite3_last_insert_rowid(im->db);
    for (int k = 0; k < nph; k++) {
        sqlite3_bind_int64(im->ins_phone, 1, case_id);
        sqlite3_bind_int(im->ins_phone, 2, k + 1);
        sqlite3_bind_text(im->ins_phone, 3, phones[k], -1, SQLITE_STATIC);
        if (step_done(im, im->ins_phone, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < im->nfields; i++) {
        sqlite3_bind_int64(im->ins_field, 1, case_id);
        sqlite3_bind_text(im->ins_field, 2, im->cols[im->fields[i]].name, -1, SQLITE_STATIC);
        bind_val(im->ins_field, 3, field(rec, (int)im->fields[i]));
        if (step_done(im, im->ins_field, err) < 0)
            return -1;
    }
    return 0;
}

/* ---- the import ------------------------------------------------------------ */

static int find_survey(struct importer *im, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(im->db,
                   "SELECT s.id, COALESCE((SELECT v.fields FROM survey_versions v"
                   "  WHERE v.survey_id = s.id ORDER BY v.version DESC LIMIT 1), '')"
                   " FROM surveys s WHERE s.name = ?",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_text(st, 1, im->survey, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st), found = rc == SQLITE_ROW;
    if (found) {
        im->survey_id = sqlite3_column_int64(st, 0);
        const unsigned char *f = sqlite3_column_text(st, 1);
        cati_strlcpy(im->declared, f ? (const char *)f : "", sizeof im->declared);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(im->db, err, "cannot read surveys");
    return found ? 0 : 1;
}

static int prepare(struct importer *im, struct cati_error *err)
{
    if (db_prepare(im->db,
                   "INSERT INTO cases(uuid, survey_id, ref, name, service, agency, district,"
                   " availed_on, language, timezone, priority, state, next_call_at, created_at,"
                   " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'new', 0,"
                   " ?12, ?12)",
                   &im->ins_case, err) < 0 ||
        db_prepare(im->db, "INSERT INTO phones(case_id, position, number) VALUES (?, ?, ?)",
                   &im->ins_phone, err) < 0 ||
        db_prepare(im->db, "INSERT INTO case_fields(case_id, name, value) VALUES (?, ?, ?)",
                   &im->ins_field, err) < 0 ||
        db_prepare(im->db, "SELECT 1 FROM cases WHERE survey_id = ? AND ref = ?", &im->has_ref,
                   err) < 0)
        return -1;
    return 0;
}

static void importer_release(struct importer *im)
{
    sqlite3_finalize(im->ins_case);
    sqlite3_finalize(im->ins_phone);
    sqlite3_finalize(im->ins_field);
    sqlite3_finalize(im->has_ref);
    im->ins_case = im->ins_phone = im->ins_field = im->has_ref = NULL;
    refs_free(&im->refs);
    free(im->cols);
    free(im->phones);
    free(im->fields);
    im->cols = NULL;
    im->phones = NULL;
    im->fields = NULL;
    im->ncols = im->nphones = im->nfields = 0;
}

/* Read every row. Returns SAMPLE_OK, SAMPLE_REJECTED (header) or SAMPLE_FAILED. */
static enum sample_status read_rows(struct importer *im, struct csv_reader *r, FILE *in,
                                    struct cati_error *err)
{
    struct csv_record rec;
    struct cati_error e;
    enum csv_result rc = csv_read(r, &rec, &e);
    if (rc == CSV_EOF) {
        cati_error_at(err, im->file, 1, 0, "empty file: expected a header row (ref,name,phone,…)");
        return SAMPLE_REJECTED;
    }
    if (rc != CSV_OK) {
        if (in && ferror(in))
            return cati_error_set(err, "cannot read '%s'", im->file), SAMPLE_FAILED;
        *err = e;
        return SAMPLE_REJECTED;
    }
    if (header(im, &rec, err) < 0)
        return SAMPLE_REJECTED;
    while ((rc = csv_read(r, &rec, &e)) != CSV_EOF) {
        if (rc == CSV_FATAL) {
            if (in && ferror(in))
                return cati_error_set(err, "cannot read '%s'", im->file), SAMPLE_FAILED;
            im->res.rows++;
            bad_row(im, e.line, "%s", e.msg);
            break; /* the rest of the file cannot be read */
        }
        im->res.rows++;
        if (rc == CSV_BAD) {
            if (rec.bad_field && rec.bad_field <= im->ncols && rec.bad_content)
                bad_row(im, e.line, "%s in column %s", rec.bad_content,
                        im->cols[rec.bad_field - 1].name);
            else
                bad_row(im, e.line, "%s", e.msg);
            struct val ref = field(&rec, im->std[C_REF]); /* later duplicates still name it */
            if (ref.len && rec.n == im->ncols && refs_add(&im->refs, ref.s, ref.len, rec.line) < 0)
                return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory"), SAMPLE_FAILED;
            continue;
        }
        if (row(im, &rec, err) < 0)
            return SAMPLE_FAILED;
    }
    return SAMPLE_OK;
}

static void restore_cache(sqlite3 *db, long long kib)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", kib); /* a number, not input */
    db_exec(db, sql, NULL);
}

/* A pipe or terminal is read to its end into an anonymous temporary file
 * (tmpfile: unlinked at once, so a kill leaves nothing behind) before the
 * write transaction starts: the write lock is never held while waiting for
 * input. A regular file is read as it is. NULL with err on failure. */
static FILE *read_input_first(FILE *in, const char *name, FILE **spool, struct cati_error *err)
{
    struct stat sb;
    *spool = NULL;
    if (fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode))
        return in;
    FILE *t = tmpfile();
    if (!t)
        return cati_error_set(err, "cannot read '%s': no temporary file: %s", name, strerror(errno)), NULL;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, t) != n) {
            cati_error_set(err, "cannot read '%s': temporary file: %s", name, strerror(errno));
            fclose(t);
            return NULL;
        }
    if (ferror(in) || fflush(t) != 0) {
        cati_error_set(err, "cannot read '%s': %s", name, strerror(errno));
        fclose(t);
        return NULL;
    }
    rewind(t);
    *spool = t;
    return t;
}

enum sample_status sample_import(sqlite3 *db, const struct cati_config *cfg, const char *survey,
                                 FILE *in, const char *name, const char *login,
                                 sample_bad_fn on_bad, void *ctx, struct sample_result *res,
                                 struct cati_error *err)
{
    struct importer im;
    memset(&im, 0, sizeof im);
    im.db = db;
    im.cfg = cfg;
    im.survey = survey;
    im.file = name ? name : "-";
    im.on_bad = on_bad;
    im.ctx = ctx;
    enum sample_status st = SAMPLE_FAILED;
    struct csv_reader *r = NULL;
    if (res)
        memset(res, 0, sizeof *res);
    FILE *spool;
    if (!(in = read_input_first(in, im.file, &spool, err)))
        return SAMPLE_FAILED;
    /* a big sample's random-order index inserts (uuid, ref) need a bigger
     * page cache than the default 2 MiB, or pages spill to the WAL mid-import */
    long long cache = -2000;
    db_int(db, "PRAGMA cache_size", NULL, 0, -2000, &cache, NULL);
    db_exec(db, "PRAGMA cache_size = -65536", NULL);
    if (db_begin_immediate(db, err) < 0) {
        restore_cache(db, cache);
        if (spool)
            fclose(spool);
        return SAMPLE_FAILED;
    }
    int found = find_survey(&im, err);
    if (found != 0) {
        if (found > 0) {
            cati_error_set(err, "unknown survey '%s' (load it with 'cati survey load')", survey);
            st = SAMPLE_REJECTED;
        }
        goto out;
    }
    if (prepare(&im, err) < 0)
        goto out;
    if (!(r = csv_reader_new(in, im.file, 0))) {
        cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
        goto out;
    }
    st = read_rows(&im, r, in, err);
    if (st != SAMPLE_OK)
        goto out;
    if (im.res.bad) {
        cati_error_set(err, "%s: %ld bad row%s, nothing imported", im.file, im.res.bad,
                       im.res.bad == 1 ? "" : "s");
        st = SAMPLE_REJECTED;
        goto out;
    }
    if (im.res.rows == 0) {
        cati_error_at(err, im.file, 2, 0, "no respondents after the header row");
        st = SAMPLE_REJECTED;
        goto out;
    }
    char detail[512];
    snprintf(detail, sizeof detail, "survey %s: %ld respondents from %s", survey, im.res.rows,
             im.file);
    st = SAMPLE_FAILED;
    if (db_audit(db, login ? login : "", "sample import", detail, err) < 0)
        goto out;
    importer_release(&im); /* statements finalized before COMMIT */
    if (db_commit(db, err) < 0)
        goto out;
    im.res.imported = im.res.rows;
    st = SAMPLE_OK;
out:
    if (st != SAMPLE_OK)
        db_rollback(db);
    if (res)
        *res = im.res;
    csv_reader_free(r);
    importer_release(&im);
    restore_cache(db, cache);
    if (spool)
        fclose(spool);
    return st;
}
