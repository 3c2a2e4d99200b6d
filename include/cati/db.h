#ifndef CATI_DB_H
#define CATI_DB_H
/* The cati database: opening safely, migrations, transactions.
 * Every connection: WAL, synchronous=FULL, foreign_keys=ON, busy_timeout. */

#include <sqlite3.h>
#include <stddef.h>

#include "cati/error.h"

#define CATI_APPLICATION_ID 0x43415449 /* "CATI" */

/* Schema version this binary knows (the number of migrations). */
int db_schema_version(void);

enum db_open_mode {
    DB_OPEN_EXISTING, /* must exist and be a current cati database */
    DB_OPEN_CREATE,   /* create or upgrade (cati init) */
    DB_OPEN_READONLY  /* existing, query_only (sql, reports) */
};

/* Open path. Refuses (nothing written): a non-SQLite file, another program's
 * database, a newer schema, a network filesystem, a missing file unless
 * DB_OPEN_CREATE, an older schema unless DB_OPEN_CREATE (then migrates).
 * On success *out is an open connection the caller closes with db_close. */
int db_open(const char *path, enum db_open_mode mode, int busy_ms, sqlite3 **out,
            struct cati_error *err);

/* Apply pending migrations in one transaction. created: set to 1 if the
 * database was empty before. */
int db_migrate(sqlite3 *db, int *created, struct cati_error *err);

void db_close(sqlite3 *db);

/* Transactions. begin_immediate retries SQLITE_BUSY beyond the busy timeout
 * a few times; rollback is safe to call when no transaction is open. */
int db_begin_immediate(sqlite3 *db, struct cati_error *err);
int db_begin(sqlite3 *db, struct cati_error *err); /* deferred, for reads */
int db_commit(sqlite3 *db, struct cati_error *err);
void db_rollback(sqlite3 *db);

/* Run fixed SQL (never built from input). */
int db_exec(sqlite3 *db, const char *sql, struct cati_error *err);

/* Prepare fixed SQL; on failure fills err with the SQLite message. */
int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, struct cati_error *err);

/* Fill err from the connection's last error with a prefix; returns -1. */
int db_error(sqlite3 *db, struct cati_error *err, const char *what);

/* Single-integer query with up to one bound text and one bound integer
 * (NULL text = not bound). Returns 0 and *out, or -1. Missing row gives def. */
int db_int(sqlite3 *db, const char *sql, const char *text, long long num, long long def,
           long long *out, struct cati_error *err);

/* Append a line to the audit log (supervisor/admin actions). */
int db_audit(sqlite3 *db, const char *login, const char *action, const char *detail,
             struct cati_error *err);

/* Copy column col of st's current row into dst (size bytes, truncated,
 * terminated; "" for NULL): copy before the next step. */
void db_column_copy(sqlite3_stmt *st, int col, char *dst, size_t size);

#endif
