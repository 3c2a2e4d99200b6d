/* Help: the keys of the screen it was opened from, with the letter and
 * Ctrl fallbacks for terminals without function keys. Any key leaves. */
#include "console.h"

#include <curses.h>
#include <string.h>

struct help {
    struct console *c;
    const char *which;
    int top;
};

static const char *const idle_help[] = {
    "The idle screen: between calls.",
    "",
    "Enter, n        take the next case from the queue",
    "                (none due: the reason shows, and the console waits and",
    "                opens a case by itself as soon as one is due)",
    "Esc, s          stop waiting",
    "                (n is the next case only here; r refreshes on every screen)",
    "r, Ctrl-L       refresh today's counts",
    "F1, ?           this help",
    "F10, q          quit the console",
    NULL,
};

static const char *const case_help[] = {
    "The case screen: dial the number marked '>', then say what happened.",
    "",
    "Enter, a        someone answered: start the interview (or resume it)",
    "F4, o           outcome of the call: no answer, busy, answering machine,",
    "                appointment, refusal, wrong number, … (a menu; then Enter",
    "                records it, with the call note)",
    "F6, Ctrl-N      write a note on this call (kept with the call record)",
    "F8, Esc 8       release: give the case back, no call recorded (asks first:",
    "                y or Enter releases, n or Esc keeps the case)",
    "Up, Down        select a call in the history: its whole note shows",
    "                (Up past the newest call, or a lone Esc, closes it)",
    "r, Ctrl-L       refresh the case from the database",
    "F1, ?, Ctrl-G   this help",
    "",
    "Wrong number, disconnected, fax, business: the next number of the case is",
    "marked to dial straight away; the case ends when none is left.",
    "Appointment: date and time in the respondent's time zone; Up/Down change",
    "them, Tab moves between fields, Space ticks 'with me' (a hard appointment",
    "held for you first).",
    NULL,
};

static const char *const interview_help[] = {
    "The interview: one question a screen; every answer is saved when accepted.",
    "",
    "Enter           accept the answer (a warning: Enter again to confirm);",
    "                on a don't know or refused, nothing typed: keep it",
    "PgUp, Left, ^P  back to the previous question asked",
    "PgDn, ^F        forward one question already answered",
    "F2, Ctrl-D      don't know          F3, Ctrl-R   refused",
    "F5, Ctrl-T      switch language     F6, Ctrl-N   note on this call",
    "F10, Ctrl-X     stop: appointment to finish, break-off or refusal",
    "F1, Ctrl-G      this help           Esc 1 … Esc 0  same as F1 … F10",
    "                (the digit within a second of Esc; a lone Esc does nothing)",
    "",
    "Single choice:  type the code, or Up/Down to a choice, then Enter",
    "Multiple:       Space ticks the choice under the cursor (or the code typed);",
    "                Enter accepts the ticked set",
    "Scale:          type the value or Up/Down",
    "Number, date:   type it (dates as YYYY-MM-DD)",
    "Text:           type freely; lines wrap; Enter accepts",
    "Editing:        Backspace, Delete, Home/End (Ctrl-A/E), Ctrl-U/Ctrl-K cut",
    NULL,
};

static const char *const *pick(const char *which)
{
    if (!strcmp(which, "case"))
        return case_help;
    if (!strcmp(which, "interview"))
        return interview_help;
    return idle_help;
}

static void help_draw(void *ctx, int rows, int cols)
{
    struct help *h = ctx;
    console_title(h->c, "cati console · help", NULL);
    const char *const *lines = pick(h->which);
    int y = 2;
    for (int i = h->top; lines[i] && y < rows - 2; i++, y++)
        crt_put(y, 2, cols - 4, i == 0 ? CRT_OK : CRT_NORMAL, lines[i]);
    static const char *const keys[] = {"any key", "back", NULL};
    crt_keybar(keys);
}

static enum crt_result help_key(void *ctx, struct crt_key k)
{
    struct help *h = ctx;
    console_touch(h->c);
    const char *const *lines = pick(h->which);
    int n = 0;
    while (lines[n])
        n++;
    if (k.is_key && k.ch == KEY_DOWN && h->top + 1 < n) {
        h->top++;
        return CRT_HANDLED;
    }
    if (k.is_key && k.ch == KEY_UP && h->top > 0) {
        h->top--;
        return CRT_HANDLED;
    }
    return CRT_LEAVE;
}

/* A case lost while the help is open: back to the screen under it, which
 * goes on to the lost screen. */
static enum crt_result help_tick(void *ctx)
{
    struct console *c = ((struct help *)ctx)->c;
    console_heartbeat(c);
    return c->lost ? CRT_LEAVE : CRT_HANDLED;
}

static const struct crt_screen_ops help_ops = {
    .name = "help", .draw = help_draw, .key = help_key, .tick = help_tick, .tick_ms = 2000,
};

enum con_pop console_help(struct console *c, const char *which)
{
    struct help h = {c, which, 0};
    return console_run_popup(c, &help_ops, &h) == POP_SIGNAL ? POP_SIGNAL : POP_OK;
}
