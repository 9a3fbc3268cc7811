/* figures_lex.c - compiling the figure lexicons.
 *
 * Word lists come from lexicons/ (NUMBER, SCALE, UNIT, CURRENCY, QUALIFIER,
 * CHANGE, WORDCLASS, COUNTED) into hash tables, with cheap prefilters: a
 * letter/length mask for number words and edge-token sets for the
 * multi-word tables.
 */
#include "figures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The version of the figure rules, hashed into the record's digest: bump
 * it when a rule changes what is extracted. */
const char nm_figures_rules_text[] = "figures 2\n";

/* Lower-cases and folds runs of white space to one space. */
char *nm_fig_key(nm_arena *a, const char *s, size_t n, bool lower)
{
    char *k = nm_arena_alloc(a, n + 2);
    if (nm_fold_space(k, n + 2, s, n, lower) == SIZE_MAX)
        k[0] = '\0';
    return k;
}

typedef struct add_arg {
    nm_ctx *ctx;
    nm_figure_rules *r;
    nm_hash *cs, *ci;
    size_t *maxw;
    int edge; /* NM_EDGE_*_FIRST of the table, or -1 */
} add_arg;

static bool word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* End of the token starting at s[i], as the segmenter cuts it (closely
 * enough for a prefilter): a dotted acronym, a run of word bytes, or one
 * other character (a whole code point). */
static size_t token_end(const char *s, size_t i, size_t n)
{
    size_t j = i, letters = 0;
    while (j + 1 < n && word_byte((unsigned char)s[j]) && s[j] != '.' && s[j + 1] == '.' &&
           (unsigned char)s[j] < 0x80) {
        j += 2;
        letters++;
    }
    if (letters >= 2)
        return j;
    j = i;
    while (j < n && word_byte((unsigned char)s[j]))
        j++;
    if (j == i) {
        j = i + 1;
        while (j < n && ((unsigned char)s[j] & 0xC0) == 0x80)
            j++;
    }
    return j;
}

static void add_edges(add_arg *x, const char *k)
{
    size_t n = strlen(k), i = 0, a = 0, b = 0, la = 0, lb = 0;
    bool first = true;
    while (i < n) {
        if (k[i] == ' ') {
            i++;
            continue;
        }
        size_t j = token_end(k, i, n);
        if (first) {
            a = i;
            b = j;
            first = false;
        }
        la = i;
        lb = j;
        i = j;
    }
    nm_arena *ar = &x->ctx->lex.arena;
    char *f = nm_fig_key(ar, k + a, b - a, true);
    char *l = nm_fig_key(ar, k + la, lb - la, true);
    void **v = nm_hash_slot_of(&x->r->edges, f, strlen(f));
    *v = (void *)((uintptr_t)*v | 1u << x->edge);
    v = nm_hash_slot_of(&x->r->edges, l, strlen(l));
    *v = (void *)((uintptr_t)*v | 1u << (x->edge + 1));
}

static size_t count_words(const char *k)
{
    size_t w = 1;
    for (const char *p = k; *p; p++)
        w += *p == ' ' || *p == '$' || *p == '.' || *p == '-';
    return w;
}

uint8_t nm_fig_position(const nm_lex_entry *e)
{
    const char *p = nm_lex_attr(e, "position");
    if (!p || strcmp(p, "both") == 0)
        return 0xFF;
    static const struct {
        const char *name;
        uint8_t bit;
    } pos[] = {{"prefix", NM_FIG_POS_PREFIX}, {"suffix", NM_FIG_POS_SUFFIX},
               {"before", NM_FIG_POS_BEFORE}, {"after", NM_FIG_POS_AFTER}};
    for (size_t i = 0; i < sizeof pos / sizeof pos[0]; i++)
        if (strcmp(p, pos[i].name) == 0)
            return pos[i].bit;
    return 0;
}

/* The nm_fig_entry of e, in the lexicon arena. */
static nm_fig_entry *fig_entry(nm_arena *a, const nm_lex_entry *e)
{
    nm_fig_entry *x = nm_arena_alloc(a, sizeof *x);
    memset(x, 0, sizeof *x);
    x->e = e;
    x->code = nm_lex_attr(e, "code");
    x->qualifier = nm_lex_attr(e, "qualifier");
    const char *sc = nm_lex_attr(e, "scale");
    x->has_scale = sc != NULL;
    x->scale = sc ? strtod(sc, NULL) : 0;
    const char *u = nm_lex_attr(e, "unit");
    static const char *const units[] = {"percent", "fold", "times", "measure"};
    for (uint8_t i = 0; u && i < 4; i++)
        if (strcmp(u, units[i]) == 0)
            x->unit = (uint8_t)(NM_FIG_UNIT_PERCENT + i);
    x->position = nm_fig_position(e);
    return x;
}

static void add_entry(const nm_lex_list *l, const nm_lex_entry *e, void *arg)
{
    add_arg *x = arg;
    nm_arena *a = &x->ctx->lex.arena;
    char *k = nm_fig_key(a, e->surface, strlen(e->surface), l->icase);
    if (!*k)
        return;
    /* the multi-word tables (with edges) hold nm_fig_entry values */
    void *v = x->edge >= 0 ? (void *)fig_entry(a, e) : (void *)e;
    nm_hash_put(l->icase ? x->ci : x->cs, k, strlen(k), v);
    if (x->maxw) {
        size_t w = count_words(k);
        if (w > *x->maxw)
            *x->maxw = w;
    }
    if (x->edge >= 0)
        add_edges(x, k);
}

static void load(nm_ctx *ctx, const char *kind, nm_hash *cs, nm_hash *ci, size_t *maxw, int edge)
{
    nm_figure_rules *r = ctx->figures;
    add_arg x = {ctx, r, cs, ci, maxw, edge};
    nm_lex_each(&ctx->lex, kind, add_entry, &x);
}

static int letter(char c)
{
    c = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    return c >= 'a' && c <= 'z' ? c - 'a' : -1;
}

/* The lower-cased bytes of a word of 1-8 ASCII letters as one value, or 0. */
static uint64_t pack_word(const char *s, size_t n)
{
    if (n == 0 || n > 8)
        return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        c = (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
        if (c < 'a' || c > 'z')
            return 0;
        v |= (uint64_t)c << (8 * i);
    }
    return v;
}

static size_t short_slot(uint64_t v) { return (size_t)((v * 0x9E3779B97F4A7C15ULL) >> 56); }

static void add_word(const nm_lex_list *l, const nm_lex_entry *e, void *arg)
{
    NM_UNUSED(l);
    nm_figure_rules *r = arg;
    const char *s = e->surface;
    size_t n = strlen(s);
    int f = letter(s[0]), z = letter(s[n ? n - 1 : 0]);
    if (nm_lex_attr(e, "attached") || f < 0 || z < 0 || n >= 32)
        return; /* 5k, 3m are found with the digits */
    r->len_mask[f] |= 1u << n;
    r->last_mask[f] |= 1u << z;
    uint64_t v = pack_word(s, n);
    if (v) { /* open addressing over 256 slots; a list of hundreds of words still fits */
        size_t i = short_slot(v);
        for (size_t k = 0; k < 256 && r->short_words[i] && r->short_words[i] != v; k++)
            i = (i + 1) & 255;
        if (!r->short_words[i])
            r->short_words[i] = v;
        else if (r->short_words[i] != v)
            r->short_full = true; /* table full: fall back to the masks */
    }
}

bool nm_fig_word_maybe(const nm_figure_rules *r, const char *s, size_t n)
{
    int f = letter(s[0]), z = letter(s[n - 1]);
    if (f < 0 || z < 0 || n >= 32 || !(r->len_mask[f] >> n & 1u) || !(r->last_mask[f] >> z & 1u))
        return false;
    uint64_t v = n <= 8 && !r->short_full ? pack_word(s, n) : 0;
    if (!v)
        return true; /* longer (or non-letter) words: the masks only */
    for (size_t i = short_slot(v), k = 0; k < 256 && r->short_words[i]; i = (i + 1) & 255, k++)
        if (r->short_words[i] == v)
            return true;
    return false;
}

/* ------------------------------------------------------------ words */

static double value_of(const nm_lex_entry *e)
{
    const char *v = nm_lex_attr(e, "value");
    return v ? strtod(v, NULL) : 0;
}

static int form_of(const nm_lex_entry *e)
{
    if (strcmp(e->type, "fraction") == 0)
        return FORM_FRACTION;
    if (strcmp(e->type, "multiplier") == 0)
        return FORM_MULTIPLIER;
    return FORM_CARDINAL;
}

static uint8_t class_bit(const char *c)
{
    static const struct {
        const char *name;
        uint8_t bit;
    } cls[] = {{"stop", NM_FIG_STOP},         {"determiner", NM_FIG_DETERMINER},
               {"yearword", NM_FIG_YEARWORD}, {"month", NM_FIG_MONTH},
               {"timeunit", NM_FIG_TIMEUNIT}, {"clock", NM_FIG_CLOCK},
               {"adjective", NM_FIG_ADJECTIVE}};
    for (size_t i = 0; c && i < sizeof cls / sizeof cls[0]; i++)
        if (strcmp(c, cls[i].name) == 0)
            return cls[i].bit;
    return 0;
}

/* The nm_fig_word of key k (made empty when new). */
static nm_fig_word *word_at(nm_ctx *ctx, const char *k, size_t n)
{
    void **v = nm_hash_slot_of(&ctx->figures->words, k, n);
    if (!*v) {
        nm_fig_word *w = nm_arena_alloc(&ctx->lex.arena, sizeof *w);
        memset(w, 0, sizeof *w);
        *v = w;
    }
    return *v;
}

/* Puts candidate word k[0..n) (lower-cased) into r->cand_slots when it
 * is of 1-8 ASCII bytes. */
static void add_cand_key(nm_figure_rules *r, const char *k, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n && i < 8; i++)
        v |= (uint64_t)(unsigned char)k[i] << (8 * i);
    if (n == 0 || n > 8 || (v & NM_HIGH_BITS))
        return;
    size_t j = nm_fig_packed_hash(v, 0, n) & (NM_FIG_CAND_SLOTS - 1);
    for (size_t probes = 0; r->cand_slots[j].len; probes++) {
        if (probes == NM_FIG_CAND_SLOTS / 2) {
            r->cand_full = true; /* (never with the lexicons as they are) */
            return;
        }
        j = (j + 1) & (NM_FIG_CAND_SLOTS - 1);
    }
    r->cand_slots[j].k = v;
    r->cand_slots[j].len = n;
}

/* The 64-byte buffers the single-word look-ups lower-cased into. */
#define WORD_MAX 63

/* Gathers the single-word tables into r->words.  Each table keeps the first
 * value of a key, so copying its slots gives what a look-up gave. */
static void build_words(nm_ctx *ctx)
{
    nm_figure_rules *r = ctx->figures;
    const nm_hash *tabs[] = {&r->numbers, &r->scales, &r->change,
                             &r->wclass,  &r->lemmas, &r->edges};
    for (size_t t = 0; t < sizeof tabs / sizeof tabs[0]; t++) {
        for (size_t i = 0; i < tabs[t]->cap; i++) {
            const nm_hash_slot *sl = &tabs[t]->slots[i];
            if (!sl->key || (tabs[t] != &r->lemmas && sl->len > WORD_MAX))
                continue;
            nm_fig_word *w = word_at(ctx, sl->key, sl->len);
            const nm_lex_entry *e = sl->val;
            if (tabs[t] == &r->numbers) {
                w->number = e;
                w->number_value = value_of(e);
                w->number_form = (uint8_t)form_of(e);
            } else if (tabs[t] == &r->scales) {
                w->scale = e;
                w->scale_value = value_of(e);
                w->scale_attached = nm_lex_attr(e, "attached") != NULL;
            } else if (tabs[t] == &r->change) {
                w->change = e;
                w->change_value = nm_lex_attr(e, "change");
                w->change_position = nm_fig_position(e);
            } else if (tabs[t] == &r->wclass) {
                w->cls = class_bit(nm_lex_attr(e, "class"));
            } else if (tabs[t] == &r->lemmas) {
                /* the phrase of a counted noun ends at a known lemma, cut
                 * as lemma() cuts it (96-byte buffer) */
                const char *l = nm_lex_attr(e, "lemma");
                size_t ln = l ? strlen(l) : 0;
                w->lemma = l;
                w->lemma_len = (uint8_t)(ln < 95 ? ln : 95);
                w->lemma_known = l && nm_hash_get(&r->lemmas, l, w->lemma_len) != NULL;
            } else {
                w->edges = (uint8_t)(uintptr_t)sl->val;
            }
        }
    }
    /* candidates: what the prefilter and then NUMBER or SCALE let in */
    for (size_t i = 0; i < r->words.cap; i++) {
        const nm_hash_slot *sl = &r->words.slots[i];
        nm_fig_word *w = sl->key ? sl->val : NULL;
        if (!w || !(w->number || w->scale) || !nm_fig_word_maybe(r, sl->key, sl->len))
            continue;
        w->candidate = true;
        add_cand_key(r, sl->key, sl->len);
        unsigned char b = (unsigned char)sl->key[0];
        unsigned char l = (unsigned char)sl->key[sl->len - 1];
        r->cand_last[(b & 31u) << 5 | sl->len] |= 1u << (l & 31u);
    }
}

/* s[0..n), n <= 16, packed as nm_fig_wslot.k. */
static void pack_bytes(uint64_t k[2], const char *s, size_t n)
{
    k[0] = k[1] = 0;
    for (size_t i = 0; i < n; i++)
        k[i / 8] |= (uint64_t)(unsigned char)s[i] << (8 * (i % 8));
}

/* Moves the nm_fig_word of every word into one array, a cache line each,
 * and points the values of r->words at them. */
static void dense_words(nm_figure_rules *r)
{
    _Static_assert(sizeof(nm_fig_word) == 64, "one cache line a word");
    r->word_mem = nm_xcalloc(r->words.n + 1, sizeof(nm_fig_word));
    uintptr_t at = ((uintptr_t)r->word_mem + 63) & ~(uintptr_t)63;
    r->word_recs = (nm_fig_word *)at;
    r->nwords = 0;
    for (size_t i = 0; i < r->words.cap; i++) {
        nm_hash_slot *sl = &r->words.slots[i];
        if (!sl->key)
            continue;
        r->word_recs[r->nwords] = *(const nm_fig_word *)sl->val;
        sl->val = &r->word_recs[r->nwords++];
    }
}

static void build_packed(nm_figure_rules *r)
{
    size_t nshort = 0, nlong = 0;
    for (size_t i = 0; i < r->words.cap; i++) {
        const nm_hash_slot *sl = &r->words.slots[i];
        if (sl->key && sl->len >= 1 && sl->len <= NM_FIG_PACK_MAX)
            *(sl->len <= 8 ? &nshort : &nlong) += 1;
    }
    size_t cap = 64;
    while (cap < 2 * nshort)
        cap *= 2;
    r->short_slots = nm_xcalloc(cap, sizeof *r->short_slots);
    r->short_mask = cap - 1;
    for (cap = 16; cap < 2 * nlong;)
        cap *= 2;
    r->packed = nm_xcalloc(cap, sizeof *r->packed);
    r->packed_mask = cap - 1;
    for (size_t i = 0; i < r->words.cap; i++) {
        const nm_hash_slot *sl = &r->words.slots[i];
        if (!sl->key || sl->len == 0 || sl->len > NM_FIG_PACK_MAX)
            continue;
        uint64_t k[2];
        pack_bytes(k, sl->key, sl->len);
        if ((k[0] | k[1]) & NM_HIGH_BITS)
            continue; /* non-ASCII: the tokens that match it take the slow way */
        if (sl->len <= 8) {
            size_t j = nm_fig_packed_hash(k[0], 0, sl->len) & r->short_mask;
            while (r->short_slots[j].len)
                j = (j + 1) & r->short_mask;
            size_t w = (size_t)((const nm_fig_word *)sl->val - r->word_recs);
            r->short_slots[j] = (nm_fig_sslot){k[0], (uint32_t)sl->len, (uint32_t)w};
            continue;
        }
        size_t j = nm_fig_packed_hash(k[0], k[1], sl->len) & r->packed_mask;
        while (r->packed[j].w)
            j = (j + 1) & r->packed_mask;
        r->packed[j] = (nm_fig_wslot){{k[0], k[1]}, (uint32_t)sl->len, sl->val};
    }
}

const nm_fig_word nm_fig_no_word;

const nm_fig_word *nm_fig_word_of(const nm_figure_rules *r, const char *s, size_t n)
{
    if (n >= 1 && n <= NM_FIG_PACK_MAX) {
        uint64_t k[2];
        pack_bytes(k, s, n);
        const nm_fig_word *w = nm_fig_packed_get(r, k[0], k[1], n);
        if (w)
            return w;
    }
    const nm_fig_word *w = nm_hash_get_lower(&r->words, s, n);
    return w ? w : &nm_fig_no_word;
}

/* The length of the longest key of h. */
static size_t key_bytes(const nm_hash *h)
{
    size_t n = 0;
    for (size_t i = 0; i < h->cap; i++)
        if (h->slots[i].key && h->slots[i].len > n)
            n = h->slots[i].len;
    return n;
}

/* Sets the bit of each key of h (when not NULL) in bits, and its first
 * and last bytes in pairs. */
static void key_bits(const nm_hash *h, uint64_t *bits, uint32_t *pairs)
{
    for (size_t i = 0; h && i < h->cap; i++) {
        const nm_hash_slot *sl = &h->slots[i];
        if (!sl->key || sl->len == 0)
            continue;
        unsigned char f = (unsigned char)sl->key[0], l = (unsigned char)sl->key[sl->len - 1];
        unsigned bit = nm_fig_cand_bit(f, l, sl->len & 31);
        bits[bit / 64] |= 1ULL << (bit % 64);
        pairs[f & 31u] |= 1u << (l & 31u);
    }
}

/* The keys of 1-16 ASCII bytes of h, packed. */
static void pack_table(nm_fig_ktab *t, const nm_hash *h)
{
    if (!h)
        return;
    size_t cap = 64;
    while (cap < 2 * h->n)
        cap *= 2;
    t->slots = nm_xcalloc(cap, sizeof *t->slots);
    t->mask = cap - 1;
    for (size_t i = 0; i < h->cap; i++) {
        const nm_hash_slot *sl = &h->slots[i];
        if (!sl->key || sl->len == 0 || sl->len > NM_FIG_PACK_MAX)
            continue;
        uint64_t k[2];
        pack_bytes(k, sl->key, sl->len);
        if ((k[0] | k[1]) & NM_HIGH_BITS)
            continue; /* non-ASCII: looked up in h */
        size_t j = nm_fig_packed_hash(k[0], k[1], sl->len) & t->mask;
        while (t->slots[j].v)
            j = (j + 1) & t->mask;
        t->slots[j] = (nm_fig_kslot){{k[0], k[1]}, (uint32_t)sl->len, sl->val};
    }
}

static void make_table(nm_fig_table *t, const nm_hash *cs, const nm_hash *ci, size_t maxw,
                       size_t keylen, int edge)
{
    pack_table(&t->cs_packed, cs);
    pack_table(&t->ci_packed, ci);
    t->cs = cs;
    t->ci = ci;
    t->maxw = maxw;
    t->keylen = keylen;
    t->edge = edge;
    key_bits(cs, t->cs_bits, t->pairs);
    key_bits(ci, t->ci_bits, t->pairs);
}

nm_status nm_figures_init(nm_ctx *ctx)
{
    nm_figure_rules *r = nm_xcalloc(1, sizeof *r);
    ctx->figures = r;
    load(ctx, "NUMBER", &r->numbers, &r->numbers, NULL, -1);
    load(ctx, "SCALE", &r->scales, &r->scales, NULL, -1);
    load(ctx, "UNIT", &r->units, &r->units, &r->max_unit, NM_EDGE_UNIT_FIRST);
    load(ctx, "CURRENCY", &r->cur_cs, &r->cur_ci, &r->max_cur, NM_EDGE_CUR_FIRST);
    load(ctx, "QUALIFIER", &r->quals, &r->quals, &r->max_qual, NM_EDGE_QUAL_FIRST);
    load(ctx, "CHANGE", &r->change, &r->change, NULL, -1);
    load(ctx, "WORDCLASS", &r->wclass, &r->wclass, NULL, -1);
    load(ctx, "COUNTED", &r->lemmas, &r->lemmas, NULL, -1);
    nm_lex_each(&ctx->lex, "NUMBER", add_word, r);
    nm_lex_each(&ctx->lex, "SCALE", add_word, r);
    build_words(ctx);
    dense_words(r);
    build_packed(r);
    for (unsigned b = 0; b < 256; b++) {
        char ch = (char)b;
        r->byte_word[b] = nm_fig_word_of(r, &ch, 1);
    }
    r->unit_bytes = key_bytes(&r->units);
    r->cur_bytes = key_bytes(&r->cur_cs) > key_bytes(&r->cur_ci) ? key_bytes(&r->cur_cs)
                                                                  : key_bytes(&r->cur_ci);
    r->qual_bytes = key_bytes(&r->quals);
    /* as figures.c asks them: units and qualifiers lower-cased only */
    make_table(&r->unit_tab, NULL, &r->units, r->max_unit, r->unit_bytes, NM_EDGE_UNIT_FIRST);
    make_table(&r->cur_tab, &r->cur_cs, &r->cur_ci, r->max_cur, r->cur_bytes, NM_EDGE_CUR_FIRST);
    make_table(&r->qual_tab, NULL, &r->quals, r->max_qual, r->qual_bytes, NM_EDGE_QUAL_FIRST);
    return NM_OK;
}

void nm_figures_free(nm_ctx *ctx)
{
    nm_figure_rules *r = ctx->figures;
    if (!r)
        return;
    nm_hash *maps[] = {&r->numbers, &r->scales, &r->units, &r->cur_cs, &r->cur_ci,
                       &r->quals, &r->change, &r->wclass, &r->lemmas};
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
        nm_hash_free(maps[i]);
    nm_hash_free(&r->edges);
    nm_hash_free(&r->words);
    free(r->packed);
    free(r->short_slots);
    free(r->word_mem);
    nm_fig_table *tabs[] = {&r->unit_tab, &r->cur_tab, &r->qual_tab};
    for (size_t i = 0; i < sizeof tabs / sizeof tabs[0]; i++) {
        free(tabs[i]->cs_packed.slots);
        free(tabs[i]->ci_packed.slots);
    }
    free(r);
    ctx->figures = NULL;
}

/* Looks up the text of tokens [a, b] (inclusive) in cs, then lower-cased
 * in ci. */
const nm_fig_entry *nm_fig_lookup(const nm_doc *doc, size_t a, size_t b, const nm_hash *cs,
                                  const nm_hash *ci)
{
    if (a > b || b >= doc->ntoks)
        return NULL;
    uint32_t s = doc->toks[a].off, e = doc->toks[b].off + doc->toks[b].len;
    if (e - s > 120)
        return NULL;
    char raw[128], low[128];
    size_t o = nm_fold_space(raw, sizeof raw, doc->text + s, e - s, false);
    if (o == SIZE_MAX)
        return NULL;
    const nm_fig_entry *x = cs ? nm_hash_get(cs, raw, o) : NULL;
    if (x || !ci)
        return x;
    nm_ascii_lower(low, sizeof low, raw, o);
    return nm_hash_get(ci, low, o);
}
