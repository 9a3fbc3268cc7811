/* dates.h - the DATE extractor (internal).
 *
 * Time expressions after TimeML TIMEX3: dates, durations, sets and clock
 * times, normalized to TIMEX3 values and resolved against the document
 * date.  Words come from the DATEWORD lists of lexicons/dates/ (one class
 * per entry: month, weekday, unit, ...); numeric forms (2024-03-22,
 * 22/03/2024, 14:30) are PCRE2 patterns, dates_lex.c.
 *
 * The driver (dates.c) walks the tokens of each sentence; a token that can
 * head a time expression (a number, or a word of some class) is handed to
 * the parsers (dates_abs.c: calendar dates, years, decades, quarters,
 * seasons, holidays, clock times; dates_rel.c: units of time, durations,
 * "ago", "last year", weekdays, reference words, sets).  A parser may take
 * tokens to the left of the head ("the early 2020s" is headed by 2020s).
 */
#ifndef NM_DATES_H
#define NM_DATES_H

#include "extract.h"
#include "pattern.h"

#include <stdlib.h>
#include <string.h>

/* Classes of DATEWORD entries (the class= attribute) and of the WORDCLASS
 * entries the dates consult. */
typedef enum dw_class {
    DW_MONTH, DW_WEEKDAY, DW_SEASON, DW_HOLIDAY, DW_UNIT, DW_ORDINAL, DW_REF,
    DW_SHIFT, DW_PART, DW_MOD, DW_SET, DW_EACH, DW_VAGUE, DW_CLOCK, DW_DAYPART,
    DW_AMPM, DW_ZONE, DW_SIGNAL, DW_QUARTER, DW_TENSE, DW_CODE, DW_DATEPREP,
    DW_NUMBER,     /* NUMBER lexicon, cardinals */
    DW_YEARWORD,   /* WORDCLASS yearword */
    DW_DETERMINER, /* WORDCLASS determiner */
    DW_STOP,       /* WORDCLASS stop */
    DW_NCLASS
} dw_class;

/* Everything a surface (lower-cased, spaces folded) means, one entry per
 * class; made at init in the lexicon arena. */
/* The longer keys (of both maps) that a word begins or ends: only spans
 * of one of these lengths, from a word with a class asked for, are
 * folded and looked up. */
typedef struct dw_spans {
    uint32_t cls;   /* bit per class of those keys (holiday for the cs map) */
    uint64_t lens;  /* bit min(length, 63) per key */
    size_t max;     /* the longest */
} dw_spans;

/* The parsers of a word that heads an expression (dates.c), in the order
 * they are tried. */
enum {
    DP_UNIT, DP_MONTH, DP_WEEKDAY, DP_SEASON, DP_HOLIDAY, DP_QUARTER, DP_REF, DP_SET, DP_CLOCK,
    DP_COUNT
};

/* The hash of two bytes that follow a word (nm_dword.fnext2). */
static inline unsigned nm_dt_hash2(unsigned char a, unsigned char b)
{
    return (a * 33u + b) & 255u;
}

typedef struct nm_dword {
    const nm_lex_entry *e[DW_NCLASS];
    uint8_t flags; /* DWF_*: what longer entries this word begins or ends */
    bool trig;     /* as a token, it can head a time expression */
    uint16_t parsers; /* bit per DP_* parser that can find something here */
    uint16_t id;      /* in the per-token cache (DW_NOID: too many words) */
    uint16_t longer;  /* bit per DP_* parser of the word that can find only an
                         entry longer than the word: none when nm_dw_next_may
                         is false */
    uint32_t heads; /* bit per head class (month, unit ...) the word has */
    dw_spans fwd;   /* keys that begin with the word */
    uint64_t fnext1[4]; /* after the word and its space in those keys, the
                           text that follows: bit per first byte when the
                           key ends there, */
    uint64_t fnext2[4]; /* else bit per hash of the first two bytes (ASCII
                           lower-cased, white space as one space) */
    dw_spans back;  /* keys that end with it */
} nm_dword;

enum {
    DWF_MULTI_START = 1, /* the first word of a multi-word entry */
    DWF_MULTI_END = 2,   /* the last word of one */
    DWF_CS = 4,          /* (lower-cased) a case-sensitive entry or its first word */
    DWF_CS_HOLIDAY = 8   /* (lower-cased) a case-sensitive holiday entry */
};

enum {
    RX_YMD,    /* 2024-03-22, 2015/08/12, 2015.5.13 */
    RX_NUMDATE, /* 22/03/2024, 9-18-15, 13.5.2015, 4/22 */
    RX_CLOCK,  /* 14:30, 9:05:10 */
    RX_COUNT
};

/* A Bloom-style bit set over a cheap signature of a word (its length and
 * its first, second and last bytes, case folded): a clear bit proves a
 * word is not in the set, so most tokens never reach the hash.  The
 * second byte is read even for a word of one byte (the byte after it, at
 * worst the NUL that ends the text); such keys are entered with every
 * second byte. */
#define DT_SIG_BITS 14
typedef struct dt_sigset {
    uint64_t b[(1u << DT_SIG_BITS) / 64];
} dt_sigset;

static inline uint32_t nm_dt_sig(const char *p, size_t n)
{
    uint16_t a;
    memcpy(&a, p, 2);
    uint32_t x = (uint32_t)n ^ (uint32_t)(a | 0x2020u) << 8 ^
                 (uint32_t)((unsigned char)p[n - 1] | 32u) << 24;
    return (x * 0x9E3779B1u) >> (32 - DT_SIG_BITS);
}

static inline bool nm_dt_sig_has(const dt_sigset *set, const char *s, size_t n)
{
    uint32_t h = nm_dt_sig(s, n);
    return (set->b[h >> 6] >> (h & 63)) & 1u;
}

#define DW_NOID 0xFFFF

/* Longest key, in bytes, that a span of tokens is folded and looked up
 * for (longer spans are never looked up). */
#define DT_KEY_MAX 156
/* Most tokens a multi-word entry is looked up over. */
#define DT_SPAN_MAX 8

/* What the driver and nm_dw_tok ask of a word most, by id, dense (12
 * bytes a word, where nm_dword spans several cache lines); id 1 (no
 * word) is all zeros. */
typedef struct dt_hot {
    uint32_t cls;             /* bit per class c with e[c] set */
    uint16_t parsers, longer; /* nm_dword.parsers, .longer */
    uint8_t flags;            /* nm_dword.flags */
    bool trig;                /* nm_dword.trig */
} dt_hot;

struct nm_date_rules {
    nm_hash ci;            /* lower-cased surface -> nm_dword */
    /* The keys of ci of at most 8 bytes, each as one 64-bit word (lower
     * case, zero padded), open addressing: a short token is looked up
     * with one load and a probe.  The keys apart from what goes with
     * them (the id of the word and the length: only a key that matches
     * is read), and the ids, not the words: the table is 12 bytes a
     * slot (8 KB + 4 KB), and a token looked up reads no word (r->hot
     * says what is asked most).  NULL when there are too many words for
     * ids: every word is looked up in ci. */
    uint64_t *short_keys;  /* 0: an empty slot */
    uint32_t *short_vals;  /* id | length << 16 */
    unsigned short_bits;   /* 1 << short_bits slots */
    nm_hash cs;            /* case-sensitive lists (holidays) */
    size_t maxw;           /* longest entry, in words (at most DT_SPAN_MAX) */
    size_t maxkey;         /* longest key, in bytes (at most DT_KEY_MAX) */
    uint32_t first[128];   /* bit b & 31: some head surface starts with this
                              ASCII letter (lower-cased) and then byte b (0
                              for none) */
    dt_sigset words;       /* signatures of the keys of ci */
    dt_sigset trig;        /* of the keys of ci that are triggers */
    /* The test every token goes through first (nm_dt_sentences): bit
     * (last byte & 63) of lead[first byte][length & 63] is set when a
     * trigger key of that length could begin and end with those bytes
     * (either ASCII case).  Rows of a digit or a byte past ASCII (the
     * numbers, words of other scripts) are all ones, and left to the
     * exact tests after it, except row 0: no token of length 0 or 64 is a
     * trigger.  Those of other ASCII bytes are 0: a token that begins
     * with one is neither a word nor a number (segment.c). */
    uint64_t lead[256][64];
    dt_sigset cswords;     /* of the keys of cs */
    dt_sigset tense;       /* of the keys of ci with a tense entry */
    dt_sigset monthampm;   /* of the keys of ci with a month or am/pm entry */
    nm_pattern rx[RX_COUNT];
    bool day_first;
    bool comma_key;        /* some key of ci starts with ',' */
    const nm_dword **byid; /* the words by id (id 1: none, NULL) */
    dt_hot *hot;           /* by id, as byid */
};

enum { TENSE_PAST = 0, TENSE_FUTURE = 1, TENSE_PRESENT = 2 };

/* A parsed time expression. */
typedef struct dexpr {
    size_t t0, t1;          /* span, inclusive token indexes */
    const char *type;       /* "DATE", "DURATION", "SET", "TIME" */
    char value[48];
    const char *mod;        /* TIMEX3 mod or NULL */
    bool relative;          /* needed the document date or a year in the text */
    bool unresolved;        /* needed the document date, which is missing */
    bool ago;               /* "N units ago": MORE_THAN before it is BEFORE */
    int year;               /* an explicit year it states, or 0 */
    int y, m, d;            /* calendar date it names (dateline), or 0 */
    const char *rule;       /* id of the rule that made it */
} dexpr;

/* The entries made of several tokens that start (or end) at token t,
 * by number of tokens: folded and looked up once for every class. */
typedef struct dspan {
    size_t t, s0, s1;  /* the token and sentence it was made for */
    bool made;
    uint32_t found;    /* bit k: ci[k] or cs[k] was set (the others are stale) */
    const nm_dword *ci[DT_SPAN_MAX + 1], *cs[DT_SPAN_MAX + 1];
} dspan;

/* State of one run over a document. */
typedef struct dctx {
    nm_doc *doc;
    const nm_date_rules *r;
    int dy, dm, dd;          /* document date; 0 when unknown */
    size_t s0, s1;           /* tokens of the current sentence [s0, s1) */
    size_t floor;            /* first token a new expression may take */
    int tense;               /* of the current sentence */
    int last_year;           /* last explicit year in the text so far */
    bool warned;             /* "no document date" said once */
    bool scanned;            /* the years of the sentence are known */
    bool marked;             /* its tense markers are known */
    uint16_t *wc;            /* per token: the id of its word once looked up (0:
                                not yet, 1: no word) */
    int nyears;              /* of years[] */
    int nmarks;              /* of marks[] */
    /* From here on not cleared for a new document: made, nyears and
     * nmarks say what holds. */
    dspan fwd, back;         /* the last spans looked up */
    struct { size_t tok; int year; } years[16];   /* explicit years of the sentence */
    struct { size_t tok; int tense; } marks[32];  /* tense markers of the sentence */
} dctx;

/* ---- dates_lex.c */
/* Folds runs of white space in s[0, n) to one space (none leading),
 * lower-casing when asked; returns the length, or SIZE_MAX when it does
 * not fit in cap - 2 bytes. */
size_t nm_dt_fold(char *out, size_t cap, const char *s, size_t n, bool lower);
/* nm_lex_attr, inline, with the first bytes of the keys compared before
 * strcmp: the parsers read attributes of entries all the time. */
static inline const char *nm_dt_attr(const nm_lex_entry *e, const char *key)
{
    for (uint16_t i = 0; i < e->nattrs; i++) {
        const char *k = e->attrs[i].key;
        if (k[0] == key[0] && strcmp(k, key) == 0)
            return e->attrs[i].val;
    }
    return NULL;
}
/* atoi of a value= without the call to strtol: optional white space and
 * sign, then digits. */
static inline int nm_dt_atoi(const char *s)
{
    const char *p = s;
    while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        p++;
    bool neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    long v = 0;
    for (int n = 0; *p >= '0' && *p <= '9'; p++)
        if (++n > 9)
            return atoi(s); /* long numbers: as libc has it */
        else
            v = v * 10 + (*p - '0');
    return (int)(neg ? -v : v);
}
/* value= as a number */
static inline int nm_dw_int(const nm_lex_entry *e)
{
    const char *v = e ? nm_dt_attr(e, "value") : NULL;
    return v ? nm_dt_atoi(v) : 0;
}
/* value= */
static inline const char *nm_dw_val(const nm_lex_entry *e)
{
    const char *v = e ? nm_dt_attr(e, "value") : NULL;
    return v ? v : "";
}

/* ---- dates_word.c: word lookups */
/* The word of the n bytes at s of the text (0 < n < 64), lower-cased. */
const nm_dword *nm_dw_lookup(const dctx *c, const char *s, size_t n);
/* Looks the word of token t up and caches it (see nm_dw_word). */
const nm_dword *nm_dw_find(const dctx *c, size_t t);
/* The same, as the id of the word (1: none), without reading the word;
 * DW_NOID for a word with no id (then nm_dw_find). */
uint16_t nm_dw_find_id(const dctx *c, size_t t);
/* Makes the short keys, the word ids (r->byid) and r->hot from r->ci. */
void nm_dw_make_shorts(nm_date_rules *r);
/* The holiday written as token t (case-sensitive), or NULL. */
const nm_lex_entry *nm_dw_cs_tok(const dctx *c, size_t t);

/* The word of token t (lower-cased), or NULL; looked up once per
 * document.  Inline, as the next ones: the parsers ask often. */
static inline const nm_dword *nm_dw_word(const dctx *c, size_t t)
{
    uint16_t id = c->wc[t];
    return id ? c->r->byid[id] : nm_dw_find(c, t);
}

/* The id of the word of token t (1: none; DW_NOID: ask nm_dw_find). */
static inline uint16_t nm_dw_id(const dctx *c, size_t t)
{
    uint16_t id = c->wc[t];
    return id ? id : nm_dw_find_id(c, t);
}

/* The entry of class cls for token t, or NULL.  (The classes of the word
 * are known from r->hot: the word is read only for an entry it has.) */
static inline const nm_lex_entry *nm_dw_tok(const dctx *c, size_t t, dw_class cls)
{
    if (t >= c->doc->ntoks)
        return NULL;
    uint16_t id = nm_dw_id(c, t);
    if (__builtin_expect(id == DW_NOID, 0)) {
        const nm_dword *w = nm_dw_find(c, t);
        if (w->e[cls])
            return w->e[cls];
        return cls == DW_HOLIDAY && (w->flags & DWF_CS) ? nm_dw_cs_tok(c, t) : NULL;
    }
    const dt_hot *h = &c->r->hot[id];
    if ((h->cls >> cls) & 1u)
        return c->r->byid[id]->e[cls];
    return cls == DW_HOLIDAY && (h->flags & DWF_CS) ? nm_dw_cs_tok(c, t) : NULL;
}
/* Can an entry longer than word w (token t) begin at t: the sentence goes
 * on, and the text after t starts as the rest of such an entry does? */
bool nm_dw_next_may(const dctx *c, size_t t, const nm_dword *w);
/* Longest entry of class cls made of tokens from t (at most maxw); sets
 * *end to its last token. */
const nm_lex_entry *nm_dw_fwd(dctx *c, size_t t, dw_class cls, size_t *end);
/* Longest entry of class cls made of tokens ending at t; sets *start. */
const nm_lex_entry *nm_dw_back(dctx *c, size_t t, dw_class cls, size_t *start);
/* Could token t start or head a time expression (number or listed word)?
 * Inline: it is asked of every token. */
static inline bool nm_dw_trigger(const dctx *c, size_t t)
{
    const nm_tok *k = &c->doc->toks[t];
    if (k->flags & NM_TOK_NUM)
        return true;
    const char *p = c->doc->text + k->off;
    if (!(k->flags & NM_TOK_WORD) || k->len == 0 || !nm_dt_sig_has(&c->r->trig, p, k->len))
        return false;
    const nm_dword *w = nm_dw_word(c, t);
    return w && w->trig;
}

/* ---- token tests, inline: they run for most tokens */
static inline bool nm_dt_valid(const dctx *c, size_t t) { return t >= c->s0 && t < c->s1; }
/* valid and not in an earlier expression */
static inline bool nm_dt_free(const dctx *c, size_t t) { return nm_dt_valid(c, t) && t >= c->floor; }
static inline bool nm_dt_char(const dctx *c, size_t t, char ch)
{
    return nm_dt_valid(c, t) && c->doc->toks[t].len == 1 && c->doc->text[c->doc->toks[t].off] == ch;
}
static inline bool nm_dt_adjacent(const dctx *c, size_t a, size_t b)
{
    const nm_tok *x = &c->doc->toks[a], *y = &c->doc->toks[b];
    return x->off + x->len == y->off;
}
static inline bool nm_dt_cap(const dctx *c, size_t t) { return (c->doc->toks[t].flags & NM_TOK_CAP) != 0; }
/* Token t (of the document) is the lower-case word w of n bytes, in any
 * ASCII case (nm_tok_is without strlen). */
static inline bool nm_dt_is(const dctx *c, size_t t, const char *w, size_t n)
{
    if (t >= c->doc->ntoks || c->doc->toks[t].len != n)
        return false;
    const char *s = c->doc->text + c->doc->toks[t].off;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if ((ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch) != w[i])
            return false;
    }
    return true;
}
#define NM_DT_IS(c, t, lit) nm_dt_is((c), (t), lit, sizeof lit - 1)
/* ... and inside the current sentence */
#define NM_DT_WORD(c, t, lit) (nm_dt_valid((c), (t)) && NM_DT_IS((c), (t), lit))

/* ---- dates_cal.c: calendar arithmetic */
/* snprintf for the values: only %s, %c and %d / %ld with a width and a
 * zero flag (%04d); returns the length written. */
size_t nm_dt_fmt(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Appends s to out (cap bytes, a string of length n), as nm_dt_fmt would
 * with "%s"; returns the new length. */
static inline size_t nm_dt_put(char *out, size_t cap, size_t n, const char *s)
{
    for (; *s && n + 1 < cap; s++)
        out[n++] = *s;
    if (n < cap)
        out[n] = '\0';
    return n;
}
/* nm_dt_fmt(out, cap, "%ld", v) for a v that fits a long. */
size_t nm_dt_fmt_ulong(char *out, size_t cap, unsigned long v);
/* nm_dt_fmt(out, cap, day ? "%s-%02d-%02d" : "%s-%02d", ys, m, d), the
 * common case written directly. */
size_t nm_dt_fmt_ymd(char *out, size_t cap, const char *ys, int m, int d, bool day);
int nm_cal_mdays(int y, int m);
int nm_cal_weekday(int y, int m, int d);   /* ISO: Monday 1 ... Sunday 7 */
void nm_cal_add_days(int *y, int *m, int *d, long n);
void nm_cal_add_months(int *y, int *m, int n);
void nm_cal_isoweek(int y, int m, int d, int *wy, int *w);
/* The token helpers the parsers share. */
/* A word of a list for nm_dt_is_one: lower case, with its length. */
typedef struct dt_word {
    const char *w;
    size_t n;
} dt_word;
#define NM_DT_W(lit) {lit, sizeof lit - 1}
/* Token t is one of the words of list (ended by {NULL, 0}), in any ASCII
 * case. */
bool nm_dt_is_one(const dctx *c, size_t t, const dt_word *list);
/* Value of a digit token of at most 9 digits and nothing else, or -1.
 * (Inline, as the next two: the number parsers ask them of most numbers.) */
static inline long nm_dt_digits(const dctx *c, size_t t)
{
    if (!nm_dt_valid(c, t))
        return -1;
    const nm_tok *k = &c->doc->toks[t];
    const char *s = c->doc->text + k->off;
    if (k->len > 9)
        return -1;
    long v = 0;
    for (uint32_t i = 0; i < k->len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}
/* A day number token: 5, 5th, 21st (1-31), or -1; *ord says a suffix. */
static inline int nm_dt_day(const dctx *c, size_t t, bool *ord)
{
    *ord = false;
    if (!nm_dt_valid(c, t) || !(c->doc->toks[t].flags & NM_TOK_NUM))
        return -1;
    const nm_tok *k = &c->doc->toks[t];
    const char *s = c->doc->text + k->off;
    uint32_t i = 0;
    int v = 0;
    while (i < k->len && i < 2 && s[i] >= '0' && s[i] <= '9')
        v = v * 10 + (s[i++] - '0');
    if (i < k->len) {
        if (k->len - i != 2)
            return -1;
        char a = (char)(s[i] | 32), b = (char)(s[i + 1] | 32);
        if (!((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
              (a == 't' && b == 'h')))
            return -1;
        *ord = true;
    }
    return v >= 1 && v <= 31 ? v : -1;
}
/* A plain year token 1000-2199 (4 digits), or 0. */
static inline int nm_dt_year_tok(const dctx *c, size_t t)
{
    if (!nm_dt_valid(c, t) || c->doc->toks[t].len != 4)
        return 0;
    long v = nm_dt_digits(c, t);
    return v >= 1000 && v <= 2199 ? (int)v : 0;
}
/* A cardinal at tokens ending at t: 3, three, twenty-five, a/an (1).
 * Returns the value (-1 if none) and sets *start. */
double nm_dt_quantity(const dctx *c, size_t t, size_t *start);

/* ---- dates.c: resolution helpers */
/* How many explicit years of dates the sentence holds (scanned when first asked). */
int nm_dt_year_count(dctx *c);
int nm_dt_tense_at(dctx *c, size_t t);
/* Writes YYYY, or XXXX when y is 0. */
void nm_dt_fmt_year(char *out, size_t cap, int y);
/* Includes a "the" before e->t0 in the span. */
void nm_dt_take_the(dctx *c, dexpr *e);
/* Year for a month (and day, 0 if none) without a year: the closest
 * explicit year in the sentence, else the document year moved by tense.
 * Sets e->relative / e->unresolved; returns 0 when unknown. */
int nm_dt_year_for(dctx *c, dexpr *e, int m, int d);
/* The document date is needed: returns false (and marks e unresolved)
 * when there is none. */
bool nm_dt_need_doc(dctx *c, dexpr *e, bool need_day);

/* ---- dates_abs.c */
/* Is the 4-digit token t a year here (not "1952 people", "Section 2024")? */
bool nm_dt_year_ok(const dctx *c, size_t t);
bool nm_dt_numeric(dctx *c, size_t t, dexpr *e);   /* numeric patterns, clock */
bool nm_dt_number(dctx *c, size_t t, dexpr *e);    /* 5 October, years, decades */
/* Which of nm_dt_numeric and nm_dt_number could find something at number
 * token t, from its shape (DT_SHAPE_*): most numbers are neither. */
enum { DT_SHAPE_NUMERIC = 1, DT_SHAPE_NUMBER = 2 };
unsigned nm_dt_number_shape(const dctx *c, size_t t);
bool nm_dt_month(dctx *c, size_t t, dexpr *e);     /* October 5, 1952 */
bool nm_dt_season(dctx *c, size_t t, dexpr *e);
bool nm_dt_holiday(dctx *c, size_t t, dexpr *e);
bool nm_dt_quarter(dctx *c, size_t t, dexpr *e);   /* Q1 2025 */
bool nm_dt_clockword(dctx *c, size_t t, dexpr *e); /* midnight, noon */
/* Extends e leftwards over early/mid/late and "the" ("the early 2020s"). */
void nm_dt_part_left(dctx *c, dexpr *e);
/* A year after token t ("2024", ", 2024", "of 2024", "last year"); sets
 * *end; returns the year or 0. */
int nm_dt_year_after(dctx *c, size_t t, dexpr *e, size_t *end);

/* ---- dates_rel.c */
bool nm_dt_unit(dctx *c, size_t t, dexpr *e);      /* three days, last year, ago */
bool nm_dt_weekday(dctx *c, size_t t, dexpr *e);
bool nm_dt_ref(dctx *c, size_t t, dexpr *e);       /* now, today, recent years */
bool nm_dt_set(dctx *c, size_t t, dexpr *e);       /* quarterly */
/* A daypart or clock time after token t ("Friday morning"): appends it
 * to e->value and moves e->t1. */
void nm_dt_daypart_after(dctx *c, dexpr *e);

/* ---- dates.c: the dateline, used by nm_dates_run */
/* Sets the document date from a dateline in the first lines of the text
 * when none was given. */
void nm_dt_dateline(dctx *c);
/* Parses a time expression headed at token t. */
bool nm_dt_parse(dctx *c, size_t t, dexpr *e);
/* Finds the time expressions of every sentence, in one scan of the
 * document's tokens (the sentences are in token order and do not
 * overlap); a sentence with no candidate token is not even entered. */
void nm_dt_sentences(dctx *c);

#endif
