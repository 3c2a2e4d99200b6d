#ifndef CATI_TUI_CRT_H
#define CATI_TUI_CRT_H
/* The terminal: the only file that calls initscr/endwin (crt.c). Screens are
 * ops tables run by crt_run; key handlers return handled/ignored/leave.
 * Text is UTF-8 and measured in display columns (wide Tibetan/CJK safe). */

#include <signal.h>
#include <stddef.h>
#include <wchar.h>

#define CRT_MIN_COLS 80
#define CRT_MIN_ROWS 24

enum crt_result { CRT_HANDLED, CRT_IGNORED, CRT_LEAVE };

/* A key: either a character (is_key = 0, ch = the wide char, Ctrl-X = 24…)
 * or a function/cursor key (is_key = 1, ch = KEY_F(2), KEY_PPAGE, …). */
struct crt_key { int is_key; wint_t ch; };

struct crt_screen_ops {
    const char *name;
    void (*draw)(void *ctx, int rows, int cols);            /* draw the whole screen */
    enum crt_result (*key)(void *ctx, struct crt_key k);
    /* Called every tick_ms when nothing was typed (0 = never): refresh data.
     * Return CRT_LEAVE to leave the screen. */
    enum crt_result (*tick)(void *ctx);
    int tick_ms;
};

enum crt_style { CRT_NORMAL, CRT_TITLE, CRT_KEYBAR, CRT_HILITE, CRT_ERROR, CRT_WARN, CRT_DIM, CRT_OK };

/* Start curses (UTF-8 locale must be set). Installs SIGHUP/SIGTERM/SIGINT
 * handlers that make crt_run return. Returns 0 or -1 (not a terminal). */
int crt_init(void);
/* Restore the terminal. Safe to call twice. */
void crt_done(void);
/* Restore the terminal, print "cati: msg" and exit(1). */
void crt_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Run a screen until its key or tick handler returns CRT_LEAVE (returns 0)
 * or a signal asks to quit (returns the signal number). Handles resize and
 * shows "terminal too small" below 80x24 until enlarged. */
int crt_run(const struct crt_screen_ops *ops, void *ctx);
/* The next wait for a key lasts at most ms: if nothing is typed by then,
 * the screen's key handler gets {1, CRT_KEY_TIMEOUT} (once). Any key typed
 * cancels it. For prefixes such as Esc-digit. */
#define CRT_KEY_TIMEOUT 0x110000
void crt_key_timeout(int ms);
/* The signal that asked us to quit, or 0. */
int crt_quit_signal(void);

/* Drawing helpers (call from draw). */
void crt_clear(void);
/* Put UTF-8 text at (y, x), at most width columns (truncates on a character
 * boundary). Returns the columns used. */
int crt_put(int y, int x, int width, enum crt_style style, const char *utf8);
/* Word-wrap UTF-8 text into the box; returns the number of lines it needs
 * (it draws only rows < max_rows). */
int crt_wrap(int y, int x, int width, int max_rows, enum crt_style style, const char *utf8);
/* Fill row y with spaces in style (a bar). */
void crt_bar(int y, enum crt_style style);
/* Key bar on the last row: pairs of "key", "label", NULL-terminated. */
void crt_keybar(const char *const *pairs);
/* Place the cursor (visible) or hide it (y < 0). */
void crt_cursor(int y, int x);
/* Display width of UTF-8 text. */
int crt_width(const char *utf8);
/* 1 if the terminal shows colours. */
int crt_has_colors(void);
/* Ring the bell / flash for an error. */
void crt_beep(void);

/* Clear a box of h rows and w columns at (y, x) and frame it with Unicode
 * line drawing characters (UTF-8 locale), with an optional title in the top
 * border. Draw the inside at (y+1, x+2). */
void crt_box(int y, int x, int h, int w, enum crt_style style, const char *title);
/* Fill n columns at (y, x) with spaces in style. */
void crt_fill(int y, int x, int n, enum crt_style style);
/* 1 if the terminal has this key (KEY_F(1), KEY_PPAGE, …) in its description. */
int crt_has_key(int keycode);
/* Current terminal size. */
int crt_rows(void);
int crt_cols(void);

#endif
