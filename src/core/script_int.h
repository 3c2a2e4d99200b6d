#ifndef CATI_SCRIPT_INT_H
#define CATI_SCRIPT_INT_H
/* Internals shared by script_lex.c, script.c and expr.c: tokens, the parser
 * state and the diagnostics helpers. Not a public header. */

#include <stddef.h>

#include "cati/expr.h"
#include "cati/script.h"

enum tok_kind {
    TK_EOF, TK_NL, TK_IDENT, TK_INT, TK_STR,
    TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE, TK_LP, TK_RP, TK_COMMA,
    TK_BAD /* a lexical error was reported for this line: skip the statement */
};

struct token {
    enum tok_kind kind;
    int line, col;      /* 1-based; col in characters */
    const char *raw;    /* start in the source */
    size_t rawlen;      /* bytes in the source */
    long num;           /* TK_INT */
    char *text;         /* TK_IDENT / TK_STR: NUL-terminated, unescaped (malloc'd, lexer frees) */
};

struct lexer {
    struct token *toks;
    int n, cap;
    int oom;
};

/* Parser state, shared by the statement parser and the expression parser. */
struct parser {
    const char *file;
    const char *src;
    size_t len;
    struct lexer lx;
    int pos;                    /* next token */
    struct script_diags *diags;
    struct script_diags own;    /* used when the caller passed no diags */
    int nerrors;
    int oom;
    int depth;                  /* expression nesting: parentheses, not, and/or terms */
};

/* Tokenise src into p->lx, reporting lexical errors to p. 0 or -1 (oom). */
int lex_all(struct parser *p);
void lex_free(struct lexer *lx);

/* Record an error at line:col (printf style). */
void diag_add(struct parser *p, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Record a warning: shown, but it does not make the script fail. */
void diag_warn(struct parser *p, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Token helpers. */
const struct token *tok_peek(const struct parser *p);
const struct token *tok_peek2(const struct parser *p); /* the one after */
const struct token *tok_next(struct parser *p);
int tok_is_word(const struct token *t, const char *w);
const char *tok_describe(const struct token *t, char *buf, size_t size);

/* Expression parsing (expr.c): parse an expression at p->pos; returns NULL
 * after reporting an error (the caller skips to the end of the line). */
struct cati_expr *expr_parse(struct parser *p);

/* Resolve names and type-check e as a condition inside question `cur`.
 * self_ok: the question's own answer may be used. Reports errors to p;
 * returns 0 if e is fine. */
int expr_check(struct parser *p, struct cati_script *s, struct cati_expr *e, int cur, int self_ok);

/* 1 if w is reserved by the expression syntax (and, or, not, in, has, …). */
int expr_reserved(const char *w);

/* Add question qi to the name index of s (after it was appended). 0 or -1 (oom). */
int script_index_add(struct cati_script *s, int qi);

/* Characters (code points) in the first n bytes of s. */
int utf8_chars(const char *s, size_t n);

#endif
