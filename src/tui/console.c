/* The interviewer console: start-up, the loop between screens, and the
 * calls into the core (queue, schedule, interview) that the screens share. */
#include "console.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cati/case.h"
#include "cati/dashboard.h"
#include "cati/interview.h"
#include "cati/queue.h"
#include "cati/schedule.h"
#include "cati/script.h"
#include "cati/util.h"

#define RENEW_SECONDS 60
#define CHECK_SECONDS 2 /* a lost case shows within this long */

static time_t mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

void console_message(struct console *c, enum crt_style style, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    va_end(ap);
    c->msg_style = style;
}

const char *console_tz(struct console *c)
{
    return schedule_zone(c->ses.cfg, c->have_case ? c->kase.timezone : "");
}

const char *console_time(struct console *c, time_t t, char *buf, size_t size)
{
    return cati_format_time(t, console_tz(c), buf, size);
}

const char *console_when(struct console *c, time_t t, char *buf, size_t size)
{
    return schedule_when_text(c->ses.cfg, console_tz(c), t, cati_now(), buf, size);
}

void console_title(struct console *c, const char *left, const char *right)
{
    int cols = crt_cols();
    crt_bar(0, CRT_TITLE);
    char clock[32], r[256];
    cati_format_time(cati_now(), c->ses.cfg->timezone, clock, sizeof clock);
    snprintf(r, sizeof r, "%s%s%s  %s ", right ? right : "", right ? " · " : "", c->ses.me->login,
             clock + 11);
    int rw = crt_width(r), avail = cols - rw - 3;
    if (crt_put(0, 1, avail, CRT_TITLE, left) == avail && crt_width(left) > avail)
        crt_put(0, avail, 1, CRT_TITLE, "…"); /* cut short */
    crt_put(0, cols - rw, rw, CRT_TITLE, r);
}

void console_draw_message(struct console *c, int y, int cols)
{
    if (!c->msg[0])
        return;
    /* never cut: the message takes as many lines as it needs, growing up
     * from row y over what is drawn there (at most up to row 2) */
    int w = cols - 4, n = crt_wrap(0, 0, w, 0, c->msg_style, c->msg);
    if (n < 1)
        n = 1;
    if (n > y - 1)
        n = y - 1;
    int top = y - n + 1;
    for (int r = top; r <= y; r++) {
        crt_fill(r, 0, cols, CRT_NORMAL);
        if (c->msg_style == CRT_ERROR)
            crt_fill(r, 1, cols - 2, CRT_ERROR);
    }
    crt_wrap(top, 2, w, n, c->msg_style, c->msg);
}

void console_touch(struct console *c)
{
    c->last_key = mono_now();
    console_heartbeat(c);
}

/* Tell the monitor this console is open (interviewers.last_seen_at), at
 * most once a minute: the monitor counts the interviewer as logged in. */
static void console_seen(struct console *c)
{
    static time_t seen_at;
    time_t now = mono_now();
    if (seen_at && now - seen_at < 60)
        return;
    seen_at = now;
    dashboard_seen(c->ses.db, c->ses.me->id, cati_now(), NULL);
}

int console_fail(struct console *c, const char *what, const struct cati_error *err, int on_answer)
{
    if (err->kind == CATI_ERR_LOST && c->have_case) {
        if (!c->lost) {
            c->lost = 1;
            cati_strlcpy(c->lost_why, err->msg, sizeof c->lost_why);
            c->lost_on_answer = on_answer;
        }
        c->step = STEP_LOST;
        return 1;
    }
    console_message(c, CRT_ERROR, "%s: %s", what, err->msg);
    return 0;
}

enum crt_result console_unless_lost(struct console *c, enum crt_result r)
{
    if (!c->lost)
        return r;
    c->step = STEP_LOST;
    return CRT_LEAVE;
}

void console_heartbeat(struct console *c)
{
    console_seen(c);
    if (!c->have_case || c->lost)
        return;
    time_t now = mono_now();
    struct cati_error err;
    /* an unattended console stops renewing, so the case goes back to the queue */
    int active = now - c->last_key <= (time_t)c->ses.cfg->lease_minutes * 60;
    /* renew well before the lease ends, even a one-minute lease */
    time_t every = (time_t)c->ses.cfg->lease_minutes * 60 / 3;
    if (every > RENEW_SECONDS)
        every = RENEW_SECONDS;
    if (active && now - c->renewed_at >= every) {
        c->renewed_at = c->checked_at = now;
        if (case_renew(c->ses.db, c->ses.cfg, c->kase.id, c->ses.me, &err) < 0)
            console_fail(c, "lease", &err, 0);
        return;
    }
    if (now - c->checked_at < CHECK_SECONDS)
        return;
    c->checked_at = now;
    /* read only: is the case still ours? (a supervisor may have released it) */
    if (case_hold_check(c->ses.db, c->ses.cfg, c->kase.id, c->ses.me, &err) < 0)
        console_fail(c, "case", &err, 0);
}

int console_reload_case(struct console *c)
{
    struct cati_error err;
    long long id = c->kase.id;
    if (shift_case_load(c->ses.db, id, &c->kase, &err) < 0) {
        console_message(c, CRT_ERROR, "%s", err.msg);
        c->kase.id = id;
        return -1;
    }
    return 0;
}

void console_drop_case(struct console *c)
{
    interview_free(c->iv);
    c->iv = NULL;
    c->have_case = 0;
    c->lost = 0;
    c->lost_why[0] = '\0';
    c->note[0] = '\0';
    memset(&c->kase, 0, sizeof c->kase);
}

static int take_case(struct console *c, long long case_id)
{
    console_drop_case(c);
    c->kase.id = case_id;
    if (console_reload_case(c) < 0)
        return -1;
    c->have_case = 1;
    c->renewed_at = c->checked_at = mono_now();
    c->last_key = mono_now();
    c->call_started = cati_now();
    struct cati_error err;
    case_note(c->ses.db, case_id, c->note, sizeof c->note, &err); /* typed before a restart */
    return 1;
}

int console_claim_next(struct console *c)
{
    struct queue_claim q;
    struct cati_error err;
    int rc = queue_claim_next(c->ses.db, c->ses.cfg, c->ses.me, 0, &q, &err);
    if (rc < 0) {
        console_message(c, CRT_ERROR, "next case: %s", err.msg);
        return -1;
    }
    if (rc == 0) {
        cati_strlcpy(c->reason, q.reason, sizeof c->reason);
        return 0;
    }
    c->reason[0] = '\0';
    if (take_case(c, q.case_id) < 0)
        return -1;
    if (q.resumed)
        console_message(c, CRT_WARN, "This case is still yours from before: %s.",
                        c->kase.open_interview ? "Enter resumes the interview"
                                               : "record the outcome of the call");
    return 1;
}

void console_refresh_idle(struct console *c)
{
    console_seen(c);
    struct cati_error err;
    struct shift_counts n;
    if (shift_counts(c->ses.db, c->ses.cfg, c->ses.me->id, cati_now(), &n, &err) == 0) {
        c->calls_today = n.calls;
        c->completes_today = n.completes;
        c->appointments_today = n.appointments;
        memcpy(c->appts, n.appts, sizeof c->appts);
        c->nappts = n.nappts;
    }
    shift_surveys(c->ses.db, c->surveys, sizeof c->surveys, &err);
}

int console_save_note(struct console *c, const char *text)
{
    struct cati_error err;
    if (case_set_note(c->ses.db, c->ses.cfg, c->kase.id, c->ses.me, text, &err) < 0) {
        console_fail(c, "note not saved", &err, 0);
        return -1;
    }
    cati_strlcpy(c->note, text, sizeof c->note);
    return 0;
}

int console_release(struct console *c)
{
    struct cati_error err;
    if (case_release(c->ses.db, c->ses.cfg, c->kase.id, c->ses.me, NULL, &err) < 0) {
        console_fail(c, "release", &err, 0);
        return -1;
    }
    console_message(c, CRT_OK, "Case %s went back to the queue, no call recorded.", c->kase.ref);
    console_drop_case(c);
    return 0;
}

int console_record(struct console *c, const char *outcome, time_t at, int with_me)
{
    const struct schedule_outcome *o = schedule_outcome_find(outcome);
    /* the note was committed when typed (case_set_note): the core adds it */
    struct schedule_call call = {.outcome = outcome, .at = at, .iv = c->iv};
    if (o && o->rule == SCHED_APPOINTMENT && !with_me)
        call.flags |= SCHEDULE_SOFT_APPOINTMENT;
    if (o && o->rule == SCHED_NEXT_NUMBER)
        call.flags |= SCHEDULE_KEEP_LEASE; /* dial the next number straight away */
    struct schedule_result res;
    struct cati_error err;
    if (schedule_record(c->ses.db, c->ses.cfg, c->kase.id, c->ses.me, &call, &res, &err) < 0) {
        console_fail(c, outcome, &err, 0);
        return -1;
    }
    char when[96];
    if (res.moved_number && !res.final) {
        c->note[0] = '\0';
        console_reload_case(c);
        c->call_started = cati_now();
        console_message(c, CRT_WARN, "Recorded %s (%s). Dial number %d: %s", outcome, res.aapor,
                        res.new_phone_pos, res.new_number);
        return 1;
    }
    if (res.final)
        console_message(c, CRT_OK, "Case %s: %s recorded (%s), case closed.", c->kase.ref, outcome,
                        res.disposition);
    else if (res.appointment_at)
        console_message(c, CRT_OK, "Case %s: appointment %s%s.", c->kase.ref,
                        console_time(c, res.appointment_at, when, sizeof when),
                        with_me ? " with you" : "");
    else
        console_message(c, CRT_OK, "Case %s: %s recorded (%s), next try %s.", c->kase.ref,
                        outcome, res.aapor, console_when(c, res.next_call_at, when, sizeof when));
    if ((call.flags & SCHEDULE_KEEP_LEASE) && !res.final) /* kept but not moved on: let it go */
        case_release(c->ses.db, c->ses.cfg, c->kase.id, c->ses.me, NULL, &err);
    console_drop_case(c);
    return 0;
}

/* --- keys --------------------------------------------------------------- */

int console_is_enter(struct crt_key k)
{
    return k.is_key ? k.ch == KEY_ENTER : (k.ch == '\r' || k.ch == '\n');
}

int console_is_esc(struct crt_key k)
{
    return !k.is_key && k.ch == 27;
}

int console_is_fkey(struct crt_key k, int n)
{
    return k.is_key && k.ch == (wint_t)KEY_F(n);
}

int console_esc_prefix(int *esc, struct crt_key *k)
{
    if (k->is_key && k->ch == CRT_KEY_TIMEOUT) { /* nothing followed the Esc: cancelled */
        *esc = 0;
        return 1;
    }
    if (*esc) {
        *esc = 0;
        if (!k->is_key && k->ch >= '0' && k->ch <= '9')
            *k = (struct crt_key){1, (wint_t)KEY_F(k->ch == '0' ? 10 : (int)(k->ch - '0'))};
        else if (console_is_esc(*k))
            return 1; /* Esc Esc: cancelled */
        return 0;
    }
    if (console_is_esc(*k)) {
        *esc = 1;
        crt_key_timeout(CON_ESC_MS);
        return 1;
    }
    return 0;
}

void console_esc_keybar(void)
{
    static const char *const k[] = {"Esc-", "a digit now: 1…9, 0 = F1…F10 (Esc cancels)", NULL};
    crt_keybar(k);
}

/* --- popups ------------------------------------------------------------- */

int console_run_popup(struct console *c, const struct crt_screen_ops *ops, void *ctx)
{
    (void)c;
    int rc = crt_run(ops, ctx);
    return rc != 0 || crt_quit_signal() ? POP_SIGNAL : POP_OK;
}

/* --- start-up and the loop ---------------------------------------------- */

static int utf8_locale(void)
{
    const char *cs = nl_langinfo(CODESET);
    if (cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8")))
        return 1;
    return setlocale(LC_ALL, "C.UTF-8") != NULL;
}

int console_run(const struct cati_session *ses, struct cati_error *err)
{
    if (!utf8_locale())
        return cati_error_set(err, "console: needs a UTF-8 locale (try LANG=C.UTF-8)");
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return cati_error_set(err, "console: needs a terminal");

    struct console c;
    memset(&c, 0, sizeof c);
    c.ses = *ses;
    /* this console's own session: a case it holds is written only from here
     * (the same interviewer's next console takes it over) */
    struct cati_interviewer me = *ses->me;
    char id[37];
    if (cati_uuid(id) < 0)
        return cati_error_set(err, "console: cannot make a session id");
    cati_strlcpy(me.session, id, sizeof me.session);
    c.ses.me = &me;
    c.last_key = mono_now();

    long long held = 0;
    if (shift_unfinished(ses->db, ses->me->id, &held, err) < 0)
        return -1;

    if (crt_init() < 0)
        return cati_error_set(err, "console: cannot start the terminal (TERM=%s)",
                              getenv("TERM") ? getenv("TERM") : "");
    c.step = STEP_IDLE;
    if (held && console_claim_next(&c) == 1)
        c.step = STEP_CASE; /* their unfinished case first */
    while (c.step != STEP_QUIT && !crt_quit_signal()) {
        switch (c.step) {
        case STEP_IDLE: c.step = console_idle(&c); break;
        case STEP_CASE: c.step = console_case(&c); break;
        case STEP_INTERVIEW: c.step = console_interview(&c); break;
        case STEP_LOST: c.step = console_lost(&c); break;
        case STEP_QUIT: break;
        }
    }
    int sig = crt_quit_signal();
    crt_done();
    /* A signal (ssh dropped, kill): every answer is already saved and the
     * case stays leased to this interviewer, who resumes it on return. */
    interview_free(c.iv);
    script_free(c.intro_script);
    free(c.intro);
    return sig ? 1 : 0;
}
