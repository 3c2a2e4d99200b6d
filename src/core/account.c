#include "cati/account.h"

#include <ctype.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cati/db.h"
#include "cati/priv.h"
#include "cati/util.h"

static const char *const role_names[] = {"none", "interviewer", "supervisor", "admin"};

enum cati_role account_role_parse(const char *s)
{
    for (int r = ROLE_INTERVIEWER; r <= ROLE_ADMIN; r++)
        if (s && !strcmp(s, role_names[r]))
            return (enum cati_role)r;
    return ROLE_NONE;
}

const char *account_role_name(enum cati_role r)
{
    return r >= ROLE_NONE && r <= ROLE_ADMIN ? role_names[r] : "none";
}

int account_whoami(const struct cati_config *cfg, char *login, size_t size, struct cati_error *err)
{
    const char *over = getenv("CATI_USER");
    /* never for a set-group-ID cati: its identity is the real user id */
    if (over && *over && cfg->allow_user_override && !priv_active()) {
        cati_strlcpy(login, over, size);
        return 0;
    }
    struct passwd *pw = getpwuid(getuid());
    if (!pw)
        return cati_error_set(err, "cannot tell who you are: no passwd entry for uid %d", (int)getuid());
    cati_strlcpy(login, pw->pw_name, size);
    return 0;
}

static int valid_login(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
            return 0;
    return 1;
}

/* A comma list of short lower-case words, e.g. "en,dz". */
static int valid_list(const char *s, int allow_empty)
{
    if (!*s)
        return allow_empty;
    if (strlen(s) >= 128)
        return 0;
    int len = 0;
    for (const char *p = s;; p++) {
        if (*p == ',' || !*p) {
            if (len == 0)
                return 0;
            len = 0;
            if (!*p)
                return 1;
        } else if (islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_' || *p == '-') {
            len++;
        } else {
            return 0;
        }
    }
}

int account_add(sqlite3 *db, const char *login, const char *name, enum cati_role role,
                const char *languages, const char *skills, struct cati_error *err)
{
    if (!valid_login(login))
        return cati_error_setk(err, CATI_ERR_INPUT, "invalid login '%s': use letters, digits, '.', '_' or '-'", login);
    if (role == ROLE_NONE)
        return cati_error_setk(err, CATI_ERR_INPUT, "invalid role: use interviewer, supervisor or admin");
    if (!languages || !*languages)
        languages = "en";
    if (!valid_list(languages, 0))
        return cati_error_setk(err, CATI_ERR_INPUT, "invalid languages '%s': use codes like en,dz", languages);
    if (!skills)
        skills = "";
    if (!valid_list(skills, 1))
        return cati_error_setk(err, CATI_ERR_INPUT, "invalid skills '%s': use words like refusal", skills);
    if (name && !cati_utf8_valid(name, strlen(name)))
        return cati_error_setk(err, CATI_ERR_INPUT, "invalid name: not UTF-8");
    for (const char *c = name; c && *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f) /* escapes would reach other terminals */
            return cati_error_setk(err, CATI_ERR_INPUT, "invalid name: control characters are not allowed");
    if (name && strlen(name) > 200)
        return cati_error_setk(err, CATI_ERR_INPUT, "invalid name: longer than 200 bytes");
    sqlite3_stmt *st;
    if (db_prepare(db, "INSERT INTO interviewers(login, name, role, languages, skills, created_at) "
                       "VALUES(?,?,?,?,?,?)", &st, err) < 0)
        return -1;
    sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name ? name : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, account_role_name(role), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, languages, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, skills, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, cati_now());
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_CONSTRAINT)
        return cati_error_setk(err, CATI_ERR_INPUT, "interviewer '%s' already exists", login);
    if (rc != SQLITE_DONE)
        return db_error(db, err, "cannot add interviewer");
    return 0;
}

static void row_to_account(sqlite3_stmt *st, struct cati_interviewer *a)
{
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    db_column_copy(st, 1, a->login, sizeof a->login);
    db_column_copy(st, 2, a->name, sizeof a->name);
    a->role = account_role_parse((const char *)sqlite3_column_text(st, 3));
    db_column_copy(st, 4, a->languages, sizeof a->languages);
    db_column_copy(st, 5, a->skills, sizeof a->skills);
    a->active = sqlite3_column_int(st, 6);
}

#define ACCOUNT_COLUMNS "id, login, name, role, languages, skills, active"

int account_find(sqlite3 *db, const char *login, struct cati_interviewer *out,
                 struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT " ACCOUNT_COLUMNS " FROM interviewers WHERE login = ?", &st, err) < 0)
        return -1;
    sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_to_account(st, out);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return cati_error_setk(err, CATI_ERR_NOT_FOUND, "unknown interviewer '%s'", login);
    return db_error(db, err, "database");
}

static int exec_for_login(sqlite3 *db, const char *sql, const char *login, const char *text,
                          long long num, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, sql, &st, err) < 0)
        return -1;
    int i = 1;
    if (text)
        sqlite3_bind_text(st, i++, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, i++, num);
    sqlite3_bind_text(st, i, login, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(db, err, "database");
    if (sqlite3_changes(db) == 0)
        return cati_error_setk(err, CATI_ERR_NOT_FOUND, "unknown interviewer '%s'", login);
    return 0;
}

/* The change rc (0 or -1) made in the open transaction stands only if an
 * active admin is left: the last one cannot demote or disable themselves,
 * since no command could undo it. Commits or rolls back. */
static int keep_an_admin(sqlite3 *db, int rc, const char *login, struct cati_error *err)
{
    long long admins = 0;
    if (rc == 0)
        rc = db_int(db, "SELECT count(*) FROM interviewers WHERE role = 'admin' AND active = 1", NULL, 0, 0,
                    &admins, err);
    if (rc == 0 && admins == 0)
        rc = cati_error_setk(err, CATI_ERR_INPUT, "%s is the last active admin: make another account admin first",
                             login);
    if (rc == 0 && db_commit(db, err) == 0)
        return 0;
    db_rollback(db);
    return -1;
}

int account_set_active(sqlite3 *db, const char *login, int active, struct cati_error *err)
{
    if (db_begin_immediate(db, err) < 0)
        return -1;
    int rc = exec_for_login(db, "UPDATE interviewers SET active = ? WHERE login = ?", login, NULL, active, err);
    return keep_an_admin(db, rc, login, err);
}

int account_update(sqlite3 *db, const char *login, const enum cati_role *role,
                   const char *languages, const char *skills, struct cati_error *err)
{
    if (role && *role == ROLE_NONE)
        return cati_error_setk(err, CATI_ERR_INPUT, "invalid role: use interviewer, supervisor or admin");
    if (languages && !valid_list(languages, 0))
        return cati_error_setk(err, CATI_ERR_INPUT, "invalid languages '%s': use codes like en,dz", languages);
    if (skills && !valid_list(skills, 1))
        return cati_error_setk(err, CATI_ERR_INPUT, "invalid skills '%s': use words like refusal", skills);
    if (db_begin_immediate(db, err) < 0)
        return -1;
    int rc = 0;
    if (role && exec_for_login(db, "UPDATE interviewers SET role = ? WHERE login = ?", login,
                               account_role_name(*role), 0, err) < 0)
        rc = -1;
    if (rc == 0 && languages &&
        exec_for_login(db, "UPDATE interviewers SET languages = ? WHERE login = ?", login, languages, 0, err) < 0)
        rc = -1;
    if (rc == 0 && skills &&
        exec_for_login(db, "UPDATE interviewers SET skills = ? WHERE login = ?", login, skills, 0, err) < 0)
        rc = -1;
    return keep_an_admin(db, rc, login, err);
}

int account_list(sqlite3 *db, int (*fn)(const struct cati_interviewer *, void *), void *ctx,
                 struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT " ACCOUNT_COLUMNS " FROM interviewers ORDER BY login", &st, err) < 0)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct cati_interviewer a;
        row_to_account(st, &a);
        if (fn(&a, ctx))
            break;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(db, err, "database");
}

int account_list_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    if (!n)
        return 0;
    for (const char *p = list; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && !strncmp(p, item, n))
            return 1;
        if (!comma)
            break;
        p = comma + 1;
    }
    return 0;
}

int account_require_role(sqlite3 *db, const struct cati_interviewer *who, enum cati_role min,
                      struct cati_error *err)
{
    sqlite3_stmt *st;
    if (!who) {
        cati_error_set(err, "no user");
        return cati_error_kind(err, CATI_ERR_ROLE);
    }
    if (db_prepare(db, "SELECT role, active FROM interviewers WHERE id = ?1", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, who->id);
    int rc = sqlite3_step(st);
    enum cati_role role = ROLE_NONE;
    int active = 0;
    if (rc == SQLITE_ROW) {
        role = account_role_parse((const char *)sqlite3_column_text(st, 0));
        active = sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(db, err, "interviewers");
    if (rc == SQLITE_DONE || !active || role < min) {
        cati_error_set(err, "'%s' is not %s %s in this database", who->login,
                       min == ROLE_ADMIN ? "an" : "a", account_role_name(min));
        return cati_error_kind(err, CATI_ERR_ROLE);
    }
    return 0;
}
