/* The lexer of the questionnaire language: the whole source into tokens,
 * line by line. Columns count characters (code points), so carets line up
 * under Dzongkha text too. Each lexical error is reported once per line and
 * leaves a TK_BAD token so the parser skips the statement quietly. */
#include "script_int.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIAG_CAP 200

static void diag_vadd(struct parser *p, int warning, int line, int col, const char *fmt, va_list ap)
{
    struct script_diags *d = p->diags;
    if (warning)
        d->nwarnings++;
    else
        p->nerrors++;
    if (d->n >= DIAG_CAP) {
        d->dropped++;
        return;
    }
    if (d->n == d->cap) {
        int ncap = d->cap ? d->cap * 2 : 16;
        struct script_diag *ni = realloc(d->items, (size_t)ncap * sizeof *ni);
        if (!ni) {
            p->oom = 1;
            d->dropped++;
            return;
        }
        d->items = ni;
        d->cap = ncap;
    }
    struct script_diag *g = &d->items[d->n++];
    g->line = line;
    g->col = col;
    g->warning = warning;
    vsnprintf(g->msg, sizeof g->msg, fmt, ap);
}

void diag_add(struct parser *p, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(p, 0, line, col, fmt, ap);
    va_end(ap);
}

void diag_warn(struct parser *p, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(p, 1, line, col, fmt, ap);
    va_end(ap);
}

/* Decode one UTF-8 sequence at s (n bytes left). Returns its length, or 0
 * if it is not valid (overlong, surrogate, beyond U+10FFFF, truncated). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned cp, min;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

int utf8_chars(const char *s, size_t n)
{
    int chars = 0;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_len((const unsigned char *)s + i, n - i);
        i += l ? l : 1;
        chars++;
    }
    return chars;
}

static struct token *emit(struct parser *p, enum tok_kind k, int line, int col, const char *raw,
                          size_t rawlen)
{
    struct lexer *lx = &p->lx;
    if (lx->n == lx->cap) {
        int ncap = lx->cap ? lx->cap * 2 : 256;
        struct token *nt = realloc(lx->toks, (size_t)ncap * sizeof *nt);
        if (!nt) {
            lx->oom = p->oom = 1;
            return NULL;
        }
        lx->toks = nt;
        lx->cap = ncap;
    }
    struct token *t = &lx->toks[lx->n++];
    memset(t, 0, sizeof *t);
    t->kind = k;
    t->line = line;
    t->col = col;
    t->raw = raw;
    t->rawlen = rawlen;
    return t;
}

struct lexstate {
    struct parser *p;
    const unsigned char *s;
    size_t n, i;
    int line, col;
    int line_error; /* a lexical error was reported on this line */
};

static void lex_error(struct lexstate *ls, int col, const char *fmt, const char *arg)
{
    if (ls->line_error)
        return;
    ls->line_error = 1;
    diag_add(ls->p, ls->line, col, fmt, arg);
}

/* Advance over one character (any valid sequence, or one bad byte, which
 * is reported). */
static void advance_char(struct lexstate *ls)
{
    size_t l = utf8_len(ls->s + ls->i, ls->n - ls->i);
    if (!l) {
        lex_error(ls, ls->col, "%sinvalid UTF-8", "");
        l = 1;
    }
    ls->i += l;
    ls->col++;
}

static void skip_line(struct lexstate *ls)
{
    while (ls->i < ls->n && ls->s[ls->i] != '\n')
        advance_char(ls);
}

static void lex_string(struct lexstate *ls)
{
    int col = ls->col;
    size_t start = ls->i;
    ls->i++;
    ls->col++;
    /* First pass: find the end and validate. */
    size_t j = ls->i;
    int closed = 0;
    while (j < ls->n && ls->s[j] != '\n') {
        if (ls->s[j] == '\\' && j + 1 < ls->n && ls->s[j + 1] != '\n') {
            j += 2;
            continue;
        }
        if (ls->s[j] == '"') {
            closed = 1;
            break;
        }
        j++;
    }
    if (!closed) {
        lex_error(ls, col, "%sunterminated string: it needs a closing \" on the same line", "");
        emit(ls->p, TK_BAD, ls->line, col, (const char *)ls->s + start, 1);
        skip_line(ls);
        return;
    }
    char *text = malloc(j - ls->i + 1);
    if (!text) {
        ls->p->oom = 1;
        ls->i = j + 1;
        return;
    }
    size_t o = 0;
    int bad = 0;
    while (ls->i < j) {
        unsigned char c = ls->s[ls->i];
        if (c == '\\') {
            unsigned char e = ls->s[ls->i + 1];
            char out = e == 'n' ? '\n' : e == 't' ? '\t' : e == '"' ? '"' : e == '\\' ? '\\' : 0;
            if (!out) {
                char what[8];
                snprintf(what, sizeof what, "%c", isprint(e) ? e : '?');
                lex_error(ls, ls->col, "unknown escape '\\%s' in a string: use \\\", \\\\, \\n or \\t", what);
                bad = 1;
            }
            text[o++] = out ? out : (char)e;
            ls->i++;
            ls->col++;
            advance_char(ls);
            continue;
        }
        size_t l = utf8_len(ls->s + ls->i, ls->n - ls->i);
        if (!l) {
            lex_error(ls, ls->col, "%sinvalid UTF-8", "");
            bad = 1;
            l = 1;
        }
        if (c < 0x20 && c != '\t') {
            lex_error(ls, ls->col, "%scontrol character in a string", "");
            bad = 1;
        }
        memcpy(text + o, ls->s + ls->i, l);
        o += l;
        ls->i += l;
        ls->col++;
    }
    text[o] = '\0';
    ls->i++; /* closing quote */
    ls->col++;
    struct token *t = emit(ls->p, bad ? TK_BAD : TK_STR, ls->line, col, (const char *)ls->s + start,
                           ls->i - start);
    if (t && !bad)
        t->text = text;
    else
        free(text);
}

static void lex_number(struct lexstate *ls)
{
    int col = ls->col;
    size_t start = ls->i;
    int neg = 0;
    if (ls->s[ls->i] == '-') {
        neg = 1;
        ls->i++;
    }
    long v = 0;
    int overflow = 0;
    while (ls->i < ls->n && isdigit(ls->s[ls->i])) {
        int d = ls->s[ls->i] - '0';
        if (overflow || v > (LONG_MAX - d) / 10 || v * 10 + d > 999999999999L)
            overflow = 1;
        else
            v = v * 10 + d;
        ls->i++;
    }
    ls->col += (int)(ls->i - start);
    if (ls->i < ls->n && (isalpha(ls->s[ls->i]) || ls->s[ls->i] == '_')) {
        lex_error(ls, col, "%sa name cannot start with a digit", "");
        emit(ls->p, TK_BAD, ls->line, col, (const char *)ls->s + start, ls->i - start);
        while (ls->i < ls->n && (isalnum(ls->s[ls->i]) || ls->s[ls->i] == '_')) {
            ls->i++;
            ls->col++;
        }
        return;
    }
    if (overflow) {
        lex_error(ls, col, "%snumber too large (at most 999999999999)", "");
        emit(ls->p, TK_BAD, ls->line, col, (const char *)ls->s + start, ls->i - start);
        return;
    }
    struct token *t = emit(ls->p, TK_INT, ls->line, col, (const char *)ls->s + start, ls->i - start);
    if (t)
        t->num = neg ? -v : v;
}

static void lex_ident(struct lexstate *ls)
{
    int col = ls->col;
    size_t start = ls->i;
    while (ls->i < ls->n && (isalnum(ls->s[ls->i]) || ls->s[ls->i] == '_'))
        ls->i++;
    size_t len = ls->i - start;
    ls->col += (int)len;
    if (len >= CATI_NAME_MAX) {
        char lim[16];
        snprintf(lim, sizeof lim, "%d", CATI_NAME_MAX - 1);
        lex_error(ls, col, "name too long (at most %s characters)", lim);
        emit(ls->p, TK_BAD, ls->line, col, (const char *)ls->s + start, len);
        return;
    }
    char *text = malloc(len + 1);
    if (!text) {
        ls->p->oom = 1;
        return;
    }
    memcpy(text, ls->s + start, len);
    text[len] = '\0';
    struct token *t = emit(ls->p, TK_IDENT, ls->line, col, (const char *)ls->s + start, len);
    if (t)
        t->text = text;
    else
        free(text);
}

int lex_all(struct parser *p)
{
    struct lexstate ls = {p, (const unsigned char *)p->src, p->len, 0, 1, 1, 0};
    if (ls.n >= 3 && !memcmp(ls.s, "\xEF\xBB\xBF", 3))
        ls.i = 3; /* a byte-order mark */
    while (ls.i < ls.n && !p->oom) {
        unsigned char c = ls.s[ls.i];
        const char *at = (const char *)ls.s + ls.i;
        if (c == '\n') {
            emit(p, TK_NL, ls.line, ls.col, at, 1);
            ls.line++;
            ls.col = 1;
            ls.line_error = 0;
            ls.i++;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            ls.i++;
            ls.col++;
        } else if (c == '#') {
            skip_line(&ls);
        } else if (c == '"') {
            lex_string(&ls);
        } else if (isdigit(c) || (c == '-' && ls.i + 1 < ls.n && isdigit(ls.s[ls.i + 1]))) {
            lex_number(&ls);
        } else if (isalpha(c) || c == '_') {
            lex_ident(&ls);
        } else {
            enum tok_kind k = TK_BAD;
            size_t l = 1;
            int two = ls.i + 1 < ls.n && ls.s[ls.i + 1] == '=';
            switch (c) {
            case '=': k = TK_EQ; l = two ? 2 : 1; break; /* "==" is accepted as "=" */
            case '!': if (two) { k = TK_NE; l = 2; } break;
            case '<': k = two ? TK_LE : TK_LT; l = two ? 2 : 1;
                if (!two && ls.i + 1 < ls.n && ls.s[ls.i + 1] == '>') { k = TK_NE; l = 2; }
                break;
            case '>': k = two ? TK_GE : TK_GT; l = two ? 2 : 1; break;
            case '(': k = TK_LP; break;
            case ')': k = TK_RP; break;
            case ',': k = TK_COMMA; break;
            default: break;
            }
            if (k == TK_BAD) {
                int col = ls.col;
                size_t ul = utf8_len(ls.s + ls.i, ls.n - ls.i);
                if (!ul) {
                    lex_error(&ls, col, "%sinvalid UTF-8", "");
                } else {
                    char ch[8] = {0};
                    memcpy(ch, at, ul);
                    if (c == '\'' || (ul == 3 && c == 0xE2 && ls.s[ls.i + 1] == 0x80 &&
                                        ls.s[ls.i + 2] >= 0x98 && ls.s[ls.i + 2] <= 0x9D))
                        lex_error(&ls, col, "unexpected character '%s': strings use straight double quotes \"…\"", ch);
                    else if (c == '{' || c == '}')
                        lex_error(&ls, col, "unexpected character '%s': fills go inside a string", ch);
                    else if (c < 0x20 || c == 0x7f)
                        lex_error(&ls, col, "%sunexpected control character", "");
                    else
                        lex_error(&ls, col, "unexpected character '%s'", ch);
                }
                emit(p, TK_BAD, ls.line, col, at, ul ? ul : 1);
                skip_line(&ls);
            } else {
                emit(p, k, ls.line, ls.col, at, l);
                ls.i += l;
                ls.col += (int)l;
            }
        }
    }
    emit(p, TK_NL, ls.line, ls.col, (const char *)ls.s + ls.n, 0);
    emit(p, TK_EOF, ls.line, ls.col, (const char *)ls.s + ls.n, 0);
    return p->oom ? -1 : 0;
}

void lex_free(struct lexer *lx)
{
    for (int i = 0; i < lx->n; i++)
        free(lx->toks[i].text);
    free(lx->toks);
    memset(lx, 0, sizeof *lx);
}

const struct token *tok_peek(const struct parser *p)
{
    return &p->lx.toks[p->pos];
}

const struct token *tok_peek2(const struct parser *p)
{
    int i = p->pos;
    if (p->lx.toks[i].kind != TK_EOF)
        i++;
    return &p->lx.toks[i];
}

const struct token *tok_next(struct parser *p)
{
    const struct token *t = &p->lx.toks[p->pos];
    if (t->kind != TK_EOF)
        p->pos++;
    return t;
}

int tok_is_word(const struct token *t, const char *w)
{
    return t->kind == TK_IDENT && !strcmp(t->text, w);
}

const char *tok_describe(const struct token *t, char *buf, size_t size)
{
    switch (t->kind) {
    case TK_EOF: snprintf(buf, size, "end of file"); break;
    case TK_NL: snprintf(buf, size, "end of line"); break;
    case TK_STR: snprintf(buf, size, "a string"); break;
    case TK_BAD: snprintf(buf, size, "a bad token"); break;
    default: {
        int n = t->rawlen > 40 ? 40 : (int)t->rawlen;
        snprintf(buf, size, "'%.*s'", n, t->raw);
    }
    }
    return buf;
}
