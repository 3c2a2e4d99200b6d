/* The questionnaire language: statement parser (pass 1) and the checker that
 * resolves every name once all questions are known (pass 2). Every error is
 * collected with its line and column; parsing goes on at the next line, so
 * one run reports all the errors it can find. See cati-script(5). */
#include "cati/script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/expr.h"
#include "cati/util.h"
#include "script_int.h"

/* A goto target or a fill, resolved in pass 2. */
struct pend_jump {
    int qi, ji;
    char name[CATI_NAME_MAX];
    int line, col;
};

struct pend_fill {
    int qi, self_ok;
    const char *raw; /* the string token, quotes included */
    size_t rawlen;
    int line, col;
};

struct build {
    struct parser p;
    struct cati_script *s;
    int have_survey, have_langs, have_params, have_fields;
    int cur;              /* question being built, -1 before the first */
    int skip_block;       /* the question line was bad: skip its statements quietly */
    int text_bad;         /* a `text` statement of this block had an error */
    int choice_bad;       /* a `choice` statement of this block had an error */
    int ask_line, measures_line;
    int qcol;             /* column of the current question's name */
    int text_line[CATI_MAX_LANGS];
    struct pend_jump *jumps;
    int njumps;
    struct pend_fill *fills;
    int nfills;
    long *excl_col;       /* per exclusive code of the current question: line<<16|col */
    struct pend_jump *labf; /* field names of `labels` lines, checked in pass 2 */
    int nlabf;
};

/* Grow *arr (of n elements of elem bytes) to hold one more; returns the new
 * slot (zeroed) or NULL on out of memory. */
static void *push(struct build *b, void *arrp, int *n, size_t elem)
{
    void **arr = arrp;
    int k = *n;
    if (k == 0 || (k >= 4 && (k & (k - 1)) == 0)) {
        size_t cap = k ? (size_t)k * 2 : 4;
        void *na = realloc(*arr, cap * elem);
        if (!na) {
            b->p.oom = 1;
            return NULL;
        }
        *arr = na;
    }
    char *slot = (char *)*arr + (size_t)k * elem;
    memset(slot, 0, elem);
    (*n)++;
    return slot;
}

static char *dup(struct build *b, const char *s)
{
    char *d = cati_strdup(s);
    if (!d)
        b->p.oom = 1;
    return d;
}

static void skip_line(struct parser *p)
{
    while (tok_peek(p)->kind != TK_NL && tok_peek(p)->kind != TK_EOF)
        tok_next(p);
    if (tok_peek(p)->kind == TK_NL)
        tok_next(p);
}

/* Report "expected WHAT, got X" at the next token (quietly if the lexer
 * already reported it). Returns -1. */
static int expected(struct build *b, const char *what)
{
    const struct token *t = tok_peek(&b->p);
    if (t->kind != TK_BAD) {
        char buf[64];
        diag_add(&b->p, t->line, t->col, "expected %s, got %s", what, tok_describe(t, buf, sizeof buf));
    }
    return -1;
}

static const struct token *want_ident(struct build *b, const char *what)
{
    const struct token *t = tok_peek(&b->p);
    if (t->kind != TK_IDENT) {
        expected(b, what);
        return NULL;
    }
    return tok_next(&b->p);
}

static const struct token *want_int(struct build *b, const char *what)
{
    const struct token *t = tok_peek(&b->p);
    if (t->kind != TK_INT) {
        expected(b, what);
        return NULL;
    }
    return tok_next(&b->p);
}

static const struct token *want_str(struct build *b, const char *what)
{
    const struct token *t = tok_peek(&b->p);
    if (t->kind != TK_STR) {
        expected(b, what);
        return NULL;
    }
    return tok_next(&b->p);
}

static int at_eol(struct build *b)
{
    enum tok_kind k = tok_peek(&b->p)->kind;
    return k == TK_NL || k == TK_EOF;
}

static struct cati_question *curq(struct build *b)
{
    return &b->s->questions[b->cur];
}

static void add_fill(struct build *b, const struct token *t, int self_ok)
{
    struct pend_fill *f = push(b, &b->fills, &b->nfills, sizeof *f);
    if (!f)
        return;
    f->qi = b->cur;
    f->self_ok = self_ok;
    f->raw = t->raw;
    f->rawlen = t->rawlen;
    f->line = t->line;
    f->col = t->col;
}

/* --- header statements ------------------------------------------------------- */

static int name_taken(struct build *b, const char *w, const struct token *t, const char *what)
{
    if (expr_reserved(w)) {
        diag_add(&b->p, t->line, t->col, "'%s' is a reserved word and cannot name a %s", w, what);
        return 1;
    }
    return 0;
}

static int st_survey(struct build *b, const struct token *kw)
{
    if (b->have_survey) {
        diag_add(&b->p, kw->line, kw->col, "a second 'survey' line: a script describes one survey");
        return -1;
    }
    b->have_survey = 1;
    const struct token *n = want_ident(b, "the survey name (letters, digits, _)");
    if (!n)
        return -1;
    free(b->s->name);
    b->s->name = dup(b, n->text);
    if (tok_peek(&b->p)->kind == TK_STR) {
        free(b->s->title);
        b->s->title = dup(b, tok_next(&b->p)->text);
    }
    if (tok_is_word(tok_peek(&b->p), "version")) {
        tok_next(&b->p);
        const struct token *v = want_int(b, "a version number");
        if (!v)
            return -1;
        if (v->num < 1) {
            diag_add(&b->p, v->line, v->col, "version must be 1 or more");
            return -1;
        }
        b->s->version = v->num;
    }
    return 0;
}

static int before_questions(struct build *b, const struct token *kw)
{
    if (b->cur >= 0) {
        diag_add(&b->p, kw->line, kw->col, "'%s' belongs in the header, before the first question",
                 kw->text);
        return -1;
    }
    return 0;
}

static int languages_list(struct build *b, const struct token *kw);

static int st_languages(struct build *b, const struct token *kw)
{
    int rc = languages_list(b, kw);
    if (b->s->nlangs == 0) { /* keep a language so later checks can name one */
        b->s->languages[0] = dup(b, "en");
        b->s->nlangs = 1;
    }
    return rc;
}

static int languages_list(struct build *b, const struct token *kw)
{
    if (before_questions(b, kw) < 0)
        return -1;
    if (b->have_langs) {
        diag_add(&b->p, kw->line, kw->col, "a second 'languages' line: list them all on one");
        return -1;
    }
    b->have_langs = 1;
    struct cati_script *s = b->s;
    for (int i = 0; i < s->nlangs; i++) {
        free(s->languages[i]);
        s->languages[i] = NULL;
    }
    s->nlangs = 0;
    if (at_eol(b))
        return expected(b, "language codes, e.g. 'languages en dz'");
    while (!at_eol(b)) {
        const struct token *t = want_ident(b, "a language code");
        if (!t)
            return -1;
        if (script_find_language(s, t->text) >= 0) {
            diag_add(&b->p, t->line, t->col, "language '%s' is listed twice", t->text);
            continue;
        }
        if (s->nlangs == CATI_MAX_LANGS) {
            diag_add(&b->p, t->line, t->col, "too many languages (at most %d)", CATI_MAX_LANGS);
            return -1;
        }
        s->languages[s->nlangs++] = dup(b, t->text);
    }
    return 0;
}

static int name_list(struct build *b, const struct token *kw, char ***arr, int *n, const char *what,
                     int is_field)
{
    if (before_questions(b, kw) < 0)
        return -1;
    int *have = is_field ? &b->have_fields : &b->have_params;
    if (*have) {
        diag_add(&b->p, kw->line, kw->col, "a second '%s' line: list them all on one", kw->text);
        return -1;
    }
    *have = 1;
    if (at_eol(b))
        return expected(b, what);
    while (!at_eol(b)) {
        const struct token *t = want_ident(b, what);
        if (!t)
            return -1;
        if (name_taken(b, t->text, t, is_field ? "field" : "parameter"))
            continue;
        char why[128];
        if (is_field && script_varname_problem(t->text, 0, why, sizeof why)) {
            diag_add(&b->p, t->line, t->col, "field name '%s' %s (analysts' files need names SPSS and Stata accept)",
                     t->text, why);
            continue;
        }
        int dupl = 0;
        for (int i = 0; i < *n; i++)
            dupl |= !strcmp((*arr)[i], t->text);
        if (is_field)
            if (script_standard_field(t->text)) {
                diag_add(&b->p, t->line, t->col, "'%s' is a standard field: it needs no declaring",
                         t->text);
                dupl = -1;
            }
        if (dupl > 0)
            diag_add(&b->p, t->line, t->col, "'%s' is listed twice", t->text);
        if (dupl)
            continue;
        char **slot = push(b, arr, n, sizeof *slot);
        if (slot)
            *slot = dup(b, t->text);
    }
    return 0;
}

/* labels FIELD CODE "label" [LANG "label"]... [CODE "label" [LANG "label"]...]...
 * A word naming a declared language after a label gives its translation. */
static int st_labels(struct build *b, const struct token *kw)
{
    if (before_questions(b, kw) < 0)
        return -1;
    const struct token *f = want_ident(b, "a respondent field name, e.g. labels service cid_new \"New CID card\"");
    if (!f)
        return -1;
    struct pend_jump *pf = push(b, &b->labf, &b->nlabf, sizeof *pf);
    if (!pf)
        return -1;
    cati_strlcpy(pf->name, f->text, sizeof pf->name);
    pf->line = f->line;
    pf->col = f->col;
    if (at_eol(b))
        return expected(b, "a code and its label, e.g. cid_new \"New CID card\"");
    struct cati_label *cur = NULL;
    while (!at_eol(b)) {
        const struct token *c = tok_peek(&b->p);
        if (c->kind == TK_IDENT && cur && script_find_language(b->s, c->text) >= 0 &&
            tok_peek2(&b->p)->kind == TK_STR) {
            tok_next(&b->p);
            int li = script_find_language(b->s, c->text);
            const struct token *t = tok_next(&b->p);
            if (cur->label[li]) {
                diag_add(&b->p, c->line, c->col, "code '%s' already has a label in '%s'", cur->code,
                         c->text);
                return -1;
            }
            cur->label[li] = dup(b, t->text);
            continue;
        }
        if (c->kind != TK_IDENT && c->kind != TK_INT)
            return expected(b, "a sample code (letters, digits, _)");
        tok_next(&b->p);
        char code[CATI_NAME_MAX];
        size_t n = c->rawlen < sizeof code ? c->rawlen : sizeof code - 1;
        memcpy(code, c->raw, n);
        code[n] = '\0';
        for (int i = 0; i < b->s->nlabels; i++) {
            const struct cati_label *o = &b->s->labels[i];
            if (!strcmp(o->field, f->text) && !strcmp(o->code, code)) {
                diag_add(&b->p, c->line, c->col, "duplicate label for %s code '%s' (first at line %d)",
                         f->text, code, o->line);
                return -1;
            }
        }
        const struct token *lab = want_str(b, "the label in double quotes");
        if (!lab)
            return -1;
        cur = push(b, &b->s->labels, &b->s->nlabels, sizeof *cur);
        if (!cur)
            return -1;
        cur->field = dup(b, f->text);
        cur->code = dup(b, code);
        cur->label[0] = dup(b, lab->text);
        cur->line = c->line;
        cur->col = c->col;
    }
    return 0;
}

/* --- question blocks -------------------------------------------------------- */

static const char *const qtype_names[] = {"single", "multi", "scale", "number", "text", "date"};

static void finish_question(struct build *b);

static int st_question(struct build *b, const struct token *kw)
{
    if (b->cur >= 0)
        finish_question(b);
    b->skip_block = 1; /* until the line parses */
    b->text_bad = b->choice_bad = 0;
    b->ask_line = b->measures_line = 0;
    memset(b->text_line, 0, sizeof b->text_line);
    const struct token *n = want_ident(b, "a question name");
    if (!n)
        return -1;
    if (name_taken(b, n->text, n, "question"))
        return -1;
    const struct token *t = want_ident(b, "a question type: single, multi, scale, number, text or date");
    if (!t)
        return -1;
    int type = -1;
    for (int i = 0; i < 6; i++)
        if (!strcmp(t->text, qtype_names[i]))
            type = i;
    if (type < 0) {
        diag_add(&b->p, t->line, t->col,
                 "unknown question type '%s': use single, multi, scale, number, text or date", t->text);
        return -1;
    }
    long lo = 0, hi = 0, maxlen = CATI_TEXT_DEFAULT;
    if (type == QTYPE_SCALE || type == QTYPE_NUMBER) {
        const struct token *a = want_int(b, type == QTYPE_SCALE ? "the scale's range, e.g. 'scale 1 5'"
                                                                : "the range, e.g. 'number 0 365'");
        if (!a)
            return -1;
        const struct token *z = want_int(b, "the upper end of the range");
        if (!z)
            return -1;
        lo = a->num;
        hi = z->num;
        if (lo >= hi && !(type == QTYPE_NUMBER && lo == hi)) {
            diag_add(&b->p, z->line, z->col, "the range %ld to %ld is empty: write LOW HIGH", lo, hi);
            return -1;
        }
        if (type == QTYPE_SCALE && hi - lo > 100) {
            diag_add(&b->p, z->line, z->col, "a scale has at most 101 points: use 'number' for wider ranges");
            return -1;
        }
    } else if (type == QTYPE_TEXT && tok_peek(&b->p)->kind == TK_INT) {
        const struct token *m = tok_next(&b->p);
        if (m->num < 1 || m->num > 100000) {
            diag_add(&b->p, m->line, m->col, "text length must be 1 to 100000 characters");
            return -1;
        }
        maxlen = m->num;
    }
    struct cati_script *s = b->s;
    int prev = script_find_question(s, n->text);
    if (prev >= 0)
        diag_add(&b->p, n->line, n->col, "duplicate question '%s' (first at line %d)", n->text,
                 s->questions[prev].line);
    else if (script_has_field(s, n->text))
        diag_add(&b->p, n->line, n->col,
                 "'%s' is a respondent field: choose another name for the question", n->text);
    struct cati_question *q = push(b, &s->questions, &s->nquestions, sizeof *q);
    if (!q)
        return -1;
    q->name = dup(b, n->text);
    q->index = s->nquestions - 1;
    q->type = type;
    q->lo = lo;
    q->hi = hi;
    q->maxlen = (int)maxlen;
    q->measures = -1;
    q->line = kw->line;
    if (q->name && script_index_add(s, q->index) < 0)
        b->p.oom = 1;
    b->qcol = n->col;
    b->cur = q->index;
    b->skip_block = 0;
    return 0;
}

static int lang_of(struct build *b, const struct token *t)
{
    int li = script_find_language(b->s, t->text);
    if (li < 0) {
        if (b->have_langs)
            diag_add(&b->p, t->line, t->col, "language '%s' is not declared in 'languages'", t->text);
        else
            diag_add(&b->p, t->line, t->col,
                     "language '%s' is not declared: add 'languages en %s' to the header", t->text,
                     t->text);
    }
    return li;
}

/* A draft translation must be of a translation: not the first language. */
static int draft_lang(struct build *b, const struct token *at, const char *lang, int li)
{
    if (li == 0) {
        diag_add(&b->p, at->line, at->col,
                 "'%s' is the first language, the master text: only a translation can be a draft", lang);
        return -1;
    }
    return 0;
}

/* `draft LANG ...`: every text in these languages is a draft translation. */
static int st_draft(struct build *b, const struct token *kw)
{
    if (before_questions(b, kw) < 0)
        return -1;
    if (at_eol(b))
        return expected(b, "the languages whose translation is a draft, e.g. 'draft dz'");
    int rc = 0;
    while (!at_eol(b)) {
        const struct token *t = want_ident(b, "a language code");
        if (!t)
            return -1;
        int li = lang_of(b, t);
        if (li < 0 || draft_lang(b, t, t->text, li) < 0)
            rc = -1;
        else
            b->s->draft[li] = 1;
    }
    return rc;
}

static int st_text(struct build *b)
{
    const struct token *l = want_ident(b, "a language code, e.g. text en \"…\"");
    if (!l)
        return -1;
    int li = lang_of(b, l);
    const struct token *d = tok_peek(&b->p);
    int draft = tok_is_word(d, "draft");
    if (draft) {
        tok_next(&b->p);
        if (li >= 0 && draft_lang(b, d, l->text, li) < 0)
            return -1;
    }
    const struct token *t = want_str(b, "the question text in double quotes");
    if (!t || li < 0)
        return -1;
    struct cati_question *q = curq(b);
    if (draft)
        q->text_draft[li] = 1;
    if (q->text[li]) { /* a second line in the same language continues the text */
        size_t a = strlen(q->text[li]), c = strlen(t->text);
        char *n = realloc(q->text[li], a + c + 2);
        if (!n) {
            b->p.oom = 1;
            return -1;
        }
        n[a] = '\n';
        memcpy(n + a + 1, t->text, c + 1);
        q->text[li] = n;
    } else {
        q->text[li] = dup(b, t->text);
        b->text_line[li] = t->line;
    }
    add_fill(b, t, 0);
    return 0;
}

static int st_choice(struct build *b, const struct token *kw)
{
    struct cati_question *q = curq(b);
    if (q->type != QTYPE_SINGLE && q->type != QTYPE_MULTI && q->type != QTYPE_SCALE) {
        diag_add(&b->p, kw->line, kw->col, "'choice' is for single, multi and scale questions; '%s' is %s",
                 q->name, qtype_names[q->type]);
        return -1;
    }
    const struct token *c = want_int(b, "a choice code, e.g. choice 1 \"Yes\"");
    if (!c)
        return -1;
    if (c->num < 0) {
        diag_add(&b->p, c->line, c->col, "choice codes are 0 or more (exports use -8 and -9 for don't know and refused)");
        return -1;
    }
    if (q->type == QTYPE_SCALE && (c->num < q->lo || c->num > q->hi)) {
        diag_add(&b->p, c->line, c->col, "%ld is outside the scale %ld to %ld", c->num, q->lo, q->hi);
        return -1;
    }
    const struct cati_choice *old = script_choice(q, c->num);
    if (old) {
        diag_add(&b->p, c->line, c->col, "duplicate choice code %ld (first at line %d)", c->num, old->line);
        return -1;
    }
    const struct token *lab = want_str(b, "the choice label in double quotes");
    if (!lab)
        return -1;
    struct cati_choice *ch = push(b, &q->choices, &q->nchoices, sizeof *ch);
    if (!ch)
        return -1;
    ch->code = c->num;
    ch->line = c->line;
    ch->label[0] = dup(b, lab->text);
    add_fill(b, lab, 0);
    while (!at_eol(b)) {
        const struct token *l = want_ident(b, "a language code and a label, e.g. dz \"…\"");
        if (!l)
            return -1;
        int li = lang_of(b, l);
        const struct token *t = want_str(b, "the label in double quotes");
        if (!t || li < 0)
            return -1;
        if (ch->label[li]) {
            diag_add(&b->p, l->line, l->col, "choice %ld already has a label in '%s'", c->num, l->text);
            return -1;
        }
        ch->label[li] = dup(b, t->text);
        add_fill(b, t, 0);
    }
    return 0;
}

static int st_exclusive(struct build *b, const struct token *kw)
{
    struct cati_question *q = curq(b);
    if (q->type != QTYPE_MULTI) {
        diag_add(&b->p, kw->line, kw->col, "'exclusive' is for multi questions; '%s' is %s", q->name,
                 qtype_names[q->type]);
        return -1;
    }
    if (at_eol(b))
        return expected(b, "the code that stands alone, e.g. exclusive 9");
    while (!at_eol(b)) {
        const struct token *c = want_int(b, "a choice code");
        if (!c)
            return -1;
        int n = q->nexclusive;
        long *slot = push(b, &q->exclusive, &q->nexclusive, sizeof *slot);
        long *pos = push(b, &b->excl_col, &n, sizeof *pos);
        if (!slot || !pos)
            return -1;
        *slot = c->num;
        *pos = ((long)c->line << 16) | (c->col & 0xFFFF);
    }
    return 0;
}

/* `if EXPR` (optional when opt) to the end of the line. */
static int cond_tail(struct build *b, struct cati_expr **out, int opt)
{
    *out = NULL;
    if (opt && at_eol(b))
        return 0;
    if (!tok_is_word(tok_peek(&b->p), "if"))
        return expected(b, opt ? "'if' and a condition, or the end of the line" : "'if' and a condition");
    tok_next(&b->p);
    *out = expr_parse(&b->p);
    return *out ? 0 : -1;
}

static int st_ask(struct build *b, const struct token *kw)
{
    struct cati_question *q = curq(b);
    if (b->ask_line) {
        diag_add(&b->p, kw->line, kw->col, "a second 'ask if' (first at line %d): combine them with and",
                 b->ask_line);
        return -1;
    }
    struct cati_expr *e;
    if (cond_tail(b, &e, 0) < 0)
        return -1;
    q->ask_if = e;
    b->ask_line = kw->line;
    return 0;
}

static int st_jump(struct build *b, const struct token *kw, int is_goto)
{
    struct cati_question *q = curq(b);
    const struct token *t = want_ident(b, is_goto ? "the question to go to" :
                                       "an outcome: complete, refusal, ineligible, appointment or breakoff");
    if (!t)
        return -1;
    enum cati_end outcome = END_NONE;
    if (!is_goto && (outcome = script_end_parse(t->text)) == END_NONE) {
        diag_add(&b->p, t->line, t->col,
                 "unknown outcome '%s': use complete, refusal, ineligible, appointment or breakoff", t->text);
        return -1;
    }
    struct cati_expr *e;
    if (cond_tail(b, &e, 1) < 0)
        return -1;
    struct cati_jump *j = push(b, &q->jumps, &q->njumps, sizeof *j);
    if (!j) {
        expr_free(e);
        return -1;
    }
    j->target = -1;
    j->outcome = outcome;
    j->cond = e;
    j->line = kw->line;
    j->col = kw->col;
    if (is_goto) {
        struct pend_jump *pj = push(b, &b->jumps, &b->njumps, sizeof *pj);
        if (!pj)
            return -1;
        pj->qi = b->cur;
        pj->ji = q->njumps - 1;
        cati_strlcpy(pj->name, t->text, sizeof pj->name);
        pj->line = t->line;
        pj->col = t->col;
    }
    return 0;
}

static int st_check(struct build *b, const struct token *kw, int hard)
{
    struct cati_question *q = curq(b);
    struct cati_expr *e = expr_parse(&b->p);
    if (!e)
        return -1;
    const struct token *m = want_str(b, "the message in double quotes after the condition");
    if (!m) {
        expr_free(e);
        return -1;
    }
    struct cati_check *c = push(b, &q->checks, &q->nchecks, sizeof *c);
    if (!c) {
        expr_free(e);
        return -1;
    }
    c->hard = hard;
    c->cond = e;
    c->message = dup(b, m->text);
    c->line = kw->line;
    c->col = kw->col;
    add_fill(b, m, 1);
    return 0;
}

static int st_measures(struct build *b, const struct token *kw)
{
    struct cati_question *q = curq(b);
    const struct token *t = want_ident(b, "a parameter name");
    if (!t)
        return -1;
    if (b->measures_line) {
        diag_add(&b->p, kw->line, kw->col, "a second 'measures' (first at line %d)", b->measures_line);
        return -1;
    }
    int pi = script_find_parameter(b->s, t->text);
    if (pi < 0) {
        diag_add(&b->p, t->line, t->col, "parameter '%s' is not declared in 'parameters'", t->text);
        return -1;
    }
    /* every question type may measure a parameter (DESIGN): scale and
     * number give a mean, single a share, the others a count of answers */
    q->measures = pi;
    b->measures_line = kw->line;
    return 0;
}

static int st_flag(struct build *b)
{
    struct cati_question *q = curq(b);
    const struct token *t = want_ident(b, "the kind of flag, e.g. flag complaint if …");
    if (!t)
        return -1;
    for (int i = 0; i < q->nflags; i++)
        if (!strcmp(q->flags[i].kind, t->text)) {
            diag_add(&b->p, t->line, t->col, "flag '%s' is raised twice by '%s': combine the conditions with or",
                     t->text, q->name);
            return -1;
        }
    struct cati_expr *e;
    if (cond_tail(b, &e, 1) < 0)
        return -1;
    struct cati_flag *f = push(b, &q->flags, &q->nflags, sizeof *f);
    if (!f) {
        expr_free(e);
        return -1;
    }
    f->kind = dup(b, t->text);
    f->cond = e;
    f->line = t->line;
    f->col = t->col;
    return 0;
}

static void finish_question(struct build *b)
{
    if (b->cur < 0 || b->skip_block)
        return;
    struct cati_question *q = curq(b);
    int col = b->qcol;
    /* a multi question's columns are NAME_CODE; a text or date question
     * has NAME_status beside its column (the export's status of DK/RF) */
    size_t suffix = q->type == QTYPE_TEXT || q->type == QTYPE_DATE ? strlen("_status") : 0;
    for (int c = 0; q->type == QTYPE_MULTI && c < q->nchoices; c++) {
        char s[32];
        size_t n = (size_t)snprintf(s, sizeof s, "_%ld", q->choices[c].code);
        suffix = n > suffix ? n : suffix;
    }
    char why[128];
    if (script_varname_problem(q->name, suffix, why, sizeof why))
        diag_add(&b->p, q->line, col, "question name '%s' %s (analysts' files need names SPSS and Stata accept)",
                 q->name, why);
    if (!b->text_bad) {
        int any = 0;
        for (int i = 0; i < b->s->nlangs; i++)
            any |= q->text[i] != NULL;
        if (!any)
            diag_add(&b->p, q->line, col, "question '%s' is empty: it needs a text (text %s \"…\")", q->name,
                     b->s->languages[0]);
        else
            for (int i = 0; i < b->s->nlangs; i++) {
                if (q->text[i])
                    continue;
                /* The default language is required; a missing translation
                 * falls back to it (DESIGN's own example has one). */
                if (i == 0)
                    diag_add(&b->p, q->line, col, "question '%s' has no text in '%s'", q->name,
                             b->s->languages[i]);
                else
                    diag_warn(&b->p, q->line, col,
                              "question '%s' has no text in '%s': the '%s' text will be read",
                              q->name, b->s->languages[i], b->s->languages[0]);
            }
    }
    if (!b->choice_bad) {
        if ((q->type == QTYPE_SINGLE || q->type == QTYPE_MULTI) && q->nchoices == 0)
            diag_add(&b->p, q->line, col, "question '%s' has no choices", q->name);
        int nex = 0;
        for (int i = 0; i < q->nchoices; i++)
            for (int e = 0; e < q->nexclusive; e++)
                if (q->choices[i].code == q->exclusive[e]) {
                    nex++;
                    break;
                }
        if (q->type == QTYPE_MULTI && q->nchoices && nex == q->nchoices)
            diag_add(&b->p, q->line, col, "every choice of '%s' is exclusive", q->name);
    }
    for (int i = 0; i < q->nexclusive; i++) {
        int line = (int)(b->excl_col[i] >> 16), c = (int)(b->excl_col[i] & 0xFFFF);
        if (!script_choice(q, q->exclusive[i]))
            diag_add(&b->p, line, c, "exclusive code %ld is not a choice of '%s'", q->exclusive[i], q->name);
        for (int j = 0; j < i; j++)
            if (q->exclusive[j] == q->exclusive[i])
                diag_add(&b->p, line, c, "exclusive code %ld is listed twice", q->exclusive[i]);
    }
}

/* --- pass 1: statements ------------------------------------------------------- */

static int statement(struct build *b)
{
    struct parser *p = &b->p;
    const struct token *kw = tok_peek(p);
    if (kw->kind == TK_BAD)
        return -1;
    if (kw->kind != TK_IDENT)
        return expected(b, "a statement (survey, languages, question, text, choice, …)");
    tok_next(p);
    const char *w = kw->text;
    if (!b->have_survey && strcmp(w, "survey")) {
        diag_add(p, kw->line, kw->col, "the script must start with 'survey NAME \"title\" version N'");
        b->have_survey = 1; /* say it once */
    }
    if (!strcmp(w, "survey"))
        return st_survey(b, kw);
    if (!strcmp(w, "languages"))
        return st_languages(b, kw);
    if (!strcmp(w, "parameters"))
        return name_list(b, kw, &b->s->parameters, &b->s->nparameters, "parameter names", 0);
    if (!strcmp(w, "fields"))
        return name_list(b, kw, &b->s->fields, &b->s->nfields, "field names", 1);
    if (!strcmp(w, "labels"))
        return st_labels(b, kw);
    if (!strcmp(w, "draft"))
        return st_draft(b, kw);
    if (!strcmp(w, "question"))
        return st_question(b, kw);
    static const char *const block[] = {"text", "choice", "exclusive", "ask", "goto", "end", "check",
                                        "warn", "nodk", "norf", "measures", "flag", "personal", NULL};
    int in_block = 0;
    for (int i = 0; block[i]; i++)
        in_block |= !strcmp(block[i], w);
    if (!in_block) {
        diag_add(p, kw->line, kw->col, "unknown statement '%s'", w);
        return -1;
    }
    if (b->skip_block)
        return -2;
    if (b->cur < 0) {
        diag_add(p, kw->line, kw->col, "'%s' outside a question block: start one with 'question NAME TYPE'", w);
        return -1;
    }
    if (!strcmp(w, "text"))
        return st_text(b);
    if (!strcmp(w, "choice"))
        return st_choice(b, kw);
    if (!strcmp(w, "exclusive"))
        return st_exclusive(b, kw);
    if (!strcmp(w, "ask"))
        return st_ask(b, kw);
    if (!strcmp(w, "goto") || !strcmp(w, "end"))
        return st_jump(b, kw, w[0] == 'g');
    if (!strcmp(w, "check") || !strcmp(w, "warn"))
        return st_check(b, kw, w[0] == 'c');
    if (!strcmp(w, "nodk") || !strcmp(w, "norf")) {
        struct cati_question *q = curq(b);
        if (w[2] == 'd')
            q->nodk = 1;
        else
            q->norf = 1;
        /* `nodk norf` on one line */
        if (tok_is_word(tok_peek(p), w[2] == 'd' ? "norf" : "nodk")) {
            tok_next(p);
            q->nodk = q->norf = 1;
        }
        return 0;
    }
    if (!strcmp(w, "measures"))
        return st_measures(b, kw);
    if (!strcmp(w, "personal")) { /* the answer identifies the respondent */
        curq(b)->personal = 1;
        return 0;
    }
    return st_flag(b);
}

/* --- pass 2: names, gotos, expressions, fills ------------------------------------ */

static void check_fill(struct build *b, const struct pend_fill *f)
{
    const char *r = f->raw + 1, *end = f->raw + f->rawlen - 1;
    const char *seen = r; /* col is the column of seen: counted on, so long texts stay linear */
    int col = f->col + 1;
    while (r < end) {
        if (*r != '{' && *r != '}') {
            r++;
            continue;
        }
        col += utf8_chars(seen, (size_t)(r - seen));
        seen = r;
        if (*r == '}' && r + 1 < end && r[1] == '}') {
            r += 2;
            continue;
        }
        if (*r == '}') {
            diag_add(&b->p, f->line, col, "a lone '}': write '}}' for a brace");
            r++;
            continue;
        }
        if (r + 1 < end && r[1] == '{') {
            r += 2;
            continue;
        }
        const char *close = memchr(r, '}', (size_t)(end - r));
        if (!close) {
            diag_add(&b->p, f->line, col, "unclosed fill '{': write {name}, or '{{' for a brace");
            return;
        }
        char name[CATI_NAME_MAX];
        size_t n = (size_t)(close - r - 1);
        if (n == 0 || n >= sizeof name) {
            diag_add(&b->p, f->line, col, "a fill needs a name: {name}");
            r = close + 1;
            continue;
        }
        memcpy(name, r + 1, n);
        name[n] = '\0';
        int qi = script_find_question(b->s, name);
        if (qi >= 0 && (qi < f->qi || (qi == f->qi && f->self_ok)))
            ;
        else if (qi >= 0)
            diag_add(&b->p, f->line, col + 1, "fill {%s}: %s", name,
                     qi == f->qi ? "a question cannot fill its own text" : "that question is asked later");
        else if (!script_has_field(b->s, name))
            diag_add(&b->p, f->line, col + 1,
                     "unknown fill {%s}: not a question or a respondent field", name);
        r = close + 1;
    }
}

static void pass2(struct build *b)
{
    struct cati_script *s = b->s;
    for (int i = 0; i < b->njumps; i++) {
        struct pend_jump *pj = &b->jumps[i];
        struct cati_jump *j = &s->questions[pj->qi].jumps[pj->ji];
        int t = script_find_question(s, pj->name);
        if (t < 0)
            diag_add(&b->p, pj->line, pj->col, "goto: unknown question '%s'", pj->name);
        else if (t <= pj->qi)
            diag_add(&b->p, pj->line, pj->col, "goto must go forward: '%s' is at line %d, before this",
                     pj->name, s->questions[t].line);
        else
            j->target = t;
    }
    for (int qi = 0; qi < s->nquestions; qi++) {
        struct cati_question *q = &s->questions[qi];
        if (q->ask_if)
            expr_check(&b->p, s, q->ask_if, qi, 0);
        for (int i = 0; i < q->njumps; i++)
            if (q->jumps[i].cond)
                expr_check(&b->p, s, q->jumps[i].cond, qi, 1);
        for (int i = 0; i < q->nchecks; i++)
            expr_check(&b->p, s, q->checks[i].cond, qi, 1);
        for (int i = 0; i < q->nflags; i++)
            if (q->flags[i].cond)
                expr_check(&b->p, s, q->flags[i].cond, qi, 1);
    }
    for (int i = 0; i < b->nfills; i++)
        check_fill(b, &b->fills[i]);
    for (int i = 0; i < b->nlabf; i++) {
        const struct pend_jump *f = &b->labf[i];
        if (script_find_question(s, f->name) >= 0)
            diag_add(&b->p, f->line, f->col,
                     "labels: '%s' is a question, not a respondent field (its choices are its labels)",
                     f->name);
        else if (!script_has_field(s, f->name))
            diag_add(&b->p, f->line, f->col,
                     "labels: unknown respondent field '%s' (declare it with 'fields')", f->name);
    }
}

/* Stable insertion sort by line, then column (at most a few hundred). */
static void diags_sort(struct script_diag *d, int n)
{
    for (int i = 1; i < n; i++) {
        struct script_diag k = d[i];
        int j = i - 1;
        while (j >= 0 && (d[j].line > k.line || (d[j].line == k.line && d[j].col > k.col))) {
            d[j + 1] = d[j];
            j--;
        }
        d[j + 1] = k;
    }
}

struct cati_script *script_parse(const char *file, const char *src, size_t len,
                                 struct script_diags *diags)
{
    struct build b;
    memset(&b, 0, sizeof b);
    b.cur = -1;
    b.p.file = file ? file : "";
    b.p.src = src;
    b.p.len = len;
    b.p.diags = diags ? diags : &b.p.own;
    int first_diag = b.p.diags->n;
    struct cati_script *s = calloc(1, sizeof *s);
    if (!s) {
        diag_add(&b.p, 0, 0, "out of memory");
        return NULL;
    }
    b.s = s;
    s->version = 1;
    s->file = dup(&b, b.p.file);
    s->source = malloc(len + 1);
    if (s->source) {
        memcpy(s->source, src, len);
        s->source[len] = '\0';
        s->source_len = len;
    } else {
        b.p.oom = 1;
    }
    s->title = dup(&b, "");
    s->languages[0] = dup(&b, "en");
    s->nlangs = 1;
    if (!b.p.oom && lex_all(&b.p) == 0) {
        while (tok_peek(&b.p)->kind != TK_EOF && !b.p.oom) {
            if (tok_peek(&b.p)->kind == TK_NL) {
                tok_next(&b.p);
                continue;
            }
            int before = b.p.nerrors;
            const struct token *kw = tok_peek(&b.p);
            int is_text = tok_is_word(kw, "text"), is_choice = tok_is_word(kw, "choice");
            int rc = statement(&b);
            if (rc == 0 && !at_eol(&b)) {
                const struct token *t = tok_peek(&b.p);
                if (t->kind != TK_BAD) {
                    char buf[64];
                    diag_add(&b.p, t->line, t->col, "unexpected %s at the end of the statement",
                             tok_describe(t, buf, sizeof buf));
                }
                rc = -1;
            }
            if (rc == -1 || b.p.nerrors > before) {
                b.text_bad |= is_text;
                b.choice_bad |= is_choice;
            }
            if (kw->kind == TK_BAD) /* a lexical error on the first word of the line */
                b.text_bad = b.choice_bad = 1;
            skip_line(&b.p);
        }
        if (b.cur >= 0)
            finish_question(&b);
        if (!b.have_survey)
            diag_add(&b.p, 1, 1, "the script must start with 'survey NAME \"title\" version N'");
        else if (s->nquestions == 0 && b.p.nerrors == 0)
            diag_add(&b.p, 1, 1, "the script has no questions");
        pass2(&b); /* even after syntax errors: report all the errors at once */
    }
    if (b.p.oom)
        diag_add(&b.p, 0, 0, "out of memory");
    lex_free(&b.p.lx);
    free(b.jumps);
    free(b.fills);
    free(b.excl_col);
    free(b.labf);
    struct script_diags *d = b.p.diags;
    if (d->n > first_diag)
        diags_sort(d->items + first_diag, d->n - first_diag);
    int failed = b.p.nerrors > 0 || b.p.oom;
    if (!diags)
        script_diags_free(&b.p.own);
    if (failed) {
        script_free(s);
        return NULL;
    }
    return s;
}
