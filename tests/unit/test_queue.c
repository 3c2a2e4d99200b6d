/* The call queue: claim order, resume, leases, appointments, calling hours,
 * language, skill, quotas, the reasons for nothing, the index the claim
 * walks, and 16 processes claiming at once. */
#include "queue_fixture.h"

#include <sys/wait.h>

#include "cati/case.h"
#include "cati/check.h"
#include "cati/interview.h"
#include "cati/queue.h"
#include "cati/schedule.h"

static struct fx F;
static struct cati_interviewer pema, sonam, karma, dorji;

static int setup(void **state)
{
    (void)state;
    fx_setup(&F);
    fx_interviewer(&F, "pema", ROLE_INTERVIEWER, "en", "", &pema);
    fx_interviewer(&F, "sonam", ROLE_SUPERVISOR, "en,dz", "refusal", &sonam);
    fx_interviewer(&F, "karma", ROLE_INTERVIEWER, "en,dz", "", &karma);
    fx_interviewer(&F, "dorji", ROLE_INTERVIEWER, "dz", "", &dorji);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_teardown(&F);
    return 0;
}

static time_t T(int d, int h, int mi)
{
    return fx_time(2026, 11, d, h, mi);
}

/* Claim for who; the case ID, or 0 with the reason in *why. */
static long long claim_as(const struct cati_interviewer *who, unsigned flags, char *why, size_t size)
{
    struct queue_claim q;
    struct cati_error err;
    int rc = queue_claim_next(F.db, &F.cfg, who, flags, &q, &err);
    if (rc < 0)
        fail_msg("claim for %s: %s", who->login, err.msg);
    if (why)
        cati_strlcpy(why, rc ? "" : q.reason, size);
    assert_int_equal(rc == 1, q.case_id != 0);
    return q.case_id;
}

static long long claim(const struct cati_interviewer *who)
{
    return claim_as(who, QUEUE_CLAIM_ANOTHER, NULL, 0);
}

static void expect_nothing(const struct cati_interviewer *who, const char *reason)
{
    char why[512];
    long long id = claim_as(who, QUEUE_CLAIM_ANOTHER, why, sizeof why);
    if (id)
        fail_msg("%s got case %lld, expected nothing (%s)", who->login, id, reason);
    if (strcmp(why, reason))
        fail_msg("reason '%s', expected '%s'", why, reason);
}

static void set_case(long long id, const char *sql_set_with_param)
{
    char sql[512];
    snprintf(sql, sizeof sql, "UPDATE cases SET %s WHERE id = ?", sql_set_with_param);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(F.db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static void set_called(long long id, time_t last, time_t next)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(F.db, "UPDATE cases SET state = 'open', attempts = 1,"
                                              " last_call_at = ?, next_call_at = ? WHERE id = ?",
                                        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, last);
    sqlite3_bind_int64(st, 2, next);
    sqlite3_bind_int64(st, 3, id);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static void set_appointment(long long id, time_t at, const struct cati_interviewer *with)
{
    struct cati_error err;
    time_t now = cati_now();
    cati_clock_set(at - 3600); /* booked an hour before */
    assert_int_equal(case_appoint(F.db, &F.cfg, id, at, with ? with->id : 0, &sonam, &err), 0);
    cati_clock_set(now);
}

static void test_claim_order(void **state)
{
    (void)state;
    long long a = fx_case(&F, NULL);
    struct fx_case hi = {.priority = 5};
    long long b = fx_case(&F, &hi);
    long long c = fx_case(&F, NULL);
    long long d = fx_case(&F, NULL);
    long long e = fx_case(&F, NULL);
    long long f = fx_case(&F, NULL);
    set_called(b, T(23, 9, 30), T(23, 9, 45));
    set_called(c, T(23, 7, 0), T(23, 9, 50));  /* longest since its last call */
    set_called(d, T(23, 9, 0), T(23, 9, 15));  /* due longer, called later */
    set_called(f, T(23, 9, 40), T(23, 11, 30)); /* not due yet */
    long long order[] = {b, a, e, c, d};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(claim(&pema), order[i]);
    assert_int_equal(fx_int(&F, "SELECT claimed_by FROM cases WHERE id = ?", a), pema.id);
    assert_int_equal(fx_int(&F, "SELECT lease_until FROM cases WHERE id = ?", a), T(23, 10, 20));
    expect_nothing(&karma, "all due cases are in use");
    fx_exec(&F, "UPDATE cases SET state = 'final', disposition = '1.1', claimed_by = NULL"
                " WHERE claimed_by IS NOT NULL");
    expect_nothing(&karma, "no case due until 11:30");
    cati_clock_set(T(23, 11, 30));
    assert_int_equal(claim(&karma), f);
    fx_exec(&F, "UPDATE cases SET state = 'final', disposition = '1.1'");
    expect_nothing(&karma, "no cases left to call");
}

/* An interview left open on purpose (an appointment to finish it) waits
 * for its time: it is not resumed before, and comes back to its
 * interviewer when due. */
static void test_resume_waits_for_appointment(void **state)
{
    (void)state;
    long long x = fx_case(&F, NULL);
    long long y = fx_case(&F, NULL);
    struct queue_claim q;
    struct cati_error err;
    assert_int_equal(queue_claim_next(F.db, &F.cfg, &pema, 0, &q, &err), 1);
    assert_int_equal(q.case_id, x);
    fx_exec(&F, "INSERT INTO interviews(uuid, case_id, survey_version_id, interviewer_id, current_question, started_at,"
                " updated_at) VALUES('i1', 1, 1, 1, 'q1', 0, 0)");
    struct schedule_call call = {.outcome = "appointment", .at = T(23, 15, 0), .note = "finish later", .flags = 0};
    struct schedule_result res;
    if (schedule_record(F.db, &F.cfg, x, &pema, &call, &res, &err) < 0)
        fail_msg("appointment: %s", err.msg);
    assert_int_equal(queue_claim_next(F.db, &F.cfg, &pema, 0, &q, &err), 1);
    assert_int_equal(q.case_id, y); /* not x: its appointment is at 15:00 */
    assert_int_equal(q.resumed, 0);
    assert_int_equal(case_release(F.db, &F.cfg, y, &pema, NULL, &err), 0);
    cati_clock_set(T(23, 15, 1));
    assert_int_equal(queue_claim_next(F.db, &F.cfg, &pema, 0, &q, &err), 1);
    assert_int_equal(q.case_id, x);
}

static void test_resume(void **state)
{
    (void)state;
    long long x = fx_case(&F, NULL);
    long long y = fx_case(&F, NULL);
    struct queue_claim q;
    struct cati_error err;
    assert_int_equal(queue_claim_next(F.db, &F.cfg, &pema, 0, &q, &err), 1);
    assert_int_equal(q.case_id, x);
    assert_int_equal(q.resumed, 0);
    cati_clock_set(T(23, 10, 5));
    assert_int_equal(queue_claim_next(F.db, &F.cfg, &pema, 0, &q, &err), 1);
    assert_int_equal(q.case_id, x);
    assert_int_equal(q.resumed, 1);
    /* an interview of pema's in progress on y, whose console died */
    fx_exec(&F, "INSERT INTO interviews(uuid, case_id, survey_version_id, interviewer_id, current_question, started_at,"
                " updated_at) VALUES('i1', 2, 1, 1, 'q1', 0, 0)");
    assert_int_equal(y, 2);
    assert_int_equal(pema.id, 1);
    assert_int_equal(case_release(F.db, &F.cfg, x, &pema, NULL, &err), 0);
    assert_int_equal(queue_claim_next(F.db, &F.cfg, &pema, 0, &q, &err), 1);
    assert_int_equal(q.case_id, y);
    assert_int_equal(q.resumed, 1);
    assert_int_equal(fx_int(&F, "SELECT claimed_by FROM cases WHERE id = ?", y), pema.id);
    /* someone else does not get it while pema holds it … */
    assert_int_equal(claim(&karma), x);
    /* … and pema's held case comes first again */
    assert_int_equal(queue_claim_next(F.db, &F.cfg, &pema, 0, &q, &err), 1);
    assert_int_equal(q.case_id, y);
    /* a held case whose lease ran out is back in the queue, under its rules */
    fx_exec(&F, "UPDATE interviews SET outcome = 'breakoff'");
    cati_clock_set(T(23, 20, 0));
    assert_int_equal(queue_claim_next(F.db, &F.cfg, &pema, 0, &q, &err), 0);
    assert_string_equal(q.reason, "outside calling hours (09:00\u201313:00, 14:00\u201318:00)");
    assert_int_equal(fx_int(&F, "SELECT count(*) FROM cases WHERE claimed_by IS NOT NULL", 0), 0);
}

static void test_lease_expiry_and_renew(void **state)
{
    (void)state;
    long long x = fx_case(&F, NULL);
    struct cati_error err;
    assert_int_equal(claim(&pema), x);
    expect_nothing(&karma, "all due cases are in use");
    cati_clock_set(T(23, 10, 15));
    assert_int_equal(case_renew(F.db, &F.cfg, x, &pema, &err), 0);
    assert_int_equal(fx_int(&F, "SELECT lease_until FROM cases WHERE id = ?", x), T(23, 10, 35));
    cati_clock_set(T(23, 10, 34));
    expect_nothing(&karma, "all due cases are in use");
    cati_clock_set(T(23, 10, 35)); /* the lease ran out: the case comes back */
    assert_int_equal(claim(&karma), x);
    assert_int_equal(case_renew(F.db, &F.cfg, x, &pema, &err), -1);
    assert_int_equal(err.kind, CATI_ERR_LOST);
    assert_non_null(strstr(err.msg, "karma holds it since 10:35"));
    assert_int_equal(case_renew(F.db, &F.cfg, x, &karma, &err), 0);
}

static void test_release_and_priority(void **state)
{
    (void)state;
    long long x = fx_case(&F, NULL);
    long long y = fx_case(&F, NULL);
    struct cati_error err;
    int was = -1;
    assert_int_equal(claim(&pema), x);
    assert_int_equal(case_release(F.db, &F.cfg, x, &karma, &was, &err), -1);
    assert_int_equal(err.kind, CATI_ERR_LOST);
    assert_non_null(strstr(err.msg, "pema holds it"));
    assert_int_equal(case_release(F.db, &F.cfg, x, &sonam, &was, &err), 0);
    assert_int_equal(was, 1);
    assert_int_equal(case_release(F.db, &F.cfg, x, &sonam, &was, &err), 0);
    assert_int_equal(was, 0);
    assert_int_equal(case_release(F.db, &F.cfg, 999, &sonam, &was, &err), -1);
    assert_int_equal(case_set_priority(F.db, y, 3, &sonam, &err), 0);
    assert_int_equal(case_set_priority(F.db, 999, 3, &sonam, &err), -1);
    assert_int_equal(case_set_priority(F.db, y, 9, &pema, &err), -1); /* interviewers may not */
    assert_int_equal(err.kind, CATI_ERR_ROLE);
    assert_int_equal(fx_int(&F, "SELECT priority FROM cases WHERE id = ?", y), 3);
    assert_int_equal(fx_int(&F, "SELECT count(*) FROM audit WHERE action IN ('case release', 'case priority')",
                            0), 3);
    assert_int_equal(claim(&karma), y);
    assert_int_equal(claim(&karma), x);
}

static void test_appointments(void **state)
{
    (void)state;
    cati_clock_set(T(23, 11, 5));
    struct fx_case hi = {.priority = 9};
    long long i = fx_case(&F, &hi);    /* general queue, high priority */
    long long g = fx_case(&F, NULL);   /* hard for pema at 11:00: held until 11:15 */
    long long h = fx_case(&F, NULL);   /* soft at 10:30 */
    long long j = fx_case(&F, NULL);   /* hard for sonam at 10:55: held until 11:10 */
    long long k = fx_case(&F, NULL);   /* soft at 09:30: missed since 10:30 */
    long long later = fx_case(&F, NULL); /* soft at 15:00: not due */
    set_appointment(g, T(23, 11, 0), &pema);
    set_appointment(h, T(23, 10, 30), NULL);
    set_appointment(j, T(23, 10, 55), &sonam);
    set_appointment(k, T(23, 9, 30), NULL);
    set_appointment(later, T(23, 15, 0), NULL);
    assert_int_equal(claim(&karma), h);
    assert_int_equal(fx_int(&F, "SELECT appointment_missed FROM cases WHERE id = ?", k), 1);
    assert_int_equal(fx_int(&F, "SELECT appointment_missed FROM cases WHERE id = ?", h), 0);
    assert_int_equal(claim(&pema), g);   /* pema's own appointment before anything else */
    assert_int_equal(claim(&karma), k);  /* missed, ranked before the general queue */
    assert_int_equal(claim(&karma), i);
    expect_nothing(&karma, "the due cases are appointments held for the interviewers who booked them");
    assert_int_equal(claim(&sonam), j);
    /* after the hold anyone may take a hard appointment */
    fx_exec(&F, "UPDATE cases SET claimed_by = NULL, lease_until = NULL");
    cati_clock_set(T(23, 11, 16));
    long long after_hold[] = {h, j, g, k, i}; /* due by time, then missed, then the queue */
    for (size_t n = 0; n < 5; n++)
        assert_int_equal(claim(&karma), after_hold[n]);
    /* a due appointment is kept after hours, a missed one is not */
    fx_exec(&F, "UPDATE cases SET claimed_by = NULL, lease_until = NULL");
    set_appointment(later, T(23, 18, 30), NULL);
    cati_clock_set(T(23, 18, 40));
    assert_int_equal(claim(&karma), later);
    expect_nothing(&karma, "all due cases are in use");
    set_case(later, "state = 'final', disposition = '1.1', claimed_by = NULL");
    expect_nothing(&karma, "outside calling hours (09:00\u201313:00, 14:00\u201318:00)");
}

static void test_hours_and_zones(void **state)
{
    (void)state;
    struct fx_case ny = {.timezone = "America/New_York"};
    long long home = fx_case(&F, NULL);
    long long away = fx_case(&F, &ny);
    cati_clock_set(T(23, 20, 0)); /* 09:00 in New York */
    assert_int_equal(claim(&pema), away);
    expect_nothing(&karma, "all due cases are in use"); /* the home case is outside its hours */
    set_case(away, "claimed_by = NULL, next_call_at = 0");
    cati_clock_set(T(23, 10, 0)); /* Monday 10:00 here, Sunday 23:00 in New York */
    assert_int_equal(claim(&karma), home);
    expect_nothing(&karma, "all due cases are in use");
    set_case(home, "state = 'final', disposition = '1.1', claimed_by = NULL");
    expect_nothing(&karma, "outside calling hours (09:00\u201313:00, 14:00\u201318:00)");
    cati_clock_set(T(29, 10, 0)); /* Sunday */
    expect_nothing(&karma, "outside calling hours (09:00\u201313:00, 14:00\u201318:00): no calls on sun");
}

static void test_language_and_skill(void **state)
{
    (void)state;
    struct fx_case dz = {.language = "dz"};
    long long a = fx_case(&F, &dz);
    expect_nothing(&pema, "no due case in your languages (en)");
    /* pema's one English case, due at 10:15, is what binds */
    long long en = fx_case(&F, NULL);
    set_called(en, T(23, 9, 0), T(23, 10, 15));
    expect_nothing(&pema, "no case due until 10:15");
    set_case(en, "state = 'final', disposition = '4.70'");
    assert_int_equal(claim(&dorji), a);
    long long b = fx_case(&F, NULL);
    set_case(b, "needs_skill = 'refusal'");
    /* karma could take a, were it free: that binds, not b's skill */
    expect_nothing(&karma, "all due cases are in use");
    set_case(a, "state = 'final', disposition = '4.70', claimed_by = NULL, lease_until = NULL");
    expect_nothing(&karma, "the due cases are refusal conversions, for interviewers with the refusal skill");
    assert_int_equal(claim(&sonam), b);
    long long c = fx_case(&F, NULL);
    assert_int_equal(claim(&dorji), c); /* no language: anyone */
}

static void test_quota_cells(void **state)
{
    (void)state;
    F.cfg.nquotas = 2;
    F.cfg.quotas[0] = (struct cati_quota){.field = "service", .value = "cid_new", .limit = 1};
    F.cfg.quotas[1] = (struct cati_quota){.field = "gewog", .value = "chang", .limit = 0};
    struct fx_case cid = {.service = "CID_new"}, census = {.service = "census_move"};
    long long done = fx_case(&F, &cid);
    long long a = fx_case(&F, &cid);
    long long b = fx_case(&F, &census);
    long long g = fx_case(&F, &census);
    fx_exec(&F, "INSERT INTO case_fields(case_id, name, value) VALUES(4, 'Gewog', 'Chang'),"
                " (3, 'gewog', 'Kawang')");
    assert_int_equal(g, 4);
    assert_int_equal(claim(&pema), done); /* not full yet */
    set_case(done, "state = 'final', disposition = '1.1', claimed_by = NULL");
    assert_int_equal(claim(&pema), b);
    expect_nothing(&pema, "quota met for service cid_new, gewog chang");
    F.cfg.quotas[0].limit = 2;
    assert_int_equal(claim(&pema), a);
    F.cfg.nquotas = 0;
}

static void test_paused_survey(void **state)
{
    (void)state;
    fx_case(&F, NULL);
    fx_exec(&F, "UPDATE surveys SET paused = 1");
    expect_nothing(&pema, "no cases left to call (the surveys with cases left are paused)");
    fx_exec(&F, "UPDATE surveys SET paused = 0");
    assert_int_not_equal(claim(&pema), 0);
}

/* ---- the claim stays indexed -------------------------------------------- */

static char *traced[64];
static int ntraced;

static int trace(unsigned type, void *ctx, void *p, void *x)
{
    (void)ctx;
    (void)x;
    if (type == SQLITE_TRACE_STMT && ntraced < 64) {
        const char *sql = sqlite3_sql((sqlite3_stmt *)p);
        if (sql && strncmp(sql, "BEGIN", 5) && strncmp(sql, "COMMIT", 6))
            traced[ntraced++] = strdup(sql);
    }
    return 0;
}

/* Fail if any statement's plan scans the cases (or another big) table. */
static int check_plans(int *used_claim_index)
{
    int bad = 0;
    for (int i = 0; i < ntraced; i++) {
        char *sql = malloc(strlen(traced[i]) + 32);
        sprintf(sql, "EXPLAIN QUERY PLAN %s", traced[i]);
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(F.db, sql, -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *d = (const char *)sqlite3_column_text(st, 3);
            int wrong = 0;
            if (strstr(d, "cases_claim ")) {
                *used_claim_index = 1;
                wrong = strncmp(d, "SEARCH", 6) != 0;
            }
            /* only the small surveys table may be scanned */
            if (!strncmp(d, "SCAN", 4) && strcmp(d, "SCAN surveys") && strcmp(d, "SCAN s"))
                wrong = 1;
            /* the general queue is walked in index order, never sorted */
            if (strstr(d, "TEMP B-TREE") && strstr(traced[i], "cases_claim "))
                wrong = 1;
            if (wrong) {
                printf("# plan of: %s\n#   %s\n", traced[i], d);
                bad++;
            }
        }
        sqlite3_finalize(st);
        free(sql);
        free(traced[i]);
    }
    ntraced = 0;
    return bad;
}

static void test_claim_is_indexed(void **state)
{
    (void)state;
    fx_exec(&F, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
                " INSERT INTO cases(uuid, survey_id, ref, name, created_at, updated_at, priority,"
                " timezone) SELECT 'u' || i, 1, 'r' || i, 'n', 0, 0, i % 3,"
                " CASE WHEN i % 5 = 0 THEN 'Asia/Kolkata' ELSE '' END FROM n;"
                "ANALYZE;");
    F.cfg.nquotas = 1;
    F.cfg.quotas[0] = (struct cati_quota){.field = "district", .value = "nowhere", .limit = 0}; /* full: the quota variant */
    long long x = fx_case(&F, NULL);
    set_appointment(x, T(23, 9, 50), NULL);
    sqlite3_trace_v2(F.db, SQLITE_TRACE_STMT, trace, NULL);
    struct queue_claim q;
    struct cati_error err;
    assert_int_equal(queue_claim_next(F.db, &F.cfg, &pema, 0, &q, &err), 1); /* the appointment */
    assert_int_equal(q.case_id, x);
    assert_int_equal(queue_claim_next(F.db, &F.cfg, &pema, QUEUE_CLAIM_ANOTHER, &q, &err), 1);
    cati_clock_set(T(23, 20, 0));
    assert_int_equal(queue_claim_next(F.db, &F.cfg, &pema, QUEUE_CLAIM_ANOTHER, &q, &err), 0);
    sqlite3_trace_v2(F.db, 0, NULL, NULL);
    int used = 0;
    assert_int_equal(check_plans(&used), 0);
    assert_int_equal(used, 1);
    F.cfg.nquotas = 0;
}

/* ---- 16 processes claim from one database until it is empty ------------ */

#define NPROC 16
#define NCASES 320

static int child(int n, int fd)
{
    sqlite3 *db;
    struct cati_error err;
    char login[16];
    struct cati_interviewer me;
    snprintf(login, sizeof login, "int%02d", n);
    if (db_open(F.path, DB_OPEN_EXISTING, 10000, &db, &err) < 0 || account_find(db, login, &me, &err) < 0)
        return 2;
    for (;;) {
        struct queue_claim q;
        int rc = queue_claim_next(db, &F.cfg, &me, 0, &q, &err);
        if (rc < 0) {
            fprintf(stderr, "child %d: %s\n", n, err.msg);
            db_close(db);
            return 3;
        }
        if (rc == 0)
            break;
        if (write(fd, &q.case_id, sizeof q.case_id) != (ssize_t)sizeof q.case_id)
            return 4;
        struct schedule_call call = {.outcome = n % 2 ? "ineligible" : "refusal", .at = 0, .note = NULL, .flags = 0};
        struct schedule_result r;
        if (schedule_record(db, &F.cfg, q.case_id, &me, &call, &r, &err) < 0) {
            fprintf(stderr, "child %d: %s\n", n, err.msg);
            db_close(db);
            return 5;
        }
    }
    db_close(db);
    return 0;
}

static void test_concurrent_claims(void **state)
{
    (void)state;
    struct cati_interviewer tmp;
    for (int i = 0; i < NPROC; i++) {
        char login[16];
        snprintf(login, sizeof login, "int%02d", i);
        fx_interviewer(&F, login, ROLE_INTERVIEWER, "en", "", &tmp);
    }
    fx_exec(&F, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 320)"
                " INSERT INTO cases(uuid, survey_id, ref, name, created_at, updated_at)"
                " SELECT 'u' || i, 1, 'r' || i, 'n', 0, 0 FROM n;"
                "INSERT INTO phones(case_id, position, number) SELECT id, 1, '+97517' || id FROM cases");
    db_close(F.db);
    F.db = NULL;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pids[NPROC];
    for (int i = 0; i < NPROC; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            close(fds[0]);
            _exit(child(i, fds[1]));
        }
    }
    close(fds[1]);
    static int seen[NCASES + 1];
    long long id;
    int total = 0, dup = 0;
    while (read(fds[0], &id, sizeof id) == (ssize_t)sizeof id) {
        assert_true(id >= 1 && id <= NCASES);
        if (seen[id]++)
            dup++;
        total++;
    }
    close(fds[0]);
    int failed = 0;
    for (int i = 0; i < NPROC; i++) {
        int status;
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed++;
    }
    fx_open(&F);
    assert_int_equal(failed, 0);
    assert_int_equal(dup, 0);
    assert_int_equal(total, NCASES);
    assert_int_equal(fx_int(&F, "SELECT count(*) FROM cases WHERE state = 'final'", 0), NCASES);
    assert_int_equal(fx_int(&F, "SELECT count(*) FROM calls", 0), NCASES);
    assert_int_equal(fx_int(&F, "SELECT count(DISTINCT interviewer_id) > 1 FROM calls", 0), 1);
}

/* Found by the model test (issue 11 §6): who takes a case whose lease ran
 * out takes its interview in progress too, so the case has one holder. */
static void test_handover(void **state)
{
    (void)state;
    long long x = fx_case(&F, NULL);
    struct cati_error err;
    struct cati_interview *iv;
    assert_int_equal(claim(&pema), x);
    assert_int_equal(interview_start(F.db, &F.cfg, &pema, x, NULL, &iv, &err), 0);
    long long ivid = interview_id(iv);
    interview_free(iv);
    cati_clock_set(T(23, 10, 45)); /* pema's lease ran out */
    assert_int_equal(claim(&karma), x);
    assert_int_equal(fx_int(&F, "SELECT interviewer_id FROM interviews WHERE id = ?", ivid), karma.id);
    struct check_report rep;
    assert_int_equal(check_run(F.db, &rep, &err), 0);
    assert_int_equal(rep.n, 0);
    check_report_release(&rep);
    /* an interview that reached its end stays its interviewer's: whoever
     * takes the case only records the call */
    long long y = fx_case(&F, NULL);
    cati_clock_set(T(23, 11, 0));
    struct schedule_call gone = {.outcome = "ineligible"}; /* x out of the way */
    struct schedule_result res;
    assert_int_equal(schedule_record(F.db, &F.cfg, x, &karma, &gone, &res, &err), 0);
    assert_int_equal(claim(&pema), y);
    fx_completed_interview(&F, y, &pema);
    cati_clock_set(T(23, 11, 45));
    assert_int_equal(claim(&karma), y);
    assert_int_equal(fx_int(&F, "SELECT interviewer_id FROM interviews WHERE case_id = ?", y), pema.id);
    struct schedule_call done = {.outcome = "complete"};
    assert_int_equal(schedule_record(F.db, &F.cfg, y, &karma, &done, &res, &err), 0);
    assert_string_equal(fx_text(&F, "SELECT outcome FROM interviews WHERE case_id = ?", y), "complete");
    assert_int_equal(fx_int(&F, "SELECT interviewer_id FROM interviews WHERE case_id = ?", y), pema.id);
    assert_int_equal(check_run(F.db, &rep, &err), 0);
    assert_int_equal(rep.n, 0);
    check_report_release(&rep);
}

/* Two consoles of one interviewer: the second takes the case over (an ssh
 * session dropped and came back), the first may write nothing more to it;
 * a command (no console session) acts for the interviewer wherever. */
static void test_second_console(void **state)
{
    (void)state;
    long long x = fx_case(&F, NULL);
    struct cati_interviewer one = pema, two = pema;
    cati_strlcpy(one.session, "console-1", sizeof one.session);
    cati_strlcpy(two.session, "console-2", sizeof two.session);
    struct queue_claim q;
    struct cati_error err;
    assert_int_equal(queue_claim_next(F.db, &F.cfg, &one, 0, &q, &err), 1);
    assert_int_equal(q.case_id, x);
    assert_int_equal(case_renew(F.db, &F.cfg, x, &one, &err), 0);
    cati_clock_set(T(23, 10, 2));
    assert_int_equal(queue_claim_next(F.db, &F.cfg, &two, 0, &q, &err), 1);
    assert_int_equal(q.case_id, x);
    assert_int_equal(q.resumed, 1);
    assert_int_equal(case_renew(F.db, &F.cfg, x, &one, &err), -1);
    assert_int_equal(err.kind, CATI_ERR_LOST);
    assert_non_null(strstr(err.msg, "was opened in another console of yours at 10:02"));
    assert_int_equal(case_release(F.db, &F.cfg, x, &one, NULL, &err), -1);
    assert_int_equal(case_set_note(F.db, &F.cfg, x, &one, "from the old console", &err), -1);
    assert_int_equal(case_renew(F.db, &F.cfg, x, &two, &err), 0);
    assert_int_equal(case_renew(F.db, &F.cfg, x, &pema, &err), 0); /* a command */
    assert_int_equal(fx_int(&F, "SELECT claimed_by FROM cases WHERE id = ?", x), pema.id);
    assert_string_equal(fx_text(&F, "SELECT call_note FROM cases WHERE id = ?", x), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_claim_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resume, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resume_waits_for_appointment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lease_expiry_and_renew, setup, teardown),
        cmocka_unit_test_setup_teardown(test_release_and_priority, setup, teardown),
        cmocka_unit_test_setup_teardown(test_appointments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hours_and_zones, setup, teardown),
        cmocka_unit_test_setup_teardown(test_language_and_skill, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quota_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paused_survey, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claim_is_indexed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_claims, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handover, setup, teardown),
        cmocka_unit_test_setup_teardown(test_second_console, setup, teardown),
    };
    return cmocka_run_group_tests_name("queue", tests, NULL, NULL);
}
