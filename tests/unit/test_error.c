/* error: kinds, the exit code derived from the kind, and the kinds the
 * database and account layers give their failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cati/account.h"
#include "cati/csv.h"
#include "cati/db.h"
#include "cati/error.h"

static void test_exit_codes(void **state)
{
    (void)state;
    static const struct {
        enum cati_error_kind kind;
        int code;
    } want[] = {
        {CATI_ERR_OTHER, 1},   {CATI_ERR_INPUT, 2}, {CATI_ERR_NOT_FOUND, 2},
        {CATI_ERR_ROLE, 1},    {CATI_ERR_BUSY, 1},  {CATI_ERR_DATABASE, 1},
        {CATI_ERR_IO, 1},      {CATI_ERR_NOMEM, 1}, {CATI_ERR_LOST, 1},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct cati_error err;
        assert_int_equal(cati_error_setk(&err, want[i].kind, "x %d", (int)i), -1);
        assert_int_equal(err.kind, want[i].kind);
        assert_int_equal(cati_error_exit(&err), want[i].code);
        assert_true(strlen(cati_error_kind_name(want[i].kind)) > 0);
    }
    assert_int_equal(cati_error_exit(NULL), 1);
    assert_string_equal(cati_error_kind_name(CATI_ERR_NOT_FOUND), "not found");
}

static void test_set_resets_kind(void **state)
{
    (void)state;
    struct cati_error err;
    cati_error_setk(&err, CATI_ERR_INPUT, "bad");
    assert_string_equal(err.msg, "bad");
    cati_error_set(&err, "plain");
    assert_int_equal(err.kind, CATI_ERR_OTHER);
    cati_error_setk(&err, CATI_ERR_IO, "io");
    cati_error_at(&err, "f.csv", 3, 0, "at");
    assert_int_equal(err.kind, CATI_ERR_INPUT); /* a place in an input file */
    assert_int_equal(cati_error_exit(&err), 2);
    assert_int_equal(cati_error_kind(&err, CATI_ERR_LOST), -1);
    assert_int_equal(err.kind, CATI_ERR_LOST);
    assert_int_equal(cati_error_setk(NULL, CATI_ERR_IO, "nothing"), -1);
}

static void test_database_kinds(void **state)
{
    (void)state;
    sqlite3 *db;
    struct cati_error err;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(db_prepare(db, "SELECT * FROM no_such_table", &st, &err), -1);
    assert_int_equal(err.kind, CATI_ERR_DATABASE);
    assert_int_equal(cati_error_exit(&err), 1);
    assert_int_equal(db_exec(db, "NOT SQL", &err), -1);
    assert_int_equal(err.kind, CATI_ERR_DATABASE);
    sqlite3_close(db);

    assert_int_equal(db_open("/nonexistent/dir/x.db", DB_OPEN_EXISTING, 100, &db, &err), -1);
    assert_int_not_equal(err.kind, CATI_ERR_OTHER);
    assert_int_equal(cati_error_exit(&err), 1);
}

static void test_account_kinds(void **state)
{
    (void)state;
    sqlite3 *db;
    struct cati_error err;
    char dir[] = "/tmp/cati-test-error-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/e.db", dir);
    int created;
    assert_int_equal(db_open(path, DB_OPEN_CREATE, 100, &db, &err), 0);
    assert_int_equal(db_migrate(db, &created, &err), 0);
    assert_int_equal(account_add(db, "ann", "Ann", ROLE_ADMIN, "en", "", &err), 0);
    assert_int_equal(account_add(db, "ann", "Ann", ROLE_ADMIN, "en", "", &err), -1);
    assert_int_equal(err.kind, CATI_ERR_INPUT);
    assert_int_equal(account_add(db, "bad login", "B", ROLE_ADMIN, "en", "", &err), -1);
    assert_int_equal(err.kind, CATI_ERR_INPUT);
    assert_int_equal(cati_error_exit(&err), 2);
    assert_int_equal(account_set_active(db, "nobody", 0, &err), -1);
    assert_int_equal(err.kind, CATI_ERR_NOT_FOUND);
    struct cati_interviewer me;
    assert_int_equal(account_find(db, "nobody", &me, &err), -1);
    assert_int_equal(err.kind, CATI_ERR_NOT_FOUND);
    db_close(db);
    unlink(path);
    rmdir(dir);
}

static void test_csv_bad_content(void **state)
{
    (void)state;
    static const char data[] = "a,b\n1,\xff\n\"x\"y,2\n";
    struct csv_reader *r = csv_reader_new_mem(data, sizeof data - 1, "t.csv", 0);
    struct csv_record rec;
    struct cati_error err;
    assert_int_equal(csv_read(r, &rec, &err), CSV_OK);
    assert_null(rec.bad_content);
    assert_int_equal(csv_read(r, &rec, &err), CSV_BAD);
    assert_int_equal(rec.bad_field, 2);
    assert_string_equal(rec.bad_content, "invalid UTF-8");
    assert_string_equal(err.msg, "invalid UTF-8 in field 2");
    assert_int_equal(err.kind, CATI_ERR_INPUT);
    assert_int_equal(csv_read(r, &rec, &err), CSV_BAD); /* quoting: not the content */
    assert_int_equal(rec.bad_field, 1);
    assert_null(rec.bad_content);
    csv_reader_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_codes),    cmocka_unit_test(test_set_resets_kind),
        cmocka_unit_test(test_database_kinds), cmocka_unit_test(test_account_kinds),
        cmocka_unit_test(test_csv_bad_content),
    };
    return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
