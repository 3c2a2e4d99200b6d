/* Database: creation, pragmas, migrations, refusal of foreign files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cati/db.h"
#include "../../src/core/migrations.h"

static char dir[64];

static const char *path_of(const char *name)
{
    static char p[4][128];
    static int i;
    i = (i + 1) % 4;
    snprintf(p[i], sizeof p[i], "%s/%s", dir, name);
    return p[i];
}

static void read_file(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static void test_create_and_pragmas(void **state)
{
    (void)state;
    sqlite3 *db;
    struct cati_error err;
    int created = 0;
    const char *p = path_of("new.db");
    assert_int_equal(db_open(p, DB_OPEN_CREATE, 1000, &db, &err), 0);
    assert_int_equal(db_migrate(db, &created, &err), 0);
    assert_int_equal(created, 1);
    long long v;
    assert_int_equal(db_int(db, "PRAGMA user_version", NULL, 0, 0, &v, &err), 0);
    assert_int_equal(v, db_schema_version());
    assert_int_equal(db_int(db, "PRAGMA application_id", NULL, 0, 0, &v, &err), 0);
    assert_int_equal(v, CATI_APPLICATION_ID);
    assert_int_equal(db_int(db, "PRAGMA foreign_keys", NULL, 0, 0, &v, &err), 0);
    assert_int_equal(v, 1);
    assert_int_equal(db_int(db, "PRAGMA synchronous", NULL, 0, 0, &v, &err), 0);
    assert_int_equal(v, 2); /* FULL */
    assert_int_equal(db_int(db, "SELECT count(*) FROM sqlite_master WHERE name IN "
                                "('surveys','survey_versions','interviewers','cases','phones',"
                                "'calls','answers','answer_log','interviews','flags','exports')",
                            NULL, 0, 0, &v, &err), 0);
    assert_int_equal(v, 11);
    /* a second migrate is a no-op */
    assert_int_equal(db_migrate(db, &created, &err), 0);
    assert_int_equal(created, 0);
    db_close(db);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 07, 0); /* no world access */
    /* reopen as existing */
    assert_int_equal(db_open(p, DB_OPEN_EXISTING, 1000, &db, &err), 0);
    char mode[16];
    sqlite3_stmt *s;
    assert_int_equal(db_prepare(db, "PRAGMA journal_mode", &s, &err), 0);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    snprintf(mode, sizeof mode, "%s", sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    assert_string_equal(mode, "wal");
    db_close(db);
}

static void test_refuse_not_sqlite(void **state)
{
    (void)state;
    const char *p = path_of("text.db");
    FILE *f = fopen(p, "w");
    fputs("name,phone\nx,1\n", f);
    fclose(f);
    sqlite3 *db;
    struct cati_error err;
    assert_int_equal(db_open(p, DB_OPEN_CREATE, 1000, &db, &err), -1);
    assert_non_null(strstr(err.msg, "not a cati database"));
    char buf[64];
    read_file(p, buf, sizeof buf);
    assert_string_equal(buf, "name,phone\nx,1\n"); /* untouched */
}

static void test_refuse_other_app(void **state)
{
    (void)state;
    const char *p = path_of("other.db");
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(p, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "CREATE TABLE notes(x); PRAGMA application_id=42;", 0, 0, 0), SQLITE_OK);
    sqlite3_close(raw);
    sqlite3 *db;
    struct cati_error err;
    assert_int_equal(db_open(p, DB_OPEN_CREATE, 1000, &db, &err), -1);
    assert_non_null(strstr(err.msg, "another program"));
    /* a plain SQLite file with tables but no application_id is foreign too */
    const char *q = path_of("plain.db");
    assert_int_equal(sqlite3_open(q, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "CREATE TABLE t(x);", 0, 0, 0), SQLITE_OK);
    sqlite3_close(raw);
    assert_int_equal(db_open(q, DB_OPEN_EXISTING, 1000, &db, &err), -1);
    assert_non_null(strstr(err.msg, "another program"));
}

static void make_db(const char *p)
{
    sqlite3 *db;
    struct cati_error err;
    assert_int_equal(db_open(p, DB_OPEN_CREATE, 1000, &db, &err), 0);
    assert_int_equal(db_migrate(db, NULL, &err), 0);
    db_close(db);
}

static void test_refuse_newer(void **state)
{
    (void)state;
    const char *p = path_of("newer.db");
    make_db(p);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(p, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "PRAGMA user_version=999", 0, 0, 0), SQLITE_OK);
    sqlite3_close(raw);
    sqlite3 *db;
    struct cati_error err;
    assert_int_equal(db_open(p, DB_OPEN_CREATE, 1000, &db, &err), -1);
    assert_non_null(strstr(err.msg, "newer"));
}

static void test_missing_not_created(void **state)
{
    (void)state;
    const char *p = path_of("absent.db");
    sqlite3 *db;
    struct cati_error err;
    assert_int_equal(db_open(p, DB_OPEN_EXISTING, 1000, &db, &err), -1);
    assert_non_null(strstr(err.msg, "cati init"));
    assert_int_equal(access(p, F_OK), -1);
}

/* An older schema is refused for work and upgraded by init (old -> new):
 * a database at schema 1 (the first release) with data in it is brought
 * to the latest schema. Schema 2 keeps one live interview per case: of
 * three interviews on one case (two complete, one open) the first
 * complete stays live, the others are abandoned. */
static void test_upgrade_from_older(void **state)
{
    (void)state;
    const char *p = path_of("old.db");
    unlink(p);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(p, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, migrations_sql(1), 0, 0, 0), SQLITE_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA application_id=%d", CATI_APPLICATION_ID);
    assert_int_equal(sqlite3_exec(raw, sql, 0, 0, 0), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw,
                                  "PRAGMA user_version=1;"
                                  "INSERT INTO surveys VALUES(1, 's', '', 0, 0, 'su');"
                                  "INSERT INTO survey_versions(id, survey_id, version, source, loaded_at, uuid)"
                                  " VALUES(1, 1, 1, '', 0, 'sv');"
                                  "INSERT INTO interviewers(id, login, created_at) VALUES(1, 'root', 0);"
                                  "INSERT INTO cases(id, uuid, survey_id, ref, name, created_at, updated_at)"
                                  " VALUES(1, 'c1', 1, 'R1', 'N', 0, 0), (2, 'c2', 1, 'R2', 'M', 0, 0);"
                                  "INSERT INTO interviews(id, uuid, case_id, survey_version_id, outcome,"
                                  " started_at, updated_at) VALUES(1, 'i1', 1, 1, 'complete', 0, 0),"
                                  " (2, 'i2', 1, 1, 'complete', 0, 0), (3, 'i3', 1, 1, NULL, 0, 0),"
                                  " (4, 'i4', 2, 1, 'appointment', 0, 0), (5, 'i5', 2, 1, NULL, 0, 0);",
                                  0, 0, 0), SQLITE_OK);
    sqlite3_close(raw);
    sqlite3 *db;
    struct cati_error err;
    assert_int_equal(db_open(p, DB_OPEN_EXISTING, 1000, &db, &err), -1);
    assert_non_null(strstr(err.msg, "upgrades it with 'cati init'"));
    assert_int_equal(db_open(p, DB_OPEN_CREATE, 1000, &db, &err), 0);
    int created = 1;
    assert_int_equal(db_migrate(db, &created, &err), 0);
    assert_int_equal(created, 0);
    long long v;
    assert_int_equal(db_int(db, "PRAGMA user_version", NULL, 0, 0, &v, &err), 0);
    assert_int_equal(v, db_schema_version());
    assert_int_equal(db_int(db, "SELECT count(*) FROM interviewers", NULL, 0, 0, &v, &err), 0);
    assert_int_equal(v, 1);
    /* case 1: its first complete interview; case 2: its newest */
    assert_int_equal(db_int(db, "SELECT group_concat(id) FROM (SELECT id FROM interviews"
                                " WHERE state = 'live' ORDER BY id)", NULL, 0, 0, &v, &err), 0);
    assert_int_equal(db_int(db, "SELECT count(*) FROM interviews WHERE state = 'live'"
                                " AND id IN (1, 5)", NULL, 0, 0, &v, &err), 0);
    assert_int_equal(v, 2);
    assert_int_equal(db_int(db, "SELECT count(*) FROM interviews WHERE state = 'abandoned'", NULL, 0, 0,
                            &v, &err), 0);
    assert_int_equal(v, 3);
    /* and a second live interview on a case is refused by the schema */
    assert_int_equal(db_exec(db, "UPDATE interviews SET state = 'live' WHERE id = 2", &err), -1);
    db_close(db);
}

static void test_transactions(void **state)
{
    (void)state;
    const char *p = path_of("tx.db");
    make_db(p);
    sqlite3 *db;
    struct cati_error err;
    assert_int_equal(db_open(p, DB_OPEN_EXISTING, 1000, &db, &err), 0);
    assert_int_equal(db_begin_immediate(db, &err), 0);
    assert_int_equal(db_exec(db, "INSERT INTO audit(at,login,action) VALUES(1,'a','x')", &err), 0);
    db_rollback(db);
    long long v;
    assert_int_equal(db_int(db, "SELECT count(*) FROM audit", NULL, 0, 0, &v, &err), 0);
    assert_int_equal(v, 0);
    assert_int_equal(db_audit(db, "admin", "release", "case 3", &err), 0);
    assert_int_equal(db_int(db, "SELECT count(*) FROM audit WHERE login = ?", "admin", 0, 0, &v, &err), 0);
    assert_int_equal(v, 1);
    db_rollback(db); /* harmless with no transaction */
    /* a second connection's write lock makes begin report busy */
    sqlite3 *other;
    assert_int_equal(db_open(p, DB_OPEN_EXISTING, 100, &other, &err), 0);
    assert_int_equal(db_begin_immediate(other, &err), 0);
    sqlite3_busy_timeout(db, 50);
    assert_int_equal(db_begin_immediate(db, &err), -1);
    assert_non_null(strstr(err.msg, "busy"));
    db_rollback(other);
    assert_int_equal(db_begin_immediate(db, &err), 0);
    assert_int_equal(db_commit(db, &err), 0);
    db_close(other);
    /* read-only connections refuse writes */
    assert_int_equal(db_open(p, DB_OPEN_READONLY, 100, &other, &err), 0);
    assert_int_equal(db_exec(other, "DELETE FROM audit", &err), -1);
    db_close(other);
    db_close(db);
}

/* Does another process hold a lock on the SHARED range of p (where every
 * open WAL-mode connection keeps a read lock)? Asked from a child, since
 * POSIX locks are per process. */
static int shared_lock_seen_from_outside(const char *p)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(p, O_RDWR);
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0x40000002, .l_len = 510};
        _exit(fd >= 0 && fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* A second connection in the same process (the shell opens one) must not
 * drop the first one's locks: closing any descriptor of a file releases
 * every POSIX lock the process holds on it, and without its lock another
 * process's close would take the first connection for gone and delete the
 * WAL under it. Also: the -wal and -shm files are not world-readable. */
static void test_second_connection_keeps_locks(void **state)
{
    (void)state;
    const char *p = path_of("two.db");
    make_db(p);
    sqlite3 *a, *b;
    struct cati_error err;
    long long v;
    assert_int_equal(db_open(p, DB_OPEN_EXISTING, 1000, &a, &err), 0);
    assert_int_equal(db_int(a, "SELECT count(*) FROM audit", NULL, 0, 0, &v, &err), 0);
    assert_true(shared_lock_seen_from_outside(p));
    assert_int_equal(db_open(p, DB_OPEN_READONLY, 1000, &b, &err), 0);
    assert_int_equal(db_int(b, "SELECT count(*) FROM audit", NULL, 0, 0, &v, &err), 0);
    db_close(b);
    assert_true(shared_lock_seen_from_outside(p));
    /* the first connection still writes; -wal and -shm have no world access */
    assert_int_equal(db_audit(a, "admin", "x", "y", &err), 0);
    struct stat st;
    char side[160];
    for (int i = 0; i < 2; i++) {
        snprintf(side, sizeof side, "%s%s", p, i ? "-shm" : "-wal");
        assert_int_equal(stat(side, &st), 0);
        assert_int_equal(st.st_mode & 07, 0);
    }
    db_close(a);
}

/* The database, its -wal and -shm are 0660 whatever the umask (issue 11). */
static void test_modes_whatever_the_umask(void **state)
{
    (void)state;
    static const mode_t masks[] = {022, 077, 0};
    for (size_t m = 0; m < sizeof masks / sizeof masks[0]; m++) {
        mode_t old = umask(masks[m]);
        char name[32];
        snprintf(name, sizeof name, "mode%o.db", (unsigned)masks[m]);
        const char *p = path_of(name);
        sqlite3 *db;
        struct cati_error err;
        assert_int_equal(db_open(p, DB_OPEN_CREATE, 1000, &db, &err), 0);
        assert_int_equal(db_migrate(db, NULL, &err), 0);
        assert_int_equal(db_audit(db, "admin", "x", "y", &err), 0);
        umask(old);
        struct stat st;
        char side[160];
        for (int i = 0; i < 3; i++) {
            snprintf(side, sizeof side, "%s%s", p, i == 0 ? "" : i == 1 ? "-wal" : "-shm");
            assert_int_equal(stat(side, &st), 0);
            if ((st.st_mode & 0777) != 0660)
                fail_msg("%s under umask %03o: mode %03o, expected 660", side, (unsigned)masks[m],
                         (unsigned)(st.st_mode & 0777));
        }
        db_close(db);
    }
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/cati-test-db.XXXXXX");
    assert_non_null(mkdtemp(dir));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_and_pragmas), cmocka_unit_test(test_refuse_not_sqlite),
        cmocka_unit_test(test_refuse_other_app),   cmocka_unit_test(test_refuse_newer),
        cmocka_unit_test(test_missing_not_created), cmocka_unit_test(test_upgrade_from_older),
        cmocka_unit_test(test_transactions), cmocka_unit_test(test_modes_whatever_the_umask),
        cmocka_unit_test(test_second_connection_keeps_locks),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}
