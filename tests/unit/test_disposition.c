/* AAPOR codes, categories, the precedence of final codes and every rate
 * formula on hand-computed case sets, zero denominators included. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "cati/disposition.h"

static void test_categories(void **state)
{
    (void)state;
    struct { const char *code; enum disposition_category cat; } want[] = {
        {"1.1", CAT_I}, {"1.2", CAT_P}, {"2.11", CAT_R}, {"2.112", CAT_R}, {"2.12", CAT_R},
        {"2.21", CAT_NC}, {"2.221", CAT_NC}, {"2.222", CAT_NC}, {"2.30", CAT_O}, {"2.31", CAT_O},
        {"2.32", CAT_O}, {"2.33", CAT_O}, {"2.36", CAT_O}, {"3.11", CAT_UH}, {"3.12", CAT_UH},
        {"3.13", CAT_UH}, {"3.14", CAT_UH}, {"3.16", CAT_UH}, {"3.90", CAT_UH}, {"3.91", CAT_UO},
        {"4.10", CAT_NE}, {"4.20", CAT_NE}, {"4.31", CAT_NE}, {"4.32", CAT_NE}, {"4.41", CAT_NE},
        {"4.51", CAT_NE}, {"4.70", CAT_NE}, {"4.80", CAT_NE}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(disposition_category(want[i].code), want[i].cat);
        assert_true(disposition_meaning(want[i].code)[0] != '\0');
    }
    assert_int_equal(disposition_category("9.99"), CAT_UNKNOWN);
    assert_int_equal(disposition_category(NULL), CAT_UNKNOWN);
    assert_string_equal(disposition_category_name(CAT_NC), "NC");
    assert_string_equal(disposition_category_name(CAT_UNKNOWN), "?");
    assert_string_equal(disposition_meaning("1.1"), "complete interview");
    int n = 0;
    for (const char *const *c = disposition_codes(); *c; c++)
        n++;
    assert_true(n >= 28);
}

static void test_precedence(void **state)
{
    (void)state;
    /* interview over everything */
    assert_string_equal(disposition_better("2.11", "1.1"), "1.1");
    assert_string_equal(disposition_better("1.1", "3.13"), "1.1");
    assert_string_equal(disposition_better("1.2", "1.1"), "1.1");
    /* confirmed ineligible over eligible non-interview codes */
    assert_string_equal(disposition_better("2.21", "4.70"), "4.70");
    /* refusal over other eligible over non-contact over unknown */
    assert_string_equal(disposition_better("2.33", "2.11"), "2.11");
    assert_string_equal(disposition_better("2.11", "2.21"), "2.11");
    assert_string_equal(disposition_better("2.21", "2.33"), "2.33");
    assert_string_equal(disposition_better("3.13", "2.21"), "2.21");
    /* once eligible was reached, no-answer or busy never wins */
    assert_string_equal(disposition_better("2.21", "3.13"), "2.21");
    assert_string_equal(disposition_better("2.222", "3.12"), "2.222");
    /* any attempt beats not attempted; the later of equals wins */
    assert_string_equal(disposition_better("3.11", "3.12"), "3.12");
    assert_string_equal(disposition_better("3.13", "3.12"), "3.12");
    assert_string_equal(disposition_better("", "3.12"), "3.12");
    assert_string_equal(disposition_better("3.13", NULL), "3.13");
}

#define FINAL(end, ...)                                                                            \
    disposition_final((const char *const[]){__VA_ARGS__},                                          \
                      sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *), end)

/* standards.md §1: a case whose calling ends keeps the most specific code
 * its calls established. */
static void test_final(void **state)
{
    (void)state;
    assert_null(disposition_final(NULL, 0, DISP_END_LIMIT));
    /* a final call ends with its own code */
    assert_string_equal(FINAL(DISP_END_FINAL_CALL, "2.11", "1.1"), "1.1");
    assert_string_equal(FINAL(DISP_END_FINAL_CALL, "2.21", "2.33"), "2.33");
    /* call limit, eligibility established */
    assert_string_equal(FINAL(DISP_END_LIMIT, "2.11", "3.13", "3.13"), "2.11");
    assert_string_equal(FINAL(DISP_END_LIMIT, "2.21", "3.12", "3.13"), "2.21");
    assert_string_equal(FINAL(DISP_END_LIMIT, "3.13", "2.21", "2.21"), "2.21");
    assert_string_equal(FINAL(DISP_END_LIMIT, "2.21", "2.222", "2.222"), "2.222");
    assert_string_equal(FINAL(DISP_END_LIMIT, "2.21", "2.221", "2.222"), "2.221");
    assert_string_equal(FINAL(DISP_END_LIMIT, "2.21", "2.222", "2.21"), "2.21");
    assert_string_equal(FINAL(DISP_END_LIMIT, "2.21", "2.33", "3.13"), "2.33");
    assert_string_equal(FINAL(DISP_END_LIMIT, "2.11", "2.33", "2.21"), "2.11");
    /* never 2.30 (it would count a never-reached respondent as contacted) */
    assert_int_not_equal(disposition_category(FINAL(DISP_END_LIMIT, "2.21", "3.13")), CAT_O);
    /* call limit, eligibility never established */
    assert_string_equal(FINAL(DISP_END_LIMIT, "3.12", "3.12", "3.12"), "3.12");
    assert_string_equal(FINAL(DISP_END_LIMIT, "3.14", "3.14", "3.14"), "3.14");
    assert_string_equal(FINAL(DISP_END_LIMIT, "3.12", "3.14", "3.13"), "3.14");
    assert_string_equal(FINAL(DISP_END_LIMIT, "3.16", "3.16"), "3.16");
    assert_string_equal(FINAL(DISP_END_LIMIT, "3.13", "3.16", "3.12"), "3.16");
    assert_string_equal(FINAL(DISP_END_LIMIT, "3.13", "3.13"), "3.13");
    assert_string_equal(FINAL(DISP_END_LIMIT, "3.12", "3.13"), "3.13");
    assert_string_equal(FINAL(DISP_END_LIMIT, "4.41", "3.12", "3.12"), "3.12");
    assert_string_equal(FINAL(DISP_END_LIMIT, "4.41"), "3.90");
    /* numbers gone */
    assert_string_equal(FINAL(DISP_END_NUMBERS_GONE, "3.13", "4.32"), "4.32");
    assert_string_equal(FINAL(DISP_END_NUMBERS_GONE, "2.21", "4.32"), "2.21");
    assert_string_equal(FINAL(DISP_END_NUMBERS_GONE, "2.21", "2.222", "4.41"), "2.222");
    assert_string_equal(FINAL(DISP_END_NUMBERS_GONE, "2.11", "4.41"), "2.11");
}

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static void expect_rate(const struct disposition_rates *r, enum disposition_rate_id id, double want)
{
    if (!r->rate[id].defined)
        fail_msg("%s undefined, expected %f", disposition_rate_name(id), want);
    NEAR(r->rate[id].value, want);
}

/* A worked example in the style of AAPOR's Standard Definitions:
 * I 200, P 40, R 100, NC 60, O 20, UH 80, UO 20, NE 50. */
static void test_rates_worked_example(void **state)
{
    (void)state;
    struct disposition_counts c = {{0}};
    c.n[CAT_I] = 200; c.n[CAT_P] = 40; c.n[CAT_R] = 100; c.n[CAT_NC] = 60;
    c.n[CAT_O] = 20; c.n[CAT_UH] = 80; c.n[CAT_UO] = 20; c.n[CAT_NE] = 50;
    struct disposition_rates r;
    disposition_rates(&c, 0.5, &r);
    assert_int_equal(r.e_defined, 1);
    assert_int_equal(r.e_estimated, 0);
    NEAR(r.e, 0.5);
    /* (I+P)+(R+NC+O) = 420; with all unknowns 520; with e(UH+UO) = 50: 470 */
    expect_rate(&r, RATE_RR1, 200.0 / 520);
    expect_rate(&r, RATE_RR2, 240.0 / 520);
    expect_rate(&r, RATE_RR3, 200.0 / 470);
    expect_rate(&r, RATE_RR4, 240.0 / 470);
    expect_rate(&r, RATE_RR5, 200.0 / 420);
    expect_rate(&r, RATE_RR6, 240.0 / 420);
    /* (I+P)+R+O = 360, (I+P)+R = 340 */
    expect_rate(&r, RATE_COOP1, 200.0 / 360);
    expect_rate(&r, RATE_COOP2, 240.0 / 360);
    expect_rate(&r, RATE_COOP3, 200.0 / 340);
    expect_rate(&r, RATE_COOP4, 240.0 / 340);
    expect_rate(&r, RATE_REF1, 100.0 / 520);
    expect_rate(&r, RATE_REF2, 100.0 / 470);
    expect_rate(&r, RATE_REF3, 100.0 / 420);
    expect_rate(&r, RATE_CON1, 360.0 / 520);
    expect_rate(&r, RATE_CON2, 360.0 / 470);
    expect_rate(&r, RATE_CON3, 360.0 / 420);
    assert_float_equal(r.rate[RATE_RR1].value, 0.384615, 1e-6);

    /* e estimated: eligible 420 of 470 known */
    disposition_rates(&c, -1, &r);
    assert_int_equal(r.e_estimated, 1);
    NEAR(r.e, 420.0 / 470);
    double eu = 420.0 / 470 * 100;
    expect_rate(&r, RATE_RR3, 200.0 / (420 + eu));
    expect_rate(&r, RATE_RR4, 240.0 / (420 + eu));
    expect_rate(&r, RATE_REF2, 100.0 / (420 + eu));
    expect_rate(&r, RATE_CON2, 360.0 / (420 + eu));
    expect_rate(&r, RATE_RR1, 200.0 / 520); /* e plays no part */

    /* e = 1 makes RR3 = RR1; e = 0 makes RR3 = RR5 */
    disposition_rates(&c, 1, &r);
    expect_rate(&r, RATE_RR3, 200.0 / 520);
    disposition_rates(&c, 0, &r);
    expect_rate(&r, RATE_RR3, 200.0 / 420);
}

/* A small set counted by hand from case dispositions. */
static void test_rates_small_sample(void **state)
{
    (void)state;
    const char *cases[] = {"1.1", "1.1", "1.1", "1.2", "2.11", "2.12", "2.21", "2.30",
                           "3.13", "3.90", "4.32", "4.70"};
    struct disposition_counts c = {{0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        c.n[disposition_category(cases[i])]++;
    /* I 3, P 1, R 2, NC 1, O 1, UH 2, UO 0, NE 2 */
    assert_int_equal(c.n[CAT_I], 3);
    assert_int_equal(c.n[CAT_R], 2);
    assert_int_equal(c.n[CAT_UH], 2);
    assert_int_equal(c.n[CAT_NE], 2);
    struct disposition_rates r;
    disposition_rates(&c, -1, &r);
    NEAR(r.e, 8.0 / 10);
    expect_rate(&r, RATE_RR1, 3.0 / 10);
    expect_rate(&r, RATE_RR2, 4.0 / 10);
    expect_rate(&r, RATE_RR3, 3.0 / 9.6);
    expect_rate(&r, RATE_RR5, 3.0 / 8);
    expect_rate(&r, RATE_RR6, 4.0 / 8);
    expect_rate(&r, RATE_COOP1, 3.0 / 7);
    expect_rate(&r, RATE_COOP3, 3.0 / 6);
    expect_rate(&r, RATE_COOP4, 4.0 / 6);
    expect_rate(&r, RATE_REF1, 2.0 / 10);
    expect_rate(&r, RATE_CON3, 7.0 / 8);
}

static void test_zero_denominators(void **state)
{
    (void)state;
    struct disposition_counts c = {{0}};
    struct disposition_rates r;
    /* nothing at all: every rate and e undefined */
    disposition_rates(&c, -1, &r);
    assert_int_equal(r.e_defined, 0);
    for (int i = 0; i < RATE_COUNT; i++)
        assert_int_equal(r.rate[i].defined, 0);
    /* only ineligible cases: e = 0 is known, rates still undefined */
    c.n[CAT_NE] = 5;
    disposition_rates(&c, -1, &r);
    assert_int_equal(r.e_defined, 1);
    NEAR(r.e, 0);
    for (int i = 0; i < RATE_COUNT; i++)
        assert_int_equal(r.rate[i].defined, 0);
    /* only unknown eligibility, nothing known: RR1 = 0 is a real 0,
     * RR3 needs e (undefined), RR5 and COOP have no denominator */
    c.n[CAT_NE] = 0;
    c.n[CAT_UH] = 4;
    disposition_rates(&c, -1, &r);
    assert_int_equal(r.e_defined, 0);
    expect_rate(&r, RATE_RR1, 0);
    expect_rate(&r, RATE_REF1, 0);
    assert_int_equal(r.rate[RATE_RR3].defined, 0);
    assert_int_equal(r.rate[RATE_CON2].defined, 0);
    assert_int_equal(r.rate[RATE_RR5].defined, 0);
    assert_int_equal(r.rate[RATE_COOP1].defined, 0);
    /* with e given, RR3 has a denominator */
    disposition_rates(&c, 0.25, &r);
    expect_rate(&r, RATE_RR3, 0);
    /* e = 0 with only unknowns: e(UH+UO) = 0, no denominator */
    disposition_rates(&c, 0, &r);
    assert_int_equal(r.rate[RATE_RR3].defined, 0);
    /* non-contacts only: COOP undefined (nobody was reached), RR defined */
    c.n[CAT_UH] = 0;
    c.n[CAT_NC] = 3;
    disposition_rates(&c, -1, &r);
    expect_rate(&r, RATE_RR1, 0);
    expect_rate(&r, RATE_RR3, 0); /* no unknowns: e is irrelevant */
    expect_rate(&r, RATE_CON1, 0);
    for (int i = RATE_COOP1; i <= RATE_COOP4; i++)
        assert_int_equal(r.rate[i].defined, 0);
    assert_string_equal(disposition_rate_name(RATE_COOP4), "COOP4");
    assert_string_equal(disposition_rate_name(RATE_CON3), "CON3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_categories),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_final),
        cmocka_unit_test(test_rates_worked_example),
        cmocka_unit_test(test_rates_small_sample),
        cmocka_unit_test(test_zero_denominators),
    };
    return cmocka_run_group_tests_name("disposition", tests, NULL, NULL);
}
