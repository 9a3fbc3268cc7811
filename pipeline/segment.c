/* segment.c - paragraphs, sentences and tokens over the normalized text.
 *
 * Paragraphs are separated by blank lines.  A line break ends a sentence,
 * except in hard-wrapped text (most lines 50-90 bytes long, as in wire
 * copy), where a line break inside a paragraph is a space.  Inside a line a
 * sentence ends at . ! ? (and closing quotes or brackets) followed by white
 * space and a capital, digit, quote or bracket, unless the word before the
 * period is an abbreviation from the ABBREVIATION lexicon, a single capital
 * (an initial) or a dotted acronym such as U.S.
 *
 * Tokens: words (letters and digits, with inner apostrophes and dotted
 * acronyms), numbers (digits with inner , and . before a digit), and single
 * punctuation characters.  A possessive 's is its own token.
 *
 * How: one pass over the text, driven by a byte class table.  Sentence
 * boundaries always fall on white space, so the text is tokenized as a
 * whole and each token is given to the sentence open at that point.  The
 * pass opens a new sentence at every line break (the rule for text that is
 * not hard-wrapped) and at every sentence-ending stop; the stop rule is
 * looked at only at the first of a run of . ! ? characters.  Whether the
 * text is hard-wrapped is known only at the end of the pass (it depends on
 * all line lengths), so each line-break boundary remembers whether it also
 * holds in wrapped text; for wrapped text the others are merged away after
 * the pass.  The text is NUL-terminated and has no NUL inside (normalize
 * turns control characters into spaces), so the scanners stop at the NUL
 * instead of testing the length at every byte.
 *
 * The pass has a fast path and a slow path.  The fast path classifies 64
 * bytes at a time into bit masks (AVX2 where the processor has it, else
 * SSE2 or a portable loop) and makes the simple tokens of the window from
 * the masks: words of ASCII letters and digits, plain numbers, one-byte
 * punctuation, and single line breaks, with a branch per token and none
 * per byte or per kind of token.  It stops at each byte that needs a rule
 * (. ! ?, an apostrophe, non-ASCII text, a number with inner , or ., blank
 * lines and indents, the NUL); the slow path, the byte-class scanner,
 * makes that token (or white space) and gives the text back to the fast
 * path.
 */
#include "stages.h"

#include <stddef.h>
#include <string.h>
#include <utf8proc.h>

/* Byte classes, so that the scanners test one table entry per byte. */
enum {
    C_SPACE = 1, /* \t \n \v \f \r and space */
    C_DIGIT = 2,
    C_LOWER = 4,
    C_UPPER = 8,
    C_LEAD = 16, /* first byte of a multi-byte UTF-8 sequence */
    C_STOP = 32, /* . ! ? */
    C_APOS = 64, /* ' (inside words: O'Brien) */
    C_PUNCT = 128 /* ASCII punctuation and symbols (with . ! ? ') */
};
#define C_ALPHA (C_LOWER | C_UPPER)
#define C_ALNUM (C_LOWER | C_UPPER | C_DIGIT)

static const uint8_t byte_class[256] = {
    ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\v'] = C_SPACE, ['\f'] = C_SPACE, ['\r'] = C_SPACE,
    [' '] = C_SPACE, ['.'] = C_STOP | C_PUNCT, ['!'] = C_STOP | C_PUNCT, ['?'] = C_STOP | C_PUNCT,
    ['\''] = C_APOS | C_PUNCT, ['"'] = C_PUNCT, ['#'] = C_PUNCT, ['$'] = C_PUNCT, ['%'] = C_PUNCT,
    ['&'] = C_PUNCT, ['('] = C_PUNCT, [')'] = C_PUNCT, ['*'] = C_PUNCT, ['+'] = C_PUNCT,
    [','] = C_PUNCT, ['-'] = C_PUNCT, ['/'] = C_PUNCT, [':'] = C_PUNCT, [';'] = C_PUNCT,
    ['<'] = C_PUNCT, ['='] = C_PUNCT, ['>'] = C_PUNCT, ['@'] = C_PUNCT, ['['] = C_PUNCT,
    ['\\'] = C_PUNCT, [']'] = C_PUNCT, ['^'] = C_PUNCT, ['_'] = C_PUNCT, ['`'] = C_PUNCT,
    ['{'] = C_PUNCT, ['|'] = C_PUNCT, ['}'] = C_PUNCT, ['~'] = C_PUNCT,
    ['0'] = C_DIGIT, ['1'] = C_DIGIT, ['2'] = C_DIGIT, ['3'] = C_DIGIT, ['4'] = C_DIGIT,
    ['5'] = C_DIGIT, ['6'] = C_DIGIT, ['7'] = C_DIGIT, ['8'] = C_DIGIT, ['9'] = C_DIGIT,
#define L(c) [c] = C_LOWER, [c - 32] = C_UPPER
    L('a'), L('b'), L('c'), L('d'), L('e'), L('f'), L('g'), L('h'), L('i'), L('j'), L('k'),
    L('l'), L('m'), L('n'), L('o'), L('p'), L('q'), L('r'), L('s'), L('t'), L('u'), L('v'),
    L('w'), L('x'), L('y'), L('z'),
#undef L
#define R4(c) [c] = C_LEAD, [c + 1] = C_LEAD, [c + 2] = C_LEAD, [c + 3] = C_LEAD
#define R16(c) R4(c), R4(c + 4), R4(c + 8), R4(c + 12)
    R16(0xC0), R16(0xD0), R16(0xE0), R16(0xF0),
#undef R16
#undef R4
};

#define CLS(c) (byte_class[(unsigned char)(c)])

/* Branch hints for the hot loops. */
#if defined(__GNUC__)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define UNLIKELY(x) (x)
#define LIKELY(x) (x)
#endif

static bool is_space(char c) { return CLS(c) & C_SPACE; }
static bool is_digit(char c) { return CLS(c) & C_DIGIT; }
static bool is_upper_ascii(char c) { return c >= 'A' && c <= 'Z'; }

/* Letters: ASCII ones, and non-ASCII code points of the letter and mark
 * categories (so that symbols such as the ruble sign stay apart). */
static bool is_letter_cp(const char *s)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t n = 1; /* never read past the NUL that ends the text */
    while (n < 4 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n++;
    if (utf8proc_iterate((const utf8proc_uint8_t *)s, n, &c) <= 0)
        return false;
    utf8proc_category_t k = utf8proc_category(c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_ME) && c != 0xFFFD;
}

static bool is_alpha(const char *s)
{
    uint8_t k = CLS(*s);
    return (k & C_ALPHA) || ((k & C_LEAD) && is_letter_cp(s));
}

/* Length of the code point whose lead byte is at s (stops at the NUL). */
static size_t cp_len(const char *s)
{
    size_t k = 1;
    while (((unsigned char)s[k] & 0xC0) == 0x80)
        k++;
    return k;
}

static bool cp_upper(const char *s, size_t n)
{
    if ((unsigned char)*s < 0x80)
        return is_upper_ascii(*s);
    utf8proc_int32_t c;
    if (utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &c) <= 0)
        return false;
    return utf8proc_category(c) == UTF8PROC_CATEGORY_LU;
}

/* Whether the word s[0..n) has a letter that is not upper case: an ASCII
 * lower-case letter, or a non-ASCII letter of the lower-case, modifier or
 * caseless categories (Ll, Lm, Lo: "москва", "中国" are not all capitals). */
static bool has_lower(const char *s, size_t n)
{
    bool other = false;
    for (size_t i = 0; i < n; i++) {
        if (CLS(s[i]) & C_LOWER)
            return true;
        other |= (unsigned char)s[i] >= 0x80;
    }
    for (size_t i = 0; other && i < n;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t l;
        if ((unsigned char)s[i] < 0x80 ||
            (l = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &c)) <= 0) {
            i++;
            continue;
        }
        utf8proc_category_t k = utf8proc_category(c);
        if (k == UTF8PROC_CATEGORY_LL || k == UTF8PROC_CATEGORY_LM || k == UTF8PROC_CATEGORY_LO)
            return true;
        i += (size_t)l;
    }
    return false;
}

/* ------------------------------------------------------------ tokens */

/* U.S. / e.g. / U.K.: two or more ASCII letters each followed by a period.
 * Returns the end, or 0. */
static size_t acronym_end(const char *t, size_t i)
{
    size_t j = i, letters = 0;
    while ((CLS(t[j]) & C_ALPHA) && t[j + 1] == '.') {
        j += 2;
        letters++;
    }
    return letters >= 2 ? j : 0;
}

/* The rest of a word from j, where the ASCII letters and digits stopped at
 * a non-ASCII byte or an apostrophe (or from a non-ASCII first letter). */
static size_t word_rest(const char *t, size_t j)
{
    for (;;) {
        uint8_t k = CLS(t[j]);
        if (k & C_ALNUM)
            j++;
        else if ((k & C_LEAD) && is_letter_cp(t + j))
            j += cp_len(t + j);
        else if (t[j] == '\'' && is_alpha(t + (j + 1)) &&
                 !(t[j + 1] == 's' && !is_alpha(t + (j + 2))))
            j++; /* O'Brien, don't; but not the possessive 's */
        else
            return j;
    }
}

/* ------------------------------------------------------------ byte masks */

/* The fast path of the pass works on a window of 64 bytes of text, from
 * bit masks of their classes: tokens start and end where the masks change,
 * so the simple tokens of the window (words of ASCII letters and digits
 * that start with a letter, one-byte punctuation) are made without a
 * branch per byte or per kind of token.  The pass leaves the fast path at
 * every byte that needs a rule (a line break, . ! ?, an apostrophe,
 * non-ASCII text, a number, the NUL at the end) and comes back after it.
 *
 * The masks of 64 bytes: bit k stands for byte k. */
typedef struct seg_masks {
    uint64_t digit;  /* 0-9 */
    uint64_t letter; /* A-Z a-z */
    uint64_t upper;  /* A-Z */
    uint64_t white;  /* white space: \t \n \v \f \r and space */
    uint64_t nl;     /* the line break */
    uint64_t punct;  /* ASCII punctuation and symbols but . ! ? ' */
    uint64_t numsep; /* . and , (inside numbers) */
    uint64_t inword; /* ' and first bytes of multi-byte UTF-8: may go on a word */
} seg_masks;

typedef void (*seg_classify_fn)(const char *p, seg_masks *m);

/* Portable: one byte at a time, from the byte classes. */
static void classify64_bytes(const char *p, seg_masks *m)
{
    seg_masks r = {0, 0, 0, 0, 0, 0, 0, 0};
    for (unsigned b = 0; b < 64; b++) {
        uint64_t k = CLS(p[b]), bit = (uint64_t)1 << b;
        r.digit |= (k & C_DIGIT) ? bit : 0;
        r.letter |= (k & C_ALPHA) ? bit : 0;
        r.upper |= (k & C_UPPER) ? bit : 0;
        r.white |= (k & C_SPACE) ? bit : 0;
        r.nl |= p[b] == '\n' ? bit : 0;
        r.punct |= (k & (C_PUNCT | C_STOP | C_APOS)) == C_PUNCT ? bit : 0;
        r.numsep |= p[b] == '.' || p[b] == ',' ? bit : 0;
        r.inword |= (k & (C_APOS | C_LEAD)) ? bit : 0;
    }
    *m = r;
}

#if defined(__SSE2__)
#include <emmintrin.h>
#define HAVE_CLASSIFY_SSE2 1

/* SSE2, 16 bytes at a time.  A byte is in a range [lo, lo + len) when it
 * is below -128 + len after adding 0x80 - lo (signed compares). */
#define IN_RANGE16(x, lo, len)                                                 \
    _mm_cmplt_epi8(_mm_add_epi8((x), _mm_set1_epi8((char)(0x80 - (lo)))),     \
                   _mm_set1_epi8((char)(-128 + (len))))
#define EQ16(x, c) _mm_cmpeq_epi8((x), _mm_set1_epi8((char)(c)))
#define MASK16(v) ((uint64_t)(unsigned)_mm_movemask_epi8(v) << k)

static void classify64_sse2(const char *p, seg_masks *m)
{
    seg_masks r = {0, 0, 0, 0, 0, 0, 0, 0};
    for (unsigned k = 0; k < 64; k += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + k));
        __m128i d = IN_RANGE16(x, '0', 10);
        __m128i l = IN_RANGE16(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 26);
        __m128i dot = EQ16(x, '.'), apos = EQ16(x, '\'');
        __m128i rule = _mm_or_si128(_mm_or_si128(dot, apos), _mm_or_si128(EQ16(x, '!'), EQ16(x, '?')));
        __m128i lead = EQ16(_mm_and_si128(x, _mm_set1_epi8((char)0xC0)), 0xC0);
        r.digit |= MASK16(d);
        r.letter |= MASK16(l);
        r.upper |= MASK16(IN_RANGE16(x, 'A', 26));
        r.white |= MASK16(_mm_or_si128(EQ16(x, ' '), IN_RANGE16(x, '\t', 5)));
        r.nl |= MASK16(EQ16(x, '\n'));
        r.punct |= MASK16(_mm_andnot_si128(_mm_or_si128(_mm_or_si128(d, l), rule), IN_RANGE16(x, '!', 94)));
        r.numsep |= MASK16(_mm_or_si128(dot, EQ16(x, ',')));
        r.inword |= MASK16(_mm_or_si128(lead, apos));
    }
    *m = r;
}
#undef MASK16
#undef EQ16
#undef IN_RANGE16

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define HAVE_CLASSIFY_AVX2 1

/* The constants of classify32_avx2, in memory (one operand each). */
enum {
    K_DIGIT, K_LETTER, K_UPPER, K_BIT5, K_CTRL, K_PRINT, K_RANGE10, K_RANGE26, K_RANGE5,
    K_RANGE94, K_SPACE, K_NL, K_DOT, K_COMMA, K_APOS, K_LEAD, K_RULES, K_COUNT
};
#define B4(v) v, v, v, v
#define B32(v) {B4(v), B4(v), B4(v), B4(v), B4(v), B4(v), B4(v), B4(v)}
#define RULES16 0xFF, '!', 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, '\'', 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, '.', '?'
/* A byte is in [lo, lo + len) when it is below -128 + len (signed) after
 * adding 0x80 - lo. */
static const uint8_t seg_k[K_COUNT][32] __attribute__((aligned(32))) = {
    [K_DIGIT] = B32(0x80 - '0'), [K_LETTER] = B32(0x80 - 'a'), [K_UPPER] = B32(0x80 - 'A'),
    [K_BIT5] = B32(0x20), [K_CTRL] = B32(0x80 - '\t'), [K_PRINT] = B32(0x80 - '!'),
    [K_RANGE10] = B32(0x80 + 10), [K_RANGE26] = B32(0x80 + 26), [K_RANGE5] = B32(0x80 + 5),
    [K_RANGE94] = B32(0x80 + 94), [K_SPACE] = B32(' '), [K_NL] = B32('\n'), [K_DOT] = B32('.'),
    [K_COMMA] = B32(','), [K_APOS] = B32('\''), [K_LEAD] = B32(0xC0), [K_RULES] = {RULES16, RULES16},
};
#undef RULES16
#undef B32
#undef B4
#define K(i) _mm256_load_si256((const __m256i *)(const void *)kp[i])
#define IN_RANGE32(x, lo, len) _mm256_cmpgt_epi8(K(len), _mm256_add_epi8((x), K(lo)))
#define MASK32(v) ((uint64_t)(uint32_t)_mm256_movemask_epi8(v) << k)

/* AVX2 where the processor has it: 32 bytes at a time, and . ! ? ' found
 * with one table look-up on the low nibble (a byte is one of them when the
 * entry of its low nibble is the byte itself; bytes from 0x80 look up 0). */
__attribute__((target("avx2"), always_inline)) static inline void
classify32_avx2(const uint8_t (*kp)[32], const char *p, seg_masks *m, unsigned k)
{
    __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i d = IN_RANGE32(x, K_DIGIT, K_RANGE10);
    __m256i l = IN_RANGE32(_mm256_or_si256(x, K(K_BIT5)), K_LETTER, K_RANGE26);
    __m256i rule = _mm256_cmpeq_epi8(_mm256_shuffle_epi8(K(K_RULES), x), x);
    __m256i lead = _mm256_cmpeq_epi8(_mm256_and_si256(x, K(K_LEAD)), K(K_LEAD));
    m->digit |= MASK32(d);
    m->letter |= MASK32(l);
    m->upper |= MASK32(IN_RANGE32(x, K_UPPER, K_RANGE26));
    m->white |= MASK32(_mm256_or_si256(_mm256_cmpeq_epi8(x, K(K_SPACE)), IN_RANGE32(x, K_CTRL, K_RANGE5)));
    m->nl |= MASK32(_mm256_cmpeq_epi8(x, K(K_NL)));
    m->punct |= MASK32(_mm256_andnot_si256(_mm256_or_si256(_mm256_or_si256(d, l), rule),
                                           IN_RANGE32(x, K_PRINT, K_RANGE94)));
    m->numsep |= MASK32(_mm256_or_si256(_mm256_cmpeq_epi8(x, K(K_DOT)), _mm256_cmpeq_epi8(x, K(K_COMMA))));
    m->inword |= MASK32(_mm256_or_si256(lead, _mm256_cmpeq_epi8(x, K(K_APOS))));
}

__attribute__((target("avx2"), always_inline)) static inline void classify64_avx2(const char *p, seg_masks *m)
{
    seg_masks r = {0, 0, 0, 0, 0, 0, 0, 0};
    const uint8_t(*kp)[32] = seg_k;
    __asm__("" : "+r"(kp)); /* (else the compiler builds each constant anew) */
    classify32_avx2(kp, p, &r, 0);
    classify32_avx2(kp, p + 32, &r, 32);
    *m = r;
}
#undef MASK32
#undef K
#undef IN_RANGE32
#endif
#endif

/* A window of 64 bytes of text from base, with the masks the fast path
 * uses.  Tokens that start before lim are whole in the window (a word at
 * its end may go on past it: lim is where that word starts). */
typedef struct seg_win {
    size_t base;
    unsigned lim;
    uint64_t midrun;  /* letters and digits after a letter or digit */
    uint64_t starts;  /* first bytes of tokens: of runs of letters and digits, punctuation */
    uint64_t lasts;   /* last bytes of tokens */
    uint64_t stops;   /* where the fast path stops: bytes of no token it makes,
                       * lim, and the bytes of backs */
    uint64_t backs;   /* bytes of tokens that the slow path makes whole: see win_load */
    uint64_t allcaps; /* bit e: a word that starts with a capital and has no
                       * lower-case letter ends at e (IBM) */
    uint64_t lines;   /* line breaks the fast path takes: one line break
                       * before a byte that is not white space (or the NUL) */
} seg_win;

/* The fast path and the main loop are inlined into one function for each
 * instruction set (see nm_stage_segment). */
#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

static inline unsigned ctz64(uint64_t x) { return x ? (unsigned)__builtin_ctzll(x) : 64; }

/* Loads the window at i, a token start (or white space after a token).
 * The text is read up to its NUL and no further: near the end a copy
 * padded with NULs is classified. */
static ALWAYS_INLINE void win_load(seg_win *w, seg_classify_fn classify, const char *t, size_t n,
                                   size_t i)
{
    seg_masks m;
    if (i + 64 <= n + 1) {
        classify(t + i, &m);
    } else {
        char tail[64] = {0};
        memcpy(tail, t + i, n - i);
        classify(tail, &m);
    }
    /* White space and the NUL (at n), and white space but line breaks. */
    uint64_t blank = m.white | (n - i < 64 ? ~(uint64_t)0 << (n - i) : 0), sep = m.white & ~m.nl;
    uint64_t alnum = m.digit | m.letter, runs = alnum & ~(alnum << 1);
    w->base = i;
    w->lim = 64;
    if (alnum >> 63) { /* a word at the end: the window ends before it */
        uint64_t other = ~alnum;
        w->lim = other ? 64 - (unsigned)__builtin_clzll(other) : 0;
    }
    w->midrun = alnum & (alnum << 1);
    w->starts = runs | m.punct;
    w->lasts = (alnum & ~(alnum >> 1)) | m.punct;
    /* The tokens the slow path makes: a word before ' or a non-ASCII
     * letter (O'Brien), a single letter before . (U.S.; and before ,), and a number
     * (a run that starts with a digit) with a digit after a letter (5bn5)
     * or with , or . and a digit after it (5.8, 80,000; at the end of the
     * window the digit is not known).  A carry from the first digit of a
     * run clears the run: what it clears are the numbers. */
    uint64_t numbers = alnum & ~(alnum + (runs & m.digit));
    uint64_t backs = (alnum & (m.inword >> 1)) | (m.letter & runs & (m.numsep >> 1)) |
                     (numbers & ((m.letter & (m.digit >> 1)) |
                                 ((m.numsep >> 1) & ((m.digit >> 2) | (uint64_t)1 << 62))));
    w->backs = backs;
    w->lines = m.nl & ~(blank >> 1) & ~((uint64_t)1 << 63);
    w->stops = ~(alnum | sep | m.punct | w->lines) | backs |
               (w->lim < 64 ? (uint64_t)1 << w->lim : 0);
    /* A carry from each capital that starts a word runs through the
     * letters and digits that are not lower case: it comes out just past
     * the word when the word has no lower-case letter. */
    uint64_t notlower = alnum & ~(m.letter & ~m.upper);
    w->allcaps = ((notlower + (runs & m.upper)) & ~alnum) >> 1;
}

/* ------------------------------------------------------------ sentences */

/* Is the word that ends at the period at p an abbreviation or initial?
 * The word is the run of letters and periods before p; it cannot reach
 * back past the start of the sentence, which follows white space. */
static bool no_break_after(const nm_ctx *ctx, const char *t, size_t p)
{
    size_t a = p;
    bool dotted = false;
    while (a > 0) {
        if (t[a - 1] == '.') {
            dotted = true;
            a--;
            continue;
        }
        size_t b = a - 1; /* the first byte of the code point that ends at a */
        while (b > 0 && a - b < 4 && ((unsigned char)t[b] & 0xC0) == 0x80)
            b--;
        if (!is_alpha(t + b))
            break;
        a = b;
    }
    size_t n = p - a;
    if (n == 0)
        return false;
    if (n == cp_len(t + a) && cp_upper(t + a, n))
        return true; /* initial: J. Smith, Ж. Иванов */
    if (dotted)
        return true; /* dotted acronym: U.S. e.g. */
    uint64_t h = NM_FNV_OFFSET; /* nm_hash_bytes, without two calls */
    for (size_t i = a; i < p; i++) {
        h ^= (unsigned char)t[i];
        h *= NM_FNV_PRIME;
    }
    return nm_hash_get_hashed(&ctx->abbrev, h ? h : 1, t + a, n) != NULL;
}

static bool opens_sentence(const char *t, size_t i, size_t end)
{
    if (i >= end)
        return true;
    char c = t[i];
    return cp_upper(t + i, end - i) || is_digit(c) || c == '"' || c == '\'' || c == '(' ||
           c == '[' || c == '-' || c == '*';
}

/* The stop rule at r, the first of a run of . ! ? characters: the sentence
 * ends after the run and any closing quotes or brackets when white space
 * (or the end) follows and the next text opens a sentence, unless a single
 * period ends an abbreviation.  Returns that end, or 0 for no break.  The
 * next text is looked for past line breaks: where it is on another line,
 * the line break is a boundary anyway in text that is not hard-wrapped,
 * and in hard-wrapped text it is this rule that decides. */
static size_t stop_break(const nm_ctx *ctx, const char *t, size_t n, size_t r)
{
    size_t j = r + 1;
    while (t[j] == '.' || t[j] == '!' || t[j] == '?')
        j++;
    while (t[j] == '"' || t[j] == '\'' || t[j] == ')' || t[j] == ']')
        j++;
    if (j < n && !is_space(t[j]))
        return 0;
    size_t k = j;
    while (is_space(t[k]))
        k++;
    if (!opens_sentence(t, k, n))
        return 0;
    if (t[r] == '.' && j == r + 1 && no_break_after(ctx, t, r))
        return 0;
    return j;
}

/* Lines, paragraphs and the hard-wrap statistics, kept by the pass. */
typedef struct seg_lines {
    size_t line_start;  /* offset of the current line */
    uint32_t para;      /* paragraph number of the current line */
    uint32_t lines;     /* non-blank lines */
    uint32_t mid;       /* non-blank lines 50-90 bytes long */
    bool too_long;      /* a line over 100 bytes: not hard-wrapped */
} seg_lines;

/* A non-blank line of len bytes, for the hard-wrap test: at least 5 lines,
 * 80% of them 50-90 long, none over 100. */
static void count_line(seg_lines *ls, size_t len)
{
    ls->too_long |= len > 100;
    ls->lines++;
    ls->mid += len - 50 <= 40;
}

/* Opens a sentence at the token about to be made at off.  soft marks a
 * boundary that holds only in text that is not hard-wrapped (it is kept in
 * ntok until the end of the pass). */
static inline void open_sent(nm_doc *doc, size_t off, uint32_t para, size_t tok, bool soft)
{
    nm_sent se = {(uint32_t)off, 0, para, (uint32_t)tok, soft};
    NM_VEC_PUSH(doc->sents, doc->nsents, doc->csents, se);
}

_Static_assert(sizeof(nm_tok) == 16 && offsetof(nm_tok, len) == 4 && offsetof(nm_tok, flags) == 8 &&
                   offsetof(nm_tok, sent) == 12,
               "fast_span writes a token as two 8-byte words");

/* The flags of a token that the fast path makes, by its first byte (NUM
 * for a digit, WORD and CAP for a letter, PUNCT for ASCII punctuation;
 * UPPER is added from the masks). */
#define N NM_TOK_NUM
#define W NM_TOK_WORD
#define C (NM_TOK_WORD | NM_TOK_CAP)
#define P NM_TOK_PUNCT
static const uint8_t tok_flags[256] = {
    [0x21] = P, [0x22] = P, [0x23] = P, [0x24] = P, [0x25] = P, [0x26] = P, [0x27] = P, [0x28] = P,
    [0x29] = P, [0x2A] = P, [0x2B] = P, [0x2C] = P, [0x2D] = P, [0x2E] = P, [0x2F] = P, [0x30] = N,
    [0x31] = N, [0x32] = N, [0x33] = N, [0x34] = N, [0x35] = N, [0x36] = N, [0x37] = N, [0x38] = N,
    [0x39] = N, [0x3A] = P, [0x3B] = P, [0x3C] = P, [0x3D] = P, [0x3E] = P, [0x3F] = P, [0x40] = P,
    [0x41] = C, [0x42] = C, [0x43] = C, [0x44] = C, [0x45] = C, [0x46] = C, [0x47] = C, [0x48] = C,
    [0x49] = C, [0x4A] = C, [0x4B] = C, [0x4C] = C, [0x4D] = C, [0x4E] = C, [0x4F] = C, [0x50] = C,
    [0x51] = C, [0x52] = C, [0x53] = C, [0x54] = C, [0x55] = C, [0x56] = C, [0x57] = C, [0x58] = C,
    [0x59] = C, [0x5A] = C, [0x5B] = P, [0x5C] = P, [0x5D] = P, [0x5E] = P, [0x5F] = P, [0x60] = P,
    [0x61] = W, [0x62] = W, [0x63] = W, [0x64] = W, [0x65] = W, [0x66] = W, [0x67] = W, [0x68] = W,
    [0x69] = W, [0x6A] = W, [0x6B] = W, [0x6C] = W, [0x6D] = W, [0x6E] = W, [0x6F] = W, [0x70] = W,
    [0x71] = W, [0x72] = W, [0x73] = W, [0x74] = W, [0x75] = W, [0x76] = W, [0x77] = W, [0x78] = W,
    [0x79] = W, [0x7A] = W, [0x7B] = P, [0x7C] = P, [0x7D] = P, [0x7E] = P,
};
#undef N
#undef W
#undef C
#undef P

/* The fast path: makes the tokens of the window from pos on (a token start
 * or white space) up to the first stop and returns the offset of the stop
 * in the window.  Where the stop is a byte of backs, it returns the start
 * of that token instead; a token that starts inside a run of letters and
 * digits (after 5bn in 5bn5) is left to the slow path too.  The line
 * breaks of w->lines on the way count their lines and open the sentences
 * of the tokens after them, as in the slow path.  Needs room for 64 tokens
 * at *tkp. */
static ALWAYS_INLINE unsigned fast_span(const seg_win *w, unsigned pos, const char *t, nm_doc *doc,
                                        nm_tok **tkp, uint32_t *sip, seg_lines *ls)
{
    uint64_t from = ~(uint64_t)0 << pos, pb = (uint64_t)1 << pos;
    unsigned s = ctz64((w->stops | (w->midrun & pb)) & from);
    if (UNLIKELY(s < 64 && ((w->backs >> s) & 1))) { /* back to the start of its token */
        uint64_t st = w->starts & from & (((uint64_t)2 << s) - 1);
        s = 63 - (unsigned)__builtin_clzll(st | pb);
    }
    uint64_t below = s < 64 ? ((uint64_t)1 << s) - 1 : ~(uint64_t)0;
    uint64_t st = w->starts & from & below;
    uint64_t nls = w->lines & from & below;
    if (!st && LIKELY(!nls))
        return s;
    uint64_t la = w->lasts & from & below;
    const uint64_t allcaps = w->allcaps;
    const unsigned char *tb = (const unsigned char *)t + w->base;
    /* A token is two 8-byte words (little-endian): off and len, flags and
     * sent. */
    const uint64_t base = (uint32_t)w->base, sent = (uint64_t)*sip << 32;
    nm_tok *o = *tkp;
    for (uint64_t q = st; q;) {
        unsigned a = (unsigned)__builtin_ctzll(q), e = (unsigned)__builtin_ctzll(la);
        uint32_t f = tok_flags[tb[a]] | (uint32_t)((allcaps >> e) & 1) * NM_TOK_UPPER;
        /* the sentence: one more after each line break before the token */
        uint64_t sn = sent + ((uint64_t)__builtin_popcountll(nls & ((q & -q) - 1)) << 32);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        uint64_t word[2] = {(base + a) | (uint64_t)(e + 1 - a) << 32, f | sn};
        memcpy(o, word, sizeof word);
#else
        *o = (nm_tok){(uint32_t)(base + a), e + 1 - a, f, (uint32_t)(sn >> 32)};
#endif
        o++;
        q &= q - 1;
        la &= la - 1;
    }
    if (UNLIKELY(nls != 0)) {
        /* White space of one line break: see white in the main loop.  (A
         * token follows each, maybe one for the slow path.) */
        const size_t tok0 = (size_t)(*tkp - doc->toks); /* the index of the first token */
        do {
            unsigned b = (unsigned)__builtin_ctzll(nls);
            size_t at = w->base + b, len = at - ls->line_start;
            size_t k = (size_t)__builtin_popcountll(st & (((uint64_t)1 << b) - 1));
            ls->line_start = at + 1;
            count_line(ls, len);
            open_sent(doc, at + 1, ls->para, tok0 + k, len >= 40);
            nls &= nls - 1;
        } while (nls);
        *sip = (uint32_t)doc->nsents - 1;
    }
    *tkp = o;
    return s;
}

/* After the pass: drops the boundaries that do not hold in hard-wrapped
 * text, then sets the lengths, token counts and first-token flags of the
 * sentences from s0 on. */
static void finish_sents(nm_doc *doc, size_t s0, bool wrapped)
{
    nm_sent *se = doc->sents;
    nm_tok *tk = doc->toks;
    size_t ns = doc->nsents;
    if (wrapped) {
        size_t out = s0 + 1;
        for (size_t s = s0 + 1; s < ns; s++)
            if (!se[s].ntok) /* else the sentence goes on across the line break */
                se[out++] = se[s];
        if (out < ns) { /* merged: give the tokens their new sentence numbers */
            for (size_t s = s0; s < out; s++) {
                size_t end = s + 1 < out ? se[s + 1].tok : doc->ntoks;
                for (size_t k = se[s].tok; k < end; k++)
                    tk[k].sent = (uint32_t)s;
            }
            doc->nsents = ns = out;
        }
    }
    for (size_t s = s0; s < ns; s++) {
        size_t end = s + 1 < ns ? se[s + 1].tok : doc->ntoks;
        se[s].len = tk[end - 1].off + tk[end - 1].len - se[s].off;
        se[s].ntok = (uint32_t)(end - se[s].tok);
        tk[se[s].tok].flags |= NM_TOK_SSTART;
    }
}

/* Room for need more tokens at tk (the vector doubles); sets *end to the
 * new end of the room. */
static nm_tok *toks_room(nm_doc *doc, nm_tok *tk, nm_tok **end, size_t need)
{
    size_t nt = (size_t)(tk - doc->toks);
    nm_vec_reserve((void **)&doc->toks, &doc->ctoks, nt + need, sizeof *doc->toks);
    *end = doc->toks + doc->ctoks;
    return doc->toks + nt;
}

/* The room the fast path needs, a window of tokens, and one for the slow
 * path. */
#define SPAN_ROOM (64 + 1)



/* The pass, with the given classifier of 64 bytes. */
static ALWAYS_INLINE nm_status segment_text(nm_doc *doc, const nm_ctx *ctx, seg_classify_fn classify)
{
    const char *t = doc->text;
    size_t n = doc->text_len, i = 0, s0 = doc->nsents, nt0 = doc->ntoks;
    nm_vec_reserve((void **)&doc->toks, &doc->ctoks, nt0 + n / 5 + SPAN_ROOM + 16, sizeof *doc->toks);
    nm_vec_reserve((void **)&doc->sents, &doc->csents, s0 + n / 64 + 4, sizeof *doc->sents);
    nm_tok *tk = doc->toks + nt0, *tk_end = doc->toks + doc->ctoks; /* the next token */
    seg_lines ls = {0, 1, 0, 0, false};
    seg_win win = {0, 0, 0, 0, 0, 0, 0, 0, 0}; /* empty: the first position loads it */
#define NTOK ((size_t)(tk - doc->toks))
#define PUSH_TOK(o_, n_, f_)                                                   \
    do {                                                                       \
        if (tk == tk_end)                                                      \
            tk = toks_room(doc, tk, &tk_end, 1);                               \
        tk->off = (uint32_t)(o_);                                              \
        tk->len = (uint32_t)(n_);                                              \
        tk->flags = (f_);                                                      \
        tk->sent = si;                                                         \
        tk++;                                                                  \
    } while (0)

    /* Leading white space and blank lines; the first token opens
     * paragraph 1 and the first sentence. */
    for (; is_space(t[i]); i++)
        if (t[i] == '\n')
            ls.line_start = i + 1;
    if (i < n)
        open_sent(doc, i, ls.para, nt0, false);
    uint32_t si = (uint32_t)doc->nsents - 1; /* the open sentence */

    bool hard; /* at white: whether a sentence ends there */
    for (;;) {
        /* The fast path, from i (where a token starts, or white space after
         * one) to the next byte that needs a rule. */
        size_t pos = i - win.base;
        if (pos >= win.lim) {
            win_load(&win, classify, t, n, i);
            pos = 0;
        }
        if (UNLIKELY((size_t)(tk_end - tk) < SPAN_ROOM))
            tk = toks_room(doc, tk, &tk_end, SPAN_ROOM);
        unsigned s = fast_span(&win, (unsigned)pos, t, doc, &tk, &si, &ls);
        i = win.base + s;
        if (s >= win.lim && win.lim != 0)
            continue; /* the end of the window: the next one goes on from i */

        /* The slow path: the token that starts at i, or the white space
         * there (a line break).  Its offset and sentence now, its length
         * and flags when it is scanned. */
        uint8_t k = CLS(t[i]);
        tk->off = (uint32_t)i;
        tk->sent = si;
        size_t a = i, j;
        uint32_t f;
        if (k & C_SPACE) { /* a line break */
            hard = false;
            goto white;
        } else if (k & C_PUNCT) { /* . ! ? ', a possessive */
        punct:
            f = NM_TOK_PUNCT;
            if (t[a] == '\'' && t[a + 1] == 's' && !is_alpha(t + (a + 2))) {
                j = a + 2;
            } else {
                j = a + 1;
                while (((unsigned char)t[j] & 0xC0) == 0x80)
                    j++; /* one whole code point */
                if ((k & C_STOP) && !(a > 0 && (CLS(t[a - 1]) & C_STOP)))
                    goto stop; /* the first of a run of . ! ? */
            }
        } else if (k & C_DIGIT) { /* digits with inner , and . before a digit */
            j = a + 1;
            for (;;) {
                while (CLS(t[j]) & C_DIGIT)
                    j++;
                if ((t[j] == ',' || t[j] == '.') && (CLS(t[j + 1]) & C_DIGIT))
                    j += 2;
                else
                    break;
            }
            while (CLS(t[j]) & C_ALPHA)
                j++; /* 201st, 5bn, 3G: one token */
            f = NM_TOK_NUM;
        } else if (k & C_ALPHA) { /* a word the fast path left: see fast_span */
            j = a + 1;
            while (CLS(t[j]) & C_ALNUM)
                j++;
            size_t e;
            if (t[j] == '.' && j == a + 1 && (e = acronym_end(t, a)) != 0) {
                f = NM_TOK_WORD | ((k & C_UPPER) ? NM_TOK_CAP : 0);
                if (!has_lower(t + a, e - a))
                    f |= NM_TOK_UPPER;
                j = e;
                goto stop; /* the final period of U.S. may end a sentence */
            }
            if (CLS(t[j]) & (C_LEAD | C_APOS))
                j = word_rest(t, j);
            f = NM_TOK_WORD;
            if (k & C_UPPER) /* "Smith" stops at the m, "IBM" is all checked */
                f |= has_lower(t + a + 1, j - a - 1) ? NM_TOK_CAP : NM_TOK_CAP | NM_TOK_UPPER;
        } else if ((k & C_LEAD) && is_letter_cp(t + a)) { /* a non-ASCII first letter */
            j = word_rest(t, a);
            f = NM_TOK_WORD;
            if (cp_upper(t + a, j - a))
                f |= NM_TOK_CAP;
            if (!has_lower(t + a, j - a))
                f |= NM_TOK_UPPER;
        } else if (a >= n) {
            break;
        } else { /* other symbols, a stray byte: one token like punctuation */
            goto punct;
        }
        tk->len = (uint32_t)(j - a);
        tk->flags = f;
        tk++;
        i = j;
        continue;

    stop: /* the token [a,j) ends with the first of a run of . ! ? */
        tk->len = (uint32_t)(j - a);
        tk->flags = f;
        tk++;
        i = j;
        size_t e = stop_break(ctx, t, n, j - 1);
        if (e) { /* a sentence ends at e */
            for (; i < e; i++)
                PUSH_TOK(i, 1, NM_TOK_PUNCT); /* the rest of the run, closing quotes */
            if (t[i] == ' ' && i + 1 < n && !is_space(t[i + 1])) {
                open_sent(doc, ++i, ls.para, NTOK, false);
                si = (uint32_t)doc->nsents - 1;
            } else {
                hard = true;
                goto white;
            }
        }
        continue;

    white: /* white space at i after a token (hard: a stop rule ended the
            * sentence there): counts the lines it ends and opens the
            * sentence of the next token where there is a boundary */
        while (t[i] != '\n' && is_space(t[i]))
            i++;
        if (t[i] == '\n') {
            size_t len = i - ls.line_start; /* the line of the last token */
            bool soft;
            if (!is_space(t[i + 1])) { /* one line break, no indent: the usual case */
                ls.line_start = ++i;
                count_line(&ls, len);
                if (i >= n)
                    break;
                soft = !hard && len >= 40;
            } else {
                size_t nl = 0;
                for (; is_space(t[i]); i++)
                    if (t[i] == '\n') {
                        nl++;
                        ls.line_start = i + 1;
                    }
                count_line(&ls, len);
                if (i >= n)
                    break;
                if (nl > 1)
                    ls.para++; /* after a blank line */
                /* In hard-wrapped text a line break within a paragraph ends
                 * a sentence only after a short line or before an indented
                 * one. */
                char c = t[ls.line_start];
                soft = !hard && nl == 1 && len >= 40 && c != ' ' && c != '\t';
            }
            open_sent(doc, i, ls.para, NTOK, soft);
            si = (uint32_t)doc->nsents - 1;
        } else if (hard && i < n) {
            open_sent(doc, i, ls.para, NTOK, false);
            si = (uint32_t)doc->nsents - 1;
        }
    }
#undef PUSH_TOK
#undef NTOK
    doc->ntoks = (size_t)(tk - doc->toks);

    /* The last line, when it is not blank and no line break ends it. */
    if (doc->ntoks > nt0 && tk[-1].off >= ls.line_start)
        count_line(&ls, n - ls.line_start);
    bool wrapped = !ls.too_long && ls.lines >= 5 && (uint64_t)ls.mid * 5 >= (uint64_t)ls.lines * 4;
    finish_sents(doc, s0, wrapped);
    return NM_OK;
}

/* Which code classifies the bytes: 0 portable, 1 SSE2, 2 AVX2, -1 the best
 * the processor has (the unit tests set the others). */
static int seg_simd = -1;

#if defined(HAVE_CLASSIFY_AVX2)
/* With AVX2 the processor also has BMI1, BMI2 and LZCNT (Haswell on), which
 * the fast path uses for its bit scans and shifts. */
__attribute__((target("avx2,bmi,bmi2,lzcnt,popcnt"))) static nm_status
segment_avx2(nm_doc *doc, const nm_ctx *ctx)
{
    return segment_text(doc, ctx, classify64_avx2);
}
#endif

static nm_status segment_portable(nm_doc *doc, const nm_ctx *ctx, seg_classify_fn classify)
{
    return segment_text(doc, ctx, classify);
}

nm_status nm_stage_segment(nm_doc *doc, const nm_ctx *ctx)
{
    int level = seg_simd;
#if defined(HAVE_CLASSIFY_AVX2)
    if (level < 0 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2"))
        level = 2;
    if (level == 2)
        return segment_avx2(doc, ctx);
#endif
#if defined(HAVE_CLASSIFY_SSE2)
    if (level != 0)
        return segment_portable(doc, ctx, classify64_sse2);
#endif
    return segment_portable(doc, ctx, classify64_bytes);
}
