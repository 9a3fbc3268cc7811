/* figures.h - the FIGURE extractor (internal). */
#ifndef NM_FIGURES_H
#define NM_FIGURES_H

#include "extract.h"
#include "pattern.h"

#include <string.h>

/* What the rules ask of an entry of UNIT, CURRENCY and QUALIFIER, made at
 * start-up: the values of the hash tables of these lexicons. */
enum { NM_FIG_UNIT_PERCENT = 1, NM_FIG_UNIT_FOLD, NM_FIG_UNIT_TIMES, NM_FIG_UNIT_MEASURE };
enum { NM_FIG_POS_PREFIX = 1, NM_FIG_POS_SUFFIX = 2, NM_FIG_POS_BEFORE = 4, NM_FIG_POS_AFTER = 8 };
typedef struct nm_fig_entry {
    const nm_lex_entry *e;
    const char *code, *qualifier; /* their code= and qualifier= (or NULL) */
    double scale;                 /* scale= (has_scale) */
    bool has_scale;
    uint8_t unit;                 /* NM_FIG_UNIT_* of its unit=, or 0 */
    uint8_t position;             /* NM_FIG_POS_* its position= allows */
} nm_fig_entry;

/* The NM_FIG_POS_* bits an entry's position= allows (none: all). */
uint8_t nm_fig_position(const nm_lex_entry *e);

/* The keys of 1-16 ASCII bytes of a hash table, packed as in
 * nm_fig_wslot, with their values: a look-up without hashing bytes. */
typedef struct nm_fig_kslot {
    uint64_t k[2];
    uint32_t len;
    const void *v;
} nm_fig_kslot;
typedef struct nm_fig_ktab {
    nm_fig_kslot *slots; /* NULL: no table */
    size_t mask;
} nm_fig_ktab;

/* A table of entries of one or more tokens, matched on folded text: its
 * keys as they are (cs) and lower-cased (ci), either NULL when unused. */
typedef struct nm_fig_table {
    const nm_hash *cs, *ci;
    size_t maxw;   /* longest entry, in tokens */
    size_t keylen; /* longest key, in bytes */
    int edge;      /* NM_EDGE_*_FIRST of its edge sets */
    /* bit nm_fig_cand_bit(first byte, last byte, length % 32) of every
     * key of cs and of ci: a text whose bit is clear is not looked up */
    uint64_t cs_bits[512], ci_bits[512];
    /* bit l & 31 of pairs[f & 31]: some key of cs or ci runs from byte f
     * to byte l (either case) */
    uint32_t pairs[32];
    nm_fig_ktab cs_packed, ci_packed; /* the short ASCII keys of cs and ci */
} nm_fig_table;

#define NM_FIG_CAND_SLOTS 256

struct nm_figure_rules {
    /* number and scale words: a token is looked up only when its first
     * letter, length and last letter fit some entry (cheap prefilter) */
    uint32_t len_mask[26];  /* bit L: an entry of length L starts with this letter */
    uint32_t last_mask[26]; /* bit x: an entry starting with this letter ends in x */
    /* the number and scale words of at most 8 bytes, lower-cased and packed
     * into a 64-bit value: an exact set small enough for the L1 cache */
    uint64_t short_words[256];
    bool short_full;
    /* key -> nm_lex_entry; units, cur_cs, cur_ci and quals: key -> nm_fig_entry */
    nm_hash numbers, scales, units, cur_cs, cur_ci, quals, change, wclass, lemmas;
    size_t max_unit, max_cur, max_qual; /* longest entries, in tokens */
    size_t unit_bytes, cur_bytes, qual_bytes; /* longest keys, in bytes */
    nm_fig_table unit_tab, cur_tab, qual_tab;  /* the same, for matching */
    /* first and last tokens (lower-cased) of the entries of each table: a
     * window is looked up only when its edge token is one of them; the
     * value is a bit set of NM_EDGE_* */
    nm_hash edges;
    /* every single word of the tables above (lower-cased) -> its
     * nm_fig_word: what a token is, found with one look-up per token */
    nm_hash words;
    /* the nm_fig_word of every word, one after the other */
    struct nm_fig_word *word_recs; /* aligned to a cache line, in word_mem */
    size_t nwords;
    void *word_mem;
    /* the words of 1-8 ASCII bytes again, packed into a 64-bit value, in
     * 16-byte slots (a dense table, most of it in the L1 cache), and those
     * of 9-16 bytes into two: the look-up of a token is then a few word
     * operations */
    struct nm_fig_sslot *short_slots;
    size_t short_mask;
    struct nm_fig_wslot *packed;
    size_t packed_mask;
    /* the look-up of each one-byte word (commas, dots, %, $ ...) */
    const struct nm_fig_word *byte_word[256];
    /* the candidate words (nm_fig_word.candidate) of 1-8 ASCII bytes,
     * packed as nm_fig_sslot.k, in a table of their own small enough to
     * stay in the L1 cache: the screen asks it of each word it keeps */
    struct nm_fig_cslot {
        uint64_t k;
        uint64_t len; /* 0: empty */
    } cand_slots[NM_FIG_CAND_SLOTS];
    bool cand_full; /* some candidate word of 1-8 ASCII bytes is not in it */
    /* bit (last byte & 31) of cand_last[(first byte & 31) << 5 | length]
     * (length < 32): the first, last byte and length of some candidate word
     * (see nm_fig_word), in either case */
    uint32_t cand_last[1024];
};

enum { FORM_CARDINAL, FORM_FRACTION, FORM_MULTIPLIER };

/* The WORDCLASS classes figures asks about, as bits. */
enum {
    NM_FIG_STOP = 1, NM_FIG_DETERMINER = 2, NM_FIG_YEARWORD = 4, NM_FIG_MONTH = 8,
    NM_FIG_TIMEUNIT = 16, NM_FIG_CLOCK = 32, NM_FIG_ADJECTIVE = 64
};

/* Everything figures needs to know of one lower-cased word, gathered at
 * start-up from the NUMBER, SCALE, CHANGE, WORDCLASS and COUNTED tables and
 * the edge sets.  Every field is what a look-up of the word in that table
 * gave (a word of 64 bytes or more: none, as the 64-byte buffers of the
 * single-table look-ups; COUNTED has no such limit).  One cache line a
 * word, the fields most rules test in its first half; the words sit in
 * one array (nm_figure_rules.word_recs), not scattered in the arena. */
typedef struct nm_fig_word {
    const nm_lex_entry *number, *scale, *change;
    const char *lemma;       /* lemma= of its COUNTED entry (which has one), or NULL */
    uint8_t cls;             /* NM_FIG_* bit of its WORDCLASS class, or 0 */
    uint8_t edges;           /* NM_EDGE_* bits */
    bool candidate;          /* a number or scale word that may start a figure */
    bool scale_attached;     /* the scale entry has attached= */
    bool lemma_known;        /* the lemma= of lemma is itself a COUNTED key */
    uint8_t number_form;     /* FORM_* of the number entry */
    uint8_t change_position; /* NM_FIG_POS_* its position= allows */
    uint8_t lemma_len;       /* length of lemma=, cut to 95 bytes as lemma() cuts it */
    double number_value, scale_value; /* their value= (0 when none) */
    const char *change_value;         /* change= of change */
} nm_fig_word;

/* Index into cand_bits of a word of n bytes (n < 32) from byte f to byte
 * l: the low five bits of each (so either case) and the length. */
static inline unsigned nm_fig_cand_bit(unsigned char f, unsigned char l, size_t n)
{
    return (f & 31u) | (l & 31u) << 5 | (unsigned)n << 10;
}

/* The nm_fig_word of the word s[0..n) (ASCII case-insensitive); an all-empty
 * one (nm_fig_no_word) when the word is in none of the tables.  Never NULL. */
const nm_fig_word *nm_fig_word_of(const nm_figure_rules *r, const char *s, size_t n);
extern const nm_fig_word nm_fig_no_word;

/* The words of 9-16 ASCII bytes in r->packed: their bytes, first in the
 * low byte of k[0], zero after the end. */
typedef struct nm_fig_wslot {
    uint64_t k[2];
    uint32_t len;
    const nm_fig_word *w;
} nm_fig_wslot;

/* The words of 1-8 ASCII bytes in r->short_slots: packed as k[0] of
 * nm_fig_wslot; len 0 in an empty slot; w the index in word_recs. */
typedef struct nm_fig_sslot {
    uint64_t k;
    uint32_t len, w;
} nm_fig_sslot;

#define NM_FIG_PACK_MAX 16


static inline size_t nm_fig_packed_hash(uint64_t k0, uint64_t k1, size_t n)
{
    uint64_t h = (k0 ^ (k1 * 0x9e3779b97f4a7c15ULL) ^ n) * 0xff51afd7ed558ccdULL;
    return (size_t)(h >> 32); /* the high half: it depends on every byte */
}

/* The look-up of packed bytes k0 of length n (1-8); NULL when non-ASCII. */
static inline const nm_fig_word *nm_fig_short_get(const nm_figure_rules *r, uint64_t k0,
                                                  size_t n)
{
    if (k0 & NM_HIGH_BITS)
        return NULL;
    k0 = nm_lower8(k0);
    for (size_t j = nm_fig_packed_hash(k0, 0, n) & r->short_mask;; j = (j + 1) & r->short_mask) {
        const nm_fig_sslot *sl = &r->short_slots[j];
        if (sl->k == k0 && sl->len == n)
            return &r->word_recs[sl->w];
        if (!sl->len)
            return &nm_fig_no_word;
    }
}

/* The look-up of packed bytes k0, k1 of length n; NULL when non-ASCII. */
static inline const nm_fig_word *nm_fig_packed_get(const nm_figure_rules *r, uint64_t k0,
                                                   uint64_t k1, size_t n)
{
    if (n <= 8)
        return nm_fig_short_get(r, k0, n);
    if ((k0 | k1) & NM_HIGH_BITS)
        return NULL;
    k0 = nm_lower8(k0);
    k1 = nm_lower8(k1);
    for (size_t j = nm_fig_packed_hash(k0, k1, n) & r->packed_mask;; j = (j + 1) & r->packed_mask) {
        const nm_fig_wslot *sl = &r->packed[j];
        if (!sl->w)
            return &nm_fig_no_word;
        if (sl->k[0] == k0 && sl->k[1] == k1 && sl->len == n)
            return sl->w;
    }
}

/* The value of packed ASCII key k0, k1 of length n in t (as it is: no
 * lower-casing), or NULL. */
static inline const void *nm_fig_kget(const nm_fig_ktab *t, uint64_t k0, uint64_t k1, size_t n)
{
    for (size_t j = nm_fig_packed_hash(k0, k1, n) & t->mask;; j = (j + 1) & t->mask) {
        const nm_fig_kslot *sl = &t->slots[j];
        if (!sl->v)
            return NULL;
        if (sl->k[0] == k0 && sl->k[1] == k1 && sl->len == n)
            return sl->v;
    }
}

/* s[0..n), 1 <= n <= 16, packed as nm_fig_wslot.k, where 16 bytes can be
 * read from s. */
static inline void nm_fig_pack16(uint64_t k[2], const char *s, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* the bytes of each half up to the end, for n = 1..16 */
    static const uint64_t lo[17] = {0, 0xff, 0xffff, 0xffffff, 0xffffffff, 0xffffffffffULL,
                                    0xffffffffffffULL, 0xffffffffffffffULL, ~0ULL, ~0ULL,
                                    ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL};
    static const uint64_t hi[17] = {0, 0, 0, 0, 0, 0, 0, 0, 0,
                                    0xff, 0xffff, 0xffffff, 0xffffffff, 0xffffffffffULL,
                                    0xffffffffffffULL, 0xffffffffffffffULL, ~0ULL};
    memcpy(k, s, 16); /* little-endian: the same values as packed */
    k[0] &= lo[n];
    k[1] &= hi[n];
#else
    k[0] = k[1] = 0;
    for (size_t i = 0; i < n; i++)
        k[i / 8] |= (uint64_t)(unsigned char)s[i] << (8 * (i % 8));
#endif
}

/* nm_fig_word_of, where 16 bytes can be read from s (inline, faster). */
static inline const nm_fig_word *nm_fig_word_of16(const nm_figure_rules *r, const char *s,
                                                  size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (n - 1 < 8) { /* 1..8, most words: one 64-bit value, the second is 0 */
        uint64_t k0;
        memcpy(&k0, s, 8);
        const nm_fig_word *w = nm_fig_short_get(r, k0 & nm_keep_bytes(n), n);
        return w ? w : nm_fig_word_of(r, s, n);
    }
#endif
    if (n - 1 < NM_FIG_PACK_MAX) { /* 1..16 */
        uint64_t k[2];
        nm_fig_pack16(k, s, n);
        const nm_fig_word *w = nm_fig_packed_get(r, k[0], k[1], n);
        if (w)
            return w;
    }
    return nm_fig_word_of(r, s, n);
}

enum { NM_EDGE_UNIT_FIRST, NM_EDGE_UNIT_LAST, NM_EDGE_CUR_FIRST, NM_EDGE_CUR_LAST,
       NM_EDGE_QUAL_FIRST, NM_EDGE_QUAL_LAST };

char *nm_fig_key(nm_arena *a, const char *s, size_t n, bool lower);
/* May the word s[0..n) be a number or scale word?  (No false negatives.) */
bool nm_fig_word_maybe(const nm_figure_rules *r, const char *s, size_t n);
const nm_fig_entry *nm_fig_lookup(const nm_doc *doc, size_t a, size_t b, const nm_hash *cs,
                                  const nm_hash *ci);

#endif
