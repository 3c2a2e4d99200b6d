/* The one file that owns the terminal (initscr/endwin), its signals,
 * resizing, colours and UTF-8 drawing. */
#include "crt.h"

#include <curses.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int started;
static int colors;
static volatile sig_atomic_t quit_signal;

static void on_signal(int sig)
{
    quit_signal = sig;
}

int crt_quit_signal(void)
{
    return quit_signal;
}

int crt_init(void)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: get_wch returns so we can leave */
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    /* curses owns the terminal: its own stream on fd 1, since stdout goes
     * through the sanitiser (src/cmd/out.c) */
    static FILE *tty;
    if (!tty && !(tty = fdopen(dup(STDOUT_FILENO), "w")))
        return -1;
    static SCREEN *screen;
    if (!screen && !(screen = newterm(NULL, tty, stdin)))
        return -1;
    started = 1;
    cbreak();
    noecho();
    nonl();
    raw(); /* Ctrl-D/Ctrl-R/Ctrl-C reach us as keys; SIGINT still handled for kill -INT */
    keypad(stdscr, TRUE);
    set_escdelay(50);
    curs_set(0);
    if (has_colors() && start_color() == OK) {
        use_default_colors();
        colors = 1;
        init_pair(1, COLOR_WHITE, COLOR_BLUE);   /* title */
        init_pair(2, COLOR_BLACK, COLOR_CYAN);   /* key bar */
        init_pair(3, COLOR_BLACK, COLOR_YELLOW); /* highlight */
        init_pair(4, COLOR_WHITE, COLOR_RED);    /* error */
        init_pair(5, COLOR_YELLOW, -1);          /* warning */
        init_pair(6, COLOR_BLUE, -1);            /* dim */
        init_pair(7, COLOR_GREEN, -1);           /* ok */
    }
    return 0;
}

void crt_done(void)
{
    if (started) {
        curs_set(1);
        endwin();
        started = 0;
    }
}

void crt_fatal(const char *fmt, ...)
{
    crt_done();
    va_list ap;
    va_start(ap, fmt);
    fputs("cati: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

int crt_has_colors(void)
{
    return colors;
}

void crt_beep(void)
{
    beep();
}

static attr_t style_attr(enum crt_style s)
{
    if (colors) {
        switch (s) {
        case CRT_TITLE: return COLOR_PAIR(1) | A_BOLD;
        case CRT_KEYBAR: return COLOR_PAIR(2);
        case CRT_HILITE: return COLOR_PAIR(3) | A_BOLD;
        case CRT_ERROR: return COLOR_PAIR(4) | A_BOLD;
        case CRT_WARN: return COLOR_PAIR(5) | A_BOLD;
        case CRT_DIM: return COLOR_PAIR(6);
        case CRT_OK: return COLOR_PAIR(7) | A_BOLD;
        case CRT_NORMAL: return A_NORMAL;
        }
    }
    switch (s) { /* monochrome: reverse, bold, underline carry the meaning */
    case CRT_TITLE: return A_REVERSE | A_BOLD;
    case CRT_KEYBAR: return A_REVERSE;
    case CRT_HILITE: return A_REVERSE;
    case CRT_ERROR: return A_BOLD | A_REVERSE;
    case CRT_WARN: return A_BOLD;
    case CRT_DIM: return A_DIM;
    case CRT_OK: return A_BOLD;
    case CRT_NORMAL: return A_NORMAL;
    }
    return A_NORMAL;
}

/* Decode one UTF-8 character; returns bytes used (invalid bytes: 1, U+FFFD). */
static int decode(const char *s, wchar_t *wc)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = mbrtowc(wc, s, MB_CUR_MAX, &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        *wc = n == 0 ? L'\0' : 0xFFFD;
        return 1;
    }
    return (int)n;
}

static int char_width(wchar_t wc)
{
    int w = wcwidth(wc);
    return w < 0 ? 1 : w;
}

int crt_width(const char *s)
{
    int w = 0;
    while (*s) {
        wchar_t wc;
        s += decode(s, &wc);
        w += char_width(wc);
    }
    return w;
}

int crt_put(int y, int x, int width, enum crt_style style, const char *s)
{
    if (width <= 0 || !s)
        return 0;
    attr_t a = style_attr(style);
    attron(a);
    move(y, x);
    int used = 0;
    while (*s) {
        wchar_t wc;
        int n = decode(s, &wc);
        if (wc == L'\n' || wc == L'\t')
            wc = L' ';
        int w = char_width(wc);
        if (used + w > width)
            break;
        wchar_t buf[2] = {wc, 0};
        addnwstr(buf, 1);
        used += w;
        s += n;
    }
    attroff(a);
    return used;
}

/* Width of the word (up to a space or newline) at s; *len gets its bytes. */
static int word_width(const char *s, size_t *len)
{
    size_t n = 0;
    int w = 0;
    while (s[n] && s[n] != ' ' && s[n] != '\n') {
        wchar_t wc;
        n += (size_t)decode(s + n, &wc);
        w += char_width(wc);
    }
    *len = n;
    return w;
}

struct wrap { int y, x, width, max_rows, row, col; attr_t attr; };

/* Place one character, moving to the next row when it would not fit. */
static void wrap_char(struct wrap *w, wchar_t wc)
{
    int cw = char_width(wc);
    if (w->col + cw > w->width) {
        w->row++;
        w->col = 0;
    }
    if (w->row < w->max_rows) {
        wchar_t buf[2] = {wc, 0};
        mvaddnwstr(w->y + w->row, w->x + w->col, buf, 1);
    }
    w->col += cw;
}

int crt_wrap(int y, int x, int width, int max_rows, enum crt_style style, const char *s)
{
    struct wrap w = {y, x, width, max_rows, 0, 0, style_attr(style)};
    attron(w.attr);
    while (*s) {
        if (*s == '\n' || *s == ' ') {
            if (*s == '\n') {
                w.row++;
                w.col = 0;
            }
            s++;
            continue;
        }
        size_t len;
        int ww = word_width(s, &len);
        if (w.col > 0 && w.col + 1 + ww > width) { /* word goes to the next line */
            w.row++;
            w.col = 0;
        } else if (w.col > 0) {
            wrap_char(&w, L' ');
        }
        for (const char *end = s + len; s < end;) {
            wchar_t wc;
            s += decode(s, &wc);
            wrap_char(&w, wc); /* a word wider than the line is cut across lines */
        }
    }
    attroff(w.attr);
    return w.row + (w.col > 0 ? 1 : 0);
}

void crt_clear(void)
{
    erase();
}

void crt_bar(int y, enum crt_style style)
{
    attr_t a = style_attr(style);
    attron(a);
    mvhline(y, 0, ' ', COLS);
    attroff(a);
}

void crt_keybar(const char *const *pairs)
{
    int y = LINES - 1, x = 0;
    crt_bar(y, CRT_KEYBAR);
    for (int i = 0; pairs[i] && pairs[i + 1]; i += 2) {
        int need = crt_width(pairs[i]) + crt_width(pairs[i + 1]) + 2;
        if (x + need > COLS)
            break;
        x += crt_put(y, x, COLS - x, CRT_HILITE, pairs[i]);
        x += crt_put(y, x, COLS - x, CRT_KEYBAR, " ");
        x += crt_put(y, x, COLS - x, CRT_KEYBAR, pairs[i + 1]);
        x += crt_put(y, x, COLS - x, CRT_KEYBAR, " ");
    }
}

void crt_fill(int y, int x, int n, enum crt_style style)
{
    if (n <= 0)
        return;
    attr_t a = style_attr(style);
    attron(a);
    mvhline(y, x, ' ', n);
    attroff(a);
}

void crt_box(int y, int x, int h, int w, enum crt_style style, const char *title)
{
    if (h < 2 || w < 2)
        return;
    for (int r = 0; r < h; r++)
        crt_fill(y + r, x, w, style);
    /* Unicode line drawing (the console runs in a UTF-8 locale): it shows
     * the same in every terminal and in a screen capture, unlike ACS */
    char line[4 * 512];
    int n = w - 2 < 500 ? w - 2 : 500;
    line[0] = '\0';
    for (int i = 0; i < n; i++)
        memcpy(line + 3 * i, "\xe2\x94\x80", 4); /* ─ */
    crt_put(y, x, 1, style, "\xe2\x94\x8c");         /* ┌ */
    crt_put(y, x + 1, n, style, line);
    crt_put(y, x + w - 1, 1, style, "\xe2\x94\x90"); /* ┐ */
    for (int r = 1; r < h - 1; r++) {
        crt_put(y + r, x, 1, style, "\xe2\x94\x82");  /* │ */
        crt_put(y + r, x + w - 1, 1, style, "\xe2\x94\x82");
    }
    crt_put(y + h - 1, x, 1, style, "\xe2\x94\x94");  /* └ */
    crt_put(y + h - 1, x + 1, n, style, line);
    crt_put(y + h - 1, x + w - 1, 1, style, "\xe2\x94\x98"); /* ┘ */
    if (title && *title && w > 6) {
        int tx = x + 2;
        tx += crt_put(y, tx, w - 6, style, " ");
        tx += crt_put(y, tx, w - 6, CRT_TITLE, title);
        crt_put(y, tx, 1, style, " ");
    }
}

int crt_has_key(int keycode)
{
    return has_key(keycode) == TRUE;
}

int crt_rows(void)
{
    return LINES;
}

int crt_cols(void)
{
    return COLS;
}

void crt_cursor(int y, int x)
{
    if (y < 0) {
        curs_set(0);
        return;
    }
    curs_set(1);
    move(y, x);
}

static void draw_too_small(void)
{
    erase();
    const char *msg = "terminal too small";
    char need[64];
    snprintf(need, sizeof need, "need %dx%d, have %dx%d", CRT_MIN_COLS, CRT_MIN_ROWS, COLS, LINES);
    mvaddnstr(LINES / 2 - 1 > 0 ? LINES / 2 - 1 : 0, 0, msg, COLS);
    mvaddnstr(LINES / 2 > 0 ? LINES / 2 : 1, 0, need, COLS);
    refresh();
}

static int key_timeout_ms; /* crt_key_timeout: 0 = none pending */

void crt_key_timeout(int ms)
{
    key_timeout_ms = ms > 0 ? ms : 0;
}

int crt_run(const struct crt_screen_ops *ops, void *ctx)
{
    int dirty = 1;
    for (;;) {
        if (quit_signal)
            return quit_signal;
        int small = COLS < CRT_MIN_COLS || LINES < CRT_MIN_ROWS;
        if (dirty) {
            if (small) {
                draw_too_small();
            } else {
                curs_set(0);
                erase();
                ops->draw(ctx, LINES, COLS);
                refresh();
            }
            dirty = 0;
        }
        /* Block for a key; wake for ticks only on screens that need them. */
        int wait = ops->tick && ops->tick_ms > 0 ? ops->tick_ms : -1;
        if (key_timeout_ms > 0 && (wait < 0 || key_timeout_ms < wait))
            wait = key_timeout_ms;
        timeout(wait);
        wint_t ch;
        int rc = get_wch(&ch);
        if (quit_signal)
            return quit_signal;
        if (rc == ERR) {
            if (errno == EINTR)
                continue;
            if (key_timeout_ms > 0) { /* nothing typed in time: tell the screen */
                key_timeout_ms = 0;
                if (!small && ops->key(ctx, (struct crt_key){1, CRT_KEY_TIMEOUT}) == CRT_LEAVE)
                    return 0;
                dirty = 1;
                continue;
            }
            if (ops->tick && !small && ops->tick(ctx) == CRT_LEAVE)
                return 0;
            dirty = 1;
            continue;
        }
        if (rc == KEY_CODE_YES && ch == KEY_RESIZE) {
            dirty = 1;
            continue;
        }
        key_timeout_ms = 0; /* a key came in time */
        if (small)
            continue; /* nothing to act on until the terminal is big enough */
        struct crt_key k = {rc == KEY_CODE_YES, ch};
        enum crt_result r = ops->key(ctx, k);
        if (r == CRT_LEAVE)
            return 0;
        dirty = 1;
    }
}
