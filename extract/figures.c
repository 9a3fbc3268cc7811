/* figures.c - FIGURE facts: counts, money, percentages, fractions and
 * multipliers, with qualifier, counted noun and change (ANNOTATION.md).
 *
 * Candidates are the number tokens and the number and scale words of the
 * lexicons.  Each candidate grows over the tokens around
 * it: number words combine (twenty-five, three hundred), scale words
 * multiply (1.2 million), a unit makes a percent or multiplier, a currency
 * before or after makes money.  Then the rules that say what is not a
 * figure: years, days of dates, durations, clock times, ordinals, numbers
 * inside names and codes, list bullets, and anything a DATE already holds.
 */
#include "figures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fig {
    size_t t0, t1;      /* span, inclusive token indexes */
    size_t n0, n1;      /* the number itself */
    double value;
    int form;
    bool digits, plain, scaled;
    const char *unit;   /* "percent", an ISO code, or NULL */
    bool money;
} fig;

/* The nm_fig_word of the tokens looked at lately, by token index modulo
 * MEMO_SIZE: the rules look around the candidate number, so each token is
 * lower-cased and hashed about once, and nothing grows with the document. */
#define MEMO_SIZE 32
typedef struct memo {
    /* the token of each slot (UINT32_MAX: empty; token indexes are below
     * it, as offsets are 32-bit), apart: 128 bytes to clear a document */
    uint32_t t[MEMO_SIZE];
    const nm_fig_word *w[MEMO_SIZE];
} memo;

/* The DATE facts of a document, for the test of nm_fact_overlap: in
 * start order, their ends (0 for a dead fact, which overlaps nothing) and
 * the largest end up to each. */
#define DATES_MAX 256
typedef struct date_index {
    size_t n;  /* SIZE_MAX: not made (unsorted or too many): ask nm_fact_overlap */
    size_t lo; /* cursor: the first fact starting at or after the last end asked */
    uint32_t start[DATES_MAX], end[DATES_MAX], max_end[DATES_MAX];
} date_index;

typedef struct fctx {
    nm_doc *doc;
    /* the document's tokens and text, which figures does not change */
    const nm_tok *toks;
    const char *text;
    size_t ntoks;
    const nm_figure_rules *r;
    memo *memo;
    size_t text_len;
    date_index *dates;
} fctx;

/* The small rule helpers called once or twice per candidate, inlined
 * whatever the compiler's size limits say: a call costs more than the
 * work of most of them (measured with callgrind). */
#define HOT_INLINE inline __attribute__((always_inline))

/* The code layout: the rules run once per candidate or per figure are
 * functions of their own (NOINLINE), so that the token screen and its
 * loop stay small; the rules of rare words (fractions, "one in three")
 * are COLD: out of the way of the others in the binary. */
#define NOINLINE __attribute__((noinline))
#define COLD __attribute__((noinline, cold))

/* ------------------------------------------------------------ tokens */

static const nm_tok *tok(const fctx *c, size_t t) { return &c->toks[t]; }

/* Looks token t up and keeps it in its memo slot. */
static const nm_fig_word *word_lookup(const fctx *c, size_t t)
{
    const nm_tok *k = tok(c, t);
    const char *s = c->text + k->off;
    const nm_fig_word *w;
    if (k->len == 1) /* a table of them: most are punctuation */
        w = c->r->byte_word[(unsigned char)*s];
    else
        w = (size_t)k->off + 16 <= c->text_len ? nm_fig_word_of16(c->r, s, k->len)
                                                 : nm_fig_word_of(c->r, s, k->len);
    c->memo->t[t % MEMO_SIZE] = (uint32_t)t;
    c->memo->w[t % MEMO_SIZE] = w;
    return w;
}

/* What the lexicons say of token t (t < ntoks). */
static inline const nm_fig_word *word(const fctx *c, size_t t)
{
    return c->memo->t[t % MEMO_SIZE] == t ? c->memo->w[t % MEMO_SIZE] : word_lookup(c, t);
}

/* Is token t the first (or last) token of some entry of edge set e? */
static inline bool edge_ok(const fctx *c, size_t t, int e)
{
    return t < c->ntoks && (word(c, t)->edges >> e & 1u);
}

static bool valid(const fctx *c, size_t t, size_t ref)
{
    return t < c->ntoks && tok(c, t)->sent == tok(c, ref)->sent;
}

static bool adjacent(const fctx *c, size_t a, size_t b)
{
    return tok(c, a)->off + tok(c, a)->len == tok(c, b)->off;
}

static bool is_char(const fctx *c, size_t t, char ch)
{
    return t < c->ntoks && tok(c, t)->len == 1 && c->text[tok(c, t)->off] == ch;
}

/* The byte of token t when it is one byte long, else -1 (also past the
 * last token): one test for the punctuation rules look for. */
static inline int tok_char(const fctx *c, size_t t)
{
    return t < c->ntoks && tok(c, t)->len == 1 ? (unsigned char)c->text[tok(c, t)->off] : -1;
}

/* The bytes of the literal w (at most 8, lower-case ASCII) packed into
 * a 64-bit value, first byte lowest: a constant. */
#define LIT_BYTE(w, i) \
    ((uint64_t)(unsigned char)(w)[(i) < sizeof(w) - 1 ? (i) : 0] * ((i) < sizeof(w) - 1) << (8 * (i)))
#define LIT8(w)                                                                              \
    (LIT_BYTE(w, 0) | LIT_BYTE(w, 1) | LIT_BYTE(w, 2) | LIT_BYTE(w, 3) | LIT_BYTE(w, 4) |     \
     LIT_BYTE(w, 5) | LIT_BYTE(w, 6) | LIT_BYTE(w, 7))

/* Is token t the word w of n bytes (ASCII case-insensitive), whose bytes
 * packed are lit (LIT8)?  Inlined, n and lit are constants, and most
 * tokens fail on the length; the others are compared in one operation
 * when 8 bytes can be read from the token. */
static HOT_INLINE bool is_word_n(const fctx *c, size_t t, const char *w, size_t n, uint64_t lit)
{
    if (t >= c->ntoks || tok(c, t)->len != n)
        return false;
    const char *s = c->text + tok(c, t)->off;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (n <= 8 && (size_t)tok(c, t)->off + 8 <= c->text_len) {
        uint64_t v;
        memcpy(&v, s, 8);
        /* a byte with its high bit set stays so: no literal has one */
        return nm_lower8(v & nm_keep_bytes(n)) == lit;
    }
#else
    (void)lit;
#endif
    for (size_t i = 0; i < n; i++) {
        char a = s[i];
        a = (a >= 'A' && a <= 'Z') ? (char)(a + 32) : a;
        if (a != w[i])
            return false;
    }
    return true;
}

/* Is token t the word w, a lower-case literal of at most 8 bytes? */
#define is_word(c, t, w) is_word_n(c, t, w, sizeof(w) - 1, LIT8(w))

/* Has word token t the WORDCLASS class cls (NM_FIG_*, or one of several)?
 * Months are capitalized in English: "may" is a verb. */
static inline bool has_class(const fctx *c, size_t t, unsigned cls)
{
    if (t >= c->ntoks || !(tok(c, t)->flags & NM_TOK_WORD))
        return false;
    unsigned k = word(c, t)->cls & cls; /* a word has one class: one bit or none */
    return k && (k != NM_FIG_MONTH || (tok(c, t)->flags & NM_TOK_CAP));
}

/* Token t when it is a number word (NUMBER entry), else NULL. */
static inline const nm_fig_word *number_word(const fctx *c, size_t t)
{
    if (t >= c->ntoks)
        return NULL;
    const nm_fig_word *w = word(c, t);
    return w->number ? w : NULL;
}

/* Token t when it is a scale word (SCALE entry), else NULL. */
static inline const nm_fig_word *scale_word(const fctx *c, size_t t)
{
    if (t >= c->ntoks)
        return NULL;
    const nm_fig_word *w = word(c, t);
    return w->scale ? w : NULL;
}

/* ------------------------------------------------------------ numbers */

static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8, 1e9,
                             1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};

/* A digit token: 80,000 / 5.8 / 5bn.  False for ordinals (201st), codes
 * (3G), decades (1990s), leading zeros (03) and bad groupings (1,00).  When
 * true, *sep tells whether it has a thousands comma and *dot whether it
 * has a '.' anywhere. */
static HOT_INLINE bool parse_digits(const fctx *c, size_t t, double *v, bool *sep, bool *dot)
{
    const char *s = c->text + tok(c, t)->off;
    size_t n = tok(c, t)->len, i = 0;
    if (n > 40)
        return false;
    /* the value in the same pass: an exact integer mantissa over a power of
     * ten (correctly rounded, as strtod), or strtod past 18 digits (m is
     * used only when there are at most 18) */
    uint64_t m = 0;
    for (unsigned d; i < n && (d = (unsigned char)s[i] - (unsigned)'0') <= 9; i++)
        m = m * 10 + d;
    if (i == n && n <= 18) { /* most are plain digits: 1987, 25 */
        if (s[0] == '0' && n > 1)
            return false; /* a leading zero: 03 */
        *v = (double)m;
        *sep = *dot = false;
        return true;
    }
    /* then each separator and the run of digits after it */
    size_t group = i, dots = 0;
    int frac = 0, digits = (int)i;
    bool comma = false;
    while (i < n) {
        if (s[i] == ',') {
            if ((comma && group != 3) || (!comma && (group < 1 || group > 3)) || dots)
                return false;
            comma = true;
            group = 0;
        } else if (s[i] == '.') {
            if (++dots > 1 || (comma && group != 3))
                return false;
        } else {
            break; /* a suffix: 5bn, 30GB */
        }
        size_t r = ++i;
        for (unsigned d; i < n && (d = (unsigned char)s[i] - (unsigned)'0') <= 9; i++)
            m = m * 10 + d;
        if (!dots)
            group += i - r;
        else
            frac += (int)(i - r);
        digits += (int)(i - r);
    }
    if ((comma && !dots && group != 3) || (s[0] == '0' && n > 1 && i > 1 && s[1] != '.'))
        return false;
    if (digits > 18) { /* too long to be exact here */
        char buf[48];
        size_t o = 0;
        for (size_t j = 0; j < i; j++)
            if (s[j] != ',')
                buf[o++] = s[j];
        buf[o] = '\0';
        *v = strtod(buf, NULL);
    } else {
        *v = frac > 0 ? (double)m / p10[frac] : (double)m;
    }
    *sep = comma;
    *dot = dots || (i < n && memchr(s + i, '.', n - i));
    if (i == n)
        return true;
    char suf[8]; /* a suffix of 8 bytes or more is no scale nor unit */
    size_t k = nm_ascii_lower(suf, sizeof suf, s + i, n - i);
    const nm_fig_word *w = k != SIZE_MAX ? nm_fig_word_of(c->r, suf, k) : NULL;
    if (!w || !w->scale) { /* 30GB, 5km: a count of a measurement unit */
        const nm_fig_entry *u = k != SIZE_MAX ? nm_hash_get(&c->r->units, suf, k) : NULL;
        return u && u->unit == NM_FIG_UNIT_MEASURE;
    }
    *v *= w->scale_value;
    return true;
}

static bool is_tens(double v) { return v >= 20 && v <= 90 && fmod(v, 10) == 0; }

/* A cardinal written in words from token t: twenty-five, three hundred. */
static COLD size_t parse_cardinal(const fctx *c, size_t t, double *v)
{
    size_t j = t;
    if (is_tens(*v)) {
        size_t u = j + 1;
        if (is_char(c, u, '-') && adjacent(c, j, u) && valid(c, u + 1, t) && adjacent(c, u, u + 1))
            u++;
        const nm_fig_word *e = valid(c, u, t) ? number_word(c, u) : NULL;
        double uv = e ? e->number_value : 0;
        if (e && e->number_form == FORM_CARDINAL && uv >= 1 && uv <= 9) {
            *v += uv;
            j = u;
        }
    }
    return j;
}

/* Multiplies by the scale words after token j; returns the last one used. */
static inline size_t apply_scales(const fctx *c, size_t j, size_t ref, double *v, bool *scaled)
{
    for (;;) {
        size_t k = j + 1;
        if (!valid(c, k, ref))
            return j;
        const nm_fig_word *e = scale_word(c, k);
        if (!e || e->scale_attached)
            return j;
        *v *= e->scale_value;
        *scaled = true;
        j = k;
    }
}

/* one_in_n past "in" or "out of": k is the token after them. */
static COLD bool one_in_n_at(const fctx *c, fig *f, size_t k)
{
    if (!valid(c, k, f->n0))
        return false;
    double d = 0;
    bool sep, dot;
    if (tok(c, k)->flags & NM_TOK_NUM) {
        if (!parse_digits(c, k, &d, &sep, &dot))
            return false;
    } else {
        const nm_fig_word *e = number_word(c, k);
        if (!e || e->number_form != FORM_CARDINAL)
            return false;
        d = e->number_value;
        k = parse_cardinal(c, k, &d);
    }
    if (d < 2 || d > 1000 || f->value >= d)
        return false;
    f->value /= d;
    f->form = FORM_FRACTION;
    f->n1 = f->t1 = k;
    return true;
}

/* The denominator of "one in three" / "1 in 5" / "one out of four".  Most
 * numbers have no "in" after them: that test is made here, inline. */
static HOT_INLINE bool one_in_n(const fctx *c, fig *f)
{
    size_t k = f->n1 + 1;
    if (is_word(c, k, "out") && is_word(c, k + 1, "of"))
        k++;
    else if (!is_word(c, k, "in"))
        return false;
    return one_in_n_at(c, f, k + 1);
}

static HOT_INLINE bool left_article(const fctx *c, size_t t)
{
    return t > 0 && valid(c, t - 1, t) &&
           (is_word(c, t - 1, "a") || is_word(c, t - 1, "an") || is_word(c, t - 1, "one"));
}

/* "a third", "two-thirds", "half", "half a million". */
static COLD bool parse_fraction(const fctx *c, fig *f, const nm_fig_word *e)
{
    size_t t = f->n0;
    bool half = e->number_value == 0.5;
    if (left_article(c, t)) {
        f->n0 = t - 1;
    } else if (t > 0 && valid(c, t - 1, t)) {
        size_t p = t - 1;
        if (is_char(c, p, '-') && p > 0 && adjacent(c, p, t) && adjacent(c, p - 1, p))
            p--;
        const nm_fig_word *ne = number_word(c, p);
        if (ne && ne->number_form == FORM_CARDINAL && ne->number_value >= 2) {
            f->value *= ne->number_value;
            f->n0 = p;
        } else if (!half) {
            return false;
        } else if (is_word(c, p, "first") || is_word(c, p, "second") || is_word(c, p, "latter") ||
                   is_word(c, p, "last") || is_word(c, p, "other") || is_word(c, p, "next")) {
            return false; /* the first half of 2024: a date */
        }
    } else if (!half) {
        return false;
    }
    if (half && is_word(c, t + 1, "a") && valid(c, t + 2, t)) { /* half a million */
        const nm_fig_word *s = scale_word(c, t + 2);
        if (s && !s->scale_attached) {
            f->value = 0.5 * s->scale_value;
            f->form = FORM_CARDINAL;
            f->scaled = true;
            f->n1 = t + 2;
        }
    }
    return true;
}

/* two-thirds, three quarters: a cardinal times the fraction after it. */
static COLD bool fraction_after(const fctx *c, fig *f)
{
    size_t k = f->n1 + 1;
    if (f->value < 2 || f->value > 99)
        return false;
    if (is_char(c, k, '-') && adjacent(c, f->n1, k))
        k++;
    const nm_fig_word *e = valid(c, k, f->n0) ? number_word(c, k) : NULL;
    if (!e || e->number_form != FORM_FRACTION || e->number_value == 0.5)
        return false;
    f->value *= e->number_value;
    f->form = FORM_FRACTION;
    f->n1 = k;
    return true;
}

/* The number itself, from candidate token t. */
static HOT_INLINE bool parse_number(const fctx *c, size_t t, fig *f)
{
    f->n0 = f->n1 = t;
    if (tok(c, t)->flags & NM_TOK_NUM) {
        bool sep = false, dot = false;
        if (!parse_digits(c, t, &f->value, &sep, &dot))
            return false;
        f->digits = true;
        const char *s = c->text + tok(c, t)->off;
        f->plain = !sep && !dot &&
                   (s[tok(c, t)->len - 1] >= '0' && s[tok(c, t)->len - 1] <= '9');
        f->scaled = !f->plain && !(s[tok(c, t)->len - 1] >= '0' && s[tok(c, t)->len - 1] <= '9');
        f->n1 = apply_scales(c, t, t, &f->value, &f->scaled);
        if (f->scaled)
            f->plain = false;
        return true;
    }
    const nm_fig_word *e = number_word(c, t);
    if (!e) { /* a scale word: only "a million", "one billion" */
        if (!scale_word(c, t) || !left_article(c, t))
            return false;
        f->n0 = t - 1;
        f->value = 1;
        f->n1 = apply_scales(c, t - 1, t, &f->value, &f->scaled);
        return true;
    }
    f->value = e->number_value;
    f->form = e->number_form;
    if (f->form == FORM_FRACTION)
        return parse_fraction(c, f, e);
    if (f->form == FORM_CARDINAL) {
        f->n1 = parse_cardinal(c, t, &f->value);
        if (fraction_after(c, f))
            return true;
        f->n1 = apply_scales(c, f->n1, t, &f->value, &f->scaled);
    }
    return true;
}

/* ------------------------------------------------------------ units */

/* The text of tokens [lo, hi] folded as nm_fold_space does it (runs of
 * white space as one space, none at either end), once for all the windows
 * of a match: the text of tokens [a, b] inside it is its bytes from
 * start[a - lo] to end[b - lo], what nm_fig_lookup would fold. */
#define WIN_MAX 16
#define WIN_TEXT 128
typedef struct window {
    char text[WIN_TEXT + 16]; /* 16 bytes more: a look-up reads 16 bytes at once */
    size_t lo, hi;
    uint8_t start[WIN_MAX], end[WIN_MAX];
} window;

/* hi - lo < WIN_MAX, and the tokens span at most 120 bytes. */
static void fold_window(const fctx *c, window *w, size_t lo, size_t hi)
{
    const char *text = c->text;
    size_t o = 0, started = lo, ended = lo;
    bool sp = false;
    uint32_t i = tok(c, lo)->off, e = tok(c, hi)->off + tok(c, hi)->len;
    /* the offsets where the next token starts and the next one ends */
    uint32_t next_start = i, next_end = tok(c, lo)->off + tok(c, lo)->len;
    for (; i < e; i++) {
        for (; ended <= hi && next_end <= i; ended++) {
            w->end[ended - lo] = (uint8_t)o;
            next_end = ended < hi ? tok(c, ended + 1)->off + tok(c, ended + 1)->len : e;
        }
        char ch = text[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            sp = o > 0;
            continue;
        }
        if (sp)
            w->text[o++] = ' ';
        sp = false;
        /* a window from a token starts at its first byte that is not space */
        for (; started <= hi && next_start <= i; started++) {
            w->start[started - lo] = (uint8_t)o;
            next_start = started < hi ? tok(c, started + 1)->off : e;
        }
        w->text[o++] = ch;
    }
    for (; ended <= hi; ended++)
        w->end[ended - lo] = (uint8_t)o;
    for (; started <= hi; started++) /* no byte but space: an empty window */
        w->start[started - lo] = (uint8_t)o;
    w->lo = lo;
    w->hi = hi;
}

/* The entry of folded text k[0..n): in tb->cs as it is, else in tb->ci
 * lower-cased (as nm_fig_lookup).  A table is asked only when some key of
 * it has the first and last byte and the length of the text. */
static const nm_fig_entry *text_lookup(const char *k, size_t n, const nm_fig_table *tb)
{
    unsigned bit = n ? nm_fig_cand_bit((unsigned char)k[0], (unsigned char)k[n - 1], n & 31) : 0;
    uint64_t m = 1ULL << (bit % 64);
    const nm_fig_entry *x = NULL;
    if (n >= 1 && n <= NM_FIG_PACK_MAX) { /* most: short ASCII, in the packed keys */
        uint64_t p[2];
        nm_fig_pack16(p, k, n); /* the window's buffer has 16 bytes to spare */
        if (!((p[0] | p[1]) & NM_HIGH_BITS)) {
            if (tb->cs && (tb->cs_bits[bit / 64] & m))
                x = nm_fig_kget(&tb->cs_packed, p[0], p[1], n);
            if (!x && tb->ci && (tb->ci_bits[bit / 64] & m))
                x = nm_fig_kget(&tb->ci_packed, nm_lower8(p[0]), nm_lower8(p[1]), n);
            return x;
        }
    }
    if (tb->cs && (!n || (tb->cs_bits[bit / 64] & m)))
        x = nm_hash_get(tb->cs, k, n);
    if (x || !tb->ci || (n && !(tb->ci_bits[bit / 64] & m)))
        return x;
    return nm_hash_get_lower(tb->ci, k, n);
}

/* nm_fig_lookup of tokens [a, b] inside window w. */
static const nm_fig_entry *window_lookup(const window *w, size_t a, size_t b,
                                         const nm_fig_table *tb)
{
    size_t s = w->start[a - w->lo], e = w->end[b - w->lo];
    size_t n = e > s ? e - s : 0;
    if (n > tb->keylen)
        return NULL; /* longer than every key */
    return text_lookup(w->text + s, n, tb);
}

/* The windows [a, b] for a from b down to lo, folded from the end: the
 * text of [a, b] is w->text from w->start[a - lo] to the end of the
 * buffer.  Folding is symmetric (runs of white space as one space, none at
 * either end), so this is what nm_fig_lookup folds.  It stops once a
 * window is longer than limit bytes, as every longer one is; returns the
 * first token of the longest window made.  The tokens span at most 120
 * bytes; b - lo < WIN_MAX. */
static size_t fold_back(const fctx *c, window *w, size_t lo, size_t b, size_t limit)
{
    const char *text = c->text;
    const size_t cap = WIN_TEXT;
    size_t o = cap; /* the text so far is w->text[o, cap) */
    bool sp = false;
    uint32_t i = tok(c, b)->off + tok(c, b)->len;
    for (size_t a = b + 1; a-- > lo;) {
        for (uint32_t from = tok(c, a)->off; i > from;) {
            char ch = text[--i];
            if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
                sp = o < cap;
                continue;
            }
            if (sp)
                w->text[--o] = ' ';
            sp = false;
            w->text[--o] = ch;
        }
        w->start[a - lo] = (uint8_t)o;
        if (cap - o > limit)
            return a + 1;
    }
    return lo;
}

/* Does the text of tokens [a, b] span more than nm_fig_lookup takes? */
static bool too_long(const fctx *c, size_t a, size_t b)
{
    return tok(c, b)->off + tok(c, b)->len - tok(c, a)->off > 120;
}

static bool space_byte(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

/* May the text of tokens [a, b] be a key of tb, by its first and last
 * bytes?  Folded, it starts with the first byte of a and ends with the
 * last byte of b, when these are no white space.  (No false negatives.) */
static HOT_INLINE bool pair_ok(const fctx *c, const nm_fig_table *tb, size_t a, size_t b)
{
    const nm_tok *x = tok(c, a), *y = tok(c, b);
    if (!x->len || !y->len)
        return true;
    char f = c->text[x->off], l = c->text[y->off + y->len - 1];
    if (space_byte(f) || space_byte(l))
        return true;
    return tb->pairs[(unsigned char)f & 31u] >> ((unsigned char)l & 31u) & 1u;
}

/* The entry of tb of token t alone, or NULL, as the one-token window of
 * t would find it: a token holds no white space, so its folded text is its
 * bytes.  16 bytes must be readable from the token (for the look-up);
 * sets *ok to false (and returns NULL) when they are not or when the token
 * holds white space after all, for the window to be folded. */
static const nm_fig_entry *token_lookup(const fctx *c, size_t t, const nm_fig_table *tb, bool *ok)
{
    const nm_tok *k = tok(c, t);
    const char *s = c->text + k->off;
    *ok = (size_t)k->off + 16 <= c->text_len;
    for (uint32_t i = 0; *ok && i < k->len; i++)
        *ok = !space_byte(s[i]);
    if (!*ok || k->len > tb->keylen)
        return NULL;
    return text_lookup(s, k->len, tb);
}

/* match_after past its edge test. */
static const nm_fig_entry *match_after_at(const fctx *c, size_t a, size_t ref,
                                          const nm_fig_table *tb, size_t *end)
{
    size_t maxw = tb->maxw;
    /* the windows [a, a + k - 1] are prefixes of the longest one */
    size_t hi = a + maxw - 1;
    if (hi >= c->ntoks)
        hi = c->ntoks - 1;
    while (hi > a && too_long(c, a, hi))
        hi--; /* longer windows are too long for a look-up */
    if (maxw == 0 || hi - a >= WIN_MAX || too_long(c, a, hi)) {
        for (size_t k = maxw; k >= 1; k--) {
            size_t b = a + k - 1;
            if (!valid(c, b, ref))
                continue;
            const nm_fig_entry *e = nm_fig_lookup(c->doc, a, b, tb->cs, tb->ci);
            if (e) {
                *end = b;
                return e;
            }
        }
        return NULL;
    }
    while (!pair_ok(c, tb, a, hi)) /* no window past hi is a key: not folded */
        if (hi-- == a)
            return NULL;
    if (hi == a) { /* one token: no window to fold */
        bool ok;
        const nm_fig_entry *e = token_lookup(c, a, tb, &ok);
        if (ok) {
            if (e)
                *end = a;
            return e;
        }
    }
    window w;
    fold_window(c, &w, a, hi);
    for (size_t b = hi + 1; b-- > a;) {
        if (!valid(c, b, ref))
            continue;
        const nm_fig_entry *e = window_lookup(&w, a, b, tb);
        if (e) {
            *end = b;
            return e;
        }
    }
    return NULL;
}

/* match_before past its edge test. */
static const nm_fig_entry *match_before_at(const fctx *c, size_t b, size_t ref,
                                           const nm_fig_table *tb, size_t *start)
{
    size_t maxw = tb->maxw;
    if (maxw == 0)
        return NULL;
    /* the windows [b + 1 - k, b] are suffixes of the longest one */
    size_t lo = b + 1 >= maxw ? b + 1 - maxw : 0;
    while (lo < b && too_long(c, lo, b))
        lo++; /* longer windows are too long for a look-up */
    if (b - lo >= WIN_MAX || too_long(c, lo, b)) {
        for (size_t k = maxw; k >= 1; k--) {
            if (b + 1 < k)
                continue;
            size_t a = b + 1 - k;
            if (!valid(c, a, ref))
                continue;
            const nm_fig_entry *e = nm_fig_lookup(c->doc, a, b, tb->cs, tb->ci);
            if (e) {
                *start = a;
                return e;
            }
        }
        return NULL;
    }
    while (!pair_ok(c, tb, lo, b)) /* no window before lo is a key: not folded */
        if (lo++ == b)
            return NULL;
    if (lo == b) { /* one token: no window to fold */
        bool ok;
        const nm_fig_entry *e = token_lookup(c, b, tb, &ok);
        if (ok) {
            if (e)
                *start = b;
            return e;
        }
    }
    window w;
    for (size_t a = fold_back(c, &w, lo, b, tb->keylen); a <= b; a++) {
        if (!valid(c, a, ref))
            continue;
        size_t s = w.start[a - lo];
        const nm_fig_entry *e = text_lookup(w.text + s, WIN_TEXT - s, tb);
        if (e) {
            *start = a;
            return e;
        }
    }
    return NULL;
}

/* Longest entry of table tb matching tokens from a (forward).  Most tokens
 * are no first token of any entry: that test is made here, inline. */
static inline const nm_fig_entry *match_after(const fctx *c, size_t a, size_t ref,
                                              const nm_fig_table *tb, size_t *end)
{
    if (!edge_ok(c, a, tb->edge) || !valid(c, a, ref))
        return NULL;
    return match_after_at(c, a, ref, tb, end);
}

/* Longest entry of h made of tokens ending at b (backward). */
static inline const nm_fig_entry *match_before(const fctx *c, size_t b, size_t ref,
                                               const nm_fig_table *tb, size_t *start)
{
    if (!edge_ok(c, b, tb->edge + 1) || !valid(c, b, ref))
        return NULL; /* edge + 1: the last tokens */
    return match_before_at(c, b, ref, tb, start);
}


static bool comparative(const fctx *c, size_t t)
{
    return is_word(c, t, "more") || is_word(c, t, "higher") || is_word(c, t, "greater") ||
           is_word(c, t, "larger") || is_word(c, t, "bigger") || is_word(c, t, "faster") ||
           is_word(c, t, "less") || is_word(c, t, "fewer") || is_word(c, t, "lower") ||
           is_word(c, t, "as") || is_word(c, t, "smaller") || is_word(c, t, "slower");
}

/* %, percent, per cent, -percent, -fold, N times more. */
static void parse_unit(const fctx *c, fig *f)
{
    size_t a = f->n1 + 1, end;
    if (is_char(c, a, '-') && adjacent(c, f->n1, a) && valid(c, a + 1, a) && adjacent(c, a, a + 1))
        a++;
    const nm_fig_entry *e = match_after(c, a, f->n0, &c->r->unit_tab, &end);
    if (!e)
        return;
    if (e->unit == NM_FIG_UNIT_PERCENT && f->form == FORM_CARDINAL) {
        f->unit = "percent";
        f->t1 = end;
    } else if (e->unit == NM_FIG_UNIT_FOLD && f->form == FORM_CARDINAL && !f->scaled) {
        f->form = FORM_MULTIPLIER;
        f->t1 = end;
    } else if (e->unit == NM_FIG_UNIT_TIMES && f->form == FORM_CARDINAL && !f->scaled &&
               comparative(c, end + 1)) {
        f->form = FORM_MULTIPLIER;
        f->t1 = end;
    }
}

static void parse_currency(const fctx *c, fig *f)
{
    const nm_figure_rules *r = c->r;
    size_t end, start;
    if (f->form != FORM_CARDINAL || f->unit)
        return;
    if (f->n0 > 0) {
        const nm_fig_entry *e = match_before(c, f->n0 - 1, f->n0, &r->cur_tab, &start);
        if (e && (e->position & NM_FIG_POS_PREFIX)) {
            f->unit = e->code;
            f->money = true;
            f->t0 = start;
        }
    }
    const nm_fig_entry *e = match_after(c, f->t1 + 1, f->n0, &r->cur_tab, &end);
    if (e && (e->position & NM_FIG_POS_SUFFIX) && (!f->unit || strcmp(f->unit, e->code) == 0)) {
        if (e->has_scale)
            f->value *= e->scale;
        f->unit = e->code;
        f->money = true;
        f->t1 = end;
    }
}

/* ------------------------------------------------------------ not figures */

static bool is_year_like(const fig *f)
{
    return f->plain && f->value >= 1000 && f->value <= 2199 && f->n0 == f->n1;
}

static HOT_INLINE bool month_at(const fctx *c, size_t t, size_t ref)
{
    return valid(c, t, ref) && has_class(c, t, NM_FIG_MONTH);
}

static bool lower_word(const fctx *c, size_t t, size_t ref)
{
    return valid(c, t, ref) && (tok(c, t)->flags & NM_TOK_WORD) && !(tok(c, t)->flags & NM_TOK_CAP);
}

/* A year: 2024, in 2024, 2023-2027; but 1952 people is a count. */
static bool year(const fctx *c, const fig *f)
{
    if (!is_year_like(f))
        return false;
    size_t p = f->n0 - (f->n0 > 0), n = f->n1 + 1;
    if (f->n0 > 0 && valid(c, p, f->n0) &&
        (has_class(c, p, NM_FIG_YEARWORD | NM_FIG_DETERMINER) || month_at(c, p, f->n0) ||
         is_word(c, p, "'s")))
        return true;
    if (is_char(c, n, '-') || is_char(c, n, '/'))
        return true;
    if (lower_word(c, n, f->n0) &&
        !has_class(c, n, NM_FIG_STOP | NM_FIG_TIMEUNIT | NM_FIG_DETERMINER | NM_FIG_YEARWORD))
        return false;
    return true;
}

static bool day_of_date(const fctx *c, const fig *f)
{
    if (!f->plain || f->value < 1 || f->value > 31)
        return false;
    size_t t = f->n0;
    if (t > 0 && month_at(c, t - 1, t))
        return true;
    if (t > 1 && is_char(c, t - 1, '.') && month_at(c, t - 2, t))
        return true; /* Oct. 8 */
    return month_at(c, t + 1, t) || (is_word(c, t + 1, "of") && month_at(c, t + 2, t));
}

static HOT_INLINE bool range_word(const fctx *c, size_t t)
{
    int ch = tok_char(c, t);
    if (ch >= 0)
        return ch == '-';
    return is_word(c, t, "to") || is_word(c, t, "and") || is_word(c, t, "or");
}

static bool number_tok(const fctx *c, size_t t)
{
    return t < c->ntoks &&
           ((tok(c, t)->flags & NM_TOK_NUM) || number_word(c, t) != NULL);
}

static bool duration_or_time(const fctx *c, const fig *f)
{
    size_t n = f->t1 + 1;
    if (range_word(c, n) && number_tok(c, n + 1) && valid(c, n + 1, f->n0))
        n += 2; /* between 60 and 90 days */
    if (tok_char(c, n) == '-' && adjacent(c, f->t1, n))
        n++;
    if (valid(c, n, f->n0) && has_class(c, n, NM_FIG_TIMEUNIT | NM_FIG_CLOCK))
        return true;
    if (tok_char(c, f->n1 + 1) == ':' && adjacent(c, f->n1, f->n1 + 1))
        return true;
    return f->n0 > 0 && tok_char(c, f->n0 - 1) == ':' && adjacent(c, f->n0 - 1, f->n0);
}

/* A capitalized word that does not open its sentence, or a camel-case one
 * (iPhone, iOS) anywhere. */
static HOT_INLINE bool name_like(const fctx *c, size_t t)
{
    const nm_tok *k = tok(c, t);
    if (!(k->flags & NM_TOK_WORD))
        return false;
    if ((k->flags & NM_TOK_CAP) && !(k->flags & NM_TOK_SSTART))
        return true;
    const char *s = c->text + k->off;
    for (uint32_t i = 1; i < k->len; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            return true;
    return false;
}

/* Inside a name or code: COVID-19, Section 2024, 22/03/2024, No. 5. */
static bool code_or_name(const fctx *c, const fig *f)
{
    size_t t = f->n0, p = t - 1;
    if (t == 0 || !valid(c, p, t))
        return false;
    int pc = tok_char(c, p);
    if ((pc == '/' && adjacent(c, p, t)) ||
        (tok_char(c, f->n1 + 1) == '/' && adjacent(c, f->n1, f->n1 + 1)))
        return true;
    if (pc >= 0) { /* one byte before */
        if (pc == '-' && adjacent(c, p, t) && p > 0 && adjacent(c, p - 1, p) &&
            !number_word(c, p - 1))
            return true; /* COVID-19, 2024-03 */
        if (pc == '#' || (pc == '.' && p > 0 && is_word(c, p - 1, "no")))
            return true; /* #5, No. 5 */
        if (pc == '\'' && adjacent(c, p, t))
            return true; /* '11: a year */
    } else if (is_word(c, p, "no") || is_word(c, p, "number") || is_word(c, p, "version")) {
        return true;
    }
    if (!name_like(c, p) || month_at(c, p, t) || nm_fig_lookup(c->doc, p, p, NULL, &c->r->quals))
        return false;
    if (f->plain || !f->digits)
        return true;
    /* iPhone 3.0, Mac OS X 10.4: a version */
    const char *s = c->text + tok(c, t)->off;
    return !f->scaled && !f->unit && memchr(s, '.', tok(c, t)->len) && !memchr(s, ',', tok(c, t)->len);
}

static bool bullet(const fctx *c, const fig *f)
{
    if (!f->plain)
        return false;
    uint32_t off = tok(c, f->n0)->off;
    const char *s = c->text;
    uint32_t i = off;
    while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
        i--;
    bool line_start = i == 0 || s[i - 1] == '\n';
    return line_start && (is_char(c, f->n1 + 1, '.') || is_char(c, f->n1 + 1, ')')) &&
           adjacent(c, f->n1, f->n1 + 1);
}

static void index_dates(const nm_doc *doc, date_index *d)
{
    size_t n = doc->nby[NM_DATE];
    d->lo = 0;
    d->n = SIZE_MAX;
    if (doc->unsorted[NM_DATE] || n > DATES_MAX)
        return;
    const int32_t *v = doc->by_kind[NM_DATE];
    uint32_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const nm_fact *x = &doc->facts[v[i]];
        d->start[i] = x->start;
        d->end[i] = x->dead ? 0 : x->end;
        m = d->end[i] > m ? d->end[i] : m;
        d->max_end[i] = m;
    }
    d->n = n;
}

/* nm_fact_overlap(doc, NM_DATE, s, e) >= 0: the facts before the first
 * that starts at or after e all start before e; the call looks back at the
 * last 16 of them for one alive that ends after s. */
static bool date_overlap(const fctx *c, uint32_t s, uint32_t e)
{
    date_index *d = c->dates;
    if (d->n == SIZE_MAX)
        return nm_fact_overlap(c->doc, NM_DATE, s, e) >= 0;
    size_t lo = d->lo; /* figures come in text order: move from the last */
    while (lo < d->n && d->start[lo] < e)
        lo++;
    while (lo > 0 && d->start[lo - 1] >= e)
        lo--;
    d->lo = lo;
    if (lo == 0 || d->max_end[lo - 1] <= s)
        return false; /* none of them ends after s */
    for (size_t i = lo, k = 0; i-- > 0 && k < 16; k++)
        if (d->end[i] > s)
            return true;
    return false;
}

/* Does candidate token t overlap a DATE?  Then so does every figure
 * around it, and not_a_figure rejects it: the work of its unit and
 * currency can be skipped.  Asked only when the document has at most 16
 * DATE facts: date_overlap looks back at 16 facts, so with more, a
 * longer span could look back past the one that holds t. */
static inline bool inside_date(const fctx *c, size_t t)
{
    size_t n = c->dates->n;
    if (n == 0 || n > 16) /* (SIZE_MAX: not indexed) */
        return false;
    return date_overlap(c, tok(c, t)->off, tok(c, t)->off + tok(c, t)->len);
}

static NOINLINE bool not_a_figure(const fctx *c, const fig *f)
{
    bool bare = !f->unit && !f->scaled && f->form == FORM_CARDINAL;
    if (bare && !f->digits && f->value == 1)
        return true; /* the pronoun "one" */
    if (bare && !f->digits && f->n0 > 0 && valid(c, f->n0 - 1, f->n0) &&
        (is_word(c, f->n0 - 1, "the") || is_word(c, f->n0 - 1, "these") ||
         is_word(c, f->n0 - 1, "those") || is_word(c, f->n0 - 1, "both")))
        return true; /* the two companies: a reference, not a quantity */
    if (!f->digits && (tok(c, f->n0)->flags & NM_TOK_CAP) && !(tok(c, f->n0)->flags & NM_TOK_SSTART) &&
        f->n0 > 0 && valid(c, f->n0 - 1, f->n0) && name_like(c, f->n0 - 1))
        return true; /* Ford Five Hundred */
    if (bare && (duration_or_time(c, f) || code_or_name(c, f)))
        return true;
    if (bare && f->digits && (year(c, f) || day_of_date(c, f) || bullet(c, f)))
        return true;
    uint32_t s = tok(c, f->t0)->off, e = tok(c, f->t1)->off + tok(c, f->t1)->len;
    return date_overlap(c, s, e);
}

/* ------------------------------------------------------------ attributes */

static const char *qualifier(const fctx *c, const fig *f, size_t *q0)
{
    *q0 = f->t0;
    if (f->t0 == 0)
        return NULL;
    const nm_fig_entry *e = match_before(c, f->t0 - 1, f->t0, &c->r->qual_tab, q0);
    return e ? e->qualifier : NULL;
}

static bool be_form(const fctx *c, size_t t)
{
    return is_word(c, t, "is") || is_word(c, t, "are") || is_word(c, t, "was") ||
           is_word(c, t, "were") || is_word(c, t, "be") || is_word(c, t, "been") ||
           is_word(c, t, "being");
}

static const char *change(const fctx *c, const fig *f, size_t q0)
{
    const nm_fig_word *e;
    if (valid(c, f->t1 + 1, f->t0) && (e = word(c, f->t1 + 1))->change &&
        (e->change_position & NM_FIG_POS_AFTER))
        return e->change_value;
    if (q0 == 0)
        return NULL;
    size_t p = q0 - 1;
    if (is_word(c, p, "by") && p > 0)
        p--;
    if (!valid(c, p, f->t0) || !(e = word(c, p))->change ||
        !(e->change_position & NM_FIG_POS_BEFORE))
        return NULL;
    if ((is_word(c, p, "up") || is_word(c, p, "down")) && p > 0 && valid(c, p - 1, f->t0) &&
        (tok(c, p - 1)->flags & NM_TOK_WORD) && !be_form(c, p - 1))
        return NULL; /* "make up 20%" is no change; "shares were up 5%" is */
    return e->change_value;
}

/* Does the word s[0..n) end with x, after at least three other bytes?
 * (Inlined, x and its length are constants.) */
static inline bool suffix(const char *s, size_t n, const char *x)
{
    size_t k = strlen(x);
    return n > k + 2 && memcmp(s + n - k, x, k) == 0;
}

static bool adjective_like(const fctx *c, size_t t)
{
    if (has_class(c, t, NM_FIG_ADJECTIVE) || (tok(c, t)->flags & NM_TOK_CAP))
        return true;
    const char *s = c->text + tok(c, t)->off;
    size_t n = tok(c, t)->len;
    if (n < 5)
        return false; /* every suffix needs three bytes before it */
    switch (s[n - 1]) { /* the adjective suffixes, by their last byte */
    case 'l':
        return suffix(s, n, "al") || suffix(s, n, "ful");
    case 'c':
        return suffix(s, n, "ic");
    case 's':
        return suffix(s, n, "ous") || suffix(s, n, "less");
    case 'e':
        return suffix(s, n, "ive") || suffix(s, n, "ese");
    case 'h':
        return suffix(s, n, "ish");
    case 'n':
        return suffix(s, n, "ian");
    case 'd':
        return suffix(s, n, "ed");
    case 'g':
        return suffix(s, n, "ing");
    case 'y':
        return suffix(s, n, "ary");
    default:
        return false;
    }
}

/* nm_tok_lower, inline: token t (t < ntoks) lower-cased into out; 0 (and
 * an empty string) when it does not fit in cap bytes with its NUL. */
static inline size_t tok_lower(const fctx *c, size_t t, char *out, size_t cap)
{
    const char *s = c->text + tok(c, t)->off;
    size_t n = tok(c, t)->len;
    if (n + 1 > cap) {
        out[0] = '\0';
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
    out[n] = '\0';
    return n;
}

static size_t lemma(const fctx *c, size_t t, char *out, size_t cap)
{
    size_t n = tok_lower(c, t, out, cap);
    const char *l = n ? word(c, t)->lemma : NULL;
    if (l) {
        size_t ln = strlen(l);
        if (ln >= cap)
            ln = cap - 1;
        memcpy(out, l, ln);
        out[ln] = '\0';
        return ln;
    }
    if (n > 4 && memcmp(out + n - 3, "ies", 3) == 0)
        return (void)strcpy(out + n - 3, "y"), n - 2;
    if (n > 4 && (memcmp(out + n - 4, "sses", 4) == 0 || memcmp(out + n - 4, "shes", 4) == 0 ||
                  memcmp(out + n - 4, "ches", 4) == 0 || memcmp(out + n - 3, "xes", 3) == 0))
        return out[n - 2] = '\0', n - 2;
    if (n > 3 && out[n - 1] == 's' && out[n - 2] != 's' && out[n - 2] != 'u' && out[n - 2] != 'i')
        return out[n - 1] = '\0', n - 1;
    return n;
}

/* Does word token t end the phrase of a counted noun?  It does when its
 * lemma (as lemma() makes it, in 96 bytes) differs in length from the
 * word or is itself a COUNTED key: a plural noun, "workers left".  Decided
 * without making the lemma.  w is word(c, t). */
static bool ends_phrase(const fctx *c, size_t t, const nm_fig_word *w)
{
    const char *s = c->text + tok(c, t)->off;
    size_t n = tok(c, t)->len;
    if (n + 1 > 96)
        return true; /* too long for lemma(): an empty lemma */
    if (w->lemma)
        return w->lemma_len != n || w->lemma_known;
    /* the suffix rules of lemma(): each shortens the word; no rule, and
     * the lemma is the word, which is no COUNTED key */
    if (n <= 3)
        return false;
    char z[4]; /* the last four bytes, lower-cased */
    for (size_t i = 0; i < 4; i++) {
        char a = s[n - 4 + i];
        z[i] = (a >= 'A' && a <= 'Z') ? (char)(a + 32) : a;
    }
    if (n > 4 && (memcmp(z + 1, "ies", 3) == 0 || memcmp(z, "sses", 4) == 0 ||
                  memcmp(z, "shes", 4) == 0 || memcmp(z, "ches", 4) == 0 ||
                  memcmp(z + 1, "xes", 3) == 0))
        return true;
    return z[3] == 's' && z[2] != 's' && z[2] != 'u' && z[2] != 'i';
}

/* The counted noun: "80,000 deportations", "80% of labor migrants".  Made
 * into buf (160 bytes); returns its length, or SIZE_MAX when there is
 * none. */
#define COUNTED_CAP 160
static HOT_INLINE size_t counted(const fctx *c, const fig *f, char *buf)
{
    size_t j = f->t1 + 1, ref = f->t0;
    if (f->money && (is_word(c, j, "in") || is_word(c, j, "worth")))
        j++;
    if (is_word(c, j, "of"))
        j++;
    while (valid(c, j, ref) && has_class(c, j, NM_FIG_DETERMINER))
        j++;
    if (valid(c, j + 1, ref) && (tok(c, j)->flags & NM_TOK_CAP) && is_word(c, j + 1, "'s"))
        j += 2; /* Tajikistan's GDP */
    size_t w[4], n = 0;
    while (n < 4 && valid(c, j, ref)) {
        /* a word of no class that ends a phrase, and no number word (as
         * has_class and number_word, with one look-up) */
        uint32_t fl = tok(c, j)->flags;
        if (!(fl & NM_TOK_WORD))
            break;
        const nm_fig_word *wd = word(c, j);
        unsigned k = wd->cls & (NM_FIG_STOP | NM_FIG_DETERMINER | NM_FIG_YEARWORD |
                                NM_FIG_MONTH | NM_FIG_TIMEUNIT);
        if ((k && (k != NM_FIG_MONTH || (fl & NM_TOK_CAP))) || wd->number)
            break;
        if (n && is_word(c, j, "'s"))
            break;
        w[n++] = j++;
        if (ends_phrase(c, j - 1, wd))
            break; /* a plural noun ends the phrase: "workers left" */
    }
    if (!n)
        return SIZE_MAX;
    size_t head = w[n - 1];
    bool acronym = (tok(c, head)->flags & NM_TOK_UPPER) && tok(c, head)->len > 1;
    if (!acronym && adjective_like(c, head))
        return SIZE_MAX;
    size_t first = 0;
    for (size_t i = 0; i + 1 < n; i++)
        if (adjective_like(c, w[i]))
            first = i + 1;
    size_t o = 0;
    for (size_t i = first; i + 1 < n && o < 100; i++) {
        o += tok_lower(c, w[i], buf + o, COUNTED_CAP - o - 1);
        buf[o++] = ' ';
    }
    o += lemma(c, head, buf + o, COUNTED_CAP - o);
    return o;
}

/* ------------------------------------------------------------ output */

/* The decimal digits of v, written backwards to end just before end;
 * returns where they start.  Two digits per division. */
static char *put_uint_end(uint64_t v, char *end)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    char *p = end;
    while (v >= 100) {
        unsigned d = (unsigned)(v % 100) * 2;
        v /= 100;
        *--p = pairs[d + 1];
        *--p = pairs[d];
    }
    if (v >= 10) {
        *--p = pairs[v * 2 + 1];
        *--p = pairs[v * 2];
    } else {
        *--p = (char)('0' + v);
    }
    return p;
}

/* v as the value attribute: an integer, or up to six decimals without
 * trailing zeros; somewhere in buf[0..cap), not NUL-terminated.  Returns
 * where it starts, and its length in *len. */
static const char *format_value(double v, char *buf, size_t cap, size_t *len)
{
    char *out = buf;
    /* most values are whole numbers, their own nearbyint */
    bool whole = fabs(v) < 1e18 && (double)(int64_t)v == v;
    if (whole || (fabs(v - nearbyint(v)) < 1e-9 && fabs(v) < 1e18)) {
        double r = whole ? v : nearbyint(v);
        bool sign = r < 0;
        char *p = put_uint_end((uint64_t)(sign ? -r : r), buf + cap);
        if (sign)
            *--p = '-';
        *len = (size_t)(buf + cap - p);
        return p;
    }
    if (fabs(v) < 1e12) {
        /* six decimals, as %.6f, without the printf machinery and without
         * the trailing zeros (nor the '.' when all are), written backwards */
        uint64_t micro = (uint64_t)nearbyint(fabs(v) * 1e6), frac = micro % 1000000;
        char *p = buf + cap;
        if (frac) {
            int nd = 6;
            for (; frac % 10 == 0; frac /= 10)
                nd--;
            for (; nd > 0; nd--, frac /= 10)
                *--p = (char)('0' + frac % 10);
            *--p = '.';
        }
        p = put_uint_end(micro / 1000000, p);
        if (v < 0)
            *--p = '-';
        *len = (size_t)(buf + cap - p);
        return p;
    }
    snprintf(out, cap, "%.6f", v); /* fixed point above would overflow */
    size_t n = strlen(out);
    while (n > 1 && out[n - 1] == '0')
        out[--n] = '\0';
    if (n > 1 && out[n - 1] == '.')
        out[--n] = '\0';
    *len = n;
    return out;
}

static const char *fig_type(const fig *f)
{
    if (f->form == FORM_FRACTION)
        return "FRACTION";
    if (f->form == FORM_MULTIPLIER)
        return "MULTIPLIER";
    if (f->money)
        return "MONEY";
    return f->unit ? "PERCENT" : "COUNT";
}

static const char *fig_rule(const fig *f)
{
    if (f->form == FORM_FRACTION)
        return "figure.fraction";
    if (f->form == FORM_MULTIPLIER)
        return "figure.multiplier";
    if (f->money)
        return f->digits ? "figure.money.digits" : "figure.money.words";
    if (f->unit)
        return f->digits ? "figure.percent.digits" : "figure.percent.words";
    return f->digits ? "figure.count.digits" : "figure.count.words";
}

/* The first number of a range takes the unit of the second. */
static COLD void share_unit(const fctx *c, int32_t id, const fig *f)
{
    nm_fact *x = &c->doc->facts[id];
    x->type = fig_type(f);
    nm_fact_attr(c->doc, id, "unit", f->unit);
    /* keep the attribute order of the gold: unit first */
    nm_attr u = x->attrs[x->nattrs - 1];
    memmove(x->attrs + 1, x->attrs, (x->nattrs - 1) * sizeof *x->attrs);
    x->attrs[0] = u;
}

/* nm_fact_attr of a key fact id does not have yet: appended, its value
 * val[0..n) copied into the document's arena. */
/* Copies val[0..n) and a NUL to *p; returns the copy and moves *p past it. */
static const char *put_str(char **p, const char *val, size_t n)
{
    char *o = *p;
    memcpy(o, val, n);
    o[n] = '\0';
    *p = o + n + 1;
    return o;
}

static NOINLINE int32_t add_fact(const fctx *c, const fig *f)
{
    nm_doc *doc = c->doc;
    uint32_t s = tok(c, f->t0)->off, e = tok(c, f->t1)->off + tok(c, f->t1)->len;
    int32_t id = nm_fact_add(doc, NM_FIGURE, fig_type(f), s, e, fig_rule(f));
    char v[64];
    size_t vn;
    const char *vs = format_value(f->value, v, sizeof v, &vn);
    size_t q0;
    const char *q = qualifier(c, f, &q0);
    char cn[COUNTED_CAP];
    size_t cnn = counted(c, f, cn);
    const char *ch = change(c, f, q0);
    /* the value and the attributes, in one allocation from the arena */
    size_t un = f->unit ? strlen(f->unit) : 0, qn = q ? strlen(q) : 0;
    size_t chn = ch ? strlen(ch) : 0;
    size_t need = vn + 1 + (f->unit ? un + 1 : 0) + (q ? qn + 1 : 0) +
                  (cnn != SIZE_MAX ? cnn + 1 : 0) + (ch ? chn + 1 : 0);
    char *p = nm_arena_alloc(&doc->arena, need);
    nm_fact *x = &doc->facts[id];
    x->value = put_str(&p, vs, vn);
    x->num = f->value;
    /* a new fact: each key is added once, at most four of NM_MAX_ATTRS */
    _Static_assert(NM_MAX_ATTRS >= 4, "room for the attributes of a figure");
    if (f->unit)
        x->attrs[x->nattrs++] = (nm_attr){"unit", put_str(&p, f->unit, un)};
    if (q)
        x->attrs[x->nattrs++] = (nm_attr){"qualifier", put_str(&p, q, qn)};
    if (cnn != SIZE_MAX)
        x->attrs[x->nattrs++] = (nm_attr){"counted", put_str(&p, cn, cnn)};
    if (ch)
        x->attrs[x->nattrs++] = (nm_attr){"change", put_str(&p, ch, chn)};
    return id;
}

static bool build(const fctx *c, size_t t, fig *f)
{
    memset(f, 0, sizeof *f);
    if (!parse_number(c, t, f))
        return false;
    f->t0 = f->n0;
    f->t1 = f->n1;
    if (f->form == FORM_CARDINAL && !f->scaled && one_in_n(c, f))
        return true;
    if (inside_date(c, t))
        return false; /* what not_a_figure would say, whatever the unit */
    parse_unit(c, f);
    parse_currency(c, f);
    return !not_a_figure(c, f);
}

/* ------------------------------------------------------------ driver */

/* The candidates of nm_figures_run: the tokens that may start a figure.
 * Number tokens (the tokenizer found them; parse_digits checks their
 * shape), and the number and scale words of the lexicons.  Tokens are
 * screened a chunk at a time, without a branch per token (a branch on
 * the screen's answer mispredicts often), in one pass: it keeps the
 * numbers, and the words whose first and last bytes and length pass
 * cand_last.  The pass writes every index it reads and moves its end past
 * the kept ones only.  (A first pass on the first byte and length alone,
 * and a second on the tokens it kept, took a third more time: it ran the
 * same loads twice on a quarter of the tokens, "the" and "to" among them,
 * and the second pass waited on the first's stores.)  The look-up of a
 * word (is it a candidate?) is left to next_candidate, for the queued
 * tokens it reaches. */
enum { FIG_CHUNK = 256 };
typedef struct fig_cands {
    uint32_t at[FIG_CHUNK]; /* queued tokens, ascending, from i to n */
    size_t i, n;
    size_t next; /* the tokens before next are screened */
} fig_cands;

/* Screens tokens [from, min(from + FIG_CHUNK, ntoks)) into q. */
static void screen_chunk(const fctx *c, fig_cands *q, size_t from)
{
    const nm_tok *toks = c->toks;
    const unsigned char *text = (const unsigned char *)c->text;
    const uint32_t *cand_last = c->r->cand_last;
    size_t to = c->ntoks - from > FIG_CHUNK ? from + FIG_CHUNK : c->ntoks;
    size_t k = 0;
#pragma GCC unroll 2
    for (size_t t = from; t < to; t++) {
        const unsigned char *s = text + toks[t].off;
        uint32_t n = toks[t].len, f = toks[t].flags;
        /* (the last byte read is s[0] when n is 0; the row's index is
         * only used when 1 <= n <= 31) */
        uint32_t row = cand_last[(s[0] & 31u) << 5 | (n & 31u)];
        uint32_t ends = (n - 1u < 31u) & (row >> (s[n - (n != 0)] & 31u) & 1u);
        q->at[k] = (uint32_t)t;
        k += ((f & NM_TOK_NUM) != 0) | (((f & NM_TOK_WORD) != 0) & ends);
    }
    q->i = 0;
    q->n = k;
    q->next = to;
}

/* Is word token u a candidate (word(c, u)->candidate)?  A word of 1-8
 * ASCII bytes is looked up in the small table of the candidate words
 * alone, which stays in the cache, not in the table of every word. */
static inline bool candidate_word(const fctx *c, size_t u)
{
    const nm_figure_rules *r = c->r;
    const nm_tok *k = tok(c, u);
    size_t n = k->len;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (n - 1 < 8 && (size_t)k->off + 8 <= c->text_len && !r->cand_full) {
        uint64_t v;
        memcpy(&v, c->text + k->off, 8);
        v &= nm_keep_bytes(n);
        if (!(v & NM_HIGH_BITS)) {
            v = nm_lower8(v);
            for (size_t j = nm_fig_packed_hash(v, 0, n);; j++) {
                const struct nm_fig_cslot *sl = &r->cand_slots[j & (NM_FIG_CAND_SLOTS - 1)];
                if (sl->k == v && sl->len == n)
                    return true;
                if (!sl->len)
                    return false;
            }
        }
    }
#endif
    return word(c, u)->candidate;
}

/* The first token from t on that may start a figure, or ntoks.  t never
 * goes back from one call to the next: the queued tokens before it are
 * dropped. */
static inline size_t next_candidate(const fctx *c, fig_cands *q, size_t t)
{
    for (;;) {
        while (q->i < q->n) {
            uint32_t u = q->at[q->i++];
            if (u >= t && ((c->toks[u].flags & NM_TOK_NUM) || candidate_word(c, u)))
                return u;
        }
        if (q->next >= c->ntoks)
            return c->ntoks;
        screen_chunk(c, q, q->next > t ? q->next : t);
    }
}

nm_status nm_figures_run(nm_doc *doc, const nm_ctx *ctx)
{
    if (!doc->ntoks)
        return NM_OK;

    date_index dates;
    index_dates(doc, &dates);
    memo memo;
    memset(memo.t, 0xFF, sizeof memo.t); /* every t UINT32_MAX: empty */
    fctx c = {.doc = doc, .toks = doc->toks, .text = doc->text, .ntoks = doc->ntoks,
              .r = ctx->figures, .memo = &memo, .text_len = doc->text_len, .dates = &dates};
    size_t done = 0; /* first token not yet inside a figure */
    fig prev = {0};
    int32_t prev_id = -1;
    const char *money_unit = NULL; /* the last currency of this sentence */
    uint32_t money_sent = UINT32_MAX;
    char cn[COUNTED_CAP];
    fig_cands q;
    q.i = q.n = q.next = 0;
    for (size_t from = 0, t; (t = next_candidate(&c, &q, from)) < doc->ntoks;) {
        from = t + 1;
        fig f;
        if (!build(&c, t, &f) || f.t0 < done)
            continue;
        uint32_t sent = doc->toks[f.t0].sent;
        if (!f.unit && f.form == FORM_CARDINAL && f.scaled && f.value >= 1e6 &&
            money_sent == sent && counted(&c, &f, cn) == SIZE_MAX) {
            f.unit = money_unit; /* "$5 billion on top of the four billion" */
            f.money = true;
        }
        if (prev_id >= 0 && f.unit && !prev.unit && prev.form == FORM_CARDINAL &&
            prev.t1 + 2 == f.t0 && range_word(&c, prev.t1 + 1))
            share_unit(&c, prev_id, &f); /* 20 to 25 percent */
        if (f.money) {
            money_unit = f.unit;
            money_sent = sent;
        }
        prev = f;
        prev_id = add_fact(&c, &f);
        done = f.t1 + 1;
        if (from < done)
            from = done; /* no candidate inside a figure */
    }
    return NM_OK;
}
