/* libFuzzer target for the expression parser, checker and evaluator. The
 * first line of the input is an expression, put as the `ask if` of the last
 * question of a script with one question of every type; the second line
 * sets the respondent field gewog, the following ones answer the earlier
 * questions ("dk", "rf" or a value). Properties: no crash, leak or hang; the
 * expression formats; the engine asks the last question exactly when
 * expr_eval() says its condition holds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/expr.h"
#include "cati/interview.h"
#include "cati/script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char head[] =
    "survey f \"F\" version 1\nlanguages en\nfields gewog\n"
    "question s single\n  text en \"S\"\n  choice 1 \"a\"\n  choice 2 \"b\"\n  choice 3 \"c\"\n"
    "question m multi\n  text en \"M\"\n  choice 1 \"a\"\n  choice 2 \"b\"\n  choice 9 \"none\"\n"
    "  exclusive 9\n"
    "question n number -100 1000\n  text en \"N\"\n"
    "question sc scale 1 5\n  text en \"SC\"\n"
    "question d date\n  text en \"D\"\n"
    "question t text 50\n  text en \"T\"\n"
    "question z single\n  text en \"Z\"\n  choice 1 \"y\"\n  ask if ";

static enum cati_astatus answer_of(const void *ctx, int qi, const char **value)
{
    struct iv_answer a = interview_get(ctx, qi);
    *value = a.value;
    return a.on_route ? a.status : ANS_NONE;
}

static const char *field_of(const void *ctx, const char *name)
{
    return interview_field(ctx, name);
}

/* The next line of the input (NUL-terminated copy in buf), advancing *p. */
static const char *next_line(const char **p, const char *end, char *buf, size_t size)
{
    if (*p >= end)
        return NULL;
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    size_t n = (size_t)((nl ? nl : end) - *p);
    if (n >= size)
        n = size - 1;
    memcpy(buf, *p, n);
    buf[n] = '\0';
    *p = nl ? nl + 1 : end;
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data, *end = in + size;
    const char *nl = memchr(in, '\n', size);
    size_t elen = (size_t)((nl ? nl : end) - in);
    size_t hlen = sizeof head - 1;
    char *src = malloc(hlen + elen + 2);
    if (!src)
        return 0;
    memcpy(src, head, hlen);
    memcpy(src + hlen, in, elen);
    src[hlen + elen] = '\n';
    src[hlen + elen + 1] = '\0';
    struct script_diags d = {0};
    struct cati_script *s = script_parse("fuzz.cati", src, hlen + elen + 1, &d);
    char *r = script_diags_render(&d, "fuzz.cati", src, hlen + elen + 1);
    free(r);
    script_diags_free(&d);
    free(src);
    if (!s)
        return 0;
    const struct cati_question *z = &s->questions[s->nquestions - 1];
    char text[256];
    expr_format(z->ask_if, text, sizeof text);
    struct cati_error err;
    struct cati_interview *iv = interview_new(s, NULL, &err);
    if (!iv) {
        script_free(s);
        return 0;
    }
    const char *p = nl ? nl + 1 : end;
    char line[128];
    struct iv_feedback fb;
    const char *g = next_line(&p, end, line, sizeof line);
    if (g && interview_set_field(iv, "gewog", g) < 0)
        abort();
    for (int i = 0; i < s->nquestions - 1; i++) {
        if (!interview_current(iv) || interview_current(iv) == z)
            break;
        const char *a = next_line(&p, end, line, sizeof line);
        int rc = !a ? interview_dk(iv, 1, &fb, &err)
                 : !strcmp(a, "dk") ? interview_dk(iv, 1, &fb, &err)
                 : !strcmp(a, "rf") ? interview_rf(iv, 1, &fb, &err)
                 : interview_answer(iv, a, 1, &fb, &err);
        if (rc != IV_OK && interview_dk(iv, 1, &fb, &err) != IV_OK)
            abort(); /* every question here takes don't know */
    }
    struct expr_env env = {s, answer_of, field_of, iv};
    int missing = 0;
    int holds = expr_eval(z->ask_if, &env, &missing);
    if (holds != 0 && holds != 1)
        abort();
    if (expr_eval(z->ask_if, &env, NULL) != holds)
        abort();
    if ((interview_current(iv) == z) != holds)
        abort();
    interview_free(iv);
    script_free(s);
    return 0;
}
