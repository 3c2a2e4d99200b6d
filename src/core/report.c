#include "cati/report.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cati/dashboard.h"
#include "cati/db.h"
#include "cati/schedule.h"
#include "cati/util.h"

/* A CSV field: quoted when it holds a comma, quote, CR or LF (RFC 4180). */
static void csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static int survey_name(sqlite3 *db, long long id, char *buf, size_t size, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT name FROM surveys WHERE id = ?", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    const unsigned char *t = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
    cati_strlcpy(buf, t ? (const char *)t : "", size);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? cati_error_set(err, "no survey %lld", id) : db_error(db, err, "survey");
    return 0;
}

int report_rates(sqlite3 *db, long long survey_id, double e, struct report_rates *out,
                 struct cati_error *err)
{
    memset(out, 0, sizeof *out);
    if (survey_name(db, survey_id, out->survey, sizeof out->survey, err) < 0)
        return -1;
    sqlite3_stmt *st;
    if (db_prepare(db,
                   "SELECT coalesce(disposition, interim_code), sum(state = 'final'),"
                   " sum(state <> 'final') FROM cases WHERE survey_id = ? GROUP BY 1 ORDER BY 1",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, survey_id);
    int rc;
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->ncodes == cap) {
            cap = cap ? cap * 2 : 16;
            struct report_code *p = realloc(out->codes, cap * sizeof *p);
            if (!p) {
                sqlite3_finalize(st);
                report_rates_free(out);
                return cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
            }
            out->codes = p;
        }
        struct report_code *c = &out->codes[out->ncodes++];
        const unsigned char *code = sqlite3_column_text(st, 0);
        cati_strlcpy(c->code, code ? (const char *)code : "", sizeof c->code);
        c->final = sqlite3_column_int64(st, 1);
        c->open = sqlite3_column_int64(st, 2);
        out->final += c->final;
        out->open += c->open;
        enum disposition_category cat = disposition_category(c->code);
        if (cat != CAT_UNKNOWN)
            out->counts.n[cat] += c->final + c->open;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        report_rates_free(out);
        return db_error(db, err, "report");
    }
    out->cases = out->final + out->open;
    disposition_rates(&out->counts, e, &out->rates);
    return 0;
}

void report_rates_free(struct report_rates *r)
{
    free(r->codes);
    r->codes = NULL;
    r->ncodes = 0;
}

/* "survey,kind,name," — the value follows. */
static void csv_head(FILE *out, const struct report_rates *r, const char *kind, const char *name)
{
    csv_field(out, r->survey);
    fprintf(out, ",%s,%s,", kind, name);
}

static void csv_share(FILE *out, int defined, double v)
{
    if (defined)
        fprintf(out, "%.4f\r\n", v);
    else
        fputs("undefined\r\n", out);
}

static void print_rates_csv(FILE *out, const struct report_rates *r, int header)
{
    if (header)
        fputs("survey,kind,name,value\r\n", out);
    csv_head(out, r, "count", "cases");
    fprintf(out, "%lld\r\n", r->cases);
    csv_head(out, r, "count", "final");
    fprintf(out, "%lld\r\n", r->final);
    csv_head(out, r, "count", "open");
    fprintf(out, "%lld\r\n", r->open);
    for (size_t i = 0; i < r->ncodes; i++) {
        csv_head(out, r, "code", r->codes[i].code);
        fprintf(out, "%lld\r\n", r->codes[i].final + r->codes[i].open);
    }
    for (int c = 0; c < CAT_COUNT; c++) {
        csv_head(out, r, "category", disposition_category_name(c));
        fprintf(out, "%lld\r\n", r->counts.n[c]);
    }
    csv_head(out, r, "e", r->rates.e_estimated ? "estimated" : "given");
    csv_share(out, r->rates.e_defined, r->rates.e);
    for (int i = 0; i < RATE_COUNT; i++) {
        csv_head(out, r, "rate", disposition_rate_name(i));
        csv_share(out, r->rates.rate[i].defined, r->rates.rate[i].value);
    }
}

void report_rates_print(FILE *out, const struct report_rates *r, enum report_format fmt, int header)
{
    if (fmt == REPORT_CSV) {
        print_rates_csv(out, r, header);
        return;
    }
    fprintf(out, "survey %s: %lld cases, %lld final, %lld open "
                 "(open cases count under their best code so far)\n",
            r->survey, r->cases, r->final, r->open);
    fprintf(out, "%-7s %8s %8s %8s  %-3s %s\n", "CODE", "FINAL", "OPEN", "TOTAL", "CAT", "MEANING");
    for (size_t i = 0; i < r->ncodes; i++) {
        const struct report_code *c = &r->codes[i];
        fprintf(out, "%-7s %8lld %8lld %8lld  %-3s %s\n", c->code, c->final, c->open,
                c->final + c->open, disposition_category_name(disposition_category(c->code)),
                disposition_meaning(c->code));
    }
    fputs("categories:", out);
    for (int c = 0; c < CAT_COUNT; c++)
        fprintf(out, " %s %lld%s", disposition_category_name(c), r->counts.n[c],
                c + 1 < CAT_COUNT ? "," : "\n");
    if (!r->rates.e_defined)
        fputs("e undefined: no case's eligibility is known yet\n", out);
    else if (r->rates.e_estimated)
        fprintf(out, "e = %.4f (estimated: the eligible share of cases whose eligibility is known)\n",
                r->rates.e);
    else
        fprintf(out, "e = %.4f (given)\n", r->rates.e);
    for (int i = 0; i < RATE_COUNT; i++) {
        if (r->rates.rate[i].defined)
            fprintf(out, "%-6s %.4f  (%.1f%%)\n", disposition_rate_name(i), r->rates.rate[i].value,
                    r->rates.rate[i].value * 100);
        else
            fprintf(out, "%-6s undefined (denominator 0)\n", disposition_rate_name(i));
    }
}

int report_interviewers(sqlite3 *db, const struct cati_config *cfg, long long survey_id,
                        struct report_interviewer **rows, size_t *n, struct cati_error *err)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st;
    if (db_prepare(db,
                   "SELECT i.login, i.name, c.outcome, count(c.id), i.id"
                   " FROM interviewers i LEFT JOIN calls c ON c.interviewer_id = i.id"
                   " AND (?1 = 0 OR (SELECT survey_id FROM cases WHERE id = c.case_id) = ?1)"
                   " GROUP BY i.id, c.outcome"
                   " HAVING count(c.id) > 0 OR (i.active AND i.role = 'interviewer')"
                   " ORDER BY i.login", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, survey_id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *login = (const char *)sqlite3_column_text(st, 0);
        if (!*n || strcmp((*rows)[*n - 1].login, login)) {
            if (*n == cap) {
                cap = cap ? cap * 2 : 16;
                struct report_interviewer *p = realloc(*rows, cap * sizeof *p);
                if (!p) {
                    rc = SQLITE_NOMEM;
                    break;
                }
                *rows = p;
            }
            struct report_interviewer *r = &(*rows)[(*n)++];
            memset(r, 0, sizeof *r);
            cati_strlcpy(r->login, login, sizeof r->login);
            const unsigned char *name = sqlite3_column_text(st, 1);
            cati_strlcpy(r->name, name ? (const char *)name : "", sizeof r->name);
            r->id = sqlite3_column_int64(st, 4);
        }
        struct report_interviewer *r = &(*rows)[*n - 1];
        const char *outcome = (const char *)sqlite3_column_text(st, 2);
        long long calls = sqlite3_column_int64(st, 3);
        if (!outcome || !calls)
            continue;
        const struct schedule_outcome *o = schedule_outcome_find(outcome);
        r->calls += calls;
        if (o && o->contact)
            r->contacts += calls;
        if (!strcmp(outcome, "complete"))
            r->completes += calls;
        if (schedule_outcome_refusal(o))
            r->refusals += calls;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(*rows);
        *rows = NULL;
        *n = 0;
        return rc == SQLITE_NOMEM ? cati_error_setk(err, CATI_ERR_NOMEM, "out of memory") : db_error(db, err, "report");
    }
    /* hours worked: the one definition of completes per hour (dashboard.h) */
    for (size_t i = 0; i < *n; i++)
        if ((*rows)[i].calls > 0 &&
            dashboard_worked_seconds(db, cfg, (*rows)[i].id, survey_id, 0, (time_t)LLONG_MAX / 2,
                                     &(*rows)[i].seconds, err) < 0) {
            free(*rows);
            *rows = NULL;
            *n = 0;
            return -1;
        }
    return 0;
}

void report_interviewers_print(FILE *out, const struct report_interviewer *rows, size_t n,
                               enum report_format fmt)
{
    if (fmt == REPORT_CSV)
        fputs("login,name,calls,contacts,completes,refusals,hours,completes_per_hour\r\n", out);
    else
        fprintf(out, "%-16s %7s %8s %9s %8s %7s %14s  %s\n", "LOGIN", "CALLS", "CONTACTS",
                "COMPLETES", "REFUSALS", "HOURS", "COMPLETES/HOUR", "NAME");
    for (size_t i = 0; i < n; i++) {
        const struct report_interviewer *r = &rows[i];
        double hours = (double)r->seconds / 3600.0;
        char per[32];
        if (r->seconds > 0)
            snprintf(per, sizeof per, "%.2f", dashboard_per_hour(r->completes, r->seconds));
        else
            cati_strlcpy(per, "undefined", sizeof per);
        if (fmt == REPORT_CSV) {
            csv_field(out, r->login);
            fputc(',', out);
            csv_field(out, r->name);
            fprintf(out, ",%lld,%lld,%lld,%lld,%.2f,%s\r\n", r->calls, r->contacts, r->completes,
                    r->refusals, hours, per);
        } else {
            fprintf(out, "%-16s %7lld %8lld %9lld %8lld %7.2f %14s  %s\n", r->login, r->calls,
                    r->contacts, r->completes, r->refusals, hours, per, r->name);
        }
    }
}
