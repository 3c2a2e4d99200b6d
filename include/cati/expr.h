#ifndef CATI_EXPR_H
#define CATI_EXPR_H
/* Expressions of the questionnaire language (`ask if`, `goto … if`,
 * `end … if`, `check`, `warn`, `flag … if`). Parsed and type-checked by
 * script_parse(); evaluated here against the answers so far.
 *
 * Semantics: a comparison, `in` or `has()` that involves a missing value
 * (question not asked, don't know, refused; respondent field unset or, when
 * compared with a number, not a whole number) is false, `!=` included; `not`
 * simply negates; `and`/`or` are the usual ones; answered(Q) = Q has a value
 * (not DK/RF/not asked), dk(Q) / rf(Q) = Q was answered don't know / refused. */

#include "cati/script.h"

enum expr_op {
    EXPR_INT, EXPR_STR, EXPR_QUESTION, EXPR_FIELD,
    EXPR_EQ, EXPR_NE, EXPR_LT, EXPR_LE, EXPR_GT, EXPR_GE,
    EXPR_AND, EXPR_OR, EXPR_NOT, EXPR_IN,
    EXPR_HAS, EXPR_ANSWERED, EXPR_DK, EXPR_RF
};

/* Static type of an expression, fixed by the checker. */
enum expr_type { ETYPE_BOOL, ETYPE_INT, ETYPE_STR, ETYPE_DATE, ETYPE_SET, ETYPE_FIELD };

struct cati_expr {
    enum expr_op op;
    enum expr_type type;
    int line, col;             /* where it starts in the source */
    long num;                  /* EXPR_INT; EXPR_HAS: the code */
    char *str;                 /* EXPR_STR text; EXPR_FIELD / EXPR_QUESTION name */
    int q;                     /* EXPR_QUESTION/HAS/ANSWERED/DK/RF: question index */
    struct cati_expr *a, *b;   /* operands (EXPR_NOT: a only; EXPR_IN: a = left) */
    struct cati_expr **list;   /* EXPR_IN: the values */
    int nlist;
};

/* What an expression reads while it is evaluated. */
struct expr_env {
    const struct cati_script *script;
    /* Answer of question qi: status, and the canonical value when ANS_VALUE. */
    enum cati_astatus (*answer)(const void *ctx, int qi, const char **value);
    /* Respondent field, NULL when unset. */
    const char *(*field)(const void *ctx, const char *name);
    const void *ctx;
};

/* Evaluate a boolean expression: 1 true, 0 false. When missing is not NULL
 * it is set to 1 if a comparison / in / has() read a missing value (the
 * engine does not fire a check or warn in that case). */
int expr_eval(const struct cati_expr *e, const struct expr_env *env, int *missing);

void expr_free(struct cati_expr *e);

/* Append e in source syntax to buf (for messages and tests); returns buf. */
char *expr_format(const struct cati_expr *e, char *buf, size_t size);

#endif
