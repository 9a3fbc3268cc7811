/* entities_words.c - the words the entity rules look up, and the facts of
 * every token of a document, found once.
 *
 * One table maps a folded word (nm_fold, at most 128 bytes as the cue keys)
 * to what the rules know of it: its NAMECUE classes, whether it is one of
 * the words the rules test ("of", "the", ",", "(" ...), and whether a name
 * surface of the matcher may start with a token of this text.  Each token
 * is looked up once per document; short ASCII tokens (nearly all) through
 * a second table keyed by their bytes read as two 64-bit words, lower-cased
 * eight bytes at a time, whose slots hold the facts a token gets (one-byte
 * tokens: a table by byte).  The tokens that may start a name or are
 * capitalized words are listed (nm_ent_run.cand): the sentence rules visit
 * only those.
 */
#include "entities.h"

#include <stdlib.h>
#include <string.h>

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

/* Multiplicative hash; the top bits pick the slot. */
static inline uint64_t short_hash(uint64_t k0, uint64_t k1)
{
    return (k0 ^ (k1 * 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL;
}

/* The first n (0-16) bytes of s, zero padded, copied (no over-read). */
static void pack_copy(uint64_t k[2], const char *s, size_t n)
{
    char buf[16] = {0};
    memcpy(buf, s, n);
    memcpy(k, buf, 16);
}

/* What a token of raw bytes k (zero padded) gets from slot s, its folded
 * form: the slot's facts, and NM_ET_CASED when it is written as a form. */
static inline nm_ent_tok slot_tok(const nm_entity_rules *r, const nm_ent_wslot *s, uint64_t k0,
                                  uint64_t k1)
{
    nm_ent_tok t = s->tok;
    for (size_t f = 0; f < s->nform; f++) {
        const uint64_t *form = r->short_forms[s->form + f];
        if (form[0] == k0 && form[1] == k1)
            t.flags |= NM_ET_CASED;
    }
    return t;
}

/* What a short ASCII token of raw bytes k (zero padded, n bytes) gets from
 * the table: cue, rule word and the tables of names it may start. */
static inline nm_ent_tok short_tok(const nm_entity_rules *r, uint64_t k0, uint64_t k1, size_t n)
{
    uint64_t l0 = nm_lower8(k0), l1 = nm_lower8(k1);
    for (size_t i = short_hash(l0, l1) >> r->short_shift;; i = (i + 1) & r->short_mask) {
        const nm_ent_wslot *s = &r->short_words[i];
        if (s->k[0] == l0 && s->k[1] == l1 && s->len == n)
            return slot_tok(r, s, k0, k1);
        if (!s->len)
            return (nm_ent_tok){0, 0, 0};
    }
}

/* Adds the case-sensitive forms of w that a short ASCII token (len bytes)
 * can be written as to the form list of slot s. */
static void short_forms(nm_entity_rules *r, nm_ent_wslot *s, const nm_ent_word *w, size_t len)
{
    if (w->start & NM_WS_ANY)
        return; /* any token: no form to compare */
    if (r->nshort_forms + NM_ENT_FORMS > UINT16_MAX) {
        s->tok.flags |= NM_ET_CASED; /* no room for the index: the matcher decides */
        return;
    }
    s->form = (uint16_t)r->nshort_forms;
    for (size_t i = 0; i < w->nform; i++) {
        uint64_t k[2];
        if (w->flen[i] != len)
            continue; /* no token of len bytes is written so */
        pack_copy(k, w->form[i], len);
        if ((k[0] | k[1]) & NM_HIGH_BITS)
            continue; /* not ASCII: not a short ASCII token */
        if (r->nshort_forms == r->cshort_forms) {
            r->cshort_forms = r->cshort_forms ? 2 * r->cshort_forms : 256;
            r->short_forms = nm_xrealloc(r->short_forms, r->cshort_forms * sizeof *r->short_forms);
        }
        r->short_forms[r->nshort_forms][0] = k[0];
        r->short_forms[r->nshort_forms][1] = k[1];
        r->nshort_forms++;
        s->nform++;
    }
}

/* Copies the short ASCII words of r->words into r->short_words, with what
 * a token of each gets, and fills r->byte_tok. */
static void short_build(nm_entity_rules *r)
{
    size_t cap = 16;
    unsigned bits = 4;
    while (cap < r->words.n * 2)
        cap *= 2, bits++;
    r->short_words = nm_xcalloc(cap, sizeof *r->short_words);
    r->short_mask = cap - 1;
    r->short_shift = 64 - bits;
    for (size_t n = 0; n <= NM_ENT_SHORT; n++) {
        r->short_keep[n][0] = nm_keep_bytes(n);
        r->short_keep[n][1] = n > 8 ? nm_keep_bytes(n - 8) : 0;
    }
    for (size_t i = 0; i < r->words.cap; i++) {
        const nm_hash_slot *hs = &r->words.slots[i];
        if (!hs->key || hs->len == 0 || hs->len > NM_ENT_SHORT)
            continue;
        uint64_t k[2];
        pack_copy(k, hs->key, hs->len);
        if ((k[0] | k[1]) & NM_HIGH_BITS)
            continue; /* not ASCII: no ASCII token folds to it */
        const nm_ent_word *w = hs->val;
        size_t j = short_hash(k[0], k[1]) >> r->short_shift;
        while (r->short_words[j].len)
            j = (j + 1) & r->short_mask;
        nm_ent_wslot *s = &r->short_words[j];
        s->k[0] = k[0];
        s->k[1] = k[1];
        s->len = (uint8_t)hs->len;
        s->tok.cue = w->cue;
        s->tok.word = w->word;
        s->tok.flags = (uint8_t)(((w->start & NM_WS_FOLDED) ? NM_ET_FOLDED : 0) |
                                 ((w->start & NM_WS_ANY) ? NM_ET_CASED : 0));
        short_forms(r, s, w, hs->len);
    }
    for (int c = 0; c < 128; c++) {
        uint64_t k[2] = {0, 0};
        char b = (char)c;
        pack_copy(k, &b, 1);
        r->byte_tok[c] = short_tok(r, k[0], k[1], 1);
    }
}

/* The loose key of n (2-8) ASCII bytes k (zero padded). */
static inline uint64_t loose_key(const nm_entity_rules *r, uint64_t k, size_t n)
{
    return k | r->loose_bits[n];
}

/* Bytes a-z only (n bytes of k, zero padded). */
static bool all_lower(uint64_t k, size_t n)
{
    unsigned char b[8];
    memcpy(b, &k, 8);
    for (size_t i = 0; i < n; i++)
        if (b[i] < 'a' || b[i] > 'z')
            return false;
    return true;
}

/* The filter bit of a word of hash h (short_hash): hash bits 36-49, below
 * those of the slot index (the top ones).  One bit a word: two would
 * turn away a few more tokens, for more instructions than they save. */
static inline void filter_add(uint64_t *filter, uint64_t h)
{
    size_t f = (h >> 36) & (NM_ENT_FILTER * 64 - 1);
    filter[f / 64] |= 1ULL << (f % 64);
}
/* A word of hash h may be in the table (else it is not). */
static inline bool filter_has(const uint64_t *filter, uint64_t h)
{
    size_t f = (h >> 36) & (NM_ENT_FILTER * 64 - 1);
    return (filter[f / 64] >> (f % 64)) & 1;
}

/* Fills r->loose from r->short_words (the words of 2-8 bytes).  Four
 * slots a word: most look-ups end at the first slot; and one more past
 * them, always empty, for the tokens the filter turns away. */
static void loose_build(nm_entity_rules *r)
{
    size_t nw = 0;
    for (size_t i = 0; i <= r->short_mask; i++)
        nw += r->short_words[i].len >= 2 && r->short_words[i].len <= 8;
    size_t cap = 16;
    unsigned bits = 4;
    while (cap < nw * 4)
        cap *= 2, bits++;
    r->loose = nm_xcalloc(cap + 1, sizeof *r->loose);
    r->loose_check = nm_xcalloc(nw + 1, sizeof *r->loose_check);
    size_t ncheck = 0;
    r->loose_mask = cap - 1;
    r->loose_shift = 64 - bits;
    for (size_t n = 0; n <= 8; n++) {
        uint64_t b = 0;
        memset(&b, 0x20, n);
        r->loose_bits[n] = b;
        r->keep8[n] = nm_keep_bytes(n);
    }
    for (size_t i = 0; i <= r->short_mask; i++) {
        const nm_ent_wslot *w = &r->short_words[i];
        if (w->len < 2 || w->len > 8)
            continue;
        uint64_t k = loose_key(r, w->k[0], w->len);
        uint64_t h = short_hash(k, 0);
        size_t j = h >> r->loose_shift;
        filter_add(r->loose_filter, h);
        while (r->loose[j].k && r->loose[j].k != k)
            j = (j + 1) & r->loose_mask;
        nm_ent_lslot *s = &r->loose[j];
        if (s->k) { /* two words with one loose key */
            s->mode = NM_LOOSE_EXACT;
            continue;
        }
        s->k = k;
        s->tok = w->tok;
        if (w->nform > 2 || ncheck > UINT16_MAX) {
            s->mode = NM_LOOSE_EXACT;
        } else if (w->nform || !all_lower(w->k[0], w->len)) {
            nm_ent_lcheck *c = &r->loose_check[ncheck];
            c->fold = w->k[0];
            c->form[0] = c->form[1] = ~0ULL; /* never a token: not ASCII */
            for (size_t f = 0; f < w->nform; f++)
                c->form[f] = r->short_forms[w->form + f][0];
            s->mode = NM_LOOSE_CHECK;
            s->check = (uint16_t)ncheck++;
        }
    }
}

/* Fills r->loose2 from r->short_words (the words of 9-16 bytes), with an
 * empty slot past the table as in r->loose. */
static void loose2_build(nm_entity_rules *r)
{
    size_t nw = 0;
    for (size_t i = 0; i <= r->short_mask; i++)
        nw += r->short_words[i].len > 8;
    size_t cap = 16;
    unsigned bits = 4;
    while (cap < nw * 4)
        cap *= 2, bits++;
    r->loose2 = nm_xcalloc(cap + 1, sizeof *r->loose2);
    r->loose2_mask = cap - 1;
    r->loose2_shift = 64 - bits;
    for (size_t i = 0; i <= r->short_mask; i++) {
        const nm_ent_wslot *w = &r->short_words[i];
        if (w->len <= 8)
            continue;
        uint64_t k0 = w->k[0] | r->loose_bits[8], k1 = w->k[1] | r->loose_bits[w->len - 8];
        uint64_t h = short_hash(k0, k1);
        size_t j = h >> r->loose2_shift;
        filter_add(r->loose2_filter, h);
        while (r->loose2[j].k[0] && (r->loose2[j].k[0] != k0 || r->loose2[j].k[1] != k1))
            j = (j + 1) & r->loose2_mask;
        nm_ent_lslot2 *s = &r->loose2[j];
        if (s->k[0]) { /* two words with one loose key */
            s->done = 0;
            continue;
        }
        s->k[0] = k0;
        s->k[1] = k1;
        s->tok = w->tok;
        s->done = !w->nform && all_lower(w->k[0], 8) && all_lower(w->k[1], w->len - 8);
    }
}

void nm_ent_words_build(nm_entity_rules *r)
{
    add_words(r);
    nm_matcher_each_first(r->names, add_first, r);
    short_build(r);
    loose_build(r);
    loose2_build(r);
}

void nm_ent_words_free(nm_entity_rules *r)
{
    nm_hash_free(&r->words);
    free(r->short_words);
    r->short_words = NULL;
    free(r->loose);
    r->loose = NULL;
    free(r->loose_check);
    r->loose_check = NULL;
    free(r->loose2);
    r->loose2 = NULL;
    free(r->short_forms);
    r->short_forms = NULL;
}

/* ------------------------------------------------------------ tokens */

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

/* What token k gets when it is not a short ASCII word: its text folded as
 * nm_fold does into 128 bytes (the cue key size) looked up in r->words. */
static nm_ent_tok long_tok(const nm_entity_rules *r, const nm_doc *doc, const nm_tok *k)
{
    const char *s = doc->text + k->off;
    char key[128];
    size_t f = nm_fold(key, sizeof key, s, k->len);
    if (f == SIZE_MAX)
        return (nm_ent_tok){0, 0, NM_ET_START}; /* does not fit: let the matcher decide */
    const nm_ent_word *w = nm_hash_get(&r->words, key, f);
    if (!w)
        return (nm_ent_tok){0, 0, 0};
    return (nm_ent_tok){w->cue, 0, starts(w, s, k->len)};
}

static bool capword(const nm_tok *k)
{
    return (k->flags & NM_TOK_WORD) && (k->flags & NM_TOK_CAP) && k->len > 1;
}

bool nm_ent_capword(const nm_doc *doc, size_t t)
{
    return t < doc->ntoks && capword(&doc->toks[t]);
}

/* Marks the tokens inside figures, in one pass over the facts (in text
 * order as a rule: each search starts where the last one ended). */
static void figure_tokens(const nm_doc *doc, nm_ent_tok *tk)
{
    size_t from = 0;
    uint32_t last = 0;
    for (size_t i = 0; i < doc->nfacts; i++) {
        const nm_fact *f = &doc->facts[i];
        if (f->kind != NM_FIGURE || f->dead)
            continue;
        size_t lo = f->start >= last ? from : 0;
        if (f->sent && f->sent <= doc->nsents) { /* from its sentence on, when later */
            size_t st = doc->sents[f->sent - 1].tok;
            if (st > lo && st <= doc->ntoks && doc->toks[st - 1].off < f->start)
                lo = st;
        }
        size_t t = nm_tok_at_from(doc, lo, f->start);
        from = t;
        last = f->start;
        for (; t < doc->ntoks && doc->toks[t].off < f->end; t++)
            tk[t].flags |= NM_ET_FIGURE;
    }
}

/* nm_ent_tok as the 32-bit word it is in memory, so that the loop below
 * moves and tests it in one piece. */
_Static_assert(sizeof(nm_ent_tok) == 4, "nm_ent_tok is 4 bytes");
static inline uint32_t tok_bits(nm_ent_tok v)
{
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

/* The facts of token k that the first pass of nm_ent_tokens leaves: 2-8
 * ASCII bytes of a word that shares its loose key (the short table), one
 * to 16 ASCII bytes near the end of the text or 9-16 ASCII bytes (the
 * short table), longer or not ASCII (long_tok). */
static uint32_t other_bits(const nm_entity_rules *r, const nm_doc *doc, const nm_tok *k)
{
    size_t n = k->len;
    uint32_t v;
    uint64_t w[2];
    if (n - 1 >= NM_ENT_SHORT) {
        v = tok_bits(long_tok(r, doc, k));
    } else {
        if ((size_t)k->off + 16 <= doc->text_len)
            memcpy(w, doc->text + k->off, 16);
        else
            pack_copy(w, doc->text + k->off, n);
        w[0] &= r->short_keep[n][0];
        w[1] &= r->short_keep[n][1];
        if ((w[0] | w[1]) & NM_HIGH_BITS)
            v = tok_bits(long_tok(r, doc, k));
        else if (n == 1)
            v = tok_bits(r->byte_tok[w[0]]);
        else
            v = tok_bits(short_tok(r, w[0], w[1], n));
    }
    if (capword(k))
        v |= tok_bits((nm_ent_tok){0, 0, NM_ET_CAP});
    return v;
}

/* In the first pass of nm_ent_tokens: the facts of this token are not
 * known yet (no rule word is 0xff; a candidate until they are). */
#define LATER tok_bits((nm_ent_tok){0, 0xff, NM_ET_START})

void nm_ent_tokens(nm_ent_run *er)
{
    const nm_entity_rules *r = er->r;
    const nm_doc *doc = er->doc;
    size_t ntoks = doc->ntoks;
    /* One buffer in the document arena (no malloc and free per document):
     * the facts (ntoks + 1, 4 bytes each) then the candidates. */
    nm_ent_tok *tk = nm_arena_alloc(&er->doc->arena,
                                    (ntoks + 1) * sizeof *tk + (ntoks + 1) * sizeof *er->cand);
    uint32_t *cand = (uint32_t *)(tk + ntoks + 1);
    /* Locals: the stores into tk must not make the compiler read these
     * again for every token. */
    const nm_tok *toks = doc->toks;
    const char *text = doc->text;
    /* A token starting before lim16 can be read as two 8-byte words. */
    uint32_t lim16 = doc->text_len >= 16 ? (uint32_t)(doc->text_len - 15) : 0;
    const nm_ent_lslot *tab = r->loose;
    unsigned shift = r->loose_shift;
    const size_t none = r->loose_mask + 1; /* the empty slot past the table */
    const uint32_t cap_bit = tok_bits((nm_ent_tok){0, 0, NM_ET_CAP});
    const uint32_t cased_bit = tok_bits((nm_ent_tok){0, 0, NM_ET_CASED});
    const uint32_t cand_bits = tok_bits((nm_ent_tok){0, 0, NM_ET_START | NM_ET_CAP});
    /* First pass, with no calls (all in registers): tokens of 1-8 ASCII
     * bytes read in one word, the others marked LATER, a candidate each. */
    size_t nc = 0;
    /* The tokens from tail on start too near the end of the text to be
     * read as 16 bytes (a few a document): all LATER. */
    size_t tail = ntoks;
    while (tail > 0 && toks[tail - 1].off >= lim16)
        tail--;
    for (size_t t = 0; t < tail; t++) {
        const nm_tok *k = &toks[t];
        size_t n = k->len;
        uint32_t v = LATER;
        uint64_t w;
        if (n - 1 < 8 &&
            (memcpy(&w, text + k->off, 8), w &= r->keep8[n], !(w & NM_HIGH_BITS))) {
            if (n == 1) {
                v = tok_bits(r->byte_tok[w]);
            } else { /* the loose table (see entities.h) */
                uint64_t l = w | r->loose_bits[n];
                uint64_t h = short_hash(l, 0);
                /* The filter's no: the empty slot past the table, with
                 * no branch (the loads of the next tokens need not wait
                 * for this one's) */
                size_t i = filter_has(r->loose_filter, h) ? h >> shift : none;
                /* Taken on a collision only (rare): the word or an empty
                 * slot ends the probe. */
                while (!((tab[i].k == l) | (tab[i].k == 0)))
                    i = (i + 1) & r->loose_mask;
                const nm_ent_lslot *s = &tab[i];
                /* (an empty slot is LOOSE_DONE, with the facts {0, 0, 0}) */
                if (s->mode == NM_LOOSE_DONE) {
                    v = tok_bits(s->tok);
                } else if (s->mode == NM_LOOSE_CHECK) {
                    const nm_ent_lcheck *c = &r->loose_check[s->check];
                    v = tok_bits(s->tok);
                    if (nm_lower8(w) != c->fold)
                        v = 0; /* not the word: no other has its loose key */
                    else if (w == c->form[0] || w == c->form[1])
                        v |= cased_bit;
                }
                /* capword(): a word, capitalized, not one letter (on
                 * LATER too: its rule word stays 0xff) */
                if ((k->flags & (NM_TOK_WORD | NM_TOK_CAP)) == (NM_TOK_WORD | NM_TOK_CAP))
                    v |= cap_bit;
            }
        } else if (n - 9 < 8) { /* 9-16 bytes in two words */
            uint64_t w1;
            memcpy(&w, text + k->off, 8);
            memcpy(&w1, text + k->off + 8, 8);
            w1 &= r->short_keep[n][1];
            if (!((w | w1) & NM_HIGH_BITS)) {
                uint64_t l0 = w | r->loose_bits[8], l1 = w1 | r->loose_bits[n - 8];
                const nm_ent_lslot2 *tab2 = r->loose2;
                uint64_t h = short_hash(l0, l1);
                size_t i = filter_has(r->loose2_filter, h) ? h >> r->loose2_shift : r->loose2_mask + 1;
                while ((tab2[i].k[0] != l0 || tab2[i].k[1] != l1) && tab2[i].k[0])
                    i = (i + 1) & r->loose2_mask;
                if (!tab2[i].k[0])
                    v = 0;
                else if (tab2[i].done)
                    v = tok_bits(tab2[i].tok);
                if ((k->flags & (NM_TOK_WORD | NM_TOK_CAP)) == (NM_TOK_WORD | NM_TOK_CAP))
                    v |= cap_bit;
            }
        }
        memcpy(&tk[t], &v, sizeof v);
        if (v & cand_bits) /* about one token in six */
            cand[nc++] = (uint32_t)t;
    }
    for (size_t t = tail; t < ntoks; t++) {
        uint32_t v = LATER;
        memcpy(&tk[t], &v, sizeof v);
        cand[nc++] = (uint32_t)t;
    }
    /* Second pass, over the candidates: the facts of the LATER tokens, and
     * those that are no candidates taken out. */
    {
        size_t o = 0;
        for (size_t c = 0; c < nc; c++) {
            uint32_t t = cand[c], v;
            memcpy(&v, &tk[t], sizeof v);
            if (tk[t].word == 0xff) {
                v = other_bits(r, doc, &toks[t]);
                memcpy(&tk[t], &v, sizeof v);
            }
            cand[o] = t;
            o += (v & cand_bits) != 0;
        }
        nc = o;
    }
    tk[ntoks] = (nm_ent_tok){0, 0, 0};
    figure_tokens(doc, tk);
    er->tok = tk;
    er->cand = cand;
    er->ncand = nc;
    er->next = 0;
}
