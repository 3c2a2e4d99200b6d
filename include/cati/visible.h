#ifndef CATI_VISIBLE_H
#define CATI_VISIBLE_H
/* The one sanitiser for text cati prints: data from samples, notes,
 * answers and input files may hold terminal control sequences (ESC[2J,
 * OSC 52 clipboard writes, a title change ending in BEL, the one-byte CSI
 * U+009B). Printed through here they show visibly and do nothing:
 *   C0 controls and DEL   ^@ … ^_, ^?   (ESC is ^[)
 *   C1 controls           <U+0080> … <U+009F>
 *   invalid UTF-8 bytes   <XX> (hex)
 * Newline and tab pass, and CR only directly before LF (CSV's CRLF). */

#include <stddef.h>

/* Carries an incomplete UTF-8 sequence or a CR from one chunk to the next. */
struct cati_visible {
    unsigned char held[4];
    size_t nheld;
};

/* Write the visible form of n bytes of s through put(ctx, bytes, len).
 * With final set, what is held is flushed too. Returns 0, or -1 when put
 * failed. */
int cati_visible_write(struct cati_visible *v, const char *s, size_t n, int final,
                       int (*put)(void *ctx, const char *bytes, size_t len), void *ctx);

/* The visible form of the NUL-terminated s in out (size bytes, truncated
 * at a character boundary). Returns out. */
char *cati_visible_str(const char *s, char *out, size_t size);

#endif
