/* events.c - the EVENT extractor: trigger scan, phrase composition, facts.
 * See events.h for the steps. */
#include "events.h"
#include "entities.h"

#include <stdlib.h>
#include <string.h>

const char nm_events_rules_text[] =
    "events 2: prefiltered trigger words; governor + object (gap <= 4 words), modifier + object,"
    " object + governor after (gap <= 3); gap patterns; bare anaphora dropped; slots: by-agent,"
    " subject, possessive, origin of a deportation, carried actor of the sentence before;"
    " relative-clause and pronoun antecedents; place: city, region, facility or area (a state"
    " acts); figures of relative clauses and predicates; periods are no dates;"
    " closest modality cue in the clause\n";

#define GAP_BEFORE 4 /* words between a governor and its object */
#define GAP_AFTER 3  /* words between an object and a governor after it */

const char *const nm_modality_names[NM_MOD_COUNT] = {"asserted", "reported", "negated", "planned",
                                                      "hypothetical"};

/* ------------------------------------------------------------ candidates
 *
 * One pass over the tokens of a document finds the candidates: tokens
 * where a trigger may start in the first scan of a sentence (they pass
 * prefilter[0] and start a surface), and words of the migration domain.
 * Over ASCII text (nearly all news) a bit test of the screen rejects almost
 * every token and one look-up in wtab decides the rest: one lower-casing
 * and one hash per token at most.  In other text the same holds for every
 * token of ASCII bytes; only tokens with other bytes take the general
 * path, with the same outcome. */

/* 16-byte vectors (GCC and Clang vector extension; SSE2 on x86-64). */
typedef uint64_t ev_v2u64 __attribute__((vector_size(16)));

/* The sentence of token t: the one its sent field names when that holds
 * it (the segmenter's tokens), else found by a search; -1 when none does. */
static inline int64_t sent_of(const nm_doc *doc, uint32_t t)
{
    uint32_t s = doc->toks[t].sent;
    if (s < doc->nsents && t >= doc->sents[s].tok && t - doc->sents[s].tok < doc->sents[s].ntok)
        return s;
    size_t lo = 0, hi = doc->nsents; /* the first sentence that ends after t */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((size_t)doc->sents[mid].tok + doc->sents[mid].ntok <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < doc->nsents && t >= doc->sents[lo].tok ? (int64_t)lo : -1;
}

/* Doubles the room for candidates: the caller's buffer first, then the heap. */
static void grow_cands(nm_ev_run *er)
{
    size_t cap = er->ccand * 2;
    nm_ev_cand *c = nm_xmalloc(cap * sizeof *c);
    memcpy(c, er->cand, er->ncand * sizeof *c);
    if (er->cand_heap)
        free(er->cand);
    er->cand = c;
    er->ccand = cap;
    er->cand_heap = true;
}

/* Appends candidate token t (within a sentence; others are no candidates). */
static inline void push_cand(nm_ev_run *er, uint32_t t, uint8_t flags, const nm_ev_first *fw)
{
    int64_t s = sent_of(er->doc, t);
    if (s < 0)
        return;
    if (er->ncand == er->ccand)
        grow_cands(er);
    er->cand[er->ncand++] = (nm_ev_cand){fw, t, (uint32_t)s, flags};
}

/* nm_keep_bytes(n) without a branch on n (the screen below asks it of
 * tokens of every length): the two shifts of 4 * c bits each make the
 * one of 64 bits that c = 8 needs. */
static inline uint64_t keep_bytes(size_t n)
{
    unsigned c = n < 8 ? (unsigned)n : 8;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return ~(~0ULL >> (4 * c) >> (4 * c));
#else
    return ((1ULL << (4 * c)) << (4 * c)) - 1;
#endif
}

/* The first eight bytes of the token at p (n bytes of text that ends at
 * lim, its NUL included), zero-padded and lower-cased as one word. */
static inline uint64_t word_head(const char *p, size_t n, const char *lim)
{
    uint64_t x = 0;
    if (lim - p >= 8)
        memcpy(&x, p, 8);
    else /* the last bytes of the text */
        memcpy(&x, p, (size_t)(lim - p));
    return nm_lower8(x & keep_bytes(n));
}

/* The entry of word table w for the token at p (n bytes, head as
 * word_head gives it), or NULL; NULL too for a token with a byte that is
 * not ASCII (the words are ASCII: a high bit of head, or a byte past the
 * eighth, differs).  Only a longer word that matches the head compares
 * the rest. */
static inline const nm_ev_wslot *word_find(const nm_ev_words *w, const char *p, size_t n,
                                           uint64_t head)
{
    for (size_t i = nm_ev_windex(w, head, n);; i = (i + 1) & (w->cap - 1)) {
        const nm_ev_wslot *s = &w->tab[i];
        if (!s->len)
            return NULL;
        if (s->head != head || s->len != n)
            continue;
        size_t k = 8;
        for (; k < n; k++) {
            char c = p[k];
            if (s->key[k] != (c >= 'A' && c <= 'Z' ? (char)(c + 32) : c))
                break;
        }
        if (k >= n)
            return s;
    }
}

/* The entry of word table w for the token at p, n bytes of text that ends
 * at lim, or NULL. */
static inline const nm_ev_wslot *word_of(const nm_ev_words *w, const char *p, size_t n,
                                         const char *lim)
{
    return n > w->max ? NULL : word_find(w, p, n, word_head(p, n, lim));
}

/* Token k of ASCII text, past the screen and the bloom bits (head as
 * word_head gives it): a candidate when wtab has it. */
static __attribute__((noinline)) void candidate_word(nm_ev_run *er, const nm_tok *k,
                                                     uint64_t head)
{
    const nm_ev_wslot *w = word_find(&er->r->wtab, er->doc->text + k->off, k->len, head);
    if (w)
        push_cand(er, (uint32_t)(k - er->doc->toks), w->flags, w->fw);
}

/* The screen over tokens [k, end), then wtab: the candidates among them
 * that are ASCII (wtab holds the same answers as the general path for
 * them, and no word of it matches a token with other bytes).
 *
 * Tokens are screened a chunk at a time, without a branch per token (a
 * branch on the screen's answer mispredicts often enough to cost more
 * than the screen): the first pass keeps the tokens that pass
 * nm_ev_screen_head (most are turned away there), the second those of
 * them that pass nm_ev_screen_tail and are words no longer than the
 * longest of wtab, the third those of them that have their bloom bit
 * (the bloom table is read for the few that get there); only those look
 * in wtab.  Each pass writes every index it reads and moves its end past
 * the kept ones only. */
enum { EV_CHUNK = 256 };
static void screen_tokens(nm_ev_run *er, const nm_tok *k, const nm_tok *end, const char *lim)
{
    const nm_event_rules *r = er->r;
    const char *text = er->doc->text;
    uint32_t at[EV_CHUNK];  /* kept tokens of the chunk, as offsets from k */
    uint64_t head[EV_CHUNK]; /* word_head of at[j] after the third pass */
    while (k < end) {
        size_t to = end - k > EV_CHUNK ? EV_CHUNK : (size_t)(end - k);
        size_t m = 0; /* (a size_t: no widening for the index) */
#pragma GCC unroll 4 /* the loop is a handful of instructions: unrolled, a third fewer */
        for (size_t i = 0; i < to; i++) {
            at[m] = (uint32_t)i;
            m += nm_ev_screen_head(r, text + k[i].off, k[i].len);
        }
        size_t n2 = 0;
        for (size_t j = 0; j < m; j++) {
            const nm_tok *t = &k[at[j]];
            size_t n = t->len;
            /* (an empty token is screened as one of one byte, so that
             * p[-1] is not read; it is no candidate either way) */
            unsigned ok = (unsigned)(n != 0) & (unsigned)(n <= r->wtab.max) &
                          (unsigned)((t->flags & NM_TOK_WORD) != 0);
            ok &= (unsigned)nm_ev_screen_tail(r, text + t->off, n + (n == 0));
            at[n2] = at[j];
            n2 += ok;
        }
        size_t n3 = 0;
        for (size_t j = 0; j < n2; j++) {
            const nm_tok *t = &k[at[j]];
            uint64_t h = word_head(text + t->off, t->len, lim), x = nm_ev_whash(h, t->len);
            uint64_t b = x >> 48;
            /* (the home slot is on its way while the rest is screened) */
            __builtin_prefetch(&r->wtab.tab[x >> r->wtab.shift]);
            at[n3] = at[j];
            head[n3] = h;
            n3 += (r->wbloom[b / 64] >> (b % 64)) & 1u;
        }
        for (size_t j = 0; j < n3; j++)
            candidate_word(er, &k[at[j]], head[j]);
        k += to;
    }
}

/* Token t of any text: the prefilter bits, then the folded first-word
 * table and the lower-cased domain table. */
static __attribute__((noinline)) void candidate_any(nm_ev_run *er, uint32_t t)
{
    const nm_doc *doc = er->doc;
    const nm_event_rules *r = er->r;
    const nm_tok *k = &doc->toks[t];
    const char *p = doc->text + k->off;
    if (!(k->flags & NM_TOK_WORD))
        return;
    uint32_t key = nm_ev_key(p, k->len);
    const nm_ev_first *fw = NULL;
    uint8_t flags = 0;
    if (r->prefilter[0][key / 64] >> (key % 64) & 1) {
        fw = nm_ev_first_of(r, p, k->len);
        flags |= fw ? NM_EVW_PRE0 : 0;
    }
    if (r->domain_pre[key / 64] >> (key % 64) & 1) {
        char low[64];
        size_t n = nm_tok_lower(doc, t, low, sizeof low);
        uintptr_t v = n ? (uintptr_t)nm_hash_get(&r->domain_first, low, n) : 0;
        flags |= (v & 1 ? NM_EVW_DOM1 : 0) | (v & 2 ? NM_EVW_DOM2 : 0);
    }
    if (flags)
        push_cand(er, t, flags, fw);
}

/* The offset of the first byte >= 0x80 in s[from, n), or n. */
static size_t next_high(const char *s, size_t from, size_t n)
{
    size_t i = from;
    for (; i + 64 <= n; i += 64) { /* the bytes OR-ed 64 at a time */
        ev_v2u64 a, b, c, d;
        memcpy(&a, s + i, 16);
        memcpy(&b, s + i + 16, 16);
        memcpy(&c, s + i + 32, 16);
        memcpy(&d, s + i + 48, 16);
        ev_v2u64 acc = (a | b) | (c | d);
        if ((acc[0] | acc[1]) & 0x8080808080808080ULL)
            break;
    }
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ULL)
            break;
    }
    for (; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return i;
    return n;
}

/* The first token of [k, end) that ends after offset o, or end (the
 * tokens are in text order and do not overlap): a search by doubling
 * steps, then halving, as the next byte that is not ASCII may be far. */
static const nm_tok *ends_after(const nm_tok *k, const nm_tok *end, size_t o)
{
    size_t lo = 0, hi = 0, step = 1, n = (size_t)(end - k);
    while (hi < n && (size_t)k[hi].off + k[hi].len <= o) {
        lo = hi + 1;
        hi += step;
        step *= 2;
    }
    if (hi > n)
        hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((size_t)k[mid].off + k[mid].len <= o)
            lo = mid + 1;
        else
            hi = mid;
    }
    return k + lo;
}

/* The candidates of the document.  What a token is depends on its own
 * bytes alone, so the tokens up to the one that holds the next byte that
 * is not ASCII (curly quotes, dashes, names; in most text, none) take the
 * screen, and that token takes the general path. */
static void candidates(nm_ev_run *er)
{
    const nm_doc *doc = er->doc;
    const char *text = doc->text, *lim = text + doc->text_len + 1;
    const nm_sent *last = &doc->sents[doc->nsents - 1];
    const nm_tok *k = doc->toks + doc->sents[0].tok, *end = doc->toks + last->tok + last->ntok;
    while (k < end) {
        size_t o = next_high(text, k->off, doc->text_len);
        const nm_tok *h = o < doc->text_len ? ends_after(k, end, o) : end;
        screen_tokens(er, k, h, lim);
        if (h == end)
            break;
        if (h->off <= o) /* h holds the byte */
            candidate_any(er, (uint32_t)(h - doc->toks));
        else /* the byte lies between tokens: h is still to do */
            h--;
        k = h + 1;
    }
}

/* ------------------------------------------------------------ scanning */

static bool ascii_bytes(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* The first scan of a sentence: trigger phrases at its candidates
 * [c0, c1) into er->trig. */
static void scan_candidates(nm_ev_run *er, size_t c0, size_t c1, size_t s1)
{
    size_t end = 0;
    er->ntrig = 0;
    er->nmemo = 0;
    for (size_t i = c0; i < c1; i++) {
        const nm_ev_cand *c = &er->cand[i];
        if (!(c->flags & NM_EVW_PRE0) || c->tok < end)
            continue;
        const nm_ev_first *fw = c->fw;
        nm_match m = {c->tok, 1, fw->single, false};
        if (fw->multi)
            nm_ev_longest(&er->r->ptrig, er->r->triggers, er->doc, c->tok, s1, &m);
        /* the second scan asks the same at this token: it reads the answer */
        nm_ev_hit memo = {c->tok, (uint32_t)m.ntok, m.val, 0};
        NM_VEC_PUSH(er->memo, er->nmemo, er->cmemo, memo);
        if (!m.val)
            continue;
        nm_ev_hit h = {c->tok, (uint32_t)m.ntok, m.val, 0};
        NM_VEC_PUSH(er->trig, er->ntrig, er->ctrig, h);
        end = c->tok + m.ntok;
    }
    /* a last entry past every token, so that the second scan needs no bound */
    nm_ev_hit stop = {UINT32_MAX, 0, NULL, 0};
    NM_VEC_PUSH(er->memo, er->nmemo, er->cmemo, stop);
}

/* The second scan, over tokens [t0, t1) of a sentence ending at s1: every
 * phrase (governors and modifiers too) into er->trig; only tokens that
 * pass prefilter[1] reach the matcher. */
static void scan_triggers(nm_ev_run *er, size_t t0, size_t t1, size_t s1)
{
    const nm_doc *doc = er->doc;
    const char *lim = doc->text + doc->text_len + 1;
    size_t end = 0, mi = 0;
    er->ntrig = 0;
    for (size_t t = t0; t < t1; t++) {
        const nm_tok *k = &doc->toks[t];
        if (t < end || !(k->flags & NM_TOK_WORD))
            continue;
        while (er->memo[mi].tok < t) /* (the last entry stops it) */
            mi++;
        nm_match m = {t, 1, NULL, false};
        if (er->memo[mi].tok == t) { /* looked up by the first scan */
            m.ntok = er->memo[mi].ntok;
            m.val = er->memo[mi].e;
        } else {
            const char *p = doc->text + k->off;
            if (!nm_ev_prefilter(er->r, 1, p, k->len))
                continue;
            /* an ASCII word: ftab1 has the answer of nm_ev_first_of */
            const nm_ev_wslot *w = word_of(&er->r->ftab1, p, k->len, lim);
            const nm_ev_first *fw = w ? w->fw : NULL;
            if (!w && !ascii_bytes(p, k->len))
                fw = nm_ev_first_of(er->r, p, k->len);
            if (!fw)
                continue;
            m.val = fw->single;
            if (fw->multi)
                nm_ev_longest(&er->r->ptrig, er->r->triggers, doc, t, s1, &m);
        }
        if (!m.val)
            continue;
        nm_ev_hit h = {(uint32_t)t, (uint32_t)m.ntok, m.val, 0};
        NM_VEC_PUSH(er->trig, er->ntrig, er->ctrig, h);
        end = t + m.ntok;
    }
}

/* Clears the cue cache of a sentence that holds a trigger: cue bits are
 * looked up when a rule first asks for them, so a sentence costs only the
 * tokens its rules look at. */
static void reset_cues(nm_ev_run *er, const nm_sent *se)
{
    nm_vec_reserve((void **)&er->cuebits, &er->ccuebits, se->ntok + 1, sizeof *er->cuebits);
    memset(er->cuebits, 0, (se->ntok + 1) * sizeof *er->cuebits);
}


/* May token t start a cue?  No, for an ASCII token without the prefilter
 * bit of a cue's first token (nm_ev_key ignores case, as folding ASCII
 * does); the matcher decides the rest. */
static bool cue_may_start(const nm_ev_run *er, const nm_tok *k)
{
    const char *p = er->doc->text + k->off;
    if (!k->len || k->len > 64)
        return true;
    uint32_t key = nm_ev_key(p, k->len);
    if (er->r->cue_pre[key / 64] >> (key % 64) & 1)
        return true;
    return !ascii_bytes(p, k->len);
}

uint32_t nm_ev_cuebits_find(const nm_ev_run *er, size_t t)
{
    uint32_t *c = &er->cuebits[t - er->s0];
    const nm_tok *k = &er->doc->toks[t];
    const char *p = er->doc->text + k->off, *lim = er->doc->text + er->doc->text_len + 1;
    nm_match m;
    *c = NM_EV_CUE_KNOWN;
    if (k->flags & NM_TOK_NUM)
        return 0;
    if (k->len - 1 < 8 && lim - p >= 8) { /* a short word: its bloom bit first */
        uint64_t head = word_head(p, k->len, lim), b = nm_ev_whash(head, k->len) >> 48;
        if (!(head & NM_HIGH_BITS)) { /* ASCII: a cue of this one word needs no more */
            if (!(er->r->pcue.w1bloom[b / 64] >> (b % 64) & 1))
                return 0;
            const nm_ev_w1 *w = nm_ev_w1_find(&er->r->pcue, p, k->len, head);
            if (!w)
                return 0;
            if (!(w->flags & (NM_EVP_PREFIX | NM_EVP_CS))) {
                if (w->val)
                    *c |= ((const nm_ev_cue *)w->val)->bits;
                return *c & ~NM_EV_CUE_KNOWN;
            }
        }
    } else if (!cue_may_start(er, k)) {
        return 0;
    }
    if (nm_ev_longest(&er->r->pcue, er->r->cues, er->doc, t, er->s1, &m))
        *c |= ((const nm_ev_cue *)m.val)->bits;
    return *c & ~NM_EV_CUE_KNOWN;
}

/* ------------------------------------------------------------ composing */

/* Tokens [a, b) may stand between two parts of a phrase: words only (a
 * possessive 's and a hyphen too), at most max of them. */
static bool gap_ok(const nm_doc *doc, size_t a, size_t b, size_t max)
{
    if (b < a || b - a > max)
        return false;
    for (size_t t = a; t < b; t++) {
        const nm_tok *k = &doc->toks[t];
        bool p = k->len == 1 && doc->text[k->off] == '-';
        bool poss = k->len == 2 && doc->text[k->off] == '\'';
        if (!(k->flags & NM_TOK_WORD) && !p && !poss)
            return false;
    }
    return true;
}

static uint32_t hit_end(const nm_ev_hit *h) { return h->tok + h->ntok; }

/* The first entry of a hit's chain of class cls, or NULL. */
static const nm_ev_entry *entry_of(const nm_ev_hit *h, int cls)
{
    for (const nm_ev_entry *e = h->e; e; e = e->next)
        if (e->cls == cls)
            return e;
    return NULL;
}

static bool is_trigger(const nm_ev_hit *h)
{
    for (const nm_ev_entry *e = h->e; e; e = e->next)
        if (e->cls <= NM_EV_OBJECT)
            return true;
    return false;
}

/* A governor before hit i (modifiers may stand between), or -1. */
static long governor_before(const nm_ev_run *er, const uint8_t *used, size_t i)
{
    uint32_t right = er->trig[i].tok;
    for (size_t j = i; j-- > 0;) {
        const nm_ev_hit *h = &er->trig[j];
        if (used[j] || !gap_ok(er->doc, hit_end(h), right, GAP_BEFORE))
            return -1;
        const nm_ev_entry *g = entry_of(h, NM_EV_GOVERNOR);
        if (g)
            return (g->at & NM_EV_BEFORE) ? (long)j : -1;
        if (!entry_of(h, NM_EV_MODIFIER))
            return -1;
        right = h->tok;
    }
    return -1;
}

/* The first token of a run of modifiers right before hit i, or the hit's. */
static uint32_t modifiers_before(const nm_ev_run *er, const uint8_t *used, size_t i)
{
    uint32_t t0 = er->trig[i].tok;
    for (size_t j = i; j-- > 0;) {
        const nm_ev_hit *h = &er->trig[j];
        if (used[j] || !entry_of(h, NM_EV_MODIFIER) || !gap_ok(er->doc, hit_end(h), t0, 2))
            break;
        t0 = h->tok;
    }
    return t0;
}

static long governor_after(const nm_ev_run *er, const uint8_t *used, size_t i)
{
    size_t j = i + 1;
    if (j >= er->ntrig || used[j])
        return -1;
    const nm_ev_hit *h = &er->trig[j];
    const nm_ev_entry *g = entry_of(h, NM_EV_GOVERNOR);
    if (!g || !(g->at & NM_EV_AFTER) ||
        !gap_ok(er->doc, hit_end(&er->trig[i]), h->tok, GAP_AFTER))
        return -1;
    return (long)j;
}

/* The entry of a chain whose pattern matches at hit h (or that has none);
 * *t1 becomes the end token of the match. */
static const nm_ev_entry *pattern_pick(nm_ev_run *er, const nm_ev_hit *h, uint32_t *t1)
{
    nm_doc *doc = er->doc;
    for (const nm_ev_entry *e = h->e; e; e = e->next) {
        if (e->cls > NM_EV_OBJECT)
            continue;
        if (e->pat < 0)
            return e;
        size_t ov[2];
        if (nm_pattern_at(&er->r->pats[e->pat], doc, doc->toks[h->tok].off, ov, 1) == 1) {
            size_t t = nm_tok_at(doc, (uint32_t)ov[1]);
            *t1 = (uint32_t)(t > h->tok + h->ntok ? t : h->tok + h->ntok);
            return e;
        }
    }
    return NULL;
}

static bool anaphor_before(const nm_ev_run *er, uint32_t t0)
{
    return t0 > er->s0 && (nm_ev_cuebits(er, t0 - 1) & NM_EVC_ANAPHOR);
}

/* Composes hit i into *ev; false when it makes no event. */
static bool compose(nm_ev_run *er, uint8_t *used, size_t i, nm_ev *ev)
{
    const nm_ev_hit *h = &er->trig[i];
    if (!is_trigger(h))
        return false;
    uint32_t t1 = hit_end(h);
    const nm_ev_entry *e = pattern_pick(er, h, &t1);
    if (!e)
        return false;
    *ev = (nm_ev){h->tok, t1, h->tok, e, e->pat >= 0 ? "events.pattern" : "events.word", 0, -1};
    long g = governor_before(er, used, i);
    if (g < 0 && (g = governor_after(er, used, i)) >= 0) {
        ev->t1 = hit_end(&er->trig[g]);
        ev->rule = "events.after";
    } else if (g >= 0) {
        if (entry_of(&er->trig[g], NM_EV_GOVERNOR)->join)
            ev->t0 = er->trig[g].tok;
        ev->rule = "events.governed";
    } else {
        ev->t0 = modifiers_before(er, used, i);
        if (ev->t0 != h->tok)
            ev->rule = "events.modified";
        else if (e->cls == NM_EV_OBJECT || anaphor_before(er, h->tok))
            return false;
    }
    if (g >= 0) {
        const nm_ev_entry *ge = entry_of(&er->trig[g], NM_EV_GOVERNOR);
        used[g] = 1;
        if (ge->type)
            ev->e = ge;
        ev->modality = ge->modality;
    }
    used[i] = 1;
    return true;
}

/* ------------------------------------------------------------ facts */

static nm_ev_sref *sorted_facts(const nm_doc *doc, nm_kind k, size_t *n);

/* The facts of sentence s for the slot rules, gathered at its first event
 * (a sentence with trigger words may make none). */
static void sentence_facts(nm_ev_run *er, uint32_t s)
{
    if (er->sf_sent == s + 1)
        return;
    if (!er->sorted[0]) /* the fact lists, at the first event that needs them */
        for (int k = 0; k < 3; k++)
            er->sorted[k] = sorted_facts(er->doc, (nm_kind)k, &er->nsorted[k]);
    if (!er->claimed)
        er->claimed = nm_xcalloc(er->doc->nfacts + 1, 1);
    nm_ev_sentence_facts(er, s);
    er->sf_sent = s + 1;
}

static void emit(nm_ev_run *er, uint32_t s, nm_ev *ev)
{
    nm_doc *doc = er->doc;
    uint32_t start = doc->toks[ev->t0].off;
    uint32_t end = doc->toks[ev->t1 - 1].off + doc->toks[ev->t1 - 1].len;
    /* no event of the document ends after start: none overlaps */
    if (start < er->ev_end && nm_fact_overlap(doc, NM_EVENT, start, end) >= 0)
        return;
    int32_t f = nm_fact_add(doc, NM_EVENT, ev->e->type, start, end, ev->rule);
    if (end > er->ev_end)
        er->ev_end = end;
    ev->fact = f;
    er->cur = f;
    if (ev->e->cameo)
        nm_fact_attr(doc, f, "cameo", ev->e->cameo);
    if (ev->e->plover)
        nm_fact_attr(doc, f, "plover", ev->e->plover);
    if (ev->e->mode)
        nm_fact_attr(doc, f, "plover-mode", ev->e->mode);
    uint8_t m = ev->modality ? ev->modality : nm_ev_modality(er, s, ev);
    if (m != NM_MOD_ASSERTED)
        nm_fact_attr_lit(doc, f, "modality", nm_modality_names[m]); /* static */
    sentence_facts(er, s);
    nm_ev_slots(er, s, ev);
}

/* A link in a list of headlines ("- Russia Lifts Ban on ..."): a bullet,
 * then words in Title Case only.  Such boilerplate holds no events. */
static bool headline_item(const nm_doc *doc, const nm_sent *se)
{
    const nm_tok *k = &doc->toks[se->tok];
    if (se->ntok < 3 || k->len != 1 || (doc->text[k->off] != '-' && doc->text[k->off] != '*'))
        return false;
    for (size_t t = se->tok + 1; t < (size_t)se->tok + se->ntok; t++) {
        const nm_tok *w = &doc->toks[t];
        if ((w->flags & NM_TOK_WORD) && w->len >= 4 && !(w->flags & NM_TOK_CAP))
            return false;
    }
    return true;
}

/* Migration-policy events only: an event counts where its sentence (its
 * trigger included) has a cue of the migration domain (migrants, visa,
 * deportation, citizenship ...), or the whole document has two.  So talks,
 * bills and quotas of business news are no events, in a feed that mixes
 * them with migration news. */
#define DOMAIN_DOC_CUES 2

/* Is candidate c a word of the domain?  Decided once per candidate: its
 * wtab bits, and the cue matcher only for the first word of a longer cue
 * ("entry" of "entry ban"). */
static bool domain_word(const nm_ev_run *er, nm_ev_cand *c)
{
    if (!(c->flags & NM_EVW_DOMAIN_KNOWN)) {
        bool yes = c->flags & NM_EVW_DOM1;
        if (!yes && (c->flags & NM_EVW_DOM2)) {
            const nm_sent *se = &er->doc->sents[c->sent];
            nm_match m;
            yes = nm_ev_longest(&er->r->pcue, er->r->cues, er->doc, c->tok,
                                (size_t)se->tok + se->ntok, &m) &&
                  (((const nm_ev_cue *)m.val)->bits & NM_EVC_DOMAIN);
        }
        c->flags |= NM_EVW_DOMAIN_KNOWN | (yes ? NM_EVW_DOMAIN : 0);
    }
    return c->flags & NM_EVW_DOMAIN;
}

/* Does the sentence of candidates [c0, c1) hold a word of the domain?
 * The whole cues first: they need no look-up. */
static bool domain_sentence(nm_ev_run *er, size_t c0, size_t c1)
{
    for (size_t i = c0; i < c1; i++)
        if (er->cand[i].flags & (NM_EVW_DOM1 | NM_EVW_DOMAIN))
            return true;
    for (size_t i = c0; i < c1; i++)
        if (domain_word(er, &er->cand[i]))
            return true;
    return false;
}

/* Does the document hold DOMAIN_DOC_CUES words of the domain?  The whole
 * cues are counted first, as above. */
static bool domain_document(nm_ev_run *er)
{
    if (er->domain_doc >= 0)
        return er->domain_doc;
    int hits = 0;
    for (size_t i = 0; i < er->ncand && hits < DOMAIN_DOC_CUES; i++)
        hits += (er->cand[i].flags & (NM_EVW_DOM1 | NM_EVW_DOMAIN)) != 0;
    for (size_t i = 0; i < er->ncand && hits < DOMAIN_DOC_CUES; i++)
        if (!(er->cand[i].flags & (NM_EVW_DOM1 | NM_EVW_DOMAIN)))
            hits += domain_word(er, &er->cand[i]);
    er->domain_doc = hits >= DOMAIN_DOC_CUES;
    return er->domain_doc;
}

static bool any_trigger(const nm_ev_run *er)
{
    for (size_t i = 0; i < er->ntrig; i++)
        if (is_trigger(&er->trig[i]))
            return true;
    return false;
}

/* Sentence s, whose candidates are [c0, c1).  The tests that can dismiss
 * it come first, cheapest first: the domain gate, then the first scan. */
static void sentence(nm_ev_run *er, uint32_t s, size_t c0, size_t c1)
{
    const nm_sent *se = &er->doc->sents[s];
    size_t s0 = se->tok, s1 = s0 + se->ntok;
    if (!domain_sentence(er, c0, c1) && !domain_document(er))
        return;
    scan_candidates(er, c0, c1, s1); /* event words first: most sentences have none */
    if (!any_trigger(er) || headline_item(er->doc, se))
        return;
    /* then every phrase, in reach of the event words: governors and
     * modifiers stand at most GAP_BEFORE + 2 words before, GAP_AFTER + 2 after */
    size_t a = er->trig[0].tok, b = hit_end(&er->trig[er->ntrig - 1]);
    a = a > s0 + GAP_BEFORE + 2 ? a - GAP_BEFORE - 2 : s0;
    b = b + GAP_AFTER + 2 < s1 ? b + GAP_AFTER + 2 : s1;
    scan_triggers(er, a, b, s1);
    er->s0 = s0;
    er->s1 = s1;
    reset_cues(er, se);
    nm_vec_reserve((void **)&er->used, &er->cused, er->ntrig, 1);
    memset(er->used, 0, er->ntrig);
    for (size_t i = 0; i < er->ntrig; i++) {
        nm_ev ev;
        if (!er->used[i] && compose(er, er->used, i, &ev))
            emit(er, s, &ev);
    }
}

#define LOCAL_CANDS 256 /* candidates of a document before the heap is used */

nm_status nm_events_run(nm_doc *doc, const nm_ctx *ctx)
{
    if (!ctx->events || !doc->nsents)
        return NM_OK;
    nm_ev_run er;
    nm_ev_cand local[LOCAL_CANDS];
    memset(&er, 0, sizeof er);
    er.doc = doc;
    er.r = ctx->events;
    er.names = ctx->entities ? ctx->entities->names : NULL;
    er.prev_actor = -1;
    er.domain_doc = -1;
    er.cand = local;
    er.ccand = LOCAL_CANDS;
    for (size_t i = 0; i < doc->nby[NM_EVENT]; i++) /* (made before this run: none, as a rule) */
        if (doc->facts[doc->by_kind[NM_EVENT][i]].end > er.ev_end)
            er.ev_end = doc->facts[doc->by_kind[NM_EVENT][i]].end;
    candidates(&er);
    /* the sentences with a candidate that may start a trigger, in order */
    for (size_t i = 0; i < er.ncand;) {
        size_t j = i;
        bool pre0 = false;
        for (; j < er.ncand && er.cand[j].sent == er.cand[i].sent; j++)
            pre0 |= er.cand[j].flags & NM_EVW_PRE0;
        if (pre0)
            sentence(&er, er.cand[i].sent, i, j);
        i = j;
    }
    if (er.cand_heap)
        free(er.cand);
    free(er.memo); /* (a first scan may have run where no trigger was found) */
    if (er.trig) { /* the rest exists only where a sentence got this far */
        free(er.trig);
        free(er.cuebits);
        free(er.used);
        free(er.claimed);
        for (int k = 0; k < 3; k++) {
            free(er.sorted[k]);
            free(er.sf.x[k]);
        }
    }
    return NM_OK;
}

static int pos_cmp(const void *a, const void *b)
{
    const nm_ev_sref *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->f - y->f;
}

/* The live facts of kind k by start offset (the kind index is sorted
 * unless an extractor added out of order). */
static nm_ev_sref *sorted_facts(const nm_doc *doc, nm_kind k, size_t *n)
{
    nm_ev_sref *p = nm_xmalloc((doc->nby[k] + 1) * sizeof *p);
    size_t m = 0;
    for (size_t i = 0; i < doc->nby[k]; i++) {
        int32_t x = doc->by_kind[k][i];
        if (!doc->facts[x].dead)
            p[m++] = (nm_ev_sref){doc->facts[x].start, x};
    }
    if (m && doc->unsorted[k])
        qsort(p, m, sizeof *p, pos_cmp);
    *n = m;
    return p;
}
