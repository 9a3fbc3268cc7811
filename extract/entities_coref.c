/* entities_coref.c - one canonical name per thing within a document.
 *
 * Aliases: the first and the last word of every person named in full
 * ("Emomali Rahmon" gives "Emomali" and "Rahmon"), and every acronym
 * defined in the text ("... (IOM)").  The first full name seen owns an
 * alias.  Then person candidates of one word take the canonical name of
 * their alias, and capitalized words that no candidate covers but that are
 * an alias become mentions of that entity ("Khasanova notes").
 */
#include "entities.h"

#include <stdlib.h>
#include <string.h>

/* The aliases of one document: token text -> entity index + 1, an open
 * addressing table whose keys are tokens of the document (their text in
 * place); small ones live on the stack. */
typedef struct aslot {
    uint32_t off, len; /* the token text */
    uint32_t h;        /* its hash; 0: empty slot (a real 0 is stored as 1) */
    uint32_t val;      /* entity index + 1 */
} aslot;

#define ALIAS_STACK 64
typedef struct aliases {
    const nm_doc *doc;
    aslot *slot;
    size_t cap, n;
    uint64_t filter;   /* filter_bit of every alias text */
    aslot stack[ALIAS_STACK];
} aliases;

/* A bit of the first byte and the length of a token's text: a text with
 * its bit clear in aliases.filter is no alias (one test instead of a hash
 * and a probe for most capitalized words). */
static uint64_t filter_bit(const nm_doc *doc, const nm_tok *k)
{
    unsigned char c = k->len ? (unsigned char)doc->text[k->off] : 0;
    return 1ULL << ((c + 7u * k->len) & 63);
}

static uint32_t text_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h ? h : 1;
}

/* The slot of text s (n bytes, hash h): its own or the empty one to fill. */
static aslot *alias_find(const aliases *a, const char *s, size_t n, uint32_t h)
{
    for (size_t i = h & (a->cap - 1);; i = (i + 1) & (a->cap - 1)) {
        aslot *x = &a->slot[i];
        if (!x->h || (x->h == h && x->len == n && memcmp(a->doc->text + x->off, s, n) == 0))
            return x;
    }
}

static void alias_grow(aliases *a)
{
    aslot *old = a->slot;
    size_t ocap = a->cap;
    a->cap *= 2;
    a->slot = nm_xcalloc(a->cap, sizeof *a->slot);
    for (size_t i = 0; i < ocap; i++)
        if (old[i].h)
            *alias_find(a, a->doc->text + old[i].off, old[i].len, old[i].h) = old[i];
    if (old != a->stack)
        free(old);
}

/* Token t's text stands for entity idx, unless an earlier entity has it
 * (the first full name seen owns an alias). */
static void add_alias(nm_ent_run *er, aliases *a, size_t t, size_t idx)
{
    if (!(er->tok[t].flags & NM_ET_CAP)) /* nm_ent_capword */
        return;
    if (a->n == 0 && a->slot == a->stack)
        memset(a->stack, 0, sizeof a->stack); /* first alias: clear the table */
    if ((a->n + 1) * 4 >= a->cap * 3)
        alias_grow(a);
    const nm_tok *k = &er->doc->toks[t];
    const char *s = er->doc->text + k->off;
    uint32_t h = text_hash(s, k->len);
    aslot *x = alias_find(a, s, k->len, h);
    if (!x->h) {
        *x = (aslot){k->off, k->len, h, (uint32_t)idx + 1};
        a->filter |= filter_bit(er->doc, k);
        a->n++;
    }
}

static bool is_person(const char *type) { return nm_ent_is_person(type); }

/* Sets e->canon to the span text when it has none. */
static void set_canon(nm_ent_run *er, nm_ent *e)
{
    if (!e->canon) {
        e->canon = nm_ent_text(er->doc, e->t0, e->t1);
        e->canon_doc = true;
    }
}

static void collect(nm_ent_run *er, aliases *a)
{
    for (size_t i = 0; i < er->n; i++) {
        nm_ent *e = &er->e[i];
        if (!e->type)
            continue;
        if (is_person(e->type) && e->t1 - e->t0 >= 2) {
            set_canon(er, e);
            add_alias(er, a, e->t0, i);
            add_alias(er, a, e->t1 - 1, i);
        } else if (e->rule[7] == 'a' && strcmp(e->rule, "entity.acronym") == 0) {
            add_alias(er, a, e->t0, i);
        }
    }
}

/* The entity a one-token text stands for, or NULL. */
static NM_ENT_INLINE const nm_ent *lookup(const nm_ent_run *er, const aliases *a, size_t t)
{
    const nm_tok *k = &er->doc->toks[t];
    if (!(a->filter & filter_bit(er->doc, k)))
        return NULL; /* also when there is no alias */
    const char *s = er->doc->text + k->off;
    const aslot *x = alias_find(a, s, k->len, text_hash(s, k->len));
    return x->h ? &er->e[x->val - 1] : NULL;
}

static void resolve_short(nm_ent_run *er, const aliases *al)
{
    if (!al->n)
        return;
    for (size_t i = 0; i < er->n; i++) {
        nm_ent *e = &er->e[i];
        if (e->lex || !e->type || e->t1 - e->t0 != 1 || !is_person(e->type))
            continue;
        const nm_ent *a = lookup(er, al, e->t0);
        if (a && a != e && is_person(a->type))
            e->canon = a->canon, e->canon_doc = a->canon_doc;
    }
}

static void add_uncovered(nm_ent_run *er, const aliases *al)
{
    nm_doc *doc = er->doc;
    if (!al->n)
        return; /* no alias: nothing to add */
    /* The covered tokens (in the document arena: no malloc per document) */
    uint8_t *cov = nm_arena_alloc(&doc->arena, doc->ntoks + 1);
    memset(cov, 0, doc->ntoks + 1);
    for (size_t i = 0; i < er->n; i++)
        for (size_t t = er->e[i].t0; t < er->e[i].t1; t++) /* a few tokens each */
            cov[t] = 1;
    for (size_t c = 0; c < er->ncand; c++) { /* the capitalized words are candidates */
        size_t t = er->cand[c];
        if ((er->tok[t].flags & (NM_ET_CAP | NM_ET_FIGURE)) != NM_ET_CAP || cov[t])
            continue;
        if (t + 1 < doc->ntoks && !cov[t + 1] && (er->tok[t + 1].flags & NM_ET_CAP) &&
            doc->toks[t + 1].sent == doc->toks[t].sent)
            continue; /* part of a longer unknown name */
        const nm_ent *a = lookup(er, al, t);
        if (!a)
            continue;
        nm_ent e = {(uint32_t)t, (uint32_t)t + 1, a->type, a->canon, "entity.alias", false,
                    a->canon_doc};
        if (!e.canon)
            e.canon = nm_ent_text(doc, a->t0, a->t1), e.canon_doc = true;
        nm_ent_push(er, e);
    }
}

void nm_ent_coref(nm_ent_run *er)
{
    aliases a;
    a.doc = er->doc;
    a.slot = a.stack;
    a.cap = ALIAS_STACK;
    a.n = 0; /* a.stack is cleared by the first add_alias */
    a.filter = 0;
    collect(er, &a);
    resolve_short(er, &a);
    add_uncovered(er, &a);
    if (a.slot != a.stack)
        free(a.slot);
}
