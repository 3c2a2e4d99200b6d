/* Accounts: the last active admin stays an admin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cati/account.h"
#include "cati/db.h"

static char dir[64];

static sqlite3 *open_db(void)
{
    sqlite3 *db;
    struct cati_error err;
    char path[128];
    snprintf(dir, sizeof dir, "/tmp/cati-account.XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/a.db", dir);
    assert_int_equal(db_open(path, DB_OPEN_CREATE, 1000, &db, &err), 0);
    assert_int_equal(db_migrate(db, NULL, &err), 0);
    return db;
}

static const char *role_of(sqlite3 *db, const char *login)
{
    static struct cati_interviewer a;
    struct cati_error err;
    assert_int_equal(account_find(db, login, &a, &err), 0);
    return account_role_name(a.role);
}

static void test_last_admin_stays(void **state)
{
    (void)state;
    sqlite3 *db = open_db();
    struct cati_error err;
    assert_int_equal(account_add(db, "root1", NULL, ROLE_ADMIN, NULL, NULL, &err), 0);
    assert_int_equal(account_add(db, "pema", NULL, ROLE_INTERVIEWER, NULL, NULL, &err), 0);
    enum cati_role sup = ROLE_SUPERVISOR, adm = ROLE_ADMIN;
    /* the only admin: neither demoted nor disabled, and nothing changes */
    assert_int_equal(account_update(db, "root1", &sup, "en,dz", NULL, &err), -1);
    assert_non_null(strstr(err.msg, "root1 is the last active admin"));
    assert_string_equal(role_of(db, "root1"), "admin");
    assert_int_equal(account_set_active(db, "root1", 0, &err), -1);
    /* with a second admin, either may go */
    assert_int_equal(account_update(db, "pema", &adm, NULL, NULL, &err), 0);
    assert_int_equal(account_set_active(db, "root1", 0, &err), 0);
    assert_int_equal(account_update(db, "pema", &sup, NULL, NULL, &err), -1);
    assert_int_equal(account_set_active(db, "root1", 1, &err), 0);
    assert_int_equal(account_update(db, "pema", &sup, NULL, NULL, &err), 0);
    assert_string_equal(role_of(db, "pema"), "supervisor");
    /* an unknown login is still an error, and leaves no transaction open */
    assert_int_equal(account_set_active(db, "nobody", 0, &err), -1);
    assert_non_null(strstr(err.msg, "unknown interviewer"));
    assert_int_equal(sqlite3_get_autocommit(db), 1);
    db_close(db);
    char p[128];
    snprintf(p, sizeof p, "%s/a.db", dir);
    remove(p);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_last_admin_stays)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
