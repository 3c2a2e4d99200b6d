#ifndef CATI_ACCOUNT_H
#define CATI_ACCOUNT_H
/* Interviewer accounts and roles. Identity is the OS login. */

#include <sqlite3.h>
#include <stddef.h>

#include "cati/config.h"
#include "cati/error.h"

enum cati_role { ROLE_NONE = 0, ROLE_INTERVIEWER = 1, ROLE_SUPERVISOR = 2, ROLE_ADMIN = 3 };

struct cati_interviewer {
    long long id;
    char login[64];
    char name[128];
    enum cati_role role;
    char languages[128]; /* comma separated, e.g. "en,dz" */
    char skills[128];    /* comma separated, e.g. "refusal" */
    int active;
    char session[40];    /* the console acting for them (a random id), or "" for commands:
                          * a case claimed in one console is not written from another */
};

enum cati_role account_role_parse(const char *s); /* ROLE_NONE if unknown */
const char *account_role_name(enum cati_role r);

/* The login running this process: CATI_USER when cfg allows overrides,
 * else getpwuid(getuid()). Returns 0 or -1. */
int account_whoami(const struct cati_config *cfg, char *login, size_t size, struct cati_error *err);

/* Validate and insert. languages/skills: comma lists ("" = en / none). */
int account_add(sqlite3 *db, const char *login, const char *name, enum cati_role role,
                const char *languages, const char *skills, struct cati_error *err);

/* Load an account; -1 with "unknown interviewer 'x'" if absent. */
int account_find(sqlite3 *db, const char *login, struct cati_interviewer *out,
                 struct cati_error *err);

int account_set_active(sqlite3 *db, const char *login, int active, struct cati_error *err);

/* Change role / languages / skills (NULL = leave). */
int account_update(sqlite3 *db, const char *login, const enum cati_role *role,
                   const char *languages, const char *skills, struct cati_error *err);

/* Call fn for each account in login order; stops early if fn returns nonzero. */
int account_list(sqlite3 *db, int (*fn)(const struct cati_interviewer *, void *), void *ctx,
                 struct cati_error *err);

/* Inside the caller's transaction: who's account, as stored now, is active
 * and has at least role min (a role given in one process is checked where
 * the write happens). 0, or -1 with err->kind CATI_ERR_ROLE. */
int account_require_role(sqlite3 *db, const struct cati_interviewer *who, enum cati_role min,
                         struct cati_error *err);

/* 1 if item is in the comma-separated list. */
int account_list_has(const char *list, const char *item);

#endif
