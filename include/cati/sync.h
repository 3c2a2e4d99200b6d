#ifndef CATI_SYNC_H
#define CATI_SYNC_H
/* cati sync: push a site's surveys, cases and results into a central cati
 * database, matched by UUID, idempotently and resumably.
 *
 * Two connections: the site (read, plus its one-row identity) and the
 * central database (written in its own transactions). Cases go in batches:
 * one central transaction holds a set of whole cases with their phones,
 * fields, calls, interviews, answers, answer log and flags, so a kill leaves
 * no half-synced case and a rerun carries on.
 *
 * Matching: surveys by uuid, else by name; survey versions by uuid, else by
 * identical source text (else a new version number); interviewers by login
 * (added when referenced); cases by uuid, else by (survey, ref); calls,
 * interviews, answer log rows and case-level flags by uuid; phones, case
 * fields, answers and interview flags by their natural key within their
 * case or interview. Local integer ids are remapped to central ids.
 *
 * Idempotence: the central database keeps, per site and case, a hash of
 * everything the site had for the case (sync_seen). An unchanged case is
 * skipped; a changed one is compared row by row and only differing rows are
 * written. Running sync twice writes nothing the second time.
 *
 * Conflicts (the case row was changed at another site, or centrally, since
 * this site pushed it). The central case row remembers the site that wrote
 * it (cases.site_id; NULL = the central database's own). When a site pushes
 * a case row that differs from a central row written elsewhere:
 *   - a site row never worked (no attempt, state new, no claim, no
 *     appointment, never updated) does not overwrite anything;
 *   - a central row never worked is replaced quietly;
 *   - otherwise it is a conflict: the row with the later updated_at wins
 *     (a tie keeps the central row); the conflict is reported and written
 *     to the central audit log.
 * Calls, interviews, answer log rows and case-level flags are append-only by
 * UUID, so both sites' rows are kept; a row with the same UUID is updated
 * when the site's copy is at least as new (updated_at). Answers and flags of
 * an interview mirror the site's interview (rows the site no longer has are
 * removed); phones and fields mirror the site's case when its row won.
 *
 * One case, one identity: a site case is found centrally by this site's
 * mapping (sync_case_map: site, site's case uuid -> central case), else by
 * uuid, else by (survey, ref). A case matched by (survey, ref) keeps the
 * uuid the central database saw first (the export's case_uuid); the
 * mapping from every site's uuid is kept.
 *
 * One interview per case (the settling rule). Interviews keep their site's
 * state in site_state and their site in site_id; after every pushed case
 * the central database settles it: of its interviews not abandoned at their
 * site, the live one is the supervisor's choice (sync_conflicts_keep) while
 * that is still a completed candidate, else the complete that is already
 * live (the first to reach the central database: once kept, and perhaps
 * delivered by an export, it is never replaced by a later arrival), else
 * the first completed (earliest completed_at, ties by the smaller
 * interview uuid), else, when none is
 * complete, the latest changed. Other completed ones become 'duplicate'
 * (kept for audit, in no export, rate or score), the rest 'abandoned'. A
 * live complete makes the case final 1.1. Each newly marked duplicate is
 * written to the audit log and counted in sync_result.duplicates.
 *
 * Calls of a case are numbered centrally in time order (started_at, then
 * ended_at, then the order they arrived in: a site's own order for calls
 * of one claim, which share their start), whichever site made them.
 *
 * Roles: sync writes only for an active supervisor or admin of the central
 * database (sync_authorize), whatever the site says. Interviewers a site
 * brings are added centrally as disabled interviewers: a site never adds or
 * promotes an account that can act centrally. */

#include <sqlite3.h>

#include "cati/error.h"

enum sync_table {
    SYNC_SURVEYS,
    SYNC_VERSIONS,
    SYNC_INTERVIEWERS,
    SYNC_CASES,
    SYNC_PHONES,
    SYNC_FIELDS,
    SYNC_CALLS,
    SYNC_INTERVIEWS,
    SYNC_ANSWERS,
    SYNC_ANSWER_LOG,
    SYNC_FLAGS,
    SYNC_NTABLES
};

struct sync_count {
    long long inserted, updated, deleted;
};

struct sync_result {
    struct sync_count t[SYNC_NTABLES];
    long long cases_examined; /* site cases looked at */
    long long cases_changed;  /* of those, changed since this site's last push */
    long long conflicts;      /* case rows changed at two sites */
    long long duplicates;     /* interviews newly marked duplicate */
    long long batches;        /* central transactions committed for cases */
    char site_uuid[37];
};

/* One conflict, as reported (strings valid during the callback only). */
struct sync_conflict {
    const char *case_uuid;
    const char *survey;
    const char *ref;
    const char *other;          /* name of the site that wrote the central row, or "central" */
    long long site_updated_at;
    long long central_updated_at;
    int site_won;               /* 1 = the site's row replaced the central one */
};

struct sync_options {
    const char *site_name;      /* shown in reports; NULL = "HOST:PATH" */
    const char *login;          /* who runs it, for the audit logs */
    int batch_cases;            /* cases per central transaction; 0 = 500 */
    int full;                   /* 1 = ignore sync_seen, compare every row */
    /* Called for each conflict. May be NULL. */
    void (*on_conflict)(void *ctx, const struct sync_conflict *c);
    /* Called with each batch's writes done, before its commit. Nonzero
     * aborts the sync (the batch is rolled back). May be NULL. */
    int (*on_batch)(void *ctx, long long batch, long long cases_done);
    void *ctx;
};

/* Name of a table as printed ("surveys", "survey_versions", …). */
const char *sync_table_name(enum sync_table t);

/* Open (creating and migrating when absent or older) the central database
 * at path. *created = 1 when it was new. An existing database is first
 * checked for login (sync_authorize), before anything is written to it;
 * login NULL = no check (then sync_run still checks). *out: close with
 * db_close. */
int sync_open_central(const char *path, int busy_ms, const char *login, sqlite3 **out,
                      int *created, struct cati_error *err);

/* 0 if login is an active supervisor or admin of central, else -1 with
 * "sync: permission denied: …". */
int sync_authorize(sqlite3 *central, const char *login, struct cati_error *err);

/* The site's identity (site_identity), made or renewed when the file at
 * path is not the one it was made for (a copy gets its own identity).
 * Writes only that row. uuid receives 37 bytes. */
int sync_site_identity(sqlite3 *site, const char *path, char uuid[37], struct cati_error *err);

/* Push site (the database at site_path) into central. res is filled (also
 * on failure, with what was committed). Returns 0 or -1. Refuses when both
 * connections are the same database, or when opt->login is not an active
 * supervisor or admin of central. */
int sync_run(sqlite3 *site, const char *site_path, sqlite3 *central,
             const struct sync_options *opt, struct sync_result *res, struct cati_error *err);

/* One completed interview of a case completed more than once (strings
 * valid during the callback only). */
struct sync_dup {
    const char *case_uuid, *survey, *ref;
    const char *interview_uuid;
    int kept;                   /* 1 = the case's live interview, 0 = duplicate */
    const char *site;           /* the site that pushed it, or "central" */
    const char *login, *name;   /* its interviewer */
    long long completed_at;
    const char *chosen_by;      /* kept by a supervisor's choice: who (else NULL) */
    long long chosen_at;
};

/* Every conflict of db (a central database): each case with a duplicate
 * interview, its completed interviews, the kept one first. fn returns
 * nonzero to stop. 0 or -1. */
int sync_conflicts_list(sqlite3 *db, int (*fn)(const struct sync_dup *, void *), void *ctx,
                        struct cati_error *err);

/* A supervisor keeps interview_uuid (now a duplicate) as its case's
 * interview instead of the kept one: one transaction, checked (login an
 * active supervisor or admin of db) and audited; the choice holds through
 * later syncs. 0 done, 1 it already is the case's interview, -1 error. */
int sync_conflicts_keep(sqlite3 *db, const char *login, const char *interview_uuid,
                        struct cati_error *err);

#endif
