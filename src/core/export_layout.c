/* export: the columns of NAME_interviews (identifying items, respondent
 * fields, questions of every exported script version in a stable order)
 * and the codebook describing them. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/disposition.h"
#include "cati/util.h"
#include "export_int.h"

static const struct {
    const char *name;
    enum xtype type;
    int pii;
    const char *label;
} idcols[XID_N] = {
    [XID_CASE_UUID] = {"case_uuid", XT_STRING, 0, "Case (respondent) identifier, stable across exports and sites"},
    [XID_INTERVIEW_UUID] = {"interview_uuid", XT_STRING, 0, "Interview identifier"},
    [XID_REF] = {"ref", XT_STRING, 0, "Service transaction reference from the sample"},
    [XID_NAME] = {"name", XT_STRING, 1, "Respondent name (personal data)"},
    [XID_PHONE] = {"phone", XT_STRING, 1, "Respondent's first phone number (personal data)"},
    [XID_SERVICE] = {"service", XT_STRING, 0, "Service received"},
    [XID_AGENCY] = {"agency", XT_STRING, 0, "Agency that delivered the service"},
    [XID_DISTRICT] = {"district", XT_STRING, 0, "District"},
    [XID_INTERVIEWER] = {"interviewer", XT_STRING, 0, "Interviewer login: who last held the interview"},
    [XID_INTERVIEWERS] = {"interviewers", XT_STRING, 0,
                          "Every interviewer who worked on the interview, logins separated by spaces: "
                          "who recorded its answers (in the order of their first answer), its last "
                          "holder, and who ended it unless a supervisor did"},
    [XID_ENDED_BY] = {"ended_by", XT_STRING, 0,
                      "Login of who recorded the call that ended the interview (an interviewer, or "
                      "a supervisor); empty while it is open or when no call ended it"},
    [XID_MODE] = {"mode", XT_STRING, 0, "Interview mode"},
    [XID_LANGUAGE] = {"language", XT_STRING, 0, "Interview language (last used)"},
    [XID_OUTCOME] = {"outcome", XT_STRING, 0, "How the interview ended: complete; partial (broken off, "
                                             "recorded as a partial interview, AAPOR 1.2); breakoff "
                                             "(any other break-off, AAPOR 2.12 or the code that ended "
                                             "the case); refusal, appointment, ineligible; "
                                             "incomplete = not finished"},
    [XID_AAPOR] = {"aapor", XT_STRING, 0, "AAPOR code of the call that ended the interview; empty "
                                         "while it is open or when no call ended it"},
    [XID_VERSION] = {"version", XT_INT, 0, "Questionnaire version used (survey version number)"},
    [XID_STARTED] = {"started_at", XT_TIME, 0, "Interview start (YYYY-MM-DD HH:MM:SS)"},
    [XID_COMPLETED] = {"completed_at", XT_TIME, 0, "Interview end (YYYY-MM-DD HH:MM:SS); empty if not ended"},
    [XID_DURATION] = {"duration", XT_INT, 0, "Seconds from start to end (completed_at - started_at)"},
    [XID_ACTIVE] = {"active_seconds", XT_INT, 0,
                    "Seconds spent on the questions: for each answer given (first answers and "
                    "changes), the time from the question's showing to the answer, counted up to "
                    "600 s each"},
    [XID_WALL] = {"wall_seconds", XT_INT, 0,
                  "Seconds from the first answer to the last (wall time: a break between sessions "
                  "counts); empty without answers"},
    [XID_CALLS] = {"calls", XT_INT, 0, "Call attempts made on the case"},
};

const char *const xcodebook_header[XCODEBOOK_NCOLS] = {
    "variable", "question", "text", "type", "values", "labels", "dk", "rf", "measures", "versions"};

static int valid_name(const char *s)
{
    if (!s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return 0;
    return 1;
}

static uint64_t hash_name(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

int xlayout_find(const struct xlayout *l, const char *name, size_t len)
{
    if (!l->hsize)
        return -1;
    for (size_t i = hash_name(name, len) & (l->hsize - 1);; i = (i + 1) & (l->hsize - 1)) {
        int v = l->hash[i];
        if (!v)
            return -1;
        const char *n = l->vars[v - 1].name;
        if (strlen(n) == len && !memcmp(n, name, len))
            return v - 1;
    }
}

static int has_code(const long *codes, int n, long code)
{
    for (int i = 0; i < n; i++)
        if (codes[i] == code)
            return 1;
    return 0;
}

static int name_used(const struct xlayout *l, int upto, const char *name)
{
    for (int i = 0; i < upto; i++)
        if (!strcmp(l->cols[i].name, name))
            return 1;
    return 0;
}

/* Append column name (made unique with _2, _3 … if taken). */
static int add_col(struct xlayout *l, const char *name, enum xtype type, int var, int field,
                   long code, int status, const char *label)
{
    char buf[CATI_NAME_MAX + 32];
    snprintf(buf, sizeof buf, "%s", name);
    for (int k = 2; name_used(l, l->ncols, buf); k++)
        snprintf(buf, sizeof buf, "%s_%d", name, k);
    struct xcol *c = &l->cols[l->ncols];
    if (!(c->name = cati_strdup(buf)))
        return -1;
    c->type = type;
    c->var = var;
    c->field = field;
    c->code = code;
    c->status = status;
    c->label = label;
    l->ncols++;
    return 0;
}

/* The stable question order: the newest version's order; a question only
 * in older versions goes right after its predecessor there. */
static int merge_questions(struct xlayout *l, struct cati_error *err)
{
    int cap = 0;
    for (int v = 0; v < l->nscripts; v++)
        cap += l->scripts[v]->nquestions;
    l->vars = calloc((size_t)(cap ? cap : 1), sizeof *l->vars);
    if (!l->vars)
        return cati_error_set(err, "out of memory");
    for (int v = 0; v < l->nscripts; v++) {
        const struct cati_script *s = l->scripts[v];
        int after = -1; /* position of the previous question of s in vars */
        for (int i = 0; i < s->nquestions; i++) {
            const struct cati_question *q = &s->questions[i];
            if (!valid_name(q->name))
                return cati_error_setk(err, CATI_ERR_INPUT,
                                       "export: question name '%s' cannot be a column name", q->name);
            int found = -1;
            for (int k = 0; k < l->nvars; k++)
                if (!strcmp(l->vars[k].name, q->name)) {
                    found = k;
                    break;
                }
            if (found >= 0) {
                after = found;
                continue;
            }
            int at = after + 1;
            memmove(l->vars + at + 1, l->vars + at, (size_t)(l->nvars - at) * sizeof *l->vars);
            memset(&l->vars[at], 0, sizeof l->vars[at]);
            l->vars[at].name = q->name;
            l->vars[at].q = q;
            l->vars[at].s = s;
            l->nvars++;
            after = at;
        }
    }
    return 0;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Versions asking each question (ascending) and multi codes: every code of
 * every version, ascending (q_1, q_3, …). */
static int fill_vars(struct xlayout *l, struct cati_error *err)
{
    for (int k = 0; k < l->nvars; k++) {
        struct xvar *x = &l->vars[k];
        size_t used = 0;
        for (int v = l->nscripts - 1; v >= 0; v--)
            if (script_find_question(l->scripts[v], x->name) >= 0 && used < sizeof x->versions - 12)
                used += (size_t)snprintf(x->versions + used, sizeof x->versions - used, "%s%d",
                                         used ? " " : "", l->vnums[v]);
        if (x->q->type != QTYPE_MULTI)
            continue;
        int cap = 0;
        for (int v = 0; v < l->nscripts; v++) {
            int qi = script_find_question(l->scripts[v], x->name);
            if (qi >= 0)
                cap += l->scripts[v]->questions[qi].nchoices;
        }
        x->codes = malloc((size_t)(cap ? cap : 1) * sizeof *x->codes);
        if (!x->codes)
            return cati_error_set(err, "out of memory");
        for (int v = 0; v < l->nscripts; v++) {
            int qi = script_find_question(l->scripts[v], x->name);
            if (qi < 0 || l->scripts[v]->questions[qi].type != QTYPE_MULTI)
                continue;
            const struct cati_question *q = &l->scripts[v]->questions[qi];
            for (int c = 0; c < q->nchoices; c++)
                if (!has_code(x->codes, x->ncols, q->choices[c].code))
                    x->codes[x->ncols++] = q->choices[c].code;
        }
        qsort(x->codes, (size_t)x->ncols, sizeof *x->codes, cmp_long);
    }
    return 0;
}

static int collect_fields(struct xlayout *l, struct cati_error *err)
{
    int cap = 0;
    for (int v = 0; v < l->nscripts; v++)
        cap += l->scripts[v]->nfields;
    l->fields = calloc((size_t)(cap ? cap : 1), sizeof *l->fields);
    if (!l->fields)
        return cati_error_set(err, "out of memory");
    for (int v = 0; v < l->nscripts; v++)
        for (int f = 0; f < l->scripts[v]->nfields; f++) {
            char *name = l->scripts[v]->fields[f];
            if (!valid_name(name))
                return cati_error_setk(err, CATI_ERR_INPUT,
                                       "export: field name '%s' cannot be a column name", name);
            int seen = 0;
            for (int k = 0; k < l->nfields; k++)
                seen |= !strcmp(l->fields[k], name);
            if (!seen)
                l->fields[l->nfields++] = name;
        }
    return 0;
}

/* Whether question x gets a NAME_status column (xlayout_build). */
static int has_status(const struct xlayout *l, const struct xvar *x)
{
    return l->sqlite || x->q->type == QTYPE_TEXT || x->q->type == QTYPE_DATE;
}

static int build_columns(struct xlayout *l, int with_pii, struct cati_error *err)
{
    int cap = XID_N + l->nfields;
    for (int k = 0; k < l->nvars; k++)
        cap += (l->vars[k].q->type == QTYPE_MULTI ? l->vars[k].ncols : 1) + 1;
    l->cols = calloc((size_t)cap, sizeof *l->cols);
    if (!l->cols)
        return cati_error_set(err, "out of memory");
    for (int i = 0; i < XID_N; i++) {
        l->idcol[i] = -1;
        if (idcols[i].pii && !with_pii)
            continue;
        l->idcol[i] = l->ncols;
        if (add_col(l, idcols[i].name, idcols[i].type, -1, -1, 0, 0, idcols[i].label) < 0)
            return cati_error_set(err, "out of memory");
    }
    l->field_col = l->ncols;
    for (int f = 0; f < l->nfields; f++)
        if (add_col(l, l->fields[f], XT_STRING, -1, f, 0, 0, "Respondent field from the sample") < 0)
            return cati_error_set(err, "out of memory");
    for (int k = 0; k < l->nvars; k++) {
        struct xvar *x = &l->vars[k];
        x->status_col = -1;
        if (x->q->personal && !with_pii) { /* left out, like names and numbers */
            x->col = -1;
            x->ncols = 0;
            continue;
        }
        x->col = l->ncols;
        enum cati_qtype t = x->q->type;
        if (t == QTYPE_MULTI) {
            for (int c = 0; c < x->ncols; c++) {
                char name[CATI_NAME_MAX + 24];
                long code = x->codes[c];
                if (code < 0)
                    snprintf(name, sizeof name, "%s_m%ld", x->name, -code);
                else
                    snprintf(name, sizeof name, "%s_%ld", x->name, code);
                if (add_col(l, name, XT_INT, k, -1, code, 0, NULL) < 0)
                    return cati_error_set(err, "out of memory");
            }
        } else {
            x->ncols = 1;
            enum xtype xt = t == QTYPE_TEXT || t == QTYPE_DATE ? XT_STRING : XT_INT;
            if (add_col(l, x->name, xt, k, -1, 0, 0, NULL) < 0)
                return cati_error_set(err, "out of memory");
        }
        if (has_status(l, x)) {
            char name[CATI_NAME_MAX + 24];
            snprintf(name, sizeof name, "%s_status", x->name);
            x->status_col = l->ncols;
            if (add_col(l, name, XT_STRING, k, -1, 0, 1, NULL) < 0)
                return cati_error_set(err, "out of memory");
        }
    }
    return 0;
}

int xlayout_build(struct xlayout *l, struct cati_script **scripts, const int *vnums, int n,
                  int with_pii, int sqlite, struct cati_error *err)
{
    memset(l, 0, sizeof *l);
    l->sqlite = sqlite;
    l->scripts = scripts;
    l->nscripts = n;
    l->vnums = malloc((size_t)(n ? n : 1) * sizeof *l->vnums);
    if (!l->vnums)
        return cati_error_set(err, "out of memory"), EXPORT_FAILED;
    memcpy(l->vnums, vnums, (size_t)n * sizeof *vnums);
    int rc = merge_questions(l, err);
    if (rc == 0)
        rc = collect_fields(l, err);
    if (rc < 0)
        return err->kind == CATI_ERR_INPUT ? EXPORT_REJECTED : EXPORT_FAILED;
    if (fill_vars(l, err) < 0 || build_columns(l, with_pii, err) < 0)
        return EXPORT_FAILED;
    l->hsize = 16;
    while (l->hsize < (size_t)l->nvars * 2)
        l->hsize *= 2;
    l->hash = calloc(l->hsize, sizeof *l->hash);
    if (!l->hash)
        return cati_error_set(err, "out of memory"), EXPORT_FAILED;
    for (int k = 0; k < l->nvars; k++) {
        size_t i = hash_name(l->vars[k].name, strlen(l->vars[k].name)) & (l->hsize - 1);
        while (l->hash[i])
            i = (i + 1) & (l->hsize - 1);
        l->hash[i] = k + 1;
    }
    return EXPORT_OK;
}

int xlayout_copy(struct xlayout *to, const struct xlayout *l, int with_pii, int sqlite,
                 struct cati_error *err)
{
    struct cati_script **scripts = malloc((size_t)(l->nscripts ? l->nscripts : 1) * sizeof *scripts);
    if (!scripts) {
        memset(to, 0, sizeof *to);
        return cati_error_set(err, "out of memory"), EXPORT_FAILED;
    }
    memcpy(scripts, l->scripts, (size_t)l->nscripts * sizeof *scripts);
    int rc = xlayout_build(to, scripts, l->vnums, l->nscripts, with_pii, sqlite, err);
    to->borrowed = 1;
    return rc;
}

void xlayout_free(struct xlayout *l)
{
    for (int v = 0; v < l->nscripts && !l->borrowed; v++)
        script_free(l->scripts[v]);
    free(l->scripts);
    free(l->vnums);
    for (int k = 0; k < l->nvars; k++)
        free(l->vars[k].codes);
    free(l->vars);
    free(l->fields);
    for (int c = 0; c < l->ncols; c++)
        free(l->cols[c].name);
    free(l->cols);
    free(l->hash);
    memset(l, 0, sizeof *l);
}

/* --- codebook ---------------------------------------------------------------- */

/* "1=Yes; 2=No" for the choices of q (default language). */
static void choice_labels(struct cati_buf *b, const struct cati_question *q)
{
    for (int c = 0; c < q->nchoices; c++)
        cati_buf_addf(b, "%s%ld=%s", c ? "; " : "", q->choices[c].code,
                script_choice_label(&q->choices[c], 0));
}

/* The sample field column ci holds (ref, name, service, agency, district, or a
 * declared field), or NULL when it holds none. */
static const char *sample_field(const struct xlayout *l, int ci)
{
    static const struct { enum xid id; const char *field; } std[] = {
        {XID_REF, "ref"},         {XID_NAME, "name"},         {XID_SERVICE, "service"},
        {XID_AGENCY, "agency"},   {XID_DISTRICT, "district"}};
    if (l->cols[ci].field >= 0)
        return l->fields[l->cols[ci].field];
    for (size_t i = 0; i < sizeof std / sizeof std[0]; i++)
        if (l->idcol[std[i].id] == ci)
            return std[i].field;
    return NULL;
}

/* The `labels` of a sample field, every code of every version (the newest
 * version's label first): "cid_new=New CID card (dz: …); census_transfer=…",
 * with each other language that gives a translation in parentheses. */
static void field_labels(struct cati_buf *b, const struct xlayout *l, const char *field)
{
    int n = 0;
    for (int v = 0; v < l->nscripts; v++) {
        const struct cati_script *s = l->scripts[v];
        for (int i = 0; i < s->nlabels; i++) {
            const struct cati_label *lb = &s->labels[i];
            if (strcasecmp(lb->field, field))
                continue;
            int seen = 0; /* labelled by a newer version */
            for (int w = 0; w < v && !seen; w++)
                for (int k = 0; k < l->scripts[w]->nlabels && !seen; k++)
                    seen = !strcasecmp(l->scripts[w]->labels[k].field, field) &&
                           !strcmp(l->scripts[w]->labels[k].code, lb->code);
            if (seen)
                continue;
            cati_buf_addf(b, "%s%s=%s", n++ ? "; " : "", lb->code, lb->label[0] ? lb->label[0] : lb->code);
            int open = 0;
            for (int g = 1; g < s->nlangs && g < CATI_MAX_LANGS; g++)
                if (lb->label[g])
                    cati_buf_addf(b, "%s%s: %s", open++ ? ", " : " (", s->languages[g], lb->label[g]);
            if (open)
                cati_buf_addf(b, ")");
        }
    }
}

int xcodebook_row(const struct xlayout *l, int ci, char *row[XCODEBOOK_NCOLS])
{
    const struct xcol *c = &l->cols[ci];
    struct cati_buf f[XCODEBOOK_NCOLS];
    memset(f, 0, sizeof f);
    cati_buf_addf(&f[0], "%s", c->name);
    if (c->var < 0) {
        cati_buf_addf(&f[2], "%s", c->label);
        cati_buf_addf(&f[3], "%s", c->type == XT_INT ? "integer" : c->type == XT_TIME ? "datetime" : "string");
        const char *field = sample_field(l, ci);
        if (field)
            field_labels(&f[5], l, field);
        if (ci == l->idcol[XID_AAPOR]) {
            const char *const *codes = disposition_codes();
            for (int k = 0; codes[k]; k++)
                cati_buf_addf(&f[5], "%s%s=%s", k ? "; " : "", codes[k], disposition_meaning(codes[k]));
        }
    } else if (c->status) {
        const struct xvar *x = &l->vars[c->var];
        cati_buf_addf(&f[1], "%s", x->name);
        cati_buf_addf(&f[2], "Status of the answer to %s: answered, dk (don't know) or rf (refused); "
                             "empty = not asked", x->name);
        cati_buf_addf(&f[3], "status");
        cati_buf_addf(&f[4], "answered,dk,rf");
        cati_buf_addf(&f[5], "answered=answered; dk=don't know; rf=refused");
        if (!x->q->nodk)
            cati_buf_addf(&f[6], "dk");
        if (!x->q->norf)
            cati_buf_addf(&f[7], "rf");
        cati_buf_addf(&f[9], "%s", x->versions);
    } else {
        const struct xvar *x = &l->vars[c->var];
        const struct cati_question *q = x->q;
        cati_buf_addf(&f[1], "%s", x->name);
        cati_buf_addf(&f[2], "%s", script_question_text(q, 0));
        cati_buf_addf(&f[3], "%s", script_qtype_name(q->type));
        switch (q->type) {
        case QTYPE_SINGLE:
            for (int k = 0; k < q->nchoices; k++)
                cati_buf_addf(&f[4], "%s%ld", k ? "," : "", q->choices[k].code);
            choice_labels(&f[5], q);
            break;
        case QTYPE_MULTI: {
            const struct cati_choice *ch = script_choice(q, c->code);
            cati_buf_addf(&f[2], ": %s", ch ? script_choice_label(ch, 0) : "(a choice of an older version)");
            cati_buf_addf(&f[4], "0,1");
            cati_buf_addf(&f[5], "0=not chosen; 1=chosen");
            break;
        }
        case QTYPE_SCALE:
        case QTYPE_NUMBER:
            cati_buf_addf(&f[4], "%ld..%ld", q->lo, q->hi);
            choice_labels(&f[5], q);
            break;
        case QTYPE_TEXT:
            cati_buf_addf(&f[4], "text, at most %d characters", q->maxlen);
            break;
        case QTYPE_DATE:
            cati_buf_addf(&f[4], "YYYY-MM-DD");
            break;
        }
        /* how DK and RF show in this column: -8 / -9, or (the value cell
         * left empty, or NULL in the SQLite file) by NAME_status */
        if (x->status_col >= 0) {
            if (!q->nodk)
                cati_buf_addf(&f[6], "%s=dk", l->cols[x->status_col].name);
            if (!q->norf)
                cati_buf_addf(&f[7], "%s=rf", l->cols[x->status_col].name);
        } else {
            if (!q->nodk)
                cati_buf_addf(&f[6], "-8");
            if (!q->norf)
                cati_buf_addf(&f[7], "-9");
        }
        if (q->measures >= 0 && q->measures < x->s->nparameters)
            cati_buf_addf(&f[8], "%s", x->s->parameters[q->measures]);
        cati_buf_addf(&f[9], "%s", x->versions);
    }
    int ok = 1;
    for (int i = 0; i < XCODEBOOK_NCOLS; i++)
        if (!(row[i] = cati_buf_take(&f[i])))
            ok = 0;
    if (!ok) {
        for (int i = 0; i < XCODEBOOK_NCOLS; i++) {
            free(row[i]);
            row[i] = NULL;
        }
        return -1;
    }
    return 0;
}
