/* entities_words.c - the words the entity rules look up, and the facts of
 * every token of a document, found once.
 *
 * One table maps a folded word (nm_fold, at most 128 bytes as the cue keys)
 * to what the rules know of it: its NAMECUE classes, whether it is one of
 * the words the rules test ("of", "the", ",", "(" ...), and whether a name
 * surface of the matcher may start with a token of this text.  Each token
 * is looked up once per document; short ASCII tokens (nearly all) through
 * a second table keyed by their bytes read as two 64-bit words, lower-cased
 * eight bytes at a time.
 */
#include "entities.h"

#include <stdlib.h>
#include <string.h>

#define HIGH_BITS 0x8080808080808080ULL

nm_ent_word *nm_ent_word_of(nm_entity_rules *r, const char *key, size_t n)
{
    nm_ent_word *w = nm_hash_get(&r->words, key, n);
    if (!w) {
        w = nm_arena_alloc(&r->arena, sizeof *w);
        memset(w, 0, sizeof *w);
        nm_hash_put(&r->words, nm_arena_strndup(&r->arena, key, n), n, w);
    }
    return w;
}

static void add_words(nm_entity_rules *r)
{
    static const char *const words[NM_W_COUNT] = {
        NULL, "of", "for", "and", "on", "de", "van", "von", "al", "bin", "ibn", "&", "der",
        "du", "da", "the", "a", "an", "to", "according", "-", "'s", ",", "'", "\"", "(", ")"};
    for (size_t i = 1; i < NM_W_COUNT; i++)
        nm_ent_word_of(r, words[i], strlen(words[i]))->word = (uint8_t)i;
}

/* A case-sensitive first token: kept as written (up to NM_ENT_FORMS). */
static void add_form(nm_entity_rules *r, nm_ent_word *w, const char *s, size_t n)
{
    w->start |= NM_WS_CASED;
    for (size_t i = 0; i < w->nform; i++)
        if (w->flen[i] == n && memcmp(w->form[i], s, n) == 0)
            return;
    if (w->nform == NM_ENT_FORMS) {
        w->start |= NM_WS_ANY;
        return;
    }
    w->form[w->nform] = nm_arena_strndup(&r->arena, s, n);
    w->flen[w->nform++] = (uint16_t)n;
}

/* A text the first token of a name may have (folded as tokens are). */
static void add_first(const char *s, size_t n, bool icase, void *arg)
{
    nm_entity_rules *r = arg;
    char key[128];
    if (icase) {
        if (n <= sizeof key)
            nm_ent_word_of(r, s, n)->start |= NM_WS_FOLDED;
        return; /* else no token folds to it (nm_ent_tokens: a possible start) */
    }
    size_t k = nm_fold(key, sizeof key, s, n);
    if (k != SIZE_MAX)
        add_form(r, nm_ent_word_of(r, key, k), s, n);
}

/* ------------------------------------------------------------ short table */

/* A mask keeping the first n (0-8) bytes of a word read from memory. */
static uint64_t keep(size_t n)
{
    if (n >= 8)
        return ~0ULL;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return n ? ~0ULL << (8 * (8 - n)) : 0;
#else
    return (1ULL << (8 * n)) - 1;
#endif
}

/* ASCII upper to lower case in eight bytes (high bits clear). */
static uint64_t lower8(uint64_t x)
{
    uint64_t ge_a = x + 0x3f3f3f3f3f3f3f3fULL; /* high bit: byte >= 'A' */
    uint64_t gt_z = x + 0x2525252525252525ULL; /* high bit: byte > 'Z' */
    return x | ((ge_a & ~gt_z & HIGH_BITS) >> 2);
}

static size_t short_hash(const uint64_t k[2])
{
    uint64_t h = (k[0] ^ (k[1] * 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL;
    return (size_t)(h ^ (h >> 29));
}

/* The first n (1-16) bytes of s, zero padded; room: 16 bytes are readable. */
static inline void pack(uint64_t k[2], const char *s, size_t n, bool room)
{
    if (room && n <= 8) {
        memcpy(k, s, 8);
        k[0] &= keep(n);
        k[1] = 0;
        return;
    }
    if (room) {
        memcpy(k, s, 16);
    } else {
        char buf[16] = {0};
        memcpy(buf, s, n);
        memcpy(k, buf, 16);
    }
    k[0] &= keep(n);
    k[1] &= n > 8 ? keep(n - 8) : 0;
}

static void short_put(nm_entity_rules *r, const uint64_t k[2], const nm_ent_word *w)
{
    size_t i = short_hash(k) & r->short_mask;
    while (r->short_words[i].w)
        i = (i + 1) & r->short_mask;
    r->short_words[i] = (nm_ent_wslot){{k[0], k[1]}, w};
}

/* Copies the short ASCII words of r->words into r->short_words. */
static void short_build(nm_entity_rules *r)
{
    size_t cap = 16;
    while (cap < r->words.n * 2)
        cap *= 2;
    r->short_words = nm_xcalloc(cap, sizeof *r->short_words);
    r->short_mask = cap - 1;
    for (size_t i = 0; i < r->words.cap; i++) {
        const nm_hash_slot *s = &r->words.slots[i];
        if (!s->key || s->len == 0 || s->len > NM_ENT_SHORT)
            continue;
        uint64_t k[2];
        pack(k, s->key, s->len, false);
        if ((k[0] | k[1]) & HIGH_BITS)
            continue; /* not ASCII: no ASCII token folds to it */
        nm_ent_word *w = s->val;
        w->klen = (uint8_t)s->len;
        short_put(r, k, w);
        if (s->len == 1)
            r->byte_words[(unsigned char)s->key[0]] = w;
    }
}

static const nm_ent_word *short_get(const nm_entity_rules *r, const uint64_t k[2], size_t n)
{
    for (size_t i = short_hash(k) & r->short_mask;; i = (i + 1) & r->short_mask) {
        const nm_ent_wslot *s = &r->short_words[i];
        if (!s->w)
            return NULL;
        if (s->k[0] == k[0] && s->k[1] == k[1] && s->w->klen == n)
            return s->w;
    }
}

void nm_ent_words_build(nm_entity_rules *r)
{
    add_words(r);
    nm_matcher_each_first(r->names, add_first, r);
    short_build(r);
}

void nm_ent_words_free(nm_entity_rules *r)
{
    nm_hash_free(&r->words);
    free(r->short_words);
    r->short_words = NULL;
}

/* ------------------------------------------------------------ tokens */

/* The entry of token k's text folded as nm_fold does into 128 bytes (the
 * cue key size); *fits false when it does not fit.  *ascii: a short ASCII
 * token (only then is the entry's word an nm_tok_is match). */
static const nm_ent_word *tok_entry(const nm_entity_rules *r, const nm_doc *doc,
                                    const nm_tok *k, bool *ascii, bool *fits)
{
    const char *s = doc->text + k->off;
    size_t n = k->len;
    *ascii = false;
    *fits = true;
    if (n == 1 && (unsigned char)s[0] < 0x80) {
        *ascii = true;
        return r->byte_words[s[0] >= 'A' && s[0] <= 'Z' ? s[0] + 32 : s[0]];
    }
    if (n >= 1 && n <= NM_ENT_SHORT) {
        uint64_t w[2];
        pack(w, s, n, (size_t)k->off + 16 <= doc->text_len);
        if (!((w[0] | w[1]) & HIGH_BITS)) {
            *ascii = true;
            w[0] = lower8(w[0]);
            w[1] = n > 8 ? lower8(w[1]) : 0;
            return short_get(r, w, n);
        }
    }
    char key[128];
    size_t f = nm_fold(key, sizeof key, s, n);
    if (f == SIZE_MAX) {
        *fits = false;
        return NULL;
    }
    return nm_hash_get(&r->words, key, f);
}

/* NM_ET_CASED and NM_ET_FOLDED: the tables of name surfaces that may
 * start with the token s (n bytes) of entry w. */
static uint8_t starts(const nm_ent_word *w, const char *s, size_t n)
{
    uint8_t f = (w->start & NM_WS_FOLDED) ? NM_ET_FOLDED : 0;
    if (w->start & NM_WS_ANY)
        return f | NM_ET_CASED;
    for (size_t i = 0; i < w->nform; i++)
        if (w->flen[i] == n && memcmp(w->form[i], s, n) == 0)
            return f | NM_ET_CASED;
    return f;
}

static bool capword(const nm_tok *k)
{
    return (k->flags & NM_TOK_WORD) && (k->flags & NM_TOK_CAP) && k->len > 1;
}

bool nm_ent_capword(const nm_doc *doc, size_t t)
{
    return t < doc->ntoks && capword(&doc->toks[t]);
}

/* Marks the tokens inside figures, in one pass over the facts. */
static void figure_tokens(const nm_doc *doc, nm_ent_tok *tk)
{
    for (size_t i = 0; i < doc->nfacts; i++) {
        const nm_fact *f = &doc->facts[i];
        if (f->kind != NM_FIGURE || f->dead)
            continue;
        for (size_t t = nm_tok_at(doc, f->start); t < doc->ntoks && doc->toks[t].off < f->end; t++)
            tk[t].flags |= NM_ET_FIGURE;
    }
}

nm_ent_tok *nm_ent_tokens(const nm_entity_rules *r, const nm_doc *doc)
{
    nm_ent_tok *tk = nm_xcalloc(doc->ntoks + 1, sizeof *tk);
    for (size_t t = 0; t < doc->ntoks; t++) {
        const nm_tok *k = &doc->toks[t];
        bool ascii, fits;
        const nm_ent_word *w = tok_entry(r, doc, k, &ascii, &fits);
        if (w) {
            tk[t].cue = w->cue;
            tk[t].word = ascii ? w->word : 0;
            tk[t].flags = starts(w, doc->text + k->off, k->len);
        }
        if (!fits)
            tk[t].flags |= NM_ET_START; /* let the matcher decide */
        if (capword(k))
            tk[t].flags |= NM_ET_CAP;
    }
    figure_tokens(doc, tk);
    return tk;
}
