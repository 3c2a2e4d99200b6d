/* The sanitiser for printed text: controls show, text passes, chunks split
 * anywhere give the same result. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "cati/visible.h"

static void check(const char *in, const char *want)
{
    char out[512];
    cati_visible_str(in, out, sizeof out);
    if (strcmp(out, want))
        fail_msg("'%s' gave '%s', want '%s'", in, out, want);
}

static void test_controls_show(void **state)
{
    (void)state;
    check("\033]0;pwned\007title", "^[]0;pwned^Gtitle");
    check("Pema\033[2J", "Pema^[[2J");
    check("\033]52;c;cm0gLXJmIH4=\007", "^[]52;c;cm0gLXJmIH4=^G");
    check("a\xc2\x9b" "31mb", "a<U+009B>31mb");        /* the one-byte CSI */
    check("x\x7fy\x01", "x^?y^A");
    check("bad \xff\xfe byte", "bad <FF><FE> byte");
    check("cut \xe0\xbd", "cut <E0><BD>");                 /* a sequence never finished */
}

static void test_text_passes(void **state)
{
    (void)state;
    check("ཞབས་ཏོག་ 日本 café", "ཞབས་ཏོག་ 日本 café");
    check("a\tb\nc", "a\tb\nc");
    check("csv,row\r\nnext", "csv,row\r\nnext");          /* CRLF kept */
    check("over\rwrite", "over^Mwrite");                   /* a lone CR shows */
    check("\u00a0nbsp", "\u00a0nbsp");                     /* U+00A0 is text */
}

struct sink {
    char buf[512];
    size_t n;
};

static int put(void *ctx, const char *b, size_t len)
{
    struct sink *s = ctx;
    memcpy(s->buf + s->n, b, len);
    s->n += len;
    s->buf[s->n] = '\0';
    return 0;
}

static void test_chunks(void **state)
{
    (void)state;
    const char *in = "ཀ་ཁ \033[2J\r\nx\r\xc2\x9b" "end\xe0";
    char whole[512];
    cati_visible_str(in, whole, sizeof whole);
    /* one byte at a time, then final: the same text */
    struct cati_visible v = {0};
    struct sink s = {{0}, 0};
    for (size_t i = 0; in[i]; i++)
        assert_int_equal(cati_visible_write(&v, in + i, 1, 0, put, &s), 0);
    assert_int_equal(cati_visible_write(&v, "", 0, 1, put, &s), 0);
    assert_string_equal(s.buf, whole);
    assert_string_equal(whole, "ཀ་ཁ ^[[2J\r\nx^M<U+009B>end<E0>");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_controls_show),
        cmocka_unit_test(test_text_passes),
        cmocka_unit_test(test_chunks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
