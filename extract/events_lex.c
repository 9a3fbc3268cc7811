/* events_lex.c - loading the TRIGGER and EVENTCUE lists (lexicons/events/).
 *
 * Every surface goes into a phrase matcher; entries that share a surface
 * are chained, so that one word can start several patterns.  The first
 * word of every surface sets a bit in a prefilter table, which the run
 * consults once per token before it asks a matcher anything.
 */
#include "events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ev_types[] = {
    "DEPORTATION", "ENTRY_BAN", "WORK_AUTHORIZATION", "QUOTA", "VISA_POLICY",
    "LEGISLATION", "ENFORCEMENT", "CITIZENSHIP", "REGISTRATION", "RESTRICTION",
    "PROGRAM", "DIPLOMACY", "RECRUITMENT"};

/* The static name of event type t and its NM_EVT_* (0 and NULL: none). */
static const char *ev_type(const char *t, uint8_t *tid)
{
    for (size_t i = 0; i < sizeof ev_types / sizeof ev_types[0]; i++)
        if (strcmp(ev_types[i], t) == 0) {
            *tid = (uint8_t)(i + 1);
            return ev_types[i];
        }
    *tid = NM_EVT_NONE;
    return NULL;
}

static uint64_t fhash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h ? h : 1;
}

const nm_ev_first *nm_ev_first_of(const nm_event_rules *r, const char *s, size_t n)
{
    char key[64];
    size_t k;
    uint64_t h = 1469598103934665603ULL;
    for (k = 0; k < n && k < sizeof key; k++) { /* ASCII lower case and hash in one pass */
        unsigned char c = (unsigned char)s[k];
        if (c >= 0x80)
            break;
        key[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        h = (h ^ (unsigned char)key[k]) * 1099511628211ULL;
    }
    if (k < n) { /* not ASCII or long: the full folding */
        k = nm_fold(key, sizeof key, s, n);
        if (k == SIZE_MAX)
            return NULL;
        h = fhash(key, k);
    }
    h = h ? h : 1;
    for (size_t i = h & (r->fcap - 1);; i = (i + 1) & (r->fcap - 1)) {
        const nm_ev_fslot *f = &r->ftab[i];
        if (!f->h)
            return NULL;
        if (f->h == h && f->len == k && memcmp(f->key, key, k) == 0)
            return f->v;
    }
}

/* Copies the first-word map into a flat table, half empty. */
static void build_ftab(nm_event_rules *r)
{
    r->fcap = 16;
    while (r->fcap < r->first.n * 2 + 2)
        r->fcap *= 2;
    r->ftab = nm_xcalloc(r->fcap, sizeof *r->ftab);
    for (size_t i = 0; i < r->first.cap; i++) {
        const nm_hash_slot *s = &r->first.slots[i];
        if (!s->key)
            continue;
        uint64_t h = fhash(s->key, s->len);
        size_t j = h & (r->fcap - 1);
        while (r->ftab[j].h)
            j = (j + 1) & (r->fcap - 1);
        r->ftab[j] = (nm_ev_fslot){h, s->key, s->len, s->val};
    }
}

/* ------------------------------------------------------------ phrase tables
 *
 * nm_matcher_longest costs some hundreds of instructions a call, and the
 * run asks it at every candidate of a longer trigger and at every token
 * whose cue bits a rule reads.  Over ASCII tokens the same answer comes
 * from a copy of the matcher's keys (nm_ev_phrases): the first token is
 * looked up in a table of first words (w1), which answers alone for most
 * tokens (no key starts there, or a key of that one word); else the key
 * of the tokens read so far is built eight bytes at a time as the matcher
 * builds it (one space where white space lies between two tokens, the
 * text lower-cased for the folded keys), hashed, and extended while it is
 * a known prefix.  A token that is not ASCII hands the whole question to
 * the matcher.  tests/unit/test_events.c checks both give one answer. */

/* The hash of key[0, n) in table, eight bytes at a time: key must be
 * readable up to the next multiple of eight (EVP_PAD bytes past n); the
 * bytes past n do not count. */
#define EVP_PAD 8
static inline uint64_t evp_hash(const char *key, size_t n, int table)
{
    uint64_t h = nm_hash_words((n * 2 + (uint64_t)table + 1) * 0x9E3779B97F4A7C15ULL, key, n);
    if (n % 8)
        h ^= h >> 32; /* the last, partial word folded as the whole ones */
    return h ? h : 1;
}

/* The slot of key[0, n) (hash h) in table, or the empty slot where it
 * would go. */
static inline nm_ev_pslot *evp_find(const nm_ev_phrases *p, uint64_t h, int table,
                                    const char *key, size_t n)
{
    for (size_t i = (size_t)((h * 0x9E3779B97F4A7C15ULL) >> p->shift);; i = (i + 1) & (p->cap - 1)) {
        nm_ev_pslot *s = &p->slots[i];
        if (!s->h)
            return s;
        if (s->h == h && s->len == n && s->table == table) {
            /* eight bytes at a time: key and the pool are readable past n */
            const char *k = p->pool + s->key;
            size_t j = 0;
            uint64_t a, b;
            for (; j + 8 <= n; j += 8) {
                memcpy(&a, k + j, 8);
                memcpy(&b, key + j, 8);
                if (a != b)
                    break;
            }
            if (j + 8 > n) {
                if (j == n)
                    return s;
                memcpy(&a, k + j, 8);
                memcpy(&b, key + j, 8);
                if (!((a ^ b) & nm_keep_bytes(n - j)))
                    return s;
            }
        }
    }
}

static void evp_grow(nm_ev_phrases *p)
{
    nm_ev_phrases old = *p;
    p->cap = old.cap ? old.cap * 2 : 256;
    p->shift = old.cap ? old.shift - 1 : 64 - 8;
    p->slots = nm_xcalloc(p->cap, sizeof *p->slots);
    for (size_t i = 0; i < old.cap; i++) {
        const nm_ev_pslot *s = &old.slots[i];
        if (!s->h)
            continue;
        size_t j = (size_t)((s->h * 0x9E3779B97F4A7C15ULL) >> p->shift);
        while (p->slots[j].h)
            j = (j + 1) & (p->cap - 1);
        p->slots[j] = *s;
    }
    free(old.slots);
}

/* The slot of key[0, n) in table, made when missing.  A key without a
 * space may be the text of a first token: its screen bit is set. */
static nm_ev_pslot *evp_put(nm_ev_phrases *p, int table, const char *key, size_t n)
{
    if ((p->n + 1) * 2 > p->cap)
        evp_grow(p);
    char pad[NM_MATCH_MAXKEY + EVP_PAD] = {0};
    memcpy(pad, key, n);
    uint64_t h = evp_hash(pad, n, table);
    nm_ev_pslot *s = evp_find(p, h, table, pad, n);
    if (!s->h) { /* (8 bytes more: evp_find reads a key by words) */
        nm_vec_reserve((void **)&p->pool, &p->cpool, p->npool + n + 8, 1);
        memcpy(p->pool + p->npool, key, n);
        *s = (nm_ev_pslot){h, NULL, (uint32_t)p->npool, (uint16_t)n, 0, (uint8_t)table};
        p->npool += n;
        p->n++;
    }
    return s;
}

/* Adds what nm_matcher_add(m, surface, icase, val) adds to a matcher. */
static void evp_add(nm_ev_phrases *p, const char *surface, bool icase, const void *val)
{
    char key[NM_MATCH_MAXKEY + 1];
    size_t k = nm_matcher_key(key, surface, icase);
    if (k == SIZE_MAX || k == 0)
        return;
    int table = icase ? 1 : 0;
    for (size_t i = 1; i < k; i++)
        if (nm_matcher_boundary(key, i))
            evp_put(p, table, key, i)->flags |= NM_EVP_PREFIX;
    nm_ev_pslot *s = evp_put(p, table, key, k);
    s->flags |= NM_EVP_FULL;
    s->val = val;
}

static void evp_free(nm_ev_phrases *p)
{
    free(p->slots);
    free(p->pool);
    free(p->w1);
}

/* The home slot in w1 of a word with that head and length. */
static inline size_t evp_w1index(const nm_ev_phrases *p, uint64_t head, size_t n)
{
    return (size_t)(nm_ev_whash(head, n) >> p->w1shift);
}

/* Builds w1 from the keys, once they are all added: every key and prefix
 * without a space whose bytes are ASCII (a token of ASCII text matches no
 * other), lower-cased. */
static void evp_done(nm_ev_phrases *p)
{
    p->w1cap = 16;
    p->w1shift = 64 - 4;
    while (p->w1cap < p->n * 2 + 2) {
        p->w1cap *= 2;
        p->w1shift--;
    }
    p->w1 = nm_xcalloc(p->w1cap, sizeof *p->w1);
    /* room for every word now, so that the pool does not move below */
    nm_vec_reserve((void **)&p->pool, &p->cpool, p->npool * 2 + 1, 1);
    for (size_t i = 0; i < p->cap; i++) {
        const nm_ev_pslot *s = &p->slots[i];
        const char *key = p->pool + s->key;
        if (!s->h || memchr(key, ' ', s->len))
            continue;
        size_t n = s->len, j = 0;
        char low[NM_MATCH_MAXKEY];
        for (; j < n && (unsigned char)key[j] < 0x80; j++)
            low[j] = (char)(key[j] >= 'A' && key[j] <= 'Z' ? key[j] + 32 : key[j]);
        if (j < n)
            continue;
        uint64_t head = 0;
        memcpy(&head, low, n < 8 ? n : 8);
        size_t k = evp_w1index(p, head, n);
        while (p->w1[k].len && !(p->w1[k].len == n && memcmp(p->w1[k].key, low, n) == 0))
            k = (k + 1) & (p->w1cap - 1);
        nm_ev_w1 *w = &p->w1[k];
        if (!w->len) {
            memcpy(p->pool + p->npool, low, n);
            *w = (nm_ev_w1){head, p->pool + p->npool, NULL, (uint16_t)n, 0, {0, 0}};
            p->npool += n;
            uint64_t b = nm_ev_whash(head, n) >> 48;
            p->w1bloom[b / 64] |= 1ULL << (b % 64);
            if (n > p->w1max)
                p->w1max = n;
        }
        if (s->table == 0)
            w->flags |= NM_EVP_CS;
        else if (s->flags & NM_EVP_PREFIX)
            w->flags |= NM_EVP_PREFIX;
        if (s->table == 1 && (s->flags & NM_EVP_FULL))
            w->val = s->val;
    }
    /* how the folded keys go on after each first word: every prefix of a
     * whole key without a space (wherever the tokens of a text may cut
     * it), and the byte after it */
    for (size_t i = 0; i < p->cap; i++) {
        const nm_ev_pslot *s = &p->slots[i];
        if (!s->h || s->table != 1 || !(s->flags & NM_EVP_FULL))
            continue;
        const char *key = p->pool + s->key;
        for (size_t j = 1; j < s->len && key[j - 1] != ' '; j++) {
            uint64_t head = 0;
            memcpy(&head, key, j < 8 ? j : 8);
            nm_ev_w1 *w = (nm_ev_w1 *)nm_ev_w1_find(p, key, j, head);
            if (!w)
                continue;
            bool gap = key[j] == ' ';
            unsigned char b = (unsigned char)key[j + gap];
            w->next[gap] |= 1ULL << (b % 64);
        }
    }
}

/* May a folded key go on from first word w at token t to token t + 1
 * (before limit)?  No, where that token is ASCII and its first byte (its
 * lower case) is none a key has there. */
static inline bool evp_next_may(const nm_doc *doc, size_t t, size_t limit, const nm_ev_w1 *w)
{
    if (t + 1 >= limit)
        return false;
    const nm_tok *a = &doc->toks[t], *b = &doc->toks[t + 1];
    unsigned char c = (unsigned char)doc->text[b->off];
    if (c >= 0x80 || !b->len)
        return true; /* (the scan tells) */
    c = c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
    return w->next[a->off + a->len < b->off] >> (c % 64) & 1;
}

/* The 8 bytes at p, of which avail can be read (the rest: 0). */
static inline uint64_t evp_load8(const unsigned char *p, size_t avail)
{
    uint64_t w;
    if (avail >= 8) {
        memcpy(&w, p, 8);
    } else { /* the last bytes of the text */
        unsigned char b[8] = {0};
        for (size_t i = 0; i < avail; i++)
            b[i] = p[i];
        memcpy(&w, b, 8);
    }
    return w;
}

/* The matcher's scan of one table (0 case-sensitive, 1 folded) from token
 * k on, where key[0, n) is the key of tokens [t, k) (k > t: a known
 * prefix): extends the key a token at a time while it is a prefix and
 * keeps the longest key found that is longer than best tokens in *found.
 * Returns the new best, or SIZE_MAX at a token that is not ASCII (the
 * matcher must answer).  key has room for NM_MATCH_MAXKEY + 1 + 16 bytes. */
static size_t evp_scan(const nm_ev_phrases *p, int table, const nm_doc *doc, size_t t, size_t k,
                       size_t limit, char *key, size_t n, size_t best, nm_match *found)
{
    const unsigned char *text = (const unsigned char *)doc->text;
    size_t tlen = doc->text_len + 1; /* the NUL at the end may be read */
    for (; k < limit; k++) {
        const nm_tok *tk = &doc->toks[k];
        const unsigned char *s = text + tk->off;
        if (k > t && doc->toks[k - 1].off + doc->toks[k - 1].len < tk->off) {
            if (n + 1 > NM_MATCH_MAXKEY)
                break;
            key[n++] = ' ';
        }
        if (n + tk->len > NM_MATCH_MAXKEY) { /* too long, unless folding shortens it */
            for (size_t i = 0; i < tk->len; i++)
                if (table == 1 && s[i] >= 0x80)
                    return SIZE_MAX;
            break;
        }
        /* the token's bytes, eight at a time (lower-cased for the folded table) */
        uint64_t high = 0;
        for (size_t i = 0; i < tk->len; i += 8) {
            uint64_t w = evp_load8(s + i, tlen - tk->off - i) & nm_keep_bytes(tk->len - i);
            high |= w;
            if (table)
                w = nm_lower8(w);
            memcpy(key + n + i, &w, 8);
        }
        if (high & NM_HIGH_BITS) /* not ASCII: the matcher folds it */
            return SIZE_MAX;
        n += tk->len;
        const nm_ev_pslot *sl = evp_find(p, evp_hash(key, n, table), table, key, n);
        if (!sl->h)
            break;
        if ((sl->flags & NM_EVP_FULL) && k + 1 - t > best) {
            best = k + 1 - t;
            *found = (nm_match){t, best, sl->val, table == 1};
        }
        if (!(sl->flags & NM_EVP_PREFIX))
            break;
    }
    return best;
}

const nm_ev_w1 *nm_ev_w1_find(const nm_ev_phrases *p, const char *s, size_t len, uint64_t head)
{
    if (len > p->w1max)
        return NULL;
    for (size_t i = evp_w1index(p, head, len);; i = (i + 1) & (p->w1cap - 1)) {
        const nm_ev_w1 *w = &p->w1[i];
        if (!w->len)
            return NULL;
        if (w->head != head || w->len != len)
            continue;
        size_t k = 8;
        for (; k < len; k++) {
            unsigned char c = (unsigned char)s[k];
            if ((unsigned char)w->key[k] != (c >= 'A' && c <= 'Z' ? c + 32 : c))
                break;
        }
        if (k >= len)
            return w;
    }
}

size_t nm_ev_longest(const nm_ev_phrases *p, const nm_matcher *m, const nm_doc *doc, size_t t,
                     size_t limit, nm_match *out)
{
    if (t >= limit)
        return 0;
    const unsigned char *text = (const unsigned char *)doc->text;
    size_t tlen = doc->text_len + 1; /* the NUL at the end may be read */
    /* the first token: a word of w1, else no key starts there */
    const nm_tok *first = &doc->toks[t];
    size_t len = first->len;
    if (!len)
        return 0; /* (no key is empty) */
    if (len > 8) {
        for (size_t i = 0; i < len; i++)
            if (text[first->off + i] >= 0x80)
                return nm_matcher_longest(m, doc, t, limit, out);
    }
    uint64_t w0 = evp_load8(text + first->off, tlen - first->off) & nm_keep_bytes(len);
    if (w0 & NM_HIGH_BITS)
        return nm_matcher_longest(m, doc, t, limit, out);
    if (len > p->w1max)
        return 0;
    w0 = nm_lower8(w0);
    const nm_ev_w1 *w;
    for (size_t i = evp_w1index(p, w0, len);; i = (i + 1) & (p->w1cap - 1)) {
        w = &p->w1[i];
        if (!w->len)
            return 0;
        if (w->head != w0 || w->len != len)
            continue;
        size_t k = 8;
        for (; k < len; k++) {
            unsigned char c = text[first->off + k];
            if ((unsigned char)w->key[k] != (c >= 'A' && c <= 'Z' ? c + 32 : c))
                break;
        }
        if (k >= len)
            break;
    }
    if (!(w->flags & (NM_EVP_PREFIX | NM_EVP_CS))) { /* a key of one word, or none */
        if (!w->val)
            return 0;
        *out = (nm_match){t, 1, w->val, true};
        return 1;
    }
    /* a key may go on, or be case-sensitive: the matcher's scans, the
     * case-sensitive table first (a folded key must be longer) */
    char key[NM_MATCH_MAXKEY + 1 + 16];
    size_t best = 0;
    nm_match found = {0, 0, NULL, false};
    if (w->flags & NM_EVP_CS) {
        best = evp_scan(p, 0, doc, t, t, limit, key, 0, 0, &found);
        if (best == SIZE_MAX)
            return nm_matcher_longest(m, doc, t, limit, out);
    }
    if (w->val && best < 1) { /* the folded scan's first step is w */
        best = 1;
        found = (nm_match){t, 1, w->val, true};
    }
    if ((w->flags & NM_EVP_PREFIX) && evp_next_may(doc, t, limit, w)) {
        memcpy(key, w->key, len);
        best = evp_scan(p, 1, doc, t, t + 1, limit, key, len, best, &found);
        if (best == SIZE_MAX)
            return nm_matcher_longest(m, doc, t, limit, out);
    }
    if (best)
        *out = found;
    return best;
}

/* ------------------------------------------------------------ the screen */

/* The first pass over a document looks at every token, so it must be
 * cheap.  Over ASCII text a token folds to its ASCII lower case, so what it
 * is to that pass depends on its lower-cased text alone: wtab maps that
 * text to the first-word entry (where the word passes prefilter[0], the
 * test the first scan makes) and to the domain bits of domain_first; its
 * slots are found by the first eight bytes of a word and its length.  The
 * screen (first two bytes, last byte and length of a word, see
 * nm_ev_screen) rejects almost every other token before any lower-casing
 * or hashing. */

static bool ascii_word(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return n > 0;
}

/* The slot of lower-case ASCII word key in table w, made when missing. */
static nm_ev_wslot *wslot_of(nm_ev_words *w, const char *key, size_t n)
{
    uint64_t head = 0;
    memcpy(&head, key, n < 8 ? n : 8);
    size_t i = nm_ev_windex(w, head, n);
    for (; w->tab[i].len; i = (i + 1) & (w->cap - 1))
        if (w->tab[i].len == n && memcmp(w->tab[i].key, key, n) == 0)
            return &w->tab[i];
    w->tab[i] = (nm_ev_wslot){head, key, n, NULL, 0};
    if (n > w->max)
        w->max = n;
    return &w->tab[i];
}

/* An empty word table with room for n words (half full at most). */
static void words_init(nm_ev_words *w, size_t n)
{
    w->cap = 16;
    w->shift = 64 - 4;
    while (w->cap < n * 2 + 2) {
        w->cap *= 2;
        w->shift--;
    }
    w->tab = nm_xcalloc(w->cap, sizeof *w->tab);
    w->max = 0;
}

/* Sets the screen for word w (see nm_ev_screen; after a word of one byte
 * any byte may follow). */
static void screen_word(nm_event_rules *r, const char *w, size_t n)
{
    uint32_t bit = 1u << (n & 15), b0 = (unsigned char)w[0] & 0x1Fu;
    uint32_t b1 = (unsigned char)w[n > 1] & 0x1Fu, last = (unsigned char)w[n - 1] & 0x1Fu;
    for (uint32_t b = 0; b < 32; b++)
        if (n == 1 || b == b1)
            r->screen_head[nm_ev_head_index(b0 | b << 8)] |= (uint16_t)bit;
    r->screen_tail[b0 | last << 5] |= (uint16_t)bit;
}

static void build_screen(nm_event_rules *r)
{
    words_init(&r->wtab, r->first.n + r->domain_first.n);
    words_init(&r->ftab1, r->first.n);
    for (size_t i = 0; i < r->first.cap; i++) {
        const nm_hash_slot *s = &r->first.slots[i];
        uint32_t k = s->key ? nm_ev_key(s->key, s->len) : 0;
        if (!s->key || !ascii_word(s->key, s->len))
            continue;
        if (r->prefilter[1][k / 64] >> (k % 64) & 1)
            wslot_of(&r->ftab1, s->key, s->len)->fw = s->val;
        if (!(r->prefilter[0][k / 64] >> (k % 64) & 1))
            continue;
        nm_ev_wslot *w = wslot_of(&r->wtab, s->key, s->len);
        w->fw = s->val;
        w->flags |= NM_EVW_PRE0;
    }
    for (size_t i = 0; i < r->domain_first.cap; i++) {
        const nm_hash_slot *s = &r->domain_first.slots[i];
        if (!s->key || !ascii_word(s->key, s->len))
            continue;
        uintptr_t v = (uintptr_t)s->val;
        wslot_of(&r->wtab, s->key, s->len)->flags |=
            (v & 1 ? NM_EVW_DOM1 : 0) | (v & 2 ? NM_EVW_DOM2 : 0);
    }
    for (size_t i = 0; i < r->wtab.cap; i++) {
        const nm_ev_wslot *w = &r->wtab.tab[i];
        if (!w->len)
            continue;
        screen_word(r, w->key, w->len);
        uint64_t b = nm_ev_whash(w->head, w->len) >> 48;
        r->wbloom[b / 64] |= 1ULL << (b % 64);
    }
}

/* Length of the first word of a surface, as the tokenizer cuts it:
 * letters and digits, an apostrophe inside a word. */
static size_t first_word(const char *s)
{
    size_t i = 0;
    for (;; i++) {
        unsigned char c = (unsigned char)s[i];
        bool w = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c >= 0x80;
        if (w)
            continue;
        if (c == '\'' && i > 0 && s[i + 1] && s[i + 1] != ' ' && s[i + 1] != 's')
            continue;
        return i ? i : 1;
    }
}

/* Sets the prefilter bit of the surface's first word and records what
 * starts there. */
static void mark_first(nm_event_rules *r, const nm_lex_entry *e, const nm_ev_entry *head)
{
    const char *surface = e->surface;
    size_t n = first_word(surface);
    uint32_t k = nm_ev_key(surface, n);
    r->prefilter[1][k / 64] |= 1ULL << (k % 64);
    if (head->cls <= NM_EV_OBJECT || head->cls == NM_EV_NONE || head->next)
        r->prefilter[0][k / 64] |= 1ULL << (k % 64);
    char key[64];
    size_t kn = nm_fold(key, sizeof key, surface, n);
    if (kn == SIZE_MAX)
        return;
    void **slot = nm_hash_slot_of(&r->first, nm_arena_strndup(&r->arena, key, kn), kn);
    nm_ev_first *f = *slot;
    if (!f) {
        f = nm_arena_alloc(&r->arena, sizeof *f);
        f->single = NULL;
        f->multi = false;
        *slot = f;
    }
    if (surface[n] || !e->icase)
        f->multi = true;
    else
        f->single = head;
}

/* ------------------------------------------------------------ triggers */

typedef struct load {
    nm_ctx *ctx;
    nm_event_rules *r;
} load;

static int class_of(const char *c)
{
    static const char *const names[] = {"event", "object", "governor", "modifier", "none"};
    if (!c)
        return NM_EV_EVENT;
    for (int i = 0; i < 5; i++)
        if (strcmp(names[i], c) == 0)
            return i;
    return -1;
}

static int modality_of(const char *m)
{
    if (!m)
        return NM_MOD_ASSERTED;
    for (int i = 0; i < NM_MOD_COUNT; i++)
        if (strcmp(nm_modality_names[i], m) == 0)
            return i;
    return -1;
}

static uint8_t at_of(const char *a)
{
    if (!a || strcmp(a, "before") == 0)
        return NM_EV_BEFORE;
    if (strcmp(a, "after") == 0)
        return NM_EV_AFTER;
    if (strcmp(a, "both") == 0)
        return NM_EV_BEFORE | NM_EV_AFTER;
    return 0;
}

static int32_t add_pattern(load *ld, const nm_lex_list *l, const nm_lex_entry *e, const char *src)
{
    nm_event_rules *r = ld->r;
    char id[64], err[300];
    snprintf(id, sizeof id, "events.%u", e->line);
    nm_vec_reserve((void **)&r->pats, &r->cpats, r->npats + 1, sizeof *r->pats);
    uint32_t opts = e->icase ? PCRE2_CASELESS : 0;
    const char *pid = nm_arena_strdup(&r->arena, id);
    if (nm_pattern_compile(&r->pats[r->npats], pid, src, opts, err, sizeof err) != NM_OK) {
        nm_ctx_msg(ld->ctx, "%s:%u: pattern does not compile: %s", l->path, e->line, err);
        return -1;
    }
    return (int32_t)r->npats++;
}

static bool entry_fields(load *ld, const nm_lex_list *l, const nm_lex_entry *e, nm_ev_entry *v)
{
    int cls = class_of(nm_lex_attr(e, "class"));
    int mod = modality_of(nm_lex_attr(e, "modality"));
    v->at = at_of(nm_lex_attr(e, "at"));
    const char *join = nm_lex_attr(e, "join");
    v->join = !join || strcmp(join, "no") != 0;
    v->type = *e->type ? ev_type(e->type, &v->tid) : NULL;
    if (cls < 0 || mod < 0 || !v->at) {
        nm_ctx_msg(ld->ctx, "%s:%u: bad class, modality or at= on '%s'", l->path, e->line,
                   e->surface);
        return false;
    }
    if (!v->type && cls <= NM_EV_OBJECT) {
        nm_ctx_msg(ld->ctx, "%s:%u: trigger '%s' has no event type", l->path, e->line, e->surface);
        return false;
    }
    v->cls = (uint8_t)cls;
    v->modality = (uint8_t)mod;
    v->cameo = nm_lex_attr(e, "cameo");
    v->plover = nm_lex_attr(e, "plover");
    v->mode = nm_lex_attr(e, "plover_mode");
    v->file = l->path;
    v->line = e->line;
    const char *src = nm_lex_attr(e, "pattern");
    v->pat = src ? add_pattern(ld, l, e, src) : -1;
    return !src || v->pat >= 0;
}

/* Chains v after the entries already there for the same surface. */
static void add_trigger(const nm_lex_list *l, const nm_lex_entry *e, void *arg)
{
    load *ld = arg;
    nm_event_rules *r = ld->r;
    nm_ev_entry *v = nm_arena_alloc(&r->arena, sizeof *v);
    memset(v, 0, sizeof *v);
    if (!entry_fields(ld, l, e, v))
        return;
    char key[NM_MATCH_MAXKEY + 2];
    key[0] = e->icase ? 'i' : 's';
    size_t n = nm_fold(key + 1, NM_MATCH_MAXKEY, e->surface, strlen(e->surface));
    if (n == SIZE_MAX) {
        nm_ctx_msg(ld->ctx, "%s:%u: surface too long", l->path, e->line);
        return;
    }
    void **slot = nm_hash_slot_of(&r->heads, nm_arena_strndup(&r->arena, key, n + 1), n + 1);
    nm_ev_entry **tail = (nm_ev_entry **)slot;
    while (*tail)
        tail = &(*tail)->next;
    *tail = v;
    if (*slot == v) {
        if (!nm_matcher_add(r->triggers, e->surface, e->icase, v))
            nm_ctx_msg(ld->ctx, "%s:%u: surface cannot be matched", l->path, e->line);
        else
            evp_add(&r->ptrig, e->surface, e->icase, v);
    }
    mark_first(r, e, (nm_ev_entry *)*slot);
}

/* ------------------------------------------------------------ cues */

static uint32_t cue_bit(const char *c, size_t n)
{
    static const char *const names[] = {"reported", "negated", "planned", "hypothetical",
                                        "anaphor", "authority", "prep", "agent", "place",
                                        "partner", "people", "cause", "clause", "origin", "say",
                                        "domain"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && memcmp(names[i], c, n) == 0)
            return 1u << i;
    return 0;
}

/* class=a|b|c -> bits; 0 when a name is unknown. */
static uint32_t cue_bits(const char *c)
{
    uint32_t bits = 0;
    while (*c) {
        const char *bar = strchr(c, '|');
        size_t n = bar ? (size_t)(bar - c) : strlen(c);
        uint32_t b = cue_bit(c, n);
        if (!b)
            return 0;
        bits |= b;
        c += n + (bar ? 1 : 0);
    }
    return bits;
}

/* The first token of a domain cue (letters and digits: "visa" of
 * "visa-free", "entry" of "entry ban") goes to the per-document test. */
static void add_domain_word(nm_event_rules *r, const char *surface)
{
    size_t n = 0, all = strlen(surface);
    while (n < all && ((surface[n] | 0x20) >= 'a' && (surface[n] | 0x20) <= 'z'))
        n++;
    if (n == 0 || n > 60)
        return;
    char low[64];
    nm_ascii_lower(low, sizeof low, surface, n);
    uint32_t k = nm_ev_key(surface, n);
    r->domain_pre[k / 64] |= 1ULL << (k % 64);
    void **v = nm_hash_slot_of(&r->domain_first, nm_arena_strndup(&r->arena, low, n), n);
    *v = (void *)((uintptr_t)*v | (n == all ? 1u : 2u));
}

static void add_cue(const nm_lex_list *l, const nm_lex_entry *e, void *arg)
{
    load *ld = arg;
    nm_event_rules *r = ld->r;
    uint32_t bits = cue_bits(nm_lex_attr(e, "class"));
    char key[NM_MATCH_MAXKEY + 2];
    size_t n = nm_fold(key, NM_MATCH_MAXKEY, e->surface, strlen(e->surface));
    if (!bits || n == SIZE_MAX) {
        nm_ctx_msg(ld->ctx, "%s:%u: unknown event cue class on '%s'", l->path, e->line,
                   e->surface);
        return;
    }
    key[n] = e->icase ? 'i' : 's'; /* a case-sensitive twin is another surface */
    n++;
    void **slot = nm_hash_slot_of(&r->cuekeys, nm_arena_strndup(&r->arena, key, n), n);
    nm_ev_cue *c = *slot;
    if (!c) {
        c = nm_arena_alloc(&r->arena, sizeof *c);
        c->bits = 0;
        *slot = c;
        if (nm_matcher_add(r->cues, e->surface, e->icase, c))
            evp_add(&r->pcue, e->surface, e->icase, c);
    }
    c->bits |= bits;
    if (bits & NM_EVC_DOMAIN)
        add_domain_word(r, e->surface);
}

/* A text the first token of a cue can have: its prefilter bit, when it is
 * ASCII (an ASCII token folds to ASCII, so it can match no other). */
static void add_cue_first(const char *s, size_t n, bool icase, void *arg)
{
    NM_UNUSED(icase);
    nm_event_rules *r = arg;
    if (!n || !ascii_word(s, n))
        return;
    uint32_t k = nm_ev_key(s, n);
    r->cue_pre[k / 64] |= 1ULL << (k % 64);
}

nm_status nm_events_init(nm_ctx *ctx)
{
    nm_event_rules *r = nm_xcalloc(1, sizeof *r);
    ctx->events = r;
    r->triggers = nm_matcher_new();
    r->cues = nm_matcher_new();
    size_t before = ctx->nmsgs;
    load ld = {ctx, r};
    nm_lex_each(&ctx->lex, "TRIGGER", add_trigger, &ld);
    nm_lex_each(&ctx->lex, "EVENTCUE", add_cue, &ld);
    nm_matcher_each_first(r->cues, add_cue_first, r);
    evp_done(&r->ptrig);
    evp_done(&r->pcue);
    build_ftab(r);
    build_screen(r);
    return ctx->nmsgs == before ? NM_OK : NM_E_LEXICON;
}

void nm_events_free(nm_ctx *ctx)
{
    nm_event_rules *r = ctx->events;
    if (!r)
        return;
    nm_matcher_free(r->triggers);
    nm_matcher_free(r->cues);
    evp_free(&r->ptrig);
    evp_free(&r->pcue);
    nm_hash_free(&r->heads);
    nm_hash_free(&r->first);
    free(r->ftab);
    free(r->wtab.tab);
    free(r->ftab1.tab);
    nm_hash_free(&r->cuekeys);
    nm_hash_free(&r->domain_first);
    for (size_t i = 0; i < r->npats; i++)
        nm_pattern_free(&r->pats[i]);
    free(r->pats);
    nm_arena_free(&r->arena);
    free(r);
    ctx->events = NULL;
}
