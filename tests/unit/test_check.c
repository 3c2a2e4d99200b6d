/* cati check: a sound database made through the real core functions has
 * no violation; each way of corrupting it is found, with the case's ref. */
#include "queue_fixture.h"

#include "cati/check.h"
#include "cati/schedule.h"

static struct fx F;
static struct cati_interviewer pema, sonam;
/* the cases of the sound database */
static long long done_iv, noted, limit, held, gone, refused, open_iv;

static void record(long long id, const struct cati_interviewer *who, const char *outcome,
                   const char *note, unsigned flags)
{
    struct schedule_call call = {.outcome = outcome, .note = note, .flags = flags};
    struct schedule_result r;
    struct cati_error err;
    if (!(flags & SCHEDULE_ANY_HOLDER))
        fx_hold(&F, id, who);
    if (schedule_record(F.db, &F.cfg, id, who, &call, &r, &err) < 0)
        fail_msg("record %s on %lld: %s", outcome, id, err.msg);
}

/* An interview of case id by who, with a measured answer; at its end
 * (complete, to be closed by its call) or in progress. Returns its id. */
static long long interview(long long id, const struct cati_interviewer *who, int complete)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO interviews(uuid, case_id, survey_version_id, interviewer_id, current_question,"
             " started_at, updated_at) VALUES('iv-%lld', %lld, 1, %lld, '%s', 0, 0)",
             id, id, who->id, complete ? "" : "q1");
    fx_exec(&F, sql);
    long long iv = sqlite3_last_insert_rowid(F.db);
    snprintf(sql, sizeof sql,
             "INSERT INTO answers(uuid, interview_id, question, value, seq, answered_at, updated_at)"
             " VALUES('a-%lld', %lld, 'q1', '4', 1, 0, 0)",
             iv, iv);
    fx_exec(&F, sql);
    return iv;
}

static int setup(void **state)
{
    (void)state;
    fx_setup(&F);
    F.cfg.max_attempts = 3;
    fx_interviewer(&F, "pema", ROLE_INTERVIEWER, "en", "", &pema);
    fx_interviewer(&F, "sonam", ROLE_SUPERVISOR, "en", "", &sonam);
    fx_exec(&F, "INSERT INTO survey_measures VALUES(1, 'q1', 'accessibility', 'scale', 1, 5, '')");
    /* completed by an interview, with a complaint */
    done_iv = fx_case(&F, NULL);
    long long iv = interview(done_iv, &pema, 1);
    record(done_iv, &pema, "complete", "", 0);
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO flags(uuid, interview_id, case_id, kind, raised_at, updated_at)"
             " VALUES('f1', %lld, %lld, 'complaint', 0, 0)", iv, done_iv);
    fx_exec(&F, sql);
    /* completed by a supervisor's note */
    noted = fx_case(&F, NULL);
    record(noted, &sonam, "complete", "respondent answered on paper", SCHEDULE_ANY_HOLDER);
    /* the call limit: a respondent confirmed but never available */
    limit = fx_case(&F, NULL);
    const char *const calls[] = {"not-available", "no-answer", "answering-machine"};
    for (int i = 0; i < 3; i++) {
        record(limit, &pema, calls[i], "", 0);
        cati_clock_set(cati_now() + 4 * 3600);
    }
    /* held by pema with an interview in progress */
    held = fx_case(&F, NULL);
    fx_hold(&F, held, &pema);
    open_iv = interview(held, &pema, 0);
    /* its only number disconnected */
    gone = fx_case(&F, NULL);
    record(gone, &pema, "disconnected", "", 0);
    /* open, to be called again */
    record(fx_case(&F, NULL), &pema, "busy", "", 0);
    /* refused twice */
    refused = fx_case(&F, NULL);
    record(refused, &pema, "soft-refusal", "", 0);
    record(refused, &sonam, "soft-refusal", "", SCHEDULE_ANY_HOLDER);
    assert_string_equal(fx_text(&F, "SELECT group_concat(disposition, ' ') FROM"
                                    " (SELECT disposition FROM cases WHERE state = 'final' ORDER BY id)", 0),
                        "1.1 1.1 2.222 4.32 2.11");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_teardown(&F);
    return 0;
}

static void corrupt(const char *sql, long long num)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(F.db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(F.db));
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int64(st, 1, num);
    if (sqlite3_step(st) != SQLITE_DONE)
        fail_msg("%s: %s", sql, sqlite3_errmsg(F.db));
    sqlite3_finalize(st);
}

static struct check_report run(void)
{
    struct check_report r;
    struct cati_error err;
    if (check_run(F.db, &r, &err) < 0)
        fail_msg("check_run: %s", err.msg);
    return r;
}

/* The check finds a violation of kind on case id (0: any), and only
 * violations of the kinds in also besides. */
static void expect(enum check_kind kind, long long id, unsigned also)
{
    struct check_report r = run();
    int found = 0;
    for (size_t i = 0; i < r.n; i++) {
        const struct check_violation *v = &r.v[i];
        if (v->kind == kind && (!id || v->case_id == id)) {
            found = 1;
            if (id)
                assert_string_equal(v->ref, fx_text(&F, "SELECT ref FROM cases WHERE id = ?", id));
        } else if (v->kind != kind && !(also & (1u << v->kind))) {
            fail_msg("unexpected %s violation: %s %s", check_kind_name(v->kind), v->ref, v->message);
        }
        assert_true(v->message[0] != '\0');
    }
    check_report_release(&r);
    if (!found)
        fail_msg("no %s violation on case %lld", check_kind_name(kind), id);
}

static void test_sound(void **state)
{
    (void)state;
    struct check_report r = run();
    for (size_t i = 0; i < r.n; i++)
        print_message("%s %s: %s\n", check_kind_name(r.v[i].kind), r.v[i].ref, r.v[i].message);
    assert_int_equal(r.n, 0);
    assert_int_equal(r.cases, 7);
    assert_int_equal(r.calls, 9);
    assert_int_equal(r.interviews, 2);
    check_report_release(&r);
    assert_string_equal(check_kind_name(CHECK_SEQUENCE), "sequence");
}

static void test_integrity(void **state)
{
    (void)state;
    /* an index whose definition no longer matches its entries */
    fx_exec(&F, "PRAGMA writable_schema = ON;"
                "UPDATE sqlite_schema SET sql = 'CREATE INDEX cases_updated ON cases(created_at, id)'"
                " WHERE name = 'cases_updated';"
                "PRAGMA writable_schema = OFF;");
    db_close(F.db);
    fx_open(&F);
    expect(CHECK_INTEGRITY, 0, 0);
}

static void test_foreign_key(void **state)
{
    (void)state;
    fx_exec(&F, "PRAGMA foreign_keys = OFF;"
                "INSERT INTO phones(case_id, position, number) VALUES(9999, 1, '+97517000000');"
                "PRAGMA foreign_keys = ON;");
    expect(CHECK_FOREIGN_KEY, 0, 0);
}

static void test_holder(void **state)
{
    (void)state;
    corrupt("UPDATE cases SET claimed_by = (SELECT id FROM interviewers WHERE login = 'sonam')"
            " WHERE id = ?", held);
    expect(CHECK_HOLDER, held, 0);
}

static void test_lease(void **state)
{
    (void)state;
    corrupt("UPDATE cases SET lease_until = NULL WHERE id = ?", held);
    expect(CHECK_LEASE, held, 0);
}

static void test_disposition(void **state)
{
    (void)state;
    /* the old call-limit code of a respondent never available */
    corrupt("UPDATE cases SET disposition = '2.30', interim_code = '2.30' WHERE id = ?", limit);
    expect(CHECK_DISPOSITION, limit, 0);
}

static void test_disposition_numbers_gone(void **state)
{
    (void)state;
    corrupt("UPDATE cases SET disposition = '3.90', interim_code = '3.90' WHERE id = ?", gone);
    expect(CHECK_DISPOSITION, gone, 0);
}

static void test_disposition_appointment(void **state)
{
    (void)state;
    /* a final case whose last call was an appointment: no rule ends a case so */
    corrupt("UPDATE calls SET outcome = 'appointment', aapor = '2.21' WHERE case_id = ?", limit);
    expect(CHECK_DISPOSITION, limit, 1u << CHECK_COUNTER);
}

static void test_open_after_ending_call(void **state)
{
    (void)state;
    /* an open case with a refusal among its calls (e.g. a central database
     * that let a later call at another site reopen it) */
    corrupt("INSERT INTO calls(uuid, case_id, attempt, started_at, ended_at, phone_pos, number, outcome,"
            " aapor, updated_at) VALUES('k-refused', ?, 1, 0, 0, 1, 'x', 'refusal', '2.11', 0)", held);
    expect(CHECK_DISPOSITION, held, 0);
}

static void test_interview_on_open_case(void **state)
{
    (void)state;
    corrupt("UPDATE interviews SET outcome = 'complete' WHERE id = ?", open_iv);
    expect(CHECK_INTERVIEW, held, 1u << CHECK_COUNTER); /* its answer entered the scores too */
}

static void test_complete_without_interview(void **state)
{
    (void)state;
    corrupt("UPDATE interviews SET state = 'abandoned' WHERE case_id = ?", done_iv);
    /* score_sums still counts it: the triggers know no state */
    expect(CHECK_COMPLETE, done_iv, 1u << CHECK_COUNTER);
}

static void test_note_not_a_supervisors(void **state)
{
    (void)state;
    /* the complete call was not recorded by a supervisor acting on the case */
    assert_int_equal(fx_int(&F, "SELECT by_supervisor FROM calls WHERE case_id = ?", noted), 1);
    corrupt("UPDATE calls SET by_supervisor = 0 WHERE case_id = ?", noted);
    expect(CHECK_COMPLETE, noted, 0);
}

static void test_note_empty(void **state)
{
    (void)state;
    corrupt("UPDATE calls SET note = '' WHERE case_id = ?", noted);
    expect(CHECK_COMPLETE, noted, 0);
}

static void test_two_live(void **state)
{
    (void)state;
    fx_exec(&F, "DROP INDEX interviews_live");
    corrupt("INSERT INTO interviews(uuid, case_id, survey_version_id, started_at, updated_at)"
            " VALUES('iv-two', ?, 1, 0, 0)", held);
    expect(CHECK_LIVE, held, 0);
}

static void test_counters(void **state)
{
    (void)state;
    static const char *const sql[] = {
        "UPDATE case_counts SET n = n + 1 WHERE code = '1.1'",
        "DELETE FROM case_due",
        "UPDATE score_sums SET top = top + 1",
        "UPDATE score_sums SET total = total + 0.5",
        "UPDATE flag_counts SET n = n - 1",
        "DELETE FROM call_hours WHERE outcome = 'disconnected'",
        "INSERT INTO call_hours VALUES(1, 0, 'busy', 2, 0)",
        "INSERT INTO case_counts VALUES(1, 'open', '3.13', 1)",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        fx_exec(&F, "SAVEPOINT c");
        fx_exec(&F, sql[i]);
        assert_int_equal(sqlite3_changes(F.db) > 0, 1);
        expect(CHECK_COUNTER, 0, 0);
        fx_exec(&F, "ROLLBACK TO c; RELEASE c");
    }
    struct check_report r = run();
    assert_int_equal(r.n, 0);
    check_report_release(&r);
}

static void test_sequence_twice(void **state)
{
    (void)state;
    /* an explicit change_seq is kept by the triggers */
    corrupt("UPDATE calls SET change_seq = (SELECT change_seq FROM interviews WHERE case_id = ?1)"
            " WHERE case_id = ?1", done_iv);
    expect(CHECK_SEQUENCE, done_iv, 0);
}

static void test_sequence_past_counter(void **state)
{
    (void)state;
    corrupt("UPDATE change_seq SET n = 2", 0);
    expect(CHECK_SEQUENCE, 0, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_sound),
        T(test_integrity),
        T(test_open_after_ending_call),
        T(test_foreign_key),
        T(test_holder),
        T(test_lease),
        T(test_disposition),
        T(test_disposition_numbers_gone),
        T(test_disposition_appointment),
        T(test_interview_on_open_case),
        T(test_complete_without_interview),
        T(test_note_not_a_supervisors),
        T(test_note_empty),
        T(test_two_live),
        T(test_counters),
        T(test_sequence_twice),
        T(test_sequence_past_counter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
