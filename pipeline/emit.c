/* emit.c - the record of a document as XML (libxml2 xmlTextWriter) and as
 * TSV in the gold format of ANNOTATION.md.
 *
 * The XML is a <document> element (the caller wraps one or more in a
 * <newsmine> root, see nm_xml_head/nm_xml_tail); schema/newsmine.rng
 * describes it.  Output is deterministic: same input and lexicons, same
 * bytes.
 *
 * Cost model: a record is about three times the size of its input and most of
 * it is fact elements, so the facts (and the TSV rows) are written by a
 * tight buffer writer: literals copied with memcpy of known length, numbers
 * by a local conversion, strings escaped by a table-driven scan.  When all
 * the values of the <document> start tag are ASCII (the common case), the
 * tag is made by the same writer as the facts, escaped the way libxml2's
 * xmlTextWriter escapes ASCII, and that buffer is the record (what the
 * writer would give back for it written raw at top level); otherwise the
 * thread's xmlTextWriter makes the element by its own StartElement/
 * WriteAttribute calls (xml_body) and receives the facts in one
 * xmlTextWriterWriteRawLen.
 */
#include "emit.h"
#include "stages.h"

#include <libxml/xmlwriter.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

char *nm_clean_text(nm_doc *doc, const char *s, size_t n, bool tsv)
{
    char *out = nm_arena_alloc(&doc->arena, n * 3 + 1);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            bool ws = c == '\t' || c == '\n' || c == '\r';
            out[o++] = (c < 0x20 && !ws) || c == 0x7F || (tsv && ws) ? ' ' : (char)c;
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0 || (cp >= 0x80 && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i += k <= 0 ? 1 : (size_t)k;
        } else {
            memcpy(out + o, s + i, (size_t)k);
            o += (size_t)k;
            i += (size_t)k;
        }
    }
    out[o] = '\0';
    return out;
}

/* True when s[0..n) is all printable ASCII (0x20..0x7E), which
 * nm_clean_text leaves as it is. */
static bool printable_ascii(const char *s, size_t n)
{
    /* Eight bytes at a time: a byte below 0x20 makes w - 0x20.. borrow
     * into its top bit (where ~w has it set), a byte of 0x7F or more has
     * the top bit set in w + 0x01.. or in w.  Borrows and carries only
     * ever add false alarms, which the byte loop then settles. */
    const uint64_t ones = UINT64_C(0x0101010101010101), high = ones * 0x80;
    size_t i = 0;
#ifdef __SSE2__
    /* Sixteen at a time first: adding 1 maps 0x7F and up to negative
     * values and 0x00..0x1F to 1..0x20, so one signed compare finds both. */
    for (; i + 16 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        if (_mm_movemask_epi8(_mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(1)), _mm_set1_epi8(0x21))))
            return false;
    }
#endif
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (((w - ones * 0x20) & ~w & high) | (((w + ones) | w) & high))
            break;
    }
    for (; i < n; i++)
        if ((unsigned char)s[i] - 0x20u >= 0x5Fu)
            return false;
    return true;
}

/* A NUL-terminated string cleaned for XML: itself when already clean.
 * With len, its length is stored there. */
static const char *clean_cstr(nm_doc *doc, const char *s, size_t *len)
{
    size_t n = strlen(s);
    if (!printable_ascii(s, n)) {
        s = nm_clean_text(doc, s, n, false);
        n = len ? strlen(s) : 0;
    }
    if (len)
        *len = n;
    return s;
}

/* ------------------------------------------------------------ buffer */

/* A growing byte buffer written through a cursor: the writers below take
 * and return the cursor o (b->p <= o <= b->p + b->cap), and b->n is only
 * brought up to date at the end (xb_end).
 *
 * Room: each element (a fact, a diagnostic, the start tag) begins with
 * XB_SLACK bytes free (xb_room).  Pieces of bounded size are then written
 * without checks: literals, numbers (at most 20 bytes), and the first
 * step of esc_cstr and put_name (16 bytes) and esc_short (4 bytes), which
 * ends most strings.  A writer that may go
 * further (put_cstr, put_n, the later steps of esc_cstr and esc_short,
 * esc_printable) checks, and returns with XB_SLACK bytes free again.
 * XB_SLACK is above what one element writes unchecked: at most about 900
 * bytes, a fact with NM_MAX_ATTRS attributes whose strings all end in
 * their first step and a text of TEXT_SHORT bytes. */
typedef struct xbuf {
    char *p;
    size_t n, cap;
} xbuf;

#define XB_SLACK 1024

/* Where a writer must stop to make room: a byte-at-a-time writer may then
 * still write one escape (up to 8 bytes), the 16-byte esc_cstr one step
 * of 16 bytes and keep at most 15 of them, and leave XB_SLACK bytes free. */
#define XB_LIM(b) ((b)->p + (b)->cap - XB_SLACK - 16)

/* Starts b with room for cap bytes; returns the cursor. */
static char *xb_init(xbuf *b, size_t cap)
{
    b->p = NULL;
    b->n = b->cap = 0;
    nm_vec_reserve((void **)&b->p, &b->cap, cap, 1);
    return b->p;
}

static char *xb_grow(xbuf *b, char *o, size_t need)
{
    size_t n = (size_t)(o - b->p);
    nm_vec_reserve((void **)&b->p, &b->cap, n + need, 1);
    return b->p + n;
}

/* Makes sure that need bytes can be written at o. */
static inline char *xb_room(xbuf *b, char *o, size_t need)
{
    if ((size_t)(b->p + b->cap - o) < need)
        o = xb_grow(b, o, need);
    return o;
}

static inline void xb_end(xbuf *b, char *o) { b->n = (size_t)(o - b->p); }

/* Copies a string literal: o = LIT(o, "text"). */
#define LIT(o, s) (memcpy((o), (s), sizeof(s) - 1), (o) + sizeof(s) - 1)

/* "00" "01" ... "99": two digits per division. */
static const char digits2[201] = "00010203040506070809101112131415161718192021222324"
                                 "25262728293031323334353637383940414243444546474849"
                                 "50515253545556575859606162636465666768697071727374"
                                 "75767778798081828384858687888990919293949596979899";

/* The numbers 0..999 as three digits, zero-padded, in bytes 0..2 of a
 * little-endian word, with the count of leading zeros in byte 3. */
#define DEC3(n)                                                                \
    ((uint32_t)('0' + (n) / 100) | (uint32_t)('0' + (n) / 10 % 10) << 8 |     \
     (uint32_t)('0' + (n) % 10) << 16 | (uint32_t)((n) < 10 ? 2 : (n) < 100 ? 1 : 0) << 24)
#define DEC3_10(n)                                                             \
    DEC3(n), DEC3(n + 1), DEC3(n + 2), DEC3(n + 3), DEC3(n + 4), DEC3(n + 5),  \
        DEC3(n + 6), DEC3(n + 7), DEC3(n + 8), DEC3(n + 9)
#define DEC3_100(n)                                                            \
    DEC3_10(n), DEC3_10(n + 10), DEC3_10(n + 20), DEC3_10(n + 30),             \
        DEC3_10(n + 40), DEC3_10(n + 50), DEC3_10(n + 60), DEC3_10(n + 70),    \
        DEC3_10(n + 80), DEC3_10(n + 90)
static const uint32_t dec3[1000] = {
    DEC3_100(0),   DEC3_100(100), DEC3_100(200), DEC3_100(300), DEC3_100(400),
    DEC3_100(500), DEC3_100(600), DEC3_100(700), DEC3_100(800), DEC3_100(900)};
#undef DEC3_100
#undef DEC3_10
#undef DEC3

/* Writes v in decimal (at most 20 bytes).  Offsets and sentence numbers
 * mostly have one to six digits: those are written by table, two or three
 * digits at a time.  Up to four bytes past the digits may be written (the
 * cursor moves past the digits only). */
static inline char *put_u64(char *o, uint64_t v)
{
    if (v < 100) {
        if (v < 10) {
            *o = (char)('0' + v);
            return o + 1;
        }
        memcpy(o, digits2 + 2 * v, 2);
        return o + 2;
    }
    if (v < 1000) {
        memcpy(o, &dec3[v], 4); /* three digits (and byte 3: 0) */
        return o + 3;
    }
    if (v < 1000000) {
        /* The leading part without its leading zeros (shifted out of the
         * word), then the other three digits. */
        uint32_t q = (uint32_t)v / 1000, r = (uint32_t)v % 1000;
        uint32_t w = dec3[q], z = w >> 24;
        w >>= 8 * z;
        memcpy(o, &w, 4);
        o += 3 - z;
        memcpy(o, &dec3[r], 4);
        return o + 3;
    }
    unsigned n = 7;
    for (uint64_t p = 10000000; n < 20 && v >= p; p *= 10)
        n++;
    char *e = o + n;
    while (v >= 100) {
        e -= 2;
        memcpy(e, digits2 + 2 * (v % 100), 2);
        v /= 100;
    }
    if (v >= 10)
        memcpy(e - 2, digits2 + 2 * v, 2);
    else
        e[-1] = (char)('0' + v);
    return o + n;
}

/* Copies a NUL-terminated string as it is (names, TSV fields). */
static char *put_cstr(xbuf *b, char *o, const char *s)
{
    char *lim = XB_LIM(b);
    for (;;) {
        /* Four bytes per step, as in esc_cstr: each stored before it is
         * tested, s[k + 1] read only when s[k] is not the NUL. */
        while (o < lim) {
            if (!(o[0] = s[0]))
                break;
            if (!(o[1] = s[1])) {
                o += 1, s += 1;
                break;
            }
            if (!(o[2] = s[2])) {
                o += 2, s += 2;
                break;
            }
            if (!(o[3] = s[3])) {
                o += 3, s += 3;
                break;
            }
            o += 4, s += 4;
        }
        if (!*s)
            return o;
        o = xb_grow(b, o, 2 * XB_SLACK + 16);
        lim = XB_LIM(b);
    }
}

/* Copies n bytes, leaving XB_SLACK bytes of room after them. */
static inline char *put_n(xbuf *b, char *o, const char *s, size_t n)
{
    o = xb_room(b, o, n + XB_SLACK);
    memcpy(o, s, n);
    return o + n;
}

/* ------------------------------------------------------------ escaping */

/* The escaping of attribute values (and of diagnostic text): & < > " and
 * TAB, LF, CR as references, every other byte as it is.  esc_class is
 * 1 for those bytes, 2 for NUL (end of a C string) and for the other bytes
 * outside 0x20..0x7E (where the text attribute of a fact must be cleaned
 * first), 0 for the rest. */
enum { ESC_COPY = 0, ESC_REF = 1, ESC_STOP = 2 };

static const unsigned char esc_class[256] = {
    [0x00] = 2, [0x01] = 2, [0x02] = 2, [0x03] = 2, [0x04] = 2, [0x05] = 2, [0x06] = 2,
    [0x07] = 2, [0x08] = 2, ['\t'] = 1, ['\n'] = 1, [0x0B] = 2, [0x0C] = 2, ['\r'] = 1,
    [0x0E] = 2, [0x0F] = 2, [0x10] = 2, [0x11] = 2, [0x12] = 2, [0x13] = 2, [0x14] = 2,
    [0x15] = 2, [0x16] = 2, [0x17] = 2, [0x18] = 2, [0x19] = 2, [0x1A] = 2, [0x1B] = 2,
    [0x1C] = 2, [0x1D] = 2, [0x1E] = 2, [0x1F] = 2, ['&'] = 1, ['<'] = 1, ['>'] = 1,
    ['"'] = 1, [0x7F] = 2,
#define R16(x) [x] = 2, [x + 1] = 2, [x + 2] = 2, [x + 3] = 2, [x + 4] = 2, [x + 5] = 2, \
               [x + 6] = 2, [x + 7] = 2, [x + 8] = 2, [x + 9] = 2, [x + 10] = 2,         \
               [x + 11] = 2, [x + 12] = 2, [x + 13] = 2, [x + 14] = 2, [x + 15] = 2
    R16(0x80), R16(0x90), R16(0xA0), R16(0xB0), R16(0xC0), R16(0xD0), R16(0xE0), R16(0xF0),
#undef R16
};

/* Replacement of an ESC_REF byte, padded to 8 bytes so it is copied by one
 * fixed-size move; esc_len is its length. */
static const char esc_ref[256][8] = {
    ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;",
    ['\t'] = "&#9;", ['\n'] = "&#10;", ['\r'] = "&#13;",
};
static const unsigned char esc_len[256] = {
    ['&'] = 5, ['<'] = 4, ['>'] = 4, ['"'] = 6, ['\t'] = 4, ['\n'] = 5, ['\r'] = 5,
};

/* Whether esc_cstr and put_name read a C string 16 bytes at a time.  They
 * then read up to 15 bytes past the terminating NUL, but never across a
 * page boundary, so never memory that is not mapped (as the SSE2 strlen of
 * C libraries does; test_schema checks strings that end at a page before
 * an unmapped one).  AddressSanitizer would still see those reads as out
 * of bounds, so its builds use the byte loops (esc_short, put_cstr). */
#if defined(__SSE2__) && !defined(__SANITIZE_ADDRESS__)
#define ESC_WIDE 1
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#undef ESC_WIDE
#endif
#endif
#endif

/* esc_short past its fast path: references, growth, the end. */
static char *esc_cstr_slow(xbuf *b, char *o, const char *s)
{
    char *lim = XB_LIM(b);
    for (;;) {
        unsigned char c = 0;
        while (o < lim && esc_class[c = (unsigned char)*s] == ESC_COPY) {
            *o++ = (char)c;
            s++;
        }
        if (o >= lim) {
            o = xb_grow(b, o, 2 * XB_SLACK + 16);
            lim = XB_LIM(b);
        } else if (esc_class[c] == ESC_REF) {
            memcpy(o, esc_ref[c], 8);
            o += esc_len[c];
            s++;
        } else if (c == 0) {
            return o;
        } else { /* other bytes outside 0x20..0x7E: as they are */
            *o++ = (char)c;
            s++;
        }
    }
}

/* Escapes the NUL-terminated s from its fifth byte on (esc_short has
 * written the first four): returns with XB_SLACK bytes of room.  Four
 * bytes per step, each stored before it is tested, with one room test per
 * step (XB_LIM keeps 16 bytes beyond XB_SLACK for it).  s[k + 1] is read
 * only once s[k] is known not to be the terminating NUL (esc_class of NUL
 * is not ESC_COPY).  The loop ends at a byte to stop at, c (NUL: the end),
 * or at the limit, after a byte copied as it is (c not NUL). */
#define ESC_STEP(k)                                                            \
    c = (unsigned char)s[k];                                                   \
    o[k] = (char)c;                                                            \
    if (esc_class[c] != ESC_COPY) {                                            \
        o += k, s += k;                                                        \
        break;                                                                 \
    }

static char *esc_bytes(xbuf *b, char *o, const char *s)
{
    char *lim = XB_LIM(b);
    unsigned char c = 1;
    while (o < lim) {
        ESC_STEP(0) ESC_STEP(1) ESC_STEP(2) ESC_STEP(3)
        o += 4, s += 4;
    }
    if (c == 0)
        return o;
    return esc_cstr_slow(b, o, s);
}

/* Escapes the NUL-terminated s, best for short strings (ids, names): the
 * first four bytes inline, without a room test (see xbuf), the rest by
 * esc_bytes. */
static inline char *esc_short(xbuf *b, char *o, const char *s)
{
    unsigned char c;
    do {
        ESC_STEP(0) ESC_STEP(1) ESC_STEP(2) ESC_STEP(3)
        return esc_bytes(b, o + 4, s + 4);
    } while (0);
    return *s == '\0' ? o : esc_cstr_slow(b, o, s); /* s at the stop byte */
}

#undef ESC_STEP

/* Nonzero in the top bit of each byte of the word w that is not copied
 * as it is (esc_class not ESC_COPY): outside 0x20..0x7E, or & < > ".  The
 * tests are as in printable_ascii; " and & differ only in bit 2, < and >
 * only in bit 1, so one zero-byte test finds either of a pair.  Borrows
 * and carries only add false alarms, which a byte test then settles. */
#ifndef __SSE2__
static inline uint64_t esc_word(uint64_t w)
{
    const uint64_t ones = UINT64_C(0x0101010101010101), high = ones * 0x80;
    uint64_t qa = (w | ones * 0x04) ^ (ones * '&'); /* zero at " and & */
    uint64_t lg = (w | ones * 0x02) ^ (ones * '>'); /* zero at < and > */
    return (((w - ones * 0x20) & ~w) | ((w + ones) | w) | ((qa - ones) & ~qa) |
            ((lg - ones) & ~lg)) &
           high;
}
#endif

#ifdef __SSE2__
/* Bit k set when byte k of x is not copied as it is (esc_class not
 * ESC_COPY): outside 0x20..0x7E, or & < > ".  Adding 1 maps 0x7F and the
 * bytes from 0x80 on to negative values (0xFF to 0) and 0x00..0x1F to
 * 1..0x20, so one signed compare with 0x21 finds all the first kind; " and
 * & differ only in bit 2, < and > only in bit 1, so one compare finds
 * either of a pair. */
static inline unsigned esc_mask16(__m128i x)
{
    __m128i ctl = _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(1)), _mm_set1_epi8(0x21));
    __m128i qa = _mm_cmpeq_epi8(_mm_or_si128(x, _mm_set1_epi8(0x04)), _mm_set1_epi8('&'));
    __m128i lg = _mm_cmpeq_epi8(_mm_or_si128(x, _mm_set1_epi8(0x02)), _mm_set1_epi8('>'));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(ctl, _mm_or_si128(qa, lg)));
}
#endif

#ifdef ESC_WIDE
/* Bit k set when byte k of x ends a run that esc_cstr copies as it is: a
 * byte it writes as a reference (& < > " TAB LF CR) or the NUL.  All of
 * 0x00..0x0D are taken (min(x, 13) == x) and the few false alarms among
 * them are copied one by one. */
static inline unsigned esc_stop16(__m128i x)
{
    __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x0D)), x);
    __m128i qa = _mm_cmpeq_epi8(_mm_or_si128(x, _mm_set1_epi8(0x04)), _mm_set1_epi8('&'));
    __m128i lg = _mm_cmpeq_epi8(_mm_or_si128(x, _mm_set1_epi8(0x02)), _mm_set1_epi8('>'));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(low, _mm_or_si128(qa, lg)));
}

/* Escapes the NUL-terminated s; returns with XB_SLACK bytes of room.
 * Sixteen bytes per step: loaded, stored, and the run before the first
 * byte to stop at kept.  A step is taken only where the 16 bytes at s lie
 * in one page (see ESC_WIDE) and 16 bytes fit before the limit; otherwise,
 * and at each stop byte, one byte is handled. */
static char *esc_wide(xbuf *b, char *o, const char *s)
{
    char *lim = XB_LIM(b);
    for (;;) {
        if (o < lim && ((uintptr_t)s & 4095) <= 4096 - 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
            _mm_storeu_si128((__m128i *)(void *)o, x);
            unsigned m = esc_stop16(x);
            if (!m) {
                o += 16, s += 16;
                continue;
            }
            unsigned k = (unsigned)__builtin_ctz(m);
            o += k, s += k;
        } else if (o >= lim) {
            o = xb_grow(b, o, 2 * XB_SLACK + 16);
            lim = XB_LIM(b);
            continue;
        }
        unsigned char c = (unsigned char)*s;
        if (c == 0)
            return o;
        if (esc_class[c] == ESC_REF) {
            memcpy(o, esc_ref[c], 8);
            o += esc_len[c];
        } else {
            *o++ = (char)c;
        }
        s++;
    }
}

/* esc_wide with its first step inline and without a room test (see xbuf):
 * most strings end there. */
static inline char *esc_cstr(xbuf *b, char *o, const char *s)
{
    if (((uintptr_t)s & 4095) <= 4096 - 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
        _mm_storeu_si128((__m128i *)(void *)o, x);
        unsigned m = esc_stop16(x);
        if (m) {
            size_t k = (size_t)__builtin_ctz(m);
            if (s[k] == 0)
                return o + k;
        }
    }
    return esc_wide(b, o, s);
}
#else
#define esc_cstr esc_short
#endif

/* Copies to o the longest prefix of s[0..n) that is copied as it is and
 * returns its length.  o must have room for n + 16 bytes; bytes past the
 * prefix may be written there too (the caller writes over them).  Bytes of
 * s up to end (>= s + n) may be read: the last block is read whole where
 * end allows, its bytes past n ignored. */
static inline size_t copy_clean(char *o, const char *s, size_t n, const char *end)
{
    size_t i = 0;
#ifdef __SSE2__
    for (; i + 16 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        _mm_storeu_si128((__m128i *)(void *)(o + i), x);
        unsigned m = esc_mask16(x);
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
    if (i < n && (size_t)(end - (s + i)) >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        _mm_storeu_si128((__m128i *)(void *)(o + i), x);
        unsigned m = esc_mask16(x) & ((1u << (n - i)) - 1);
        return m ? i + (size_t)__builtin_ctz(m) : n;
    }
#else
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (esc_word(w))
            break;
        memcpy(o + i, &w, 8);
    }
#endif
    (void)end;
    for (; i < n && esc_class[(unsigned char)s[i]] == ESC_COPY; i++)
        o[i] = s[i];
    return i;
}

/* Escapes the NUL-terminated s of length n, for long strings: the blocks
 * that need no escaping (printable ASCII but for & < > ") are found and
 * copied a block at a time, the rest goes to esc_cstr. */
static char *esc_cstr_len(xbuf *b, char *o, const char *s, size_t n)
{
    o = xb_room(b, o, n + XB_SLACK);
    size_t i = copy_clean(o, s, n, s + n);
    return i == n ? o + n : esc_cstr(b, o + i, s + i);
}

/* Copies a NUL-terminated name (an attribute name) as it is: one 16-byte
 * step without a room test where esc_cstr takes one (see ESC_WIDE and
 * xbuf), else put_cstr. */
static inline char *put_name(xbuf *b, char *o, const char *s)
{
#ifdef ESC_WIDE
    if (((uintptr_t)s & 4095) <= 4096 - 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
        _mm_storeu_si128((__m128i *)(void *)o, x);
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_setzero_si128()));
        if (m)
            return o + __builtin_ctz(m);
    }
#endif
    return put_cstr(b, o, s);
}

/* Escapes s[0..n) when it is printable ASCII and returns the new cursor,
 * with XB_SLACK bytes of room; returns NULL (nothing written that counts)
 * at the first other byte. */
static char *esc_printable(xbuf *b, char *o, const char *s, size_t n)
{
    const char *end = s + n;
    o = xb_room(b, o, 2 * XB_SLACK + 16);
    char *lim = XB_LIM(b);
    while (s < end) {
        unsigned char c = (unsigned char)*s;
        unsigned k = esc_class[c];
        if (o >= lim) {
            o = xb_grow(b, o, 2 * XB_SLACK + 16);
            lim = XB_LIM(b);
        }
        if (k == ESC_COPY) {
            *o++ = (char)c;
        } else if (k == ESC_REF && c >= 0x20) {
            memcpy(o, esc_ref[c], 8);
            o += esc_len[c];
        } else {
            return NULL;
        }
        s++;
    }
    return o;
}

/* ------------------------------------------------------------ TSV */

/* One gold row: id kind start end text type value attrs, where attrs are
 * the filled slots then the attributes as key=value joined by ';' and cut
 * at 2047 bytes; text is the cleaned span with TAB/CR/LF as spaces. */
#define TSV_ATTRS_MAX 2047

static char *tsv_fact(nm_doc *doc, xbuf *b, char *o, const nm_fact *f)
{
    o = xb_room(b, o, XB_SLACK);
    o = put_cstr(b, o, f->id);
    *o++ = '\t';
    o = put_cstr(b, o, nm_kind_names[f->kind]);
    *o++ = '\t';
    o = put_u64(o, f->rstart);
    *o++ = '\t';
    o = put_u64(o, f->rend);
    *o++ = '\t';
    const char *s = (const char *)doc->raw + f->rstart;
    size_t n = (size_t)(f->rend - f->rstart);
    if (printable_ascii(s, n))
        o = put_n(b, o, s, n);
    else
        o = put_cstr(b, o, nm_clean_text(doc, s, n, true));
    *o++ = '\t';
    o = put_cstr(b, o, f->type);
    *o++ = '\t';
    o = put_cstr(b, o, f->value);
    *o++ = '\t';
    size_t a0 = (size_t)(o - b->p); /* offset: the buffer may move */
    for (int k = 0; k < NM_SLOT_COUNT; k++) { /* slots first, as gold */
        if (f->slot[k] < 0)
            continue;
        if ((size_t)(o - b->p) != a0)
            *o++ = ';';
        o = put_cstr(b, o, nm_slot_names[k]);
        *o++ = '=';
        o = put_cstr(b, o, doc->facts[f->slot[k]].id);
    }
    for (uint16_t k = 0; k < f->nattrs; k++) {
        if ((size_t)(o - b->p) != a0)
            *o++ = ';';
        o = put_cstr(b, o, f->attrs[k].key);
        *o++ = '=';
        o = put_cstr(b, o, f->attrs[k].val);
    }
    if ((size_t)(o - b->p) - a0 > TSV_ATTRS_MAX)
        o = b->p + a0 + TSV_ATTRS_MAX;
    *o++ = '\n';
    return o;
}

static void emit_tsv(nm_doc *doc)
{
    static const char header[] = "id\tkind\tstart\tend\ttext\ttype\tvalue\tattrs\n";
    xbuf b;
    char *o = xb_init(&b, sizeof header + doc->nfacts * 64 + 2 * XB_SLACK);
    o = LIT(o, header);
    for (size_t i = 0; i < doc->nfacts; i++)
        o = tsv_fact(doc, &b, o, &doc->facts[i]);
    xb_end(&b, o);
    b.p[b.n] = '\0';
    doc->tsv = b.p;
    doc->tsv_len = b.n;
}

/* ------------------------------------------------------------ XML */

#define W(call)                                                                \
    do {                                                                       \
        if ((call) < 0)                                                        \
            return NM_E_XML;                                                   \
    } while (0)

static int attr(xmlTextWriterPtr w, const char *name, const char *val)
{
    return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST val);
}

static int attr_u(xmlTextWriterPtr w, const char *name, unsigned long long v)
{
    char buf[24];
    *put_u64(buf, v) = '\0';
    return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST buf);
}

/* Fact element names with their lengths, and the start of a fact element
 * up to its id, padded to 16 bytes to be copied in one move. */
static const struct {
    char s[8];
    size_t n;
} elem_names[NM_KIND_COUNT] = {{"figure", 6}, {"date", 4}, {"entity", 6}, {"event", 5}};

static const struct {
    char s[16];
    size_t n;
} fact_open[NM_KIND_COUNT] = {
    {"\n <figure id=\"", 14}, {"\n <date id=\"", 12}, {"\n <entity id=\"", 14}, {"\n <event id=\"", 13}};

/* An attribute whose name is a literal, value escaped, for short values
 * (ids, numbers, names): o = ATTR(b, o, "id", val).  Needs XB_SLACK bytes
 * of room, leaves it. */
#define ATTR(b, o, name, val) (o = LIT(o, " " name "=\""), o = esc_short((b), o, (val)), LIT(o, "\""))

/* Fact texts up to this length are written without a room test. */
#define TEXT_SHORT 64

/* The value of the text attribute of a fact and its closing quote: the raw
 * bytes of its span, escaped straight from the input when they are
 * printable ASCII (most are), else cleaned first (invalid UTF-8, control
 * characters). */
static char *text_attr(nm_doc *doc, xbuf *b, char *o, const nm_fact *f)
{
    const char *s = (const char *)doc->raw + f->rstart;
    size_t n = (size_t)(f->rend - f->rstart);
    /* Most spans are short (a bounded piece, see xbuf) and have nothing to
     * escape: they are copied whole. */
    if (n > TEXT_SHORT)
        o = xb_room(b, o, n + XB_SLACK);
    size_t i = copy_clean(o, s, n, (const char *)doc->raw + doc->raw_len);
    if (i == n)
        return LIT(o + n, "\"");
    size_t at = (size_t)(o - b->p); /* offset: the buffer may move */
    char *e = esc_printable(b, o + i, s + i, n - i);
    if (!e)
        e = esc_cstr(b, b->p + at, nm_clean_text(doc, s, n, false));
    return LIT(e, "\"");
}

static char *xml_diag(nm_doc *doc, xbuf *b, char *o, const nm_diag *d)
{
    unsigned long line, col;
    nm_doc_line_col(doc, d->offset, &line, &col);
    o = xb_room(b, o, XB_SLACK);
    o = LIT(o, "\n <diagnostic code=\"NM-");
    o = put_u64(o, (uint64_t)d->code);
    o = LIT(o, "\"");
    o = d->severity == NM_SEV_ERROR ? LIT(o, " severity=\"error\"") : LIT(o, " severity=\"warning\"");
    o = ATTR(b, o, "stage", d->stage);
    o = LIT(o, " offset=\"");
    o = put_u64(o, d->offset);
    o = LIT(o, "\" line=\"");
    o = put_u64(o, line);
    o = LIT(o, "\" column=\"");
    o = put_u64(o, col);
    o = LIT(o, "\">");
    size_t n;
    const char *msg = clean_cstr(doc, d->msg, &n);
    o = esc_cstr_len(b, o, msg, n);
    return LIT(o, "</diagnostic>");
}

/* One fact element.  Its strings (type, value, attribute names and values,
 * rule id) are short: each is written by one 16-byte step of esc_cstr or
 * put_name in the common case.  (A per-document memo of rendered types
 * and rule ids was tried here: with some twenty facts a document it missed
 * about half the time, and its copies of just-written output stalled on
 * store forwarding; the direct writes are cheaper.) */
static char *xml_fact(nm_doc *doc, xbuf *b, char *o, const nm_fact *f)
{
    o = xb_room(b, o, XB_SLACK);
    memcpy(o, fact_open[f->kind].s, 16);
    o += fact_open[f->kind].n;
    o = esc_short(b, o, f->id);
    o = LIT(o, "\" start=\"");
    o = put_u64(o, f->rstart);
    o = LIT(o, "\" end=\"");
    o = put_u64(o, f->rend);
    o = LIT(o, "\" sentence=\"");
    o = put_u64(o, f->sent);
    o = LIT(o, "\" type=\"");
    o = esc_cstr(b, o, f->type);
    if (f->kind == NM_FIGURE || f->kind == NM_DATE) {
        o = LIT(o, "\" value=\"");
        o = esc_cstr(b, o, f->value);
    }
    o = LIT(o, "\"");
    for (uint16_t k = 0; k < f->nattrs; k++) {
        *o++ = ' ';
        o = put_name(b, o, f->attrs[k].key);
        o = LIT(o, "=\"");
        o = esc_cstr(b, o, f->attrs[k].val);
        o = LIT(o, "\"");
    }
    o = LIT(o, " rule=\"");
    o = esc_cstr(b, o, f->rule);
    o = LIT(o, "\" text=\"");
    o = text_attr(doc, b, o, f);
    /* Most facts fill no slot: all slot indexes negative, which one AND
     * of their sign bits tells. */
    int32_t all = -1;
    for (int s = 0; s < NM_SLOT_COUNT; s++)
        all &= f->slot[s];
    bool slots = false;
    for (int s = 0; all >= 0 && s < NM_SLOT_COUNT; s++) {
        if (f->slot[s] < 0)
            continue;
        o = slots ? LIT(o, "\n  <slot") : LIT(o, ">\n  <slot");
        slots = true;
        o = ATTR(b, o, "role", nm_slot_names[s]);
        o = ATTR(b, o, "ref", doc->facts[f->slot[s]].id);
        if (f->carried & (1u << s))
            o = LIT(o, " carried=\"true\"");
        o = LIT(o, "/>");
    }
    if (slots) {
        o = LIT(o, "\n </");
        memcpy(o, elem_names[f->kind].s, 8);
        o += elem_names[f->kind].n;
        o = LIT(o, ">");
    } else {
        o = LIT(o, "/>");
    }
    return o;
}

/* The values of the <document> attributes that are cleaned first. */
typedef struct doc_names {
    const char *id, *source, *title;
} doc_names;

/* True when s[0..n) is all ASCII. */
static bool ascii_n(const char *s, size_t n)
{
    const uint64_t high = UINT64_C(0x8080808080808080);
    size_t i = 0;
#ifdef __SSE2__
    for (; i + 16 <= n; i += 16)
        if (_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i))))
            return false;
#endif
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & high)
            return false;
    }
    for (; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* Escapes a hex digest held in a char[65] (the document's SHA-256, the
 * rules digest).  A value of 64 bytes that need no escaping (all of them,
 * in practice) is copied in four 16-byte moves, without a length scan: the
 * 65 bytes of the array may all be read.  It writes 64 bytes without a
 * room test (a bounded piece, see xbuf). */
static char *esc_hex64(xbuf *b, char *o, const char *s)
{
#ifdef __SSE2__
    __m128i x0 = _mm_loadu_si128((const __m128i *)(const void *)s);
    __m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)(s + 16));
    __m128i x2 = _mm_loadu_si128((const __m128i *)(const void *)(s + 32));
    __m128i x3 = _mm_loadu_si128((const __m128i *)(const void *)(s + 48));
    if (s[64] == '\0' && !(esc_mask16(x0) | esc_mask16(x1) | esc_mask16(x2) | esc_mask16(x3))) {
        _mm_storeu_si128((__m128i *)(void *)o, x0);
        _mm_storeu_si128((__m128i *)(void *)(o + 16), x1);
        _mm_storeu_si128((__m128i *)(void *)(o + 32), x2);
        _mm_storeu_si128((__m128i *)(void *)(o + 48), x3);
        return o + 64;
    }
#endif
    return esc_cstr_len(b, o, s, strlen(s));
}

_Static_assert(sizeof ((nm_doc *)0)->hash == 65, "esc_hex64 reads 65 bytes of the hash");
_Static_assert(sizeof ((nm_ctx *)0)->digest == 65, "esc_hex64 reads 65 bytes of the digest");

/* ATTR for long values (paths, hex digests). */
#define ATTR_LONG(b, o, name, val)                                                          \
    (o = LIT(o, " " name "=\""), o = esc_cstr_len((b), o, (val), strlen(val)), LIT(o, "\""))

/* The start tag of <document>, as the writer would make it (xml_body) when
 * every attribute value is ASCII: the writer escapes ASCII exactly as
 * esc_cstr does (& < > " TAB LF CR as references, the rest as it is) but
 * writes other characters as &#x...; references. */
static char *doc_start_tag(const nm_doc *doc, const nm_ctx *ctx, const doc_names *dn, xbuf *b,
                           char *o)
{
    o = xb_room(b, o, XB_SLACK);
    o = LIT(o, "<document");
    o = ATTR(b, o, "id", dn->id);
    o = ATTR_LONG(b, o, "source", dn->source);
    o = LIT(o, " bytes=\"");
    o = put_u64(o, doc->raw_len);
    o = LIT(o, "\"");
    o = LIT(o, " sha256=\"");
    o = esc_hex64(b, o, doc->hash);
    o = LIT(o, "\"");
    if (doc->origin_format)
        o = ATTR(b, o, "format", doc->origin_format);
    if (doc->origin_sha256)
        o = ATTR_LONG(b, o, "source-sha256", doc->origin_sha256);
    if (dn->title)
        o = ATTR_LONG(b, o, "title", dn->title);
    if (doc->date[0])
        o = ATTR(b, o, "date", doc->date);
    o = ATTR(b, o, "date-source", doc->date_source);
    o = ATTR(b, o, "newsmine", NM_VERSION);
    o = LIT(o, " rules=\"");
    o = esc_hex64(b, o, ctx->digest);
    o = LIT(o, "\"");
    o = LIT(o, " sentences=\"");
    o = put_u64(o, doc->nsents);
    return LIT(o, "\">");
}

/* The content of the <document> element (diagnostics, facts and the line
 * break before the end tag) into b; the whole element when its attribute
 * values are ASCII, which *whole tells. */
static void xml_content(nm_doc *doc, const nm_ctx *ctx, const doc_names *dn, bool *whole,
                        xbuf *tb)
{
    /* Written through a copy on the stack: b is then cheaper to reach than
     * the thread's buffer. */
    xbuf lb = *tb, *b = &lb;
    /* A fact element is about 150 bytes plus its text.  b may hold the
     * buffer of an earlier document: only its room is kept. */
    b->n = 0;
    char *o = xb_room(b, b->p, doc->ndiags * 256 + doc->nfacts * 160 + 4 * XB_SLACK);
    o = doc_start_tag(doc, ctx, dn, b, o);
    /* Escaping leaves bytes >= 0x80 as they are: test the tag. */
    *whole = ascii_n(b->p, (size_t)(o - b->p));
    if (!*whole)
        o = b->p;
    for (size_t i = 0; i < doc->ndiags; i++)
        o = xml_diag(doc, b, o, &doc->diags[i]);
    for (const nm_fact *f = doc->facts, *end = f + doc->nfacts; f < end; f++)
        o = xml_fact(doc, b, o, f);
    o = xb_room(b, o, XB_SLACK);
    o = *whole ? LIT(o, "\n</document>") : LIT(o, "\n");
    xb_end(b, o);
    *tb = lb;
}

/* The <document> element by the writer's own calls, around content. */
static nm_status xml_body(nm_doc *doc, const nm_ctx *ctx, const doc_names *dn,
                          xmlTextWriterPtr w, const xbuf *content)
{
    W(xmlTextWriterStartElement(w, BAD_CAST "document"));
    W(attr(w, "id", dn->id));
    W(attr(w, "source", dn->source));
    W(attr_u(w, "bytes", doc->raw_len));
    W(attr(w, "sha256", doc->hash));
    if (doc->origin_format)
        W(attr(w, "format", doc->origin_format));
    if (doc->origin_sha256)
        W(attr(w, "source-sha256", doc->origin_sha256));
    if (dn->title)
        W(attr(w, "title", dn->title));
    if (doc->date[0])
        W(attr(w, "date", doc->date));
    W(attr(w, "date-source", doc->date_source));
    W(attr(w, "newsmine", NM_VERSION));
    W(attr(w, "rules", ctx->digest));
    W(attr_u(w, "sentences", doc->nsents));
    W(xmlTextWriterWriteRawLen(w, BAD_CAST content->p, (int)content->n));
    W(xmlTextWriterEndElement(w));
    return NM_OK;
}

/* ------------------------------------------------------------ the writer */

/* Creating, flushing and freeing an xmlTextWriter (with its output buffer
 * and scratch document) costs about 8,000 instructions, more than a short
 * article's facts, so each thread keeps one writer and reuses it from
 * document to document.  Between two documents the writer holds nothing:
 * every record leaves it at top level (no open element) with its output
 * flushed, so no byte of one record can reach another.  After any error
 * the writer is freed and the next document makes a new one.
 *
 * The writer's output goes through out_write into tw.out, the record
 * buffer of the document being written (NULL between documents).  The
 * thread also keeps the buffer in which the content is made (its bytes
 * are rewritten from the start for each document; a buffer that becomes
 * the record is handed to its document, one grown past CONTENT_KEEP by a
 * large document is given back).  A record's buffer goes back to the
 * spares of the thread that frees its document (NM_SPARE_XML), and the
 * next content buffer comes from there: warm memory, no malloc a record.  A worker thread's
 * writer and buffer are freed when the thread ends (a thread-specific
 * key's destructor); the main thread's stay reachable from its TLS until
 * the process ends. */
typedef struct thread_writer {
    xmlTextWriterPtr w;
    xbuf *out;
    xbuf content;
    bool keyed; /* the destructor is registered for this thread */
} thread_writer;

#define CONTENT_KEEP (1u << 20)

static _Thread_local thread_writer tw;
static pthread_key_t tw_key;
static pthread_once_t tw_once = PTHREAD_ONCE_INIT;
static bool tw_key_ok;

/* Frees this thread's writer. */
static void tw_free_writer(void)
{
    if (tw.w) {
        xmlFreeTextWriter(tw.w); /* flushes (nothing is left) and closes */
        tw.w = NULL;
    }
}

/* The key's destructor: frees all that the thread keeps. */
static void tw_free(void *unused)
{
    (void)unused;
    tw_free_writer();
    free(tw.content.p);
    tw.content = (xbuf){0};
}

static void tw_key_init(void) { tw_key_ok = pthread_key_create(&tw_key, tw_free) == 0; }

/* Registers the destructor for this thread, once. */
static void tw_register(void)
{
    if (tw.keyed)
        return;
    pthread_once(&tw_once, tw_key_init);
    tw.keyed = tw_key_ok && pthread_setspecific(tw_key, &tw) == 0; /* non-NULL: it runs */
}

static int out_write(void *ctx, const char *s, int len)
{
    thread_writer *t = ctx;
    if (t->out) /* else nothing is written: see thread_writer */
        xb_end(t->out, put_n(t->out, t->out->p + t->out->n, s, (size_t)len));
    return len;
}

/* This thread's writer, made on first use; NULL when out of memory. */
static xmlTextWriterPtr tw_get(void)
{
    if (tw.w)
        return tw.w;
    xmlOutputBufferPtr ob = xmlOutputBufferCreateIO(out_write, NULL, &tw, NULL);
    tw.w = ob ? xmlNewTextWriter(ob) : NULL;
    if (!tw.w) {
        if (ob)
            xmlOutputBufferClose(ob);
        return NULL;
    }
    return tw.w;
}

nm_status nm_emit_xml(nm_doc *doc, const nm_ctx *ctx)
{
    doc_names dn = {clean_cstr(doc, doc->name, NULL), clean_cstr(doc, doc->path, NULL),
                    doc->title ? clean_cstr(doc, doc->title, NULL) : NULL};
    /* Each attribute costs the writer over a thousand instructions, more
     * than all the facts of a short article, and passing the element through
     * it costs a copy: when the values allow it, the whole element is made
     * here without the writer. */
    bool whole;
    tw_register();
    xbuf *content = &tw.content, out = {0};
    if (!content->p) { /* the last one became a record: the one that came back, if any */
        content->p = nm_spare_take(NM_SPARE_XML, &content->cap);
        content->n = 0;
    }
    xml_content(doc, ctx, &dn, &whole, content);
    if (whole && content->n <= INT_MAX) { /* INT_MAX: the writer's limit, kept */
        /* The writer would pass the element through as it is (one
         * xmlTextWriterWriteRawLen at top level, then a flush): the
         * content is the record, and its buffer is handed to the document
         * (the thread makes a new one for the next). */
        char *o = xb_room(content, content->p + content->n, 2);
        *o++ = '\n'; /* the content ends with "</document>" */
        *o = '\0';
        doc->xml = content->p;
        doc->xml_len = (size_t)(o - content->p);
        doc->xml_cap = content->cap; /* nm_doc_free hands it back for the next */
        *content = (xbuf){0};
        return NM_OK;
    }
    nm_status st = NM_E_XML;
    xmlTextWriterPtr w = content->n <= INT_MAX ? tw_get() : NULL;
    if (w) {
        /* Room for the record: content, start tag and end tag. */
        xb_init(&out, content->n + 2048);
        tw.out = &out;
        st = xml_body(doc, ctx, &dn, w, content);
        if (st == NM_OK && xmlTextWriterFlush(w) < 0)
            st = NM_E_XML;
        tw.out = NULL;
        if (st != NM_OK) /* the writer's state is unknown: drop it */
            tw_free_writer();
    }
    if (content->cap > CONTENT_KEEP) {
        free(content->p);
        *content = (xbuf){0};
    }
    if (st != NM_OK) {
        free(out.p);
        return st;
    }
    char *o = xb_room(&out, out.p + out.n, 2);
    if (o == out.p || o[-1] != '\n')
        *o++ = '\n';
    *o = '\0';
    doc->xml = out.p;
    doc->xml_len = (size_t)(o - out.p);
    return NM_OK;
}

nm_status nm_stage_emit(nm_doc *doc, const nm_ctx *ctx)
{
    unsigned fmt = ctx->opt.formats ? ctx->opt.formats : NM_FMT_XML;
    if (fmt & NM_FMT_TSV)
        emit_tsv(doc);
    if (fmt & NM_FMT_XML)
        return nm_emit_xml(doc, ctx);
    return NM_OK;
}

const char *nm_xml_head(void)
{
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<newsmine xmlns=\"" NM_XML_NS "\" version=\"" NM_VERSION "\">\n";
}

const char *nm_xml_tail(void) { return "</newsmine>\n"; }
