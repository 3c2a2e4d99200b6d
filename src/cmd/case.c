/* cati case next | outcome | show | release | priority | appoint */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cati/case.h"
#include "cati/disposition.h"
#include "cati/queue.h"
#include "cati/schedule.h"
#include "cati/util.h"
#include "cmd.h"

static int parse_id(const char *s, long long *id)
{
    long v;
    if (cati_parse_long(s, &v) < 0 || v <= 0)
        return cli_failf(EXIT_USAGE, "case: invalid case ID '%s'", s);
    *id = v;
    return 0;
}

static int parse_when(struct cli *c, const char *s, time_t *t)
{
    if (cati_parse_when(s, c->cfg.timezone, t) < 0)
        return cli_failf(EXIT_USAGE, "case: invalid time '%s': use 'YYYY-MM-DD HH:MM' (%s) or +MINUTES",
                         s, c->cfg.timezone);
    if (*t <= cati_now())
        return cli_failf(EXIT_USAGE, "case: the time '%s' is not in the future", s);
    return 0;
}

/* 0 if the case exists, else the exit code after saying so. */
static int case_exists(struct cli *c, long long id)
{
    struct cati_error err;
    long long n = 0;
    if (db_int(c->db, "SELECT count(*) FROM cases WHERE id = ?", NULL, id, 0, &n, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    return n ? 0 : cli_failf(EXIT_USAGE, "case %lld: no such case", id);
}

static const char *when_text(struct cli *c, time_t t, char *buf, size_t size)
{
    return cati_format_time(t, c->cfg.timezone, buf, size);
}

int cmd_case_next(struct cli *c, int argc, char **argv)
{
    (void)argv;
    if (argc != 2)
        return cli_usage_cmd(c);
    int rc = cli_admit(c);
    if (rc)
        return rc;
    struct queue_claim q;
    struct cati_error err;
    int got = queue_claim_next(c->db, &c->cfg, &c->me, 0, &q, &err);
    if (got < 0)
        return cli_fail(&err, EXIT_FAIL);
    if (!got)
        return cli_failf(EXIT_NOTHING, "%s", q.reason);
    printf("%lld\n", q.case_id);
    return EXIT_OK;
}

static void outcome_list(char *buf, size_t size)
{
    size_t n, used = 0;
    const struct schedule_outcome *o = schedule_outcomes(&n);
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        int k = snprintf(buf + used, size - used, "%s%s", i ? " " : "", o[i].keyword);
        if (k < 0)
            break;
        used += (size_t)k;
    }
}

static void print_result(struct cli *c, long long id, const struct schedule_call *call,
                         const struct schedule_result *r)
{
    char t[32];
    printf("case %lld: %s (%s)", id, call->outcome, r->aapor);
    if (r->final) {
        if (r->no_numbers)
            printf(", no number left");
        if (r->limit)
            printf(", call limit reached");
        printf(", final %s\n", r->disposition);
        return;
    }
    if (r->moved_number)
        printf(", next number %s", r->new_number);
    if (r->appointment_at) {
        printf(", appointment %s", when_text(c, r->appointment_at, t, sizeof t));
        if (!(call->flags & SCHEDULE_SOFT_APPOINTMENT))
            printf(" held for %s", c->me.login);
        printf("\n");
        return;
    }
    if (r->conversion)
        printf(", refusal conversion from %s\n", when_text(c, r->next_call_at, t, sizeof t));
    else
        printf(", next try %s\n", when_text(c, r->next_call_at, t, sizeof t));
}

int cmd_case_outcome(struct cli *c, int argc, char **argv)
{
    const char *at = NULL, *note = NULL;
    static const struct option opts[] = {{"at", required_argument, 0, 'a'},
                                         {"note", required_argument, 0, 'n'},
                                         {0, 0, 0, 0}};
    int o;
    while ((o = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        if (o == 'a')
            at = optarg;
        else if (o == 'n')
            note = optarg;
        else
            return cli_usage_cmd(c);
    }
    if (argc - 1 - optind != 2)
        return cli_usage_cmd(c);
    char **pos = argv + 1 + optind; /* ID OUTCOME */
    long long id = 0;
    int rc = parse_id(pos[0], &id);
    if (rc)
        return rc;
    const struct schedule_outcome *out = schedule_outcome_find(pos[1]);
    if (!out) {
        char list[512];
        outcome_list(list, sizeof list);
        return cli_failf(EXIT_USAGE, "case: unknown outcome '%s' (one of: %s)", pos[1], list);
    }
    if (note && !cati_utf8_valid(note, strlen(note)))
        return cli_failf(EXIT_USAGE, "case: --note is not valid UTF-8");
    if (note && strlen(note) > SCHEDULE_NOTE_MAX)
        return cli_failf(EXIT_USAGE, "case: --note is longer than %d bytes", SCHEDULE_NOTE_MAX);
    struct schedule_call call = {.outcome = out->keyword, .note = note};
    if (out->rule == SCHED_APPOINTMENT && !at)
        return cli_failf(EXIT_USAGE, "case: the appointment outcome needs --at WHEN");
    if (out->rule != SCHED_APPOINTMENT && at)
        return cli_failf(EXIT_USAGE, "case: --at is only for the appointment outcome");
    if (at && (rc = parse_when(c, at, &call.at)))
        return rc;
    if ((rc = cli_admit(c)) || (rc = case_exists(c, id)))
        return rc;
    if (cli_any_case(c))
        call.flags |= SCHEDULE_ANY_HOLDER;
    struct schedule_result res;
    struct cati_error err;
    if (schedule_record(c->db, &c->cfg, id, &c->me, &call, &res, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    print_result(c, id, &call, &res);
    return EXIT_OK;
}

/* ---- case show ---------------------------------------------------------- */

/* Column i as text ("" for NULL). What it prints goes through the one
 * sanitiser on stdout (src/cmd/out.c), so escapes show visibly. */
static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

struct show_ctx { struct cli *c; int any, current; };

static int print_phone(const struct case_phone *p, void *ctx)
{
    struct show_ctx *x = ctx;
    printf("  %s %d  %-18s %-14s %d attempt%s\n", p->position == x->current ? "*" : " ", p->position,
           p->number, p->status, p->attempts, p->attempts == 1 ? "" : "s");
    x->any = 1;
    return 0;
}

static int show_phones(struct cli *c, long long id, int current)
{
    struct cati_error err;
    struct show_ctx x = {.c = c, .current = current};
    printf("numbers:\n");
    if (case_phones(c->db, id, print_phone, &x, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    if (!x.any)
        printf("  (none)\n");
    return 0;
}

static int print_call(const struct case_call *k, void *ctx)
{
    struct show_ctx *x = ctx;
    char t[32];
    if (!x->any++)
        printf("  %-3s %-16s %-12s %-16s %-17s %-6s %-10s %s\n", "#", "WHEN", "INTERVIEWER", "NUMBER",
               "OUTCOME", "AAPOR", "SLOT", "NOTE");
    printf("  %-3d %-16s %-12s %-16s %-17s %-6s %-10s %s\n", k->attempt,
           when_text(x->c, k->ended_at, t, sizeof t), *k->interviewer ? k->interviewer : "-", k->number,
           k->outcome, k->aapor, *k->slot ? k->slot : "-", k->note);
    return 0;
}

static int show_calls(struct cli *c, long long id)
{
    struct cati_error err;
    struct show_ctx x = {.c = c};
    printf("calls:\n");
    if (case_calls(c->db, id, print_call, &x, NULL, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    if (!x.any)
        printf("  (none yet)\n");
    return 0;
}

static int print_field(const char *name, const char *value, void *ctx)
{
    struct show_ctx *x = ctx;
    if (!x->any++)
        printf("fields:\n");
    printf("  %s: %s\n", name, value);
    return 0;
}

static int show_fields(struct cli *c, long long id)
{
    struct cati_error err;
    struct show_ctx x = {.c = c};
    return case_fields(c->db, id, print_field, &x, &err) < 0 ? cli_fail(&err, EXIT_FAIL) : 0;
}

int cmd_case_show(struct cli *c, int argc, char **argv)
{
    if (argc != 3)
        return cli_usage_cmd(c);
    long long id = 0;
    int rc = parse_id(argv[2], &id);
    if (rc || (rc = cli_admit(c)))
        return rc;
    sqlite3_stmt *st;
    struct cati_error err;
    if (db_prepare(c->db,
                   "SELECT k.ref, s.name, k.name, k.service, k.agency, k.district, k.availed_on,"
                   " k.language, k.timezone, k.priority, k.state, k.attempts, k.interim_code,"
                   " coalesce(k.disposition, ''), k.next_call_at, k.appointment_at,"
                   " coalesce(a.login, ''), k.appointment_missed, k.claimed_by,"
                   " coalesce(h.login, ''), k.lease_until, k.phone_pos, k.needs_skill, k.contacted,"
                   " k.eligible, k.finalised_at"
                   " FROM cases k JOIN surveys s ON s.id = k.survey_id"
                   " LEFT JOIN interviewers a ON a.id = k.appointment_with"
                   " LEFT JOIN interviewers h ON h.id = k.claimed_by WHERE k.id = ?", &st, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        return rc == SQLITE_DONE ? cli_failf(EXIT_USAGE, "case %lld: no such case", id)
                                 : cli_failf(EXIT_FAIL, "case: %s", sqlite3_errmsg(c->db));
    }
    if (!cli_any_case(c) && sqlite3_column_int64(st, 18) != c->me.id) {
        sqlite3_finalize(st);
        return cli_failf(EXIT_FAIL, "case %lld is not yours: interviewers see only the case they hold",
                         id);
    }
    char t[32];
    const char *tz = *col(st, 8) ? col(st, 8) : c->cfg.timezone;
    printf("case %lld  ref %s  survey %s\n", id, col(st, 0), col(st, 1));
    printf("respondent: %s\n", col(st, 2));
    printf("service: %s  agency: %s  district: %s  availed on: %s\n", col(st, 3), col(st, 4),
           col(st, 5), col(st, 6));
    printf("language: %s  time zone: %s  priority: %d\n", *col(st, 7) ? col(st, 7) : "any", tz,
           sqlite3_column_int(st, 9));
    printf("state: %s  attempts: %d  contacted: %s  eligible: %s\n", col(st, 10),
           sqlite3_column_int(st, 11), sqlite3_column_int(st, 23) ? "yes" : "no",
           sqlite3_column_int(st, 24) ? "yes" : "no");
    if (*col(st, 13))
        printf("disposition: %s %s (final %s)\n", col(st, 13), disposition_meaning(col(st, 13)),
               when_text(c, (time_t)sqlite3_column_int64(st, 25), t, sizeof t));
    else
        printf("disposition: open, best code so far %s %s\n", col(st, 12),
               disposition_meaning(col(st, 12)));
    if (!*col(st, 13))
        printf("next call: %s\n", sqlite3_column_int64(st, 14) <= cati_now()
                                      ? "due now"
                                      : when_text(c, (time_t)sqlite3_column_int64(st, 14), t, sizeof t));
    if (*col(st, 22))
        printf("needs skill: %s\n", col(st, 22));
    if (sqlite3_column_type(st, 15) != SQLITE_NULL)
        printf("appointment: %s %s%s\n", when_text(c, (time_t)sqlite3_column_int64(st, 15), t, sizeof t),
               *col(st, 16) ? "held for " : "for anyone", col(st, 16));
    if (sqlite3_column_type(st, 15) != SQLITE_NULL &&
        schedule_appointment_missed(&c->cfg, (time_t)sqlite3_column_int64(st, 15), sqlite3_column_int(st, 17),
                                    cati_now()))
        printf("appointment missed\n");
    if (sqlite3_column_type(st, 18) != SQLITE_NULL)
        printf("claimed by: %s until %s\n", col(st, 19),
               when_text(c, (time_t)sqlite3_column_int64(st, 20), t, sizeof t));
    int current = sqlite3_column_int(st, 21);
    sqlite3_finalize(st);
    if ((rc = show_phones(c, id, current)) || (rc = show_calls(c, id)) || (rc = show_fields(c, id)))
        return rc;
    return EXIT_OK;
}

/* ---- supervisor actions ------------------------------------------------- */

int cmd_case_release(struct cli *c, int argc, char **argv)
{
    if (argc != 3)
        return cli_usage_cmd(c);
    long long id = 0;
    int rc = parse_id(argv[2], &id);
    if (rc || (rc = cli_admit(c)) || (rc = case_exists(c, id)))
        return rc;
    struct cati_error err;
    int was = 0;
    if (case_release(c->db, &c->cfg, id, &c->me, &was, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    printf(was ? "case %lld released\n" : "case %lld was not claimed\n", id);
    return EXIT_OK;
}

int cmd_case_priority(struct cli *c, int argc, char **argv)
{
    if (argc != 4)
        return cli_usage_cmd(c);
    long long id = 0;
    long n;
    int rc = parse_id(argv[2], &id);
    if (rc)
        return rc;
    if (case_priority_parse(argv[3], &n) < 0)
        return cli_failf(EXIT_USAGE, "case: invalid priority '%s': a whole number, higher is called first",
                         argv[3]);
    if ((rc = cli_admit(c)) || (rc = case_exists(c, id)))
        return rc;
    struct cati_error err;
    if (case_set_priority(c->db, id, (int)n, &c->me, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    printf("case %lld: priority %ld\n", id, n);
    return EXIT_OK;
}

int cmd_case_appoint(struct cli *c, int argc, char **argv)
{
    const char *with = NULL;
    static const struct option opts[] = {{"with", required_argument, 0, 'w'}, {0, 0, 0, 0}};
    int o;
    while ((o = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        if (o != 'w')
            return cli_usage_cmd(c);
        with = optarg;
    }
    if (argc - 1 - optind != 2)
        return cli_usage_cmd(c);
    char **pos = argv + 1 + optind; /* ID WHEN */
    long long id = 0;
    time_t at = 0;
    int rc = parse_id(pos[0], &id);
    if (rc || (rc = parse_when(c, pos[1], &at)))
        return rc;
    if ((rc = cli_admit(c)) || (rc = case_exists(c, id)))
        return rc;
    struct cati_error err;
    struct cati_interviewer w = {0};
    if (with && account_find(c->db, with, &w, &err) < 0)
        return cli_fail(&err, EXIT_USAGE);
    if (case_appoint(c->db, &c->cfg, id, at, with ? w.id : 0, &c->me, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    char t[32];
    when_text(c, at, t, sizeof t);
    printf("case %lld: appointment %s %s%s\n", id, t, with ? "held for " : "for anyone",
           with ? with : "");
    return EXIT_OK;
}
