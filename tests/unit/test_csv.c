/* CSV reader and writer (RFC 4180), and the atomic-file helper. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cati/atomic.h"
#include "cati/csv.h"

/* Read all of text; returns the records as "line:f1|f2|…" joined by "\n",
 * bad records as "line:BAD@errline:msg", fatal as "FATAL@line:msg". */
static char *dump(const char *text, size_t len, unsigned flags)
{
    static char out[8192];
    out[0] = '\0';
    struct csv_reader *r = csv_reader_new_mem(text, len, "t.csv", flags);
    assert_non_null(r);
    struct csv_record rec;
    struct cati_error err;
    enum csv_result rc;
    size_t o = 0;
    while ((rc = csv_read(r, &rec, &err)) != CSV_EOF) {
        if (rc == CSV_FATAL) {
            o += (size_t)snprintf(out + o, sizeof out - o, "FATAL@%d:%s\n", err.line, err.msg);
            assert_int_equal(csv_read(r, &rec, &err), CSV_FATAL); /* sticky */
            break;
        }
        if (rc == CSV_BAD) {
            assert_string_equal(err.file, "t.csv");
            o += (size_t)snprintf(out + o, sizeof out - o, "%ld:BAD@%d:%s\n", rec.line, err.line,
                                  err.msg);
            continue;
        }
        o += (size_t)snprintf(out + o, sizeof out - o, "%ld:", rec.line);
        for (size_t i = 0; i < rec.n; i++) {
            assert_int_equal(strlen(rec.f[i].s), rec.f[i].len);
            o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", i ? "|" : "", rec.f[i].s);
        }
        o += (size_t)snprintf(out + o, sizeof out - o, "\n");
    }
    csv_reader_free(r);
    return out;
}
#define D(s) dump(s, sizeof(s) - 1, 0)

static void test_rfc_basic(void **state)
{
    (void)state;
    assert_string_equal(D("a,b,c\r\nd,e,f\r\n"), "1:a|b|c\n2:d|e|f\n");
    assert_string_equal(D("a,b,c\nd,e,f\n"), "1:a|b|c\n2:d|e|f\n");   /* LF */
    assert_string_equal(D("a,b,c\rd,e,f\r"), "1:a|b|c\n2:d|e|f\n");   /* lone CR */
    assert_string_equal(D("a,b,c\r\nd,e,f"), "1:a|b|c\n2:d|e|f\n");   /* no final line end */
    assert_string_equal(D("a,b\r\nc,d\nx,y\r"), "1:a|b\n2:c|d\n3:x|y\n"); /* mixed */
    assert_string_equal(D(""), "");
    assert_string_equal(D("x"), "1:x\n");
}

static void test_rfc_empty_and_spaces(void **state)
{
    (void)state;
    assert_string_equal(D(",,\n\"\",\"\",\"\"\n"), "1:||\n2:||\n");
    assert_string_equal(D(" a , b \n"), "1: a | b \n"); /* spaces are data */
    assert_string_equal(D("\"\"\n"), "1:\n");           /* one empty field */
    /* empty lines are skipped but still counted */
    assert_string_equal(D("a,b\n\n\r\n\nc,d\n\n"), "1:a|b\n5:c|d\n");
}

static void test_rfc_quoted(void **state)
{
    (void)state;
    assert_string_equal(D("\"a,b\",c\r\n"), "1:a,b|c\n");
    assert_string_equal(D("\"say \"\"hi\"\"\",x\n"), "1:say \"hi\"|x\n");
    assert_string_equal(D("\"\"\"\"\n"), "1:\"\n");
    assert_string_equal(D("a,\"\"\n"), "1:a|\n");
    assert_string_equal(D("\"x\""), "1:x\n"); /* quoted, no final line end */
    /* embedded line ends: the next record's line counts them */
    assert_string_equal(D("h1,h2\r\n\"two\r\nlines\",x\r\nnext,y\r\n"),
                        "1:h1|h2\n2:two\r\nlines|x\n4:next|y\n");
    assert_string_equal(D("h1,h2\n\"a\nb\nc\",x\nnext,y\n"), "1:h1|h2\n2:a\nb\nc|x\n5:next|y\n");
    assert_string_equal(D("h1,h2\n\"a\rb\",x\nn,y\n"), "1:h1|h2\n2:a\rb|x\n4:n|y\n");
    /* a quote closed at a chunk's end is fine: end_line is the last line */
    struct csv_reader *r = csv_reader_new_mem("\"a\nb\"\nc\n", 8, "t.csv", 0);
    struct csv_record rec;
    assert_int_equal(csv_read(r, &rec, NULL), CSV_OK);
    assert_int_equal(rec.line, 1);
    assert_int_equal(rec.end_line, 2);
    csv_reader_free(r);
}

static void test_bom_and_utf8(void **state)
{
    (void)state;
    assert_string_equal(D("\xef\xbb\xbfref,name\n1,Dorji\n"), "1:ref|name\n2:1|Dorji\n");
    /* a BOM anywhere else is data */
    assert_string_equal(D("a\n\xef\xbb\xbf" "b\n"), "1:a\n2:\xef\xbb\xbf" "b\n");
    /* Dzongkha and other UTF-8 pass through unchanged */
    assert_string_equal(D("\xe0\xbd\xa2\xe0\xbe\xab\xe0\xbd\xbc\xe0\xbd\x84\xe0\xbc\x8b,\xf0\x9f\x98\x80\n"),
                        "1:\xe0\xbd\xa2\xe0\xbe\xab\xe0\xbd\xbc\xe0\xbd\x84\xe0\xbc\x8b|\xf0\x9f\x98\x80\n");
}

static void test_bad_utf8(void **state)
{
    (void)state;
    assert_string_equal(D("a,b\nc,\xff\nd,e\n"), "1:a|b\n2:BAD@2:invalid UTF-8 in field 2\n3:d|e\n");
    assert_string_equal(D("a\n\xc0\xaf\n"), "1:a\n2:BAD@2:invalid UTF-8 in field 1\n"); /* overlong */
    assert_string_equal(D("a\n\xed\xa0\x80\n"), "1:a\n2:BAD@2:invalid UTF-8 in field 1\n"); /* surrogate */
    assert_string_equal(D("a\n\xe0\xbd\n"), "1:a\n2:BAD@2:invalid UTF-8 in field 1\n"); /* truncated */
    assert_string_equal(D("a\n\xf4\x90\x80\x80\n"), "1:a\n2:BAD@2:invalid UTF-8 in field 1\n");
    /* inside a multi-line quoted field: the line of the bad byte */
    assert_string_equal(D("h,i\nx,\"one\ntwo\nth\xfe\"\nz,z\n"),
                        "1:h|i\n2:BAD@4:invalid UTF-8 in field 2\n5:z|z\n");
    assert_string_equal(D("h,i\nx,\"a\r\nb\r\n\xfe\"\n"), "1:h|i\n2:BAD@4:invalid UTF-8 in field 2\n");
    /* NUL is refused even when UTF-8 checks are off */
    static const char nul[] = "a,b\nc,d\0e\n";
    assert_string_equal(dump(nul, sizeof nul - 1, 0), "1:a|b\n2:BAD@2:NUL byte in field 2\n");
    assert_string_equal(dump(nul, sizeof nul - 1, CSV_ALLOW_BAD_UTF8),
                        "1:a|b\n2:BAD@2:NUL byte in field 2\n");
    static const char lat1[] = "a\ncaf\xe9\n";
    assert_string_equal(dump(lat1, sizeof lat1 - 1, CSV_ALLOW_BAD_UTF8), "1:a\n2:caf\xe9\n");
}

static void test_ragged(void **state)
{
    (void)state;
    assert_string_equal(D("a,b,c\n1,2\n1,2,3\n1,2,3,4\n"),
                        "1:a|b|c\n2:BAD@2:expected 3 fields, got 2\n3:1|2|3\n"
                        "4:BAD@4:expected 3 fields, got 4\n");
    /* the record's first line, after a multi-line field */
    assert_string_equal(D("a,b\n\"x\ny\",z\n\"p\nq\"\n"),
                        "1:a|b\n2:x\ny|z\n4:BAD@4:expected 2 fields, got 1\n");
    static const char t[] = "a,b\n1\n";
    assert_string_equal(dump(t, sizeof t - 1, CSV_ALLOW_RAGGED), "1:a|b\n2:1\n");
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    assert_string_equal(D("a,b\n1,2\n3,\"four\n5,6\n7,8\n"),
                        "1:a|b\n2:1|2\nFATAL@3:unterminated quote: this quoted field never ends\n");
    assert_string_equal(D("\"abc"), "FATAL@1:unterminated quote: this quoted field never ends\n");
    assert_string_equal(D("a\n\n\"\n\n"), "1:a\nFATAL@3:unterminated quote: this quoted field never ends\n");
}

static void test_stray_quotes(void **state)
{
    (void)state;
    assert_string_equal(D("a,b\nx,ab\"c\ny,z\n"),
                        "1:a|b\n2:BAD@2:quote inside an unquoted field\n3:y|z\n");
    assert_string_equal(D("a,b\n\"x\"y,z\nq,r\n"),
                        "1:a|b\n2:BAD@2:text after the closing quote of a field\n3:q|r\n");
    assert_string_equal(D("a,b\n\"x\ny\" z,w\nq,r\n"),
                        "1:a|b\n2:BAD@3:text after the closing quote of a field\n4:q|r\n");
    /* bad record reports the field at fault */
    struct csv_reader *r = csv_reader_new_mem("a,b\"\n", 5, "t.csv", 0);
    struct csv_record rec;
    struct cati_error err;
    assert_int_equal(csv_read(r, &rec, &err), CSV_BAD);
    assert_int_equal(rec.bad_field, 2);
    assert_int_equal(rec.n, 2);
    assert_int_equal(csv_read(r, &rec, &err), CSV_EOF);
    assert_int_equal(csv_read(r, &rec, &err), CSV_EOF);
    csv_reader_free(r);
}

static void test_record_limit(void **state)
{
    (void)state;
    char buf[300];
    memset(buf, 'x', sizeof buf);
    buf[0] = '"';
    struct csv_reader *r = csv_reader_new_mem(buf, sizeof buf, "t.csv", 0);
    csv_reader_set_max_record(r, 100);
    struct csv_record rec;
    struct cati_error err;
    assert_int_equal(csv_read(r, &rec, &err), CSV_FATAL);
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.msg, "unterminated quote?"));
    csv_reader_free(r);
    memset(buf, 'x', sizeof buf);
    r = csv_reader_new_mem(buf, sizeof buf, "t.csv", 0);
    csv_reader_set_max_record(r, 100);
    assert_int_equal(csv_read(r, &rec, &err), CSV_FATAL);
    assert_string_equal(err.msg, "record longer than 100 bytes");
    csv_reader_free(r);
}

/* Records that straddle the FILE reader's 64 KiB chunks, CRLF split across. */
static void test_file_chunks(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    fputs("\xef\xbb\xbfid,text\r\n", f);
    long n = 0;
    char field[200];
    for (n = 1; n <= 3000; n++) {
        int len = (int)(n % 150);
        memset(field, 'a' + (int)(n % 26), (size_t)len);
        field[len] = '\0';
        if (n % 7 == 0)
            fprintf(f, "%ld,\"%s,\"\"q\"\"\r\n%s\"\r\n", n, field, field);
        else
            fprintf(f, "%ld,%s\r\n", n, field);
    }
    rewind(f);
    struct csv_reader *r = csv_reader_new(f, "big.csv", 0);
    struct csv_record rec;
    struct cati_error err;
    assert_int_equal(csv_read(r, &rec, &err), CSV_OK);
    assert_string_equal(rec.f[0].s, "id");
    long line = 2;
    for (long i = 1; i <= 3000; i++) {
        assert_int_equal(csv_read(r, &rec, &err), CSV_OK);
        assert_int_equal(rec.line, line);
        assert_int_equal(rec.n, 2);
        assert_int_equal(strtol(rec.f[0].s, NULL, 10), i);
        size_t len = (size_t)(i % 150);
        if (i % 7 == 0) {
            assert_int_equal(rec.f[1].len, 2 * len + 6);
            assert_memory_equal(rec.f[1].s + len, ",\"q\"\r\n", 6);
            line += 2;
        } else {
            assert_int_equal(rec.f[1].len, len);
            line += 1;
        }
    }
    assert_int_equal(csv_read(r, &rec, &err), CSV_EOF);
    csv_reader_free(r);
    fclose(f);
}

/* A CRLF split exactly at the 64 KiB chunk boundary, outside and inside quotes. */
static void test_crlf_at_chunk_boundary(void **state)
{
    (void)state;
    for (int quoted = 0; quoted <= 1; quoted++) {
        FILE *f = tmpfile();
        assert_non_null(f);
        size_t n = 65535 - (size_t)quoted; /* the CR is byte 65536 */
        if (quoted)
            fputc('"', f);
        for (size_t i = 0; i < n; i++)
            fputc('x', f);
        fputs(quoted ? "\r\nz\"\r\ny\r\n" : "\r\ny\r\n", f);
        rewind(f);
        struct csv_reader *r = csv_reader_new(f, "b.csv", 0);
        struct csv_record rec;
        assert_int_equal(csv_read(r, &rec, NULL), CSV_OK);
        assert_int_equal(rec.line, 1);
        assert_int_equal(rec.end_line, 1 + quoted);
        assert_int_equal(csv_read(r, &rec, NULL), CSV_OK);
        assert_int_equal(rec.line, 2 + quoted);
        assert_string_equal(rec.f[0].s, "y");
        assert_int_equal(csv_read(r, &rec, NULL), CSV_EOF);
        csv_reader_free(r);
        fclose(f);
    }
}

static char *write_rows(const char *const *fields, size_t n, size_t per_row)
{
    static char out[4096];
    FILE *f = fmemopen(out, sizeof out, "w");
    struct csv_writer w;
    csv_writer_init(&w, f);
    for (size_t i = 0; i < n; i += per_row)
        assert_int_equal(csv_write_row(&w, fields + i, per_row), 0);
    assert_int_equal(csv_writer_error(&w), 0);
    fclose(f);
    return out;
}

static void test_writer_quoting(void **state)
{
    (void)state;
    const char *plain[] = {"ref", "name", "  spaced  ", "\xe0\xbd\xa2\xe0\xbe\xab"};
    assert_string_equal(write_rows(plain, 4, 4), "ref,name,  spaced  ,\xe0\xbd\xa2\xe0\xbe\xab\r\n");
    const char *special[] = {"a,b", "say \"hi\"", "two\nlines", "cr\rx", "\"", ""};
    assert_string_equal(write_rows(special, 6, 6),
                        "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rx\",\"\"\"\",\r\n");
    const char *empties[] = {"", NULL, ""};
    assert_string_equal(write_rows(empties, 3, 3), ",,\r\n");
    const char *bom[] = {"\xef\xbb\xbfx", "y"}; /* would be eaten as the file's BOM */
    assert_string_equal(write_rows(bom, 2, 2), "\"\xef\xbb\xbfx\",y\r\n");
    const char *one_empty[] = {""};
    assert_string_equal(write_rows(one_empty, 1, 1), "\"\"\r\n");
    /* integers */
    char out[64];
    FILE *f = fmemopen(out, sizeof out, "w");
    struct csv_writer w;
    csv_writer_init(&w, f);
    csv_write_long(&w, -8);
    csv_write_field(&w, "x\"", 1); /* len respected */
    assert_int_equal(csv_write_end(&w), 0);
    fclose(f);
    assert_string_equal(out, "-8,x\r\n");
}

static void test_writer_roundtrip(void **state)
{
    (void)state;
    const char *fields[] = {"id", "text", "1", "a,\"b\"\r\nc", "2", "", "3", "\xe0\xbd\xa2 \"",
                            "4", "\n"};
    char *csv = write_rows(fields, 10, 2);
    struct csv_reader *r = csv_reader_new_mem(csv, strlen(csv), "rt.csv", 0);
    struct csv_record rec;
    for (size_t i = 0; i < 10; i += 2) {
        assert_int_equal(csv_read(r, &rec, NULL), CSV_OK);
        assert_int_equal(rec.n, 2);
        assert_string_equal(rec.f[0].s, fields[i]);
        assert_string_equal(rec.f[1].s, fields[i + 1]);
    }
    assert_int_equal(csv_read(r, &rec, NULL), CSV_EOF);
    csv_reader_free(r);
    /* a lone empty field survives the trip */
    const char *one[] = {"h", "", "x"};
    csv = write_rows(one, 3, 1);
    assert_string_equal(dump(csv, strlen(csv), 0), "1:h\n2:\n3:x\n");
}

static void test_writer_error(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    setvbuf(f, NULL, _IONBF, 0);
    struct csv_writer w;
    csv_writer_init(&w, f);
    csv_write_field(&w, "a", (size_t)-1);
    assert_int_equal(csv_write_end(&w), -1);
    assert_int_equal(csv_writer_error(&w), -1);
    fclose(f);
}

static char *tmpdir_new(void)
{
    char *d = strdup("/tmp/cati-test-XXXXXX");
    assert_non_null(mkdtemp(d));
    return d;
}

static int count_entries(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    assert_int_equal(fscanf(p, "%d", &n), 1);
    pclose(p);
    return n;
}

static void rm_rf(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_atomic(void **state)
{
    (void)state;
    char *dir = tmpdir_new();
    char path[256], buf[64];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    struct atomic_file af;
    struct cati_error err;
    /* commit: content in place, no temp left */
    assert_int_equal(atomic_open(&af, path, 0644, &err), 0);
    fputs("new\r\n", af.f);
    /* the temp file is unnamed while written (O_TMPFILE on this filesystem):
     * a process killed now leaves nothing */
    assert_int_equal(count_entries(dir), 0);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(atomic_commit(&af, &err), 0);
    assert_null(af.tmp);
    FILE *f = fopen(path, "r");
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "new\r\n");
    assert_int_equal(count_entries(dir), 1);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0600, 0600);
    /* abort: the old file stays, the temp goes */
    assert_int_equal(atomic_open(&af, path, 0600, &err), 0);
    fputs("half", af.f);
    atomic_abort(&af);
    atomic_abort(&af); /* twice is harmless */
    f = fopen(path, "r");
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "new\r\n");
    assert_int_equal(count_entries(dir), 1);
    /* rename fails (the target is a directory): error, temp removed */
    char sub[300];
    snprintf(sub, sizeof sub, "%s/adir", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    char inner[320];
    snprintf(inner, sizeof inner, "%s/x", sub);
    f = fopen(inner, "w");
    fclose(f);
    assert_int_equal(atomic_open(&af, sub, 0644, &err), 0);
    fputs("x", af.f);
    assert_int_equal(atomic_commit(&af, &err), -1);
    assert_non_null(strstr(err.msg, "cannot write"));
    assert_int_equal(count_entries(dir), 2);
    /* a missing directory fails at open */
    snprintf(path, sizeof path, "%s/nowhere/out.csv", dir);
    assert_int_equal(atomic_open(&af, path, 0644, &err), -1);
    assert_non_null(strstr(err.msg, "nowhere/out.csv"));
    assert_null(af.f);
    /* a plain name (current directory) works too */
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(atomic_open(&af, "plain.csv", 0644, &err), 0);
    assert_int_equal(atomic_commit(&af, &err), 0);
    assert_int_equal(access("plain.csv", F_OK), 0);
    assert_int_equal(chdir(cwd), 0);
    /* named (for SQLite): a hidden 0600 file while written; one that a
     * killed writer left is removed by the next open */
    snprintf(path, sizeof path, "%s/db.sqlite", dir);
    char stale[320];
    snprintf(stale, sizeof stale, "%s/.db.sqlite.AbC123", dir);
    f = fopen(stale, "w");
    fclose(f);
    int before = count_entries(dir);
    assert_int_equal(atomic_open_named(&af, path, 0640, &err), 0);
    assert_int_equal(access(stale, F_OK), -1);
    assert_int_equal(count_entries(dir), before); /* the stale one gone, ours there */
    assert_int_equal(stat(af.tmp, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(atomic_commit(&af, &err), 0);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0640);
    rm_rf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_basic),
        cmocka_unit_test(test_rfc_empty_and_spaces),
        cmocka_unit_test(test_rfc_quoted),
        cmocka_unit_test(test_bom_and_utf8),
        cmocka_unit_test(test_bad_utf8),
        cmocka_unit_test(test_ragged),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_stray_quotes),
        cmocka_unit_test(test_record_limit),
        cmocka_unit_test(test_file_chunks),
        cmocka_unit_test(test_crlf_at_chunk_boundary),
        cmocka_unit_test(test_writer_quoting),
        cmocka_unit_test(test_writer_roundtrip),
        cmocka_unit_test(test_writer_error),
        cmocka_unit_test(test_atomic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
