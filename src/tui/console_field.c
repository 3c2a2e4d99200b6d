/* A UTF-8 text field for answers, notes and the appointment picker: edits
 * by character, wraps by word, keeps the cursor in view. */
#include "console.h"

#include <curses.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

void field_init(struct con_field *f, enum con_filter filter, int maxchars)
{
    memset(f, 0, sizeof *f);
    f->filter = filter;
    f->maxchars = maxchars;
    f->want_col = -1;
}

void field_set(struct con_field *f, const char *s)
{
    size_t n = strlen(s);
    if (n >= sizeof f->buf)
        n = sizeof f->buf - 1;
    while (n > 0 && (s[n] & 0xC0) == 0x80) /* not in the middle of a character */
        n--;
    memcpy(f->buf, s, n);
    f->buf[n] = '\0';
    f->len = f->cur = n;
    f->want_col = -1;
    f->fresh = 0;
}

void field_prefill(struct con_field *f, const char *s)
{
    field_set(f, s);
    f->fresh = f->len > 0;
}

void field_clear(struct con_field *f)
{
    f->buf[0] = '\0';
    f->len = f->cur = 0;
    f->want_col = -1;
    f->fresh = 0;
}

int field_empty(const struct con_field *f)
{
    for (size_t i = 0; i < f->len; i++)
        if (f->buf[i] != ' ')
            return 0;
    return 1;
}

int field_chars(const struct con_field *f)
{
    int n = 0;
    for (size_t i = 0; i < f->len; i++)
        if ((f->buf[i] & 0xC0) != 0x80)
            n++;
    return n;
}

static size_t char_len(const char *s)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = mbrlen(s, MB_CUR_MAX, &st);
    return n == 0 || n == (size_t)-1 || n == (size_t)-2 ? 1 : n;
}

static size_t prev_char(const struct con_field *f, size_t pos)
{
    if (pos == 0)
        return 0;
    pos--;
    while (pos > 0 && (f->buf[pos] & 0xC0) == 0x80)
        pos--;
    return pos;
}

static int count_chars(const char *s, size_t len)
{
    int n = 0;
    for (size_t i = 0; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

static int allowed(const struct con_field *f, wint_t ch)
{
    switch (f->filter) {
    case FIELD_ANY: return ch >= 32 && ch != 127 && iswprint(ch);
    case FIELD_INT: return (ch >= '0' && ch <= '9') || (ch == '-' && f->cur == 0);
    case FIELD_DATE: return (ch >= '0' && ch <= '9') || ch == '-';
    case FIELD_TIME: return (ch >= '0' && ch <= '9') || ch == ':';
    case FIELD_CODES: return (ch >= '0' && ch <= '9') || ch == ',' || ch == ' ';
    }
    return 0;
}

static int insert(struct con_field *f, wint_t ch)
{
    char mb[MB_LEN_MAX];
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = wcrtomb(mb, (wchar_t)ch, &st);
    if (n == (size_t)-1)
        return -1;
    if (f->len + n >= sizeof f->buf || (f->maxbytes && f->len + n > f->maxbytes))
        return -1;
    if (f->maxchars > 0 && count_chars(f->buf, f->len) >= f->maxchars)
        return -1;
    memmove(f->buf + f->cur + n, f->buf + f->cur, f->len - f->cur + 1);
    memcpy(f->buf + f->cur, mb, n);
    f->len += n;
    f->cur += n;
    return 0;
}

static void delete_range(struct con_field *f, size_t from, size_t to)
{
    memmove(f->buf + from, f->buf + to, f->len - to + 1);
    f->len -= to - from;
    f->cur = from;
}

/* --- layout: where each line starts when wrapped by word into width ----- */

struct layout {
    size_t start[256]; /* byte offset of each line */
    int n;
};

static int cw(const char *s)
{
    wchar_t wc;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
    if (n == 0 || n == (size_t)-1 || n == (size_t)-2)
        return 1;
    int w = wcwidth(wc);
    return w < 0 ? 1 : w;
}

static void lay_out(const struct con_field *f, int width, struct layout *L)
{
    L->n = 1;
    L->start[0] = 0;
    if (width < 2)
        width = 2;
    size_t i = 0, line = 0, last_space = (size_t)-1;
    int col = 0;
    while (i < f->len && L->n < 256) {
        int w = cw(f->buf + i);
        if (col + w > width) {
            size_t brk = last_space != (size_t)-1 && last_space > line ? last_space : i;
            L->start[L->n++] = brk;
            line = brk;
            last_space = (size_t)-1;
            col = 0;
            for (size_t j = line; j < i; j += char_len(f->buf + j))
                col += cw(f->buf + j);
            continue;
        }
        if (f->buf[i] == ' ')
            last_space = i + 1;
        col += w;
        i += char_len(f->buf + i);
    }
}

/* Line and column of byte offset pos. */
static void locate(const struct con_field *f, const struct layout *L, size_t pos, int *row, int *col)
{
    int r = 0;
    while (r + 1 < L->n && L->start[r + 1] <= pos)
        r++;
    int c = 0;
    for (size_t j = L->start[r]; j < pos; j += char_len(f->buf + j))
        c += cw(f->buf + j);
    *row = r;
    *col = c;
}

/* Byte offset on line r nearest to column col. */
static size_t offset_at(const struct con_field *f, const struct layout *L, int r, int col)
{
    size_t end = r + 1 < L->n ? L->start[r + 1] : f->len;
    size_t j = L->start[r];
    int c = 0;
    while (j < end) {
        int w = cw(f->buf + j);
        if (c + w > col)
            break;
        c += w;
        j += char_len(f->buf + j);
    }
    if (r + 1 < L->n && j == end && j > L->start[r]) /* stay on this line */
        j = prev_char(f, end);
    return j;
}

enum crt_result field_key(struct con_field *f, struct crt_key k, int width)
{
    if (!k.is_key) {
        wint_t ch = k.ch;
        if (f->fresh && ch >= 32 && ch != 127) { /* typed over a pre-filled field: replace it */
            size_t len = f->len, cur = f->cur;
            f->len = f->cur = 0;
            if (allowed(f, ch)) {
                f->buf[0] = '\0';
            } else {
                f->len = len;
                f->cur = cur;
            }
        }
        f->fresh = 0;
        if (ch == 127 || ch == 8) {
            if (f->cur == 0)
                return CRT_HANDLED;
            delete_range(f, prev_char(f, f->cur), f->cur);
        } else if (ch == CON_CTRL('A')) {
            f->cur = 0;
        } else if (ch == CON_CTRL('E')) {
            f->cur = f->len;
        } else if (ch == CON_CTRL('K')) {
            delete_range(f, f->cur, f->len);
        } else if (ch == CON_CTRL('U')) {
            delete_range(f, 0, f->cur);
        } else if (allowed(f, ch)) {
            if (insert(f, ch) < 0)
                crt_beep();
        } else {
            return CRT_IGNORED;
        }
        f->want_col = -1;
        return CRT_HANDLED;
    }
    struct layout L;
    int row, col;
    if (k.ch == KEY_BACKSPACE || k.ch == KEY_DC || k.ch == KEY_LEFT || k.ch == KEY_RIGHT ||
        k.ch == KEY_HOME || k.ch == KEY_END)
        f->fresh = 0; /* editing the pre-filled content */
    switch (k.ch) {
    case KEY_BACKSPACE:
        if (f->cur > 0)
            delete_range(f, prev_char(f, f->cur), f->cur);
        break;
    case KEY_DC:
        if (f->cur < f->len)
            delete_range(f, f->cur, f->cur + char_len(f->buf + f->cur));
        break;
    case KEY_LEFT:
        if (f->cur == 0)
            return CRT_IGNORED;
        f->cur = prev_char(f, f->cur);
        break;
    case KEY_RIGHT:
        if (f->cur >= f->len)
            return CRT_IGNORED;
        f->cur += char_len(f->buf + f->cur);
        break;
    case KEY_HOME: f->cur = 0; break;
    case KEY_END: f->cur = f->len; break;
    case KEY_UP:
    case KEY_DOWN:
        if (width <= 0)
            return CRT_IGNORED;
        lay_out(f, width, &L);
        locate(f, &L, f->cur, &row, &col);
        if (f->want_col >= 0)
            col = f->want_col;
        row += k.ch == KEY_UP ? -1 : 1;
        if (row < 0 || row >= L.n)
            return CRT_IGNORED;
        f->cur = offset_at(f, &L, row, col);
        f->want_col = col;
        return CRT_HANDLED;
    default:
        return CRT_IGNORED;
    }
    f->want_col = -1;
    return CRT_HANDLED;
}

int field_draw(struct con_field *f, int y, int x, int width, int rows, enum crt_style style,
               int focused)
{
    if (width < 2 || rows < 1)
        return 1;
    struct layout L;
    lay_out(f, width - 1, &L); /* one column spare for the cursor at the end */
    int crow, ccol;
    locate(f, &L, f->cur, &crow, &ccol);
    int first = crow >= rows ? crow - rows + 1 : 0;
    int used = 0;
    for (int r = first; r < L.n && used < rows; r++, used++) {
        size_t end = r + 1 < L.n ? L.start[r + 1] : f->len;
        char line[CON_FIELD_MAX];
        memcpy(line, f->buf + L.start[r], end - L.start[r]);
        line[end - L.start[r]] = '\0';
        crt_fill(y + used, x, width, style);
        crt_put(y + used, x, width, style, line);
    }
    for (int r = used; r < rows && r < 1; r++, used++) /* an empty field still shows */
        crt_fill(y + r, x, width, style);
    if (focused) { /* the screen places the cursor last: crt_cursor(f->cy, f->cx) */
        f->cy = y + crow - first;
        f->cx = x + ccol;
    }
    return used > 0 ? used : 1;
}
