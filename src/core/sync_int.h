#ifndef CATI_SYNC_INT_H
#define CATI_SYNC_INT_H
/* Internals shared by sync.c (the run, surveys, interviewers, identity)
 * and sync_case.c (one case with all its rows). Not a public API. */

#include <stdint.h>

#include "cati/sync.h"

/* Site id -> central id, sorted by site id. */
struct sync_map {
    long long *from, *to;
    size_t n, cap;
};

enum sync_stmt_kind { SYNC_T_PHONES, SYNC_T_FIELDS, SYNC_T_CALLS, SYNC_T_INTERVIEWS,
                      SYNC_T_ANSWERS, SYNC_T_LOG, SYNC_T_FLAGS_IV, SYNC_T_FLAGS_CASE, SYNC_T_N };

/* The settling rule (sync_settle.c): statements on one database. */
struct sync_settle {
    sqlite3 *db;
    sqlite3_stmt *ivs, *keep_get, *set_state, *case_get, *case_fix, *code_fix, *describe;
};

int sync_settle_prepare(sqlite3 *db, struct sync_settle *st, struct cati_error *err);
void sync_settle_finalize(struct sync_settle *st);

/* Settle central case case_id (see sync.h, "One interview per case"):
 * choose its live interview, mark the others duplicate or abandoned, and
 * make the case's disposition agree with a live complete. Audit rows go to
 * st->db under login. *newdup (may be NULL) is increased by the interviews
 * newly marked duplicate. Inside the caller's transaction. 0 or -1. */
int sync_settle_case(struct sync_settle *st, long long case_id, const char *login,
                     long long *newdup, struct cati_error *err);

/* Prepared statements of one table. */
struct sync_tstmt {
    sqlite3_stmt *sel;   /* site: rows of a parent */
    sqlite3_stmt *ins;   /* central: insert, nothing on conflict */
    sqlite3_stmt *upd;   /* central: update when different (and not older) */
    sqlite3_stmt *count; /* central: rows of a parent (mirrored tables) */
    sqlite3_stmt *list;  /* central: keys of a parent's rows */
    sqlite3_stmt *probe; /* site: does the parent have this key? */
    sqlite3_stmt *del;   /* central: delete one row by parent + key */
};

struct sync {
    sqlite3 *site, *central;
    const struct sync_options *opt;
    struct sync_result *res;
    long long site_id;          /* sync_sites.id in central */
    struct sync_map surveys, versions, interviewers;
    /* interviewers */
    sqlite3_stmt *iv_site, *iv_ins, *iv_find;
    /* cases */
    sqlite3_stmt *case_sel, *case_find, *case_ins, *case_upd, *case_adopt, *case_map,
        *calls_number;
    struct sync_settle settle;
    sqlite3_stmt *seen_get, *seen_put, *site_name, *survey_name;
    struct sync_tstmt t[SYNC_T_N];
    sqlite3_stmt *iv_central_id;
};

long long sync_map_get(const struct sync_map *m, long long from); /* 0 = absent */
int sync_map_put(struct sync_map *m, long long from, long long to);
void sync_map_free(struct sync_map *m);

/* Central id of site interviewer id (adding the login centrally when
 * missing). 0 and *out, or -1. */
int sync_interviewer(struct sync *s, long long site_id, long long *out, struct cati_error *err);

/* Prepare / finalize the per-case statements. */
int sync_case_prepare(struct sync *s, struct cati_error *err);
void sync_case_finalize(struct sync *s);

/* Push one site case with all its rows (inside the caller's transactions).
 * Returns 0 or -1. */
int sync_case(struct sync *s, long long site_case_id, struct cati_error *err);

#endif
