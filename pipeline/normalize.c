/* normalize.c - raw bytes -> normalized text + map back to raw offsets.
 *
 * What changes: invalid UTF-8 bytes become U+FFFD (warning NM-101); text is
 * put in NFC; curly quotes fold to ' and ", dashes and the minus sign to -,
 * no-break and other wide spaces to a space; zero-width characters and the
 * soft hyphen are dropped; control characters other than TAB, LF, CR become
 * spaces (warning NM-105).  A NUL byte in the first 64 KiB means the input
 * is not text (error NM-102).
 *
 * Cost: ASCII text is checked in one pass and aliased, not copied.  Only
 * runs of non-ASCII characters pay for utf8proc, one short run at a time.
 */
#include "stages.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

typedef struct norm_out {
    nm_doc *doc;
    char *buf;
    size_t n, cap;
    size_t ctrl, bad;
    uint64_t first_ctrl;
} norm_out;

static void put(norm_out *o, const void *s, size_t n)
{
    nm_vec_reserve((void **)&o->buf, &o->cap, o->n + n + 1, 1);
    memcpy(o->buf + o->n, s, n);
    o->n += n;
}

/* Appends a map segment, merging contiguous identity segments. */
static void seg(norm_out *o, uint64_t raw, uint32_t rlen, uint32_t nlen, bool ident)
{
    nm_doc *d = o->doc;
    if (nlen == 0) /* dropped characters need no segment */
        return;
    uint32_t norm = (uint32_t)(o->n - nlen);
    if (ident && d->nmap) {
        nm_seg *last = &d->map[d->nmap - 1];
        if (last->ident && last->norm + last->nlen == norm && last->raw + last->rlen == raw) {
            last->nlen += nlen;
            last->rlen += rlen;
            return;
        }
    }
    nm_seg s = {norm, nlen, raw, rlen, ident};
    NM_VEC_PUSH(d->map, d->nmap, d->cmap, s);
}

/* The folded form of a code point, or NULL to keep it. */
static const char *fold(utf8proc_int32_t c)
{
    switch (c) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC:
        return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB: case 0x00BB:
        return "\"";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212:
    case 0xFE58: case 0xFE63: case 0xFF0D:
        return "-";
    case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000: case 0x2028: case 0x2029:
        return " ";
    case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF: case 0x00AD:
        return "";
    case 0x2026:
        return "...";
    default:
        if (c >= 0x2000 && c <= 0x200A)
            return " ";
        if (c >= 0x80 && c <= 0x9F)
            return " ";
        return NULL;
    }
}

/* Emits valid UTF-8 s[0..n) that is already NFC, folding code points. */
static void emit_folded(norm_out *o, const uint8_t *s, size_t n, uint64_t raw, bool segs)
{
    utf8proc_int32_t c;
    for (size_t i = 0; i < n;) {
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &c);
        const char *f = fold(c);
        if (c >= 0x80 && c <= 0x9F && o->ctrl++ == 0)
            o->first_ctrl = raw + i;
        if (f) {
            put(o, f, strlen(f));
            if (segs)
                seg(o, raw + i, (uint32_t)k, (uint32_t)strlen(f), false);
        } else {
            put(o, s + i, (size_t)k);
            if (segs)
                seg(o, raw + i, (uint32_t)k, (uint32_t)k, true);
        }
        i += (size_t)k;
    }
}

/* A run of valid non-ASCII UTF-8 at raw offset raw (maybe with one ASCII
 * base character in front of it).  NFC when it changes anything, as one
 * atomic segment; folding per code point either way. */
static void emit_valid_run(norm_out *o, const uint8_t *s, size_t n, uint64_t raw)
{
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t m = utf8proc_map(s, (utf8proc_ssize_t)n, &nfc,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (m < 0 || ((size_t)m == n && memcmp(nfc, s, n) == 0)) {
        emit_folded(o, s, n, raw, true);
    } else { /* NFC changed the run: one atomic segment for all of it */
        size_t before = o->n;
        emit_folded(o, nfc, (size_t)m, raw, false);
        seg(o, raw, (uint32_t)n, (uint32_t)(o->n - before), false);
    }
    free(nfc);
}

static bool is_combining(const uint8_t *s, size_t n)
{
    utf8proc_int32_t c;
    if (utf8proc_iterate(s, (utf8proc_ssize_t)n, &c) <= 0)
        return false;
    return utf8proc_get_property(c)->combining_class != 0;
}

/* Removes the last output byte if it is an identity ASCII byte at raw-1,
 * so that a following combining mark can compose with it. */
static bool take_back_base(norm_out *o, uint64_t raw)
{
    nm_doc *d = o->doc;
    if (!d->nmap || o->n == 0)
        return false;
    nm_seg *last = &d->map[d->nmap - 1];
    if (!last->ident || last->raw + last->rlen != raw || (uint8_t)o->buf[o->n - 1] >= 0x80)
        return false;
    last->nlen--;
    last->rlen--;
    if (last->nlen == 0)
        d->nmap--;
    o->n--;
    return true;
}

static void emit_nonascii(norm_out *o, const uint8_t *raw, size_t a, size_t b)
{
    size_t i = a;
    while (i < b) {
        size_t j = i;
        utf8proc_int32_t c;
        while (j < b) { /* longest valid sub-run */
            utf8proc_ssize_t k = utf8proc_iterate(raw + j, (utf8proc_ssize_t)(b - j), &c);
            if (k <= 0)
                break;
            j += (size_t)k;
        }
        if (j > i) {
            size_t from = i;
            if (is_combining(raw + i, j - i) && i > 0 && take_back_base(o, i))
                from = i - 1;
            emit_valid_run(o, raw + from, j - from, from);
        }
        if (j < b) { /* one invalid byte */
            if (o->bad++ < 20)
                nm_diag_add(o->doc, NM_E_UTF8, NM_SEV_WARNING, j,
                            "invalid UTF-8 byte 0x%02X replaced by U+FFFD", raw[j]);
            put(o, "\xEF\xBF\xBD", 3);
            seg(o, j, 1, 3, false);
            j++;
        }
        i = j;
    }
}

static bool plain_byte(uint8_t c)
{
    return c < 0x80 && (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') && c != 0x7F;
}

static size_t plain_prefix(const uint8_t *s, size_t n);

static void slow_path(norm_out *o)
{
    nm_doc *d = o->doc;
    const uint8_t *raw = d->raw;
    size_t n = d->raw_len, i = 0;
    while (i < n) {
        size_t j = i + plain_prefix(raw + i, n - i);
        if (j > i) {
            put(o, raw + i, j - i);
            seg(o, i, (uint32_t)(j - i), (uint32_t)(j - i), true);
        }
        if (j >= n)
            break;
        if (raw[j] < 0x80) { /* control character */
            if (o->ctrl++ == 0)
                o->first_ctrl = j;
            put(o, " ", 1);
            seg(o, j, 1, 1, false);
            i = j + 1;
            continue;
        }
        size_t k = j;
        while (k < n && raw[k] >= 0x80)
            k++;
        emit_nonascii(o, raw, j, k);
        i = k;
    }
}

/* Length of the prefix of plain ASCII text (printable, TAB, LF, CR). */
#if defined(__SSE2__)
#include <emmintrin.h>

/* The bytes of x that are not plain: one signed compare of x + 1 flags
 * those below 0x20, DEL and those from 0x80 up at once (they all fall
 * below 0x21); TAB, LF and CR are let through. */
static inline __m128i not_plain16(__m128i x)
{
    __m128i low = _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(1)), _mm_set1_epi8(0x21));
    __m128i ok = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\t')),
                                           _mm_cmpeq_epi8(x, _mm_set1_epi8('\n'))),
                              _mm_cmpeq_epi8(x, _mm_set1_epi8('\r')));
    return _mm_andnot_si128(ok, low);
}

static inline __m128i load16(const uint8_t *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* 64 bytes at a time (one test for the four vectors), then 16.  (Not
 * inlined, so that profiles charge the vector code to this function rather
 * than to <emmintrin.h> inside the stage.) */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static size_t plain_prefix(const uint8_t *s, size_t n)
{
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m128i b0 = not_plain16(load16(s + i)), b1 = not_plain16(load16(s + i + 16));
        __m128i b2 = not_plain16(load16(s + i + 32)), b3 = not_plain16(load16(s + i + 48));
        if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(b0, b1), _mm_or_si128(b2, b3)))) {
            uint64_t m = (uint64_t)(unsigned)_mm_movemask_epi8(b0) |
                         (uint64_t)(unsigned)_mm_movemask_epi8(b1) << 16 |
                         (uint64_t)(unsigned)_mm_movemask_epi8(b2) << 32 |
                         (uint64_t)(unsigned)_mm_movemask_epi8(b3) << 48;
            return i + (unsigned)__builtin_ctzll(m);
        }
    }
    for (; i + 16 <= n; i += 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(not_plain16(load16(s + i)));
        if (m)
            return i + (unsigned)__builtin_ctz(m);
    }
    while (i < n && plain_byte(s[i]))
        i++;
    return i;
}
#else
/* Eight bytes at a time: the word test flags any byte >= 0x80, < 0x20 or
 * 0x7F (it may also flag a plain byte next to one, never miss one); a
 * flagged word is checked byte by byte. */
static size_t plain_prefix(const uint8_t *s, size_t n)
{
    const uint64_t high = 0x8080808080808080ULL, ones = 0x0101010101010101ULL;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t del = w ^ 0x7F7F7F7F7F7F7F7FULL;
        uint64_t flag = (w | ((w - 0x2020202020202020ULL) & ~w) | ((del - ones) & ~del)) & high;
        if (!flag)
            continue;
        for (size_t k = i; k < i + 8; k++)
            if (!plain_byte(s[k]))
                return k;
    }
    while (i < n && plain_byte(s[i]))
        i++;
    return i;
}
#endif

nm_status nm_stage_normalize(nm_doc *doc, const nm_ctx *ctx)
{
    NM_UNUSED(ctx);
    const uint8_t *raw = doc->raw;
    size_t n = doc->raw_len;
    size_t head = n < 65536 ? n : 65536;
    const uint8_t *nul = memchr(raw, 0, head);
    if (nul) {
        nm_diag_add(doc, NM_E_BINARY, NM_SEV_ERROR, (uint64_t)(nul - raw),
                    "not a text file (NUL byte)");
        return NM_E_BINARY;
    }
    if (n == 0)
        nm_diag_add(doc, NM_E_EMPTY, NM_SEV_WARNING, 0, "empty document");
    size_t i = plain_prefix(raw, n);
    if (i == n) { /* fast path: plain ASCII text needs no change */
        doc->text = (const char *)raw;
        doc->text_len = n;
        nm_seg s = {0, (uint32_t)n, 0, (uint32_t)n, 1};
        if (n)
            NM_VEC_PUSH(doc->map, doc->nmap, doc->cmap, s);
        return NM_OK;
    }
    norm_out o = {doc, NULL, 0, 0, 0, 0, 0};
    nm_vec_reserve((void **)&o.buf, &o.cap, n + n / 8 + 16, 1);
    slow_path(&o);
    o.buf[o.n] = '\0';
    doc->text_owned = o.buf;
    doc->text = o.buf;
    doc->text_len = o.n;
    if (o.bad > 20)
        nm_diag_add(doc, NM_E_UTF8, NM_SEV_WARNING, 0,
                    "%zu invalid UTF-8 bytes in all were replaced by U+FFFD", o.bad);
    if (o.ctrl)
        nm_diag_add(doc, NM_E_CONTROL, NM_SEV_WARNING, o.first_ctrl,
                    "%zu control character%s replaced by spaces (the first here)", o.ctrl,
                    o.ctrl == 1 ? "" : "s");
    return NM_OK;
}
