/* The lost screen: the case in hand is no longer this interviewer's (a
 * supervisor released it, the lease ran out and another interviewer took
 * it, it was closed). Says so in plain words, says what was saved, and
 * goes back to the idle screen: nothing more can be written to the case. */
#include "console.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "cati/interview.h"
#include "cati/script.h"
#include "cati/util.h"

struct lost_screen {
    struct console *c;
    char title[160];
    char why[600];
    char saved[300];
};

static void lost_draw(void *ctx, int rows, int cols)
{
    struct lost_screen *s = ctx;
    console_title(s->c, s->title, NULL);
    int y = 3;
    y += crt_wrap(y, 2, cols - 4, 4, CRT_ERROR, s->why) + 1;
    y += crt_wrap(y, 2, cols - 4, 4, CRT_NORMAL, s->saved) + 1;
    crt_wrap(y, 2, cols - 4, 3, CRT_DIM,
             "Nothing more can be recorded on this case from here. Tell your supervisor if the "
             "respondent is still on the line.");
    (void)rows;
    static const char *const keys[] = {"Enter", "Back to the idle screen", NULL};
    crt_keybar(keys);
}

static enum crt_result lost_key(void *ctx, struct crt_key k)
{
    struct lost_screen *s = ctx;
    console_touch(s->c);
    if (console_is_enter(k) || console_is_esc(k) || console_is_fkey(k, 10) ||
        (!k.is_key && (k.ch == 'q' || k.ch == ' ')))
        return CRT_LEAVE;
    return CRT_IGNORED;
}

static const struct crt_screen_ops lost_ops = {
    .name = "lost", .draw = lost_draw, .key = lost_key,
};

/* "Your answers up to 'access' were saved; the last one was not." */
static void what_was_saved(struct console *c, char *buf, size_t size)
{
    if (!c->iv) {
        snprintf(buf, size, "No interview had started on this case; no call was recorded.");
        return;
    }
    int idx[1024], total = 0;
    int n = interview_path(c->iv, idx, 1024, &total);
    const struct cati_script *s = interview_script(c->iv);
    const char *last = n > 0 ? s->questions[idx[n - 1]].name : NULL;
    if (!interview_current(c->iv)) { /* at its end: only the call was not recorded */
        snprintf(buf, size, "The interview had reached its end (%s): every answer was saved, "
                 "but the outcome of the call was not recorded.",
                 script_end_name(interview_outcome(c->iv)));
        return;
    }
    if (!last)
        snprintf(buf, size, "No answer had been saved%s", c->lost_on_answer ? "; the last one was not saved either." : ".");
    else
        snprintf(buf, size, "Your answers up to '%s' were saved%s", last,
                 c->lost_on_answer ? "; the last one was not." : ".");
}

enum con_step console_lost(struct console *c)
{
    struct lost_screen s;
    memset(&s, 0, sizeof s);
    s.c = c;
    snprintf(s.title, sizeof s.title, "Case %s is no longer yours", c->kase.ref);
    /* the core's line, as a sentence */
    snprintf(s.why, sizeof s.why, "%s.", c->lost_why);
    if (s.why[0] >= 'a' && s.why[0] <= 'z')
        s.why[0] = (char)(s.why[0] - 'a' + 'A');
    what_was_saved(c, s.saved, sizeof s.saved);
    flushinp(); /* keys typed before the screen showed must not dismiss it unread */
    int rc = crt_run(&lost_ops, &s);
    console_drop_case(c);
    c->msg[0] = '\0';
    if (rc != 0 || crt_quit_signal())
        return STEP_QUIT;
    console_refresh_idle(c);
    return STEP_IDLE;
}
