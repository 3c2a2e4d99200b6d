#include "cati/queue.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cati/calendar.h"
#include "cati/db.h"
#include "cati/quota.h"
#include "cati/schedule.h"
#include "cati/util.h"

/* Sets of values are passed to SQL as one bound string "\x1fa\x1fb\x1f"
 * and tested with instr(): no SQL is ever built from data. */
#define SEP "\x1f"

#define MAX_ZONES 64 /* distinct respondent time zones inside calling hours at once */
#define MAX_LANGS 16

struct claim_ctx {
    const struct cati_config *cfg;
    const struct cati_interviewer *who;
    time_t now;
    char zones[4096];      /* respondent zones ('' = default) inside calling hours now */
    int zones_in;          /* how many */
    char zone_list[MAX_ZONES][64]; /* the same zones, one by one */
    char langs[256];       /* the interviewer's languages */
    char lang_list[MAX_LANGS][32]; /* '' (any interviewer) and the interviewer's languages */
    int nlangs;
    char skills[256];      /* the interviewer's skills */
    char quota[4096];      /* full quota cells: "SURVEY:field=value" */
    char quota_text[512];  /* the same, for people: "service cid_new" */
};

/* The SQL conditions every offered case meets (c = the case). */
#define COND_LANG "(c.language = '' OR instr(?4, char(31) || c.language || char(31)) > 0)"
#define COND_SKILL "(c.needs_skill = '' OR instr(?5, char(31) || c.needs_skill || char(31)) > 0)"
#define QCELL(col) "instr(?6, char(31) || c.survey_id || ':" col "=' || lower(c." col ") || char(31)) = 0"
#define COND_QUOTA                                                                                 \
    "(?6 = '' OR (" QCELL("service") " AND " QCELL("agency") " AND " QCELL("district")             \
    " AND " QCELL("language") " AND NOT EXISTS (SELECT 1 FROM case_fields f WHERE f.case_id = c.id" \
    " AND instr(?6, char(31) || c.survey_id || ':' || lower(f.name) || '=' || lower(f.value)"     \
    " || char(31)) > 0)))"
#define COND_ZONE "instr(?3, char(31) || c.timezone || char(31)) > 0"
#define COND_NOT_HELD                                                                              \
    "(c.appointment_with IS NULL OR c.appointment_with = ?2 OR c.appointment_at IS NULL"           \
    " OR c.appointment_at + ?7 <= ?1)"
#define COND_ACTIVE "(SELECT paused FROM surveys WHERE id = c.survey_id) = 0"

/* Bind the parameters shared by the claim statements:
 * ?1 now, ?2 me, ?3 zones, ?4 langs, ?5 skills, ?6 quota, ?7 hold seconds. */
static void bind_ctx(sqlite3_stmt *st, const struct claim_ctx *x)
{
    sqlite3_bind_int64(st, 1, x->now);
    sqlite3_bind_int64(st, 2, x->who->id);
    sqlite3_bind_text(st, 3, x->zones, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, x->langs, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, x->skills, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, x->quota, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)x->cfg->hold_minutes * 60);
}

/* "a,b" -> SEP "a" SEP "b" SEP */
static void make_set(const char *list, char *out, size_t size)
{
    char buf[256];
    cati_strlcpy(buf, list ? list : "", sizeof buf);
    cati_strlcpy(out, SEP, size);
    char *save = NULL;
    for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s" SEP, t);
    }
}

static int append_set(char *set, size_t size, const char *item)
{
    size_t used = strlen(set);
    if (!used)
        used = cati_strlcpy(set, SEP, size);
    int n = snprintf(set + used, size - used, "%s" SEP, item);
    return n < 0 || (size_t)n >= size - used ? -1 : 0;
}

/* Which respondent time zones of open cases are inside calling hours now.
 * Walks the distinct zones with index seeks (cases_tz), never the cases. */
static int find_zones(sqlite3 *db, struct claim_ctx *x, struct cati_error *err)
{
    x->zones[0] = '\0';
    x->zones_in = 0;
    if (schedule_in_hours(x->cfg, "", x->now)) {
        append_set(x->zones, sizeof x->zones, "");
        x->zone_list[x->zones_in++][0] = '\0';
    }
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT timezone FROM cases INDEXED BY cases_tz WHERE state <> 'final'"
                       " AND timezone > ? ORDER BY timezone LIMIT 1", &st, err) < 0)
        return -1;
    char zone[128] = "";
    for (int guard = 0; guard < 1000; guard++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, zone, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            sqlite3_finalize(st);
            return db_error(db, err, "queue");
        }
        const char *z = (const char *)sqlite3_column_text(st, 0);
        cati_strlcpy(zone, z ? z : "", sizeof zone);
        if (x->zones_in < MAX_ZONES && strlen(zone) < sizeof x->zone_list[0] &&
            schedule_in_hours(x->cfg, zone, x->now) && append_set(x->zones, sizeof x->zones, zone) == 0)
            cati_strlcpy(x->zone_list[x->zones_in++], zone, sizeof x->zone_list[0]);
    }
    sqlite3_finalize(st);
    if (!x->zones[0])
        cati_strlcpy(x->zones, SEP, sizeof x->zones);
    return 0;
}

/* Full quota cells of every active survey into x->quota / x->quota_text. */
static int find_full_cells(sqlite3 *db, struct claim_ctx *x, struct cati_error *err)
{
    x->quota[0] = x->quota_text[0] = '\0';
    if (x->cfg->nquotas == 0)
        return 0;
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT id FROM surveys WHERE paused = 0 ORDER BY id", &st, err) < 0)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long survey = sqlite3_column_int64(st, 0);
        for (int i = 0; i < x->cfg->nquotas; i++) {
            const struct cati_quota *q = &x->cfg->quotas[i];
            long long n;
            if (quota_completes(db, survey, q, &n, err) < 0) {
                sqlite3_finalize(st);
                return -1;
            }
            if (n < q->limit)
                continue;
            char item[256], lower[128];
            size_t k;
            for (k = 0; q->value[k] && k + 1 < sizeof lower; k++)
                lower[k] = (char)(q->value[k] >= 'A' && q->value[k] <= 'Z' ? q->value[k] + 32 : q->value[k]);
            lower[k] = '\0';
            snprintf(item, sizeof item, "%lld:%s=%s", survey, q->field, lower);
            append_set(x->quota, sizeof x->quota, item);
            snprintf(item, sizeof item, "%s %s", q->field, q->value);
            if (!strstr(x->quota_text, item)) {
                size_t used = strlen(x->quota_text);
                snprintf(x->quota_text + used, sizeof x->quota_text - used, "%s%s",
                         used ? ", " : "", item);
            }
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "quota");
}

static int ctx_init(sqlite3 *db, const struct cati_config *cfg, const struct cati_interviewer *who,
                    struct claim_ctx *x, struct cati_error *err)
{
    memset(x, 0, sizeof *x);
    x->cfg = cfg;
    x->who = who;
    x->now = cati_now();
    make_set(who->languages, x->langs, sizeof x->langs);
    char buf[256], *save = NULL;
    x->lang_list[x->nlangs++][0] = '\0';
    cati_strlcpy(buf, who->languages, sizeof buf);
    for (char *t = strtok_r(buf, ", ", &save); t && x->nlangs < MAX_LANGS; t = strtok_r(NULL, ", ", &save))
        cati_strlcpy(x->lang_list[x->nlangs++], t, sizeof x->lang_list[0]);
    make_set(who->skills, x->skills, sizeof x->skills);
    if (find_zones(db, x, err) < 0 || find_full_cells(db, x, err) < 0)
        return -1;
    return 0;
}

/* The claim's statements, all prepared before the write lock is taken so
 * the locked part only runs them: the lock is held for microseconds plus
 * the commit, which is what lets many consoles claim at once. A claim
 * leaves updated_at alone: holding a case is not data that sync or
 * export carry, and every page a claim touches is WAL to checkpoint. */
struct claim_sql {
    sqlite3_stmt *held, *resume, *take, *expire, *missed, *appt, *surveys, *general, *handover, *session;
};

/* a case they hold (a lease that ran out is back in the queue) */
static const char *const sql_held =
    "SELECT id FROM cases INDEXED BY cases_claimed WHERE claimed_by = ?1"
    " AND lease_until > ?2 AND state <> 'final' ORDER BY claimed_at DESC LIMIT 1";
/* an interview of theirs in progress that nobody holds and that is due: one
 * left open on purpose (an appointment to finish it) waits for its time */
static const char *const sql_resume =
    "SELECT c.id FROM interviews i INDEXED BY interviews_open JOIN cases c ON c.id = i.case_id"
    " WHERE i.interviewer_id = ?1 AND i.outcome IS NULL AND c.state <> 'final'"
    " AND c.next_call_at <= ?2 AND (c.appointment_at IS NULL OR c.appointment_at <= ?2)"
    " AND (c.claimed_by IS NULL OR c.lease_until <= ?2) AND " COND_ACTIVE
    " ORDER BY i.updated_at DESC LIMIT 1";
static const char *const sql_take =
    "UPDATE cases SET claimed_by = ?2, lease_until = ?3, claimed_at = ?4"
    " WHERE id = ?1 AND state <> 'final'"
    " AND (claimed_by IS NULL OR claimed_by = ?2 OR lease_until <= ?4) RETURNING id";
/* leases that ran out go back to the queue */
static const char *const sql_expire =
    "UPDATE cases INDEXED BY cases_lease SET claimed_by = NULL, lease_until = NULL,"
    " claimed_at = NULL WHERE claimed_by IS NOT NULL AND lease_until <= ?";
/* appointments not kept are flagged missed */
static const char *const sql_missed =
    "UPDATE cases INDEXED BY cases_appt SET appointment_missed = 1"
    " WHERE appointment_at IS NOT NULL AND appointment_at <= ? AND appointment_missed = 0"
    " AND state <> 'final'";
/* due appointments: hard ones for me, then any (after the hold), then missed;
 * QUOTA is COND_QUOTA when some quota cell is full, else nothing (a shorter
 * statement to prepare in the common case) */
#define SQL_APPT(QUOTA)                                                                            \
    "UPDATE cases SET claimed_by = ?2, lease_until = ?8, claimed_at = ?1"                          \
    " WHERE id = (SELECT c.id FROM cases c INDEXED BY cases_appt"                                 \
    " WHERE c.appointment_at IS NOT NULL AND c.appointment_at <= ?1"                              \
    " AND c.state <> 'final' AND c.claimed_by IS NULL AND " COND_ACTIVE                            \
    " AND " COND_NOT_HELD " AND (c.appointment_missed = 0 OR " COND_ZONE ")"                       \
    " AND " COND_LANG " AND " COND_SKILL QUOTA                                                     \
    " ORDER BY c.appointment_with IS NOT ?2, c.appointment_missed, c.priority DESC,"               \
    " c.appointment_at, c.id LIMIT 1) RETURNING id"
static const char *const sql_appt[2] = {SQL_APPT(""), SQL_APPT(" AND " COND_QUOTA)};
static const char *const sql_surveys = "SELECT id FROM surveys WHERE paused = 0 ORDER BY id";
/* the case's interview in progress goes with the case: whoever holds it
 * works it (a lease that ran out lets another interviewer take the case
 * and go on with the interview), so one case has one holder. One that
 * already reached its end stays its interviewer's: the new holder only
 * records the call, and the interview is not theirs to be credited with. */
static const char *const sql_session =
    "UPDATE cases SET claim_session = ?2 WHERE id = ?1 AND claim_session IS NOT ?2";
static const char *const sql_handover =
    "UPDATE interviews SET interviewer_id = ?2, updated_at = ?3"
    " WHERE case_id = ?1 AND state = 'live' AND outcome IS NULL AND current_question <> ''"
    " AND interviewer_id IS NOT ?2";
/* the general queue of one survey, language and time zone, walked in
 * index order (cases_claim): only due cases are skipped over */
#define SQL_GENERAL(QUOTA)                                                                         \
    "SELECT c.id, c.priority, c.last_call_at IS NOT NULL, coalesce(c.last_call_at, 0)"             \
    " FROM cases c INDEXED BY cases_claim"                                                        \
    " WHERE c.survey_id = ?8 AND c.language = ?9 AND c.timezone = ?10 AND c.state <> 'final'"     \
    " AND c.claimed_by IS NULL AND c.appointment_at IS NULL AND c.next_call_at <= ?1"              \
    " AND " COND_SKILL QUOTA " ORDER BY c.priority DESC, c.last_call_at, c.id LIMIT 1"
static const char *const sql_general[2] = {SQL_GENERAL(""), SQL_GENERAL(" AND " COND_QUOTA)};

static void claim_sql_free(struct claim_sql *q)
{
    sqlite3_stmt **all[] = {&q->held, &q->resume, &q->take, &q->expire,
                            &q->missed, &q->appt, &q->surveys, &q->general, &q->handover, &q->session};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        sqlite3_finalize(*all[i]);
        *all[i] = NULL;
    }
}

static int claim_sql_prepare(sqlite3 *db, struct claim_sql *q, int quota, struct cati_error *err)
{
    memset(q, 0, sizeof *q);
    if (db_prepare(db, sql_held, &q->held, err) < 0 || db_prepare(db, sql_resume, &q->resume, err) < 0 ||
        db_prepare(db, sql_take, &q->take, err) < 0 || db_prepare(db, sql_expire, &q->expire, err) < 0 ||
        db_prepare(db, sql_missed, &q->missed, err) < 0 || db_prepare(db, sql_appt[quota], &q->appt, err) < 0 ||
        db_prepare(db, sql_surveys, &q->surveys, err) < 0 ||
        db_prepare(db, sql_general[quota], &q->general, err) < 0 ||
        db_prepare(db, sql_handover, &q->handover, err) < 0 ||
        db_prepare(db, sql_session, &q->session, err) < 0) {
        claim_sql_free(q);
        return -1;
    }
    return 0;
}

/* Run a statement returning one id (or none), then reset it.
 * 0 = none, 1 = *id set, -1 = error. */
static int step_id(sqlite3 *db, sqlite3_stmt *st, long long *id, struct cati_error *err)
{
    int rc = sqlite3_step(st);
    int found = 0;
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        found = 1;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            ;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_error(db, err, "queue");
    return found;
}

static int take(sqlite3 *db, struct claim_sql *q, const struct claim_ctx *x, long long id,
                struct cati_error *err)
{
    sqlite3_bind_int64(q->take, 1, id);
    sqlite3_bind_int64(q->take, 2, x->who->id);
    sqlite3_bind_int64(q->take, 3, x->now + (time_t)x->cfg->lease_minutes * 60);
    sqlite3_bind_int64(q->take, 4, x->now);
    long long got;
    return step_id(db, q->take, &got, err);
}

/* The interviewer's own unfinished case: one they hold, else one whose
 * interview of theirs is still in progress and nobody else holds. */
static int claim_resume(sqlite3 *db, struct claim_sql *q, const struct claim_ctx *x, long long *id,
                        struct cati_error *err)
{
    sqlite3_bind_int64(q->held, 1, x->who->id);
    sqlite3_bind_int64(q->held, 2, x->now);
    int found = step_id(db, q->held, id, err);
    if (found < 0)
        return -1;
    if (!found) {
        sqlite3_bind_int64(q->resume, 1, x->who->id);
        sqlite3_bind_int64(q->resume, 2, x->now);
        found = step_id(db, q->resume, id, err);
        if (found <= 0)
            return found;
    }
    return take(db, q, x, *id, err);
}

static int claim_appointment(sqlite3 *db, struct claim_sql *q, const struct claim_ctx *x,
                             long long *id, struct cati_error *err)
{
    bind_ctx(q->appt, x);
    sqlite3_bind_int64(q->appt, 8, x->now + (time_t)x->cfg->lease_minutes * 60);
    return step_id(db, q->appt, id, err);
}

struct candidate { long long id; int priority; int tried; long long last_call_at; };

static int better(const struct candidate *a, const struct candidate *b)
{
    if (a->priority != b->priority)
        return a->priority > b->priority;
    if (a->tried != b->tried)
        return !a->tried;
    if (a->last_call_at != b->last_call_at)
        return a->last_call_at < b->last_call_at;
    return a->id < b->id;
}

/* The best case of one survey, language and zone (0 if none). */
static int walk_general(struct claim_sql *q, const struct claim_ctx *x, long long survey,
                        const char *lang, const char *zone, struct candidate *best)
{
    bind_ctx(q->general, x);
    sqlite3_bind_int64(q->general, 8, survey);
    sqlite3_bind_text(q->general, 9, lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(q->general, 10, zone, -1, SQLITE_STATIC);
    int r = sqlite3_step(q->general);
    if (r == SQLITE_ROW) {
        struct candidate c = {sqlite3_column_int64(q->general, 0), sqlite3_column_int(q->general, 1),
                              sqlite3_column_int(q->general, 2), sqlite3_column_int64(q->general, 3)};
        if (!best->id || better(&c, best))
            *best = c;
        r = SQLITE_DONE;
    }
    sqlite3_reset(q->general);
    return r;
}

/* The general queue: one indexed walk (cases_claim) per active survey,
 * language the interviewer may take ('' or theirs) and time zone inside
 * calling hours; the best of them is claimed. */
static int claim_general(sqlite3 *db, struct claim_sql *q, const struct claim_ctx *x, long long *id,
                         struct cati_error *err)
{
    if (x->zones_in == 0)
        return 0;
    struct candidate best = {0, 0, 0, 0};
    int rc;
    while ((rc = sqlite3_step(q->surveys)) == SQLITE_ROW) {
        long long survey = sqlite3_column_int64(q->surveys, 0);
        for (int l = 0; l < x->nlangs && rc == SQLITE_ROW; l++)
            for (int z = 0; z < x->zones_in && rc == SQLITE_ROW; z++)
                if (walk_general(q, x, survey, x->lang_list[l], x->zone_list[z], &best) != SQLITE_DONE)
                    rc = SQLITE_ERROR;
        if (rc != SQLITE_ROW)
            break;
    }
    sqlite3_reset(q->surveys);
    if (rc != SQLITE_DONE)
        return db_error(db, err, "queue");
    if (!best.id)
        return 0;
    *id = best.id;
    return take(db, q, x, best.id, err);
}

/* Housekeeping inside the claim: expired leases, missed appointments. */
static int housekeeping(sqlite3 *db, struct claim_sql *q, const struct claim_ctx *x,
                        struct cati_error *err)
{
    long long unused;
    sqlite3_bind_int64(q->expire, 1, x->now);
    if (step_id(db, q->expire, &unused, err) < 0)
        return -1;
    sqlite3_bind_int64(q->missed, 1, schedule_missed_cutoff(x->cfg, x->now));
    return step_id(db, q->missed, &unused, err) < 0 ? -1 : 0;
}

static int why_nothing(sqlite3 *db, const struct claim_ctx *x, char *buf, size_t size,
                       struct cati_error *err);

/* Many consoles claim at once. Claimers queue on a lock file next to the
 * database (DB-claim, flock: waiters sleep in the kernel and wake when it
 * is free) instead of SQLite's busy handler, whose 1, 2, 5, 10… ms sleeps
 * leave the write lock idle while everyone sleeps. The lock file is never
 * the database or its -wal/-shm: closing a descriptor of those would drop
 * SQLite's own POSIX locks. Without the file (read-only directory) claims
 * still work, waiting in short steps for SQLite's write lock. */
static int claim_lock(sqlite3 *db)
{
    const char *path = sqlite3_db_filename(db, "main");
    char lock[1100];
    if (!path || !*path || snprintf(lock, sizeof lock, "%s-claim", path) >= (int)sizeof lock)
        return -1;
    /* made 0660 whatever the umask, like the database */
    int fd = open(lock, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0660);
    if (fd >= 0)
        (void)fchmod(fd, 0660);
    else
        fd = open(lock, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    while (flock(fd, LOCK_EX) < 0) {
        if (errno != EINTR) {
            close(fd);
            return -1;
        }
    }
    return fd;
}

static void claim_unlock(int fd)
{
    if (fd >= 0)
        close(fd); /* releases the flock */
}

static int count_wal_pages(void *arg, sqlite3 *db, const char *name, int pages)
{
    (void)db;
    (void)name;
    *(int *)arg = pages;
    return SQLITE_OK;
}

struct busy_wait { struct timespec start; int limit_ms; };

static int busy_wait(void *arg, int count)
{
    struct busy_wait *b = arg;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (count == 0)
        b->start = now;
    long long ms = (now.tv_sec - b->start.tv_sec) * 1000LL + (now.tv_nsec - b->start.tv_nsec) / 1000000;
    if (ms >= b->limit_ms)
        return 0;
    struct timespec d = {0, (count < 10 ? 50 + count * 20 : 250) * 1000L};
    while (nanosleep(&d, &d) < 0 && errno == EINTR)
        ;
    return 1;
}

/* The locked part: housekeeping and the three steps, in one transaction. */
static int claim_in_transaction(sqlite3 *db, struct claim_sql *q, const struct claim_ctx *x, unsigned flags,
                        struct queue_claim *out, struct cati_error *err)
{
    long long id = 0;
    int found = 0;
    struct busy_wait b = {{0, 0}, x->cfg->busy_timeout_ms};
    sqlite3_busy_handler(db, busy_wait, &b);
    int rc = db_begin_immediate(db, err);
    sqlite3_busy_timeout(db, x->cfg->busy_timeout_ms);
    if (rc < 0)
        return -1;
    if (!(flags & QUEUE_CLAIM_ANOTHER)) {
        if ((found = claim_resume(db, q, x, &id, err)) < 0)
            goto fail;
        out->resumed = found;
    }
    if (!found && (housekeeping(db, q, x, err) < 0 || (found = claim_appointment(db, q, x, &id, err)) < 0))
        goto fail;
    if (!found && (found = claim_general(db, q, x, &id, err)) < 0)
        goto fail;
    if (found) {
        long long unused;
        sqlite3_bind_int64(q->handover, 1, id);
        sqlite3_bind_int64(q->handover, 2, x->who->id);
        sqlite3_bind_int64(q->handover, 3, x->now);
        if (step_id(db, q->handover, &unused, err) < 0)
            goto fail;
        /* the console that claimed it (a second console of the same
         * interviewer takes it over from the first) */
        sqlite3_bind_int64(q->session, 1, id);
        sqlite3_bind_text(q->session, 2, x->who->session, -1, SQLITE_TRANSIENT);
        if (step_id(db, q->session, &unused, err) < 0)
            goto fail;
    }
    if (db_commit(db, err) < 0)
        return -1;
    out->case_id = found ? id : 0;
    return found;
fail:
    db_rollback(db);
    return -1;
}

int queue_claim_next(sqlite3 *db, const struct cati_config *cfg, const struct cati_interviewer *who,
                     unsigned flags, struct queue_claim *out, struct cati_error *err)
{
    memset(out, 0, sizeof *out);
    /* Zones in hours and full quota cells are read before the lock: a zone
     * or a complete that appears meanwhile matters from the next claim. */
    struct claim_ctx x;
    struct claim_sql q;
    if (ctx_init(db, cfg, who, &x, err) < 0 || claim_sql_prepare(db, &q, x.quota[0] != 0, err) < 0)
        return -1;
    /* The WAL checkpoint that a commit may trigger runs after the claim
     * lock is given back, so other claimers do not wait for it. */
    long long autockpt = 0;
    int wal_pages = 0;
    if (db_int(db, "PRAGMA wal_autocheckpoint", NULL, 0, 0, &autockpt, err) < 0) {
        claim_sql_free(&q);
        return -1;
    }
    sqlite3_wal_hook(db, count_wal_pages, &wal_pages);
    int lock = claim_lock(db);
    int found = claim_in_transaction(db, &q, &x, flags, out, err);
    claim_unlock(lock);
    sqlite3_wal_autocheckpoint(db, (int)autockpt); /* SQLite's own hook again */
    if (autockpt > 0 && wal_pages >= autockpt)
        sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    claim_sql_free(&q);
    if (found != 0)
        return found;
    /* nothing: say why, from a read transaction (no lock held) */
    if (db_begin(db, err) < 0)
        return -1;
    int rc = why_nothing(db, &x, out->reason, sizeof out->reason, err);
    db_rollback(db);
    return rc < 0 ? -1 : 0;
}

/* ---- why nothing can be offered ---------------------------------------- */

/* The filters of the claim, switched on one by one (?9.. ?14), over due
 * cases of one survey and state (cases_queue). */
static const char *const probe_sql =
    "SELECT 1 FROM cases c INDEXED BY cases_queue"
    " WHERE c.survey_id = ?15 AND c.state = ?16 AND c.state <> 'final' AND c.next_call_at <= ?1"
    " AND (?9 = 0 OR " COND_ZONE " OR (c.appointment_at IS NOT NULL AND c.appointment_missed = 0))"
    " AND (?10 = 0 OR c.claimed_by IS NULL OR c.lease_until <= ?1)"
    " AND (?11 = 0 OR " COND_QUOTA ")"
    " AND (?12 = 0 OR " COND_NOT_HELD ")"
    " AND (?13 = 0 OR " COND_LANG ")"
    " AND (?14 = 0 OR " COND_SKILL ") LIMIT 1";

/* The filters in the order they are switched on: the interviewer's own
 * (languages, skill) before the case's state (in use, quota, held), so the
 * reason given is the one that binds for them. */
enum { PROBE_DUE, PROBE_HOURS, PROBE_LANG, PROBE_SKILL, PROBE_FREE, PROBE_QUOTA, PROBE_HOLD,
       PROBE_COUNT };
/* each filter's switch in probe_sql */
static const int probe_param[PROBE_COUNT] = {
    [PROBE_HOURS] = 9, [PROBE_FREE] = 10, [PROBE_QUOTA] = 11, [PROBE_HOLD] = 12,
    [PROBE_LANG] = 13, [PROBE_SKILL] = 14};

/* 1 if some due case of an active survey passes the first `level` filters. */
static int probe(sqlite3 *db, const struct claim_ctx *x, int level, struct cati_error *err)
{
    sqlite3_stmt *surveys, *st;
    if (db_prepare(db, "SELECT id FROM surveys WHERE paused = 0", &surveys, err) < 0)
        return -1;
    if (db_prepare(db, probe_sql, &st, err) < 0) {
        sqlite3_finalize(surveys);
        return -1;
    }
    int found = 0, rc;
    while (!found && (rc = sqlite3_step(surveys)) == SQLITE_ROW) {
        for (int s = 0; s < 2 && !found; s++) {
            sqlite3_reset(st);
            bind_ctx(st, x);
            for (int f = PROBE_HOURS; f < PROBE_COUNT; f++)
                sqlite3_bind_int(st, probe_param[f], f <= level);
            sqlite3_bind_int64(st, 15, sqlite3_column_int64(surveys, 0));
            sqlite3_bind_text(st, 16, s ? "open" : "new", -1, SQLITE_STATIC);
            int r = sqlite3_step(st);
            if (r == SQLITE_ROW)
                found = 1;
            else if (r != SQLITE_DONE) {
                found = -1;
                break;
            }
        }
    }
    if (found < 0)
        db_error(db, err, "queue");
    sqlite3_finalize(st);
    sqlite3_finalize(surveys);
    return found;
}

/* Earliest next call of any open case in an active survey; -1 if none. */
static int next_due(sqlite3 *db, long long *when, struct cati_error *err)
{
    long long open = 0;
    if (db_int(db, "SELECT count(*) FROM surveys s WHERE s.paused = 0 AND EXISTS (SELECT 1 FROM"
                   " cases c INDEXED BY cases_queue WHERE c.survey_id = s.id AND c.state <> 'final')",
               NULL, 0, 0, &open, err) < 0)
        return -1;
    *when = -1;
    if (!open)
        return 0;
    return db_int(db,
                  "SELECT min(n) FROM (SELECT (SELECT min(next_call_at) FROM cases INDEXED BY cases_queue"
                  " WHERE survey_id = s.id AND state = 'new' AND state <> 'final') AS n FROM surveys s WHERE s.paused = 0"
                  " UNION ALL SELECT (SELECT min(next_call_at) FROM cases INDEXED BY cases_queue"
                  " WHERE survey_id = s.id AND state = 'open' AND state <> 'final') FROM surveys s WHERE s.paused = 0)",
                  NULL, 0, -1, when, err);
}

/* When the first case this interviewer could take (their languages and
 * skills, an active survey) falls due after now: *when, or -1 if none. */
static int mine_next(sqlite3 *db, const struct claim_ctx *x, long long *when, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT min(c.next_call_at) FROM cases c WHERE c.state <> 'final'"
                       " AND c.next_call_at > ?1 AND " COND_ACTIVE " AND " COND_LANG " AND " COND_SKILL,
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, x->now);
    sqlite3_bind_text(st, 4, x->langs, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, x->skills, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *when = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : db_error(db, err, "queue");
}

static void format_when(const struct claim_ctx *x, time_t t, char *buf, size_t size)
{
    char now[32], then[32];
    cati_format_time(x->now, x->cfg->timezone, now, sizeof now);
    cati_format_time(t, x->cfg->timezone, then, sizeof then);
    cati_strlcpy(buf, strncmp(now, then, 10) ? then : then + 11, size);
}

static int why_nothing(sqlite3 *db, const struct claim_ctx *x, char *buf, size_t size,
                       struct cati_error *err)
{
    long long when = -1;
    if (next_due(db, &when, err) < 0)
        return -1;
    if (when < 0) {
        long long paused = 0;
        if (db_int(db, "SELECT count(*) FROM surveys s WHERE s.paused = 1 AND EXISTS (SELECT 1 FROM"
                       " cases c INDEXED BY cases_queue WHERE c.survey_id = s.id AND c.state <> 'final')",
                       NULL, 0, 0, &paused, err) < 0)
            return -1;
        snprintf(buf, size, paused ? "no cases left to call (the surveys with cases left are paused)"
                                   : "no cases left to call");
        return 0;
    }
    int level;
    for (level = PROBE_DUE; level < PROBE_COUNT; level++) {
        int r = probe(db, x, level, err);
        if (r < 0)
            return -1;
        if (!r)
            break;
    }
    char text[256];
    if (level == PROBE_LANG || level == PROBE_SKILL) {
        /* due cases exist, but none for this interviewer: what binds is when
         * the first one in their languages and skills falls due */
        long long mine = -1;
        if (mine_next(db, x, &mine, err) < 0)
            return -1;
        if (mine > 0) {
            format_when(x, (time_t)mine, text, sizeof text);
            snprintf(buf, size, "no case due until %s", text);
            return 0;
        }
    }
    switch (level) {
    case PROBE_DUE:
        format_when(x, (time_t)when, text, sizeof text);
        snprintf(buf, size, "no case due until %s", text);
        break;
    case PROBE_HOURS: {
        int wday;
        calendar_day_minute(x->cfg->timezone, x->now, &wday, NULL);
        static const char *const days[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
        schedule_hours_text(x->cfg, text, sizeof text);
        if (!(x->cfg->days & (1u << wday)))
            snprintf(buf, size, "outside calling hours (%s): no calls on %s", text, days[wday]);
        else
            snprintf(buf, size, "outside calling hours (%s)", text);
        break;
    }
    case PROBE_FREE: snprintf(buf, size, "all due cases are in use"); break;
    case PROBE_QUOTA: snprintf(buf, size, "quota met for %s", x->quota_text); break;
    case PROBE_HOLD:
        snprintf(buf, size, "the due cases are appointments held for the interviewers who booked them");
        break;
    case PROBE_LANG:
        snprintf(buf, size, "no due case in your languages (%s)", x->who->languages);
        break;
    case PROBE_SKILL:
        snprintf(buf, size, "the due cases are refusal conversions, for interviewers with the "
                            "refusal skill");
        break;
    default: snprintf(buf, size, "no case can be offered right now"); break;
    }
    return 0;
}

int queue_why_nothing(sqlite3 *db, const struct cati_config *cfg, const struct cati_interviewer *who,
                      char *buf, size_t size, struct cati_error *err)
{
    struct claim_ctx x;
    if (db_begin(db, err) < 0)
        return -1;
    int rc = ctx_init(db, cfg, who, &x, err);
    if (rc == 0)
        rc = why_nothing(db, &x, buf, size, err);
    db_rollback(db);
    return rc;
}
