/* The supervisor's actions from the monitor: open a case, release it,
 * change its priority, book an appointment, pause or resume a survey, mark
 * a flag. The rules live in the core (case, dashboard): each action checks
 * the supervisor's role and writes its audit row in its own transaction,
 * the same functions `cati case` calls. */
#include "monitor_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/case.h"
#include "cati/db.h"
#include "cati/util.h"

/* --- prompts -------------------------------------------------------------------- */

static void ask(struct mon *m, enum mon_act act, int step, const char *prefill, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void ask(struct mon *m, enum mon_act act, int step, const char *prefill, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->label, sizeof m->label, fmt, ap);
    va_end(ap);
    m->act = act;
    m->step = step;
    cati_strlcpy(m->input, prefill ? prefill : "", sizeof m->input);
    m->input_fresh = m->input[0] != '\0';
}

static const char *act_verb(enum mon_act a)
{
    switch (a) {
    case ACT_OPEN: return "open";
    case ACT_RELEASE: return "release";
    case ACT_PRIORITY: return "change the priority of";
    case ACT_APPOINT: return "book an appointment for";
    default: return "";
    }
}

void mon_open_case(struct mon *m, long long id)
{
    struct cati_error err;
    struct dash_case c;
    if (dashboard_case(m->db, id, cati_now(), m->me, m->with_pii, &c, &err) < 0) {
        mon_say(m, CRT_ERROR, "%s", err.msg);
        return;
    }
    dashboard_case_free(&m->cv);
    m->cv = c;
    m->cv_top = 0;
    m->viewing = 1;
    char why[200];
    if (dashboard_case_readonly(&c, why, sizeof why))
        mon_say(m, CRT_WARN, "%s", why);
    else
        mon_say(m, CRT_NORMAL, "case %s (%lld)", c.ref, id);
}

/* A final case is read-only: release, priority and appointment refuse, saying why. */
static int refuse_final(struct mon *m, long long id)
{
    struct cati_error err;
    struct dash_case c;
    if (dashboard_case(m->db, id, cati_now(), m->me, m->with_pii, &c, &err) < 0) {
        mon_say(m, CRT_ERROR, "%s", err.msg);
        return 1;
    }
    char why[200];
    int ro = dashboard_case_readonly(&c, why, sizeof why) != NULL;
    if (ro)
        mon_say(m, CRT_ERROR, "%s", why);
    dashboard_case_free(&c);
    return ro;
}

/* Second step (or at once when the case is known). */
static void act_on_case(struct mon *m, enum mon_act act, long long id)
{
    struct cati_error err;
    m->arg_id = id;
    if (act != ACT_OPEN && refuse_final(m, id)) {
        m->act = ACT_NONE;
        return;
    }
    switch (act) {
    case ACT_OPEN:
        m->act = ACT_NONE;
        mon_open_case(m, id);
        return;
    case ACT_RELEASE: {
        m->act = ACT_NONE;
        int was = 0;
        if (case_release(m->db, m->cfg, id, m->me, &was, &err) < 0) {
            mon_say(m, CRT_ERROR, "%s", err.msg);
            return;
        }
        mon_say(m, CRT_OK, "case %lld released%s", id, was ? "" : " (it was not in use)");
        break;
    }
    case ACT_PRIORITY: {
        struct dash_case c;
        if (dashboard_case(m->db, id, cati_now(), m->me, m->with_pii, &c, &err) < 0) {
            m->act = ACT_NONE;
            mon_say(m, CRT_ERROR, "%s", err.msg);
            return;
        }
        char now[16];
        snprintf(now, sizeof now, "%d", c.priority);
        dashboard_case_free(&c);
        ask(m, ACT_PRIORITY, 1, now, "priority of case %lld (higher first; negative: last, still called):", id);
        return;
    }
    case ACT_APPOINT:
        ask(m, ACT_APPOINT, 1, NULL, "appointment for case %lld (YYYY-MM-DD HH:MM or +minutes):", id);
        return;
    default:
        m->act = ACT_NONE;
        return;
    }
    mon_refresh(m);
}

static void pause_survey(struct mon *m, const char *name)
{
    struct cati_error err;
    long long id;
    m->act = ACT_NONE;
    if (dashboard_survey_id(m->db, name, &id, &err) < 0) {
        mon_say(m, CRT_ERROR, "%s", err.msg);
        return;
    }
    long long paused = 0;
    if (db_int(m->db, "SELECT paused FROM surveys WHERE id = ?", NULL, id, 0, &paused, &err) < 0 ||
        dashboard_survey_pause(m->db, id, !paused, m->me, &err) < 0) {
        mon_say(m, CRT_ERROR, "%s", err.msg);
        return;
    }
    mon_say(m, paused ? CRT_OK : CRT_WARN, "survey %s %s", name,
            paused ? "resumed: its cases are offered again" : "paused: no case of it is offered");
    mon_refresh(m);
}

void mon_act_start(struct mon *m, enum mon_act act)
{
    if (act == ACT_PAUSE) {
        const char *name = m->survey_id ? m->survey_name : "";
        if (m->panel == PANEL_QUEUE && m->sel[PANEL_QUEUE] < m->d.nqueues)
            name = m->d.queues[m->sel[PANEL_QUEUE]].survey;
        if (!name[0] && m->d.nqueues == 1)
            name = m->d.queues[0].survey;
        ask(m, ACT_PAUSE, 0, name, "pause or resume survey:");
        return;
    }
    long long id = mon_selected_case(m);
    if (m->viewing && id) { /* on the case view the case is known */
        act_on_case(m, act, id);
        return;
    }
    char pre[32] = "";
    if (id)
        snprintf(pre, sizeof pre, "%lld", id);
    ask(m, act, 0, pre, "%s which case? ref or case ID:", act_verb(act));
}

void mon_act_submit(struct mon *m)
{
    struct cati_error err;
    char *s = m->input;
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == ' ')
        s[--n] = '\0';
    if (m->act == ACT_PAUSE) {
        pause_survey(m, s);
        return;
    }
    if (m->step == 0) {
        long long v;
        if (dashboard_case_lookup(m->db, s, m->survey_id, &v, &err) < 0) {
            mon_say(m, CRT_ERROR, "%s", err.msg);
            m->act = ACT_NONE;
            return;
        }
        act_on_case(m, m->act, v);
        return;
    }
    enum mon_act act = m->act;
    long long id = m->arg_id;
    m->act = ACT_NONE;
    if (act == ACT_PRIORITY) {
        long p;
        if (case_priority_parse(s, &p) < 0) {
            mon_say(m, CRT_ERROR, "not a priority: '%s' (a whole number)", s);
            return;
        }
        if (case_set_priority(m->db, id, (int)p, m->me, &err) < 0) {
            mon_say(m, CRT_ERROR, "%s", err.msg);
            return;
        }
        mon_say(m, CRT_OK, "case %lld: priority %ld%s", id, p,
                p < 0 ? " (after every higher one, still called)" : "");
    } else if (act == ACT_APPOINT) {
        time_t at;
        if (cati_parse_when(s, m->cfg->timezone, &at) < 0) {
            mon_say(m, CRT_ERROR, "not a time: '%s' (YYYY-MM-DD HH:MM or +minutes)", s);
            return;
        }
        if (case_appoint(m->db, m->cfg, id, at, 0, m->me, &err) < 0) { /* for anyone */
            mon_say(m, CRT_ERROR, "%s", err.msg);
            return;
        }
        char t[32];
        cati_format_time(at, m->cfg->timezone, t, sizeof t);
        mon_say(m, CRT_OK, "case %lld: appointment %s for anyone", id, t);
    }
    mon_refresh(m);
}

void mon_flag_mark(struct mon *m, const char *status)
{
    int s = m->sel[PANEL_FLAGS];
    if (s >= m->d.nflags) {
        mon_say(m, CRT_ERROR, "no flag selected");
        return;
    }
    struct cati_error err;
    long long id = m->d.flags[s].id;
    if (dashboard_flag_mark(m->db, id, status, m->me, &err) < 0) {
        mon_say(m, CRT_ERROR, "%s", err.msg);
        return;
    }
    mon_say(m, CRT_OK, "flag on %s/%s marked %s", m->d.flags[s].survey, m->d.flags[s].ref, status);
    mon_refresh(m);
}
