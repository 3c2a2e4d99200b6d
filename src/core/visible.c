/* The one sanitiser for printed text (cati/visible.h). */
#include "cati/visible.h"

#include <stdio.h>
#include <string.h>

/* Length of the UTF-8 sequence starting with lead byte c, 0 if c cannot
 * start one. */
static size_t seq_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF)
        return 3;
    if (c >= 0xF0 && c <= 0xF4)
        return 4;
    return 0;
}

/* 1 if s (len bytes, len = seq_len(s[0])) is a well-formed sequence. */
static int seq_ok(const unsigned char *s, size_t len)
{
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (len == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
        return 0; /* overlong, surrogate */
    if (len == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90)))
        return 0; /* overlong, beyond U+10FFFF */
    return 1;
}

struct out {
    char buf[512];
    size_t n;
    int (*put)(void *, const char *, size_t);
    void *ctx;
    int failed;
};

static void emit(struct out *o, const char *s, size_t n)
{
    if (o->n + n > sizeof o->buf) {
        if (o->put(o->ctx, o->buf, o->n) < 0)
            o->failed = 1;
        o->n = 0;
    }
    memcpy(o->buf + o->n, s, n);
    o->n += n;
}

static void emit_control(struct out *o, unsigned c)
{
    char b[16];
    if (c < 0x20)
        snprintf(b, sizeof b, "^%c", (char)(c + '@'));
    else if (c == 0x7f)
        snprintf(b, sizeof b, "^?");
    else
        snprintf(b, sizeof b, "<U+%04X>", c);
    emit(o, b, strlen(b));
}

static void emit_bad(struct out *o, unsigned char c)
{
    char b[8];
    snprintf(b, sizeof b, "<%02X>", c);
    emit(o, b, strlen(b));
}

int cati_visible_write(struct cati_visible *v, const char *s, size_t n, int final,
                       int (*put)(void *ctx, const char *bytes, size_t len), void *ctx)
{
    struct out o = {.put = put, .ctx = ctx};
    /* work on held bytes + s as one stream, one character at a time */
    unsigned char cur[4];
    size_t have = 0, i = 0;
    size_t nh = v->nheld;
    memcpy(cur, v->held, nh);
    v->nheld = 0;
    have = nh;
    for (;;) {
        while (have < 1 && i < n)
            cur[have++] = (unsigned char)s[i++];
        if (have == 0)
            break;
        unsigned char c = cur[0];
        if (c == '\r') {
            if (have < 2 && i < n)
                cur[have++] = (unsigned char)s[i++];
            if (have < 2) {
                if (!final) { /* wait: is an LF next? */
                    v->held[0] = c;
                    v->nheld = 1;
                    break;
                }
                emit_control(&o, c);
                have = 0;
                continue;
            }
            if (cur[1] == '\n')
                emit(&o, "\r\n", 2);
            else {
                emit_control(&o, c);
                cur[0] = cur[1];
                have = 1;
                continue;
            }
            have = 0;
            continue;
        }
        if (c < 0x80) {
            if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
                emit_control(&o, c);
            else
                emit(&o, (const char *)&c, 1);
            have = 0;
            continue;
        }
        size_t len = seq_len(c);
        if (len == 0) {
            emit_bad(&o, c);
            have = 0;
            continue;
        }
        while (have < len && i < n)
            cur[have++] = (unsigned char)s[i++];
        if (have < len) {
            int could_continue = 1;
            for (size_t k = 1; k < have; k++)
                could_continue &= (cur[k] & 0xC0) == 0x80;
            if (!final && could_continue) {
                memcpy(v->held, cur, have);
                v->nheld = have;
                break;
            }
        }
        if (have < len || !seq_ok(cur, len)) {
            emit_bad(&o, c); /* the lead byte; the rest is looked at again */
            memmove(cur, cur + 1, have - 1);
            have--;
            continue;
        }
        if (len == 2 && c == 0xC2 && cur[1] < 0xA0)
            emit_control(&o, cur[1]); /* U+0080 … U+009F */
        else
            emit(&o, (const char *)cur, len);
        have = 0;
    }
    if (o.n && o.put(o.ctx, o.buf, o.n) < 0)
        o.failed = 1;
    return o.failed ? -1 : 0;
}

struct strout {
    char *out;
    size_t size, n;
};

static int put_str(void *ctx, const char *b, size_t len)
{
    struct strout *so = ctx;
    if (so->n + len >= so->size)
        return -1; /* full: the rest is dropped */
    memcpy(so->out + so->n, b, len);
    so->n += len;
    so->out[so->n] = '\0';
    return 0;
}

char *cati_visible_str(const char *s, char *out, size_t size)
{
    struct cati_visible v = {0};
    struct strout so = {out, size, 0};
    if (size)
        out[0] = '\0';
    cati_visible_write(&v, s, strlen(s), 1, put_str, &so);
    return out;
}
