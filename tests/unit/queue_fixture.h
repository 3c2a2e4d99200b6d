/* Shared set-up for the queue, schedule and disposition unit tests: a
 * migrated database in a temp directory, interviewers, a survey, cases.
 * Included by one test file each (everything static). */
#ifndef QUEUE_FIXTURE_H
#define QUEUE_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cati/account.h"
#include "cati/config.h"
#include "cati/db.h"
#include "cati/util.h"

struct fx {
    char dir[64];
    char path[128];
    sqlite3 *db;
    struct cati_config cfg;
    long long survey;
};

/* Thimphu wall-clock time (UTC+6, no DST). 2026-11-23 is a Monday. */
static inline time_t fx_time(int y, int mo, int d, int h, int mi)
{
    return cati_mktime_tz("Asia/Thimphu", y, mo, d, h, mi);
}

static inline void fx_exec(struct fx *f, const char *sql)
{
    struct cati_error err;
    if (db_exec(f->db, sql, &err) < 0)
        fail_msg("%s: %s", sql, err.msg);
}

static inline long long fx_int(struct fx *f, const char *sql, long long num)
{
    struct cati_error err;
    long long v = -1;
    if (db_int(f->db, sql, NULL, num, -1, &v, &err) < 0)
        fail_msg("%s: %s", sql, err.msg);
    return v;
}

/* Text of a one-value query with one integer parameter; static buffer. */
static inline const char *fx_text(struct fx *f, const char *sql, long long num)
{
    static char buf[256];
    sqlite3_stmt *st;
    buf[0] = '\0';
    assert_int_equal(sqlite3_prepare_v2(f->db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int64(st, 1, num);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        cati_strlcpy(buf, (const char *)sqlite3_column_text(st, 0), sizeof buf);
    sqlite3_finalize(st);
    return buf;
}

static inline void fx_open(struct fx *f)
{
    struct cati_error err;
    assert_int_equal(db_open(f->path, DB_OPEN_EXISTING, 10000, &f->db, &err), 0);
}

static inline void fx_setup(struct fx *f)
{
    memset(f, 0, sizeof *f);
    strcpy(f->dir, "/tmp/cati-unit-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    struct cati_error err;
    assert_int_equal(db_open(f->path, DB_OPEN_CREATE, 10000, &f->db, &err), 0);
    assert_int_equal(db_migrate(f->db, NULL, &err), 0);
    config_defaults(&f->cfg);
    f->cfg.busy_timeout_ms = 10000;
    fx_exec(f, "INSERT INTO surveys(name, title, created_at, uuid) VALUES('serve', 'ServE', 0, 's1');"
               "INSERT INTO survey_versions(survey_id, version, source, languages, loaded_at, uuid)"
               " VALUES(1, 1, 'survey serve \"ServE\" version 1\nlanguages en dz\n"
               "question q1 scale 1 5\n  text en \"Rate it\"\n  text dz \"Rate it\"\n',"
               " 'en dz', 0, 'v1')");
    f->survey = 1;
    cati_clock_set(fx_time(2026, 11, 23, 10, 0));
}

static inline void fx_teardown(struct fx *f)
{
    char p[160];
    db_close(f->db);
    f->db = NULL;
    const char *sfx[] = {"", "-wal", "-shm", "-claim"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", f->path, sfx[i]);
        unlink(p);
    }
    rmdir(f->dir);
    cati_clock_set(0);
}

/* Add an interviewer and load them into *out. */
static inline void fx_interviewer(struct fx *f, const char *login, enum cati_role role, const char *langs,
                           const char *skills, struct cati_interviewer *out)
{
    struct cati_error err;
    if (account_add(f->db, login, "", role, langs, skills, &err) < 0)
        fail_msg("account_add %s: %s", login, err.msg);
    assert_int_equal(account_find(f->db, login, out, &err), 0);
}

struct fx_case {
    const char *service, *language, *timezone;
    int priority, phones;
    long long survey;
};

/* Add a case (ref R<n>) with phones +9751700<n>0, +9751700<n>1, … */
static inline long long fx_case(struct fx *f, const struct fx_case *c)
{
    static int n;
    sqlite3_stmt *st;
    char ref[32], uuid[40];
    n++;
    snprintf(ref, sizeof ref, "R%d", n);
    snprintf(uuid, sizeof uuid, "case-%d-%ld", n, (long)getpid());
    assert_int_equal(sqlite3_prepare_v2(f->db,
                                        "INSERT INTO cases(uuid, survey_id, ref, name, service,"
                                        " language, timezone, priority, created_at, updated_at)"
                                        " VALUES(?, ?, ?, 'Someone', ?, ?, ?, ?, 0, 0)",
                                        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, c && c->survey ? c->survey : f->survey);
    sqlite3_bind_text(st, 3, ref, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, c && c->service ? c->service : "cid_new", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, c && c->language ? c->language : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, c && c->timezone ? c->timezone : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, c ? c->priority : 0);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    long long id = sqlite3_last_insert_rowid(f->db);
    int phones = c && c->phones ? c->phones : 1;
    for (int p = 1; p <= phones; p++) {
        char num[32];
        snprintf(num, sizeof num, "+9751700%d%d", n, p);
        assert_int_equal(sqlite3_prepare_v2(f->db, "INSERT INTO phones(case_id, position, number)"
                                                   " VALUES(?, ?, ?)", -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, p);
        sqlite3_bind_text(st, 3, num, -1, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    return id;
}

/* A live interview of who on case id that reached its end, complete (q1
 * answered): what the interviewer's console leaves before recording the
 * call. */
static inline void fx_completed_interview(struct fx *f, long long id, const struct cati_interviewer *who)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO interviews(uuid, case_id, survey_version_id, interviewer_id, current_question,"
             " started_at, updated_at) VALUES('iv-%lld', %lld, 1, %lld, '', 0, 0);"
             "INSERT INTO answers(uuid, interview_id, question, value, seq, answered_at, updated_at)"
             " VALUES('a-%lld', last_insert_rowid(), 'q1', '4', 1, 0, 0)",
             id, id, who->id, id); /* numbers only */
    fx_exec(f, sql);
}

/* Claim the case for who directly (as queue_claim_next would). */
static inline void fx_hold(struct fx *f, long long id, const struct cati_interviewer *who)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(f->db, "UPDATE cases SET claimed_by = ?, lease_until = ?,"
                                               " claimed_at = ? WHERE id = ?", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, who->id);
    sqlite3_bind_int64(st, 2, cati_now() + 1200);
    sqlite3_bind_int64(st, 3, cati_now());
    sqlite3_bind_int64(st, 4, id);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

#endif
