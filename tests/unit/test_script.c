/* The questionnaire language: lexer, parser and checker. Every error is
 * checked with its message, line and column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/expr.h"
#include "cati/script.h"

#define HEAD "survey s \"Test\" version 2\n"

static struct cati_script *parse(const char *src, struct script_diags *d)
{
    memset(d, 0, sizeof *d);
    return script_parse("t.cati", src, strlen(src), d);
}

/* The script must fail with an error at line:col whose message contains want. */
static void expect_error_at(const char *src, int line, int col, const char *want)
{
    struct script_diags d;
    struct cati_script *s = parse(src, &d);
    if (s) {
        script_free(s);
        fail_msg("parsed without errors, expected %d:%d %s", line, col, want);
    }
    int found = 0;
    for (int i = 0; i < d.n; i++)
        if (d.items[i].line == line && d.items[i].col == col && strstr(d.items[i].msg, want))
            found = 1;
    if (!found) {
        for (int i = 0; i < d.n; i++)
            print_message("  got %d:%d: %s\n", d.items[i].line, d.items[i].col, d.items[i].msg);
        script_diags_free(&d);
        fail_msg("no error %d:%d containing '%s'", line, col, want);
    }
    script_diags_free(&d);
}

static struct cati_script *parse_ok(const char *src)
{
    struct script_diags d;
    struct cati_script *s = parse(src, &d);
    if (!s) {
        for (int i = 0; i < d.n; i++)
            print_message("  %d:%d: %s\n", d.items[i].line, d.items[i].col, d.items[i].msg);
        script_diags_free(&d);
        fail_msg("script did not parse");
    }
    for (int i = 0; i < d.n; i++)
        print_message("  %d:%d: %s\n", d.items[i].line, d.items[i].col, d.items[i].msg);
    assert_int_equal(d.n, 0);
    script_diags_free(&d);
    return s;
}

static void test_parse_structure(void **state)
{
    (void)state;
    struct cati_script *s = parse_ok(
        "# a comment\n"
        "survey serve \"ServE feedback\" version 3\n"
        "languages en dz\n"
        "parameters accessibility timeliness\n"
        "fields gewog phone_type\n"
        "\n"
        "question q1 single   # trailing comment\n"
        "  text en \"Hello {name}\"\n"
        "  text en \"second line\"\n"
        "  text dz \"ཀུ་ཟུ་ཟང་པོ་ {name}\"\n"
        "  choice 1 \"Yes\" dz \"ཨིན།\"\n"
        "  choice 2 \"No\"\n"
        "  nodk norf\n"
        "  end ineligible if q1 = 2\n"
        "question q2 multi\n"
        "  text en \"Which?\"\n  text dz \"ག་ཅི?\"\n"
        "  choice 1 \"a\"\n  choice 2 \"b\"\n  choice 9 \"none\"\n"
        "  exclusive 9\n"
        "question q3 scale 1 5\n"
        "  measures timeliness\n"
        "  text en \"Rate\"\n  text dz \"r\"\n"
        "  ask if q1 = 1 and gewog = \"x\"\n"
        "  goto q6 if q3 <= 2\n"
        "  check q3 != 3 \"not three\"\n"
        "  warn q3 > 1 \"low\"\n"
        "  flag low if q3 = 1\n"
        "question q4 number -5 10\n  text en \"n\"\n  text dz \"n\"\n  norf\n"
        "question q5 text 40\n  text en \"t\"\n  text dz \"t\"\n"
        "question q6 date\n  text en \"d\"\n  text dz \"d\"\n  end complete\n");
    assert_string_equal(s->name, "serve");
    assert_string_equal(s->title, "ServE feedback");
    assert_int_equal(s->version, 3);
    assert_int_equal(s->nlangs, 2);
    assert_string_equal(s->languages[1], "dz");
    assert_int_equal(s->nparameters, 2);
    assert_int_equal(s->nfields, 2);
    assert_string_equal(s->fields[1], "phone_type");
    assert_int_equal(s->nquestions, 6);
    const struct cati_question *q1 = &s->questions[0];
    assert_int_equal(q1->type, QTYPE_SINGLE);
    assert_int_equal(q1->line, 7);
    assert_string_equal(q1->text[0], "Hello {name}\nsecond line");
    assert_true(q1->nodk && q1->norf);
    assert_int_equal(q1->nchoices, 2);
    assert_string_equal(script_choice_label(&q1->choices[0], 1), "ཨིན།");
    assert_string_equal(script_choice_label(&q1->choices[1], 1), "No"); /* falls back */
    assert_int_equal(q1->njumps, 1);
    assert_int_equal(q1->jumps[0].target, -1);
    assert_int_equal(q1->jumps[0].outcome, END_INELIGIBLE);
    const struct cati_question *q2 = &s->questions[1];
    assert_int_equal(q2->type, QTYPE_MULTI);
    assert_int_equal(q2->nexclusive, 1);
    assert_int_equal(q2->exclusive[0], 9);
    const struct cati_question *q3 = &s->questions[2];
    assert_int_equal(q3->lo, 1);
    assert_int_equal(q3->hi, 5);
    assert_int_equal(q3->measures, 1);
    assert_non_null(q3->ask_if);
    assert_int_equal(q3->jumps[0].target, 5);
    assert_int_equal(q3->nchecks, 2);
    assert_true(q3->checks[0].hard);
    assert_false(q3->checks[1].hard);
    assert_string_equal(q3->checks[1].message, "low");
    assert_int_equal(q3->nflags, 1);
    assert_string_equal(q3->flags[0].kind, "low");
    assert_int_equal(s->questions[3].lo, -5);
    assert_true(s->questions[3].norf);
    assert_false(s->questions[3].nodk);
    assert_int_equal(s->questions[4].maxlen, 40);
    assert_int_equal(s->questions[5].type, QTYPE_DATE);
    assert_int_equal(s->questions[5].jumps[0].outcome, END_COMPLETE);
    assert_null(s->questions[5].jumps[0].cond);
    assert_int_equal(script_find_question(s, "q5"), 4);
    assert_int_equal(script_find_question(s, "nope"), -1);
    assert_true(script_has_field(s, "gewog"));
    assert_true(script_has_field(s, "availed_on"));
    assert_false(script_has_field(s, "phone"));
    script_free(s);
}

static void test_defaults_and_escapes(void **state)
{
    (void)state;
    struct cati_script *s = parse_ok("\xEF\xBB\xBFsurvey x\r\nquestion a text\r\n"
                                     "  text en \"say \\\"hi\\\" \\\\ {{literal}}\"\r\n");
    assert_string_equal(s->title, "");
    assert_int_equal(s->version, 1);
    assert_int_equal(s->nlangs, 1);
    assert_string_equal(s->languages[0], "en");
    assert_int_equal(s->questions[0].maxlen, CATI_TEXT_DEFAULT);
    assert_string_equal(s->questions[0].text[0], "say \"hi\" \\ {{literal}}");
    script_free(s);
}

/* --- lexical errors --------------------------------------------------------- */

static void test_lex_errors(void **state)
{
    (void)state;
    expect_error_at(HEAD "question a text\n  text en \"open\n", 3, 11, "unterminated string");
    expect_error_at(HEAD "question a text\n  text en \"bad \xC3\x28 byte\"\n", 3, 16, "invalid UTF-8");
    expect_error_at(HEAD "question a text\n  text en \"ཀ\xFF\"\n", 3, 13, "invalid UTF-8");
    expect_error_at(HEAD "question a text\n  text en 'single'\n", 3, 11, "straight double quotes");
    expect_error_at(HEAD "question a scale 1 5\n  text en \"x\"\n  ask if a $ 1\n", 4, 12, "unexpected character '$'");
    expect_error_at(HEAD "question a number 0 9999999999999\n", 2, 21, "number too large");
    expect_error_at(HEAD "question 1a text\n", 2, 10, "cannot start with a digit");
    expect_error_at(HEAD "question a text\n  text en \"x \\q\"\n", 3, 14, "unknown escape");
    char longname[200];
    snprintf(longname, sizeof longname, HEAD "question %070d text\n", 0);
    longname[sizeof HEAD - 1 + 9] = 'a'; /* a name of letters and digits */
    expect_error_at(longname, 2, 10, "name too long");
}

/* --- syntax errors -------------------------------------------------------------- */

static void test_syntax_errors(void **state)
{
    (void)state;
    expect_error_at("question a text\n  text en \"x\"\n", 1, 1, "must start with 'survey");
    expect_error_at("survey s\n", 1, 1, "no questions");
    expect_error_at(HEAD "frobnicate 3\n", 2, 1, "unknown statement 'frobnicate'");
    expect_error_at(HEAD "text en \"x\"\n", 2, 1, "outside a question block");
    expect_error_at(HEAD "question a colour\n", 2, 12, "unknown question type 'colour'");
    expect_error_at(HEAD "question a scale 5 1\n", 2, 20, "is empty");
    expect_error_at(HEAD "question a scale 1\n", 2, 19, "upper end");
    expect_error_at(HEAD "question a text 0\n", 2, 17, "text length");
    expect_error_at(HEAD "question and text\n", 2, 10, "reserved word");
    expect_error_at(HEAD "question name text\n  text en \"x\"\n", 2, 10, "respondent field");
    expect_error_at(HEAD "question a text extra\n  text en \"x\"\n", 2, 17, "unexpected 'extra'");
    expect_error_at(HEAD "question a text\n  text \"x\"\n", 3, 8, "expected a language code");
    expect_error_at(HEAD "question a text\n  text fr \"x\"\n", 3, 8, "not declared");
    expect_error_at(HEAD "question a single\n  text en \"x\"\n  choice one \"x\"\n", 4, 10, "expected a choice code");
    expect_error_at(HEAD "question a single\n  text en \"x\"\n  choice -1 \"x\"\n", 4, 10, "0 or more");
    expect_error_at(HEAD "question a text\n  text en \"x\"\n  choice 1 \"x\"\n", 4, 3, "'choice' is for");
    expect_error_at(HEAD "question a single\n  text en \"x\"\n  choice 1 \"x\"\n  exclusive 1\n", 5, 3,
                    "'exclusive' is for multi");
    expect_error_at(HEAD "question a text\n  text en \"x\"\n  ask a = \"x\"\n", 4, 7, "expected 'if'");
    expect_error_at(HEAD "question a text\n  text en \"x\"\n  end done\n", 4, 7, "unknown outcome 'done'");
    expect_error_at(HEAD "question a scale 1 5\n  text en \"x\"\n  check a > 1\n", 4, 14, "the message");
    expect_error_at(HEAD "question a scale 1 5\n  text en \"x\"\n  warn a > \"low\"\n", 4, 17, "expected the message");
    expect_error_at(HEAD "question a scale 1 5\n  text en \"x\"\n  end complete if 1 < a < 3\n", 4, 25,
                    "do not chain");
    expect_error_at(HEAD "question a scale 1 5\n  text en \"x\"\n  end complete if (a = 1\n", 4, 25, "expected ')'");
    expect_error_at(HEAD "question a scale 1 5\n  text en \"x\"\n  end complete if count(a) > 1\n", 4, 19,
                    "unknown function 'count'");
    expect_error_at(HEAD "question a scale 1 5\n  text en \"x\"\n  end complete if a in 1, 2\n", 4, 24,
                    "'(' after 'in'");
    expect_error_at(HEAD "question a scale 1 5\n  text en \"x\"\n  end complete if a = and\n", 4, 23,
                    "expected a value");
    expect_error_at(HEAD "languages en\nlanguages dz\nquestion a text\n text en \"x\"\n", 3, 1,
                    "a second 'languages'");
    expect_error_at(HEAD "languages en en\nquestion a text\n text en \"x\"\n", 2, 14, "listed twice");
    expect_error_at(HEAD "question a text\n text en \"x\"\nlanguages en dz\n", 4, 1, "belongs in the header");
    expect_error_at(HEAD "fields ref\nquestion a text\n text en \"x\"\n", 2, 8, "standard field");
    expect_error_at(HEAD "survey t\nquestion a text\n text en \"x\"\n", 2, 1, "second 'survey'");
}

/* --- checker errors --------------------------------------------------------------- */

#define TWO HEAD "question a scale 1 5\n  text en \"a\"\n"   /* lines 2-3 */

static void test_check_errors(void **state)
{
    (void)state;
    expect_error_at(HEAD "question a text\n  text en \"x\"\nquestion a text\n  text en \"y\"\n", 4, 10,
                    "duplicate question 'a' (first at line 2)");
    expect_error_at(HEAD "question a single\n  text en \"x\"\n  choice 1 \"x\"\n  choice 1 \"y\"\n", 5, 10,
                    "duplicate choice code 1 (first at line 4)");
    expect_error_at(TWO "question b text\n  text en \"b\"\n  ask if nosuch = 1\n", 6, 10, "unknown name 'nosuch'");
    expect_error_at(TWO "  ask if b = 1\nquestion b scale 1 5\n  text en \"b\"\n", 4, 10,
                    "'b' is asked later (line 5)");
    expect_error_at(TWO "  ask if a = 1\n", 4, 10, "cannot be used in its own 'ask if'");
    expect_error_at(TWO "question b text\n  text en \"b\"\n  goto a if b = \"x\"\n", 6, 8,
                    "goto must go forward: 'a' is at line 2");
    expect_error_at(TWO "  goto a\n", 4, 8, "goto must go forward");
    expect_error_at(TWO "  goto zz if a = 1\n", 4, 8, "goto: unknown question 'zz'");
    expect_error_at(TWO "  measures speed\n", 4, 12, "parameter 'speed' is not declared");
    /* measures is accepted on every question type (DESIGN; issue 11) */
    {
        static const char *const types[] = {"text 50", "multi\n  choice 1 \"a\"", "date",
                                            "single\n  choice 1 \"a\"", "scale 1 5", "number 0 9"};
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
            char src[256];
            snprintf(src, sizeof src, "survey s\nparameters p\nquestion a %s\n  text en \"x\"\n  measures p\n",
                     types[i]);
            struct script_diags d;
            struct cati_script *sc = parse(src, &d);
            if (!sc)
                fail_msg("measures on %s refused: %s", types[i], d.n ? d.items[0].msg : "?");
            assert_int_equal(sc->questions[0].measures, 0);
            script_free(sc);
            script_diags_free(&d);
        }
    }
    expect_error_at(TWO "  measures p\n", 4, 12, "not declared");
    /* the default language is required; a missing translation is a warning */
    expect_error_at("survey s\nlanguages en dz\nquestion a text\n  text dz \"x\"\n", 3, 10,
                    "question 'a' has no text in 'en'");
    {
        struct script_diags d;
        struct cati_script *s = parse("survey s\nlanguages en dz\nquestion a text\n  text en \"x\"\n", &d);
        assert_non_null(s);
        assert_int_equal(d.n, 1);
        assert_int_equal(d.nwarnings, 1);
        assert_true(d.items[0].warning);
        assert_int_equal(d.items[0].line, 3);
        assert_non_null(strstr(d.items[0].msg, "no text in 'dz': the 'en' text will be read"));
        assert_string_equal(script_question_text(&s->questions[0], 1), "x");
        script_free(s);
        script_diags_free(&d);
    }
    expect_error_at(HEAD "question a text\n  ask if 1 = 1\nquestion b text\n  text en \"x\"\n", 2, 10,
                    "question 'a' is empty");
    expect_error_at(HEAD "question a single\n  text en \"x\"\n", 2, 10, "has no choices");
    expect_error_at(HEAD "question a multi\n  text en \"x\"\n  choice 1 \"a\"\n  choice 2 \"b\"\n  exclusive 7\n",
                    6, 13, "exclusive code 7 is not a choice");
    /* codes the question does not define */
    expect_error_at(TWO "  end complete if a = 7\n", 4, 23, "7 is out of the range of 'a' (scale 1 to 5)");
    expect_error_at(HEAD "question a single\n  text en \"x\"\n  choice 1 \"a\"\n  choice 2 \"b\"\n"
                    "  end complete if a in (1, 3)\n", 6, 28, "code 3 is not a choice of 'a' (its codes are 1, 2)");
    expect_error_at(HEAD "question a number 0 10\n  text en \"x\"\n  end complete if a != 11\n", 4, 24,
                    "out of the range");
    /* types */
    expect_error_at(HEAD "question a text\n  text en \"x\"\n  end complete if a = 1\n", 4, 23,
                    "cannot compare text with a number");
    expect_error_at(HEAD "question a text\n  text en \"x\"\n  end complete if a < \"m\"\n", 4, 21,
                    "only be compared with = or !=");
    expect_error_at(TWO "  end complete if has(a, 1)\n", 4, 23, "has() needs a multi question: 'a' is scale");
    expect_error_at(HEAD "question a multi\n  text en \"x\"\n  choice 1 \"a\"\n  end complete if has(a, 4)\n",
                    5, 26, "code 4 is not a choice");
    expect_error_at(HEAD "question a multi\n  text en \"x\"\n  choice 1 \"a\"\n  end complete if a = 1\n", 5, 19,
                    "'a' is a multi question: use has(a, CODE)");
    expect_error_at(TWO "  end complete if a\n", 4, 19, "expected a condition");
    expect_error_at(TWO "  end complete if not 3\n", 4, 23, "expected a condition");
    expect_error_at(TWO "  end complete if (a = 1) = 1\n", 4, 19, "a condition cannot be compared");
    expect_error_at(TWO "  nodk\n  end complete if dk(a)\n", 5, 22, "'a' has nodk");
    expect_error_at(TWO "  norf\n  end complete if rf(a)\n", 5, 22, "'a' has norf");
    expect_error_at(TWO "  end complete if answered(name)\n", 4, 28, "'name' is a respondent field");
    expect_error_at(HEAD "question a date\n  text en \"x\"\n  check a > \"2024-13-01\" \"m\"\n", 4, 13,
                    "is not a date");
    expect_error_at(TWO "  end complete if a = \"x\"\n", 4, 23, "cannot compare a number with text");
    expect_error_at(TWO "  flag x if a = 1\n  flag x if a = 2\n", 5, 8, "flag 'x' is raised twice");
    expect_error_at(TWO "  ask if 1 = 1\n  ask if 2 = 2\n", 5, 3, "a second 'ask if'");
    /* fills */
    expect_error_at(HEAD "question a text\n  text en \"Hi {nme}!\"\n", 3, 16, "unknown fill {nme}");
    expect_error_at(HEAD "question a text\n  text en \"Hi {b}\"\nquestion b text\n  text en \"x\"\n", 3, 16,
                    "fill {b}: that question is asked later");
    expect_error_at(HEAD "question a text\n  text en \"Hi {a}\"\n", 3, 16, "cannot fill its own text");
    expect_error_at(HEAD "question a text\n  text en \"Hi {name\"\n", 3, 15, "unclosed fill");
    expect_error_at(HEAD "question a text\n  text en \"Hi }\"\n", 3, 15, "a lone '}'");
    expect_error_at(HEAD "question a text\n  text en \"ཀུ་ཟུ {x}\"\n", 3, 19, "unknown fill {x}");
}

static void test_all_errors_reported_in_order(void **state)
{
    (void)state;
    struct script_diags d;
    const char *src = HEAD "question a scale 1 5\n  text en \"x\"\n  ask if zz = 1\n"
                           "question b badtype\nquestion c text\n  text en \"open\n"
                           "question d text\n  text en \"{nope}\"\n";
    assert_null(parse(src, &d));
    assert_int_equal(d.n, 4);
    assert_int_equal(d.items[0].line, 4);
    assert_int_equal(d.items[1].line, 5);
    assert_int_equal(d.items[2].line, 7);
    assert_int_equal(d.items[3].line, 9);
    script_diags_free(&d);
}

static void test_render_caret(void **state)
{
    (void)state;
    struct script_diags d;
    const char *src = HEAD "question a text\n\ttext en \"ཀུ་ཟུ {x}\"\n";
    assert_null(parse(src, &d));
    char *r = script_diags_render(&d, "t.cati", src, strlen(src));
    assert_non_null(r);
    assert_string_equal(r, "t.cati:3:18: unknown fill {x}: not a question or a respondent field\n"
                           "\ttext en \"ཀུ་ཟུ {x}\"\n"
                           "\t                ^\n");
    free(r);
    script_diags_free(&d);
}

/* Builds HEAD + a question + `ask if` + prefix + n copies of rep + suffix. */
static char *hostile(const char *prefix, const char *rep, int n, const char *suffix)
{
    const char *head = HEAD "question a scale 1 5\n  text en \"A\"\nquestion b scale 1 5\n  text en \"B\"\n";
    size_t len = strlen(head) + strlen(prefix) + strlen(rep) * (size_t)n + strlen(suffix) + 1;
    char *src = malloc(len);
    assert_non_null(src);
    char *o = src + sprintf(src, "%s%s", head, prefix);
    for (int i = 0; i < n; i++)
        o += sprintf(o, "%s", rep);
    strcpy(o, suffix);
    return src;
}

static void test_hostile_scripts(void **state)
{
    (void)state;
    /* 100,000 parentheses, 'not's or 'and' terms: a clear error at the
     * level past the limit, not a stack overflow */
    char *src = hostile("  ask if ", "(", 100000, "a = 1");
    expect_error_at(src, 6, 10 + 1000, "expression too deeply nested: more than 1000 levels");
    free(src);
    src = hostile("  ask if ", "not ", 100000, "a = 1");
    expect_error_at(src, 6, 10 + 4000, "too deeply nested");
    free(src);
    src = hostile("  ask if a = 1", " and a = 1", 100000, "");
    expect_error_at(src, 6, 16 + 10000, "too deeply nested");
    free(src);
    /* up to the limit is fine */
    char close[1100] = "a = 1";
    memset(close + 5, ')', 999);
    strcpy(close + 5 + 999, " or not a = 2\n");
    src = hostile("  ask if ", "(", 999, close);
    struct cati_script *s = parse_ok(src);
    assert_non_null(s->questions[1].ask_if);
    script_free(s);
    free(src);
    /* a 1,000,000-character text, then a bad fill: found, at the right column */
    src = hostile("  text en \"", "x", 1000000, "{nope}\"\n");
    expect_error_at(src, 6, 12 + 1000000 + 1, "unknown fill {nope}");
    /* the report shows about 160 characters around the column, not the whole line */
    struct script_diags d;
    assert_null(parse(src, &d));
    char *r = script_diags_render(&d, "t.cati", src, strlen(src));
    assert_non_null(r);
    assert_true(strlen(r) < 600);
    char *line = strchr(r, '\n') + 1, *caret = strchr(line, '\n') + 1;
    assert_memory_equal(line, "...xxx", 6);
    assert_memory_equal(caret + (strchr(caret, '^') - caret) - 1, " ^", 2);
    assert_int_equal(line[strchr(caret, '^') - caret], 'n'); /* under the name in {nope} */
    free(r);
    script_diags_free(&d);
    free(src);
}

static void test_answer_validate(void **state)
{
    (void)state;
    struct cati_script *s = parse_ok(HEAD
        "question a single\n  text en \"x\"\n  choice 1 \"Yes\"\n  choice 2 \"No\"\n"
        "question b multi\n  text en \"x\"\n  choice 1 \"a\"\n  choice 3 \"c\"\n  choice 9 \"none\"\n  exclusive 9\n"
        "question c scale 1 5\n  text en \"x\"\n"
        "question d number 0 365\n  text en \"x\"\n"
        "question e date\n  text en \"x\"\n"
        "question f text 5\n  text en \"x\"\n");
    char *v, why[256];
    const struct cati_question *q = s->questions;
    assert_int_equal(script_answer_validate(&q[0], " 2 ", &v, why, sizeof why), 0);
    assert_string_equal(v, "2");
    free(v);
    assert_int_equal(script_answer_validate(&q[0], "3", &v, why, sizeof why), -1);
    assert_string_equal(why, "3 is not a choice: use 1 or 2");
    assert_int_equal(script_answer_validate(&q[0], "yes", &v, why, sizeof why), -1);
    assert_int_equal(script_answer_validate(&q[1], "3, 1 3", &v, why, sizeof why), 0);
    assert_string_equal(v, "1,3");
    free(v);
    assert_int_equal(script_answer_validate(&q[1], "9,1", &v, why, sizeof why), -1);
    assert_non_null(strstr(why, "cannot be combined"));
    assert_int_equal(script_answer_validate(&q[1], "9", &v, why, sizeof why), 0);
    free(v);
    assert_int_equal(script_answer_validate(&q[1], "2", &v, why, sizeof why), -1);
    assert_int_equal(script_answer_validate(&q[2], "6", &v, why, sizeof why), -1);
    assert_string_equal(why, "6 is out of range: use 1 to 5");
    assert_int_equal(script_answer_validate(&q[3], "365", &v, why, sizeof why), 0);
    free(v);
    assert_int_equal(script_answer_validate(&q[3], "-1", &v, why, sizeof why), -1);
    assert_int_equal(script_answer_validate(&q[4], "2024-02-29", &v, why, sizeof why), 0);
    assert_string_equal(v, "2024-02-29");
    free(v);
    assert_int_equal(script_answer_validate(&q[4], "2023-02-29", &v, why, sizeof why), -1);
    assert_int_equal(script_answer_validate(&q[5], "ཀུ་ཟུ", &v, why, sizeof why), 0); /* 5 characters */
    free(v);
    assert_int_equal(script_answer_validate(&q[5], "abcdef", &v, why, sizeof why), -1);
    assert_int_equal(script_answer_validate(&q[5], "a\x01", &v, why, sizeof why), -1);
    assert_int_equal(script_answer_validate(&q[5], "   ", &v, why, sizeof why), -1);
    assert_int_equal(script_answer_validate(&q[5], "\xC3\x28", &v, why, sizeof why), -1);
    script_free(s);
}

/* `labels FIELD CODE "label" [LANG "label"]...`: sample codes read as words. */
static void test_field_labels(void **state)
{
    (void)state;
    struct cati_script *s = parse_ok(HEAD "languages en dz\n"
                                     "fields office\n"
                                     "labels service cid_new \"New CID card\" dz \"CID\" "
                                     "census_transfer \"Census transfer between dzongkhags\"\n"
                                     "labels office 12 \"Head office\"\n"
                                     "question q single\n text en \"{service}?\"\n text dz \"{service}\"\n choice 1 \"a\"\n");
    assert_int_equal(s->nlabels, 3);
    assert_string_equal(script_field_label(s, "service", "cid_new", 0), "New CID card");
    assert_string_equal(script_field_label(s, "service", "cid_new", 1), "CID");
    /* a label missing in a language falls back to the first */
    assert_string_equal(script_field_label(s, "service", "census_transfer", 1),
                        "Census transfer between dzongkhags");
    assert_string_equal(script_field_label(s, "office", "12", 0), "Head office");
    assert_null(script_field_label(s, "service", "passport", 0));
    assert_null(script_field_label(s, "agency", "cid_new", 0));
    assert_string_equal(script_field_display(s, "service", "passport", 0), "passport");
    assert_string_equal(script_field_display(s, "service", "cid_new", 0), "New CID card");
    script_free(s);
    /* labels are optional */
    s = parse_ok(HEAD "question q single\n text en \"{service}?\"\n choice 1 \"a\"\n");
    assert_int_equal(s->nlabels, 0);
    assert_null(script_field_label(s, "service", "cid_new", 0));
    script_free(s);

    const char *Q = "question q single\n text en \"x\"\n choice 1 \"a\"\n";
    char src[512];
    snprintf(src, sizeof src, HEAD "labels service a \"A\" b \"B\" a \"C\"\n%s", Q);
    expect_error_at(src, 2, 28, "duplicate label for service code 'a' (first at line 2)");
    snprintf(src, sizeof src, HEAD "labels service a \"A\"\nlabels service a \"C\"\n%s", Q);
    expect_error_at(src, 3, 16, "duplicate label for service code 'a'");
    snprintf(src, sizeof src, HEAD "labels office a \"A\"\n%s", Q);
    expect_error_at(src, 2, 8, "labels: unknown respondent field 'office'");
    snprintf(src, sizeof src, HEAD "labels q a \"A\"\n%s", Q);
    expect_error_at(src, 2, 8, "labels: 'q' is a question, not a respondent field");
    snprintf(src, sizeof src, HEAD "labels service a\n%s", Q);
    expect_error_at(src, 2, 17, "expected the label in double quotes");
    snprintf(src, sizeof src, HEAD "labels service\n%s", Q);
    expect_error_at(src, 2, 15, "expected a code and its label");
    snprintf(src, sizeof src, HEAD "languages en dz\nlabels service a \"A\" dz \"x\" dz \"y\"\n%s", Q);
    expect_error_at(src, 3, 29, "code 'a' already has a label in 'dz'");
    snprintf(src, sizeof src, HEAD "%slabels service a \"A\"\n", Q);
    expect_error_at(src, 5, 1, "'labels' belongs in the header");
}

/* `draft LANG …` and `text LANG draft "…"`: texts marked as draft translations. */
static void test_draft_translation(void **state)
{
    (void)state;
    struct cati_script *s = parse_ok(HEAD "languages en dz fr\n"
                                     "draft dz\n"
                                     "question a single\n text en \"A?\"\n text dz \"ཀ?\"\n"
                                     " text fr draft \"Un ?\"\n choice 1 \"x\"\n"
                                     "question b single\n text en \"B?\"\n text dz \"ཁ?\"\n text fr \"Bé ?\"\n choice 1 \"x\"\n");
    const struct cati_question *a = &s->questions[0], *b = &s->questions[1];
    assert_int_equal(script_text_draft(s, a, 0), 0);          /* the master text */
    assert_int_equal(script_text_draft(s, a, 1), 1);          /* dz: the whole language */
    assert_int_equal(script_text_draft(s, a, 2), 1);          /* fr: this text */
    assert_int_equal(script_text_draft(s, b, 2), 0);          /* a reviewed fr text */
    assert_int_equal(script_text_draft(s, b, -1), 0);
    script_free(s);
    /* a question without a dz text reads English: not a draft */
    struct script_diags d;
    s = parse(HEAD "languages en dz\ndraft dz\nquestion q single\n text en \"x\"\n choice 1 \"a\"\n", &d);
    assert_non_null(s);
    assert_int_equal(script_text_draft(s, &s->questions[0], 1), 0);
    script_free(s);
    script_diags_free(&d);

    const char *Q = "question q single\n text en \"x\"\n choice 1 \"a\"\n";
    char src[512];
    snprintf(src, sizeof src, HEAD "languages en dz\ndraft en\n%s", Q);
    expect_error_at(src, 3, 7, "'en' is the first language, the master text: only a translation can be a draft");
    snprintf(src, sizeof src, HEAD "languages en dz\ndraft fr\n%s", Q);
    expect_error_at(src, 3, 7, "language 'fr' is not declared in 'languages'");
    snprintf(src, sizeof src, HEAD "languages en dz\ndraft\n%s", Q);
    expect_error_at(src, 3, 6, "expected the languages whose translation is a draft");
    snprintf(src, sizeof src, HEAD "languages en dz\n%sdraft dz\n", Q);
    expect_error_at(src, 6, 1, "'draft' belongs in the header");
    snprintf(src, sizeof src, HEAD "question q single\n text en draft \"x\"\n choice 1 \"a\"\n");
    expect_error_at(src, 3, 10, "'en' is the first language");
}

static void test_serve_questionnaire(void **state)
{
    (void)state;
    struct script_diags d = {0};
    struct cati_error err;
    struct cati_script *s = script_parse_file("data/serve.cati", &d, &err);
    if (!s)
        for (int i = 0; i < d.n; i++)
            print_message("  %d:%d: %s\n", d.items[i].line, d.items[i].col, d.items[i].msg);
    assert_non_null(s);
    assert_string_equal(s->name, "serve");
    /* the demo sample's service codes read as words */
    assert_string_equal(script_field_label(s, "service", "cid_new", 0), "New CID card");
    assert_non_null(script_field_label(s, "service", "census_transfer", 0));
    assert_int_equal(s->nlangs, 2);
    assert_int_equal(s->nparameters, 5);
    /* the demo sample's service codes read as words */
    assert_string_equal(script_field_label(s, "service", "cid_new", 0), "New CID card");
    assert_non_null(script_field_label(s, "service", "census_transfer", 0));
    /* every parameter is measured by some question */
    for (int p = 0; p < s->nparameters; p++) {
        int n = 0;
        for (int i = 0; i < s->nquestions; i++)
            n += s->questions[i].measures == p;
        assert_true(n >= 1);
    }
    script_diags_free(&d);
    script_free(s);
}

static void test_varname_rule(void **state)
{
    (void)state;
    char why[128];
    const char *bad[] = {"to", "BY", "All", "with", "int", "long", "_x", "str80", "strL",
                         "abcdefghijklmnopqrstuvwxyz_0123456"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_non_null(script_varname_problem(bad[i], 0, why, sizeof why));
    const char *good[] = {"towns", "access", "str", "strx", "q_1", "abcdefghijklmnopqrstuvwxyz_01234"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_null(script_varname_problem(good[i], 0, why, sizeof why));
    /* 30 bytes fit alone, not with a "_10" column suffix */
    assert_null(script_varname_problem("abcdefghijklmnopqrstuvwxyz_012", 2, why, sizeof why));
    assert_non_null(script_varname_problem("abcdefghijklmnopqrstuvwxyz_012", 3, why, sizeof why));
    assert_non_null(strstr(why, "33 bytes"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_structure),
        cmocka_unit_test(test_varname_rule),
        cmocka_unit_test(test_defaults_and_escapes),
        cmocka_unit_test(test_lex_errors),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_check_errors),
        cmocka_unit_test(test_all_errors_reported_in_order),
        cmocka_unit_test(test_render_caret),
        cmocka_unit_test(test_hostile_scripts),
        cmocka_unit_test(test_answer_validate),
        cmocka_unit_test(test_field_labels),
        cmocka_unit_test(test_draft_translation),
        cmocka_unit_test(test_serve_questionnaire),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
