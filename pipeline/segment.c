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
 */
#include "stages.h"

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
#else
#define UNLIKELY(x) (x)
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

static bool has_lower(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (CLS(s[i]) & C_LOWER)
            return true;
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

/* The end of the run of ASCII letters and digits from j.  Most of the
 * bytes of a text are in such runs, so with SSE2 they are classified 64 at
 * a time into a bit mask (a window that moves along with the tokens), and
 * the end of a run is a count of trailing zeros. */
typedef struct alnum_win {
    size_t base;   /* offset of the window, a multiple of 64 */
    uint64_t ends; /* bit k: t[base + k] is not an ASCII letter or digit */
} alnum_win;

#if defined(__SSE2__)
#include <emmintrin.h>

/* The bits of the 16 bytes at p that are ASCII letters or digits: signed
 * compares after a shift of each range to the bottom (digits go to
 * -128..-119, letters with the 0x20 bit set to -128..-103). */
static inline unsigned alnum_mask16(const char *p)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i d = _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8((char)(0x80 - '0'))),
                               _mm_set1_epi8(-128 + 10));
    __m128i l = _mm_cmplt_epi8(
        _mm_add_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)), _mm_set1_epi8((char)(0x80 - 'a'))),
        _mm_set1_epi8(-128 + 26));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(d, l));
}

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__AVX2__)
#include <immintrin.h>
#define HAVE_ALNUM_AVX2 1

/* The same test 32 bytes at a time, with AVX2 where the processor has it
 * (half the instructions). */
__attribute__((target("avx2"))) static uint64_t alnum_mask64_avx2(const char *p)
{
    const __m256i digit0 = _mm256_set1_epi8((char)(0x80 - '0')), digits = _mm256_set1_epi8(-128 + 10);
    const __m256i bit5 = _mm256_set1_epi8(0x20), letter0 = _mm256_set1_epi8((char)(0x80 - 'a'));
    const __m256i letters = _mm256_set1_epi8(-128 + 26);
    uint64_t m = 0;
    for (unsigned k = 0; k < 64; k += 32) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(p + k));
        __m256i d = _mm256_cmpgt_epi8(digits, _mm256_add_epi8(x, digit0));
        __m256i l = _mm256_cmpgt_epi8(letters, _mm256_add_epi8(_mm256_or_si256(x, bit5), letter0));
        m |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_or_si256(d, l)) << k;
    }
    return m;
}
#endif

/* The bits of the 64 bytes at p that are ASCII letters or digits.  (Not
 * inlined: the choice of AVX2 stays out of the main loop.) */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static uint64_t alnum_mask64(const char *p)
{
#if defined(HAVE_ALNUM_AVX2)
    if (__builtin_cpu_supports("avx2"))
        return alnum_mask64_avx2(p);
#endif
    return (uint64_t)alnum_mask16(p) | (uint64_t)alnum_mask16(p + 16) << 16 |
           (uint64_t)alnum_mask16(p + 32) << 32 | (uint64_t)alnum_mask16(p + 48) << 48;
}

/* Moves the window on to the 64-byte block of j (the blocks are aligned on
 * offsets, so each byte is classified once) and returns the end of the run
 * from j. */
static size_t alnum_end_slow(alnum_win *w, const char *t, size_t n, size_t j)
{
    if (j - w->base < 64) /* the run goes on past the end of the window */
        j = w->base + 64;
    for (;;) {
        w->base = j & ~(size_t)63;
        if (w->base + 64 <= n) {
            w->ends = ~alnum_mask64(t + w->base);
        } else { /* the end of the text: a copy padded with NULs */
            char tail[64] = {0};
            memcpy(tail, t + w->base, n - w->base);
            w->ends = ~alnum_mask64(tail);
        }
        uint64_t ends = w->ends >> (j - w->base);
        if (ends)
            return j + (unsigned)__builtin_ctzll(ends);
        j = w->base + 64;
    }
}

static inline size_t alnum_end(alnum_win *w, const char *t, size_t n, size_t j)
{
    size_t off = j - w->base;
    uint64_t ends = off < 64 ? w->ends >> off : 0;
    return UNLIKELY(!ends) ? alnum_end_slow(w, t, n, j) : j + (unsigned)__builtin_ctzll(ends);
}
#else
static inline size_t alnum_end(alnum_win *w, const char *t, size_t n, size_t j)
{
    (void)w;
    (void)n;
    while (CLS(t[j]) & C_ALNUM)
        j++;
    return j;
}
#endif

/* ------------------------------------------------------------ sentences */

/* Is the word that ends at the period at p an abbreviation or initial?
 * The word is the run of letters and periods before p; it cannot reach
 * back past the start of the sentence, which follows white space. */
static bool no_break_after(const nm_ctx *ctx, const char *t, size_t p)
{
    size_t a = p;
    bool dotted = false;
    for (; a > 0; a--) {
        if (t[a - 1] == '.')
            dotted = true;
        else if (!is_alpha(t + (a - 1)))
            break;
    }
    size_t n = p - a;
    if (n == 0)
        return false;
    if (n == 1 && is_upper_ascii(t[a]))
        return true; /* initial: J. Smith */
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

/* Room for one more token at tk (the vector doubles); sets *end to the new
 * end of the room. */
static nm_tok *toks_grow(nm_doc *doc, nm_tok *tk, nm_tok **end)
{
    size_t nt = (size_t)(tk - doc->toks);
    nm_vec_reserve((void **)&doc->toks, &doc->ctoks, nt + 1, sizeof *doc->toks);
    *end = doc->toks + doc->ctoks;
    return doc->toks + nt;
}

nm_status nm_stage_segment(nm_doc *doc, const nm_ctx *ctx)
{
    const char *t = doc->text;
    size_t n = doc->text_len, i = 0, s0 = doc->nsents, nt0 = doc->ntoks;
    nm_vec_reserve((void **)&doc->toks, &doc->ctoks, nt0 + n / 5 + 16, sizeof *doc->toks);
    nm_vec_reserve((void **)&doc->sents, &doc->csents, s0 + n / 64 + 4, sizeof *doc->sents);
    nm_tok *tk = doc->toks + nt0, *tk_end = doc->toks + doc->ctoks; /* the next token */
    seg_lines ls = {0, 1, 0, 0, false};
    alnum_win win = {(size_t)0 - 64, 0}; /* empty: no offset is inside */
#define NTOK ((size_t)(tk - doc->toks))
#define PUSH_TOK(o_, n_, f_)                                                   \
    do {                                                                       \
        if (tk == tk_end)                                                      \
            tk = toks_grow(doc, tk, &tk_end);                                  \
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

    uint8_t k = CLS(t[i]); /* the class of t[i], where a token starts */
    bool hard;             /* at white: whether a sentence ends there */
    for (;;) {
        /* The token that starts at i, if one does: its offset and sentence
         * now, its length and flags when it is scanned. */
        if (UNLIKELY(tk == tk_end))
            tk = toks_grow(doc, tk, &tk_end);
        tk->off = (uint32_t)i;
        tk->sent = si;
        size_t a = i, j;
        uint32_t f;
        if (k & C_ALPHA) { /* words starting with an ASCII letter */
            /* A run of such words with one space between them, the bulk of
             * most texts, stays in this loop. */
            for (;;) {
                j = alnum_end(&win, t, n, a + 1);
                if (UNLIKELY(t[j] != ' ' && (CLS(t[j]) & (C_LEAD | C_APOS | C_STOP)))) {
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
                }
                f = NM_TOK_WORD;
                if (UNLIKELY(k & C_UPPER)) /* "Smith" stops at the m, "IBM" is all checked */
                    f |= has_lower(t + a + 1, j - a - 1) ? NM_TOK_CAP : NM_TOK_CAP | NM_TOK_UPPER;
                tk->len = (uint32_t)(j - a);
                tk->flags = f;
                tk++;
                if (t[j] != ' ' || !((k = CLS(t[j + 1])) & C_ALPHA))
                    break;
                a = j + 1; /* one space, then the next word */
                if (UNLIKELY(tk == tk_end))
                    tk = toks_grow(doc, tk, &tk_end);
                tk->off = (uint32_t)a;
                tk->sent = si;
            }
            i = j;
            k = CLS(t[i]);
            if (t[i] == ' ' && !(CLS(t[i + 1]) & C_SPACE))
                k = CLS(t[++i]); /* (at the end, the NUL: see the last branch) */
            continue;
        } else if (k & C_PUNCT) { /* punctuation, a symbol, a possessive */
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
        } else if (k & C_SPACE) { /* more than one space, or a line break */
            hard = false;
            goto white;
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
        k = CLS(t[i]);
        if (t[i] == ' ' && !(CLS(t[i + 1]) & C_SPACE)) /* the usual case */
            k = CLS(t[++i]);
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
        k = CLS(t[i]);
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
        k = CLS(t[i]);
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
