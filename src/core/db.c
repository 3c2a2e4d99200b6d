#include "cati/db.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cati/util.h"
#include "migrations.h"

int db_schema_version(void)
{
    return migrations_count();
}

#define BUSY_MESSAGE "the database is busy (locked by another process); try again"

int db_error(sqlite3 *db, struct cati_error *err, const char *what)
{
    int code = db ? sqlite3_errcode(db) : SQLITE_NOMEM;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return cati_error_setk(err, CATI_ERR_BUSY, "%s: " BUSY_MESSAGE, what);
    return cati_error_setk(err, code == SQLITE_NOMEM ? CATI_ERR_NOMEM : CATI_ERR_DATABASE, "%s: %s",
                           what, db ? sqlite3_errmsg(db) : "out of memory");
}

void db_column_copy(sqlite3_stmt *st, int col, char *dst, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    cati_strlcpy(dst, t ? (const char *)t : "", size);
}

int db_exec(sqlite3 *db, const char *sql, struct cati_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        cati_error_setk(err, CATI_ERR_DATABASE, "database: %s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, struct cati_error *err)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return db_error(db, err, "database");
    }
    return 0;
}

int db_int(sqlite3 *db, const char *sql, const char *text, long long num, long long def,
           long long *out, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, sql, &st, err) < 0)
        return -1;
    int idx = 1;
    if (text)
        sqlite3_bind_text(st, idx++, text, -1, SQLITE_TRANSIENT);
    if (sqlite3_bind_parameter_count(st) >= idx)
        sqlite3_bind_int64(st, idx, num);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_type(st, 0) == SQLITE_NULL ? def : sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        *out = def;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(db, err, "database");
    return 0;
}

/* SQLite's locking is unsafe on network filesystems: refuse them. */
static int check_filesystem(const char *path, struct cati_error *err)
{
    char dir[4096];
    cati_strlcpy(dir, path, sizeof dir);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    else
        strcpy(dir, ".");
    struct statfs fs;
    if (statfs(dir, &fs) < 0)
        return 0; /* the open that follows reports a missing directory */
    switch ((unsigned long)fs.f_type) {
    case 0x6969UL:     /* NFS */
    case 0x517BUL:     /* SMB */
    case 0xFF534D42UL: /* CIFS */
    case 0xFE534D42UL: /* SMB2 */
    case 0x564c: /* NCP */
    case 0x65735546UL: /* FUSE (sshfs and the like) */
        return cati_error_setk(err, CATI_ERR_DATABASE, "cannot use '%s': it is on a network filesystem, where "
                                   "SQLite's locking is unsafe; keep the database on a local disk",
                              path);
    }
    return 0;
}

/* Why opening failed. SQLite reports a full disk met while it sets up the
 * WAL index (path-shm) as a plain I/O error: say what it is. */
static const char *open_failure(sqlite3 *db, const char *path)
{
    if (!db)
        return "out of memory";
    int rc = sqlite3_extended_errcode(db) & 0xff;
    if (rc == SQLITE_FULL || rc == SQLITE_IOERR) {
        char dir[4096];
        cati_strlcpy(dir, path, sizeof dir);
        char *slash = strrchr(dir, '/');
        if (slash)
            *(slash == dir ? slash + 1 : slash) = '\0';
        else
            strcpy(dir, ".");
        struct statvfs vfs;
        if (rc == SQLITE_FULL || (statvfs(dir, &vfs) == 0 && vfs.f_bfree * vfs.f_frsize < 65536))
            return "the disk is full (database or disk is full): free some space";
    }
    return sqlite3_errmsg(db);
}

/* Does path exist (and can we read it)? No open(2) here: closing any
 * descriptor of a file drops every POSIX lock this process holds on it, so
 * a second connection (the shell's read-only one) must never open and
 * close the database beside SQLite — the first connection would lose its
 * locks, and another process could then delete the WAL under it. */
static int check_exists(const char *path, int *exists, struct cati_error *err)
{
    struct stat sb;
    *exists = stat(path, &sb) == 0;
    if (!*exists && errno != ENOENT)
        return cati_error_setk(err, CATI_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
    if (*exists && faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) < 0) /* effective ids: set-group-ID */
        return cati_error_setk(err, CATI_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
    return 0;
}

/* A non-empty file must start with the SQLite header; read through
 * SQLite's own file handle before anything else touches it, so nothing is
 * ever written to a foreign file. */
static int check_header(sqlite3 *db, const char *path, struct cati_error *err)
{
    sqlite3_file *f = NULL;
    sqlite3_int64 size = 0;
    char head[16] = {0};
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f ||
        !f->pMethods || f->pMethods->xFileSize(f, &size) != SQLITE_OK)
        return cati_error_setk(err, CATI_ERR_DATABASE, "cannot open '%s': cannot read it", path);
    if (size == 0)
        return 0;
    if (size < (sqlite3_int64)sizeof head || f->pMethods->xRead(f, head, sizeof head, 0) != SQLITE_OK ||
        memcmp(head, "SQLite format 3", 16) != 0)
        return cati_error_setk(err, CATI_ERR_DATABASE, "cannot open '%s': not a cati database (not SQLite)", path);
    return 0;
}

static int apply_pragmas(sqlite3 *db, enum db_open_mode mode, int busy_ms, struct cati_error *err)
{
    sqlite3_busy_timeout(db, busy_ms);
    if (mode != DB_OPEN_READONLY && db_exec(db, "PRAGMA journal_mode=WAL;", err) < 0)
        return -1;
    if (db_exec(db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", err) < 0)
        return -1;
    if (mode == DB_OPEN_READONLY && db_exec(db, "PRAGMA query_only=1;", err) < 0)
        return -1;
    return 0;
}

int db_open(const char *path, enum db_open_mode mode, int busy_ms, sqlite3 **out,
            struct cati_error *err)
{
    int exists = 0;
    *out = NULL;
    if (check_filesystem(path, err) < 0 || check_exists(path, &exists, err) < 0)
        return -1;
    if (!exists && mode != DB_OPEN_CREATE)
        return cati_error_setk(err, CATI_ERR_DATABASE, "%s: no such database (an admin creates it with 'cati init')",
                              path);
    if (!exists) {
        /* Create it ourselves, 0660 whatever the umask (the group shares
         * it, the world does not); SQLite gives its -wal and -shm the
         * database's mode. */
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0660);
        if (fd < 0)
            return cati_error_setk(err, CATI_ERR_IO, "cannot create '%s': %s", path, strerror(errno));
        if (fchmod(fd, 0660) < 0) {
            cati_error_setk(err, CATI_ERR_IO, "cannot create '%s': %s", path, strerror(errno));
            close(fd);
            unlink(path);
            return -1;
        }
        close(fd);
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        cati_error_setk(err, CATI_ERR_DATABASE, "cannot open '%s': %s", path, open_failure(db, path));
        sqlite3_close(db);
        return -1;
    }
    if (check_header(db, path, err) < 0)
        goto fail;
    sqlite3_busy_timeout(db, busy_ms);
    long long app = 0, ver = 0, tables = 0;
    if (db_int(db, "PRAGMA application_id", NULL, 0, 0, &app, err) < 0 ||
        db_int(db, "PRAGMA user_version", NULL, 0, 0, &ver, err) < 0 ||
        db_int(db, "SELECT count(*) FROM sqlite_master", NULL, 0, 0, &tables, err) < 0) {
        cati_error_setk(err, CATI_ERR_DATABASE, "cannot open '%s': %s", path, open_failure(db, path));
        goto fail;
    }
    if (app != CATI_APPLICATION_ID && !(app == 0 && ver == 0 && tables == 0)) {
        cati_error_setk(err, CATI_ERR_DATABASE, "cannot open '%s': a database of another program, not cati", path);
        goto fail;
    }
    if (ver > db_schema_version()) {
        cati_error_setk(err, CATI_ERR_DATABASE, "cannot open '%s': its schema version %lld is newer than this cati "
                            "knows (%d); upgrade cati", path, ver, db_schema_version());
        goto fail;
    }
    if (ver < db_schema_version() && mode != DB_OPEN_CREATE) {
        cati_error_setk(err, CATI_ERR_DATABASE, "database '%s' has schema version %lld, this cati needs %d: an admin "
                            "upgrades it with 'cati init'", path, ver, db_schema_version());
        goto fail;
    }
    if (apply_pragmas(db, mode, busy_ms, err) < 0)
        goto fail;
    *out = db;
    return 0;
fail:
    sqlite3_close(db);
    return -1;
}

int db_migrate(sqlite3 *db, int *created, struct cati_error *err)
{
    if (db_begin_immediate(db, err) < 0)
        return -1;
    long long ver = 0;
    if (db_int(db, "PRAGMA user_version", NULL, 0, 0, &ver, err) < 0)
        goto fail;
    if (created)
        *created = ver == 0;
    for (int n = (int)ver + 1; n <= migrations_count(); n++) {
        if (db_exec(db, migrations_sql(n), err) < 0)
            goto fail;
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version=%d", n); /* n is ours, not input */
        if (db_exec(db, sql, err) < 0)
            goto fail;
    }
    char app[64];
    snprintf(app, sizeof app, "PRAGMA application_id=%d", CATI_APPLICATION_ID);
    if (db_exec(db, app, err) < 0)
        goto fail;
    return db_commit(db, err);
fail:
    db_rollback(db);
    return -1;
}

void db_close(sqlite3 *db)
{
    if (db)
        sqlite3_close(db);
}

static int begin(sqlite3 *db, const char *sql, struct cati_error *err)
{
    /* busy_timeout covers most waits; retry a few times more so a long
     * writer elsewhere shows up as "busy" only after a real wait. */
    for (int tries = 0;; tries++) {
        int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return 0;
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || tries >= 3)
            return rc == SQLITE_BUSY ? cati_error_setk(err, CATI_ERR_BUSY, BUSY_MESSAGE) : db_error(db, err, "database");
    }
}

int db_begin_immediate(sqlite3 *db, struct cati_error *err)
{
    return begin(db, "BEGIN IMMEDIATE", err);
}

int db_begin(sqlite3 *db, struct cati_error *err)
{
    return begin(db, "BEGIN", err);
}

int db_commit(sqlite3 *db, struct cati_error *err)
{
    int rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        return 0;
    db_error(db, err, "cannot save");
    db_rollback(db);
    return -1;
}

void db_rollback(sqlite3 *db)
{
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

int db_audit(sqlite3 *db, const char *login, const char *action, const char *detail,
             struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "INSERT INTO audit(at, login, action, detail) VALUES(?,?,?,?)", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, cati_now());
    sqlite3_bind_text(st, 2, login, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, action, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, detail ? detail : "", -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "audit");
}
