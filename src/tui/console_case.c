/* The case screen: who to call and on which number, the call history, the
 * appointment, the intro line to read; the interviewer dials and records
 * what happened, or starts (resumes) the interview when someone answers. */
#include "console.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/interview.h"
#include "cati/schedule.h"
#include "cati/script.h"
#include "cati/util.h"

#define CASE_TICK_MS 2000 /* heartbeat: a lost case shows within seconds */

struct case_screen {
    struct console *c;
    int esc;          /* Esc pressed: the next digit is a function key */
    int sel;          /* the call selected in the history (Up/Down), -1 = none */
    int top, vis;     /* first call row shown, and how many fit (set by draw) */
};

static int set_field(const char *name, const char *value, void *ctx)
{
    return interview_set_field(ctx, name, value) < 0;
}

/* The first question on the route, with the respondent's fills, in the
 * language to read (the case's, or the one its interview was switched to):
 * what the interviewer reads when someone answers. */
static void make_intro(struct console *c)
{
    free(c->intro);
    c->intro = NULL;
    c->intro_draft = 0;
    struct cati_error err;
    if (!c->intro_script || c->intro_survey != c->kase.survey_id) {
        script_free(c->intro_script);
        c->intro_script = NULL;
        if (script_load_latest(c->ses.db, NULL, c->kase.survey_id, &c->intro_script, NULL, &err) < 0)
            return;
        c->intro_survey = c->kase.survey_id;
    }
    /* the language the core says to read in (the interview's, once switched) */
    const char *lang = script_find_language(c->intro_script, c->kase.read_language) >= 0
                           ? c->kase.read_language : NULL;
    struct cati_interview *iv = interview_new(c->intro_script, lang, &err);
    if (!iv)
        return;
    const struct shift_case *k = &c->kase;
    interview_set_field(iv, "ref", k->ref);
    interview_set_field(iv, "name", k->name);
    interview_set_field(iv, "service", k->service);
    interview_set_field(iv, "agency", k->agency);
    interview_set_field(iv, "district", k->district);
    interview_set_field(iv, "availed_on", k->availed_on);
    interview_set_field(iv, "language", k->language);
    shift_case_fields(c->ses.db, k->id, set_field, iv, &err);
    const struct cati_question *q = interview_current(iv);
    if (q) {
        c->intro = interview_question_text(iv, q, NULL);
        c->intro_draft = script_text_draft(c->intro_script, q, lang ? script_find_language(c->intro_script, lang) : 0);
    }
    interview_free(iv);
}

static void pair(int y, int x, int w, const char *label, const char *value)
{
    crt_put(y, x, 12, CRT_DIM, label);
    crt_put(y, x + 12, w - 12, CRT_NORMAL, value && *value ? value : "-");
}

/* The selected call of the history in a box above the message line: when,
 * who, what, and its whole note, wrapped over as many lines as it needs (the
 * box grows upwards over the screen). */
static void draw_call(struct case_screen *s, int rows, int cols)
{
    struct console *c = s->c;
    const struct shift_call *cl = &c->kase.calls[s->sel];
    char head[256], when[32];
    snprintf(head, sizeof head, "%s · %s · %s %s", console_time(c, cl->at, when, sizeof when),
             cl->who[0] ? cl->who : "-", cl->outcome, cl->aapor);
    const char *note = cl->note[0] ? cl->note : "(no note)";
    int w = cols - 4, inner = w - 4;
    int n = crt_wrap(0, 0, inner, 0, CRT_NORMAL, note);
    int h = n + 3, bottom = rows - 4; /* the box's last row */
    if (h > bottom - 1)
        h = bottom - 1;
    int y = bottom - h + 1;
    char title[64];
    snprintf(title, sizeof title, "Call %d of %d", c->kase.total_calls - s->sel, c->kase.total_calls);
    crt_box(y, 2, h, w, CRT_NORMAL, title);
    crt_put(y + 1, 4, inner, CRT_HILITE, head);
    crt_wrap(y + 2, 4, inner, h - 3, CRT_NORMAL, note);
}

static void case_draw(void *ctx, int rows, int cols)
{
    struct case_screen *s = ctx;
    struct console *c = s->c;
    const struct shift_case *k = &c->kase;
    char buf[512], when[32];

    snprintf(buf, sizeof buf, "Case %s · %s", k->ref, k->survey_title[0] ? k->survey_title : k->survey);
    char right[64];
    snprintf(right, sizeof right, "attempt %d", k->attempts + 1);
    console_title(c, buf, right);
    snprintf(right, sizeof right, "attempt %d", k->attempts); /* right + 8: the number so far */

    int rx = cols - 28, y = 2; /* a right column of 26 */
    crt_put(y, 2, 12, CRT_DIM, "Respondent");
    crt_put(y, 14, rx - 16, CRT_HILITE, k->name);
    pair(y++, rx, 26, "Language", k->language);
    /* the service as read aloud: the script's label for the code (core) */
    int li = c->intro_script ? script_find_language(c->intro_script, k->read_language) : -1;
    pair(y, 2, rx - 4, "Service", script_field_display(c->intro_script, "service", k->service, li < 0 ? 0 : li));
    pair(y++, rx, 26, "Availed on", k->availed_on);
    pair(y, 2, rx - 4, "District", k->district);
    pair(y++, rx, 26, "Attempts", right + 8);
    pair(y++, 2, cols - 4, "Agency", k->agency);
    y++;
    for (int i = 0; i < k->nphones && y < rows - 10; i++) {
        const struct shift_phone *p = &k->phones[i];
        int dial = p->position == k->phone_pos;
        crt_put(y, 2, 12, CRT_DIM, i == 0 ? "Phone" : "");
        snprintf(buf, sizeof buf, "%s %d  %s", dial ? ">" : " ", p->position, p->number);
        int w = crt_put(y, 14, cols - 16, dial ? CRT_HILITE : CRT_NORMAL, buf);
        if (dial)
            crt_put(y, 14 + w, cols - 16 - w, CRT_OK, "  dial this number");
        else if (strcmp(p->status, "ok"))
            crt_put(y, 14 + w + 2, cols - 18 - w, CRT_DIM, p->status);
        y++;
    }
    if (k->appointment_at) {
        int missed = schedule_appointment_missed(c->ses.cfg, k->appointment_at, k->appointment_missed, cati_now());
        snprintf(buf, sizeof buf, "%s%s%s%s", console_time(c, k->appointment_at, when, sizeof when),
                 k->appointment_with[0] ? " with " : "", k->appointment_with,
                 missed ? "  (missed)" : "");
        crt_put(y, 2, 12, CRT_DIM, "Appointment");
        crt_put(y++, 14, cols - 16, missed ? CRT_WARN : CRT_OK, buf);
    }
    if (k->open_interview) {
        if (k->open_question[0])
            snprintf(buf, sizeof buf, "Unfinished interview: %d answered, stopped at '%s'. Enter resumes it.",
                     k->open_answered, k->open_question);
        else /* it reached its end; the call that closes it was not recorded */
            snprintf(buf, sizeof buf, "Interview ended (%d answered), outcome not recorded yet: Enter shows it.",
                     k->open_answered);
        y += crt_wrap(y, 2, cols - 4, 2, CRT_WARN, buf);
    }
    y++;
    int intro_rows = c->intro ? 3 : 0;
    int last = rows - 5 - (intro_rows ? intro_rows + 1 : 0); /* rows for the history */
    snprintf(buf, sizeof buf, "Calls (%d)", k->total_calls);
    crt_put(y++, 2, cols - 4, CRT_DIM, k->total_calls ? buf : "No calls yet");
    /* the history: Up/Down select a call, whose whole note shows below */
    s->vis = last - y + 1 > 1 ? last - y + 1 : 1;
    if (s->sel >= k->ncalls)
        s->sel = k->ncalls - 1;
    if (s->sel >= 0 && s->sel < s->top)
        s->top = s->sel;
    if (s->sel >= s->top + s->vis)
        s->top = s->sel - s->vis + 1;
    if (s->sel < 0)
        s->top = 0;
    if (s->top > 0)
        crt_put(y - 1, cols - 12, 10, CRT_DIM, "more ↑");
    for (int i = s->top; i < k->ncalls && y <= last; i++, y++) {
        const struct shift_call *cl = &k->calls[i];
        int hl = i == s->sel;
        snprintf(buf, sizeof buf, "%s %s  %-10.10s %-17.17s %-6s %s", hl ? ">" : " ",
                 console_time(c, cl->at, when, sizeof when), cl->who, cl->outcome, cl->aapor, cl->note);
        if (hl)
            crt_fill(y, 2, cols - 4, CRT_HILITE);
        crt_put(y, 2, cols - 4, hl ? CRT_HILITE : CRT_NORMAL, buf);
        if (i + 1 < k->ncalls && y == last)
            crt_put(y, cols - 12, 10, CRT_DIM, "more ↓");
    }
    if (c->intro) {
        int iy = rows - 4 - intro_rows;
        crt_put(iy, 2, 8, CRT_DIM, "Read:");
        if (c->intro_draft) /* the translation is not reviewed yet: say so */
            crt_put(iy - 1, 9, cols - 11, CRT_WARN, DRAFT_MARK);
        crt_wrap(iy, 9, cols - 11, intro_rows, CRT_NORMAL, c->intro);
    }
    if (s->sel >= 0 && s->sel < k->ncalls)
        draw_call(s, rows, cols);
    console_draw_message(c, rows - 3, cols);
    if (c->note[0]) {
        crt_put(rows - 2, 2, 6, CRT_DIM, "Note:");
        crt_put(rows - 2, 8, cols - 10, CRT_NORMAL, c->note);
    }
    static const char *const fkeys[] = {"Enter", "Answered", "F4", "Outcome", "F6", "Note",
                                        "F8", "Release", "↑↓", "Calls", "F1", "Help", NULL};
    static const char *const plain[] = {"Enter", "Answered", "o", "Outcome", "^N", "Note",
                                        "Esc 8", "Release", "↑↓", "Calls", "?", "Help", NULL};
    if (s->esc)
        console_esc_keybar();
    else
        crt_keybar(crt_has_key(KEY_F(4)) ? fkeys : plain);
}

/* Someone answered: start the interview, or resume the unfinished one. */
static int start_interview(struct console *c)
{
    struct cati_error err;
    int rc;
    if (c->kase.open_interview)
        rc = interview_load(c->ses.db, c->ses.cfg, c->ses.me, c->kase.open_interview, &c->iv, &err);
    else
        rc = interview_start(c->ses.db, c->ses.cfg, c->ses.me, c->kase.id, NULL, &c->iv, &err);
    if (rc < 0) {
        console_fail(c, "interview", &err, 0);
        return -1;
    }
    c->msg[0] = '\0';
    c->step = STEP_INTERVIEW;
    return 0;
}

static const struct crt_screen_ops case_ops;

/* The outcome menu and what follows it. CRT_LEAVE when the screen is done. */
static enum crt_result outcome(struct case_screen *s)
{
    struct console *c = s->c;
    struct con_under under = {&case_ops, s};
    const char *kw;
    enum con_pop p = console_outcome_menu(c, under, &kw);
    if (p == POP_SIGNAL)
        return CRT_LEAVE;
    if (p == POP_CANCEL)
        return CRT_HANDLED;
    if (!strcmp(kw, "answered"))
        return start_interview(c) == 0 ? CRT_LEAVE : CRT_HANDLED;
    time_t at = 0;
    int with_me = 0;
    if (!strcmp(kw, "appointment"))
        p = console_appt_pick(c, under, &at, &with_me);
    else
        p = console_confirm_outcome(c, under, kw);
    if (p == POP_SIGNAL)
        return CRT_LEAVE;
    if (p == POP_CANCEL)
        return CRT_HANDLED;
    int rc = console_record(c, kw, at, with_me);
    if (rc == 0) {
        c->step = STEP_IDLE;
        return CRT_LEAVE;
    }
    if (rc == 1)
        make_intro(c);
    return c->lost ? CRT_LEAVE : CRT_HANDLED;
}

/* --- releasing asks first: y or Enter releases, n or Esc keeps the case ---- */

struct release_box {
    struct case_screen *s;
    int yes;
};

static void release_draw(void *ctx, int rows, int cols)
{
    struct release_box *b = ctx;
    case_draw(b->s, rows, cols);
    int w = cols - 10 > 64 ? 64 : cols - 10, h = 6;
    int y = (rows - h) / 2, x = (cols - w) / 2;
    char buf[160];
    snprintf(buf, sizeof buf, "Release case %s?", b->s->c->kase.ref);
    crt_box(y, x, h, w, CRT_NORMAL, "Release");
    crt_put(y + 1, x + 2, w - 4, CRT_HILITE, buf);
    crt_put(y + 2, x + 2, w - 4, CRT_NORMAL, "It goes back to the queue; no call is recorded.");
    crt_put(y + 4, x + 2, w - 4, CRT_DIM, "y or Enter: release · n or Esc: keep the case");
    crt_cursor(-1, -1);
}

static enum crt_result release_key(void *ctx, struct crt_key k)
{
    struct release_box *b = ctx;
    struct console *c = b->s->c;
    console_touch(c);
    if (c->lost)
        return CRT_LEAVE;
    int ch = k.is_key ? -1 : (int)k.ch;
    if (console_is_enter(k) || ch == 'y' || ch == 'Y') {
        b->yes = 1;
        return CRT_LEAVE;
    }
    if (console_is_esc(k) || ch == 'n' || ch == 'N')
        return CRT_LEAVE;
    return CRT_IGNORED;
}

static enum crt_result release_tick(void *ctx)
{
    struct console *c = ((struct release_box *)ctx)->s->c;
    console_heartbeat(c);
    return c->lost ? CRT_LEAVE : CRT_HANDLED;
}

static const struct crt_screen_ops release_ops = {
    .name = "release", .draw = release_draw, .key = release_key, .tick = release_tick,
    .tick_ms = CASE_TICK_MS,
};

static enum crt_result release(struct case_screen *s)
{
    struct console *c = s->c;
    struct release_box b = {s, 0};
    if (console_run_popup(c, &release_ops, &b) == POP_SIGNAL)
        return CRT_LEAVE;
    if (c->lost)
        return CRT_LEAVE;
    if (!b.yes) {
        console_message(c, CRT_NORMAL, "Not released: case %s is still yours.", c->kase.ref);
        return CRT_HANDLED;
    }
    if (console_release(c) == 0) {
        c->step = STEP_IDLE;
        return CRT_LEAVE;
    }
    return CRT_HANDLED;
}

static enum crt_result case_key_do(void *ctx, struct crt_key k)
{
    struct case_screen *s = ctx;
    struct console *c = s->c;
    console_touch(c);
    if (c->lost) /* found out at this key: it does nothing more */
        return CRT_LEAVE;
    /* a lone Esc (nothing followed within the prefix's second) also closes
     * the selected call's note */
    if (s->esc && k.is_key && k.ch == CRT_KEY_TIMEOUT)
        s->sel = -1;
    if (console_esc_prefix(&s->esc, &k)) /* Esc then a digit: the function key of that number */
        return CRT_HANDLED;
    int ch = k.is_key ? -1 : (int)k.ch;
    if (console_is_enter(k) || ch == 'a')
        return start_interview(c) == 0 ? CRT_LEAVE : CRT_HANDLED;
    /* Up/Down move in a list, as in the interview's choices: here the call
     * history; the selected call's whole note shows; Up past the newest
     * call closes it */
    if (k.is_key && k.ch == KEY_DOWN) {
        if (s->sel + 1 < c->kase.ncalls)
            s->sel++;
        else if (!c->kase.ncalls)
            console_message(c, CRT_NORMAL, "No calls yet on this case.");
        return CRT_HANDLED;
    }
    if (k.is_key && k.ch == KEY_UP) {
        if (s->sel >= 0)
            s->sel--;
        return CRT_HANDLED;
    }
    if (console_is_fkey(k, 4) || ch == 'o')
        return outcome(s);
    /* the same key means the same everywhere: note is F6/Ctrl-N (as in the
     * interview), r/Ctrl-L refresh (as on the idle screen), release only F8 */
    if (console_is_fkey(k, 6) || ch == CON_CTRL('N')) {
        struct con_under under = {&case_ops, s};
        return console_note(c, under) == POP_SIGNAL ? CRT_LEAVE : CRT_HANDLED;
    }
    if (console_is_fkey(k, 8))
        return release(s);
    if (ch == 'r' || ch == CON_CTRL('L')) {
        if (console_reload_case(c) == 0)
            make_intro(c);
        clearok(stdscr, TRUE);
        return CRT_HANDLED;
    }
    if (console_is_fkey(k, 1) || ch == '?' || ch == CON_CTRL('G'))
        return console_help(c, "case") == POP_SIGNAL ? CRT_LEAVE : CRT_HANDLED;
    if (console_is_fkey(k, 10) || ch == 'q' || ch == CON_CTRL('X')) {
        console_message(c, CRT_WARN, "Record the outcome of this call (%s) or release the case (%s) first.",
                        crt_has_key(KEY_F(4)) ? "F4" : "o", crt_has_key(KEY_F(8)) ? "F8" : "Esc 8");
        return CRT_HANDLED;
    }
    return CRT_IGNORED;
}

/* Every key and tick: a case lost meanwhile leaves for the lost screen. */
static enum crt_result case_key(void *ctx, struct crt_key k)
{
    struct case_screen *s = ctx;
    return console_unless_lost(s->c, case_key_do(ctx, k));
}

static enum crt_result case_tick(void *ctx)
{
    struct case_screen *s = ctx;
    console_heartbeat(s->c);
    return console_unless_lost(s->c, CRT_HANDLED);
}

static const struct crt_screen_ops case_ops = {
    .name = "case", .draw = case_draw, .key = case_key, .tick = case_tick, .tick_ms = CASE_TICK_MS,
};

enum con_step console_case(struct console *c)
{
    if (!c->have_case)
        return STEP_IDLE;
    c->step = STEP_CASE;
    make_intro(c);
    struct case_screen s = {c, 0, -1, 0, 0};
    if (crt_run(&case_ops, &s) != 0 || crt_quit_signal())
        return STEP_QUIT;
    return c->lost ? STEP_LOST : c->step;
}
