/* matcher.h - a phrase matcher over the token layer (lexicon surfaces).
 *
 * Surfaces (names, trigger phrases ...) are compiled once into two hash
 * tables of token-sequence prefixes, one for case-sensitive and one for
 * case-folded surfaces.  A lookup at a token extends the phrase one token
 * at a time while the prefix is known, so its cost depends on the length of
 * the longest surface, never on how many surfaces there are.
 *
 * A key is the text of the tokens, joined by one space where the text has
 * white space between them and by nothing where they touch ("St.Petersburg"
 * and "St. Petersburg" are different keys; "Moscow  region" with two spaces
 * is the key "Moscow region").  Matches start and end on token boundaries,
 * so they are whole words, and never cross a sentence end.
 *
 * The matcher is read-only after building and may be shared by threads.
 */
#ifndef NM_MATCHER_H
#define NM_MATCHER_H

#include "nm_core.h"

#define NM_MATCH_MAXKEY 255 /* longest key in bytes (folded) */

typedef struct nm_matcher nm_matcher;

typedef struct nm_match {
    size_t tok, ntok;  /* tokens [tok, tok + ntok) */
    const void *val;   /* the value given to nm_matcher_add */
    bool icase;        /* matched through the case-folded table */
} nm_match;

/* A new, empty matcher; free it with nm_matcher_free. */
nm_matcher *nm_matcher_new(void);
void nm_matcher_free(nm_matcher *m);

/* Adds a surface (UTF-8, NFC).  icase: match it case-folded.  val is kept
 * as given (not copied).  A surface added twice keeps the later value, so
 * lists loaded later (the user's) override earlier ones.  Returns false for
 * an empty surface or one longer than NM_MATCH_MAXKEY bytes (not added). */
bool nm_matcher_add(nm_matcher *m, const char *surface, bool icase, const void *val);

/* The key nm_matcher_add makes of a surface: white space runs collapsed to
 * one space and trimmed, case-folded when icase, into key (room for
 * NM_MATCH_MAXKEY + 1 bytes).  Returns its length, or SIZE_MAX when the
 * surface makes no key (empty, too long, or not foldable).  For callers
 * that keep tables in step with a matcher's (events_lex.c). */
size_t nm_matcher_key(char *key, const char *surface, bool icase);
/* Whether a token boundary may fall between key[i-1] and key[i] (0 < i < the
 * key's length): where nm_matcher_add marks a key's prefixes. */
bool nm_matcher_boundary(const char *key, size_t i);

/* Number of distinct surfaces added. */
size_t nm_matcher_size(const nm_matcher *m);

/* The longest surface starting at token t and ending before token limit
 * (exclusive; pass the sentence end).  On a case-sensitive and a folded
 * match of the same length the case-sensitive one wins.  Returns the
 * number of tokens matched (0: none, *out untouched). */
size_t nm_matcher_longest(const nm_matcher *m, const nm_doc *doc, size_t t, size_t limit,
                          nm_match *out);

/* Calls fn with every text the first token of a match can have: each
 * prefix of a stored key that ends where a token may end, up to the key's
 * first space (case-folded keys as stored, folded).  A token whose text
 * (folded, for the folded table) is none of these starts no match, so a
 * caller may skip nm_matcher_longest there. */
typedef void (*nm_matcher_first_fn)(const char *s, size_t n, bool icase, void *arg);
void nm_matcher_each_first(const nm_matcher *m, nm_matcher_first_fn fn, void *arg);

/* nm_matcher_longest with the tables to try given: tables has bit 0 for
 * the case-sensitive surfaces, bit 1 for the folded ones.  For a caller
 * that knows from nm_matcher_each_first which tables token t may start. */
size_t nm_matcher_longest_in(const nm_matcher *m, const nm_doc *doc, size_t t, size_t limit,
                             unsigned tables, nm_match *out);

/* Case folding used for icase keys: ASCII and Unicode simple lower case.
 * Writes at most cap bytes; returns the folded length or SIZE_MAX when it
 * does not fit. */
size_t nm_fold(char *dst, size_t cap, const char *s, size_t n);

#endif
