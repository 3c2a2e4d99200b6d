/* export: the wide layout, codebook, versions, watermark, PII, formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dirent.h>
#include <readstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cati/csv.h"
#include "cati/db.h"
#include "cati/export.h"
#include "cati/script.h"

static char dir[64];
static sqlite3 *db;

static const char *path_of(const char *name)
{
    static char p[8][256];
    static int i;
    i = (i + 1) % 8;
    snprintf(p[i], sizeof p[i], "%s/%s", dir, name);
    return p[i];
}

static void exec(sqlite3 *d, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(d, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

static long long num(const char *sql)
{
    long long v = -1;
    struct cati_error err;
    assert_int_equal(db_int(db, sql, NULL, 0, -1, &v, &err), 0);
    return v;
}

static const char *v1 =
    "survey fb \"Feedback\" version 1\n"
    "languages en\n"
    "parameters accessibility integrity\n"
    "fields gewog\n"
    "question q single\n"
    "  text en \"Pick one, please\"\n"
    "  choice 1 \"Yes\"\n"
    "  choice 2 \"No, \\\"never\\\"\"\n"
    "  norf\n"
    "question m multi\n"
    "  text en \"Which, all that apply\"\n"
    "  choice 1 \"Red\"\n"
    "  choice 2 \"Green\"\n"
    "  choice 3 \"Blue\"\n"
    "question s scale 1 5\n"
    "  measures accessibility\n"
    "  text en \"Rate it\"\n"
    "  choice 1 \"Bad\"\n"
    "  choice 5 \"Good\"\n"
    "  nodk\n"
    "question d date\n"
    "  text en \"When?\"\n"
    "question t text 100\n"
    "  text en \"Say more\"\n";

/* v2: n is new after q, m gains Yellow (4) and loses Blue (3), d is gone */
static const char *v2 =
    "survey fb \"Feedback\" version 2\n"
    "languages en\n"
    "parameters accessibility integrity\n"
    "fields gewog\n"
    "question q single\n"
    "  text en \"Pick one, please\"\n"
    "  choice 1 \"Yes\"\n"
    "  choice 2 \"No, \\\"never\\\"\"\n"
    "  norf\n"
    "question n number 0 99\n"
    "  measures integrity\n"
    "  text en \"How many?\"\n"
    "question m multi\n"
    "  text en \"Which, all that apply\"\n"
    "  choice 1 \"Red\"\n"
    "  choice 2 \"Green\"\n"
    "  choice 4 \"Yellow\"\n"
    "question s scale 1 5\n"
    "  measures accessibility\n"
    "  text en \"Rate it\"\n"
    "  nodk\n"
    "question t text 100\n"
    "  text en \"Say more\"\n";

static long long store(const char *src)
{
    struct script_diags d = {0};
    struct cati_script *s = script_parse("fb.cati", src, strlen(src), &d);
    if (!s)
        fail_msg("script: %s", d.n ? d.items[0].msg : "?");
    struct script_stored out;
    struct cati_error err;
    assert_int_equal(script_store(db, s, "admin", &out, &err), 0);
    script_free(s);
    script_diags_free(&d);
    return out.version_id;
}

/* A fresh database: v1 and v2 of survey fb, five interviews:
 *  iv1 v1 complete: q=2 m=1,3 s=5 d t (quotes, comma, newline, UTF-8)
 *  iv2 v2 complete: q=dk m=rf s=rf n=7, t off the route
 *  iv3 v2 unfinished (outcome NULL) with q=1, t="-8" (a text, not DK)
 *  iv1: answered by pema, then changed by sonam a day later (answer_log);
 *  iv2: ended by pema's call call-2 (its completed_at)
 *  iv4 v2 ineligible with q=1
 *  iv5 of another survey */
static int setup(void **state)
{
    (void)state;
    char name[32];
    static int k;
    snprintf(name, sizeof name, "t%d.db", ++k);
    struct cati_error err;
    if (db_open(path_of(name), DB_OPEN_CREATE, 2000, &db, &err) < 0 || db_migrate(db, NULL, &err) < 0)
        return -1;
    long long a = store(v1), b = store(v2);
    assert_int_equal(a, 1);
    assert_int_equal(b, 2);
    exec(db,
         "INSERT INTO interviewers(login, role, created_at) VALUES('pema', 'interviewer', 1),"
         " ('sonam', 'interviewer', 1);"
         "INSERT INTO surveys(name, created_at, uuid) VALUES('other', 1, 'other-uuid');"
         "INSERT INTO survey_versions(survey_id, version, source, loaded_at, uuid)"
         " VALUES(2, 1, 'survey other', 1, 'ov');"
         "WITH k(n) AS (VALUES(1), (2), (3), (4), (5))"
         " INSERT INTO cases(uuid, survey_id, ref, name, service, district, created_at, updated_at)"
         " SELECT 'case-' || n, CASE n WHEN 5 THEN 2 ELSE 1 END, 'R' || n, 'Dasho Secret ' || n,"
         " 'cid', 'Paro', 1, 1 FROM k;"
         "INSERT INTO phones(case_id, position, number) SELECT id, 1, '+9751712345' || id FROM cases;"
         "INSERT INTO case_fields(case_id, name, value) VALUES(1, 'gewog', 'Kawang'),"
         " (1, 'other', 'x');"
         "INSERT INTO calls(uuid, case_id, attempt, interviewer_id, started_at, ended_at, phone_pos,"
         " number, outcome, aapor, note, updated_at)"
         " SELECT 'call-' || id, id, 1, 1, 1740000000, 1740000090, 1, '+9751712345' || id,"
         " 'complete', '1.1', 'wife says PIN 1234', 1740000090 FROM cases;"
         "INSERT INTO interviews(uuid, case_id, survey_version_id, interviewer_id, language,"
         " outcome, started_at, completed_at, updated_at) VALUES"
         " ('iv1', 1, 1, 1, 'en', 'complete', 1740000000, 1740000300, 1),"
         " ('iv2', 2, 2, 1, 'en', 'complete', 1740000000, 1740000090, 1),"
         " ('iv3', 3, 2, 1, 'en', NULL, 1740000000, NULL, 1),"
         " ('iv4', 4, 2, 1, 'en', 'ineligible', 1740000000, 1740000010, 1),"
         " ('iv5', 5, 3, 1, 'en', 'complete', 1740000000, 1740000010, 1);"
         "INSERT INTO answers(uuid, interview_id, question, status, value, on_route, seq,"
         " answered_at, updated_at) VALUES"
         " ('a1', 1, 'q', 'value', '2', 1, 1, 1, 1), ('a2', 1, 'm', 'value', '1,3', 1, 2, 1, 1),"
         " ('a3', 1, 's', 'value', '5', 1, 3, 1, 1), ('a4', 1, 'd', 'value', '2025-02-03', 1, 4, 1, 1),"
         " ('a5', 1, 't', 'value', 'He said \"hi\", then left' || char(10) || 'line 2 ünï 🙂', 1, 5, 1, 1),"
         " ('b1', 2, 'q', 'dk', '', 1, 1, 1, 1), ('b2', 2, 'n', 'value', '7', 1, 2, 1, 1),"
         " ('b3', 2, 'm', 'rf', '', 1, 3, 1, 1), ('b4', 2, 's', 'rf', '', 1, 4, 1, 1),"
         " ('b5', 2, 't', 'value', 'gone', 0, 5, 1, 1),"
         " ('c1', 3, 'q', 'value', '1', 1, 1, 1, 1), ('c2', 3, 't', 'value', '-8', 1, 2, 1, 1),"
         " ('d1', 4, 'q', 'value', '1', 1, 1, 1, 1),"
         " ('e1', 5, 'q', 'value', '1', 1, 1, 1, 1);"
         "INSERT INTO answer_log(uuid, interview_id, question, event, new_value, interviewer_id,"
         " seconds, at) VALUES ('l1', 1, 'q', 'answer', '1', 1, 10, 1740000010),"
         " ('l2', 1, 'm', 'answer', '1,3', 1, 20, 1740000030),"
         " ('l3', 1, 'q', 'off-route', NULL, 2, 0, 1740090000),"
         " ('l4', 1, 'q', 'change', '2', 2, 5000, 1740090000);");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    db = NULL;
    return 0;
}

/* --- reading files back ------------------------------------------------------ */

struct table {
    int nrows, ncols;
    char *cell[40][40];
};

static void table_free(struct table *t)
{
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++)
            free(t->cell[r][c]);
    memset(t, 0, sizeof *t);
}

static void load_csv(const char *path, struct table *t)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    struct csv_reader *r = csv_reader_new(f, path, 0);
    struct csv_record rec;
    struct cati_error err;
    enum csv_result res;
    while ((res = csv_read(r, &rec, &err)) == CSV_OK) {
        assert_true(t->nrows < 40);
        assert_true(rec.n <= 40);
        t->ncols = (int)rec.n;
        for (size_t i = 0; i < rec.n; i++)
            t->cell[t->nrows][i] = strdup(rec.f[i].s);
        t->nrows++;
    }
    if (res != CSV_EOF)
        fail_msg("%s: %s", path, err.msg);
    csv_reader_free(r);
    fclose(f);
}

static int col(const struct table *t, const char *name)
{
    for (int c = 0; c < t->ncols; c++)
        if (!strcmp(t->cell[0][c], name))
            return c;
    return -1;
}

/* cell of the row whose column key equals val */
static const char *cell(const struct table *t, const char *key, const char *val, const char *name)
{
    int k = col(t, key), c = col(t, name);
    if (k < 0 || c < 0)
        fail_msg("no column %s or %s", key, name);
    for (int r = 1; r < t->nrows; r++)
        if (!strcmp(t->cell[r][k], val))
            return t->cell[r][c];
    fail_msg("no row %s=%s", key, val);
    return NULL;
}

/* The file's bytes, NUL-terminated; *len = their number. */
static char *slurp_n(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, f);
    b[got] = '\0';
    *len = got;
    fclose(f);
    return b;
}

static char *slurp(const char *path)
{
    size_t n;
    return slurp_n(path, &n);
}

static int run(const char *out, int since_last, int pii, int partials, unsigned fmt,
               struct export_result *res)
{
    struct export_options o = {.survey = "fb", .dir = path_of(out), .format = fmt,
                               .since_last = since_last, .with_pii = pii, .partials = partials,
                               .login = "sonam", .timezone = "Asia/Thimphu"};
    struct cati_error err;
    int rc = export_run(db, &o, res, &err);
    if (rc != EXPORT_OK)
        fail_msg("export: %s", err.msg);
    return rc;
}

/* --- tests ---------------------------------------------------------------------------- */

static void test_wide_layout(void **state)
{
    (void)state;
    struct export_result res;
    run("wide", 0, 0, 0, EXPORT_DEFAULT, &res);
    assert_int_equal(res.interviews, 2);
    assert_int_equal(res.nfiles, 5);
    assert_string_equal(res.files[3], path_of("wide/fb.sav"));
    assert_string_equal(res.files[4], path_of("wide/fb.dta"));
    struct table t;
    load_csv(path_of("wide/fb_interviews.csv"), &t);
    const char *want[] = {"case_uuid", "interview_uuid", "ref", "service", "agency", "district",
                          "interviewer", "interviewers", "ended_by", "mode", "language", "outcome",
                          "aapor", "version", "started_at", "completed_at", "duration",
                          "active_seconds", "wall_seconds", "calls", "gewog", "q", "n", "m_1",
                          "m_2", "m_3", "m_4", "s", "d", "d_status", "t", "t_status"};
    assert_int_equal(t.ncols, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < t.ncols; i++)
        assert_string_equal(t.cell[0][i], want[i]);
    assert_int_equal(t.nrows, 3);
    /* iv1 (version 1): values, multi as 0/1, text intact, n not in v1 = empty */
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "q"), "2");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "n"), "");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "m_1"), "1");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "m_2"), "0");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "m_3"), "1");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "m_4"), "0");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "s"), "5");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "d"), "2025-02-03");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "t"), "He said \"hi\", then left\nline 2 ünï 🙂");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "gewog"), "Kawang");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "version"), "1");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "started_at"), "2025-02-20 03:20:00");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "duration"), "300");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "calls"), "1");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "interviewer"), "pema");
    /* who worked on it, time on questions (each answer up to 600 s), first to last answer */
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "interviewers"), "pema sonam");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "active_seconds"), "630");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "wall_seconds"), "89990");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "ended_by"), ""); /* no call at its end */
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "aapor"), "");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "t_status"), "answered");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "d_status"), "answered");
    assert_string_equal(cell(&t, "interview_uuid", "iv2", "ended_by"), "pema");
    assert_string_equal(cell(&t, "interview_uuid", "iv2", "aapor"), "1.1");
    assert_string_equal(cell(&t, "interview_uuid", "iv2", "interviewers"), "pema");
    assert_string_equal(cell(&t, "interview_uuid", "iv2", "active_seconds"), ""); /* none logged */
    assert_string_equal(cell(&t, "interview_uuid", "iv2", "wall_seconds"), "");
    /* iv2: DK -8, RF -9 in every multi column, off-route and not-asked empty */
    assert_string_equal(cell(&t, "interview_uuid", "iv2", "q"), "-8");
    assert_string_equal(cell(&t, "interview_uuid", "iv2", "n"), "7");
    for (int c = 1; c <= 4; c++) {
        char m[16];
        snprintf(m, sizeof m, "m_%d", c);
        assert_string_equal(cell(&t, "interview_uuid", "iv2", m), "-9");
    }
    assert_string_equal(cell(&t, "interview_uuid", "iv2", "s"), "-9");
    assert_string_equal(cell(&t, "interview_uuid", "iv2", "t"), "");
    assert_string_equal(cell(&t, "interview_uuid", "iv2", "t_status"), ""); /* off the route */
    assert_string_equal(cell(&t, "interview_uuid", "iv2", "d"), "");
    assert_string_equal(cell(&t, "interview_uuid", "iv2", "gewog"), "");
    table_free(&t);
    /* RFC 4180 on disk: CRLF records, the quoted multi-line field */
    char *raw = slurp(path_of("wide/fb_interviews.csv"));
    assert_non_null(strstr(raw, "\"He said \"\"hi\"\", then left\nline 2 ünï 🙂\""));
    assert_non_null(strstr(raw, "\r\n"));
    free(raw);
}

static void test_codebook(void **state)
{
    (void)state;
    struct export_result res;
    run("cb", 0, 0, 0, EXPORT_CSV, &res);
    struct table t;
    load_csv(path_of("cb/fb_codebook.csv"), &t);
    assert_string_equal(t.cell[0][0], "variable");
    assert_int_equal(t.nrows, 33); /* header + one row per interviews column */
    assert_string_equal(cell(&t, "variable", "q", "type"), "single");
    assert_string_equal(cell(&t, "variable", "q", "values"), "1,2");
    assert_string_equal(cell(&t, "variable", "q", "labels"), "1=Yes; 2=No, \"never\"");
    assert_string_equal(cell(&t, "variable", "q", "dk"), "-8");
    assert_string_equal(cell(&t, "variable", "q", "rf"), ""); /* norf */
    assert_string_equal(cell(&t, "variable", "q", "versions"), "1 2");
    assert_string_equal(cell(&t, "variable", "q", "text"), "Pick one, please");
    assert_string_equal(cell(&t, "variable", "s", "dk"), ""); /* nodk */
    assert_string_equal(cell(&t, "variable", "s", "values"), "1..5");
    assert_string_equal(cell(&t, "variable", "n", "measures"), "integrity");
    assert_string_equal(cell(&t, "variable", "n", "versions"), "2");
    assert_string_equal(cell(&t, "variable", "d", "versions"), "1");
    assert_string_equal(cell(&t, "variable", "d", "values"), "YYYY-MM-DD");
    assert_string_equal(cell(&t, "variable", "m_4", "question"), "m");
    /* text and date: DK/RF by their status column */
    assert_string_equal(cell(&t, "variable", "t", "dk"), "t_status=dk");
    assert_string_equal(cell(&t, "variable", "t", "rf"), "t_status=rf");
    assert_string_equal(cell(&t, "variable", "t_status", "question"), "t");
    assert_string_equal(cell(&t, "variable", "t_status", "type"), "status");
    assert_string_equal(cell(&t, "variable", "t_status", "values"), "answered,dk,rf");
    assert_string_equal(cell(&t, "variable", "t_status", "dk"), "dk");
    assert_non_null(strstr(cell(&t, "variable", "aapor", "labels"), "1.2=partial interview; 2.11=refusal"));
    assert_string_equal(cell(&t, "variable", "active_seconds", "type"), "integer");
    assert_string_equal(cell(&t, "variable", "m_4", "text"), "Which, all that apply: Yellow");
    assert_string_equal(cell(&t, "variable", "m_3", "text"),
                        "Which, all that apply: (a choice of an older version)");
    assert_string_equal(cell(&t, "variable", "m_1", "measures"), "");
    assert_string_equal(cell(&t, "variable", "s", "measures"), "accessibility");
    assert_string_equal(cell(&t, "variable", "t", "values"), "text, at most 100 characters");
    assert_string_equal(cell(&t, "variable", "case_uuid", "type"), "string");
    assert_string_equal(cell(&t, "variable", "started_at", "type"), "datetime");
    table_free(&t);
}

/* --- reading the native files back with ReadStat's parser ------------------------ */

/* A text dump of a .sav/.dta: "var NAME w=WIDTH m=MEASURE miss=N label=LABEL\n" per
 * variable, "lab SET VALUE=LABEL\n" per value label, "ROW:NAME=VALUE\n" per cell
 * (numbers %g, ".a" tagged, "." system missing, strings in [brackets]). */
struct dump {
    char *s;
    size_t len, cap;
};

static void dump_add(struct dump *d, const char *fmt, ...)
{
    va_list ap;
    char buf[2048];
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (d->len + (size_t)n + 1 > d->cap) {
        d->cap = (d->len + (size_t)n + 1) * 2;
        d->s = realloc(d->s, d->cap);
        assert_non_null(d->s);
    }
    memcpy(d->s + d->len, buf, (size_t)n + 1);
    d->len += (size_t)n;
}

static int on_var(int index, readstat_variable_t *v, const char *labels, void *ctx)
{
    (void)index;
    dump_add(ctx, "var %s w=%zu f=%s m=%d miss=%d set=%s label=%s\n", readstat_variable_get_name(v),
             readstat_variable_get_storage_width(v),
             readstat_variable_get_format(v) ? readstat_variable_get_format(v) : "", (int)readstat_variable_get_measure(v),
             readstat_variable_get_missing_ranges_count(v), labels ? labels : "",
             readstat_variable_get_label(v) ? readstat_variable_get_label(v) : "");
    return READSTAT_HANDLER_OK;
}

static void dump_value(struct dump *d, readstat_value_t v)
{
    if (readstat_value_is_tagged_missing(v))
        dump_add(d, ".%c", readstat_value_tag(v));
    else if (readstat_value_is_system_missing(v))
        dump_add(d, ".");
    else if (readstat_value_type_class(v) == READSTAT_TYPE_CLASS_STRING)
        dump_add(d, "[%s]", readstat_string_value(v) ? readstat_string_value(v) : "");
    else
        dump_add(d, "%g", readstat_double_value(v));
}

static int on_value(int obs, readstat_variable_t *var, readstat_value_t v, void *ctx)
{
    dump_add(ctx, "%d:%s=", obs, readstat_variable_get_name(var));
    dump_value(ctx, v);
    dump_add(ctx, "\n");
    return READSTAT_HANDLER_OK;
}

static int on_label(const char *set, readstat_value_t v, const char *label, void *ctx)
{
    dump_add(ctx, "lab %s ", set);
    dump_value(ctx, v);
    dump_add(ctx, "=%s\n", label);
    return READSTAT_HANDLER_OK;
}

static char *dump_file(const char *path, int dta)
{
    struct dump d = {0};
    dump_add(&d, "");
    readstat_parser_t *p = readstat_parser_init();
    readstat_set_variable_handler(p, on_var);
    readstat_set_value_handler(p, on_value);
    readstat_set_value_label_handler(p, on_label);
    readstat_error_t e = dta ? readstat_parse_dta(p, path, &d) : readstat_parse_sav(p, path, &d);
    readstat_parser_free(p);
    if (e != READSTAT_OK)
        fail_msg("%s: %s", path, readstat_error_message(e));
    return d.s;
}

/* The label set name of variable name in dump s. */
static const char *set_of(const char *s, const char *name, char *buf, size_t size)
{
    char key[64];
    snprintf(key, sizeof key, "var %s ", name);
    const char *p = strstr(s, key);
    assert_non_null(p);
    p = strstr(p, " set=");
    assert_non_null(p);
    p += 5;
    size_t n = strcspn(p, " ");
    snprintf(buf, size, "%.*s", (int)n, p);
    return buf;
}

static void expect_label(const char *s, const char *var, const char *value, const char *label)
{
    char set[64], want[256];
    snprintf(want, sizeof want, "lab %s %s=%s\n", set_of(s, var, set, sizeof set), value, label);
    if (!strstr(s, want))
        fail_msg("no value label '%s' in:\n%s", want, s);
}

static void expect_has(const char *s, const char *want)
{
    if (!strstr(s, want))
        fail_msg("'%s' not in:\n%s", want, s);
}

static void test_native(void **state)
{
    (void)state;
    struct export_result res;
    run("nat", 0, 0, 1, EXPORT_SAV | EXPORT_DTA, &res);
    assert_int_equal(res.nfiles, 2); /* no CSV asked for */
    assert_int_equal(res.interviews, 3);
    assert_int_equal(res.partials, 1);
    const char *t = "He said \"hi\", then left\nline 2 \xc3\xbcn\xc3\xaf \xf0\x9f\x99\x82";
    char want[256];
    for (int dta = 0; dta < 2; dta++) {
        char *s = dump_file(path_of(dta ? "nat/fb.dta" : "nat/fb.sav"), dta);
        /* variable labels, string widths (the longest UTF-8 answer, in bytes) */
        expect_has(s, "label=Pick one, please\n");
        expect_has(s, "label=Which, all that apply: Yellow\n");
        if (dta) /* str#: ReadStat's Stata writer adds a byte for a terminating NUL */
            snprintf(want, sizeof want, "var t w=%zu ", strlen(t) + 1);
        else
            snprintf(want, sizeof want, "f=A%zu ", strlen(t));
        expect_has(s, want);
        expect_has(s, dta ? "var d w=11 " : "f=A10 ");
        /* cells: iv1 (row 0), iv2 (row 1: DK, RF), iv3 unfinished (row 2), iv4 ineligible left out */
        snprintf(want, sizeof want, "0:t=[%s]\n", t);
        expect_has(s, want);
        expect_has(s, "0:q=2\n");
        expect_has(s, "0:m_1=1\n");
        expect_has(s, "0:m_2=0\n");
        expect_has(s, "0:m_3=1\n");
        expect_has(s, "0:n=.\n"); /* not asked */
        expect_has(s, "1:n=7\n");
        expect_has(s, dta ? "1:q=.a\n" : "1:q=-8\n");
        expect_has(s, dta ? "1:m_4=.b\n" : "1:m_4=-9\n");
        expect_has(s, dta ? "1:s=.b\n" : "1:s=-9\n");
        expect_has(s, "1:t=[]\n"); /* off the route */
        expect_has(s, "0:outcome=1\n");
        expect_has(s, "2:outcome=6\n"); /* unfinished: a partial */
        expect_has(s, "0:mode=1\n");
        expect_has(s, "2:q=1\n");
        expect_has(s, "0:duration=300\n");
        expect_has(s, "1:version=2\n");
        /* value labels: choices, DK/RF (only where the question allows them) */
        expect_label(s, "q", "2", "No, \"never\"");
        expect_label(s, "q", dta ? ".a" : "-8", "Don't know");
        expect_label(s, "s", dta ? ".b" : "-9", "Refused");
        expect_label(s, "m_4", "1", "chosen");
        expect_label(s, "m_4", "0", "not chosen");
        expect_label(s, "outcome", "5", "ineligible");
        expect_label(s, "outcome", "6", "incomplete");
        expect_label(s, "outcome", "7", "partial");
        expect_label(s, "t_status", "1", "answered");
        expect_label(s, "t_status", "2", "dk");
        expect_label(s, "t_status", "3", "rf");
        expect_has(s, "2:t=[-8]\n"); /* a text, not DK */
        expect_has(s, "2:t_status=1\n");
        expect_has(s, "1:t_status=.\n"); /* off the route */
        expect_has(s, "0:active_seconds=630\n");
        expect_has(s, "1:aapor=[1.1]\n");
        expect_label(s, "mode", "1", "cati");
        char set[64];
        snprintf(want, sizeof want, "lab %s %s=Refused", set_of(s, "q", set, sizeof set), dta ? ".b" : "-9");
        assert_null(strstr(s, want)); /* q is norf */
        snprintf(want, sizeof want, "lab %s %s=Don't know", set_of(s, "s", set, sizeof set), dta ? ".a" : "-8");
        assert_null(strstr(s, want)); /* s is nodk */
        if (!dta) {
            /* SPSS: -8/-9 declared user-missing; measurement levels */
            expect_has(s, "var q w=8 f=F8.0 m=1 miss=1 ");  /* nominal, -8 (norf) */
            expect_has(s, "var s w=8 f=F8.0 m=2 miss=1 ");  /* ordinal, -9 (nodk) */
            expect_has(s, "var n w=8 f=F10.0 m=3 miss=2 "); /* scale, -8 and -9 */
            expect_has(s, "var m_1 w=8 f=F8.0 m=1 miss=2 ");
        }
        free(s);
    }
}

static void test_formats(void **state)
{
    (void)state;
    unsigned f;
    char buf[64];
    assert_int_equal(export_format_parse("csv", &f), 0);
    assert_int_equal(f, EXPORT_CSV);
    assert_int_equal(export_format_parse("sav,dta,csv", &f), 0);
    assert_int_equal(f, EXPORT_DEFAULT);
    assert_string_equal(export_format_name(f, buf, sizeof buf), "csv,sav,dta");
    assert_string_equal(export_format_name(0, buf, sizeof buf), "csv,sav,dta");
    assert_string_equal(export_format_name(EXPORT_SQLITE, buf, sizeof buf), "sqlite");
    const char *bad[] = {"", "xls", "csv,", ",csv", "csv,,sav", "CSV", "sav dta"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(export_format_parse(bad[i], &f), -1);
}

static void test_pii(void **state)
{
    (void)state;
    struct export_result res;
    const char *files[] = {"fb_interviews.csv", "fb_codebook.csv", "fb_calls.csv", "fb.sav", "fb.dta"};
    run("nopii", 0, 0, 0, EXPORT_DEFAULT, &res);
    for (size_t i = 0; i < 5; i++) {
        char p[64];
        snprintf(p, sizeof p, "nopii/%s", files[i]);
        size_t n = 0;
        char *s = slurp_n(path_of(p), &n);
        assert_non_null(s);
        assert_null(memmem(s, n, "Secret", 6));
        assert_null(memmem(s, n, "+9751712345", 11));
        assert_null(memmem(s, n, "PIN 1234", 8));
        free(s);
    }
    struct table t;
    load_csv(path_of("nopii/fb_calls.csv"), &t);
    assert_int_equal(col(&t, "phone"), -1);
    assert_int_equal(col(&t, "note"), -1);
    assert_int_equal(t.nrows, 5); /* header + the four calls of survey fb */
    assert_string_equal(cell(&t, "call_uuid", "call-2", "duration"), "90");
    assert_string_equal(cell(&t, "call_uuid", "call-2", "aapor"), "1.1");
    assert_string_equal(cell(&t, "call_uuid", "call-2", "phone_index"), "1");
    table_free(&t);
    assert_int_equal(num("SELECT with_pii FROM exports ORDER BY id DESC LIMIT 1"), 0);

    run("pii", 0, 1, 0, EXPORT_CSV, &res);
    load_csv(path_of("pii/fb_interviews.csv"), &t);
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "name"), "Dasho Secret 1");
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "phone"), "+97517123451");
    table_free(&t);
    load_csv(path_of("pii/fb_calls.csv"), &t);
    assert_string_equal(cell(&t, "call_uuid", "call-1", "note"), "wife says PIN 1234");
    assert_string_equal(cell(&t, "call_uuid", "call-1", "phone"), "+97517123451");
    table_free(&t);
    assert_int_equal(num("SELECT with_pii FROM exports ORDER BY id DESC LIMIT 1"), 1);
    assert_int_equal(num("SELECT count(*) FROM audit WHERE action = 'export with pii'"
                         " AND login = 'sonam'"), 1);
}

/* A question the script marks `personal` leaves only with --with-pii. */
static void test_personal_question(void **state)
{
    (void)state;
    char *v3 = malloc(strlen(v2) + 64);
    assert_non_null(v3);
    sprintf(v3, "%s  personal\n", v2); /* on t, the last question */
    char *version = strstr(v3, "version 2");
    version[8] = '3';
    long long v3id = store(v3);
    free(v3);
    /* the layout follows the versions that have interviews: move iv1 to v3 */
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE interviews SET survey_version_id = %lld WHERE uuid = 'iv1'", v3id);
    exec(db, sql);
    struct export_result res;
    struct table t;
    run("nopersonal", 0, 0, 0, EXPORT_CSV, &res);
    load_csv(path_of("nopersonal/fb_interviews.csv"), &t);
    assert_int_equal(col(&t, "t"), -1);
    assert_true(col(&t, "q") >= 0);
    table_free(&t);
    char *book = slurp(path_of("nopersonal/fb_codebook.csv"));
    assert_null(strstr(book, "Say more"));
    free(book);
    char *csv = slurp(path_of("nopersonal/fb_interviews.csv"));
    assert_null(strstr(csv, "He said"));
    free(csv);
    run("personal", 0, 1, 0, EXPORT_CSV, &res);
    load_csv(path_of("personal/fb_interviews.csv"), &t);
    assert_true(col(&t, "t") >= 0);
    assert_non_null(strstr(cell(&t, "interview_uuid", "iv1", "t"), "He said \"hi\""));
    table_free(&t);
}

static void test_partials(void **state)
{
    (void)state;
    struct export_result res;
    run("part", 0, 0, 1, EXPORT_CSV, &res);
    assert_int_equal(res.interviews, 3);
    assert_int_equal(res.partials, 1);
    struct table t;
    load_csv(path_of("part/fb_interviews.csv"), &t);
    assert_string_equal(cell(&t, "interview_uuid", "iv3", "outcome"), "incomplete");
    assert_string_equal(cell(&t, "interview_uuid", "iv3", "completed_at"), "");
    assert_string_equal(cell(&t, "interview_uuid", "iv3", "duration"), "");
    assert_string_equal(cell(&t, "interview_uuid", "iv3", "q"), "1");
    assert_string_equal(cell(&t, "interview_uuid", "iv3", "t"), "-8"); /* a text, not DK */
    assert_string_equal(cell(&t, "interview_uuid", "iv3", "t_status"), "answered");
    table_free(&t);
}

struct during {
    int fired;
};

/* Another console completes iv3 while the export runs. */
static void complete_iv3(void *ctx)
{
    struct during *d = ctx;
    sqlite3 *other;
    struct cati_error err;
    assert_int_equal(db_open(sqlite3_db_filename(db, "main"), DB_OPEN_EXISTING, 2000, &other, &err), 0);
    exec(other, "UPDATE interviews SET outcome = 'complete', completed_at = 1740000500 WHERE uuid = 'iv3'");
    db_close(other);
    d->fired++;
}

static void test_since_last(void **state)
{
    (void)state;
    struct export_result res;
    struct during d = {0};
    struct export_options o = {.survey = "fb", .dir = path_of("s1"), .since_last = 1,
                               .login = "sonam", .on_snapshot = complete_iv3, .ctx = &d};
    struct cati_error err;
    assert_int_equal(export_run(db, &o, &res, &err), EXPORT_OK);
    assert_int_equal(d.fired, 1);
    assert_int_equal(res.interviews, 2); /* iv3 was completed after the snapshot */
    assert_int_equal(res.since, 0);
    long long wm = res.watermark;
    assert_int_equal(num("SELECT watermark FROM exports WHERE since_last = 1"), wm);
    /* the next since-last export has exactly iv3 */
    run("s2", 1, 0, 0, EXPORT_CSV, &res);
    assert_int_equal(res.since, wm);
    assert_int_equal(res.interviews, 1);
    assert_int_equal(res.calls, 0);
    struct table t;
    load_csv(path_of("s2/fb_interviews.csv"), &t);
    assert_int_equal(t.nrows, 2);
    assert_string_equal(cell(&t, "interview_uuid", "iv3", "outcome"), "complete");
    table_free(&t);
    /* twice in a row: nothing, but the files are there with their header */
    run("s3", 1, 0, 0, EXPORT_CSV, &res);
    assert_int_equal(res.interviews, 0);
    assert_int_equal(res.calls, 0);
    load_csv(path_of("s3/fb_interviews.csv"), &t);
    assert_int_equal(t.nrows, 1);
    assert_int_equal(col(&t, "q"), 21); /* still the full header */
    table_free(&t);
    /* a changed answer brings its interview back; a new call comes too */
    exec(db, "UPDATE answers SET value = '1' WHERE uuid = 'a1';"
             "INSERT INTO calls(uuid, case_id, attempt, started_at, ended_at, phone_pos, number,"
             " outcome, aapor, updated_at) VALUES('call-x', 2, 2, 5, 6, 1, 'n', 'busy', '3.12', 6)");
    /* a full export in between does not move the since-last chain */
    run("full", 0, 0, 0, EXPORT_CSV, &res);
    assert_int_equal(res.interviews, 3);
    run("s4", 1, 0, 0, EXPORT_CSV, &res);
    assert_int_equal(res.interviews, 1);
    assert_int_equal(res.calls, 1);
    load_csv(path_of("s4/fb_interviews.csv"), &t);
    assert_string_equal(cell(&t, "interview_uuid", "iv1", "q"), "1");
    table_free(&t);
    run("s5", 1, 0, 0, EXPORT_CSV, &res);
    assert_int_equal(res.interviews, 0);
}

struct settle_log { int n, delivered; char dir[512]; };

static void on_settled(void *ctx, const char *survey, const char *d, long long rows, int delivered)
{
    struct settle_log *l = ctx;
    assert_string_equal(survey, "fb");
    (void)rows;
    l->n++;
    l->delivered += delivered;
    snprintf(l->dir, sizeof l->dir, "%s", d);
}

/* Delivery exactly once (issue 11 §3): an export for delivery is pending
 * until settled; settled delivered when its folder is there, else dropped
 * (its rows come again); a pending one blocks the since-last chain. */
static void test_deliver_and_settle(void **state)
{
    (void)state;
    struct export_result res;
    struct cati_error err;
    struct settle_log l = {0};
    assert_int_equal(export_settle(db, "sonam", on_settled, &l, &err), 0); /* nothing pending */
    struct export_options o = {.survey = "fb", .dir = path_of(".n1.partial"), .since_last = 1,
                               .login = "sonam", .deliver_to = path_of("n1")};
    assert_int_equal(export_run(db, &o, &res, &err), EXPORT_OK);
    assert_int_equal(res.interviews, 2);
    long long wm = res.watermark;
    assert_int_equal(num("SELECT count(*) FROM exports WHERE state = 'pending'"), 1);
    /* pending: another since-last export is refused, a full one is not */
    struct export_result r2;
    struct export_options o2 = {.survey = "fb", .dir = path_of("other"), .since_last = 1,
                                .login = "sonam"};
    assert_int_equal(export_run(db, &o2, &r2, &err), EXPORT_FAILED);
    assert_non_null(strstr(err.msg, "not settled"));
    run("full1", 0, 0, 0, EXPORT_CSV, &r2);
    /* while the folder it writes is there, its writer may be at work: a
     * settle meanwhile (by hand, say) leaves it pending */
    assert_int_equal(export_settle(db, "sonam", on_settled, &l, &err), 0);
    assert_int_equal(l.n, 0);
    assert_int_equal(num("SELECT count(*) FROM exports WHERE state = 'pending'"), 1);
    /* killed before the rename: the next run removes what it left, and the
     * export, its folder never delivered, is dropped */
    char rm[1200];
    snprintf(rm, sizeof rm, "rm -rf '%s'", path_of(".n1.partial"));
    assert_int_equal(system(rm), 0);
    assert_int_equal(export_settle(db, "sonam", on_settled, &l, &err), 1);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.delivered, 0);
    assert_string_equal(l.dir, path_of("n1"));
    assert_int_equal(num("SELECT count(*) FROM exports WHERE state = 'failed'"), 1);
    /* so the next one has the same rows again; this time it is renamed */
    o.dir = path_of(".n2.partial");
    o.deliver_to = path_of("n2");
    assert_int_equal(export_run(db, &o, &res, &err), EXPORT_OK);
    assert_int_equal(res.since, 0);
    assert_int_equal(res.interviews, 2);
    assert_int_equal(rename(path_of(".n2.partial"), path_of("n2")), 0);
    assert_int_equal(export_settle(db, "sonam", on_settled, &l, &err), 1);
    assert_int_equal(l.delivered, 1);
    assert_int_equal(num("SELECT count(*) FROM exports WHERE state = 'done' AND since_last = 1"), 1);
    assert_int_equal(num("SELECT count(*) FROM audit WHERE action = 'export settle'"), 2);
    /* the chain moved: nothing new */
    run("s1", 1, 0, 0, EXPORT_CSV, &r2);
    assert_true(r2.since >= wm);
    assert_int_equal(r2.interviews, 0);
    /* a folder already there is refused; a relative one is recorded absolute */
    o.dir = path_of(".n3.partial");
    o.deliver_to = path_of("n2");
    assert_int_equal(export_run(db, &o, &res, &err), EXPORT_REJECTED);
    assert_non_null(strstr(err.msg, "already there"));
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    o.deliver_to = "n3";
    assert_int_equal(export_run(db, &o, &res, &err), EXPORT_OK);
    assert_int_equal(chdir(cwd), 0);
    l.delivered = 0;
    snprintf(rm, sizeof rm, "rm -rf '%s'", path_of(".n3.partial"));
    assert_int_equal(system(rm), 0);
    assert_int_equal(export_settle(db, "sonam", on_settled, &l, &err), 1);
    assert_string_equal(l.dir, path_of("n3"));
    assert_int_equal(l.delivered, 0); /* never renamed there: dropped */
}

static void test_sqlite_format(void **state)
{
    (void)state;
    struct export_result res;
    run("sq", 0, 0, 0, EXPORT_SQLITE, &res);
    assert_int_equal(res.nfiles, 1);
    assert_string_equal(res.files[0], path_of("sq/fb.sqlite"));
    sqlite3 *a;
    assert_int_equal(sqlite3_open_v2(path_of("sq/fb.sqlite"), &a, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3 *keep = db;
    db = a;
    assert_int_equal(num("SELECT count(*) FROM interviews"), 2);
    assert_int_equal(num("SELECT m_3 FROM interviews WHERE interview_uuid = 'iv1'"), 1);
    /* DK/RF: NULL, told by NAME_status (every question has one here) */
    assert_int_equal(num("SELECT q IS NULL AND q_status = 'dk' FROM interviews WHERE interview_uuid = 'iv2'"), 1);
    assert_int_equal(num("SELECT s IS NULL AND s_status = 'rf' AND m_1 IS NULL AND m_status = 'rf'"
                         " FROM interviews WHERE interview_uuid = 'iv2'"), 1);
    assert_int_equal(num("SELECT n_status = 'answered' FROM interviews WHERE interview_uuid = 'iv2'"), 1);
    assert_int_equal(num("SELECT n IS NULL AND n_status IS NULL FROM interviews WHERE interview_uuid = 'iv1'"), 1);
    assert_int_equal(num("SELECT typeof(q) = 'integer' FROM interviews WHERE interview_uuid = 'iv1'"), 1);
    assert_int_equal(num("SELECT typeof(active_seconds) = 'integer' FROM interviews WHERE interview_uuid = 'iv1'"), 1);
    assert_int_equal(num("SELECT t IS NULL FROM interviews WHERE interview_uuid = 'iv2'"), 1);
    assert_int_equal(num("SELECT count(*) FROM codebook"), 36);
    assert_int_equal(num("SELECT dk = 'q_status=dk' FROM codebook WHERE variable = 'q'"), 1);
    /* keys and indexes */
    assert_int_equal(num("SELECT pk FROM pragma_table_info('interviews') WHERE name = 'interview_uuid'"), 1);
    assert_int_equal(num("SELECT pk FROM pragma_table_info('calls') WHERE name = 'call_uuid'"), 1);
    assert_int_equal(num("SELECT pk FROM pragma_table_info('codebook') WHERE name = 'variable'"), 1);
    assert_int_equal(num("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN"
                         " ('interviews_case', 'calls_case')"), 2);
    assert_int_equal(num("SELECT count(*) FROM calls"), 4);
    assert_int_equal(num("SELECT count(*) FROM pragma_table_info('interviews') WHERE name = 'name'"), 0);
    assert_int_equal(num("PRAGMA application_id"), 0); /* an analysis file, not a cati database */
    db = keep;
    sqlite3_close(a);
    /* no temporary files left behind */
    DIR *dp = opendir(path_of("sq"));
    struct dirent *e;
    int n = 0;
    while ((e = readdir(dp)))
        if (e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")))
            n++;
    closedir(dp);
    assert_int_equal(n, 1);
}

static void test_failures(void **state)
{
    (void)state;
    struct export_result res;
    struct cati_error err;
    struct export_options o = {.survey = "nope", .dir = path_of("f1")};
    assert_int_equal(export_run(db, &o, &res, &err), EXPORT_REJECTED);
    assert_non_null(strstr(err.msg, "unknown survey 'nope'"));
    /* a target that cannot be replaced (a directory): no file half-written,
     * no temporary file left, nothing recorded */
    mkdir(path_of("f2"), 0755);
    mkdir(path_of("f2/fb_calls.csv"), 0755);
    long long before = num("SELECT count(*) FROM exports");
    o.survey = "fb";
    o.dir = path_of("f2");
    o.since_last = 1;
    assert_int_equal(export_run(db, &o, &res, &err), EXPORT_FAILED);
    assert_non_null(strstr(err.msg, "fb_calls.csv"));
    assert_int_equal(num("SELECT count(*) FROM exports"), before);
    DIR *dp = opendir(path_of("f2"));
    struct dirent *e;
    while ((e = readdir(dp)))
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            fail_msg("temporary file left: %s", e->d_name);
    closedir(dp);
    /* the output path is a file */
    FILE *f = fopen(path_of("f3"), "w");
    fclose(f);
    o.dir = path_of("f3");
    assert_int_equal(export_run(db, &o, &res, &err), EXPORT_FAILED);
    assert_non_null(strstr(err.msg, "not a directory"));
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/cati-export-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_wide_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_codebook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_native, setup, teardown),
        cmocka_unit_test(test_formats),
        cmocka_unit_test_setup_teardown(test_pii, setup, teardown),
        cmocka_unit_test_setup_teardown(test_personal_question, setup, teardown),
        cmocka_unit_test_setup_teardown(test_partials, setup, teardown),
        cmocka_unit_test_setup_teardown(test_since_last, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliver_and_settle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failures, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
