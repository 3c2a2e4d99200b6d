/* argv: the shell's line splitter (quotes, escapes, comments, errors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "cati/argv.h"

/* Split line and compare with the expected words (NULL-terminated). */
static void expect_words(const char *line, const char *const *want)
{
    int argc = -1;
    char **argv = NULL;
    struct cati_error err;
    assert_int_equal(argv_split(line, 0, &argc, &argv, &err), 0);
    int n = 0;
    while (want[n])
        n++;
    assert_int_equal(argc, n);
    for (int i = 0; i < n; i++)
        assert_string_equal(argv[i], want[i]);
    assert_null(argv[argc]);
    argv_free(argv);
}

static void test_plain(void **state)
{
    (void)state;
    expect_words("case show 12", (const char *[]){"case", "show", "12", NULL});
    expect_words("  report\trates   --survey serve  \n",
                 (const char *[]){"report", "rates", "--survey", "serve", NULL});
    expect_words("", (const char *[]){NULL});
    expect_words(" \t \r\n", (const char *[]){NULL});
}

static void test_quotes(void **state)
{
    (void)state;
    expect_words("case outcome 12 busy --note \"no one home\"",
                 (const char *[]){"case", "outcome", "12", "busy", "--note", "no one home", NULL});
    expect_words("x 'it''s' '\"a\\b\"'", (const char *[]){"x", "its", "\"a\\b\"", NULL});
    expect_words("--note=\"a b\"c 'd e'f", (const char *[]){"--note=a bc", "d ef", NULL});
    expect_words("\"say \\\"hi\\\" \\\\ \\n\"", (const char *[]){"say \"hi\" \\ \\n", NULL});
    expect_words("a \"\" '' b", (const char *[]){"a", "", "", "b", NULL});
    /* UTF-8 passes through untouched */
    expect_words("interviewer add pema --name \"Pema Wangmo \xe0\xbd\xa2\xe0\xbe\xab\"",
                 (const char *[]){"interviewer", "add", "pema", "--name",
                                  "Pema Wangmo \xe0\xbd\xa2\xe0\xbe\xab", NULL});
}

static void test_escapes(void **state)
{
    (void)state;
    expect_words("survey load my\\ file.cati", (const char *[]){"survey", "load", "my file.cati", NULL});
    expect_words("a\\'b \\\"c \\\\", (const char *[]){"a'b", "\"c", "\\", NULL});
    expect_words("a \\#b", (const char *[]){"a", "#b", NULL});
}

static void test_comments(void **state)
{
    (void)state;
    expect_words("# a comment", (const char *[]){NULL});
    expect_words("   #indented comment \"open", (const char *[]){NULL});
    /* only a whole line is a comment */
    expect_words("case outcome 3 busy --note #2", (const char *[]){"case", "outcome", "3", "busy",
                                                                   "--note", "#2", NULL});
}

static void test_errors(void **state)
{
    (void)state;
    int argc = 7;
    char **argv = (char **)&argc;
    struct cati_error err;
    assert_int_equal(argv_split("case outcome 12 busy --note \"no one", 0, &argc, &argv, &err), -1);
    assert_null(argv);
    assert_string_equal(err.msg, "unterminated \" quote at column 29");
    assert_int_equal(argv_split("x 'abc", 0, &argc, &argv, &err), -1);
    assert_string_equal(err.msg, "unterminated ' quote at column 3");
    assert_int_equal(argv_split("a \"b\\\"", 0, &argc, &argv, &err), -1);
    assert_string_equal(err.msg, "unterminated \" quote at column 3");
    assert_int_equal(argv_split("x y\\", 0, &argc, &argv, &err), -1);
    assert_string_equal(err.msg, "line ends with a backslash");
}

static void test_lenient(void **state)
{
    (void)state;
    int argc;
    char **argv;
    struct cati_error err;
    assert_int_equal(argv_split("sample import --survey \"my su", ARGV_LENIENT, &argc, &argv, &err), 0);
    assert_int_equal(argc, 4);
    assert_string_equal(argv[3], "my su");
    argv_free(argv);
    assert_int_equal(argv_split("a b\\", ARGV_LENIENT, &argc, &argv, &err), 0);
    assert_int_equal(argc, 2);
    assert_string_equal(argv[1], "b");
    argv_free(argv);
}

/* The worst case for the block size: many one-character and empty words. */
static void test_many_words(void **state)
{
    (void)state;
    char line[4001];
    for (int i = 0; i < 2000; i++) {
        line[2 * i] = 'x';
        line[2 * i + 1] = ' ';
    }
    line[3999] = '\0';
    int argc;
    char **argv;
    struct cati_error err;
    assert_int_equal(argv_split(line, 0, &argc, &argv, &err), 0);
    assert_int_equal(argc, 2000);
    assert_string_equal(argv[1999], "x");
    argv_free(argv);
    for (int i = 0; i < 1000; i++)
        memcpy(line + 3 * i, "'' ", 3);
    line[2999] = '\0';
    assert_int_equal(argv_split(line, 0, &argc, &argv, &err), 0);
    assert_int_equal(argc, 1000);
    assert_string_equal(argv[999], "");
    argv_free(argv);
    argv_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),    cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_escapes),  cmocka_unit_test(test_comments),
        cmocka_unit_test(test_errors),   cmocka_unit_test(test_lenient),
        cmocka_unit_test(test_many_words),
    };
    return cmocka_run_group_tests_name("argv", tests, NULL, NULL);
}
