#include "cati/schedule.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/calendar.h"
#include "cati/case.h"
#include "cati/db.h"
#include "cati/disposition.h"
#include "cati/interview.h"
#include "cati/util.h"

/* ---- the outcome table -------------------------------------------------- */

static const struct schedule_outcome outcomes[] = {
    {"complete", "1.1", NULL, SCHED_FINAL, RETRY_NONE, 1, 1, 0, "final"},
    {"partial", "1.2", NULL, SCHED_FINAL, RETRY_NONE, 1, 1, 0, "final"},
    {"breakoff", "2.12", NULL, SCHED_FINAL, RETRY_NONE, 1, 1, 0, "final"},
    {"refusal", "2.11", NULL, SCHED_FINAL, RETRY_NONE, 1, 1, 0, "final (hard refusal)"},
    {"soft-refusal", "2.11", NULL, SCHED_RETRY, RETRY_SOFT_REFUSAL, 1, 1, 0,
     "one refusal conversion after [retry] soft_refusal by an interviewer with the refusal "
     "skill; a second refusal, or refusal_conversion = no, is final"},
    {"appointment", "2.21", NULL, SCHED_APPOINTMENT, RETRY_NONE, 1, 1, 0,
     "call again at --at WHEN, held for the interviewer who booked it"},
    {"no-answer", "3.13", NULL, SCHED_RETRY, RETRY_NO_ANSWER, 0, 0, 1,
     "retry after [retry] no_answer, in the slot tried least"},
    {"busy", "3.12", NULL, SCHED_RETRY, RETRY_BUSY, 0, 0, 0, "retry after [retry] busy"},
    {"answering-machine", "3.14", "2.222", SCHED_RETRY, RETRY_ANSWERING_MACHINE, 0, 0, 1,
     "retry after [retry] answering_machine, in the slot tried least (2.222 once eligible)"},
    {"message-left", "3.14", "2.221", SCHED_RETRY, RETRY_MESSAGE_LEFT, 0, 0, 1,
     "retry after [retry] message_left, in the slot tried least (2.221 once eligible)"},
    {"not-available", "2.21", NULL, SCHED_RETRY, RETRY_NOT_AVAILABLE, 1, 1, 1,
     "retry after [retry] not_available, in the slot tried least"},
    {"language", "2.33", NULL, SCHED_RETRY, RETRY_LANGUAGE, 1, 1, 0,
     "retry after [retry] language by an interviewer with a survey language the caller "
     "lacks; final when there is none or at the second language barrier"},
    {"deceased", "2.31", NULL, SCHED_FINAL, RETRY_NONE, 1, 1, 0, "final"},
    {"unable", "2.32", NULL, SCHED_FINAL, RETRY_NONE, 1, 1, 0, "final"},
    {"disconnected", "4.32", NULL, SCHED_NEXT_NUMBER, RETRY_NONE, 0, 0, 0,
     "next phone number, else final"},
    {"non-working", "4.31", NULL, SCHED_NEXT_NUMBER, RETRY_NONE, 0, 0, 0,
     "next phone number, else final"},
    {"fax", "4.20", NULL, SCHED_NEXT_NUMBER, RETRY_NONE, 0, 0, 0, "next phone number, else final"},
    {"business", "4.51", NULL, SCHED_NEXT_NUMBER, RETRY_NONE, 1, 0, 0,
     "next phone number, else final"},
    {"wrong-number", "4.41", NULL, SCHED_NEXT_NUMBER, RETRY_NONE, 1, 0, 0,
     "next phone number, else final"},
    {"ineligible", "4.70", NULL, SCHED_FINAL, RETRY_NONE, 1, 0, 0, "final"},
    {"technical", "3.16", NULL, SCHED_RETRY, RETRY_TECHNICAL, 0, 0, 0,
     "retry after [retry] technical"},
};
#define NOUTCOMES (sizeof outcomes / sizeof outcomes[0])

const struct schedule_outcome *schedule_outcomes(size_t *n)
{
    *n = NOUTCOMES;
    return outcomes;
}

const struct schedule_outcome *schedule_outcome_find(const char *keyword)
{
    for (size_t i = 0; keyword && i < NOUTCOMES; i++)
        if (!strcmp(outcomes[i].keyword, keyword))
            return &outcomes[i];
    return NULL;
}

int schedule_outcome_refusal(const struct schedule_outcome *o)
{
    return o && disposition_category(o->aapor) == CAT_R;
}

/* "20 minutes", "1 hour", "3 hours", "1 hour 30 minutes", "2 days". */
static void plain_delay(int mins, char *buf, size_t size)
{
    if (mins < 60)
        snprintf(buf, size, "%d minute%s", mins, mins == 1 ? "" : "s");
    else if (mins >= 2 * 1440 && mins % 1440 == 0)
        snprintf(buf, size, "%d days", mins / 1440);
    else if (mins % 60 == 0)
        snprintf(buf, size, "%d hour%s", mins / 60, mins == 60 ? "" : "s");
    else
        snprintf(buf, size, "%d hour%s %d minutes", mins / 60, mins < 120 ? "" : "s", mins % 60);
}

const char *schedule_outcome_plain(const struct cati_config *cfg, const struct schedule_outcome *o,
                                   char *buf, size_t size)
{
    char delay[64];
    if (!o) {
        snprintf(buf, size, "unknown outcome");
        return buf;
    }
    switch (o->rule) {
    case SCHED_FINAL:
        snprintf(buf, size, "the case is closed");
        break;
    case SCHED_APPOINTMENT:
        snprintf(buf, size, "call again at the time you choose next");
        break;
    case SCHED_NEXT_NUMBER:
        snprintf(buf, size, "dial the case's next number (the case is closed when none is left)");
        break;
    case SCHED_RETRY:
        plain_delay(schedule_retry_minutes(cfg, o->retry), delay, sizeof delay);
        snprintf(buf, size, "call again in about %s%s%s", delay,
                 o->rotate && cfg->nslots > 0 ? ", in another time slot" : "",
                 o->retry == RETRY_SOFT_REFUSAL
                     ? (cfg->refusal_conversion ? ", by an interviewer trained to convert refusals"
                                                 " (a second refusal closes the case)"
                                                : "")
                 : o->retry == RETRY_LANGUAGE ? ", by an interviewer with another language"
                                                " (a second language barrier closes the case)"
                                              : "");
        if (o->retry == RETRY_SOFT_REFUSAL && !cfg->refusal_conversion)
            snprintf(buf, size, "the case is closed (refusals are not converted)");
        break;
    }
    return buf;
}

/* The [retry] delay of each retry rule: the configuration member holding
 * its minutes, indexed by the outcome table's retry column. */
static const size_t retry_delay[] = {
    [RETRY_BUSY] = offsetof(struct cati_config, retry_busy),
    [RETRY_NO_ANSWER] = offsetof(struct cati_config, retry_no_answer),
    [RETRY_ANSWERING_MACHINE] = offsetof(struct cati_config, retry_answering_machine),
    [RETRY_MESSAGE_LEFT] = offsetof(struct cati_config, retry_message_left),
    [RETRY_NOT_AVAILABLE] = offsetof(struct cati_config, retry_not_available),
    [RETRY_SOFT_REFUSAL] = offsetof(struct cati_config, retry_soft_refusal),
    [RETRY_TECHNICAL] = offsetof(struct cati_config, retry_technical),
    [RETRY_LANGUAGE] = offsetof(struct cati_config, retry_language),
};

int schedule_retry_minutes(const struct cati_config *cfg, enum schedule_retry r)
{
    if (r == RETRY_NONE || (size_t)r >= sizeof retry_delay / sizeof retry_delay[0])
        return 0;
    return *(const int *)(const void *)((const char *)cfg + retry_delay[r]);
}

/* ---- wall-clock time in a respondent's zone ---------------------------- */

const char *schedule_zone(const struct cati_config *cfg, const char *tz)
{
    return tz && *tz ? tz : cfg->timezone;
}

int schedule_in_hours(const struct cati_config *cfg, const char *tz, time_t t)
{
    int wday, m;
    calendar_day_minute(schedule_zone(cfg, tz), t, &wday, &m);
    return config_in_hours(cfg, wday, m);
}

int schedule_slot_of(const struct cati_config *cfg, const char *tz, time_t t)
{
    int m;
    calendar_day_minute(schedule_zone(cfg, tz), t, NULL, &m);
    for (int i = 0; i < cfg->nslots; i++) {
        const struct cati_slot *s = &cfg->slots[i];
        if (s->start < s->end ? (m >= s->start && m < s->end) : (m >= s->start || m < s->end))
            return i;
    }
    return -1;
}

const char *schedule_when_text(const struct cati_config *cfg, const char *tz, time_t t, time_t now,
                               char *buf, size_t size)
{
    static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    const char *zone = schedule_zone(cfg, tz);
    char at[32], today[32], tomorrow[32];
    struct tm tm, tn;
    cati_format_time(t, zone, at, sizeof at);
    cati_format_time(now, zone, today, sizeof today);
    /* tomorrow's date: noon today plus a day, whatever the DST */
    cati_localtime_tz(zone, now, &tn);
    cati_format_time(cati_mktime_tz(zone, tn.tm_year + 1900, tn.tm_mon + 1, tn.tm_mday + 1, 12, 0), zone,
                     tomorrow, sizeof tomorrow);
    cati_localtime_tz(zone, t, &tm);
    int n;
    if (!strncmp(at, today, 10))
        n = snprintf(buf, size, "today %s", at + 11);
    else if (!strncmp(at, tomorrow, 10))
        n = snprintf(buf, size, "tomorrow %s", at + 11);
    else
        n = snprintf(buf, size, "%s %s", wd[tm.tm_wday], at);
    int slot = schedule_slot_of(cfg, zone, t);
    if (slot >= 0 && n >= 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, ", %s slot", cfg->slots[slot].name);
    return buf;
}

time_t schedule_missed_cutoff(const struct cati_config *cfg, time_t now)
{
    return now - (time_t)cfg->missed_minutes * 60;
}

int schedule_appointment_missed(const struct cati_config *cfg, time_t at, int flagged, time_t now)
{
    return at > 0 && (flagged || at <= schedule_missed_cutoff(cfg, now));
}

struct span { time_t a, b; };

#define SCAN_DAYS 15
#define MAX_SPANS (SCAN_DAYS * CATI_MAX_WINDOWS)

/* Calling-hour spans and slot spans of the local days around t (from the
 * day before, for windows past midnight). Call inside a zone scope. */
static int hour_spans(const struct cati_config *cfg, time_t t, struct span *out)
{
    struct tm now;
    localtime_r(&t, &now);
    int n = 0;
    for (int k = -1; k < SCAN_DAYS - 1; k++) {
        time_t noon = calendar_local_at(now.tm_year + 1900, now.tm_mon + 1, now.tm_mday + k, 12 * 60);
        struct tm day;
        localtime_r(&noon, &day);
        int y = day.tm_year + 1900, mo = day.tm_mon + 1, d = day.tm_mday;
        if (!(cfg->days & (1u << day.tm_wday)))
            continue;
        for (int i = 0; i < cfg->nhours && n < MAX_SPANS; i++) {
            const struct cati_window *w = &cfg->hours[i];
            out[n].a = calendar_local_at(y, mo, d, w->start);
            out[n].b = w->start < w->end ? calendar_local_at(y, mo, d, w->end) : calendar_local_at(y, mo, d + 1, w->end);
            n++;
        }
    }
    return n;
}

static int slot_spans(const struct cati_slot *s, time_t t, struct span *out)
{
    struct tm now;
    localtime_r(&t, &now);
    int n = 0;
    for (int k = -1; k < SCAN_DAYS - 1; k++) {
        int y = now.tm_year + 1900, mo = now.tm_mon + 1, d = now.tm_mday + k;
        out[n].a = calendar_local_at(y, mo, d, s->start);
        out[n].b = s->start < s->end ? calendar_local_at(y, mo, d, s->end) : calendar_local_at(y, mo, d + 1, s->end);
        n++;
    }
    return n;
}

/* Earliest moment >= t in a span of h (intersected with a span of s when
 * ns > 0); 0 if none. */
static time_t earliest(const struct span *h, int nh, const struct span *s, int ns, time_t t)
{
    time_t best = 0;
    for (int i = 0; i < nh; i++) {
        for (int j = 0; j < (ns ? ns : 1); j++) {
            time_t a = h[i].a, b = h[i].b;
            if (ns) {
                a = a > s[j].a ? a : s[j].a;
                b = b < s[j].b ? b : s[j].b;
            }
            if (a < t)
                a = t;
            if (a < b && (!best || a < best))
                best = a;
        }
    }
    return best;
}

static time_t next_open_in_zone(const struct cati_config *cfg, time_t t, int slot)
{
    struct span h[MAX_SPANS], s[SCAN_DAYS];
    int nh = hour_spans(cfg, t, h);
    int ns = 0;
    if (slot >= 0 && slot < cfg->nslots)
        ns = slot_spans(&cfg->slots[slot], t, s);
    if (slot >= 0 && !ns)
        return 0;
    return earliest(h, nh, s, ns, t);
}

time_t schedule_next_open(const struct cati_config *cfg, const char *tz, time_t t, int slot)
{
    struct calendar_zone z;
    calendar_zone_enter(schedule_zone(cfg, tz), &z);
    time_t r = next_open_in_zone(cfg, t, slot);
    calendar_zone_leave(&z);
    return r;
}

time_t schedule_next_rotated(const struct cati_config *cfg, const char *tz, time_t t,
                             const int *tries)
{
    struct calendar_zone z;
    calendar_zone_enter(schedule_zone(cfg, tz), &z);
    time_t when[CATI_MAX_SLOTS];
    int least = INT_MAX;
    for (int i = 0; i < cfg->nslots; i++) {
        when[i] = next_open_in_zone(cfg, t, i);
        if (when[i] && tries[i] < least)
            least = tries[i];
    }
    time_t best = 0;
    for (int i = 0; i < cfg->nslots; i++)
        if (when[i] && tries[i] == least && (!best || when[i] < best))
            best = when[i];
    if (!best)
        best = next_open_in_zone(cfg, t, -1);
    calendar_zone_leave(&z);
    return best;
}

const char *schedule_hours_text(const struct cati_config *cfg, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < cfg->nhours && used < size; i++) {
        const struct cati_window *w = &cfg->hours[i];
        int n = snprintf(buf + used, size - used, "%s%02d:%02d\u2013%02d:%02d", i ? ", " : "",
                         w->start / 60, w->start % 60, w->end / 60, w->end % 60);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return buf;
}

/* ---- recording a call --------------------------------------------------- */

struct case_row {
    char state[8];
    int attempts, phone_pos, eligible, contacted;
    long long claimed_by, claimed_at, survey_id;
    char interim[8], timezone[64], language[32], needs_skill[32];
    char disposition[8];
    time_t appointment_at;
    long long appointment_with;
    char note[1024];      /* the holder's note waiting for this call */
};

static int load_case(sqlite3 *db, long long id, struct case_row *c, struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db,
                   "SELECT state, attempts, phone_pos, eligible, contacted, claimed_by, claimed_at,"
                   " survey_id, interim_code, timezone, language, needs_skill,"
                   " coalesce(disposition, ''), appointment_at, appointment_with, call_note"
                   " FROM cases WHERE id = ?", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        db_column_copy(st, 0, c->state, sizeof c->state);
        c->attempts = sqlite3_column_int(st, 1);
        c->phone_pos = sqlite3_column_int(st, 2);
        c->eligible = sqlite3_column_int(st, 3);
        c->contacted = sqlite3_column_int(st, 4);
        c->claimed_by = sqlite3_column_int64(st, 5);
        c->claimed_at = sqlite3_column_int64(st, 6);
        c->survey_id = sqlite3_column_int64(st, 7);
        db_column_copy(st, 8, c->interim, sizeof c->interim);
        db_column_copy(st, 9, c->timezone, sizeof c->timezone);
        db_column_copy(st, 10, c->language, sizeof c->language);
        db_column_copy(st, 11, c->needs_skill, sizeof c->needs_skill);
        db_column_copy(st, 12, c->disposition, sizeof c->disposition);
        c->appointment_at = (time_t)sqlite3_column_int64(st, 13);
        db_column_copy(st, 15, c->note, sizeof c->note);
        c->appointment_with = sqlite3_column_int64(st, 14);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return cati_error_setk(err, CATI_ERR_NOT_FOUND, "case %lld: no such case", id);
    if (rc != SQLITE_ROW)
        return db_error(db, err, "case");
    return 0;
}

/* Number and attempts of the case's phone at pos ("" / 0 if none). */
static int load_phone(sqlite3 *db, long long id, int pos, char *number, size_t size, int *attempts,
                      struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT number, attempts FROM phones WHERE case_id = ? AND position = ?", &st,
                   err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, pos);
    number[0] = '\0';
    *attempts = 0;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        db_column_copy(st, 0, number, size);
        *attempts = sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(db, err, "phones");
}

/* The next usable number after pos (wrapping round); 0 if none. */
static int next_phone(sqlite3 *db, long long id, int pos, char *number, size_t size,
                      struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db,
                   "SELECT position, number FROM phones WHERE case_id = ?1 AND status = 'ok'"
                   " AND position <> ?2 ORDER BY position < ?2, position LIMIT 1", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, pos);
    int found = 0;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        found = sqlite3_column_int(st, 0);
        db_column_copy(st, 1, number, size);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(db, err, "phones");
    return found;
}

static int update_phone(sqlite3 *db, long long id, int pos, const char *status,
                        struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "UPDATE phones SET attempts = attempts + 1, status = ?3"
                       " WHERE case_id = ?1 AND position = ?2", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, pos);
    sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "phones");
}

/* How many earlier calls of this case had outcome. */
static int count_outcome(sqlite3 *db, long long id, const char *outcome, long long *n,
                         struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT count(*) FROM calls WHERE case_id = ? AND outcome = ?", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, outcome, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : db_error(db, err, "calls");
}

/* The final code of a case whose calling ended as end: disposition_final
 * over the codes of all its calls, in call order, this one included. */
static int final_code(sqlite3 *db, long long id, enum disposition_end end, char *out,
                      struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT aapor FROM calls WHERE case_id = ? ORDER BY attempt, id", &st,
                   err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    char (*codes)[8] = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            void *more = realloc(codes, (cap = cap ? cap * 2 : 16) * sizeof *codes);
            if (!more) {
                rc = SQLITE_NOMEM;
                break;
            }
            codes = more;
        }
        db_column_copy(st, 0, codes[n], sizeof codes[n]);
        n++;
    }
    sqlite3_finalize(st);
    const char **list = rc == SQLITE_DONE ? malloc((n ? n : 1) * sizeof *list) : NULL;
    if (rc == SQLITE_DONE && !list)
        rc = SQLITE_NOMEM;
    for (size_t i = 0; list && i < n; i++)
        list[i] = codes[i];
    const char *f = list ? disposition_final(list, n, end) : NULL;
    cati_strlcpy(out, f ? f : "3.90", 8);
    free(codes);
    free(list);
    if (rc == SQLITE_NOMEM)
        return cati_error_set(err, "calls: out of memory");
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "calls");
}

/* Calls of this case per slot of cfg (calls.slot holds the slot name). */
static int slot_tries(sqlite3 *db, const struct cati_config *cfg, long long id, int *tries,
                      struct cati_error *err)
{
    sqlite3_stmt *st;
    memset(tries, 0, sizeof(int) * CATI_MAX_SLOTS);
    if (db_prepare(db, "SELECT slot, count(*) FROM calls WHERE case_id = ? GROUP BY slot", &st,
                   err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        for (int i = 0; name && i < cfg->nslots; i++)
            if (!strcmp(cfg->slots[i].name, name))
                tries[i] = sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "calls");
}

/* A language of the survey that the caller does not speak: the case goes
 * to an interviewer who does. "" if none. */
static int other_language(sqlite3 *db, long long survey_id, const struct cati_interviewer *who,
                          char *out, size_t size, struct cati_error *err)
{
    sqlite3_stmt *st;
    out[0] = '\0';
    if (db_prepare(db, "SELECT languages FROM survey_versions WHERE survey_id = ?"
                       " ORDER BY version DESC LIMIT 1", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, survey_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        char langs[256];
        db_column_copy(st, 0, langs, sizeof langs);
        char *save = NULL;
        for (char *l = strtok_r(langs, " ,", &save); l; l = strtok_r(NULL, " ,", &save))
            if (!who || !account_list_has(who->languages, l)) {
                cati_strlcpy(out, l, size);
                break;
            }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(db, err, "survey");
}

static int insert_call(sqlite3 *db, long long case_id, int attempt, const struct cati_interviewer *who,
                       time_t started, time_t now, int pos, const char *number, const char *outcome,
                       const char *aapor, const char *slot, const char *note, int by_supervisor,
                       long long *id, struct cati_error *err)
{
    char uuid[37];
    if (cati_uuid(uuid) < 0)
        return cati_error_set(err, "cannot make a UUID: /dev/urandom unreadable");
    sqlite3_stmt *st;
    if (db_prepare(db,
                   "INSERT INTO calls(uuid, case_id, attempt, interviewer_id, started_at, ended_at,"
                   " phone_pos, number, outcome, aapor, slot, note, updated_at, by_supervisor)"
                   " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", &st, err) < 0)
        return -1;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, case_id);
    sqlite3_bind_int(st, 3, attempt);
    if (who)
        sqlite3_bind_int64(st, 4, who->id);
    sqlite3_bind_int64(st, 5, started);
    sqlite3_bind_int64(st, 6, now);
    sqlite3_bind_int(st, 7, pos);
    sqlite3_bind_text(st, 8, number, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, outcome, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, aapor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, slot, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, note ? note : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 13, now);
    sqlite3_bind_int(st, 14, by_supervisor);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(db, err, "calls");
    *id = sqlite3_last_insert_rowid(db);
    return 0;
}

/* The case's new state, written in one UPDATE. */
struct case_next {
    const char *state;
    int attempts, phone_pos, eligible, contacted;
    time_t next_call_at, appointment_at;
    long long appointment_with, claimed_by, claimed_at;
    time_t lease_until;
    const char *needs_skill, *interim, *disposition, *language;
};

static void bind_opt(sqlite3_stmt *st, int i, long long v)
{
    if (v)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

static int update_case(sqlite3 *db, long long id, const struct case_next *n, time_t now,
                       struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db,
                   "UPDATE cases SET state = ?2, attempts = ?3, last_call_at = ?4, next_call_at = ?5,"
                   " appointment_at = ?6, appointment_with = ?7, appointment_missed = 0,"
                   " claimed_by = ?8, lease_until = ?9, claimed_at = ?10, contacted = ?11,"
                   " eligible = ?12, needs_skill = ?13, interim_code = ?14, disposition = ?15,"
                   " finalised_at = CASE WHEN ?15 IS NULL THEN NULL ELSE ?4 END,"
                   " phone_pos = ?16, language = ?17, call_note = '', updated_at = ?4 WHERE id = ?1", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, n->state, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, n->attempts);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, n->next_call_at);
    bind_opt(st, 6, n->appointment_at);
    bind_opt(st, 7, n->appointment_with);
    bind_opt(st, 8, n->claimed_by);
    bind_opt(st, 9, n->lease_until);
    bind_opt(st, 10, n->claimed_at);
    sqlite3_bind_int(st, 11, n->contacted);
    sqlite3_bind_int(st, 12, n->eligible);
    sqlite3_bind_text(st, 13, n->needs_skill, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 14, n->interim, -1, SQLITE_STATIC);
    if (n->disposition)
        sqlite3_bind_text(st, 15, n->disposition, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 16, n->phone_pos);
    sqlite3_bind_text(st, 17, n->language, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "case");
}

/* Next try for a retry outcome: after the delay, in hours, rotated. */
static int retry_time(sqlite3 *db, const struct cati_config *cfg, long long id, const char *tz,
                      const struct schedule_outcome *o, time_t now, time_t *out,
                      struct cati_error *err)
{
    time_t t = now + (time_t)schedule_retry_minutes(cfg, o->retry) * 60;
    time_t when;
    if (o->rotate && cfg->nslots > 0) {
        int tries[CATI_MAX_SLOTS];
        if (slot_tries(db, cfg, id, tries, err) < 0)
            return -1;
        when = schedule_next_rotated(cfg, tz, t, tries);
    } else {
        when = schedule_next_open(cfg, tz, t, -1);
    }
    *out = when ? when : t;
    return 0;
}

/* Who may record this call: the holder (case_hold: claimed with a live
 * lease, renewed), or a supervisor or admin acting on any open case
 * (SCHEDULE_ANY_HOLDER; role checked in the database, audited). Returns 0
 * for the holder, 1 for a supervisor, -1 with err. */
static int check_writer(sqlite3 *db, const struct cati_config *cfg, const struct case_row *c,
                        long long case_id, const struct cati_interviewer *who, unsigned flags,
                        struct cati_error *err)
{
    if (who && c->claimed_by == who->id)
        return case_hold(db, cfg, case_id, who, err);
    if (flags & SCHEDULE_ANY_HOLDER) {
        if (account_require_role(db, who, ROLE_SUPERVISOR, err) < 0)
            return -1;
        if (!strcmp(c->state, "final"))
            return cati_error_set(err, "case %lld is already final (%s)", case_id, c->disposition);
        return 1;
    }
    return case_hold(db, cfg, case_id, who, err); /* says why not */
}

/* The case's live interview: 1 with *id, *open (outcome NULL) and *at_end
 * (its cursor is past the last question: current_question ""), 0 none. */
static int live_interview(sqlite3 *db, long long case_id, long long *id, int *open, int *at_end,
                          struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT id, outcome IS NULL, current_question = '' FROM interviews"
                       " WHERE case_id = ? AND state = 'live'", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, case_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        *open = sqlite3_column_int(st, 1);
        *at_end = sqlite3_column_int(st, 2);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "interviews");
}

static int close_interview(sqlite3 *db, long long id, const char *outcome, time_t now,
                           struct cati_error *err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "UPDATE interviews SET outcome = ?2, completed_at = ?3, updated_at = ?3 WHERE id = ?1",
                   &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, outcome, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (long long)now);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(db, err, "closing the interview");
}

/* The call and the case's interview agree. A complete call needs the
 * case's live interview at its end, complete — unless a supervisor records
 * it with a note (a complete interview taken outside cati). An interview
 * at its end is closed with the end its route reached (a complete one only
 * by a complete call); an open one is closed as a break-off or refusal when
 * the call says so or the case becomes final, and otherwise stays open to
 * be resumed at the next call. *close_as gets the outcome to store ("" =
 * leave it), *iv_id the interview, *iv_open whether it is still open. */
static int interview_rule(sqlite3 *db, long long case_id, const struct schedule_call *call,
                          const struct schedule_outcome *o, int supervisor, const char *note,
                          long long *iv_id, int *iv_open, const char **close_as, struct cati_error *err)
{
    int open = 0, at_end = 0;
    *iv_id = 0;
    *iv_open = 0;
    *close_as = "";
    int has = live_interview(db, case_id, iv_id, &open, &at_end, err);
    if (has < 0)
        return -1;
    *iv_open = has && open;
    enum cati_end end = END_NONE;
    if (has && open) {
        if (call->iv && interview_id(call->iv) == *iv_id)
            end = interview_outcome(call->iv);
        else if (at_end && interview_route_end(db, *iv_id, &end, err) < 0)
            return -1;
    }
    int complete_call = !strcmp(o->keyword, "complete");
    if (complete_call) {
        /* at its end as stored, whatever the interview in hand says */
        if (end == END_COMPLETE && at_end) {
            *close_as = "complete";
            return 0;
        }
        if (supervisor && note && *note)
            return 0; /* audited by the caller */
        return cati_error_set(err, supervisor ? "case %lld has no completed interview: a supervisor records "
                                                "'complete' without one only with --note saying why"
                                              : "case %lld has no completed interview: 'complete' is "
                                                "recorded when the interview reaches its end",
                              case_id);
    }
    if (!has || !open)
        return 0;
    if (end == END_COMPLETE)
        return cati_error_set(err, "case %lld: the interview is complete: record the call as 'complete'",
                              case_id);
    if (end != END_NONE)
        *close_as = script_end_name(end);
    else if (!strcmp(o->keyword, "breakoff") || !strcmp(o->keyword, "partial"))
        *close_as = "breakoff";
    else if (!strcmp(o->keyword, "refusal") || !strcmp(o->keyword, "soft-refusal"))
        *close_as = "refusal";
    return 0;
}

/* One call being recorded: what record_load read, what the outcome's rule
 * decided. The steps below fill it in order. */
struct recording {
    sqlite3 *db;
    const struct cati_config *cfg;
    long long case_id;
    const struct cati_interviewer *who;
    const struct schedule_call *call;
    const struct schedule_outcome *o;
    struct schedule_result *res;
    /* loaded */
    struct case_row c;
    int supervisor;       /* recorded by a supervisor, not the holder */
    char note[2048];      /* the holder's pending note and the one given now */
    long long iv_id;      /* the case's live interview, and what to close it as */
    int iv_open;
    const char *close_as;
    time_t now;
    const char *tz;
    char number[64];      /* the number called and its attempts before this call */
    int phone_attempts;
    const char *code;     /* AAPOR code of this call */
    /* decided */
    struct case_next n;
    char interim[8], language[32];
    const char *final;    /* the case's final code, or NULL */
    char final_buf[8];
    const char *phone_status;
    int move;             /* go on to the case's next number */
};

/* Step 1: load the case, check who records, settle the interview, and
 * store the call. The case's next state starts as it is. */
static int record_load(struct recording *r, struct cati_error *err)
{
    sqlite3 *db = r->db;
    struct case_row *c = &r->c;
    if (load_case(db, r->case_id, c, err) < 0)
        return -1;
    r->supervisor = check_writer(db, r->cfg, c, r->case_id, r->who, r->call->flags, err);
    if (r->supervisor < 0)
        return -1;
    /* the note typed for this call (committed with F6) and the one given now */
    const char *given = r->call->note ? r->call->note : "";
    snprintf(r->note, sizeof r->note, "%s%s%s", c->note, c->note[0] && given[0] ? "; " : "", given);
    /* a supervisor's complete without an interview needs their own note:
     * the holder's pending note is not a supervisor's reason */
    if (interview_rule(db, r->case_id, r->call, r->o, r->supervisor, given, &r->iv_id, &r->iv_open,
                       &r->close_as, err) < 0)
        return -1;
    r->now = cati_now();
    r->tz = schedule_zone(r->cfg, c->timezone);
    if (load_phone(db, r->case_id, c->phone_pos, r->number, sizeof r->number, &r->phone_attempts,
                   err) < 0)
        return -1;
    r->code = c->eligible && r->o->aapor_eligible ? r->o->aapor_eligible : r->o->aapor;
    cati_strlcpy(r->res->aapor, r->code, sizeof r->res->aapor);
    r->res->attempt = c->attempts + 1;
    int slot = schedule_slot_of(r->cfg, r->tz, r->now);
    time_t started = r->who && c->claimed_by == r->who->id && c->claimed_at > 0 && c->claimed_at <= r->now
                         ? (time_t)c->claimed_at : r->now;
    if (insert_call(db, r->case_id, r->res->attempt, r->who, started, r->now, c->phone_pos, r->number,
                    r->o->keyword, r->code, slot >= 0 ? r->cfg->slots[slot].name : "", r->note,
                    r->supervisor, &r->res->call_id, err) < 0)
        return -1;
    cati_strlcpy(r->interim, c->interim, sizeof r->interim);
    cati_strlcpy(r->language, c->language, sizeof r->language);
    r->n = (struct case_next){
        .state = "open", .attempts = r->res->attempt, .phone_pos = c->phone_pos,
        .eligible = c->eligible || r->o->eligible, .contacted = c->contacted || r->o->contact,
        .needs_skill = r->o->contact ? "" : c->needs_skill, .interim = r->interim,
        .language = r->language};
    r->phone_status = "ok";
    return 0;
}

/* The case ends at the call limit with the code its calls give. */
static int end_at_limit(struct recording *r, struct cati_error *err)
{
    if (final_code(r->db, r->case_id, DISP_END_LIMIT, r->final_buf, err) < 0)
        return -1;
    r->final = r->final_buf;
    r->res->limit = 1;
    return 0;
}

/* A retry outcome's own rule: a soft refusal is converted once, a language
 * barrier goes once to a speaker of another survey language; else final. */
static int retry_rule(struct recording *r, struct cati_error *err)
{
    long long before;
    if (r->o->retry == RETRY_SOFT_REFUSAL) {
        if (count_outcome(r->db, r->case_id, "soft-refusal", &before, err) < 0)
            return -1;
        if (!r->cfg->refusal_conversion || before > 1) /* this call is counted too */
            r->final = r->code;
        else
            r->n.needs_skill = "refusal", r->res->conversion = 1;
    } else if (r->o->retry == RETRY_LANGUAGE) {
        /* once: the case goes to speakers of a survey language the
         * caller lacks (the sample's language may be wrong) */
        char other[32];
        if (count_outcome(r->db, r->case_id, "language", &before, err) < 0 ||
            other_language(r->db, r->c.survey_id, r->who, other, sizeof other, err) < 0)
            return -1;
        if (before > 1 || !other[0] || !strcmp(other, r->c.language))
            r->final = r->code;
        else
            cati_strlcpy(r->language, other, sizeof r->language);
    }
    return 0;
}

/* Step 2: apply the outcome's rule (final, appointment, retry after its
 * delay, next number): sets final, move, phone_status and the next try. */
static int record_apply(struct recording *r, struct cati_error *err)
{
    const struct schedule_outcome *o = r->o;
    switch (o->rule) {
    case SCHED_FINAL:
        r->final = r->code;
        break;
    case SCHED_APPOINTMENT:
        cati_strlcpy(r->interim, disposition_better(r->c.interim, r->code), sizeof r->interim);
        r->n.appointment_at = r->call->at;
        r->n.appointment_with = (r->call->flags & SCHEDULE_SOFT_APPOINTMENT) || !r->who ? 0 : r->who->id;
        r->n.next_call_at = r->call->at;
        r->res->appointment_at = r->call->at;
        break;
    case SCHED_RETRY:
        cati_strlcpy(r->interim, disposition_better(r->c.interim, r->code), sizeof r->interim);
        if (retry_rule(r, err) < 0)
            return -1;
        if (r->final)
            break;
        if (r->res->attempt >= r->cfg->max_attempts)
            return end_at_limit(r, err);
        if (r->phone_attempts + 1 >= r->cfg->max_attempts_per_number) {
            r->phone_status = "limit";
            r->move = 1;
        } else if (retry_time(r->db, r->cfg, r->case_id, r->tz, o, r->now, &r->n.next_call_at, err) < 0) {
            return -1;
        }
        break;
    case SCHED_NEXT_NUMBER:
        r->phone_status = o->keyword;
        r->move = 1;
        break;
    }
    return 0;
}

/* Step 3: mark the number called; when the rule moves on, go to the
 * case's next number, or end the case when none is left or at the limit. */
static int record_move(struct recording *r, struct cati_error *err)
{
    if (update_phone(r->db, r->case_id, r->c.phone_pos, r->phone_status, err) < 0)
        return -1;
    if (!r->move)
        return 0;
    struct schedule_result *res = r->res;
    int pos = next_phone(r->db, r->case_id, r->c.phone_pos, res->new_number, sizeof res->new_number, err);
    if (pos < 0)
        return -1;
    if (pos == 0) {
        int numbers = r->o->rule == SCHED_NEXT_NUMBER;
        if (final_code(r->db, r->case_id, numbers ? DISP_END_NUMBERS_GONE : DISP_END_LIMIT, r->final_buf,
                       err) < 0)
            return -1;
        r->final = r->final_buf;
        res->limit = !numbers;
        res->no_numbers = 1;
        return 0;
    }
    if (res->attempt >= r->cfg->max_attempts)
        return end_at_limit(r, err);
    res->moved_number = 1;
    res->new_phone_pos = r->n.phone_pos = pos;
    time_t t = schedule_next_open(r->cfg, r->tz, r->now, -1);
    r->n.next_call_at = t ? t : r->now;
    return 0;
}

/* Step 4: finalise: the case's final state or its lease, the interview
 * closed, the holder told who took the case, the audit line, and the
 * case written. */
static int record_finalise(struct recording *r, struct cati_error *err)
{
    sqlite3 *db = r->db;
    struct case_next *n = &r->n;
    struct schedule_result *res = r->res;
    const struct cati_interviewer *who = r->who;
    if (r->final) {
        n->state = "final";
        n->disposition = r->final;
        cati_strlcpy(r->interim, r->final, sizeof r->interim);
        n->next_call_at = r->now;
        n->appointment_at = 0;
        n->appointment_with = 0;
        n->needs_skill = "";
        res->final = 1;
        cati_strlcpy(res->disposition, r->final, sizeof res->disposition);
    } else if ((r->call->flags & SCHEDULE_KEEP_LEASE) && who) {
        n->claimed_by = who->id;
        n->claimed_at = r->c.claimed_at ? r->c.claimed_at : r->now;
        n->lease_until = r->now + (time_t)r->cfg->lease_minutes * 60;
    }
    res->next_call_at = n->next_call_at;
    /* the case ends with its interview still open (also 1.1 by a
     * supervisor's note): a break-off, never left open on a final case */
    if (r->final && r->iv_open && !*r->close_as)
        r->close_as = "breakoff";
    if (*r->close_as && close_interview(db, r->iv_id, r->close_as, r->now, err) < 0)
        return -1;
    if (r->supervisor && r->c.claimed_by && (!who || r->c.claimed_by != who->id)) {
        /* the holder's console learns who took the case from them */
        sqlite3_stmt *st;
        if (db_prepare(db, "UPDATE cases SET released_by = ?2, released_at = ?3 WHERE id = ?1", &st, err) < 0)
            return -1;
        sqlite3_bind_int64(st, 1, r->case_id);
        sqlite3_bind_int64(st, 2, who->id);
        sqlite3_bind_int64(st, 3, (long long)r->now);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return db_error(db, err, "case");
    }
    if (r->supervisor) {
        char detail[2200];
        snprintf(detail, sizeof detail, "%lld %s%s%s", r->case_id, r->o->keyword, r->note[0] ? ": " : "",
                 r->note);
        if (db_audit(db, who->login, "case outcome", detail, err) < 0)
            return -1;
    }
    return update_case(db, r->case_id, n, r->now, err);
}

/* Record a call: load → apply the outcome's rule → move to the next
 * number → finalise. Inside the caller's transaction. */
static int record(struct recording *r, struct cati_error *err)
{
    if (record_load(r, err) < 0 || record_apply(r, err) < 0 || record_move(r, err) < 0)
        return -1;
    return record_finalise(r, err);
}

int schedule_record(sqlite3 *db, const struct cati_config *cfg, long long case_id,
                    const struct cati_interviewer *who, const struct schedule_call *call,
                    struct schedule_result *res, struct cati_error *err)
{
    memset(res, 0, sizeof *res);
    if (call->note && (strlen(call->note) > SCHEDULE_NOTE_MAX || !cati_utf8_valid(call->note, strlen(call->note))))
        return cati_error_set(err, "a note is UTF-8 text of at most %d bytes", SCHEDULE_NOTE_MAX);
    const struct schedule_outcome *o = schedule_outcome_find(call->outcome);
    if (!o)
        return cati_error_set(err, "unknown outcome '%s'", call->outcome ? call->outcome : "");
    if (o->rule == SCHED_APPOINTMENT && call->at <= cati_now())
        return cati_error_set(err, "an appointment needs a time in the future (--at WHEN)");
    if (db_begin_immediate(db, err) < 0)
        return -1;
    struct recording r = {.db = db, .cfg = cfg, .case_id = case_id, .who = who, .call = call, .o = o,
                          .res = res};
    if (record(&r, err) < 0) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db, err);
}
