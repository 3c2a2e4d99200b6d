/* The door (cati/priv.h): which environment a set-group-ID cati keeps, which
 * databases it accepts, and that an unprivileged process stays as it is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cati/priv.h"

static void test_env_kept(void **state)
{
    (void)state;
    assert_true(priv_env_keep("TERM=xterm-256color"));
    assert_true(priv_env_keep("TERM=screen.xterm"));
    assert_true(priv_env_keep("HOME=/home/pema"));
    assert_true(priv_env_keep("TZ=Asia/Thimphu"));
    assert_true(priv_env_keep("TZ=UTC"));
    assert_true(priv_env_keep("LANG=C"));
    assert_true(priv_env_keep("LC_ALL=C.UTF-8"));
    assert_true(priv_env_keep("LC_CTYPE=POSIX"));
}

static void test_env_dropped(void **state)
{
    (void)state;
    static const char *const drop[] = {
        "CATI_USER=admin", "CATI_NOW=2030-01-01 10:00", "CATI_CONFIG=/tmp/own.ini",
        "TERMINFO=/tmp/ti", "TERMINFO_DIRS=/tmp", "TMPDIR=/tmp/x", "SQLITE_TMPDIR=/tmp/x",
        "LOCPATH=/tmp/loc", "NLSPATH=/tmp/%N", "GCONV_PATH=/tmp/g", "TZDIR=/tmp/z",
        "XDG_STATE_HOME=/var/lib/cati", "LANGUAGE=en", "PATH=/bin", "USER=admin",
        "LOGNAME=admin", "LD_PRELOAD=/tmp/x.so", "EDITRC=/etc/shadow",
        "TERM=../../tmp/x", "TERM=x/y", "TERM=", "TERM=.hidden", "TERM=a\033]0;x\007",
        "HOME=relative", "HOME=/a\nb",
        "TZ=/etc/cati/cati.ini", "TZ=:/tmp/x", "TZ=../../etc/shadow", "TZ=Asia/../../x",
        "LANG=/tmp/loc", "LANG=../x", "LANG=xx_NOWHERE.UTF-8", "LC_ALL=C/../x",
        "LC_all=C", "LC_=C", "LC_1=C", "=x", "noequals",
    };
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
        if (priv_env_keep(drop[i]))
            fail_msg("kept '%s'", drop[i]);
}

/* A file that starts like a database: SQLite's header with application id
 * app (cati's is 0x43415449); empty when app is 0. */
static int make_db_file(const char *path, unsigned long app)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    unsigned char h[100] = "SQLite format 3";
    h[68] = (unsigned char)(app >> 24);
    h[69] = (unsigned char)(app >> 16);
    h[70] = (unsigned char)(app >> 8);
    h[71] = (unsigned char)app;
    size_t n = app ? fwrite(h, 1, sizeof h, f) : sizeof h;
    return fclose(f) == 0 && n == sizeof h ? 0 : -1;
}

/* A directory of the test's own group, closed to others, with a database. */
struct fixture { char dir[64], db[128], other[128], open_dir[64], outside[128]; };

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/cati-priv-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    chmod(f->dir, 0770);
    snprintf(f->db, sizeof f->db, "%s/cati.db", f->dir);
    snprintf(f->other, sizeof f->other, "%s/other.db", f->dir);
    if (make_db_file(f->db, 0x43415449) < 0 || make_db_file(f->other, 0x43415449) < 0)
        return -1;
    snprintf(f->open_dir, sizeof f->open_dir, "/tmp/cati-priv-XXXXXX");
    if (!mkdtemp(f->open_dir))
        return -1;
    chmod(f->open_dir, 0755);
    snprintf(f->outside, sizeof f->outside, "%s/cati.db", f->open_dir);
    if (make_db_file(f->outside, 0x43415449) < 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    unlink(f->db);
    unlink(f->other);
    unlink(f->outside);
    char link[160];
    snprintf(link, sizeof link, "%s/link.db", f->open_dir);
    unlink(link);
    rmdir(f->dir);
    rmdir(f->open_dir);
    free(f);
    return 0;
}

static void test_db_dir(void **state)
{
    struct fixture *f = *state;
    struct cati_error err;
    assert_int_equal(priv_check_db_dir(f->db, getegid(), &err), 0);
    assert_int_equal(priv_check_db_dir(f->outside, getegid(), &err), -1); /* open to others */
    assert_non_null(strstr(err.msg, "closed to others"));
    assert_int_equal(priv_check_db_dir(f->db, getegid() + 1, &err), -1); /* another group */
    assert_int_equal(priv_check_db_dir("cati.db", getegid(), &err), -1);  /* relative */
    assert_non_null(strstr(err.msg, "not absolute"));
    /* SQLite's temporary files go beside the database, out of users' reach */
    assert_int_equal(priv_sqlite_temp_dir(f->db, &err), 0);
    assert_string_equal(sqlite3_temp_directory, f->dir);
    sqlite3_free(sqlite3_temp_directory);
    sqlite3_temp_directory = NULL;
}

static void test_db_named(void **state)
{
    struct fixture *f = *state;
    struct cati_error err;
    char real[1024];
    int other = -1;
    assert_int_equal(priv_check_db(f->db, f->db, getegid(), &other, real, sizeof real, &err), 0);
    assert_int_equal(other, 0);
    assert_int_equal(priv_check_db(f->other, f->db, getegid(), &other, real, sizeof real, &err), 0);
    assert_int_equal(other, 1);
    assert_string_equal(real, f->other);
    /* a link elsewhere to the configured database: its real path is used */
    char link[160];
    snprintf(link, sizeof link, "%s/link.db", f->open_dir);
    assert_int_equal(symlink(f->db, link), 0);
    assert_int_equal(priv_check_db(link, f->db, getegid(), &other, real, sizeof real, &err), 0);
    assert_string_equal(real, f->db);
    assert_int_equal(other, 0);
    /* outside the directory, missing, or of another group: refused */
    assert_int_equal(priv_check_db(f->outside, f->db, getegid(), &other, real, sizeof real, &err), -1);
    assert_non_null(strstr(err.msg, "uses only databases in"));
    char missing[160];
    snprintf(missing, sizeof missing, "%s/missing.db", f->dir);
    assert_int_equal(priv_check_db(missing, f->db, getegid(), &other, real, sizeof real, &err), -1);
    assert_int_equal(priv_check_db(f->other, f->db, getegid() + 1, &other, real, sizeof real, &err), -1);
    assert_non_null(strstr(err.msg, "not a cati database of group"));
    assert_int_equal(priv_check_db(f->dir, f->db, getegid(), &other, real, sizeof real, &err), -1);
    /* the database's side files, an empty file, another program's database:
     * none is a cati database, whatever group owns it */
    const char *names[] = {"cati.db-claim", "cati.db-wal", "cati.db-shm", "cati.db-journal", "empty.db",
                           "foreign.db"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char p[200];
        snprintf(p, sizeof p, "%s/%s", f->dir, names[i]);
        assert_int_equal(make_db_file(p, !strcmp(names[i], "empty.db") ? 0
                                         : !strcmp(names[i], "foreign.db") ? 0x12345678 : 0x43415449), 0);
        assert_int_equal(priv_check_db(p, f->db, getegid(), &other, real, sizeof real, &err), -1);
        assert_non_null(strstr(err.msg, "not a cati database of group"));
        unlink(p);
    }
}

static void test_unprivileged(void **state)
{
    (void)state;
    setenv("CATI_USER", "admin", 1);
    priv_init();
    if (getuid() == geteuid() && getgid() == getegid()) {
        assert_int_equal(priv_active(), 0);
        assert_string_equal(getenv("CATI_USER"), "admin"); /* environment untouched */
        priv_user_begin(); /* no-ops */
        priv_user_begin();
        priv_user_end();
        priv_user_end();
        priv_user_end(); /* one too many: still harmless */
        assert_int_equal(getegid(), getgid());
    }
    assert_int_equal(priv_group(), getegid());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_env_kept),
        cmocka_unit_test(test_env_dropped),
        cmocka_unit_test_setup_teardown(test_db_dir, setup, teardown),
        cmocka_unit_test_setup_teardown(test_db_named, setup, teardown),
        cmocka_unit_test(test_unprivileged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
