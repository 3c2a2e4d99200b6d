/* Popups of the case and interview screens: a menu (the call outcomes, the
 * break-off choices), the confirmation of an outcome with its note, and the
 * note editor. Each is drawn over the screen it was opened from. */
#include "console.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <wctype.h>

#include "cati/schedule.h"
#include "cati/util.h"

#define POPUP_TICK_MS 2000

static enum crt_result popup_tick(void *ctx)
{
    struct console *c = *(struct console **)ctx; /* every popup context starts with it */
    console_heartbeat(c);
    return c->lost ? CRT_LEAVE : CRT_HANDLED;
}

/* --- a menu --------------------------------------------------------------- */

struct menu {
    struct console *c;
    struct con_under under;
    const char *title;
    const char *const *items;
    int n, sel, top;
    int chosen; /* -1 = cancelled */
};

static void menu_draw(void *ctx, int rows, int cols)
{
    struct menu *m = ctx;
    m->under.ops->draw(m->under.ctx, rows, cols);
    int w = 30;
    for (int i = 0; i < m->n; i++)
        if (crt_width(m->items[i]) + 6 > w)
            w = crt_width(m->items[i]) + 6;
    if (w > cols - 4)
        w = cols - 4;
    int vis = m->n < rows - 5 ? m->n : rows - 5;
    if (m->sel < m->top)
        m->top = m->sel;
    if (m->sel >= m->top + vis)
        m->top = m->sel - vis + 1;
    int h = vis + 3;
    int y = (rows - 1 - h) / 2, x = (cols - w) / 2;
    if (y < 1)
        y = 1;
    crt_box(y, x, h, w, CRT_NORMAL, m->title);
    for (int i = 0; i < vis; i++) {
        int idx = m->top + i;
        enum crt_style st = idx == m->sel ? CRT_HILITE : CRT_NORMAL;
        crt_fill(y + 1 + i, x + 1, w - 2, st);
        crt_put(y + 1 + i, x + 2, w - 4, st, m->items[idx]);
    }
    crt_put(y + h - 2, x + 2, w - 4, CRT_DIM, "key or arrows+Enter · Esc back");
}

static enum crt_result menu_key(void *ctx, struct crt_key k)
{
    struct menu *m = ctx;
    console_touch(m->c);
    if (m->c->lost || console_is_esc(k) || console_is_fkey(k, 10)) {
        m->chosen = -1;
        return CRT_LEAVE;
    }
    if (console_is_enter(k)) {
        m->chosen = m->sel;
        return CRT_LEAVE;
    }
    if (k.is_key) {
        switch (k.ch) {
        case KEY_UP: m->sel = m->sel > 0 ? m->sel - 1 : m->n - 1; return CRT_HANDLED;
        case KEY_DOWN: m->sel = m->sel + 1 < m->n ? m->sel + 1 : 0; return CRT_HANDLED;
        case KEY_HOME: case KEY_PPAGE: m->sel = 0; return CRT_HANDLED;
        case KEY_END: case KEY_NPAGE: m->sel = m->n - 1; return CRT_HANDLED;
        }
        return CRT_IGNORED;
    }
    for (int i = 0; i < m->n; i++) /* the hotkey is the item's first character */
        if ((wint_t)towlower((wint_t)(unsigned char)m->items[i][0]) == towlower(k.ch)) {
            m->sel = m->chosen = i;
            return CRT_LEAVE;
        }
    return CRT_IGNORED;
}

static const struct crt_screen_ops menu_ops = {
    .name = "menu", .draw = menu_draw, .key = menu_key, .tick = popup_tick, .tick_ms = POPUP_TICK_MS,
};

enum con_pop console_menu(struct console *c, struct con_under under, const char *title,
                          const char *const *items, int nitems, int *choice)
{
    struct menu m = {c, under, title, items, nitems, 0, 0, -1};
    if (console_run_popup(c, &menu_ops, &m) == POP_SIGNAL)
        return POP_SIGNAL;
    if (m.chosen < 0)
        return POP_CANCEL;
    *choice = m.chosen;
    return POP_OK;
}

/* --- the call outcomes of the case screen --------------------------------- */

static const struct {
    const char *label;
    const char *keyword;
} outcomes[] = {
    {"1  Answered: start the interview", "answered"},
    {"2  No answer", "no-answer"},
    {"3  Busy", "busy"},
    {"4  Answering machine", "answering-machine"},
    {"5  Message left on the machine", "message-left"},
    {"6  Appointment: call back at a set time", "appointment"},
    {"7  Respondent not available now", "not-available"},
    {"8  Soft refusal: try again later", "soft-refusal"},
    {"9  Hard refusal", "refusal"},
    {"a  Language barrier", "language"},
    {"b  Wrong number", "wrong-number"},
    {"c  Disconnected", "disconnected"},
    {"d  Number not in service", "non-working"},
    {"e  Fax or data line", "fax"},
    {"f  Business or office number", "business"},
    {"g  Respondent deceased", "deceased"},
    {"h  Respondent unable (ill, incapable)", "unable"},
    {"i  Not eligible (did not receive the service)", "ineligible"},
    {"j  Technical problem on the line", "technical"},
};
#define NOUTCOMES (int)(sizeof outcomes / sizeof outcomes[0])

enum con_pop console_outcome_menu(struct console *c, struct con_under under, const char **keyword)
{
    const char *items[NOUTCOMES];
    for (int i = 0; i < NOUTCOMES; i++)
        items[i] = outcomes[i].label;
    int choice;
    enum con_pop p = console_menu(c, under, "Outcome of the call", items, NOUTCOMES, &choice);
    if (p == POP_OK)
        *keyword = outcomes[choice].keyword;
    return p;
}

static const char *outcome_label(const char *keyword)
{
    for (int i = 0; i < NOUTCOMES; i++)
        if (!strcmp(outcomes[i].keyword, keyword))
            return outcomes[i].label + 3;
    return keyword;
}

/* --- confirming an outcome, editing the note -------------------------------- */

struct notebox {
    struct console *c;
    struct con_under under;
    const char *title;
    const char *line1, *line2; /* what is being recorded (NULL for the note alone) */
    struct con_field field;
    int ok;
};

static void notebox_draw(void *ctx, int rows, int cols)
{
    struct notebox *b = ctx;
    b->under.ops->draw(b->under.ctx, rows, cols);
    int w = cols - 10 > 70 ? 70 : cols - 10;
    int h = b->line1 ? 10 : 7;
    int y = (rows - h) / 2, x = (cols - w) / 2;
    crt_box(y, x, h, w, CRT_NORMAL, b->title);
    int r = y + 1;
    if (b->line1) {
        crt_put(r++, x + 2, w - 4, CRT_HILITE, b->line1);
        crt_wrap(r, x + 2, w - 4, 2, CRT_DIM, b->line2); /* never cut: two lines */
        r += 2;
    }
    crt_put(r++, x + 2, w - 4, CRT_NORMAL, "Note (optional):");
    field_draw(&b->field, r, x + 2, w - 4, 3, CRT_HILITE, 1);
    r += 3;
    crt_put(r, x + 2, w - 4, CRT_DIM, b->line1 ? "Enter record · Esc back" : "Enter keep · Esc cancel");
    crt_cursor(b->field.cy, b->field.cx);
}

static enum crt_result notebox_key(void *ctx, struct crt_key k)
{
    struct notebox *b = ctx;
    console_touch(b->c);
    if (b->c->lost || console_is_esc(k)) {
        b->ok = 0;
        return CRT_LEAVE;
    }
    if (console_is_enter(k)) {
        b->ok = 1;
        return CRT_LEAVE;
    }
    return field_key(&b->field, k, crt_cols() - 14 > 66 ? 66 : crt_cols() - 14);
}

static const struct crt_screen_ops notebox_ops = {
    .name = "note", .draw = notebox_draw, .key = notebox_key, .tick = popup_tick,
    .tick_ms = POPUP_TICK_MS,
};

static enum con_pop run_notebox(struct console *c, struct notebox *b)
{
    field_init(&b->field, FIELD_ANY, 0);
    b->field.maxbytes = SCHEDULE_NOTE_MAX; /* what the core takes, in any script */
    field_set(&b->field, c->note);
    if (console_run_popup(c, &notebox_ops, b) == POP_SIGNAL)
        return POP_SIGNAL;
    if (!b->ok || c->lost)
        return POP_CANCEL;
    if (strcmp(c->note, b->field.buf) != 0 && console_save_note(c, b->field.buf) < 0)
        return POP_CANCEL;
    return POP_OK;
}

enum con_pop console_confirm_outcome(struct console *c, struct con_under under, const char *keyword)
{
    const struct schedule_outcome *o = schedule_outcome_find(keyword);
    char l1[160], l2[300], then[256];
    snprintf(l1, sizeof l1, "%s  (%s, AAPOR %s)", outcome_label(keyword), keyword, o ? o->aapor : "?");
    snprintf(l2, sizeof l2, "then: %s", schedule_outcome_plain(c->ses.cfg, o, then, sizeof then));
    struct notebox b = {.c = c, .under = under, .title = "Record the call", .line1 = l1, .line2 = l2};
    return run_notebox(c, &b);
}

enum con_pop console_note(struct console *c, struct con_under under)
{
    struct notebox b = {.c = c, .under = under, .title = "Note on this call"};
    return run_notebox(c, &b);
}
