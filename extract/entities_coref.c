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

/* The alias keys are the token texts in the document itself (they live
 * as long as the map). */
static void add_alias(nm_ent_run *er, size_t t, size_t idx)
{
    if (!(er->tok[t].flags & NM_ET_CAP)) /* nm_ent_capword */
        return;
    const nm_tok *k = &er->doc->toks[t];
    nm_hash_put(&er->alias, er->doc->text + k->off, k->len, (void *)(uintptr_t)(idx + 1));
}

static bool is_person(const char *type) { return type[0] == 'P' && strcmp(type, "PERSON") == 0; }

static const char *canon_of(nm_ent_run *er, const nm_ent *e)
{
    return e->canon ? e->canon : nm_ent_text(er->doc, e->t0, e->t1);
}

static void collect(nm_ent_run *er)
{
    for (size_t i = 0; i < er->n; i++) {
        nm_ent *e = &er->e[i];
        if (!e->type)
            continue;
        if (is_person(e->type) && e->t1 - e->t0 >= 2) {
            e->canon = canon_of(er, e);
            add_alias(er, e->t0, i);
            add_alias(er, e->t1 - 1, i);
        } else if (e->rule[7] == 'a' && strcmp(e->rule, "entity.acronym") == 0) {
            add_alias(er, e->t0, i);
        }
    }
}

/* The entity a one-token text stands for, or NULL. */
static const nm_ent *lookup(const nm_ent_run *er, size_t t)
{
    const nm_tok *k = &er->doc->toks[t];
    uintptr_t v = (uintptr_t)nm_hash_get(&er->alias, er->doc->text + k->off, k->len);
    return v ? &er->e[v - 1] : NULL;
}

static void resolve_short(nm_ent_run *er)
{
    for (size_t i = 0; i < er->n; i++) {
        nm_ent *e = &er->e[i];
        if (e->lex || !e->type || e->t1 - e->t0 != 1 || !is_person(e->type))
            continue;
        const nm_ent *a = lookup(er, e->t0);
        if (a && a != e && is_person(a->type))
            e->canon = a->canon;
    }
}

static void add_uncovered(nm_ent_run *er)
{
    nm_doc *doc = er->doc;
    if (!er->alias.n)
        return; /* no alias: nothing to add */
    uint8_t *cov = nm_xcalloc(doc->ntoks + 1, 1);
    for (size_t i = 0; i < er->n; i++)
        memset(cov + er->e[i].t0, 1, er->e[i].t1 - er->e[i].t0);
    for (size_t c = 0; c < er->ncand; c++) { /* the capitalized words are candidates */
        size_t t = er->cand[c];
        if ((er->tok[t].flags & (NM_ET_CAP | NM_ET_FIGURE)) != NM_ET_CAP || cov[t])
            continue;
        if (t + 1 < doc->ntoks && !cov[t + 1] && (er->tok[t + 1].flags & NM_ET_CAP) &&
            doc->toks[t + 1].sent == doc->toks[t].sent)
            continue; /* part of a longer unknown name */
        const nm_ent *a = lookup(er, t);
        if (!a)
            continue;
        nm_ent e = {(uint32_t)t, (uint32_t)t + 1, a->type, a->canon, "entity.alias", false};
        if (!e.canon)
            e.canon = nm_ent_text(doc, a->t0, a->t1);
        nm_ent_push(er, e);
    }
    free(cov);
}

void nm_ent_coref(nm_ent_run *er)
{
    collect(er);
    resolve_short(er);
    add_uncovered(er);
}
