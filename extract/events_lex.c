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

static const char *ev_type(const char *t)
{
    for (size_t i = 0; i < sizeof ev_types / sizeof ev_types[0]; i++)
        if (strcmp(ev_types[i], t) == 0)
            return ev_types[i];
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

/* The slot of lower-case ASCII word key, made when missing. */
static nm_ev_wslot *wslot_of(nm_event_rules *r, const char *key, size_t n)
{
    uint64_t head = 0;
    memcpy(&head, key, n < 8 ? n : 8);
    size_t i = nm_ev_windex(r, head, n);
    for (; r->wtab[i].len; i = (i + 1) & (r->wcap - 1))
        if (r->wtab[i].len == n && memcmp(r->wtab[i].key, key, n) == 0)
            return &r->wtab[i];
    r->wtab[i] = (nm_ev_wslot){head, key, n, NULL, 0};
    if (n > r->wmax)
        r->wmax = n;
    return &r->wtab[i];
}

/* Sets the screen for word w (see nm_ev_screen; after a word of one byte
 * any byte may follow). */
static void screen_word(nm_event_rules *r, const char *w, size_t n)
{
    uint32_t bit = 1u << (n & 31), b0 = (unsigned char)w[0] & 0x1Fu;
    uint32_t b1 = (unsigned char)w[n > 1] & 0x1Fu, last = (unsigned char)w[n - 1] & 0x1Fu;
    for (uint32_t b = 0; b < 32; b++)
        if (n == 1 || b == b1)
            r->screen_head[b0 | b << 8] |= bit;
    r->screen_tail[b0 | last << 5] |= bit;
}

static void build_screen(nm_event_rules *r)
{
    r->wcap = 16;
    r->wshift = 64 - 4;
    while (r->wcap < (r->first.n + r->domain_first.n) * 2 + 2) {
        r->wcap *= 2;
        r->wshift--;
    }
    r->wtab = nm_xcalloc(r->wcap, sizeof *r->wtab);
    for (size_t i = 0; i < r->first.cap; i++) {
        const nm_hash_slot *s = &r->first.slots[i];
        uint32_t k = s->key ? nm_ev_key(s->key, s->len) : 0;
        if (!s->key || !ascii_word(s->key, s->len) || !(r->prefilter[0][k / 64] >> (k % 64) & 1))
            continue;
        nm_ev_wslot *w = wslot_of(r, s->key, s->len);
        w->fw = s->val;
        w->flags |= NM_EVW_PRE0;
    }
    for (size_t i = 0; i < r->domain_first.cap; i++) {
        const nm_hash_slot *s = &r->domain_first.slots[i];
        if (!s->key || !ascii_word(s->key, s->len))
            continue;
        uintptr_t v = (uintptr_t)s->val;
        wslot_of(r, s->key, s->len)->flags |= (v & 1 ? NM_EVW_DOM1 : 0) | (v & 2 ? NM_EVW_DOM2 : 0);
    }
    for (size_t i = 0; i < r->wcap; i++)
        if (r->wtab[i].len)
            screen_word(r, r->wtab[i].key, r->wtab[i].len);
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
    v->type = *e->type ? ev_type(e->type) : NULL;
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
    if (*slot == v && !nm_matcher_add(r->triggers, e->surface, e->icase, v))
        nm_ctx_msg(ld->ctx, "%s:%u: surface cannot be matched", l->path, e->line);
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
        nm_matcher_add(r->cues, e->surface, e->icase, c);
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
    nm_hash_free(&r->heads);
    nm_hash_free(&r->first);
    free(r->ftab);
    free(r->wtab);
    nm_hash_free(&r->cuekeys);
    nm_hash_free(&r->domain_first);
    for (size_t i = 0; i < r->npats; i++)
        nm_pattern_free(&r->pats[i]);
    free(r->pats);
    nm_arena_free(&r->arena);
    free(r);
    ctx->events = NULL;
}
