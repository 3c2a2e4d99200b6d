/* Parsed scripts: lookups, freeing, rendering diagnostics with carets,
 * reading files, and validating typed answers against a question. */
#include "cati/script.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cati/expr.h"
#include "cati/priv.h"
#include "cati/sample.h"
#include "cati/util.h"
#include "script_int.h"

/* Open addressing: slots hold question index + 1, 0 = empty. */
struct qindex {
    unsigned cap; /* a power of two */
    unsigned used;
    int *slots;
};


void script_free(struct cati_script *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nquestions; i++) {
        struct cati_question *q = &s->questions[i];
        free(q->name);
        for (int c = 0; c < q->nchoices; c++)
            for (int l = 0; l < CATI_MAX_LANGS; l++)
                free(q->choices[c].label[l]);
        free(q->choices);
        free(q->exclusive);
        for (int l = 0; l < CATI_MAX_LANGS; l++)
            free(q->text[l]);
        expr_free(q->ask_if);
        for (int j = 0; j < q->njumps; j++)
            expr_free(q->jumps[j].cond);
        free(q->jumps);
        for (int j = 0; j < q->nchecks; j++) {
            expr_free(q->checks[j].cond);
            free(q->checks[j].message);
        }
        free(q->checks);
        for (int j = 0; j < q->nflags; j++) {
            expr_free(q->flags[j].cond);
            free(q->flags[j].kind);
        }
        free(q->flags);
    }
    free(s->questions);
    for (int i = 0; i < s->nlabels; i++) {
        free(s->labels[i].field);
        free(s->labels[i].code);
        for (int l = 0; l < CATI_MAX_LANGS; l++)
            free(s->labels[i].label[l]);
    }
    free(s->labels);
    if (s->qindex) {
        free(((struct qindex *)s->qindex)->slots);
        free(s->qindex);
    }
    for (int i = 0; i < CATI_MAX_LANGS; i++)
        free(s->languages[i]);
    for (int i = 0; i < s->nparameters; i++)
        free(s->parameters[i]);
    free(s->parameters);
    for (int i = 0; i < s->nfields; i++)
        free(s->fields[i]);
    free(s->fields);
    free(s->file);
    free(s->source);
    free(s->name);
    free(s->title);
    free(s);
}

void script_diags_free(struct script_diags *d)
{
    if (!d)
        return;
    free(d->items);
    memset(d, 0, sizeof *d);
}

/* Bytes of the character at q (a bad byte counts as one). */
static size_t utf8_step(const char *q, const char *end)
{
    unsigned char ch = (unsigned char)*q;
    size_t l = ch < 0x80 ? 1 : (ch & 0xE0) == 0xC0 ? 2 : (ch & 0xF0) == 0xE0 ? 3 : (ch & 0xF8) == 0xF0 ? 4 : 1;
    return l <= (size_t)(end - q) ? l : (size_t)(end - q);
}

char *script_diags_render(const struct script_diags *d, const char *file, const char *src, size_t len)
{
    struct cati_buf sb = {0};
    for (int i = 0; i < d->n; i++) {
        const struct script_diag *g = &d->items[i];
        char head[600];
        const char *kind = g->warning ? "warning: " : "";
        if (g->line > 0)
            snprintf(head, sizeof head, "%s:%d:%d: %s%s\n", file, g->line, g->col, kind, g->msg);
        else
            snprintf(head, sizeof head, "%s: %s%s\n", file, kind, g->msg);
        cati_buf_addf(&sb, "%s", head);
        if (g->line <= 0 || !src)
            continue;
        /* find the line */
        const char *p = src, *end = src + len;
        for (int l = 1; l < g->line && p < end; l++) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            p = nl ? nl + 1 : end;
        }
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if (eol > p && eol[-1] == '\r')
            eol--;
        /* a very long line (hostile input): show about 160 characters around the column */
        int col = g->col, cut_left = 0, cut_right = 0;
        if (eol - p > 240) {
            const char *q = p;
            for (int c = 1; c < col - 80 && q < eol; c++)
                q += utf8_step(q, eol);
            if (q > p) {
                col -= utf8_chars(p, (size_t)(q - p)) - 3; /* "..." takes 3 columns */
                p = q;
                cut_left = 1;
            }
            q = p;
            for (int c = 0; c < 160 && q < eol; c++)
                q += utf8_step(q, eol);
            if (q < eol) {
                eol = q;
                cut_right = 1;
            }
        }
        if (cut_left)
            cati_buf_addf(&sb, "%s", "...");
        /* the line, with control characters shown as spaces so the caret lines up */
        size_t n = (size_t)(eol - p);
        char *line = malloc(n + 1);
        if (!line) {
            sb.oom = 1;
            break;
        }
        for (size_t k = 0; k < n; k++)
            line[k] = (p[k] == '\t' || (unsigned char)p[k] >= 0x20) && p[k] != 0x7f ? p[k] : ' ';
        line[n] = '\0';
        cati_buf_add(&sb, line, n);
        cati_buf_addf(&sb, "%s", cut_right ? "...\n" : "\n");
        /* caret: one space per character before the column, tabs kept */
        size_t k = 0;
        if (cut_left)
            cati_buf_addf(&sb, "%s", "   ");
        for (int c = cut_left ? 4 : 1; c < col && k < n; c++) {
            if (line[k] == '\t')
                cati_buf_addf(&sb, "%s", "\t");
            else
                cati_buf_addf(&sb, "%s", " ");
            unsigned char ch = (unsigned char)line[k];
            int l = ch < 0x80 ? 1 : (ch & 0xE0) == 0xC0 ? 2 : (ch & 0xF0) == 0xE0 ? 3 : (ch & 0xF8) == 0xF0 ? 4 : 1;
            k += (size_t)l <= n - k ? (size_t)l : n - k;
        }
        cati_buf_addf(&sb, "%s", "^\n");
        free(line);
    }
    if (d->dropped) {
        char more[96];
        snprintf(more, sizeof more, "%s: %d more error%s not shown\n", file, d->dropped,
                 d->dropped == 1 ? "" : "s");
        cati_buf_addf(&sb, "%s", more);
    }
    return cati_buf_take(&sb);
}

struct cati_script *script_parse_file(const char *path, struct script_diags *diags,
                                      struct cati_error *err)
{
    priv_user_begin(); /* as the user who named it (cati/priv.h) */
    FILE *f = fopen(path, "rb");
    int e = errno;
    priv_user_end();
    if (!f) {
        cati_error_set(err, "cannot open '%s': %s", path, strerror(e));
        return NULL;
    }
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (len < cap)
            break;
        if (cap >= (size_t)64 << 20) {
            free(buf);
            fclose(f);
            cati_error_set(err, "'%s' is too large for a questionnaire (over 64 MB)", path);
            return NULL;
        }
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        cati_error_set(err, "cannot read '%s': %s", path, buf ? "read error" : "out of memory");
        return NULL;
    }
    struct cati_script *s = script_parse(path, buf, len, diags);
    free(buf);
    if (!s && err)
        cati_error_set(err, "'%s' has errors", path);
    return s;
}

static unsigned name_hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void index_put(struct qindex *x, const struct cati_script *s, int qi)
{
    unsigned i = name_hash(s->questions[qi].name) & (x->cap - 1);
    while (x->slots[i]) {
        if (!strcmp(s->questions[x->slots[i] - 1].name, s->questions[qi].name))
            return; /* the first of duplicates stays */
        i = (i + 1) & (x->cap - 1);
    }
    x->slots[i] = qi + 1;
    x->used++;
}

int script_index_add(struct cati_script *s, int qi)
{
    struct qindex *x = s->qindex;
    if (!x) {
        if (!(x = calloc(1, sizeof *x)))
            return -1;
        s->qindex = x;
    }
    if ((x->used + 1) * 2 > x->cap) {
        unsigned ncap = x->cap ? x->cap * 2 : 64;
        int *ns = calloc(ncap, sizeof *ns);
        if (!ns)
            return -1;
        free(x->slots);
        x->slots = ns;
        x->cap = ncap;
        x->used = 0;
        for (int i = 0; i < qi; i++)
            if (s->questions[i].name)
                index_put(x, s, i);
    }
    if (s->questions[qi].name)
        index_put(x, s, qi);
    return 0;
}

int script_find_question(const struct cati_script *s, const char *name)
{
    const struct qindex *x = s->qindex;
    if (x && x->cap) {
        unsigned i = name_hash(name) & (x->cap - 1);
        while (x->slots[i]) {
            if (!strcmp(s->questions[x->slots[i] - 1].name, name))
                return x->slots[i] - 1;
            i = (i + 1) & (x->cap - 1);
        }
        return -1;
    }
    for (int i = 0; i < s->nquestions; i++)
        if (s->questions[i].name && !strcmp(s->questions[i].name, name))
            return i;
    return -1;
}

int script_find_language(const struct cati_script *s, const char *lang)
{
    for (int i = 0; i < s->nlangs; i++)
        if (!strcmp(s->languages[i], lang))
            return i;
    return -1;
}

int script_find_parameter(const struct cati_script *s, const char *name)
{
    for (int i = 0; i < s->nparameters; i++)
        if (!strcmp(s->parameters[i], name))
            return i;
    return -1;
}

int script_standard_field(const char *name)
{
    const struct sample_field *f = sample_field_find(name);
    return f && (f->use & SAMPLE_FIELD_SCRIPT);
}

int script_has_field(const struct cati_script *s, const char *name)
{
    if (script_standard_field(name))
        return 1;
    for (int i = 0; i < s->nfields; i++)
        if (!strcmp(s->fields[i], name))
            return 1;
    return 0;
}

const char *script_field_label(const struct cati_script *s, const char *field, const char *value,
                               int lang)
{
    if (!s || !field || !value)
        return NULL;
    for (int i = 0; i < s->nlabels; i++) {
        const struct cati_label *l = &s->labels[i];
        if (!strcmp(l->field, field) && !strcmp(l->code, value)) {
            if (lang > 0 && lang < CATI_MAX_LANGS && l->label[lang])
                return l->label[lang];
            return l->label[0];
        }
    }
    return NULL;
}

const char *script_field_display(const struct cati_script *s, const char *field, const char *value,
                                 int lang)
{
    const char *l = script_field_label(s, field, value, lang);
    return l ? l : value;
}

const struct cati_choice *script_choice(const struct cati_question *q, long code)
{
    for (int i = 0; i < q->nchoices; i++)
        if (q->choices[i].code == code)
            return &q->choices[i];
    return NULL;
}

const char *script_choice_label(const struct cati_choice *c, int lang)
{
    if (lang > 0 && lang < CATI_MAX_LANGS && c->label[lang])
        return c->label[lang];
    return c->label[0] ? c->label[0] : "";
}

const char *script_question_text(const struct cati_question *q, int lang)
{
    if (lang >= 0 && lang < CATI_MAX_LANGS && q->text[lang])
        return q->text[lang];
    for (int i = 0; i < CATI_MAX_LANGS; i++)
        if (q->text[i])
            return q->text[i];
    return "";
}

int script_text_draft(const struct cati_script *s, const struct cati_question *q, int lang)
{
    if (!s || !q || lang < 0 || lang >= CATI_MAX_LANGS || !q->text[lang])
        return 0;
    return s->draft[lang] || q->text_draft[lang];
}

const char *script_qtype_name(enum cati_qtype t)
{
    static const char *const n[] = {"single", "multi", "scale", "number", "text", "date"};
    return (unsigned)t < 6 ? n[t] : "?";
}

static const char *const end_names[] = {"", "complete", "refusal", "ineligible", "appointment", "breakoff"};

const char *script_end_name(enum cati_end e)
{
    return (unsigned)e < 6 ? end_names[e] : "";
}

enum cati_end script_end_parse(const char *s)
{
    for (int i = 1; i < 6; i++)
        if (!strcmp(end_names[i], s))
            return (enum cati_end)i;
    return END_NONE;
}

/* --- answers ---------------------------------------------------------------- */

static void codes_hint(const struct cati_question *q, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < q->nchoices && o + 32 < size; i++) {
        const char *sep = i == 0 ? "" : i == q->nchoices - 1 ? " or " : ", ";
        o += (size_t)snprintf(buf + o, size - o, "%s%ld", sep, q->choices[i].code);
    }
}

static int why(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int why(char *buf, size_t size, const char *fmt, ...)
{
    if (buf && size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, size, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

int script_answer_validate(const struct cati_question *q, const char *input, char **value,
                           char *whybuf, size_t whysize)
{
    *value = NULL;
    while (*input == ' ' || *input == '\t')
        input++;
    size_t n = strlen(input);
    while (n && (input[n - 1] == ' ' || input[n - 1] == '\t' || input[n - 1] == '\n' || input[n - 1] == '\r'))
        n--;
    if (n == 0)
        return why(whybuf, whysize, "no answer given");
    char *in = malloc(n + 1);
    if (!in)
        return why(whybuf, whysize, "out of memory");
    memcpy(in, input, n);
    in[n] = '\0';
    char hint[160];
    char out[64];
    long v;
    int rc = -1;
    switch (q->type) {
    case QTYPE_SINGLE:
        codes_hint(q, hint, sizeof hint);
        if (cati_parse_long(in, &v) < 0)
            why(whybuf, whysize, "'%.40s' is not a code: use %s", in, hint);
        else if (!script_choice(q, v))
            why(whybuf, whysize, "%ld is not a choice: use %s", v, hint);
        else {
            snprintf(out, sizeof out, "%ld", v);
            rc = 0;
        }
        break;
    case QTYPE_SCALE:
    case QTYPE_NUMBER:
        if (cati_parse_long(in, &v) < 0)
            why(whybuf, whysize, "'%.40s' is not a whole number from %ld to %ld", in, q->lo, q->hi);
        else if (v < q->lo || v > q->hi)
            why(whybuf, whysize, "%ld is out of range: use %ld to %ld", v, q->lo, q->hi);
        else {
            snprintf(out, sizeof out, "%ld", v);
            rc = 0;
        }
        break;
    case QTYPE_DATE: {
        int y, m, d;
        if (cati_parse_date(in, &y, &m, &d) < 0)
            why(whybuf, whysize, "'%.40s' is not a date: use YYYY-MM-DD", in);
        else {
            snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
            rc = 0;
        }
        break;
    }
    case QTYPE_TEXT: {
        if (!cati_utf8_valid(in, n)) {
            why(whybuf, whysize, "the text is not valid UTF-8");
            break;
        }
        int ctrl = 0;
        for (size_t i = 0; i < n; i++)
            ctrl |= (unsigned char)in[i] < 0x20 || in[i] == 0x7f;
        int chars = utf8_chars(in, n);
        if (ctrl)
            why(whybuf, whysize, "the text has control characters");
        else if (chars > q->maxlen)
            why(whybuf, whysize, "the text is %d characters long; at most %d", chars, q->maxlen);
        else {
            *value = in;
            return 0;
        }
        break;
    }
    case QTYPE_MULTI: {
        codes_hint(q, hint, sizeof hint);
        long *codes = malloc((n / 2 + 1) * sizeof *codes);
        int nc = 0;
        if (!codes) {
            why(whybuf, whysize, "out of memory");
            break;
        }
        char *save = NULL;
        rc = 0;
        for (char *tok = strtok_r(in, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
            if (cati_parse_long(tok, &v) < 0) {
                rc = why(whybuf, whysize, "'%.40s' is not a code: use %s, separated by commas", tok, hint);
                break;
            }
            if (!script_choice(q, v)) {
                rc = why(whybuf, whysize, "%ld is not a choice: use %s", v, hint);
                break;
            }
            codes[nc++] = v;
        }
        if (rc == 0 && nc == 0)
            rc = why(whybuf, whysize, "no codes given: use %s", hint);
        if (rc == 0) {
            qsort(codes, (size_t)nc, sizeof *codes, cmp_long);
            int k = 0;
            for (int i = 0; i < nc; i++)
                if (i == 0 || codes[i] != codes[k - 1])
                    codes[k++] = codes[i];
            nc = k;
            for (int i = 0; i < nc && rc == 0; i++)
                for (int e = 0; e < q->nexclusive; e++)
                    if (codes[i] == q->exclusive[e] && nc > 1) {
                        const struct cati_choice *c = script_choice(q, codes[i]);
                        rc = why(whybuf, whysize, "%ld (%.60s) cannot be combined with other codes",
                                 codes[i], c ? script_choice_label(c, 0) : "");
                    }
        }
        if (rc == 0) {
            char *res = malloc((size_t)nc * 22 + 1);
            if (!res) {
                rc = why(whybuf, whysize, "out of memory");
            } else {
                size_t o = 0;
                res[0] = '\0';
                for (int i = 0; i < nc; i++)
                    o += (size_t)sprintf(res + o, "%s%ld", i ? "," : "", codes[i]);
                free(codes);
                free(in);
                *value = res;
                return 0;
            }
        }
        free(codes);
        break;
    }
    }
    free(in);
    if (rc < 0)
        return -1;
    *value = cati_strdup(out);
    if (!*value)
        return why(whybuf, whysize, "out of memory");
    return 0;
}

/* Words SPSS (all its reserved keywords) and Stata (its reserved names)
 * refuse as variable names, compared without regard to case. */
static const char *const package_reserved[] = {
    "all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with",
    "byte", "double", "float", "if", "in", "int", "long", "using", "strl", NULL};

const char *script_varname_problem(const char *name, size_t suffix, char *why, size_t size)
{
    if (name[0] == '_') {
        snprintf(why, size, "starts with '_', which Stata keeps for its own names");
        return why;
    }
    for (int i = 0; package_reserved[i]; i++)
        if (!strcasecmp(name, package_reserved[i])) {
            snprintf(why, size, "is a reserved word in SPSS or Stata");
            return why;
        }
    /* Stata's str1 … str2045 are type names */
    if (!strncasecmp(name, "str", 3) && name[3] && strspn(name + 3, "0123456789") == strlen(name + 3)) {
        snprintf(why, size, "is a Stata type name");
        return why;
    }
    size_t len = strlen(name) + suffix;
    if (len > SCRIPT_VARNAME_MAX) {
        if (suffix)
            snprintf(why, size, "is %zu bytes with its longest suffix (_CODE, _status); Stata allows %d",
                     len, SCRIPT_VARNAME_MAX);
        else
            snprintf(why, size, "is %zu bytes; Stata allows %d", len, SCRIPT_VARNAME_MAX);
        return why;
    }
    return NULL;
}
