/* normalize.c - raw bytes -> normalized text + map back to raw offsets.
 *
 * What changes: invalid UTF-8 bytes become U+FFFD (warning NM-101); text is
 * put in NFC; curly quotes fold to ' and ", dashes and the minus sign to -,
 * no-break and other wide spaces to a space; zero-width characters and the
 * soft hyphen are dropped; control characters other than TAB, LF, CR become
 * spaces (warning NM-105).  A NUL byte in the first 64 KiB means the input
 * is not text (error NM-102).
 *
 * Cost: ASCII text is checked 64 bytes at a time (AVX2 where the
 * processor has it) and aliased, not copied.  A run of non-ASCII characters
 * that are all NFC-stable (most Latin, Cyrillic, the folded punctuation:
 * a bitmap made from utf8proc's own properties) is only folded; the other
 * runs pay for utf8proc, one short run at a time.
 */
#include "stages.h"

#include <stdatomic.h>
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

static inline void put(norm_out *o, const void *s, size_t n)
{
    if (o->n + n + 1 > o->cap)
        nm_vec_reserve((void **)&o->buf, &o->cap, o->n + n + 1, 1);
    if (n <= 3) { /* a folded character: no call */
        const char *c = s;
        for (size_t k = 0; k < n; k++)
            o->buf[o->n + k] = c[k];
    } else {
        memcpy(o->buf + o->n, s, n);
    }
    o->n += n;
}

/* Appends a map segment, merging contiguous identity segments. */
static inline void seg(norm_out *o, uint64_t raw, uint32_t rlen, uint32_t nlen, bool ident)
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

/* The folded form of a code point (*len bytes), or NULL to keep it. */
static const char *fold(utf8proc_int32_t c, size_t *len)
{
    *len = 1;
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
        *len = 0;
        return "";
    case 0x2026:
        *len = 3;
        return "...";
    default:
        if (c >= 0x2000 && c <= 0x200A)
            return " ";
        if (c >= 0x80 && c <= 0x9F)
            return " ";
        return NULL;
    }
}

/* The code point of the valid UTF-8 sequence at s; returns its length. */
static inline size_t decode_valid(const uint8_t *s, utf8proc_int32_t *c)
{
    uint8_t b = s[0];
    if (b < 0x80) {
        *c = b;
        return 1;
    }
    if (b < 0xE0) {
        *c = (b & 0x1F) << 6 | (s[1] & 0x3F);
        return 2;
    }
    if (b < 0xF0) {
        *c = (b & 0x0F) << 12 | (s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        return 3;
    }
    *c = (b & 0x07) << 18 | (s[1] & 0x3F) << 12 | (s[2] & 0x3F) << 6 | (s[3] & 0x3F);
    return 4;
}

/* The BMP code point of the two- or three-byte UTF-8 sequence at s[0..n)
 * (s[0] >= 0x80), with the checks of utf8proc_iterate (no overlong form,
 * no surrogate); returns its length, or 0 for an invalid sequence or one of
 * four bytes (the caller then takes the general way). */
static inline size_t decode_bmp(const uint8_t *s, size_t n, uint32_t *cp)
{
    uint8_t b = s[0];
    if (b >= 0xC2 && b < 0xE0) {
        if (n < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        *cp = (uint32_t)(b & 0x1F) << 6 | (s[1] & 0x3F);
        return 2;
    }
    if (b >= 0xE0 && b < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        uint32_t c = (uint32_t)(b & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        if (c < 0x800 || (c >= 0xD800 && c < 0xE000))
            return 0;
        *cp = c;
        return 3;
    }
    return 0;
}

/* NFC-stable code points of the BMP: a run of them is its own NFC, so it
 * needs no utf8proc_map call.  Such a code point has canonical combining
 * class 0 (no reordering), no canonical decomposition and is not a Hangul
 * syllable or jamo (nothing to decompose), and is not the second element
 * of a canonical composition (nothing before it can compose with it; as a
 * first element it may compose only with a following second element, which
 * is not stable itself).  The bits are taken from utf8proc's own properties,
 * so they agree with utf8proc_map; they are made one page of 256 code
 * points at a time, the first time a text holds one of them (so a run
 * pays only for the few pages its texts use).  Threads may fill a page at
 * the same time: they store the same values, through atomics. */
static _Atomic uint64_t stable_bits[0x10000 / 64];
static _Atomic uint8_t stable_page[0x10000 / 256];

static bool nfc_stable_prop(uint32_t c)
{
    if ((c >= 0x1100 && c <= 0x11FF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xD800 && c < 0xE000))
        return false;
    const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)c);
    if (p->combining_class != 0)
        return false;
    if (p->decomp_seqindex != UINT16_MAX && p->decomp_type == 0)
        return false; /* canonical decomposition (utf8proc_decompose_char) */
    if (p->comb_index != UINT16_MAX && p->comb_index >= 0x8000)
        return false; /* second element of a composition (utf8proc_normalize_utf32) */
    return true;
}

static void stable_fill_page(uint32_t page)
{
    for (uint32_t w = page * 4; w < page * 4 + 4; w++) {
        uint64_t bits = 0;
        for (uint32_t k = 0; k < 64; k++)
            if (nfc_stable_prop(w * 64 + k))
                bits |= (uint64_t)1 << k;
        atomic_store_explicit(&stable_bits[w], bits, memory_order_relaxed);
    }
    atomic_store_explicit(&stable_page[page], 1, memory_order_release);
}

static inline bool nfc_stable(uint32_t c)
{
    if (!atomic_load_explicit(&stable_page[c >> 8], memory_order_acquire))
        stable_fill_page(c >> 8);
    return atomic_load_explicit(&stable_bits[c >> 6], memory_order_relaxed) >> (c & 63) & 1;
}

/* Emits valid UTF-8 s[0..n) that is already NFC, folding code points (the
 * code points kept as they are go out a span at a time). */
static void emit_folded(norm_out *o, const uint8_t *s, size_t n, uint64_t raw, bool segs)
{
    utf8proc_int32_t c;
    size_t kept = 0; /* s[kept..i): code points kept as they are */
    for (size_t i = 0; i < n;) {
        size_t k = decode_valid(s + i, &c), flen;
        const char *f = fold(c, &flen);
        if (f) {
            if (i > kept) {
                put(o, s + kept, i - kept);
                if (segs)
                    seg(o, raw + kept, (uint32_t)(i - kept), (uint32_t)(i - kept), true);
            }
            if (c >= 0x80 && c <= 0x9F && o->ctrl++ == 0)
                o->first_ctrl = raw + i;
            put(o, f, flen);
            if (segs)
                seg(o, raw + i, (uint32_t)k, (uint32_t)flen, false);
            kept = i + k;
        }
        i += k;
    }
    if (n > kept) {
        put(o, s + kept, n - kept);
        if (segs)
            seg(o, raw + kept, (uint32_t)(n - kept), (uint32_t)(n - kept), true);
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

/* A run raw[a..b) of bytes from 0x80 up: the valid sub-runs in NFC (a
 * combining mark first takes back an ASCII base before it), invalid bytes
 * as U+FFFD.  The usual run, valid and all NFC-stable, is its own NFC and
 * is folded straight away. */
static void emit_nonascii(norm_out *o, const uint8_t *raw, size_t a, size_t b)
{
    size_t i = a;
    uint32_t cp;
    for (size_t k; i < b && (k = decode_bmp(raw + i, b - i, &cp)) != 0 && nfc_stable(cp);)
        i += k;
    if (i == b) {
        emit_folded(o, raw + a, b - a, a, true);
        return;
    }
    i = a;
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

/* The bytes that are not plain ASCII text (printable, TAB, LF, CR) are
 * found 64 at a time: a block of 64 bytes (at an offset that is a multiple
 * of 64) is classified into a bit mask, which is kept, so that the search
 * that goes on after a non-ASCII character does not classify its block
 * again. */
typedef struct plain_scan {
    const uint8_t *s;
    size_t n;
    size_t base;  /* offset of the block in bad */
    uint64_t bad; /* bit k: s[base + k] is not plain (or past the end) */
} plain_scan;

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

/* A cheaper first test: the bytes that are surely plain, printable ones
 * (x + 1 above 0x20, signed) and LF (nearly every block of text holds one);
 * TAB and CR are not let through (they are rare; the exact test then
 * clears them). */
static inline __m128i surely_plain16(__m128i x)
{
    __m128i printable = _mm_cmpgt_epi8(_mm_add_epi8(x, _mm_set1_epi8(1)), _mm_set1_epi8(0x20));
    return _mm_or_si128(printable, _mm_cmpeq_epi8(x, _mm_set1_epi8('\n')));
}

static inline __m128i load16(const uint8_t *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* Whether the 64 bytes at p may hold a byte that is not plain. */
static inline bool block_maybe(const uint8_t *p)
{
    __m128i b0 = surely_plain16(load16(p)), b1 = surely_plain16(load16(p + 16));
    __m128i b2 = surely_plain16(load16(p + 32)), b3 = surely_plain16(load16(p + 48));
    return _mm_movemask_epi8(_mm_and_si128(_mm_and_si128(b0, b1), _mm_and_si128(b2, b3))) != 0xFFFF;
}

/* The bytes of the 64 at p that are not plain, as a bit mask.  (Apart from
 * the first test, which it need not share registers with.) */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static uint64_t block_bad(const uint8_t *p)
{
    return (uint64_t)(unsigned)_mm_movemask_epi8(not_plain16(load16(p))) |
           (uint64_t)(unsigned)_mm_movemask_epi8(not_plain16(load16(p + 16))) << 16 |
           (uint64_t)(unsigned)_mm_movemask_epi8(not_plain16(load16(p + 32))) << 32 |
           (uint64_t)(unsigned)_mm_movemask_epi8(not_plain16(load16(p + 48))) << 48;
}
#else
static bool plain_byte(uint8_t c)
{
    return c < 0x80 && (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') && c != 0x7F;
}

static inline uint64_t block_bad(const uint8_t *p)
{
    uint64_t m = 0;
    for (unsigned k = 0; k < 64; k++)
        m |= (uint64_t)!plain_byte(p[k]) << k;
    return m;
}

/* Eight bytes at a time: the word test flags any byte >= 0x80, < 0x20 or
 * 0x7F (it may also flag a plain byte next to one, never miss one). */
static inline bool block_maybe(const uint8_t *p)
{
    const uint64_t high = 0x8080808080808080ULL, ones = 0x0101010101010101ULL;
    uint64_t flag = 0;
    for (unsigned k = 0; k < 64; k += 8) {
        uint64_t w;
        memcpy(&w, p + k, 8);
        uint64_t del = w ^ 0x7F7F7F7F7F7F7F7FULL;
        flag |= w | ((w - 0x2020202020202020ULL) & ~w) | ((del - ones) & ~del);
    }
    return (flag & high) != 0;
}
#endif

/* The first block from offset b on (in steps of 64, while b + 64 <= n)
 * that may hold a byte that is not plain, or the first b with b + 64 > n:
 * the loop over the plain ASCII text, most of the bytes of most texts. */
static size_t skip_plain(const uint8_t *s, size_t b, size_t n)
{
    while (b + 64 <= n && !block_maybe(s + b))
        b += 64;
    return b;
}

#if defined(__SSE2__) && defined(__GNUC__) && defined(__x86_64__) && !defined(__AVX2__)
#include <immintrin.h>
#define HAVE_SKIP_PLAIN_AVX2 1

/* The same with AVX2 where the processor has it (32 bytes per vector, half
 * the instructions); the test is the one of surely_plain16. */
__attribute__((target("avx2"))) static size_t skip_plain_avx2(const uint8_t *s, size_t b,
                                                               size_t n)
{
    const __m256i one = _mm256_set1_epi8(1), space = _mm256_set1_epi8(0x20);
    const __m256i lf = _mm256_set1_epi8('\n');
    for (; b + 64 <= n; b += 64) {
        __m256i x0 = _mm256_loadu_si256((const __m256i *)(const void *)(s + b));
        __m256i x1 = _mm256_loadu_si256((const __m256i *)(const void *)(s + b + 32));
        __m256i g0 = _mm256_or_si256(_mm256_cmpgt_epi8(_mm256_add_epi8(x0, one), space),
                                     _mm256_cmpeq_epi8(x0, lf));
        __m256i g1 = _mm256_or_si256(_mm256_cmpgt_epi8(_mm256_add_epi8(x1, one), space),
                                     _mm256_cmpeq_epi8(x1, lf));
        if ((unsigned)_mm256_movemask_epi8(_mm256_and_si256(g0, g1)) != 0xFFFFFFFFu)
            break;
    }
    return b;
}
#endif

/* The first byte from i (i < n) on that is not plain, or n, past the
 * current block.  (Not inlined, so that profiles charge the vector code to
 * this function rather than to <emmintrin.h> inside the stage.) */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static size_t scan_blocks(plain_scan *ps, size_t i)
{
    size_t b = i & ~(size_t)63;
    uint64_t m;
#if defined(HAVE_SKIP_PLAIN_AVX2)
    bool avx2 = __builtin_cpu_supports("avx2");
#endif
    for (;; b += 64) {
#if defined(HAVE_SKIP_PLAIN_AVX2)
        b = avx2 ? skip_plain_avx2(ps->s, b, ps->n) : skip_plain(ps->s, b, ps->n);
#else
        b = skip_plain(ps->s, b, ps->n);
#endif
        if (b + 64 > ps->n)
            break;
        if ((m = block_bad(ps->s + b)) != 0) { /* (else only TAB or CR) */
            ps->base = b;
            ps->bad = m;
            if (b < i && !(m >>= i - b))
                continue; /* (only in the block of i: the bytes before i) */
            return (b < i ? i : b) + (unsigned)__builtin_ctzll(m);
        }
    }
    if (b >= ps->n)
        return ps->n;
    /* The end of the text, len bytes: the last 64 bytes of the text shifted
     * (or a copy of a short text), and the bits past the end set. */
    size_t len = ps->n - b;
    if (ps->n >= 64) {
        const uint8_t *p = ps->s + ps->n - 64;
        m = block_maybe(p) ? block_bad(p) >> (64 - len) : 0;
    } else {
        uint8_t tail[64] = {0};
        memcpy(tail, ps->s + b, len);
        m = block_bad(tail);
    }
    ps->base = b;
    ps->bad = m | ~(uint64_t)0 << len;
    size_t from = b < i ? i : b;
    size_t j = from + (unsigned)__builtin_ctzll(ps->bad >> (from - b));
    return j < ps->n ? j : ps->n;
}

static inline size_t next_special(plain_scan *ps, size_t i)
{
    size_t off = i - ps->base;
    if (off < 64) {
        uint64_t m = ps->bad >> off;
        if (m) {
            size_t j = i + (unsigned)__builtin_ctzll(m);
            return j < ps->n ? j : ps->n;
        }
        i = ps->base + 64;
    }
    return i < ps->n ? scan_blocks(ps, i) : ps->n;
}

/* The text from i on, where the plain prefix raw[0..i) ends. */
static void slow_path(norm_out *o, plain_scan *ps, size_t i)
{
    const uint8_t *raw = ps->s;
    size_t n = ps->n, j = i;
    i = 0;
    for (;;) {
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
        } else {
            size_t k = j;
            while (k < n && raw[k] >= 0x80)
                k++;
            emit_nonascii(o, raw, j, k);
            i = k;
        }
        j = next_special(ps, i);
    }
}

nm_status nm_stage_normalize(nm_doc *doc, const nm_ctx *ctx)
{
    NM_UNUSED(ctx);
    const uint8_t *raw = doc->raw;
    size_t n = doc->raw_len;
    size_t head = n < 65536 ? n : 65536;
    plain_scan ps = {raw, n, (size_t)0 - 64, 0}; /* empty: no offset is inside */
    size_t i = next_special(&ps, 0); /* no NUL in raw[0..i): it is not plain */
    const uint8_t *nul = i < head ? memchr(raw + i, 0, head - i) : NULL;
    if (nul) {
        nm_diag_add(doc, NM_E_BINARY, NM_SEV_ERROR, (uint64_t)(nul - raw),
                    "not a text file (NUL byte)");
        return NM_E_BINARY;
    }
    if (n == 0)
        nm_diag_add(doc, NM_E_EMPTY, NM_SEV_WARNING, 0, "empty document");
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
    /* Room for the map of a text with a non-ASCII character every few
     * lines, so that it need not grow step by step. */
    nm_vec_reserve((void **)&doc->map, &doc->cmap, doc->nmap + n / 64 + 16, sizeof *doc->map);
    slow_path(&o, &ps, i);
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
