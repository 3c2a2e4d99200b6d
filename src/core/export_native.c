/* export: NAME.sav (SPSS) and NAME.dta (Stata 14+, release 118, UTF-8)
 * written with ReadStat from the same row stream as NAME_interviews.csv.
 *
 * ReadStat needs the number of rows and every string's storage width
 * before the first row, so the export runs the row stream twice over its
 * one read snapshot: a measuring pass (xnative_measure), then the pass
 * that feeds the CSV and both native files (xnative_row). Memory does not
 * grow with the number of interviews. (What the first pass sums up from the
 * answer log, export.c spools to a temporary file for the second.)
 *
 * Columns (the CSV's, same names, same order):
 *   single, scale, number and multi (0/1) questions: numeric, with value
 *     labels (choices; 0 not chosen / 1 chosen), DK and RF as declared
 *     missing values: SPSS user-missing -8 and -9, Stata extended missing
 *     .a and .b (both labelled "Don't know" / "Refused"); not asked =
 *     system missing (SPSS sysmis, Stata .);
 *   text and date questions, identifying text, respondent fields, times:
 *     strings as wide as the longest value (bytes of UTF-8, at least 1;
 *     Stata: a strL past 2045 bytes); DK/RF of a text or date question
 *     leave it empty, as in the CSV, and its NAME_status says which (not
 *     declared missing: SPSS readers reject missing values on long
 *     strings, and a text may be "-8"); not asked = empty;
 *   mode, outcome and NAME_status: numeric codes labelled with the CSV's
 *     words (outcome: 1 complete … 6 incomplete, 7 partial; status:
 *     1 answered, 2 dk, 3 rf; not asked = system missing);
 *   version, duration, active_seconds, wall_seconds, calls: numeric.
 * Measurement levels: single, multi, text, date, status, identifiers
 * nominal; scale ordinal; number, the seconds, calls scale. */
#include <errno.h>
#include <math.h>
#include <readstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/util.h"
#include "export_int.h"

#define DTA_MAX_STR 2045 /* Stata str# limit; longer strings are strL */
#define SAV_MAX_VALUE_LABEL 120
#define DTA_MAX_VAR_LABEL 320
#define MAX_CODES 64

enum nkind { NK_STRING, NK_NUM, NK_CODE };

/* The words of a coded column: known ones first (stable codes), then any
 * other value met while measuring, in order of first sight. */
static const char *const mode_words[] = {"cati", "capi", "cawi", "papi", NULL};
static const char *const outcome_words[] = {"complete", "breakoff", "refusal", "appointment",
                                            "ineligible", "incomplete", "partial", NULL};
static const char *const status_words[] = {XSTATUS_ANSWERED, XSTATUS_DK, XSTATUS_RF, NULL};

struct ncol {
    enum nkind kind;
    int dk, rf;                 /* -8 / -9 are don't know / refused here */
    size_t width;               /* NK_STRING: longest value, bytes */
    char *words[MAX_CODES];     /* NK_CODE: code i + 1 (owned) */
    int nwords;
    readstat_variable_t *v[2];  /* sav, dta */
};

struct xnative {
    const struct xlayout *l;
    struct ncol *cols;
    int ncols;
    long rows;
    readstat_writer_t *w[2];    /* sav, dta (NULL when not written) */
    FILE *f[2];
    const char *path[2];
    int werrno;                 /* errno of the first failed write */
    char *tmp;                  /* a cell, NUL-terminated */
    size_t tcap;
};

enum { SAV, DTA };

static int code_col(const struct xlayout *l, int c, const char *const **words)
{
    if (c == l->idcol[XID_MODE])
        *words = mode_words;
    else if (c == l->idcol[XID_OUTCOME])
        *words = outcome_words;
    else if (l->cols[c].status)
        *words = status_words;
    else
        return 0;
    return 1;
}

struct xnative *xnative_new(const struct xlayout *l)
{
    struct xnative *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->l = l;
    n->ncols = l->ncols;
    n->cols = calloc((size_t)(l->ncols ? l->ncols : 1), sizeof *n->cols);
    if (!n->cols) {
        free(n);
        return NULL;
    }
    for (int c = 0; c < l->ncols; c++) {
        struct ncol *k = &n->cols[c];
        const struct xcol *x = &l->cols[c];
        const char *const *words;
        k->width = 1;
        if (code_col(l, c, &words)) {
            k->kind = NK_CODE;
            for (; words[k->nwords]; k->nwords++)
                if (!(k->words[k->nwords] = cati_strdup(words[k->nwords]))) {
                    xnative_free(n);
                    return NULL;
                }
        } else if (x->var >= 0) {
            const struct cati_question *q = l->vars[x->var].q;
            k->kind = q->type == QTYPE_TEXT || q->type == QTYPE_DATE ? NK_STRING : NK_NUM;
            k->dk = !q->nodk;
            k->rf = !q->norf;
        } else {
            k->kind = x->type == XT_INT ? NK_NUM : NK_STRING;
        }
    }
    return n;
}

void xnative_free(struct xnative *n)
{
    if (!n)
        return;
    for (int i = 0; i < 2; i++)
        if (n->w[i])
            readstat_writer_free(n->w[i]);
    for (int c = 0; c < n->ncols; c++)
        for (int i = 0; i < n->cols[c].nwords; i++)
            free(n->cols[c].words[i]);
    free(n->cols);
    free(n->tmp);
    free(n);
}

static int find_word(const struct ncol *k, const char *s, size_t len)
{
    for (int i = 0; i < k->nwords; i++)
        if (strlen(k->words[i]) == len && !memcmp(k->words[i], s, len))
            return i;
    return -1;
}

int xnative_measure(struct xnative *n, const char *const *v, const size_t *len,
                    struct cati_error *err)
{
    for (int c = 0; c < n->ncols; c++) {
        struct ncol *k = &n->cols[c];
        if (!v[c])
            continue;
        if (k->kind == NK_STRING && len[c] > k->width)
            k->width = len[c];
        if (k->kind == NK_CODE && find_word(k, v[c], len[c]) < 0) {
            if (k->nwords == MAX_CODES)
                return cati_error_set(err, "export: column '%s' has more than %d different values",
                                      n->l->cols[c].name, MAX_CODES);
            char *w = malloc(len[c] + 1);
            if (!w)
                return cati_error_set(err, "out of memory");
            memcpy(w, v[c], len[c]);
            w[len[c]] = '\0';
            k->words[k->nwords++] = w;
        }
    }
    n->rows++;
    return 0;
}

/* --- writing ------------------------------------------------------------------ */

static ssize_t write_bytes(const void *data, size_t len, void *ctx)
{
    FILE *f = ctx;
    return fwrite(data, 1, len, f) == len ? (ssize_t)len : -1;
}

/* At most max bytes of s, cut on a UTF-8 character boundary, into buf. */
static const char *utf8_cut(const char *s, char *buf, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return s;
    while (n > max || (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80))
        n--;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return buf;
}

static void add_label(readstat_label_set_t *set, int which, long value, const char *label)
{
    char buf[SAV_MAX_VALUE_LABEL + 1];
    readstat_label_int32_value(set, (int32_t)value,
                               which == SAV ? utf8_cut(label, buf, SAV_MAX_VALUE_LABEL) : label);
}

/* Value labels of column c (NULL when it has none). */
static readstat_label_set_t *label_set(struct xnative *n, int which, int c)
{
    const struct xlayout *l = n->l;
    const struct xcol *x = &l->cols[c];
    struct ncol *k = &n->cols[c];
    readstat_writer_t *w = n->w[which];
    readstat_label_set_t *set = NULL;
    if (k->kind == NK_CODE) {
        set = readstat_add_label_set(w, READSTAT_TYPE_INT32, x->name);
        for (int i = 0; i < k->nwords; i++)
            add_label(set, which, i + 1, k->words[i]);
        return set;
    }
    if (x->var < 0 || k->kind != NK_NUM)
        return NULL;
    const struct cati_question *q = l->vars[x->var].q;
    if (q->type == QTYPE_MULTI) {
        set = readstat_add_label_set(w, READSTAT_TYPE_INT32, x->name);
        add_label(set, which, 0, "not chosen");
        add_label(set, which, 1, "chosen");
    } else if (q->nchoices > 0 || k->dk || k->rf) {
        set = readstat_add_label_set(w, READSTAT_TYPE_INT32, x->name);
        for (int i = 0; i < q->nchoices; i++)
            add_label(set, which, q->choices[i].code, script_choice_label(&q->choices[i], 0));
    } else {
        return NULL;
    }
    if (which == SAV) {
        if (k->dk)
            add_label(set, which, -8, "Don't know");
        if (k->rf)
            add_label(set, which, -9, "Refused");
    } else {
        if (k->dk)
            readstat_label_tagged_value(set, 'a', "Don't know");
        if (k->rf)
            readstat_label_tagged_value(set, 'b', "Refused");
    }
    return set;
}

static readstat_measure_t measure_of(const struct xlayout *l, int c)
{
    const struct xcol *x = &l->cols[c];
    if (x->var >= 0 && !x->status) {
        switch (l->vars[x->var].q->type) {
        case QTYPE_SCALE: return READSTAT_MEASURE_ORDINAL;
        case QTYPE_NUMBER: return READSTAT_MEASURE_SCALE;
        default: return READSTAT_MEASURE_NOMINAL;
        }
    }
    if (c == l->idcol[XID_DURATION] || c == l->idcol[XID_CALLS] || c == l->idcol[XID_ACTIVE] ||
        c == l->idcol[XID_WALL])
        return READSTAT_MEASURE_SCALE;
    return READSTAT_MEASURE_NOMINAL;
}

static int rs_fail(struct xnative *n, int which, readstat_error_t e, struct cati_error *err)
{
    if (e == READSTAT_ERROR_WRITE && n->werrno)
        return cati_error_set(err, "cannot write '%s': %s", n->path[which], strerror(n->werrno));
    return cati_error_set(err, "cannot write '%s': %s", n->path[which], readstat_error_message(e));
}

/* Declare the variables of one file. */
static int define(struct xnative *n, int which, struct cati_error *err)
{
    const struct xlayout *l = n->l;
    readstat_writer_t *w = n->w[which];
    for (int c = 0; c < n->ncols; c++) {
        struct ncol *k = &n->cols[c];
        const struct xcol *x = &l->cols[c];
        readstat_type_t t = k->kind == NK_STRING ? READSTAT_TYPE_STRING : READSTAT_TYPE_DOUBLE;
        if (which == DTA && k->kind == NK_STRING && k->width > DTA_MAX_STR)
            t = READSTAT_TYPE_STRING_REF; /* strL */
        readstat_variable_t *v = readstat_add_variable(w, x->name, t, k->kind == NK_STRING ? k->width : 0);
        if (!v)
            return cati_error_set(err, "out of memory");
        char *row[XCODEBOOK_NCOLS];
        if (xcodebook_row(l, c, row) < 0)
            return cati_error_set(err, "out of memory");
        /* the codebook's text; Stata 14+ holds 320 bytes of it (80 characters) */
        char lbuf[DTA_MAX_VAR_LABEL + 1];
        readstat_variable_set_label(v, which == DTA ? utf8_cut(row[2], lbuf, DTA_MAX_VAR_LABEL) : row[2]);
        for (int i = 0; i < XCODEBOOK_NCOLS; i++)
            free(row[i]);
        readstat_variable_set_measure(v, measure_of(l, c));
        readstat_variable_set_alignment(v, k->kind == NK_STRING ? READSTAT_ALIGNMENT_LEFT
                                                                : READSTAT_ALIGNMENT_RIGHT);
        readstat_label_set_t *set = label_set(n, which, c);
        if (set)
            readstat_variable_set_label_set(v, set);
        if (which == SAV && k->kind == NK_NUM) {
            if (k->rf)
                readstat_variable_add_missing_double_value(v, -9);
            if (k->dk)
                readstat_variable_add_missing_double_value(v, -8);
        }
        if (which == SAV && k->kind != NK_STRING) /* whole numbers: no decimals shown */
            readstat_variable_set_format(v, measure_of(l, c) == READSTAT_MEASURE_SCALE ? "F10.0" : "F8.0");
        k->v[which] = v;
    }
    return 0;
}

int xnative_begin(struct xnative *n, FILE *sav, const char *savpath, FILE *dta,
                  const char *dtapath, const char *label, struct cati_error *err)
{
    FILE *f[2] = {sav, dta};
    const char *p[2] = {savpath, dtapath};
    for (int i = 0; i < 2; i++) {
        if (!f[i])
            continue;
        n->f[i] = f[i];
        n->path[i] = p[i];
        if (!(n->w[i] = readstat_writer_init()))
            return cati_error_set(err, "out of memory");
        readstat_set_data_writer(n->w[i], write_bytes);
        char buf[81];
        readstat_writer_set_file_label(n->w[i], utf8_cut(label, buf, 80));
        if (i == DTA)
            readstat_writer_set_file_format_version(n->w[i], 118);
        else
            readstat_writer_set_compression(n->w[i], READSTAT_COMPRESS_ROWS);
        if (define(n, i, err) < 0)
            return -1;
        readstat_error_t e = i == SAV ? readstat_begin_writing_sav(n->w[i], f[i], n->rows)
                                      : readstat_begin_writing_dta(n->w[i], f[i], n->rows);
        if (e == READSTAT_OK)
            e = readstat_validate_metadata(n->w[i]);
        for (int c = 0; c < n->ncols && e == READSTAT_OK; c++) {
            e = readstat_validate_variable(n->w[i], n->cols[c].v[i]);
            if (e != READSTAT_OK)
                return cati_error_set(err, "cannot write '%s': column '%s': %s", p[i],
                                      n->l->cols[c].name, readstat_error_message(e));
        }
        if (e != READSTAT_OK)
            return rs_fail(n, i, e, err);
    }
    return 0;
}

/* One cell of a numeric column: value, DK/RF or missing. */
static readstat_error_t put_num(struct xnative *n, int which, const struct ncol *k,
                                const char *s, size_t len)
{
    readstat_writer_t *w = n->w[which];
    const readstat_variable_t *v = k->v[which];
    if (!s || !len)
        return readstat_insert_missing_value(w, v);
    int dk = k->dk && len == 2 && !memcmp(s, "-8", 2), rf = k->rf && len == 2 && !memcmp(s, "-9", 2);
    if ((dk || rf) && which == DTA)
        return readstat_insert_tagged_missing_value(w, v, dk ? 'a' : 'b');
    if (k->kind == NK_CODE) {
        int i = find_word(k, s, len);
        return i < 0 ? READSTAT_ERROR_VALUE_TYPE_MISMATCH
                     : readstat_insert_double_value(w, v, (double)(i + 1));
    }
    char buf[64], *end;
    if (len >= sizeof buf)
        return READSTAT_ERROR_CONVERT;
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    double d = strtod(buf, &end);
    if (*end || errno || !isfinite(d))
        return READSTAT_ERROR_CONVERT;
    return readstat_insert_double_value(w, v, d);
}

/* Cell c as a NUL-terminated string (cells are not terminated). */
static const char *cell(struct xnative *n, const char *s, size_t len)
{
    if (len + 1 > n->tcap) {
        size_t cap = len + 1 > 256 ? len + 1 : 256;
        char *t = realloc(n->tmp, cap);
        if (!t)
            return NULL;
        n->tmp = t;
        n->tcap = cap;
    }
    memcpy(n->tmp, s, len);
    n->tmp[len] = '\0';
    return n->tmp;
}

static readstat_error_t put_str(struct xnative *n, int which, const struct ncol *k,
                                const char *s, size_t len)
{
    readstat_writer_t *w = n->w[which];
    const readstat_variable_t *v = k->v[which];
    const char *t = s ? cell(n, s, len) : "";
    if (!t)
        return READSTAT_ERROR_MALLOC;
    if (v->type != READSTAT_TYPE_STRING_REF)
        return readstat_insert_string_value(w, v, t);
    if (!*t)
        return readstat_insert_string_ref(w, v, NULL);
    /* strL: the text is kept until the end of the file, where Stata wants it */
    readstat_string_ref_t *ref = readstat_add_string_ref(w, t);
    return ref ? readstat_insert_string_ref(w, v, ref) : READSTAT_ERROR_MALLOC;
}

int xnative_row(struct xnative *n, const char *const *v, const size_t *len, struct cati_error *err)
{
    for (int i = 0; i < 2; i++) {
        readstat_writer_t *w = n->w[i];
        if (!w)
            continue;
        readstat_error_t e = readstat_begin_row(w);
        for (int c = 0; c < n->ncols && e == READSTAT_OK; c++) {
            const struct ncol *k = &n->cols[c];
            e = k->kind == NK_STRING ? put_str(n, i, k, v[c], v[c] ? len[c] : 0)
                                     : put_num(n, i, k, v[c], v[c] ? len[c] : 0);
            if (e != READSTAT_OK && e != READSTAT_ERROR_WRITE && e != READSTAT_ERROR_MALLOC)
                return cati_error_set(err, "cannot write '%s': column '%s': %s", n->path[i],
                                      n->l->cols[c].name, readstat_error_message(e));
        }
        if (e == READSTAT_OK)
            e = readstat_end_row(w);
        if (e != READSTAT_OK) {
            n->werrno = errno;
            return e == READSTAT_ERROR_MALLOC ? cati_error_set(err, "out of memory")
                                              : rs_fail(n, i, e, err);
        }
    }
    return 0;
}

int xnative_end(struct xnative *n, struct cati_error *err)
{
    for (int i = 0; i < 2; i++) {
        if (!n->w[i])
            continue;
        readstat_error_t e = readstat_end_writing(n->w[i]);
        if (e == READSTAT_OK && fflush(n->f[i]) != 0)
            e = READSTAT_ERROR_WRITE;
        if (e != READSTAT_OK) {
            n->werrno = errno;
            return rs_fail(n, i, e, err);
        }
    }
    return 0;
}
