/* Expressions: precedence, every operator, and the missing-value rules
 * (not asked, don't know, refused). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/expr.h"
#include "cati/script.h"

/* Questions a..n, in this order (indexes 0..5). */
static const char *const base =
    "survey s\nfields gewog age_years\n"
    "question a scale 1 5\n  text en \"a\"\n"
    "question b single\n  text en \"b\"\n  choice 1 \"x\"\n  choice 2 \"y\"\n  choice 3 \"z\"\n"
    "question c multi\n  text en \"c\"\n  choice 1 \"x\"\n  choice 2 \"y\"\n  choice 3 \"z\"\n"
    "question t text\n  text en \"t\"\n"
    "question d date\n  text en \"d\"\n"
    "question n number 0 100\n  text en \"n\"\n";

static enum cati_astatus st[6];
static const char *val[6];
static const char *gewog, *age_years;

static enum cati_astatus answer(const void *ctx, int qi, const char **value)
{
    (void)ctx;
    *value = val[qi];
    return st[qi];
}

static const char *field(const void *ctx, const char *name)
{
    (void)ctx;
    if (!strcmp(name, "gewog"))
        return gewog;
    if (!strcmp(name, "age_years"))
        return age_years;
    if (!strcmp(name, "service"))
        return "cid_new";
    return NULL;
}

static void set(int qi, enum cati_astatus s, const char *v)
{
    st[qi] = s;
    val[qi] = v;
}

static int setup(void **state)
{
    (void)state;
    for (int i = 0; i < 6; i++)
        set(i, ANS_NONE, NULL);
    set(0, ANS_VALUE, "2");
    set(1, ANS_VALUE, "3");
    set(2, ANS_VALUE, "1,3");
    set(3, ANS_VALUE, "hello");
    set(4, ANS_VALUE, "2024-05-01");
    set(5, ANS_VALUE, "40");
    gewog = "Chang";
    age_years = "42";
    return 0;
}

/* Evaluate EXPR (as a check on a last question); *missing gets the flag. */
static int eval_m(const char *expr, int *missing)
{
    char src[2048];
    snprintf(src, sizeof src, "%squestion z text\n  text en \"z\"\n  check %s \"m\"\n", base, expr);
    struct script_diags d = {0};
    struct cati_script *s = script_parse("e.cati", src, strlen(src), &d);
    if (!s) {
        for (int i = 0; i < d.n; i++)
            print_message("  %d:%d: %s\n", d.items[i].line, d.items[i].col, d.items[i].msg);
        script_diags_free(&d);
        fail_msg("'%s' did not parse", expr);
    }
    struct expr_env env = {s, answer, field, NULL};
    int m = 0;
    int r = expr_eval(s->questions[6].checks[0].cond, &env, &m);
    if (missing)
        *missing = m;
    script_free(s);
    return r;
}

static int eval(const char *expr)
{
    return eval_m(expr, NULL);
}

static void format_is(const char *expr, const char *want)
{
    char src[2048], buf[512];
    snprintf(src, sizeof src, "%squestion z text\n  text en \"z\"\n  check %s \"m\"\n", base, expr);
    struct cati_script *s = script_parse("e.cati", src, strlen(src), NULL);
    assert_non_null(s);
    assert_string_equal(expr_format(s->questions[6].checks[0].cond, buf, sizeof buf), want);
    script_free(s);
}

static void test_precedence(void **state)
{
    (void)state;
    format_is("a = 1 or b = 2 and n > 3", "(a = 1 or (b = 2 and n > 3))");
    format_is("not a = 1 and b = 2", "(not a = 1 and b = 2)");
    format_is("not (a = 1 and b = 2)", "not (a = 1 and b = 2)");
    format_is("(a = 1 or b = 2) and n > 3", "((a = 1 or b = 2) and n > 3)");
    format_is("a = 1 or b = 2 or n = 3", "((a = 1 or b = 2) or n = 3)");
    format_is("b not in (1, 2)", "not b in (1, 2)");
    /* and binds tighter than or: true or (false and false) */
    assert_true(eval("a = 2 or b = 1 and n = 0"));
    assert_false(eval("(a = 2 or b = 1) and n = 0"));
    assert_false(eval("not a = 2 or b = 1"));
    assert_true(eval("not (a = 1 or b = 1)"));
}

static void test_comparisons(void **state)
{
    (void)state;
    assert_true(eval("a = 2"));
    assert_false(eval("a = 3"));
    assert_true(eval("a != 3"));
    assert_false(eval("a != 2"));
    assert_true(eval("a < 3"));
    assert_false(eval("a < 2"));
    assert_true(eval("a <= 2"));
    assert_false(eval("a <= 1"));
    assert_true(eval("a > 1"));
    assert_false(eval("a > 2"));
    assert_true(eval("a >= 2"));
    assert_false(eval("a >= 3"));
    assert_true(eval("3 > a"));
    assert_true(eval("n > a"));
    assert_true(eval("t = \"hello\""));
    assert_true(eval("t != \"bye\""));
    assert_true(eval("d < \"2024-06-01\""));
    assert_false(eval("d > \"2024-06-01\""));
    assert_true(eval("d = \"2024-05-01\""));
    /* fields are text; compared with a number they must be whole numbers */
    assert_true(eval("gewog = \"Chang\""));
    assert_true(eval("age_years > 40"));
    assert_true(eval("service = \"cid_new\""));
    age_years = "forty";
    int m = 0;
    assert_false(eval_m("age_years > 40", &m));
    assert_true(m);
    assert_false(eval("age_years != 40"));
}

static void test_in_has_functions(void **state)
{
    (void)state;
    assert_true(eval("b in (1, 3)"));
    assert_false(eval("b in (1, 2)"));
    assert_true(eval("b not in (1, 2)"));
    assert_true(eval("gewog in (\"Chang\", \"Kawang\")"));
    assert_true(eval("has(c, 1)"));
    assert_true(eval("has(c, 3)"));
    assert_false(eval("has(c, 2)"));
    assert_true(eval("answered(a)"));
    assert_false(eval("dk(a)"));
    set(0, ANS_DK, NULL);
    set(1, ANS_RF, NULL);
    assert_false(eval("answered(a)"));
    assert_true(eval("dk(a)"));
    assert_false(eval("rf(a)"));
    assert_true(eval("rf(b)"));
    assert_false(eval("dk(b)"));
    set(0, ANS_NONE, NULL);
    assert_false(eval("answered(a) or dk(a) or rf(a)"));
}

static void test_missing_values(void **state)
{
    (void)state;
    int m;
    const enum cati_astatus kinds[] = {ANS_NONE, ANS_DK, ANS_RF};
    for (int k = 0; k < 3; k++) {
        set(0, kinds[k], NULL);
        set(2, kinds[k], NULL);
        /* every comparison with a missing value is false, != included */
        assert_false(eval("a = 1"));
        assert_false(eval("a != 1"));
        assert_false(eval("a < 9"));
        assert_false(eval("a <= 9"));
        assert_false(eval("a > 0"));
        assert_false(eval("a >= 0"));
        assert_false(eval("a in (1, 2, 3, 4, 5)"));
        assert_false(eval("has(c, 1)"));
        /* not simply negates */
        assert_true(eval("not a <= 2"));
        assert_true(eval("not has(c, 1)"));
        assert_true(eval("b = 3 or a = 1"));
        assert_false(eval("b = 3 and a = 1"));
        m = 0;
        assert_false(eval_m("a = 1", &m));
        assert_true(m);
        m = 0;
        assert_false(eval_m("has(c, 2)", &m));
        assert_true(m);
    }
    gewog = NULL;
    m = 0;
    assert_false(eval_m("gewog = \"Chang\"", &m));
    assert_true(m);
    assert_false(eval("gewog != \"Chang\""));
    /* a present comparison does not set the flag */
    m = 0;
    assert_false(eval_m("b = 1", &m));
    assert_false(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_precedence, setup),
        cmocka_unit_test_setup(test_comparisons, setup),
        cmocka_unit_test_setup(test_in_has_functions, setup),
        cmocka_unit_test_setup(test_missing_values, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
