/* figures.h - the FIGURE extractor (internal). */
#ifndef NM_FIGURES_H
#define NM_FIGURES_H

#include "extract.h"
#include "pattern.h"

struct nm_figure_rules {
    nm_pattern digits; /* digit numbers */
    nm_pattern words;  /* number and scale words, from the lexicons */
    nm_hash numbers, scales, units, cur_cs, cur_ci, quals, change, wclass, lemmas;
    size_t max_unit, max_cur, max_qual; /* longest entries, in tokens */
};

char *nm_fig_key(nm_arena *a, const char *s, size_t n, bool lower);
/* Word class (WORDCLASS lexicon) of token t, or NULL. */
const char *nm_fig_class(const nm_figure_rules *r, const nm_doc *doc, size_t t);
const nm_lex_entry *nm_fig_lookup(const nm_doc *doc, size_t a, size_t b, const nm_hash *cs,
                                  const nm_hash *ci);

#endif
