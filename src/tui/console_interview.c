/* The interview screen: one question at a time, with its fills resolved,
 * its choices and an answer field of its type; every answer goes to the
 * engine, which checks it and commits it at once. The end of the interview
 * records the call outcome. */
#include "console.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/interview.h"
#include "cati/script.h"
#include "cati/util.h"

#define IV_TICK_MS 2000 /* heartbeat: a lost case shows within seconds */

enum { KIND_VALUE, KIND_DK, KIND_RF };

struct ivs {
    struct console *c;
    const struct cati_question *q; /* NULL: the interview has ended */
    char *text;                    /* the question text, fills resolved */
    struct con_field field;
    int nitems;                    /* rows of the list: choices, or scale values */
    int hl, top;                   /* highlighted row, first row shown */
    unsigned char *tick;           /* multi: ticked rows */
    int pending, pending_kind;     /* a warning waits for confirmation */
    char *pending_input;
    int esc;                       /* Esc pressed: a digit next is a function key */
    int text_rows;                 /* field rows of a text question, as drawn */
    int field_width;
};

/* --- the question's rows: choices, or the values of a short scale -------- */

static long item_code(const struct ivs *s, int i)
{
    return s->q->type == QTYPE_SCALE ? s->q->lo + i : s->q->choices[i].code;
}

static int item_of_code(const struct ivs *s, long code)
{
    for (int i = 0; i < s->nitems; i++)
        if (item_code(s, i) == code)
            return i;
    return -1;
}

static void load_question(struct ivs *s)
{
    struct console *c = s->c;
    free(s->text);
    s->text = NULL;
    free(s->tick);
    s->tick = NULL;
    free(s->pending_input);
    s->pending_input = NULL;
    s->pending = 0;
    s->hl = -1; /* no row chosen yet */
    s->top = 0;
    s->nitems = 0;
    s->q = interview_current(c->iv);
    if (!s->q)
        return;
    const struct cati_question *q = s->q;
    s->text = interview_question_text(c->iv, q, NULL);
    switch (q->type) {
    case QTYPE_SINGLE: field_init(&s->field, FIELD_INT, 12); s->nitems = q->nchoices; break;
    case QTYPE_MULTI: field_init(&s->field, FIELD_CODES, 60); s->nitems = q->nchoices; break;
    case QTYPE_SCALE:
        field_init(&s->field, FIELD_INT, 12);
        s->nitems = q->hi - q->lo < 20 ? (int)(q->hi - q->lo + 1) : 0;
        break;
    case QTYPE_NUMBER: field_init(&s->field, FIELD_INT, 20); break;
    case QTYPE_DATE: field_init(&s->field, FIELD_DATE, 10); break;
    case QTYPE_TEXT:
        field_init(&s->field, FIELD_ANY, q->maxlen > 0 ? q->maxlen : CATI_TEXT_DEFAULT);
        break;
    }
    if (q->type == QTYPE_MULTI)
        s->tick = calloc((size_t)(s->nitems > 0 ? s->nitems : 1), 1);
    /* an answer given before (back-navigation, resume) is shown to change or keep */
    struct iv_answer a = interview_get(c->iv, q->index);
    if (a.status == ANS_VALUE && a.value) {
        if (q->type == QTYPE_MULTI) {
            const char *p = a.value;
            while (*p) {
                char *end;
                long code = strtol(p, &end, 10);
                if (end == p)
                    break;
                int i = item_of_code(s, code);
                if (i >= 0 && s->tick)
                    s->tick[i] = 1;
                p = *end == ',' ? end + 1 : end;
            }
        } else {
            field_prefill(&s->field, a.value); /* typing replaces it; editing keys edit it */
        }
        if (q->type == QTYPE_SINGLE || q->type == QTYPE_SCALE) {
            s->hl = item_of_code(s, atol(a.value));
        }
    }
}

/* --- drawing --------------------------------------------------------------- */

static void describe(const struct cati_question *q, char *buf, size_t size)
{
    switch (q->type) {
    case QTYPE_SINGLE: snprintf(buf, size, "one choice"); break;
    case QTYPE_MULTI: snprintf(buf, size, "any number of choices"); break;
    case QTYPE_SCALE: snprintf(buf, size, "scale %ld–%ld", q->lo, q->hi); break;
    case QTYPE_NUMBER: snprintf(buf, size, "number %ld–%ld", q->lo, q->hi); break;
    case QTYPE_DATE: snprintf(buf, size, "date YYYY-MM-DD"); break;
    case QTYPE_TEXT:
        snprintf(buf, size, "text, up to %d characters", q->maxlen > 0 ? q->maxlen : CATI_TEXT_DEFAULT);
        break;
    }
}

static void draw_keys(const struct ivs *s)
{
    const char *k[24];
    int n = 0, f = crt_has_key(KEY_F(2));
    k[n++] = "Enter";
    k[n++] = s->q ? "Accept" : "Record & finish";
    k[n++] = crt_has_key(KEY_PPAGE) ? "PgUp" : "^P";
    k[n++] = "Back";
    if (s->q && !s->q->nodk) {
        k[n++] = f ? "F2" : "^D";
        k[n++] = "DK";
    }
    if (s->q && !s->q->norf) {
        k[n++] = f ? "F3" : "^R";
        k[n++] = "RF";
    }
    if (s->q) {
        k[n++] = f ? "F5" : "^T";
        k[n++] = "Lang";
    }
    k[n++] = f ? "F6" : "^N";
    k[n++] = "Note";
    if (s->q) {
        k[n++] = f ? "F10" : "^X";
        k[n++] = "Stop";
    }
    k[n++] = f ? "F1" : "^G";
    k[n++] = "Help";
    k[n] = NULL;
    if (s->esc)
        console_esc_keybar();
    else
        crt_keybar(k);
}

static void draw_end(struct ivs *s, int rows, int cols)
{
    struct console *c = s->c;
    enum cati_end e = interview_outcome(c->iv);
    char buf[256];
    int y = 3;
    snprintf(buf, sizeof buf, "The interview has ended: %s.", script_end_name(e));
    crt_put(y++, 2, cols - 4, CRT_OK, buf);
    y++;
    const char *what = e == END_COMPLETE ? "Thank the respondent and close the call."
                       : e == END_APPOINTMENT ? "Agree a time to call back: Enter opens the appointment."
                       : "Close the call politely.";
    crt_wrap(y, 2, cols - 4, 3, CRT_NORMAL, what);
    y += 3;
    crt_wrap(y, 2, cols - 4, 3, CRT_DIM,
             "Enter records the outcome and returns to the queue. PgUp goes back to change an answer.");
    console_draw_message(c, rows - 3, cols);
}

static void iv_draw(void *ctx, int rows, int cols)
{
    struct ivs *s = ctx;
    struct console *c = s->c;
    const struct shift_case *k = &c->kase;
    char buf[512], right[64];
    int n = 0, m = 0;
    interview_progress(c->iv, &n, &m);
    snprintf(buf, sizeof buf, "%s · %s · %s", k->survey, k->ref, k->name);
    snprintf(right, sizeof right, "%d/%d · %s", n, m, interview_language(c->iv));
    console_title(c, buf, right);
    if (c->note[0]) {
        crt_put(rows - 2, 2, 6, CRT_DIM, "Note:");
        crt_put(rows - 2, 8, cols - 10, CRT_NORMAL, c->note);
    }
    draw_keys(s);
    if (!s->q) {
        draw_end(s, rows, cols);
        return;
    }
    const struct cati_question *q = s->q;
    char desc[96];
    describe(q, desc, sizeof desc);
    snprintf(buf, sizeof buf, "%s  ·  %s", q->name, desc);
    crt_put(2, 2, cols - 4, CRT_DIM, buf);
    struct iv_answer a = interview_get(c->iv, q->index);
    if (a.status == ANS_DK || a.status == ANS_RF)
        crt_put(2, cols - 30, 28, CRT_WARN, a.status == ANS_DK ? "answered: don't know" : "answered: refused");

    int lang = script_find_language(interview_script(c->iv), interview_language(c->iv));
    if (script_text_draft(interview_script(c->iv), q, lang)) /* not reviewed yet: say so */
        crt_put(3, 2, cols - 4, CRT_WARN, DRAFT_MARK);
    int bottom = rows - 4; /* last row for the question */
    int text_rows = crt_wrap(4, 2, cols - 4, 0, CRT_NORMAL, s->text ? s->text : "");
    int max_text = bottom - 4 - 4 > 3 ? bottom - 8 : 3;
    if (text_rows > max_text)
        text_rows = max_text;
    crt_wrap(4, 2, cols - 4, text_rows, CRT_NORMAL, s->text ? s->text : "");
    int y = 4 + text_rows + 1;

    int answer_rows = q->type == QTYPE_TEXT ? 0 : 2;
    if (s->nitems > 0) {
        int vis = bottom - y - answer_rows;
        if (vis < 1)
            vis = 1;
        if (s->hl >= 0 && s->hl < s->top)
            s->top = s->hl;
        if (s->hl >= 0 && s->hl >= s->top + vis)
            s->top = s->hl - vis + 1;
        for (int i = s->top; i < s->nitems && i < s->top + vis; i++, y++) {
            int hl = i == s->hl;
            char line[400];
            const struct cati_choice *ch = q->type == QTYPE_SCALE ? script_choice(q, item_code(s, i))
                                                                  : &q->choices[i];
            const char *label = ch ? script_choice_label(ch, lang) : "";
            if (q->type == QTYPE_MULTI)
                snprintf(line, sizeof line, "%s [%c] %3ld  %s", hl ? ">" : " ", s->tick[i] ? 'x' : ' ',
                         item_code(s, i), label);
            else
                snprintf(line, sizeof line, "%s %3ld  %s", hl ? ">" : " ", item_code(s, i), label);
            crt_fill(y, 2, cols - 4, hl ? CRT_HILITE : CRT_NORMAL);
            crt_put(y, 2, cols - 4, hl ? CRT_HILITE : CRT_NORMAL, line);
        }
        if (s->top + vis < s->nitems)
            crt_put(y - 1, cols - 12, 10, CRT_DIM, "more ↓");
        y++;
    }
    if (q->type == QTYPE_TEXT) {
        int rows_left = bottom - y;
        s->text_rows = rows_left > 6 ? 6 : rows_left < 1 ? 1 : rows_left;
        s->field_width = cols - 6;
        for (int r = 0; r < s->text_rows; r++)
            crt_fill(y + r, 2, cols - 4, CRT_HILITE);
        field_draw(&s->field, y, 3, cols - 6, s->text_rows, CRT_HILITE, 1);
        snprintf(buf, sizeof buf, " %d/%d ", field_chars(&s->field), s->field.maxchars);
        crt_put(y + s->text_rows, cols - 2 - crt_width(buf), crt_width(buf), CRT_DIM, buf);
    } else {
        const char *label = q->type == QTYPE_MULTI ? "Code:   " : "Answer: ";
        crt_put(y, 2, 8, CRT_NORMAL, label);
        s->field_width = 24;
        field_draw(&s->field, y, 10, s->field_width, 1, CRT_HILITE, 1);
        if (q->type == QTYPE_MULTI)
            crt_put(y, 36, cols - 38, CRT_DIM, "Space ticks · Enter accepts the ticked");
        else if (q->type == QTYPE_NUMBER || q->type == QTYPE_SCALE)
            crt_put(y, 36, cols - 38, CRT_DIM, desc);
    }
    console_draw_message(c, rows - 3, cols);
    crt_cursor(s->field.cy, s->field.cx);
}

/* --- answering --------------------------------------------------------------- */

/* The multi answer: the ticked codes, with any typed in the field. */
static void merge_typed(struct ivs *s)
{
    const char *p = s->field.buf;
    while (*p) {
        char *end;
        long code = strtol(p, &end, 10);
        if (end == p) {
            p++;
            continue;
        }
        int i = item_of_code(s, code);
        if (i >= 0)
            s->tick[i] = !s->tick[i];
        else
            console_message(s->c, CRT_ERROR, "%ld is not a choice", code);
        p = end;
    }
    field_clear(&s->field);
}

static char *build_input(struct ivs *s)
{
    if (s->q->type != QTYPE_MULTI)
        return cati_strdup(s->field.buf);
    size_t size = (size_t)s->nitems * 24 + 1, used = 0;
    char *out = malloc(size);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (int i = 0; i < s->nitems; i++)
        if (s->tick[i])
            used += (size_t)snprintf(out + used, size - used, "%s%ld", used ? "," : "", item_code(s, i));
    return out;
}

static void join_messages(const struct iv_feedback *fb, char *buf, size_t size)
{
    buf[0] = '\0';
    size_t used = 0;
    for (int i = 0; i < fb->n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? " / " : "", fb->msg[i]);
}

static void submit(struct ivs *s, int kind)
{
    struct console *c = s->c;
    if (kind == KIND_VALUE && s->q->type == QTYPE_MULTI && !field_empty(&s->field))
        merge_typed(s);
    char *input = kind == KIND_VALUE ? build_input(s) : cati_strdup("");
    if (!input)
        crt_fatal("out of memory");
    if (kind == KIND_VALUE && !input[0]) { /* Enter keeps a don't know or refused given before */
        struct iv_answer before = interview_get(c->iv, s->q->index);
        if (before.status == ANS_DK)
            kind = KIND_DK;
        else if (before.status == ANS_RF)
            kind = KIND_RF;
    }
    if (kind == KIND_VALUE && !input[0]) {
        console_message(c, CRT_ERROR, s->q->type == QTYPE_MULTI ? "Tick at least one choice (Space)"
                                      : s->nitems ? "Type a code or choose with Up/Down"
                                                  : "Type the answer first");
        free(input);
        crt_beep();
        return;
    }
    int confirm = s->pending && s->pending_kind == kind && s->pending_input &&
                  !strcmp(s->pending_input, input);
    struct iv_feedback fb;
    struct cati_error err;
    memset(&fb, 0, sizeof fb);
    int rc = kind == KIND_DK ? interview_dk(c->iv, confirm, &fb, &err)
             : kind == KIND_RF ? interview_rf(c->iv, confirm, &fb, &err)
                               : interview_answer(c->iv, input, confirm, &fb, &err);
    char msgs[1024];
    join_messages(&fb, msgs, sizeof msgs);
    switch (rc) {
    case IV_OK:
        c->msg[0] = '\0';
        if (kind != KIND_VALUE)
            console_message(c, CRT_OK, "Recorded: %s for %s (PgUp goes back to change it)",
                            kind == KIND_DK ? "Don't know" : "Refused", s->q->name);
        if (fb.nflags > 0)
            console_message(c, CRT_OK, "Flag raised for the supervisor: %s", fb.flags[0]);
        free(input);
        load_question(s);
        return;
    case IV_INVALID:
        console_message(c, CRT_ERROR, "%s", msgs);
        break;
    case IV_CHECK:
        console_message(c, CRT_ERROR, "%s (change the answer)", msgs);
        break;
    case IV_WARN:
        console_message(c, CRT_WARN, "%s (%s again to accept it, or change the answer)", msgs,
                        kind == KIND_DK ? "F2" : kind == KIND_RF ? "F3" : "Enter");
        s->pending = 1;
        s->pending_kind = kind;
        free(s->pending_input);
        s->pending_input = input;
        return;
    default:
        if (console_fail(c, "not saved", &err, 1)) {
            free(input);
            return;
        }
        break;
    }
    crt_beep();
    s->pending = 0;
    free(input);
}

static void go_back(struct ivs *s)
{
    struct console *c = s->c;
    struct cati_error err;
    int rc = interview_back(c->iv, &err);
    if (rc < 0)
        console_fail(c, "back", &err, 0);
    else if (rc == 1)
        console_message(c, CRT_WARN, "This is the first question.");
    else
        c->msg[0] = '\0';
    load_question(s);
}

static void go_forward(struct ivs *s)
{
    struct console *c = s->c;
    struct cati_error err;
    if (interview_next(c->iv, &err) < 0)
        console_fail(c, "forward", &err, 0);
    else
        c->msg[0] = '\0';
    load_question(s);
}

static void next_language(struct ivs *s)
{
    struct console *c = s->c;
    const struct cati_script *sc = interview_script(c->iv);
    if (sc->nlangs < 2) {
        console_message(c, CRT_WARN, "This questionnaire has one language (%s).", sc->languages[0]);
        return;
    }
    int i = script_find_language(sc, interview_language(c->iv));
    const char *next = sc->languages[(i + 1) % sc->nlangs];
    struct cati_error err;
    if (interview_set_language(c->iv, next, &err) < 0) {
        console_fail(c, "language", &err, 0);
        return;
    }
    console_message(c, CRT_OK, "Language: %s", next);
    free(s->text);
    s->text = s->q ? interview_question_text(c->iv, s->q, NULL) : NULL;
}

static const struct crt_screen_ops iv_ops;

/* Record the call's outcome and leave for the idle screen. */
static enum crt_result finish(struct ivs *s, const char *kw, time_t at, int with_me)
{
    struct console *c = s->c;
    if (console_record(c, kw, at, with_me) < 0)
        return CRT_HANDLED;
    c->step = STEP_IDLE;
    return CRT_LEAVE;
}

static enum crt_result end_enter(struct ivs *s)
{
    struct console *c = s->c;
    enum cati_end e = interview_outcome(c->iv);
    time_t at = 0;
    int with_me = 0;
    const char *kw = "complete";
    switch (e) {
    case END_REFUSAL: kw = "refusal"; break;
    case END_INELIGIBLE: kw = "ineligible"; break;
    case END_BREAKOFF: kw = shift_breakoff_outcome(c->ses.cfg, c->iv); break;
    case END_APPOINTMENT: {
        struct con_under under = {&iv_ops, s};
        enum con_pop p = console_appt_pick(c, under, &at, &with_me);
        if (p != POP_OK)
            return p == POP_SIGNAL ? CRT_LEAVE : CRT_HANDLED;
        kw = "appointment";
        break;
    }
    default: break;
    }
    return finish(s, kw, at, with_me);
}

static enum crt_result stop_menu(struct ivs *s)
{
    struct console *c = s->c;
    static const char *const items[] = {
        "1  Appointment: finish the interview later",
        "2  Break-off: the respondent will not go on",
        "3  Refusal: the respondent will not take part",
        "4  Line dropped: call back soon",
    };
    struct con_under under = {&iv_ops, s};
    int choice;
    enum con_pop p = console_menu(c, under, "Stop the interview", items, 4, &choice);
    if (p != POP_OK)
        return p == POP_SIGNAL ? CRT_LEAVE : CRT_HANDLED;
    time_t at = 0;
    int with_me = 0;
    const char *kw;
    switch (choice) {
    case 0: /* the interview stays open and resumes at this question */
        p = console_appt_pick(c, under, &at, &with_me);
        kw = "appointment";
        break;
    case 1: kw = shift_breakoff_outcome(c->ses.cfg, c->iv); p = console_confirm_outcome(c, under, kw); break;
    case 2: kw = "refusal"; p = console_confirm_outcome(c, under, kw); break;
    default: kw = "technical"; p = console_confirm_outcome(c, under, kw); break;
    }
    if (p != POP_OK)
        return p == POP_SIGNAL ? CRT_LEAVE : CRT_HANDLED;
    if (choice == 1 || choice == 2) {
        struct cati_error err;
        if (interview_close(c->iv, choice == 1 ? END_BREAKOFF : END_REFUSAL, &err) < 0) {
            console_message(c, CRT_ERROR, "stop: %s", err.msg);
            return CRT_HANDLED;
        }
        load_question(s);
    }
    return finish(s, kw, at, with_me);
}

/* Keys of the list of choices (single, multi, short scales). */
static enum crt_result list_key(struct ivs *s, struct crt_key k)
{
    if (s->nitems == 0)
        return CRT_IGNORED;
    int moved = 0;
    if (k.is_key) {
        switch (k.ch) {
        case KEY_UP: s->hl = s->hl > 0 ? s->hl - 1 : s->nitems - 1; moved = 1; break;
        case KEY_DOWN: s->hl = s->hl >= 0 && s->hl + 1 < s->nitems ? s->hl + 1 : 0; moved = 1; break;
        case KEY_HOME: if (field_empty(&s->field)) { s->hl = 0; moved = 1; } break;
        case KEY_END: if (field_empty(&s->field)) { s->hl = s->nitems - 1; moved = 1; } break;
        }
    } else if (k.ch == ' ' && s->q->type == QTYPE_MULTI) {
        if (!field_empty(&s->field))
            merge_typed(s);
        else if (s->hl >= 0)
            s->tick[s->hl] = !s->tick[s->hl];
        return CRT_HANDLED;
    }
    if (!moved)
        return CRT_IGNORED;
    if (s->q->type != QTYPE_MULTI) {
        char code[32];
        snprintf(code, sizeof code, "%ld", item_code(s, s->hl));
        field_prefill(&s->field, code);
    }
    return CRT_HANDLED;
}

static int is_back(struct ivs *s, struct crt_key k)
{
    if (k.is_key && k.ch == KEY_PPAGE)
        return 1;
    if (!k.is_key && k.ch == CON_CTRL('P'))
        return 1;
    /* Left goes back when there is nothing to move over in the field */
    return k.is_key && k.ch == KEY_LEFT && (!s->q || s->field.cur == 0);
}

static enum crt_result iv_key_do(void *ctx, struct crt_key k)
{
    struct ivs *s = ctx;
    struct console *c = s->c;
    console_touch(c);
    if (console_esc_prefix(&s->esc, &k))
        return CRT_HANDLED;
    int ch = k.is_key ? -1 : (int)k.ch;
    if (c->lost) { /* found out at this key: an answer it would have saved was not */
        if (s->q && (console_is_enter(k) || console_is_fkey(k, 2) || console_is_fkey(k, 3) ||
                     ch == CON_CTRL('D') || ch == CON_CTRL('R')))
            c->lost_on_answer = 1;
        return CRT_LEAVE;
    }
    struct con_under under = {&iv_ops, s};
    if (console_is_fkey(k, 1) || ch == CON_CTRL('G'))
        return console_help(c, "interview") == POP_SIGNAL ? CRT_LEAVE : CRT_HANDLED;
    if (console_is_fkey(k, 6) || ch == CON_CTRL('N'))
        return console_note(c, under) == POP_SIGNAL ? CRT_LEAVE : CRT_HANDLED;
    if (is_back(s, k)) {
        go_back(s);
        return CRT_HANDLED;
    }
    if (!s->q) { /* the end panel */
        if (console_is_enter(k))
            return end_enter(s);
        return CRT_IGNORED;
    }
    if (console_is_enter(k)) {
        submit(s, KIND_VALUE);
        return CRT_HANDLED;
    }
    if (console_is_fkey(k, 2) || ch == CON_CTRL('D')) {
        submit(s, KIND_DK);
        return CRT_HANDLED;
    }
    if (console_is_fkey(k, 3) || ch == CON_CTRL('R')) {
        submit(s, KIND_RF);
        return CRT_HANDLED;
    }
    if (console_is_fkey(k, 5) || ch == CON_CTRL('T')) {
        next_language(s);
        return CRT_HANDLED;
    }
    if (console_is_fkey(k, 10) || ch == CON_CTRL('X'))
        return stop_menu(s);
    if ((k.is_key && k.ch == KEY_NPAGE) || ch == CON_CTRL('F')) {
        go_forward(s);
        return CRT_HANDLED;
    }
    if (list_key(s, k) == CRT_HANDLED)
        return CRT_HANDLED;
    int width = s->q->type == QTYPE_TEXT ? s->field_width - 1 : 0;
    enum crt_result r = field_key(&s->field, k, width);
    if (r == CRT_HANDLED && (s->q->type == QTYPE_SINGLE || s->q->type == QTYPE_SCALE) && s->nitems) {
        long code; /* the highlight follows the typed code */
        s->hl = cati_parse_long(s->field.buf, &code) == 0 ? item_of_code(s, code) : -1;
    }
    return r;
}

/* Every key and tick: a case lost meanwhile leaves for the lost screen. */
static enum crt_result iv_key(void *ctx, struct crt_key k)
{
    struct ivs *s = ctx;
    return console_unless_lost(s->c, iv_key_do(ctx, k));
}

static enum crt_result iv_tick(void *ctx)
{
    struct ivs *s = ctx;
    console_heartbeat(s->c);
    return console_unless_lost(s->c, CRT_HANDLED);
}

static const struct crt_screen_ops iv_ops = {
    .name = "interview", .draw = iv_draw, .key = iv_key, .tick = iv_tick, .tick_ms = IV_TICK_MS,
};

enum con_step console_interview(struct console *c)
{
    if (!c->iv)
        return c->have_case ? STEP_CASE : STEP_IDLE;
    c->step = STEP_INTERVIEW;
    struct ivs s;
    memset(&s, 0, sizeof s);
    s.c = c;
    load_question(&s);
    int rc = crt_run(&iv_ops, &s);
    free(s.text);
    free(s.tick);
    free(s.pending_input);
    if (rc != 0 || crt_quit_signal())
        return STEP_QUIT;
    return c->lost ? STEP_LOST : c->step;
}
