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
 */
#include "stages.h"

#include <string.h>
#include <utf8proc.h>

/* Byte classes, so that the scanners test one table entry per byte. */
enum { C_SPACE = 1, C_DIGIT = 2, C_LOWER = 4, C_UPPER = 8, C_LEAD = 16, C_STOP = 32 };

static const uint8_t *byte_class(void)
{
    static const uint8_t tab[256] = {
        ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\v'] = C_SPACE, ['\f'] = C_SPACE, ['\r'] = C_SPACE,
        [' '] = C_SPACE, ['.'] = C_STOP, ['!'] = C_STOP, ['?'] = C_STOP,
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
    return tab;
}

#define CLS(c) (byte_class()[(unsigned char)(c)])

static bool is_space(char c) { return CLS(c) & C_SPACE; }
static bool is_digit(char c) { return CLS(c) & C_DIGIT; }
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
    return (k & (C_LOWER | C_UPPER)) || ((k & C_LEAD) && is_letter_cp(s));
}

/* Length of the code point at s (1 for ASCII and stray bytes). */
static size_t cp_len(const char *s, size_t n)
{
    size_t k = 1;
    while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80)
        k++;
    return (unsigned char)*s >= 0xC0 ? k : 1;
}
static bool is_upper_ascii(char c) { return c >= 'A' && c <= 'Z'; }

static bool cp_upper(const char *s, size_t n)
{
    if ((unsigned char)*s < 0x80)
        return is_upper_ascii(*s);
    utf8proc_int32_t c;
    if (utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &c) <= 0)
        return false;
    return utf8proc_category(c) == UTF8PROC_CATEGORY_LU;
}

/* ------------------------------------------------------------ sentences */

typedef struct seg_state {
    nm_doc *doc;
    const nm_ctx *ctx;
    uint32_t para;
    bool wrapped;
} seg_state;

static void add_sent(seg_state *s, size_t a, size_t b)
{
    const char *t = s->doc->text;
    while (a < b && is_space(t[a]))
        a++;
    while (b > a && is_space(t[b - 1]))
        b--;
    if (a >= b)
        return;
    nm_sent se = {(uint32_t)a, (uint32_t)(b - a), s->para, 0, 0};
    NM_VEC_PUSH(s->doc->sents, s->doc->nsents, s->doc->csents, se);
}

/* Is the word that ends at the period at p an abbreviation or initial? */
static bool no_break_after(const seg_state *s, size_t lo, size_t p)
{
    const char *t = s->doc->text;
    size_t a = p;
    while (a > lo && (is_alpha(t + (a - 1)) || t[a - 1] == '.'))
        a--;
    size_t n = p - a;
    if (n == 0)
        return false;
    if (n == 1 && is_upper_ascii(t[a]))
        return true; /* initial: J. Smith */
    if (memchr(t + a, '.', n))
        return true; /* dotted acronym: U.S. e.g. */
    return nm_hash_get(&s->ctx->abbrev, t + a, n) != NULL;
}

static bool opens_sentence(const char *t, size_t i, size_t end)
{
    if (i >= end)
        return true;
    char c = t[i];
    return cp_upper(t + i, end - i) || is_digit(c) || c == '"' || c == '\'' || c == '(' ||
           c == '[' || c == '-' || c == '*';
}

/* Splits the text of one unit (a line, or a wrapped paragraph) [a,b). */
static void split_unit(seg_state *s, size_t a, size_t b)
{
    const char *t = s->doc->text;
    size_t start = a;
    for (size_t i = a; i < b; i++) {
        char c = t[i];
        if (!(CLS(c) & C_STOP))
            continue;
        size_t j = i + 1;
        while (j < b && (t[j] == '.' || t[j] == '!' || t[j] == '?'))
            j++;
        while (j < b && (t[j] == '"' || t[j] == '\'' || t[j] == ')' || t[j] == ']'))
            j++;
        if (j < b && !is_space(t[j]))
            continue;
        size_t k = j;
        while (k < b && is_space(t[k]))
            k++;
        if (!opens_sentence(t, k, b))
            continue;
        if (c == '.' && j == i + 1 && no_break_after(s, start, i))
            continue;
        add_sent(s, start, j);
        start = k;
        i = k ? k - 1 : 0;
    }
    add_sent(s, start, b);
}

static bool blank(const char *t, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (!is_space(t[i]))
            return false;
    return true;
}

/* Hard-wrapped text: at least 5 lines, 80% of the non-blank lines 50-90 long,
 * none over 100. */
static bool detect_wrapped(const char *t, size_t n)
{
    size_t lines = 0, mid = 0, a = 0;
    while (a < n) {
        const char *nl = memchr(t + a, '\n', n - a);
        size_t b = nl ? (size_t)(nl - t) : n;
        if (!blank(t, a, b)) {
            size_t len = b - a;
            if (len > 100)
                return false;
            lines++;
            mid += len >= 50 && len <= 90;
        }
        a = b + 1;
    }
    return lines >= 5 && mid * 5 >= lines * 4;
}

static void sentences(seg_state *s)
{
    const char *t = s->doc->text;
    size_t n = s->doc->text_len, a = 0, unit = SIZE_MAX;
    bool prev_blank = true;
    while (a < n) {
        const char *nl = memchr(t + a, '\n', n - a);
        size_t b = nl ? (size_t)(nl - t) : n;
        bool bl = blank(t, a, b);
        if (bl) {
            if (unit != SIZE_MAX)
                split_unit(s, unit, a);
            unit = SIZE_MAX;
        } else {
            if (prev_blank)
                s->para++;
            if (!s->wrapped) {
                split_unit(s, a, b);
            } else {
                if ((t[a] == ' ' || t[a] == '\t') && unit != SIZE_MAX) {
                    split_unit(s, unit, a); /* an indented line starts a new unit */
                    unit = SIZE_MAX;
                }
                if (unit == SIZE_MAX)
                    unit = a;
                if (b - a < 40) { /* a short line ends its unit */
                    split_unit(s, unit, b);
                    unit = SIZE_MAX;
                }
            }
        }
        prev_blank = bl;
        a = b + 1;
    }
    if (unit != SIZE_MAX)
        split_unit(s, unit, n);
}

/* ------------------------------------------------------------ tokens */

static bool ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* U.S. / e.g. / U.K.: two or more letters each followed by a period. */
static size_t acronym_end(const char *t, size_t i, size_t n)
{
    size_t j = i, letters = 0;
    while (j + 1 < n && ascii_alpha(t[j]) && t[j + 1] == '.') {
        j += 2;
        letters++;
    }
    return letters >= 2 ? j : 0;
}

static size_t word_end(const char *t, size_t i, size_t n)
{
    size_t j = acronym_end(t, i, n);
    if (j)
        return j;
    j = i;
    while (j < n) {
        uint8_t k = CLS(t[j]);
        if (k & (C_LOWER | C_UPPER | C_DIGIT))
            j++;
        else if ((k & C_LEAD) && is_letter_cp(t + j))
            j += cp_len(t + j, n - j);
        else if (t[j] == '\'' && j + 1 < n && is_alpha(t + (j + 1)) &&
                 !(t[j + 1] == 's' && (j + 2 >= n || !is_alpha(t + (j + 2)))))
            j++; /* O'Brien, don't; but not the possessive 's */
        else
            break;
    }
    return j;
}

static size_t number_end(const char *t, size_t i, size_t n)
{
    size_t j = i;
    while (j < n) {
        if (is_digit(t[j]))
            j++;
        else if ((t[j] == ',' || t[j] == '.') && j + 1 < n && is_digit(t[j + 1]))
            j++;
        else
            break;
    }
    while (j < n && is_alpha(t + (j)) && (unsigned char)t[j] < 0x80)
        j++; /* 201st, 5bn, 3G: one token */
    return j;
}

static uint32_t tok_flags(const char *t, size_t a, size_t b)
{
    uint32_t f = is_digit(t[a]) ? NM_TOK_NUM : (is_alpha(t + (a)) ? NM_TOK_WORD : NM_TOK_PUNCT);
    if (f == NM_TOK_WORD) {
        if ((CLS(t[a]) & C_UPPER) || ((CLS(t[a]) & C_LEAD) && cp_upper(t + a, b - a)))
            f |= NM_TOK_CAP;
        size_t i = a;
        while (i < b && !(CLS(t[i]) & C_LOWER))
            i++;
        if (i == b)
            f |= NM_TOK_UPPER;
    }
    return f;
}

static void tokenize_sent(nm_doc *doc, uint32_t si)
{
    nm_sent *se = &doc->sents[si];
    const char *t = doc->text;
    size_t i = se->off, n = (size_t)se->off + se->len;
    se->tok = (uint32_t)doc->ntoks;
    while (i < n) {
        if (is_space(t[i])) {
            i++;
            continue;
        }
        size_t j;
        if (is_digit(t[i]))
            j = number_end(t, i, n);
        else if (is_alpha(t + (i)))
            j = word_end(t, i, n);
        else if (t[i] == '\'' && i + 1 < n && t[i + 1] == 's' && (i + 2 >= n || !is_alpha(t + (i + 2))))
            j = i + 2; /* possessive */
        else {
            j = i + 1;
            while (j < n && ((unsigned char)t[j] & 0xC0) == 0x80)
                j++; /* one whole code point */
        }
        nm_tok tk = {(uint32_t)i, (uint32_t)(j - i), tok_flags(t, i, j), si};
        if (doc->ntoks == se->tok)
            tk.flags |= NM_TOK_SSTART;
        NM_VEC_PUSH(doc->toks, doc->ntoks, doc->ctoks, tk);
        i = j;
    }
    doc->sents[si].ntok = (uint32_t)doc->ntoks - doc->sents[si].tok;
}

nm_status nm_stage_segment(nm_doc *doc, const nm_ctx *ctx)
{
    seg_state s = {doc, ctx, 0, detect_wrapped(doc->text, doc->text_len)};
    nm_vec_reserve((void **)&doc->toks, &doc->ctoks, doc->text_len / 5 + 16, sizeof *doc->toks);
    nm_vec_reserve((void **)&doc->sents, &doc->csents, doc->text_len / 100 + 4, sizeof *doc->sents);
    sentences(&s);
    for (uint32_t i = 0; i < doc->nsents; i++)
        tokenize_sent(doc, i);
    return NM_OK;
}
