/* The idle screen: today's counts, the next case on request, and while no
 * case can be offered, why — checking again by itself every few seconds. */
#include "console.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "cati/schedule.h"
#include "cati/util.h"

#define IDLE_TICK_MS 5000

static void idle_draw(void *ctx, int rows, int cols)
{
    struct console *c = ctx;
    char title[300];
    snprintf(title, sizeof title, "cati console · %s", c->surveys[0] ? c->surveys : "no survey");
    console_title(c, title, NULL);

    int y = 2;
    crt_put(y++, 2, cols - 4, CRT_TITLE, " Today ");
    y++;
    char line[128];
    snprintf(line, sizeof line, "Calls made          %5d", c->calls_today);
    crt_put(y++, 4, cols - 6, CRT_NORMAL, line);
    snprintf(line, sizeof line, "Interviews done     %5d", c->completes_today);
    crt_put(y++, 4, cols - 6, CRT_NORMAL, line);
    snprintf(line, sizeof line, "Appointments today  %5d", c->appointments_today);
    crt_put(y++, 4, cols - 6, CRT_NORMAL, line);
    /* each one: its time (the respondent's zone), ref and name; as many as
     * fit above the waiting lines (reason up to 4 lines) and the message */
    int room = rows - 12 - y, show = c->nappts;
    if (room < 1)
        room = 1;
    if (show > room || (show < c->appointments_today && show == room))
        show = room - 1; /* one line says how many more */
    for (int i = 0; i < show; i++) {
        const struct shift_appt *a = &c->appts[i];
        char at[32], row[400];
        cati_format_time(a->at, schedule_zone(c->ses.cfg, a->timezone), at, sizeof at);
        snprintf(row, sizeof row, "%s  %s  %s%s", at + 11, a->ref, a->name,
                 a->missed ? "  (missed)" : a->at <= cati_now() ? "  (due)" : "");
        crt_put(y++, 6, cols - 8, a->missed ? CRT_WARN : CRT_NORMAL, row);
    }
    if (c->appointments_today > show) {
        snprintf(line, sizeof line, "and %d more today", c->appointments_today - show);
        crt_put(y++, 6, cols - 8, CRT_DIM, line);
    }
    y += 2;

    if (c->waiting) {
        crt_put(y++, 2, cols - 4, CRT_WARN, "No case to offer now:");
        y += crt_wrap(y, 4, cols - 8, 4, CRT_NORMAL, c->reason[0] ? c->reason : "none due");
        y++;
        crt_put(y++, 2, cols - 4, CRT_DIM,
                "Waiting: a case opens here as soon as one is due.  Esc stops waiting.");
    } else {
        crt_put(y++, 2, cols - 4, CRT_OK, "Ready.");
        crt_put(y++, 2, cols - 4, CRT_NORMAL, "Press Enter (or n) for the next case.");
    }
    console_draw_message(c, rows - 3, cols);
    static const char *const keys[] = {"Enter", "Next case", "F1", "Help", "F10", "Quit", NULL};
    static const char *const keys_plain[] = {"Enter/n", "Next case", "?", "Help", "q", "Quit", NULL};
    crt_keybar(crt_has_key(KEY_F(1)) ? keys : keys_plain);
}

/* Try to claim: 1 got a case, 0 none (reason set), -1 error (message set). */
static int idle_claim(struct console *c)
{
    int rc = console_claim_next(c);
    if (rc == 1) {
        c->waiting = 0;
        c->msg[0] = '\0';
        c->step = STEP_CASE;
        return 1;
    }
    if (rc == 0)
        c->waiting = 1;
    return rc;
}

static enum crt_result idle_key(void *ctx, struct crt_key k)
{
    struct console *c = ctx;
    console_touch(c);
    if (console_is_enter(k) || (!k.is_key && (k.ch == 'n' || k.ch == 'N'))) {
        c->msg[0] = '\0';
        return idle_claim(c) == 1 ? CRT_LEAVE : CRT_HANDLED;
    }
    if (console_is_fkey(k, 1) || (!k.is_key && (k.ch == '?' || k.ch == 'h'))) {
        if (console_help(c, "idle") == POP_SIGNAL)
            return CRT_LEAVE;
        return CRT_HANDLED;
    }
    if (console_is_fkey(k, 10) || (!k.is_key && (k.ch == 'q' || k.ch == 'Q' || k.ch == CON_CTRL('X')))) {
        c->step = STEP_QUIT;
        return CRT_LEAVE;
    }
    if (console_is_esc(k) || (!k.is_key && k.ch == 's')) {
        c->waiting = 0;
        return CRT_HANDLED;
    }
    if (!k.is_key && (k.ch == 'r' || k.ch == CON_CTRL('L'))) {
        console_refresh_idle(c);
        clearok(stdscr, TRUE);
        return CRT_HANDLED;
    }
    return CRT_IGNORED;
}

static enum crt_result idle_tick(void *ctx)
{
    struct console *c = ctx;
    if (c->waiting && idle_claim(c) == 1) {
        crt_beep();
        return CRT_LEAVE;
    }
    console_refresh_idle(c);
    return CRT_HANDLED;
}

static const struct crt_screen_ops idle_ops = {
    .name = "idle", .draw = idle_draw, .key = idle_key, .tick = idle_tick, .tick_ms = IDLE_TICK_MS,
};

enum con_step console_idle(struct console *c)
{
    c->step = STEP_IDLE;
    console_refresh_idle(c);
    if (crt_run(&idle_ops, c) != 0 || crt_quit_signal())
        return STEP_QUIT;
    return c->step;
}
