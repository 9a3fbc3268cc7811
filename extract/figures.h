/* figures.h - the FIGURE extractor (internal). */
#ifndef NM_FIGURES_H
#define NM_FIGURES_H

#include "extract.h"
#include "pattern.h"

struct nm_figure_rules {
    /* number and scale words: a token is looked up only when its first
     * letter, length and last letter fit some entry (cheap prefilter) */
    uint32_t len_mask[26];  /* bit L: an entry of length L starts with this letter */
    uint32_t last_mask[26]; /* bit x: an entry starting with this letter ends in x */
    /* the number and scale words of at most 8 bytes, lower-cased and packed
     * into a 64-bit value: an exact set small enough for the L1 cache */
    uint64_t short_words[256];
    bool short_full;
    nm_hash numbers, scales, units, cur_cs, cur_ci, quals, change, wclass, lemmas;
    size_t max_unit, max_cur, max_qual; /* longest entries, in tokens */
    /* first and last tokens (lower-cased) of the entries of each table: a
     * window is looked up only when its edge token is one of them; the
     * value is a bit set of NM_EDGE_* */
    nm_hash edges;
};

enum { NM_EDGE_UNIT_FIRST, NM_EDGE_UNIT_LAST, NM_EDGE_CUR_FIRST, NM_EDGE_CUR_LAST,
       NM_EDGE_QUAL_FIRST, NM_EDGE_QUAL_LAST };

char *nm_fig_key(nm_arena *a, const char *s, size_t n, bool lower);
/* Word class (WORDCLASS lexicon) of token t, or NULL. */
const char *nm_fig_class(const nm_figure_rules *r, const nm_doc *doc, size_t t);
/* May the word s[0..n) be a number or scale word?  (No false negatives.) */
bool nm_fig_word_maybe(const nm_figure_rules *r, const char *s, size_t n);
const nm_lex_entry *nm_fig_lookup(const nm_doc *doc, size_t a, size_t b, const nm_hash *cs,
                                  const nm_hash *ci);

#endif
