#ifndef CATI_INTERVIEW_INT_H
#define CATI_INTERVIEW_INT_H
/* Internals of the interview engine shared by interview.c (rules) and
 * interview_db.c (persistence). Not a public header. */

#include <time.h>

#include "cati/account.h"
#include "cati/config.h"
#include "cati/interview.h"

struct iv_slot {
    enum cati_astatus status;   /* held now; ANS_NONE = not asked or off the route */
    char *value;                /* malloc'd canonical value when ANS_VALUE */
    int stored;                 /* an answers row exists */
    int stored_on_route;        /* its on_route */
    enum cati_astatus db_status;
    char *db_value;             /* the row's value (malloc'd) */
    int seq;                    /* the row's seq */
};

struct cati_interview {
    const struct cati_script *s;
    struct cati_script *owned;  /* the script, when the interview loaded it */
    sqlite3 *db;                /* NULL = in memory only */
    const struct cati_config *cfg; /* database-backed: the lease rules (borrowed) */
    struct cati_interviewer who;   /* database-backed: the holder every write is checked against */
    long long id, case_id, interviewer_id;
    int lang;
    struct iv_slot *a;          /* per question */
    unsigned *mark;             /* mark[q] == gen: q is on the route of the last walk */
    unsigned gen;
    int *route, nroute;         /* the last walk, in order (answered…, then the frontier) */
    int frontier;               /* first unanswered question on the route, -1 if the route ends */
    enum cati_end walk_end;     /* how the route ends when frontier < 0 */
    int cursor;                 /* current question, -1 past the end */
    int ended;
    enum cati_end outcome;
    time_t since;               /* when the cursor reached the question */
    char **fnames, **fvalues;   /* respondent fields */
    int nfields;
};

/* What an accepted answer changes, for the database. */
struct iv_commit {
    int qi;
    enum cati_astatus old_status;
    const char *old_value;
    int next;                   /* the new cursor, -1 = ended */
    enum cati_end end;          /* outcome when next < 0 */
};

struct cati_interview *iv_alloc(const struct cati_script *s, struct cati_error *err);
void iv_walk(struct cati_interview *iv);
void iv_place_cursor(struct cati_interview *iv, int prefer);
int iv_route_pos(const struct cati_interview *iv, int qi);
int iv_off_route(const struct cati_interview *iv, int qi);
int iv_eval(const struct cati_interview *iv, const struct cati_expr *e, int *missing);
char *iv_flag_text(const struct cati_interview *iv, int qi);

int iv_db_commit(struct cati_interview *iv, const struct iv_commit *cm, struct cati_error *err);
int iv_db_cursor(struct cati_interview *iv, int qi, int reopen, struct cati_error *err);
int iv_db_end(struct cati_interview *iv, enum cati_end e, struct cati_error *err);
int iv_db_language(struct cati_interview *iv, struct cati_error *err);
/* Load interview id with its answers and cursor, without checking a hold
 * (reading only). *out: caller frees. */
int iv_db_load(sqlite3 *db, long long interview_id, struct cati_interview **out, struct cati_error *err);

#endif
