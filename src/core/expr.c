/* Expressions: recursive-descent parser, name resolution and type checks
 * (at load), and evaluation with the missing-value rules (at interview).
 *
 *   expr    = and { "or" and }
 *   and     = unary { "and" unary }
 *   unary   = "not" unary | compare
 *   compare = value [ relop value | [ "not" ] "in" "(" literal { "," literal } ")" ]
 *   value   = INT | STRING | NAME | NAME "(" args ")" | "(" expr ")"
 */
#include "cati/expr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/util.h"
#include "script_int.h"

static const char *const reserved[] = {"and", "or", "not", "in", "has", "answered", "dk", "rf", NULL};

int expr_reserved(const char *w)
{
    for (int i = 0; reserved[i]; i++)
        if (!strcmp(reserved[i], w))
            return 1;
    return 0;
}

void expr_free(struct cati_expr *e)
{
    if (!e)
        return;
    expr_free(e->a);
    expr_free(e->b);
    for (int i = 0; i < e->nlist; i++)
        expr_free(e->list[i]);
    free(e->list);
    free(e->str);
    free(e);
}

/* --- parsing ---------------------------------------------------------------- */

static struct cati_expr *node(struct parser *p, enum expr_op op, const struct token *t)
{
    struct cati_expr *e = calloc(1, sizeof *e);
    if (!e) {
        p->oom = 1;
        return NULL;
    }
    e->op = op;
    e->line = t->line;
    e->col = t->col;
    e->q = -1;
    return e;
}

static int expect_fail(struct parser *p, const char *what)
{
    const struct token *t = tok_peek(p);
    if (t->kind == TK_BAD)
        return -1; /* already reported by the lexer */
    char buf[64];
    diag_add(p, t->line, t->col, "expected %s, got %s", what, tok_describe(t, buf, sizeof buf));
    return -1;
}

static struct cati_expr *parse_or(struct parser *p);

/* Parsing, checking and evaluating recurse once per level: a limit keeps a
 * hostile script (100,000 parentheses) a clear error, not a stack overflow. */
#define EXPR_MAX_DEPTH 1000

static int too_deep(struct parser *p, const struct token *t)
{
    if (p->depth < EXPR_MAX_DEPTH)
        return 0;
    diag_add(p, t->line, t->col, "expression too deeply nested: more than %d levels of "
                                 "parentheses, 'not', 'and' and 'or'", EXPR_MAX_DEPTH);
    return 1;
}

static struct cati_expr *parse_name_arg(struct parser *p)
{
    const struct token *t = tok_peek(p);
    if (t->kind != TK_IDENT || expr_reserved(t->text)) {
        expect_fail(p, "a question name");
        return NULL;
    }
    tok_next(p);
    struct cati_expr *e = node(p, EXPR_QUESTION, t);
    if (e && !(e->str = cati_strdup(t->text))) {
        p->oom = 1;
        free(e);
        return NULL;
    }
    return e;
}

static struct cati_expr *parse_call(struct parser *p, const struct token *name)
{
    enum expr_op op = !strcmp(name->text, "has") ? EXPR_HAS
                    : !strcmp(name->text, "answered") ? EXPR_ANSWERED
                    : !strcmp(name->text, "dk") ? EXPR_DK : EXPR_RF;
    tok_next(p); /* the name */
    tok_next(p); /* ( */
    struct cati_expr *e = node(p, op, name);
    if (!e)
        return NULL;
    if (!(e->a = parse_name_arg(p)))
        goto fail;
    if (op == EXPR_HAS) {
        if (tok_peek(p)->kind != TK_COMMA) {
            expect_fail(p, "',' and a code: has(QUESTION, CODE)");
            goto fail;
        }
        tok_next(p);
        const struct token *c = tok_peek(p);
        if (c->kind != TK_INT) {
            expect_fail(p, "a choice code");
            goto fail;
        }
        tok_next(p);
        if (!(e->b = node(p, EXPR_INT, c)))
            goto fail;
        e->b->num = c->num;
        e->b->type = ETYPE_INT;
        e->num = c->num;
    }
    if (tok_peek(p)->kind != TK_RP) {
        expect_fail(p, op == EXPR_HAS ? "')'" : "')': these functions take one question");
        goto fail;
    }
    tok_next(p);
    e->type = ETYPE_BOOL;
    return e;
fail:
    expr_free(e);
    return NULL;
}

static struct cati_expr *parse_value(struct parser *p)
{
    const struct token *t = tok_peek(p);
    struct cati_expr *e = NULL;
    switch (t->kind) {
    case TK_INT:
        tok_next(p);
        if ((e = node(p, EXPR_INT, t))) {
            e->num = t->num;
            e->type = ETYPE_INT;
        }
        return e;
    case TK_STR:
        tok_next(p);
        if ((e = node(p, EXPR_STR, t))) {
            e->type = ETYPE_STR;
            if (!(e->str = cati_strdup(t->text))) {
                p->oom = 1;
                free(e);
                return NULL;
            }
        }
        return e;
    case TK_LP:
        if (too_deep(p, t))
            return NULL;
        tok_next(p);
        p->depth++;
        e = parse_or(p);
        p->depth--;
        if (!e)
            return NULL;
        e->line = t->line; /* errors about a parenthesised part point at its '(' */
        e->col = t->col;
        if (tok_peek(p)->kind != TK_RP) {
            expect_fail(p, "')'");
            expr_free(e);
            return NULL;
        }
        tok_next(p);
        return e;
    case TK_IDENT:
        if (tok_peek2(p)->kind == TK_LP) {
            if (!strcmp(t->text, "has") || !strcmp(t->text, "answered") || !strcmp(t->text, "dk") ||
                !strcmp(t->text, "rf"))
                return parse_call(p, t);
            diag_add(p, t->line, t->col, "unknown function '%s': use has(), answered(), dk() or rf()",
                     t->text);
            return NULL;
        }
        if (expr_reserved(t->text)) {
            if (!strcmp(t->text, "has") || !strcmp(t->text, "answered") || !strcmp(t->text, "dk") ||
                !strcmp(t->text, "rf"))
                diag_add(p, t->line, t->col, "'%s' needs parentheses: %s(QUESTION%s)", t->text,
                         t->text, !strcmp(t->text, "has") ? ", CODE" : "");
            else
                expect_fail(p, "a value");
            return NULL;
        }
        return parse_name_arg(p);
    default:
        expect_fail(p, "a value (a number, a \"string\" or a name)");
        return NULL;
    }
}

static enum expr_op relop(enum tok_kind k)
{
    switch (k) {
    case TK_EQ: return EXPR_EQ;
    case TK_NE: return EXPR_NE;
    case TK_LT: return EXPR_LT;
    case TK_LE: return EXPR_LE;
    case TK_GT: return EXPR_GT;
    case TK_GE: return EXPR_GE;
    default: return EXPR_INT; /* not a relation */
    }
}

static struct cati_expr *parse_in(struct parser *p, struct cati_expr *left, const struct token *at)
{
    struct cati_expr *e = node(p, EXPR_IN, at);
    if (!e) {
        expr_free(left);
        return NULL;
    }
    e->a = left;
    e->line = left->line;
    e->col = left->col;
    e->type = ETYPE_BOOL;
    if (tok_peek(p)->kind != TK_LP) {
        expect_fail(p, "'(' after 'in': x in (1, 2)");
        goto fail;
    }
    tok_next(p);
    for (;;) {
        const struct token *t = tok_peek(p);
        if (t->kind != TK_INT && t->kind != TK_STR) {
            expect_fail(p, "a number or a \"string\" in the list");
            goto fail;
        }
        struct cati_expr *v = parse_value(p);
        if (!v)
            goto fail;
        struct cati_expr **nl = realloc(e->list, (size_t)(e->nlist + 1) * sizeof *nl);
        if (!nl) {
            p->oom = 1;
            expr_free(v);
            goto fail;
        }
        e->list = nl;
        e->list[e->nlist++] = v;
        if (tok_peek(p)->kind == TK_COMMA) {
            tok_next(p);
            continue;
        }
        if (tok_peek(p)->kind == TK_RP) {
            tok_next(p);
            return e;
        }
        expect_fail(p, "',' or ')'");
        goto fail;
    }
fail:
    expr_free(e);
    return NULL;
}

static struct cati_expr *parse_compare(struct parser *p)
{
    struct cati_expr *left = parse_value(p);
    if (!left)
        return NULL;
    const struct token *t = tok_peek(p);
    if (tok_is_word(t, "in")) {
        tok_next(p);
        return parse_in(p, left, t);
    }
    if (tok_is_word(t, "not") && tok_is_word(tok_peek2(p), "in")) {
        tok_next(p);
        tok_next(p);
        struct cati_expr *in = parse_in(p, left, t);
        if (!in)
            return NULL;
        struct cati_expr *n = node(p, EXPR_NOT, t);
        if (!n) {
            expr_free(in);
            return NULL;
        }
        n->a = in;
        n->line = in->line;
        n->col = in->col;
        n->type = ETYPE_BOOL;
        return n;
    }
    enum expr_op op = relop(t->kind);
    if (op == EXPR_INT)
        return left;
    tok_next(p);
    struct cati_expr *right = parse_value(p);
    if (!right) {
        expr_free(left);
        return NULL;
    }
    struct cati_expr *e = node(p, op, t);
    if (!e) {
        expr_free(left);
        expr_free(right);
        return NULL;
    }
    e->a = left;
    e->b = right;
    e->type = ETYPE_BOOL;
    const struct token *u = tok_peek(p);
    if (relop(u->kind) != EXPR_INT) {
        diag_add(p, u->line, u->col, "comparisons do not chain: write 'a < b and b < c'");
        expr_free(e);
        return NULL;
    }
    return e;
}

static struct cati_expr *parse_unary(struct parser *p)
{
    const struct token *t = tok_peek(p);
    if (tok_is_word(t, "not")) {
        if (too_deep(p, t))
            return NULL;
        tok_next(p);
        p->depth++;
        struct cati_expr *a = parse_unary(p);
        p->depth--;
        if (!a)
            return NULL;
        struct cati_expr *e = node(p, EXPR_NOT, t);
        if (!e) {
            expr_free(a);
            return NULL;
        }
        e->a = a;
        e->type = ETYPE_BOOL;
        return e;
    }
    return parse_compare(p);
}

static struct cati_expr *parse_chain(struct parser *p, const char *word, enum expr_op op,
                                     struct cati_expr *(*sub)(struct parser *))
{
    struct cati_expr *left = sub(p);
    int terms = 0; /* each term makes the (left-deep) tree one level deeper */
    while (left && tok_is_word(tok_peek(p), word)) {
        if (too_deep(p, tok_peek(p))) {
            expr_free(left);
            left = NULL;
            break;
        }
        const struct token *t = tok_next(p);
        p->depth++;
        terms++;
        struct cati_expr *right = sub(p);
        struct cati_expr *e = right ? node(p, op, t) : NULL;
        if (!e) {
            expr_free(left);
            expr_free(right);
            left = NULL;
            break;
        }
        e->a = left;
        e->b = right;
        e->type = ETYPE_BOOL;
        e->line = left->line;
        e->col = left->col;
        left = e;
    }
    p->depth -= terms;
    return left;
}

static struct cati_expr *parse_and(struct parser *p)
{
    return parse_chain(p, "and", EXPR_AND, parse_unary);
}

static struct cati_expr *parse_or(struct parser *p)
{
    return parse_chain(p, "or", EXPR_OR, parse_and);
}

struct cati_expr *expr_parse(struct parser *p)
{
    return parse_or(p);
}

/* --- checking ----------------------------------------------------------------- */

struct chk {
    struct parser *p;
    struct cati_script *s;
    int cur, self_ok;
};

static const char *type_word(enum expr_type t)
{
    switch (t) {
    case ETYPE_BOOL: return "a condition";
    case ETYPE_INT: return "a number";
    case ETYPE_STR: return "text";
    case ETYPE_DATE: return "a date";
    case ETYPE_SET: return "a multi answer";
    case ETYPE_FIELD: return "a respondent field";
    }
    return "?";
}

static int err_at(struct chk *c, const struct cati_expr *e, const char *fmt, const char *a,
                  const char *b)
{
    diag_add(c->p, e->line, e->col, fmt, a, b);
    return -1;
}

/* Resolve a name node to a question (q, type) or a respondent field. */
static int resolve_name(struct chk *c, struct cati_expr *e, int question_only)
{
    int qi = script_find_question(c->s, e->str);
    if (qi >= 0) {
        const struct cati_question *q = &c->s->questions[qi];
        char line[16];
        snprintf(line, sizeof line, "%d", q->line);
        if (qi > c->cur)
            return err_at(c, e, "'%s' is asked later (line %s): only earlier questions can be used",
                          e->str, line);
        if (qi == c->cur && !c->self_ok)
            return err_at(c, e, "'%s' cannot be used in its own 'ask if': it is not answered yet%s",
                          e->str, "");
        e->op = EXPR_QUESTION;
        e->q = qi;
        switch (q->type) {
        case QTYPE_SINGLE: case QTYPE_SCALE: case QTYPE_NUMBER: e->type = ETYPE_INT; break;
        case QTYPE_TEXT: e->type = ETYPE_STR; break;
        case QTYPE_DATE: e->type = ETYPE_DATE; break;
        case QTYPE_MULTI: e->type = ETYPE_SET; break;
        }
        return 0;
    }
    if (script_has_field(c->s, e->str)) {
        if (question_only)
            return err_at(c, e, "'%s' is a respondent field: this needs a question%s", e->str, "");
        e->op = EXPR_FIELD;
        e->type = ETYPE_FIELD;
        return 0;
    }
    return err_at(c, e, "unknown name '%s': not a question or a respondent field%s", e->str,
                  " (declare extra fields with 'fields')");
}

static void codes_list(const struct cati_question *q, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < q->nchoices && o + 24 < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%ld", i ? ", " : "", q->choices[i].code);
}

/* Is literal v a possible answer of question q (for =, !=, in)? */
static int check_code(struct chk *c, const struct cati_expr *qe, const struct cati_expr *v)
{
    const struct cati_question *q = &c->s->questions[qe->q];
    char a[96], b[192];
    if (q->type == QTYPE_SINGLE || q->type == QTYPE_MULTI) {
        if (script_choice(q, v->num))
            return 0;
        char codes[160];
        codes_list(q, codes, sizeof codes);
        snprintf(a, sizeof a, "%ld", v->num);
        snprintf(b, sizeof b, "'%s' (its codes are %s)", q->name, codes);
        return err_at(c, v, "code %s is not a choice of %s", a, b);
    }
    if ((q->type == QTYPE_SCALE || q->type == QTYPE_NUMBER) && (v->num < q->lo || v->num > q->hi)) {
        snprintf(a, sizeof a, "%ld", v->num);
        snprintf(b, sizeof b, "'%s' (%s %ld to %ld)", q->name, script_qtype_name(q->type), q->lo, q->hi);
        return err_at(c, v, "%s is out of the range of %s", a, b);
    }
    return 0;
}

static int chk(struct chk *c, struct cati_expr *e);

static int want_bool(struct chk *c, struct cati_expr *e)
{
    if (chk(c, e) < 0)
        return -1;
    if (e->type != ETYPE_BOOL)
        return err_at(c, e, "expected a condition such as 'q = 1', not %s%s", type_word(e->type), "");
    return 0;
}

/* Check a value operand of a comparison. */
static int want_value(struct chk *c, struct cati_expr *e)
{
    if (chk(c, e) < 0)
        return -1;
    if (e->type == ETYPE_BOOL)
        return err_at(c, e, "a condition cannot be compared%s%s: use and/or", "", "");
    if (e->type == ETYPE_SET)
        return err_at(c, e, "'%s' is a multi question: use has(%s, CODE)", e->str, e->str);
    return 0;
}

static int date_literal(struct chk *c, struct cati_expr *lit)
{
    int y, m, d;
    if (lit->op == EXPR_STR && cati_parse_date(lit->str, &y, &m, &d) == 0) {
        lit->type = ETYPE_DATE;
        return 0;
    }
    return err_at(c, lit, "'%s' is not a date: write \"YYYY-MM-DD\"%s", lit->op == EXPR_STR ? lit->str : "?", "");
}

/* Can a value of type x be compared with one of type y (op is the relation)? */
static int compatible(struct chk *c, struct cati_expr *cmp, struct cati_expr *x, struct cati_expr *y)
{
    enum expr_type tx = x->type, ty = y->type;
    if (tx == ETYPE_FIELD || ty == ETYPE_FIELD)
        return 0; /* fields are text; compared with a number they must hold a whole number */
    if (tx == ETYPE_INT && ty == ETYPE_INT)
        return 0;
    if (tx == ETYPE_DATE && ty == ETYPE_DATE)
        return 0;
    if (tx == ETYPE_DATE && ty == ETYPE_STR && y->op == EXPR_STR)
        return date_literal(c, y);
    if (ty == ETYPE_DATE && tx == ETYPE_STR && x->op == EXPR_STR)
        return date_literal(c, x);
    if (tx == ETYPE_STR && ty == ETYPE_STR) {
        if (cmp->op != EXPR_EQ && cmp->op != EXPR_NE && cmp->op != EXPR_IN &&
            (x->op == EXPR_QUESTION || y->op == EXPR_QUESTION))
            return err_at(c, cmp, "text answers can only be compared with = or != %s%s", "", "");
        return 0;
    }
    return err_at(c, y, "cannot compare %s with %s", type_word(tx), type_word(ty));
}

static int chk(struct chk *c, struct cati_expr *e)
{
    switch (e->op) {
    case EXPR_INT:
    case EXPR_STR:
        return 0;
    case EXPR_QUESTION:
    case EXPR_FIELD:
        return resolve_name(c, e, 0);
    case EXPR_EQ: case EXPR_NE: case EXPR_LT: case EXPR_LE: case EXPR_GT: case EXPR_GE: {
        int ra = want_value(c, e->a), rb = want_value(c, e->b);
        if (ra < 0 || rb < 0)
            return -1;
        if (compatible(c, e, e->a, e->b) < 0)
            return -1;
        if (e->op == EXPR_EQ || e->op == EXPR_NE) {
            if (e->a->op == EXPR_QUESTION && e->b->op == EXPR_INT)
                return check_code(c, e->a, e->b);
            if (e->b->op == EXPR_QUESTION && e->a->op == EXPR_INT)
                return check_code(c, e->b, e->a);
        }
        return 0;
    }
    case EXPR_IN: {
        if (want_value(c, e->a) < 0)
            return -1;
        int bad = 0;
        for (int i = 0; i < e->nlist; i++) {
            struct cati_expr *v = e->list[i];
            if (compatible(c, e, e->a, v) < 0) {
                bad = 1;
                continue;
            }
            if (e->a->op == EXPR_QUESTION && v->op == EXPR_INT && check_code(c, e->a, v) < 0)
                bad = 1;
        }
        return bad ? -1 : 0;
    }
    case EXPR_AND:
    case EXPR_OR: {
        int ra = want_bool(c, e->a), rb = want_bool(c, e->b);
        return ra < 0 || rb < 0 ? -1 : 0;
    }
    case EXPR_NOT:
        return want_bool(c, e->a);
    case EXPR_HAS: case EXPR_ANSWERED: case EXPR_DK: case EXPR_RF: {
        if (resolve_name(c, e->a, 1) < 0)
            return -1;
        e->q = e->a->q;
        const struct cati_question *q = &c->s->questions[e->q];
        if (e->op == EXPR_HAS) {
            if (q->type != QTYPE_MULTI)
                return err_at(c, e->a, "has() needs a multi question: '%s' is %s", q->name,
                              script_qtype_name(q->type));
            return check_code(c, e->a, e->b);
        }
        if (e->op == EXPR_DK && q->nodk)
            return err_at(c, e->a, "'%s' has nodk: dk(%s) can never hold", q->name, q->name);
        if (e->op == EXPR_RF && q->norf)
            return err_at(c, e->a, "'%s' has norf: rf(%s) can never hold", q->name, q->name);
        return 0;
    }
    }
    return 0;
}

int expr_check(struct parser *p, struct cati_script *s, struct cati_expr *e, int cur, int self_ok)
{
    struct chk c = {p, s, cur, self_ok};
    return want_bool(&c, e);
}

/* --- evaluation ---------------------------------------------------------------- */

struct val {
    int missing;
    int is_int;
    long n;
    const char *s;
};

static struct val value_of(const struct cati_expr *e, const struct expr_env *env)
{
    struct val v = {0, 0, 0, NULL};
    switch (e->op) {
    case EXPR_INT:
        v.is_int = 1;
        v.n = e->num;
        return v;
    case EXPR_STR:
        v.s = e->str;
        return v;
    case EXPR_QUESTION: {
        const char *val = NULL;
        if (env->answer(env->ctx, e->q, &val) != ANS_VALUE || !val) {
            v.missing = 1;
            return v;
        }
        if (e->type == ETYPE_INT) {
            v.is_int = 1;
            if (cati_parse_long(val, &v.n) < 0)
                v.missing = 1;
        } else {
            v.s = val;
        }
        return v;
    }
    case EXPR_FIELD:
        v.s = env->field ? env->field(env->ctx, e->str) : NULL;
        if (!v.s)
            v.missing = 1;
        return v;
    default:
        v.missing = 1;
        return v;
    }
}

/* Compare two present values: <0, 0, >0; *ok = 0 when not comparable
 * (a field that is not a whole number compared with a number). */
static int compare(struct val a, struct val b, int *ok)
{
    *ok = 1;
    if (a.is_int != b.is_int) {
        struct val *t = a.is_int ? &b : &a;
        if (cati_parse_long(t->s, &t->n) < 0) {
            *ok = 0;
            return 0;
        }
        t->is_int = 1;
    }
    if (a.is_int)
        return a.n < b.n ? -1 : a.n > b.n;
    int r = strcmp(a.s, b.s);
    return r < 0 ? -1 : r > 0;
}

static int has_code(const char *list, long code)
{
    const char *p = list;
    while (*p) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p)
            return 0;
        if (v == code)
            return 1;
        p = *end == ',' ? end + 1 : end;
    }
    return 0;
}

int expr_eval(const struct cati_expr *e, const struct expr_env *env, int *missing)
{
    int dummy = 0;
    if (!missing)
        missing = &dummy;
    switch (e->op) {
    case EXPR_AND:
        return expr_eval(e->a, env, missing) && expr_eval(e->b, env, missing);
    case EXPR_OR:
        return expr_eval(e->a, env, missing) || expr_eval(e->b, env, missing);
    case EXPR_NOT:
        return !expr_eval(e->a, env, missing);
    case EXPR_EQ: case EXPR_NE: case EXPR_LT: case EXPR_LE: case EXPR_GT: case EXPR_GE: {
        struct val a = value_of(e->a, env), b = value_of(e->b, env);
        if (a.missing || b.missing) {
            *missing = 1;
            return 0;
        }
        int ok, r = compare(a, b, &ok);
        if (!ok) {
            *missing = 1;
            return 0;
        }
        switch (e->op) {
        case EXPR_EQ: return r == 0;
        case EXPR_NE: return r != 0;
        case EXPR_LT: return r < 0;
        case EXPR_LE: return r <= 0;
        case EXPR_GT: return r > 0;
        default: return r >= 0;
        }
    }
    case EXPR_IN: {
        struct val a = value_of(e->a, env);
        if (a.missing) {
            *missing = 1;
            return 0;
        }
        for (int i = 0; i < e->nlist; i++) {
            int ok;
            if (compare(a, value_of(e->list[i], env), &ok) == 0 && ok)
                return 1;
        }
        return 0;
    }
    case EXPR_HAS: {
        const char *val = NULL;
        if (env->answer(env->ctx, e->q, &val) != ANS_VALUE || !val) {
            *missing = 1;
            return 0;
        }
        return has_code(val, e->num);
    }
    case EXPR_ANSWERED:
    case EXPR_DK:
    case EXPR_RF: {
        const char *val = NULL;
        enum cati_astatus st = env->answer(env->ctx, e->q, &val);
        return st == (e->op == EXPR_ANSWERED ? ANS_VALUE : e->op == EXPR_DK ? ANS_DK : ANS_RF);
    }
    default:
        return 0; /* a bare value is not a condition (the checker refuses it) */
    }
}

/* --- formatting -------------------------------------------------------------- */

struct fbuf {
    char *b;
    size_t size, len;
};

static void put(struct fbuf *f, const char *s)
{
    size_t n = strlen(s);
    if (f->size == 0)
        return;
    if (f->len + n >= f->size)
        n = f->size - 1 - f->len;
    memcpy(f->b + f->len, s, n);
    f->len += n;
    f->b[f->len] = '\0';
}

static const char *op_text(enum expr_op op)
{
    switch (op) {
    case EXPR_EQ: return " = ";
    case EXPR_NE: return " != ";
    case EXPR_LT: return " < ";
    case EXPR_LE: return " <= ";
    case EXPR_GT: return " > ";
    case EXPR_GE: return " >= ";
    case EXPR_AND: return " and ";
    case EXPR_OR: return " or ";
    default: return " ? ";
    }
}

static void fmt(struct fbuf *f, const struct cati_expr *e)
{
    char num[32];
    switch (e->op) {
    case EXPR_INT:
        snprintf(num, sizeof num, "%ld", e->num);
        put(f, num);
        break;
    case EXPR_STR:
        put(f, "\"");
        put(f, e->str);
        put(f, "\"");
        break;
    case EXPR_QUESTION:
    case EXPR_FIELD:
        put(f, e->str);
        break;
    case EXPR_AND:
    case EXPR_OR:
        put(f, "(");
        fmt(f, e->a);
        put(f, op_text(e->op));
        fmt(f, e->b);
        put(f, ")");
        break;
    case EXPR_NOT:
        put(f, "not ");
        fmt(f, e->a);
        break;
    case EXPR_IN:
        fmt(f, e->a);
        put(f, " in (");
        for (int i = 0; i < e->nlist; i++) {
            if (i)
                put(f, ", ");
            fmt(f, e->list[i]);
        }
        put(f, ")");
        break;
    case EXPR_HAS:
        put(f, "has(");
        fmt(f, e->a);
        snprintf(num, sizeof num, ", %ld)", e->num);
        put(f, num);
        break;
    case EXPR_ANSWERED:
    case EXPR_DK:
    case EXPR_RF:
        put(f, e->op == EXPR_ANSWERED ? "answered(" : e->op == EXPR_DK ? "dk(" : "rf(");
        fmt(f, e->a);
        put(f, ")");
        break;
    default:
        fmt(f, e->a);
        put(f, op_text(e->op));
        fmt(f, e->b);
        break;
    }
}

char *expr_format(const struct cati_expr *e, char *buf, size_t size)
{
    struct fbuf f = {buf, size, 0};
    if (size)
        buf[0] = '\0';
    fmt(&f, e);
    return buf;
}
