/* The interview engine: routing (ask if, goto, end), checks and warns,
 * DK/RF, back-navigation with re-routing and off-route marking, fills and
 * languages; and persistence: one transaction per answer, flags, resume
 * from the database with the version the interview started on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cati/account.h"
#include "cati/config.h"
#include "cati/db.h"
#include "cati/interview.h"
#include "cati/schedule.h"
#include "cati/script.h"
#include "cati/util.h"

static const char *const src =
    "survey r \"Routing\" version 1\n"
    "languages en dz\n"
    "fields gewog\n"
    "question reached single\n"                                   /* 0 */
    "  text en \"May I speak with {name}?\"\n"
    "  text dz \"{name} ལགས?\"\n"
    "  choice 1 \"Speaking\" dz \"ཨིན།\"\n  choice 2 \"Later\"\n  choice 3 \"Wrong number\"\n"
    "  nodk norf\n"
    "  end appointment if reached = 2\n"
    "  end ineligible if reached = 3\n"
    "question rate scale 1 5\n"                                   /* 1 */
    "  text en \"Rate it\"\n  text dz \"r\"\n"
    "  goto overall if rate = 5\n"
    "question why text 100\n"                                     /* 2 */
    "  ask if rate <= 2\n"
    "  text en \"Why only {rate}?\"\n  text dz \"w\"\n"
    "  flag complaint if answered(why)\n"
    "question days number 0 365\n"                                /* 3 */
    "  text en \"Days\"\n  text dz \"d\"\n"
    "  check days >= 1 \"at least one day\"\n"
    "  warn days <= 60 \"{days} is over 60\"\n"
    "question bribe single\n"                                     /* 4 */
    "  text en \"Bribe?\"\n  text dz \"b\"\n"
    "  choice 1 \"Yes\"\n  choice 2 \"No\"\n"
    "  flag integrity if bribe = 1\n"
    "question overall scale 1 5\n"                                /* 5 */
    "  text en \"Overall, in {gewog}: {reached}\"\n  text dz \"o\"\n"
    "question items multi\n"                                      /* 6 */
    "  text en \"Items\"\n  text dz \"i\"\n"
    "  choice 1 \"one\"\n  choice 2 \"two\"\n  choice 9 \"none\"\n  exclusive 9\n  norf\n"
    "question when date\n"                                        /* 7 */
    "  ask if has(items, 1)\n"
    "  text en \"When?\"\n  text dz \"n\"\n";

static struct cati_script *script;

static int group_setup(void **state)
{
    (void)state;
    struct script_diags d = {0};
    script = script_parse("r.cati", src, strlen(src), &d);
    for (int i = 0; i < d.n; i++)
        fprintf(stderr, "%d:%d: %s\n", d.items[i].line, d.items[i].col, d.items[i].msg);
    script_diags_free(&d);
    return script ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    script_free(script);
    return 0;
}

static const char *cur(const struct cati_interview *iv)
{
    const struct cati_question *q = interview_current(iv);
    return q ? q->name : "(end)";
}

static void ans(struct cati_interview *iv, const char *input)
{
    struct iv_feedback fb;
    struct cati_error err;
    int rc = !strcmp(input, "dk")   ? interview_dk(iv, 1, &fb, &err)
             : !strcmp(input, "rf") ? interview_rf(iv, 1, &fb, &err)
                                    : interview_answer(iv, input, 1, &fb, &err);
    if (rc != IV_OK)
        fail_msg("answer '%s' at %s: rc %d: %s", input, cur(iv), rc, fb.n ? fb.msg[0] : err.msg);
}

static struct cati_interview *fresh(void)
{
    struct cati_error err;
    struct cati_interview *iv = interview_new(script, NULL, &err);
    assert_non_null(iv);
    assert_int_equal(interview_set_field(iv, "name", "Pema"), 0);
    assert_int_equal(interview_set_field(iv, "gewog", "Chang"), 0);
    return iv;
}

static void path_is(const struct cati_interview *iv, const char *want)
{
    int idx[16], total;
    int n = interview_path(iv, idx, 16, &total);
    char got[256] = "";
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(got, " ");
        strcat(got, script->questions[idx[i]].name);
    }
    assert_string_equal(got, want);
}

static void test_complete_route(void **state)
{
    (void)state;
    struct cati_interview *iv = fresh();
    assert_string_equal(cur(iv), "reached");
    assert_int_equal(interview_outcome(iv), END_NONE);
    ans(iv, "1");
    ans(iv, "4");
    assert_string_equal(cur(iv), "days"); /* why skipped: rate > 2 */
    ans(iv, "10");
    ans(iv, "2");
    ans(iv, "3");
    ans(iv, "2");
    assert_string_equal(cur(iv), "(end)"); /* when skipped: no item 1 */
    assert_int_equal(interview_outcome(iv), END_COMPLETE);
    path_is(iv, "reached rate days bribe overall items");
    struct iv_feedback fb;
    struct cati_error err;
    assert_int_equal(interview_answer(iv, "1", 0, &fb, &err), IV_INVALID);
    assert_string_equal(fb.msg[0], "the interview has ended");
    int n, m;
    interview_progress(iv, &n, &m);
    assert_int_equal(n, 6);
    assert_int_equal(m, 6);
    interview_free(iv);
}

static void test_end_outcomes_and_goto(void **state)
{
    (void)state;
    struct cati_interview *iv = fresh();
    ans(iv, "2");
    assert_int_equal(interview_outcome(iv), END_APPOINTMENT);
    assert_null(interview_current(iv));
    interview_free(iv);
    iv = fresh();
    ans(iv, "3");
    assert_int_equal(interview_outcome(iv), END_INELIGIBLE);
    interview_free(iv);
    iv = fresh();
    ans(iv, "1");
    ans(iv, "5");
    assert_string_equal(cur(iv), "overall"); /* goto skips why, days, bribe */
    ans(iv, "5");
    ans(iv, "1,2");
    assert_string_equal(cur(iv), "when"); /* ask if has(items, 1) */
    ans(iv, "2024-02-29");
    assert_int_equal(interview_outcome(iv), END_COMPLETE);
    path_is(iv, "reached rate overall items when");
    interview_free(iv);
}

static void test_checks_and_warns(void **state)
{
    (void)state;
    struct cati_interview *iv = fresh();
    ans(iv, "1");
    ans(iv, "3");
    struct iv_feedback fb;
    struct cati_error err;
    assert_string_equal(cur(iv), "days");
    assert_int_equal(interview_answer(iv, "0", 1, &fb, &err), IV_CHECK);
    assert_int_equal(fb.n, 1);
    assert_string_equal(fb.msg[0], "at least one day");
    assert_int_equal(fb.line[0], 25);
    assert_int_equal(interview_get(iv, 3).status, ANS_NONE);
    assert_string_equal(cur(iv), "days");
    assert_int_equal(interview_answer(iv, "70", 0, &fb, &err), IV_WARN);
    assert_string_equal(fb.msg[0], "70 is over 60"); /* fills in messages */
    assert_int_equal(interview_get(iv, 3).status, ANS_NONE);
    assert_int_equal(interview_answer(iv, "70", 1, &fb, &err), IV_OK);
    assert_int_equal(fb.n, 1); /* the confirmed warn is reported */
    assert_string_equal(interview_get(iv, 3).value, "70");
    assert_string_equal(cur(iv), "bribe");
    /* DK never trips a check: the comparison reads a missing value */
    assert_int_equal(interview_back(iv, &err), 0);
    assert_int_equal(interview_dk(iv, 0, &fb, &err), IV_OK);
    assert_int_equal(interview_get(iv, 3).status, ANS_DK);
    /* invalid input */
    assert_int_equal(interview_answer(iv, "7", 0, &fb, &err), IV_INVALID);
    assert_string_equal(fb.msg[0], "7 is not a choice: use 1 or 2");
    interview_free(iv);
}

static void test_dk_rf(void **state)
{
    (void)state;
    struct cati_interview *iv = fresh();
    struct iv_feedback fb;
    struct cati_error err;
    assert_int_equal(interview_dk(iv, 0, &fb, &err), IV_INVALID); /* nodk */
    assert_int_equal(interview_rf(iv, 0, &fb, &err), IV_INVALID); /* norf */
    ans(iv, "1");
    ans(iv, "dk");
    struct iv_answer a = interview_get(iv, 1);
    assert_int_equal(a.status, ANS_DK);
    assert_string_equal(a.value, "");
    assert_string_equal(cur(iv), "days"); /* rate <= 2 is false for DK: why skipped */
    ans(iv, "rf");
    assert_int_equal(interview_get(iv, 3).status, ANS_RF);
    ans(iv, "rf");
    ans(iv, "1");
    assert_string_equal(cur(iv), "items");
    assert_int_equal(interview_rf(iv, 0, &fb, &err), IV_INVALID); /* items has norf */
    ans(iv, "dk");
    assert_int_equal(interview_outcome(iv), END_COMPLETE);
    char *d = interview_answer_display(iv, 4);
    assert_string_equal(d, "refused");
    free(d);
    d = interview_answer_display(iv, 6);
    assert_string_equal(d, "don't know");
    free(d);
    interview_free(iv);
}

static void test_back_and_reroute(void **state)
{
    (void)state;
    struct cati_interview *iv = fresh();
    struct cati_error err;
    assert_int_equal(interview_back(iv, &err), 1); /* nothing before the first */
    ans(iv, "1");
    ans(iv, "2");
    assert_string_equal(cur(iv), "why");
    ans(iv, "too slow");
    ans(iv, "10");
    ans(iv, "2");
    assert_string_equal(cur(iv), "overall");
    int n, m;
    interview_progress(iv, &n, &m);
    assert_int_equal(n, 6);
    assert_int_equal(m, 7); /* overall, items; when not known yet */
    /* back along the path actually asked */
    assert_int_equal(interview_back(iv, &err), 0);
    assert_string_equal(cur(iv), "bribe");
    assert_int_equal(interview_back(iv, &err), 0);
    assert_int_equal(interview_back(iv, &err), 0);
    assert_int_equal(interview_back(iv, &err), 0);
    assert_string_equal(cur(iv), "rate");
    assert_string_equal(interview_get(iv, 1).value, "2");
    /* a change that drops why from the route: the cursor goes on to days, kept */
    ans(iv, "4");
    assert_string_equal(cur(iv), "days");
    assert_int_equal(interview_get(iv, 2).status, ANS_NONE); /* off the route, not asked */
    assert_string_equal(interview_get(iv, 3).value, "10");
    assert_int_equal(interview_forward(iv, &err), 0);
    assert_string_equal(cur(iv), "overall"); /* the first without an answer */
    path_is(iv, "reached rate days bribe");
    /* a goto that leaves days and bribe off the route */
    assert_int_equal(interview_back(iv, &err), 0);
    assert_int_equal(interview_back(iv, &err), 0);
    assert_int_equal(interview_back(iv, &err), 0);
    assert_string_equal(cur(iv), "rate");
    ans(iv, "5");
    assert_string_equal(cur(iv), "overall");
    assert_int_equal(interview_get(iv, 3).status, ANS_NONE);
    assert_int_equal(interview_get(iv, 4).status, ANS_NONE);
    path_is(iv, "reached rate");
    /* back to rate = 2: why is asked again, not remembered */
    assert_int_equal(interview_back(iv, &err), 0);
    ans(iv, "2");
    assert_string_equal(cur(iv), "why");
    /* going back from the end reopens the interview */
    ans(iv, "x");
    ans(iv, "5");
    ans(iv, "1");
    ans(iv, "3");
    ans(iv, "2");
    assert_int_equal(interview_outcome(iv), END_COMPLETE);
    assert_int_equal(interview_back(iv, &err), 0);
    assert_string_equal(cur(iv), "items");
    assert_int_equal(interview_outcome(iv), END_NONE);
    assert_int_equal(interview_forward(iv, &err), 0);
    assert_int_equal(interview_outcome(iv), END_COMPLETE);
    interview_free(iv);
}

/* interview_next: one question forward, never past one without an answer */
static void test_next_one_question(void **state)
{
    (void)state;
    struct cati_interview *iv = fresh();
    struct cati_error err;
    assert_int_equal(interview_next(iv, &err), 0);
    assert_string_equal(cur(iv), "reached"); /* unanswered: stays */
    ans(iv, "1");
    ans(iv, "2");
    ans(iv, "dk");
    ans(iv, "10");
    assert_string_equal(cur(iv), "bribe");
    for (int i = 0; i < 4; i++)
        assert_int_equal(interview_back(iv, &err), 0);
    assert_string_equal(cur(iv), "reached");
    assert_int_equal(interview_next(iv, &err), 0);
    assert_string_equal(cur(iv), "rate");
    assert_int_equal(interview_next(iv, &err), 0);
    assert_string_equal(cur(iv), "why"); /* answered don't know: still one step */
    assert_int_equal(interview_next(iv, &err), 0);
    assert_string_equal(cur(iv), "days");
    assert_int_equal(interview_next(iv, &err), 0);
    assert_string_equal(cur(iv), "bribe");
    assert_int_equal(interview_next(iv, &err), 0);
    assert_string_equal(cur(iv), "bribe"); /* no answer yet: stays */
    interview_free(iv);
}

static void test_fills_and_language(void **state)
{
    (void)state;
    struct cati_interview *iv = fresh();
    struct cati_error err;
    char *t = interview_question_text(iv, interview_current(iv), NULL);
    assert_string_equal(t, "May I speak with Pema?");
    free(t);
    t = interview_question_text(iv, interview_current(iv), "dz");
    assert_string_equal(t, "Pema ལགས?");
    free(t);
    assert_int_equal(interview_set_language(iv, "fr", &err), -1);
    assert_int_equal(interview_set_language(iv, "dz", &err), 0);
    assert_string_equal(interview_language(iv), "dz");
    ans(iv, "1");
    ans(iv, "2");
    t = interview_question_text(iv, interview_current(iv), "en");
    assert_string_equal(t, "Why only 2?");
    free(t);
    ans(iv, "slow");
    ans(iv, "5");
    ans(iv, "2");
    /* a choice fills with its label in the language asked */
    t = interview_question_text(iv, interview_current(iv), "en");
    assert_string_equal(t, "Overall, in Chang: Speaking");
    free(t);
    char *d = interview_answer_display(iv, 0);
    assert_string_equal(d, "ཨིན།");
    free(d);
    interview_free(iv);
}

/* Fills of respondent fields read the script's labels for sample codes, in
 * the language being read; a code without a label reads as itself. */
static void test_fill_field_labels(void **state)
{
    (void)state;
    static const char *const lsrc =
        "survey l \"Labels\" version 1\n"
        "languages en dz\n"
        "labels service cid_new \"New CID card\" dz \"CID གསརཔ\" "
        "census_transfer \"Census transfer between dzongkhags\"\n"
        "question received single\n"
        "  text en \"You received the {service} service from {agency}.\"\n"
        "  text dz \"{service} ཞབས་ཏོག\"\n"
        "  choice 1 \"Yes\"\n";
    struct script_diags d = {0};
    struct cati_error err;
    struct cati_script *ls = script_parse("l.cati", lsrc, strlen(lsrc), &d);
    script_diags_free(&d);
    assert_non_null(ls);
    struct cati_interview *iv = interview_new(ls, NULL, &err);
    assert_non_null(iv);
    assert_int_equal(interview_set_field(iv, "service", "census_transfer"), 0);
    assert_int_equal(interview_set_field(iv, "agency", "DCRC"), 0);
    char *t = interview_question_text(iv, interview_current(iv), NULL);
    assert_string_equal(t, "You received the Census transfer between dzongkhags service from DCRC.");
    free(t);
    assert_int_equal(interview_set_field(iv, "service", "cid_new"), 0);
    t = interview_question_text(iv, interview_current(iv), NULL);
    assert_string_equal(t, "You received the New CID card service from DCRC.");
    free(t);
    t = interview_question_text(iv, interview_current(iv), "dz");
    assert_string_equal(t, "CID གསརཔ ཞབས་ཏོག");
    free(t);
    assert_int_equal(interview_set_field(iv, "service", "passport"), 0);
    t = interview_question_text(iv, interview_current(iv), NULL);
    assert_string_equal(t, "You received the passport service from DCRC.");
    free(t);
    interview_free(iv);
    script_free(ls);
}

/* A fill of a scale question reads the scale point's label where the script
 * labels that point (cati-script(5)), in the language being read; an
 * unlabelled point reads as its number. The answer display keeps the number. */
static void test_fill_scale_labels(void **state)
{
    (void)state;
    static const char *const ssrc =
        "survey sc \"Scale\" version 1\n"
        "languages en dz\n"
        "question ease scale 1 5\n"
        "  text en \"How easy?\"\n  text dz \"e\"\n"
        "  choice 1 \"Very difficult\" dz \"དཀའ\"\n  choice 5 \"Very easy\"\n"
        "question why text 100\n"
        "  text en \"Why {ease}?\"\n  text dz \"{ease} ག?\"\n"
        "  warn why <> \"x\" \"{ease}: x\"\n";
    struct script_diags d = {0};
    struct cati_error err;
    struct iv_feedback fb;
    struct cati_script *ss = script_parse("sc.cati", ssrc, strlen(ssrc), &d);
    script_diags_free(&d);
    assert_non_null(ss);
    struct cati_interview *iv = interview_new(ss, NULL, &err);
    assert_non_null(iv);
    ans(iv, "1");
    char *t = interview_question_text(iv, interview_current(iv), NULL);
    assert_string_equal(t, "Why Very difficult?");
    free(t);
    t = interview_question_text(iv, interview_current(iv), "dz");
    assert_string_equal(t, "དཀའ ག?");
    free(t);
    /* a message's fill reads the label too */
    assert_int_equal(interview_answer(iv, "x", 0, &fb, &err), IV_WARN);
    assert_true(fb.n >= 1);
    assert_string_equal(fb.msg[0], "Very difficult: x");
    /* the answer as shown keeps the number */
    char *a = interview_answer_display(iv, 0);
    assert_string_equal(a, "1");
    free(a);
    interview_free(iv);
    iv = interview_new(ss, NULL, &err);
    assert_non_null(iv);
    ans(iv, "3"); /* no label for 3 */
    t = interview_question_text(iv, interview_current(iv), NULL);
    assert_string_equal(t, "Why 3?");
    free(t);
    assert_int_equal(interview_back(iv, &err), 0);
    ans(iv, "5");
    t = interview_question_text(iv, interview_current(iv), "dz");
    assert_string_equal(t, "Very easy ག?"); /* falls back to the first language */
    free(t);
    interview_free(iv);
    script_free(ss);
}

static void test_multi_and_fields(void **state)
{
    (void)state;
    struct cati_interview *iv = fresh();
    struct iv_feedback fb;
    struct cati_error err;
    ans(iv, "1");
    ans(iv, "5");
    ans(iv, "4");
    assert_int_equal(interview_answer(iv, "9,1", 0, &fb, &err), IV_INVALID);
    assert_int_equal(interview_answer(iv, "2 1 2", 0, &fb, &err), IV_OK);
    assert_string_equal(interview_get(iv, 6).value, "1,2");
    assert_string_equal(cur(iv), "when");
    assert_int_equal(interview_answer(iv, "29/02/2024", 0, &fb, &err), IV_INVALID);
    assert_string_equal(interview_field(iv, "gewog"), "Chang");
    assert_null(interview_field(iv, "district"));
    interview_free(iv);
}

/* --- in the database --------------------------------------------------------------- */

static char dir[64];
static sqlite3 *db;
static long long case_id;

static long long q1(const char *sql)
{
    long long v = -1;
    struct cati_error err;
    if (db_int(db, sql, NULL, 0, -1, &v, &err) < 0)
        fail_msg("%s: %s", sql, err.msg);
    return v;
}

static void text1(const char *sql, char *out, size_t size)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    out[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, size, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static struct cati_config cfg;
static struct cati_interviewer pema, karma;

/* pema takes case id (as the queue would) with a lease of 20 minutes */
static void hold(long long id, const struct cati_interviewer *who)
{
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE cases SET claimed_by = %lld, claimed_at = %lld, lease_until = %lld"
             " WHERE id = %lld", who->id, (long long)cati_now(), (long long)cati_now() + 1200, id);
    struct cati_error err;
    assert_int_equal(db_exec(db, sql, &err), 0);
}

static int db_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/cati-iv.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/t.db", dir);
    struct cati_error err;
    int created;
    if (db_open(path, DB_OPEN_CREATE, 1000, &db, &err) < 0 || db_migrate(db, &created, &err) < 0)
        return -1;
    cati_clock_set(1700000000);
    struct script_stored ss;
    if (script_store(db, script, "admin", &ss, &err) < 0)
        return -1;
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO cases(uuid, survey_id, ref, name, language, created_at, updated_at) "
             "VALUES ('u-1', %lld, 'R1', 'Karma', 'dz', 1, 1);", ss.survey_id);
    if (db_exec(db, sql, &err) < 0)
        return -1;
    case_id = sqlite3_last_insert_rowid(db);
    snprintf(sql, sizeof sql,
             "INSERT INTO cases(uuid, survey_id, ref, name, created_at, updated_at) "
             "VALUES ('u-2', %lld, 'R2', 'Dawa', 1, 1);"
             "INSERT INTO phones(case_id, position, number) SELECT id, 1, '+9751700' || id FROM cases;",
             ss.survey_id);
    if (db_exec(db, sql, &err) < 0)
        return -1;
    config_defaults(&cfg);
    if (account_add(db, "pema", "", ROLE_INTERVIEWER, "en,dz", "", &err) < 0 ||
        account_add(db, "karma", "", ROLE_INTERVIEWER, "en,dz", "", &err) < 0 ||
        account_find(db, "pema", &pema, &err) < 0 || account_find(db, "karma", &karma, &err) < 0)
        return -1;
    hold(case_id, &pema);
    snprintf(sql, sizeof sql, "INSERT INTO case_fields VALUES (%lld, 'gewog', 'Kawang');", case_id);
    return db_exec(db, sql, &err);
}

static int db_teardown(void **state)
{
    (void)state;
    db_close(db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cati_clock_set(0);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_db_store_versions(void **state)
{
    (void)state;
    struct cati_error err;
    struct script_stored ss;
    assert_int_equal(script_store(db, script, "admin", &ss, &err), 0);
    assert_int_equal(ss.changed, 0);
    assert_int_equal(ss.version, 1);
    assert_int_equal(q1("SELECT count(*) FROM survey_versions"), 1);
    char buf[64];
    text1("SELECT languages || '|' || fields FROM survey_versions", buf, sizeof buf);
    assert_string_equal(buf, "en dz|gewog");
    struct cati_script *s;
    long long vid;
    assert_int_equal(script_load_latest(db, "r", 0, &s, &vid, &err), 0);
    assert_int_equal(s->nquestions, script->nquestions);
    script_free(s);
    assert_int_equal(script_load_latest(db, "nope", 0, &s, &vid, &err), -1);
    assert_non_null(strstr(err.msg, "unknown survey 'nope'"));
}

static void test_db_interview(void **state)
{
    (void)state;
    struct cati_error err;
    struct iv_feedback fb;
    struct cati_interview *iv;
    assert_int_equal(interview_start(db, &cfg, &pema, case_id, NULL, &iv, &err), 0);
    long long id = interview_id(iv);
    assert_true(id > 0);
    assert_string_equal(interview_language(iv), "dz"); /* the case's language */
    char buf[256];
    text1("SELECT current_question || '|' || language || '|' || coalesce(outcome, 'null') FROM interviews",
          buf, sizeof buf);
    assert_string_equal(buf, "reached|dz|null");
    char *t = interview_question_text(iv, interview_current(iv), "en");
    assert_string_equal(t, "May I speak with Karma?");
    free(t);
    cati_clock_set(1700000007);
    assert_int_equal(interview_answer(iv, "1", 0, &fb, &err), IV_OK);
    text1("SELECT status || '|' || value || '|' || on_route || '|' || seq FROM answers WHERE question = 'reached'",
          buf, sizeof buf);
    assert_string_equal(buf, "value|1|1|1");
    text1("SELECT event || '|' || coalesce(old_value, 'null') || '|' || new_value || '|' || language || '|' || "
          "seconds FROM answer_log", buf, sizeof buf);
    assert_string_equal(buf, "answer|null|1|dz|7");
    assert_int_equal(interview_dk(iv, 0, &fb, &err), IV_OK);
    text1("SELECT status || '|' || value FROM answers WHERE question = 'rate'", buf, sizeof buf);
    assert_string_equal(buf, "dk|");
    assert_int_equal(interview_back(iv, &err), 0);
    assert_int_equal(interview_answer(iv, "2", 0, &fb, &err), IV_OK);
    text1("SELECT event || '|' || old_value || '|' || new_value FROM answer_log ORDER BY id DESC", buf, sizeof buf);
    assert_string_equal(buf, "change|dk|2");
    assert_int_equal(interview_answer(iv, "bad service", 0, &fb, &err), IV_OK);
    assert_int_equal(fb.nflags, 1);
    text1("SELECT kind || '|' || question || '|' || text || '|' || status FROM flags", buf, sizeof buf);
    assert_string_equal(buf, "complaint|why|bad service|new");
    assert_int_equal(interview_answer(iv, "10", 0, &fb, &err), IV_OK);
    assert_int_equal(interview_answer(iv, "1", 0, &fb, &err), IV_OK); /* bribe: yes */
    assert_int_equal(q1("SELECT count(*) FROM flags WHERE kind = 'integrity'"), 1);
    text1("SELECT text FROM flags WHERE kind = 'integrity'", buf, sizeof buf);
    assert_string_equal(buf, "Yes");
    /* correcting the answer withdraws the flag */
    assert_int_equal(interview_back(iv, &err), 0);
    assert_int_equal(interview_answer(iv, "2", 0, &fb, &err), IV_OK);
    assert_int_equal(q1("SELECT count(*) FROM flags WHERE kind = 'integrity'"), 0);
    text1("SELECT current_question FROM interviews", buf, sizeof buf);
    assert_string_equal(buf, "overall");
    /* the process dies here: resume from the database */
    interview_free(iv);
    long long open_id = 0;
    assert_int_equal(interview_find_open(db, case_id, &open_id, &err), 0);
    assert_int_equal(open_id, id);
    /* a newer version of the survey meanwhile */
    size_t n = strlen(src);
    char *src2 = malloc(n + 64);
    snprintf(src2, n + 64, "%squestion extra text\n  text en \"e\"\n  text dz \"e\"\n", src);
    struct cati_script *s2 = script_parse("r2.cati", src2, strlen(src2), NULL);
    assert_non_null(s2);
    struct script_stored ss;
    assert_int_equal(script_store(db, s2, "admin", &ss, &err), 0);
    assert_int_equal(ss.changed, 1);
    assert_int_equal(ss.version, 2);
    script_free(s2);
    free(src2);
    assert_int_equal(interview_load(db, &cfg, &pema, id, &iv, &err), 0);
    assert_int_equal(interview_script(iv)->nquestions, script->nquestions); /* still version 1 */
    assert_string_equal(cur(iv), "overall");
    assert_string_equal(interview_get(iv, 2).value, "bad service");
    assert_string_equal(interview_language(iv), "dz");
    path_is(iv, "reached rate why days bribe");
    /* re-route: rate 5 leaves why, days and bribe off the route */
    assert_int_equal(interview_back(iv, &err), 0);
    assert_int_equal(interview_back(iv, &err), 0);
    assert_int_equal(interview_back(iv, &err), 0);
    assert_int_equal(interview_back(iv, &err), 0);
    assert_string_equal(cur(iv), "rate");
    assert_int_equal(interview_answer(iv, "5", 0, &fb, &err), IV_OK);
    assert_int_equal(q1("SELECT count(*) FROM answers WHERE on_route = 0"), 3);
    assert_int_equal(q1("SELECT count(*) FROM answer_log WHERE event = 'off-route'"), 3);
    assert_int_equal(q1("SELECT count(*) FROM flags"), 0); /* why's complaint withdrawn */
    enum cati_astatus st;
    char *v;
    int on;
    assert_int_equal(interview_stored_answer(db, id, "why", &st, &v, &on, &err), 0);
    assert_int_equal(st, ANS_VALUE);
    assert_string_equal(v, "bad service");
    assert_int_equal(on, 0);
    free(v);
    assert_int_equal(interview_stored_answer(db, id, "items", &st, &v, &on, &err), 1);
    /* finish */
    assert_int_equal(interview_answer(iv, "4", 0, &fb, &err), IV_OK);
    assert_int_equal(interview_answer(iv, "9", 0, &fb, &err), IV_OK);
    assert_int_equal(interview_outcome(iv), END_COMPLETE);
    /* at its end, not yet recorded: outcome NULL, cursor past the end */
    text1("SELECT coalesce(outcome, 'null') || '|' || current_question || '|' || (completed_at IS NOT NULL)"
          " FROM interviews", buf, sizeof buf);
    assert_string_equal(buf, "null||0");
    /* every accepted answer wrote one log row; off-route added three */
    assert_int_equal(q1("SELECT count(*) FROM answer_log"), 13);
    interview_free(iv);
    /* killed here: it resumes at its end, never as a new interview */
    assert_int_equal(interview_find_open(db, case_id, &open_id, &err), 0);
    assert_int_equal(open_id, id);
    assert_int_equal(interview_load(db, &cfg, &pema, id, &iv, &err), 0);
    assert_int_equal(interview_outcome(iv), END_COMPLETE);
    assert_null(interview_current(iv));
    struct cati_interview *again;
    assert_int_equal(interview_start(db, &cfg, &pema, case_id, NULL, &again, &err), -1);
    assert_non_null(strstr(err.msg, "in progress"));
    /* recording the call closes it in the same transaction as the case */
    struct schedule_call call = {.outcome = "complete", .iv = iv};
    struct schedule_result res;
    assert_int_equal(schedule_record(db, &cfg, case_id, &pema, &call, &res, &err), 0);
    assert_string_equal(res.disposition, "1.1");
    text1("SELECT outcome || '|' || current_question || '|' || (completed_at IS NOT NULL) FROM interviews",
          buf, sizeof buf);
    assert_string_equal(buf, "complete||1");
    assert_int_equal(interview_find_open(db, case_id, &open_id, &err), 1);
    interview_free(iv);
    /* a finished interview loads as finished */
    assert_int_equal(interview_load(db, &cfg, &pema, id, &iv, &err), 0);
    assert_int_equal(interview_outcome(iv), END_COMPLETE);
    assert_null(interview_current(iv));
    /* and takes no more answers */
    assert_int_equal(interview_back(iv, &err), -1);
    interview_free(iv);
    assert_int_equal(q1("SELECT count(*) FROM interviews"), 1);
}

static void test_db_close_and_new_start(void **state)
{
    (void)state;
    struct cati_error err;
    struct iv_feedback fb;
    struct cati_interview *iv;
    long long r2 = case_id + 1;
    hold(r2, &pema);
    assert_int_equal(interview_start(db, &cfg, &pema, r2, "en", &iv, &err), 0);
    assert_int_equal(interview_script(iv)->nquestions, script->nquestions + 1); /* the latest version */
    assert_int_equal(interview_answer(iv, "1", 0, &fb, &err), IV_OK);
    /* an appointment in mid-interview: the interview stays open to resume */
    struct schedule_call appt = {.outcome = "appointment", .at = cati_now() + 3600, .iv = iv};
    struct schedule_result res;
    assert_int_equal(schedule_record(db, &cfg, r2, &pema, &appt, &res, &err), 0);
    char buf[64];
    text1("SELECT coalesce(outcome, 'null') || '|' || current_question FROM interviews ORDER BY id DESC", buf,
          sizeof buf);
    assert_string_equal(buf, "null|rate");
    interview_free(iv);
    /* the case went back to the queue: a write is refused, nothing changes */
    long long open_id = 0;
    assert_int_equal(interview_find_open(db, r2, &open_id, &err), 0);
    assert_int_equal(interview_load(db, &cfg, &pema, open_id, &iv, &err), 0);
    assert_int_equal(interview_answer(iv, "3", 0, &fb, &err), IV_ERROR);
    assert_int_equal(err.kind, CATI_ERR_LOST);
    assert_non_null(strstr(err.msg, "not claimed by you"));
    assert_int_equal(q1("SELECT count(*) FROM answers a JOIN interviews i ON i.id = a.interview_id"
                        " WHERE i.case_id = 2 AND a.question = 'rate'"), 0);
    /* karma takes it: pema's interview is karma's to resume, pema is refused */
    cati_clock_set(cati_now() + 3600);
    hold(r2, &karma);
    assert_int_equal(interview_answer(iv, "3", 0, &fb, &err), IV_ERROR);
    assert_int_equal(err.kind, CATI_ERR_LOST);
    assert_non_null(strstr(err.msg, "karma holds it"));
    interview_free(iv);
    assert_int_equal(interview_load(db, &cfg, &karma, open_id, &iv, &err), 0);
    assert_int_equal(interview_answer(iv, "3", 0, &fb, &err), IV_OK);
    /* the respondent breaks off: closed with the call, the case final */
    assert_int_equal(interview_close(iv, END_BREAKOFF, &err), 0);
    text1("SELECT coalesce(outcome, 'null') FROM interviews ORDER BY id DESC", buf, sizeof buf);
    assert_string_equal(buf, "null"); /* nothing stored until the call is */
    struct schedule_call brk = {.outcome = "breakoff", .iv = iv};
    assert_int_equal(schedule_record(db, &cfg, r2, &karma, &brk, &res, &err), 0);
    text1("SELECT outcome || '|' || current_question FROM interviews ORDER BY id DESC", buf, sizeof buf);
    assert_string_equal(buf, "breakoff|days");
    interview_free(iv);
    assert_int_equal(interview_start(db, &cfg, &karma, 99999, NULL, &iv, &err), -1);
    assert_non_null(strstr(err.msg, "unknown case"));
    assert_int_equal(interview_start(db, &cfg, &karma, r2, "fr", &iv, &err), -1);
    assert_int_equal(interview_start(db, &cfg, &karma, r2, NULL, &iv, &err), -1); /* final now */
    assert_int_equal(err.kind, CATI_ERR_LOST);
    assert_int_equal(q1("SELECT count(*) FROM interviews WHERE state = 'live'"), 2);
}

int main(void)
{
    const struct CMUnitTest memory[] = {
        cmocka_unit_test(test_complete_route),
        cmocka_unit_test(test_end_outcomes_and_goto),
        cmocka_unit_test(test_checks_and_warns),
        cmocka_unit_test(test_dk_rf),
        cmocka_unit_test(test_back_and_reroute),
        cmocka_unit_test(test_next_one_question),
        cmocka_unit_test(test_fills_and_language),
        cmocka_unit_test(test_fill_field_labels),
        cmocka_unit_test(test_fill_scale_labels),
        cmocka_unit_test(test_multi_and_fields),
    };
    const struct CMUnitTest database[] = {
        cmocka_unit_test(test_db_store_versions),
        cmocka_unit_test(test_db_interview),
        cmocka_unit_test(test_db_close_and_new_start),
    };
    if (group_setup(NULL) < 0)
        return 1;
    int rc = cmocka_run_group_tests_name("interview in memory", memory, NULL, NULL);
    rc |= cmocka_run_group_tests_name("interview in the database", database, db_setup, db_teardown);
    group_teardown(NULL);
    return rc;
}
