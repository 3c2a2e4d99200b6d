#ifndef CATI_TUI_CONSOLE_H
#define CATI_TUI_CONSOLE_H
/* The interviewer console (`cati console`): screens as crt ops tables, one
 * file per screen. The console holds no rules: it reads keys, calls the core
 * (queue, disposition, interview) and draws. See cati(1), CONSOLE. */

#include <stddef.h>
#include <time.h>

#include "cati/error.h"
#include "cati/schedule.h"
#include "cati/session.h"
#include "cati/shift.h"
#include "crt.h"

struct cati_interview;
struct cati_script;

/* --- a UTF-8 text field (console_field.c) ------------------------------- */

enum con_filter {
    FIELD_ANY,    /* any printable text */
    FIELD_INT,    /* digits and a leading minus */
    FIELD_DATE,   /* digits and '-' */
    FIELD_TIME,   /* digits and ':' */
    FIELD_CODES   /* digits, commas and spaces */
};

#define CON_FIELD_MAX 8192

struct con_field {
    char buf[CON_FIELD_MAX]; /* UTF-8, NUL-terminated */
    size_t len, cur;         /* bytes; cur is on a character boundary */
    int maxchars;            /* 0 = as much as fits in buf */
    size_t maxbytes;         /* 0 = as much as fits in buf (notes: the core's limit) */
    enum con_filter filter;
    int want_col;            /* for Up/Down in wrapped text: -1 = none */
    int cy, cx;              /* where field_draw put the cursor (focused) */
    int fresh;               /* pre-filled and not edited yet: typing replaces it */
};

void field_init(struct con_field *f, enum con_filter filter, int maxchars);
void field_set(struct con_field *f, const char *s);
/* Pre-fill: like field_set, but the first character typed replaces the whole
 * content (as in every form); an editing key (Backspace, Delete, Left/Right,
 * Home/End, Ctrl-A/E/K/U) keeps it to edit, and typing then inserts. */
void field_prefill(struct con_field *f, const char *s);
void field_clear(struct con_field *f);
int field_empty(const struct con_field *f);
/* Characters (code points) in the field. */
int field_chars(const struct con_field *f);
/* Edit keys: characters, Backspace, Delete, Left/Right, Home/End, Ctrl-A/E/K/U,
 * Up/Down across wrapped lines when width > 0. CRT_IGNORED for other keys
 * (and for Left at the start / Right at the end, so callers may use them). */
enum crt_result field_key(struct con_field *f, struct crt_key k, int width);
/* Draw the text wrapped into width columns and up to rows rows at (y, x),
 * scrolled so the cursor shows; when focused, sets f->cy/f->cx for the
 * screen to place the cursor after all drawing. Returns the rows used. */
int field_draw(struct con_field *f, int y, int x, int width, int rows, enum crt_style style,
               int focused);

/* --- the console's state ------------------------------------------------ */

enum con_step { STEP_IDLE, STEP_CASE, STEP_INTERVIEW, STEP_LOST, STEP_QUIT };

enum con_pop { POP_OK = 0, POP_CANCEL = 1, POP_SIGNAL = 2 };

struct console {
    struct cati_session ses;
    enum con_step step;
    /* idle */
    char surveys[256];          /* active surveys, for the title */
    int calls_today, completes_today, appointments_today;
    struct shift_appt appts[SHIFT_MAX_APPTS]; /* today's, held for me (shift_counts) */
    int nappts;
    int waiting;                /* asked for a case, none yet: retry on ticks */
    char reason[256];           /* why no case can be offered */
    /* the case in hand */
    int have_case;
    struct shift_case kase;
    char note[SCHEDULE_NOTE_MAX + 1]; /* the note that goes with the next call outcome */
    time_t call_started;        /* when the case was opened (the call began) */
    struct cati_interview *iv;  /* the interview in progress, or NULL */
    struct cati_script *intro_script; /* the case's survey, for the intro line */
    long long intro_survey;
    char *intro;                /* the case's intro line (malloc'd) or NULL */
    int intro_draft;            /* it is a draft translation (script_text_draft) */
    time_t renewed_at;          /* last lease renewal */
    time_t checked_at;          /* last look at the hold (read only) */
    time_t last_key;            /* last key typed (renewal stops when idle) */
    /* the case was lost (released, lease ran out, taken, closed): why */
    int lost;
    char lost_why[512];
    int lost_on_answer;         /* the write refused was an answer */
    /* one status line, shown on the next screen drawn */
    char msg[512];
    enum crt_style msg_style;
};

/* The mark over a text that is a draft translation (script_text_draft). */
#define DRAFT_MARK "[draft translation: not reviewed yet]"

/* console.c: `cati console` for the session's user (an interviewer or
 * above; the caller checked the role). Returns 0 when the interviewer
 * quit, 1 when a signal ended it, -1 with err when it could not start. */
int console_run(const struct cati_session *ses, struct cati_error *err);

/* A core call failed: when the case is no longer held (err->kind
 * CATI_ERR_LOST) the console goes to the lost screen (c->lost, c->step =
 * STEP_LOST) and 1 is returned; else the message line says what failed
 * ("WHAT: why") and 0 is returned. on_answer: the refused write was an
 * answer. */
int console_fail(struct console *c, const char *what, const struct cati_error *err, int on_answer);
/* Commit the note for the next call (F6) and keep it in c->note. 0 or -1
 * (console_fail called). */
int console_save_note(struct console *c, const char *text);
/* A screen's key or tick result r, unless the case was lost meanwhile:
 * then CRT_LEAVE for the lost screen (c->step = STEP_LOST). */
enum crt_result console_unless_lost(struct console *c, enum crt_result r);
/* The lost screen: why, what was saved; Enter goes back to the idle screen. */
enum con_step console_lost(struct console *c);

void console_message(struct console *c, enum crt_style style, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Renew the lease of the case in hand when it is due (every minute while the
 * interviewer is active). Safe to call often. */
void console_heartbeat(struct console *c);
/* A key was typed: note the activity and renew the lease when due. */
void console_touch(struct console *c);
/* Draw the title bar: left text, and the interviewer and clock on the right. */
void console_title(struct console *c, const char *left, const char *right);
/* Draw the message line (if any) at row y. */
void console_draw_message(struct console *c, int y, int cols);
/* Time in the case's (or the calling) time zone: "YYYY-MM-DD HH:MM". */
const char *console_time(struct console *c, time_t t, char *buf, size_t size);
/* t as an interviewer reads it, with its calling slot: "today 17:00,
 * evening slot", "tomorrow 09:00, morning slot", else "Mon 2026-12-07
 * 09:00, …" (respondent's time zone; schedule_when_text). */
const char *console_when(struct console *c, time_t t, char *buf, size_t size);
const char *console_tz(struct console *c);
/* Record a call outcome for the case in hand (note: c->note), let the case
 * go and return to idle. at: appointment time (0 = none); with_me: hard
 * appointment. Returns 0, or -1 with the reason in the message line. */
int console_record(struct console *c, const char *outcome, time_t at, int with_me);
/* Fill c->kase again from the database. 0 or -1 (message set). */
int console_reload_case(struct console *c);
/* Claim the next case: 1 got one (c->kase filled), 0 none (c->reason set),
 * -1 error (message set). */
int console_claim_next(struct console *c);
/* Refresh today's counts and the survey list for the idle screen. */
void console_refresh_idle(struct console *c);
/* Give the case in hand back to the queue without a call. 0 or -1. */
int console_release(struct console *c);
/* Drop the case in hand (and the interview) from memory. */
void console_drop_case(struct console *c);

/* Screens: each runs until it knows the next step. */
enum con_step console_idle(struct console *c);
enum con_step console_case(struct console *c);
enum con_step console_interview(struct console *c);

/* Popups over the screen `under` (drawn beneath them). */
struct con_under {
    const struct crt_screen_ops *ops;
    void *ctx;
};
/* The call outcome menu of the case screen: *keyword gets the outcome
 * ("answered" for an answered call). */
enum con_pop console_outcome_menu(struct console *c, struct con_under under, const char **keyword);
/* A generic menu: items (label strings, hotkey = item's first character
 * before a space); *choice gets the index. */
enum con_pop console_menu(struct console *c, struct con_under under, const char *title,
                          const char *const *items, int nitems, int *choice);
/* Confirm an outcome, with the call note editable. */
enum con_pop console_confirm_outcome(struct console *c, struct con_under under, const char *label);
/* The appointment picker: date, time, "with me", note. */
enum con_pop console_appt_pick(struct console *c, struct con_under under, time_t *at, int *with_me);
/* Edit the call note. */
enum con_pop console_note(struct console *c, struct con_under under);
/* Full-screen help for screen `which` ("idle", "case", "interview"). */
enum con_pop console_help(struct console *c, const char *which);

/* Key helpers. */
#define CON_CTRL(x) ((x) & 0x1f)
int console_is_enter(struct crt_key k);
int console_is_esc(struct crt_key k);
/* 1 if k is function key n, or its Esc-digit form was completed (see
 * console_fkey_filter). */
int console_is_fkey(struct crt_key k, int n);

/* The Esc-digit prefix (Esc 1 … Esc 0 = F1 … F10) for terminals without
 * function keys. *esc is the screen's state. Returns 1 when k was used up
 * (Esc started the prefix; the prefix timed out after CON_ESC_MS or was
 * cancelled by a second Esc: nothing happens), else 0 with k rewritten to
 * the function key when it was the digit of the prefix. */
#define CON_ESC_MS 1000
int console_esc_prefix(int *esc, struct crt_key *k);
/* The key bar while the prefix waits for its digit ("Esc-"). */
void console_esc_keybar(void);

/* Run a popup screen that ticks the lease. */
int console_run_popup(struct console *c, const struct crt_screen_ops *ops, void *ctx);

#endif
