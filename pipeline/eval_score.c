/* eval_score.c — type maps and per-document counting (score.py parse_maps(),
 * apply_map(), strict_tp(), relaxed_pairs(), value_correct(), score_doc()). */
#include "eval_priv.h"

#include <stdlib.h>
#include <string.h>

static const double rel_tol = 1e-6;

/* ---------------------------------------------------------------- type maps */

static void map_set(nm_emaps *m, int kind, nm_eslice src, nm_eslice dst)
{
    nm_emap *km = &m->kind[kind];
    if (!km->n)
        m->order[m->norder++] = kind;
    for (size_t i = 0; i < km->n; i++)
        if (nm_es_eq(km->e[i].src, src)) {
            km->e[i].dst = dst;
            return;
        }
    if (km->n == km->cap) {
        km->cap = km->cap ? km->cap * 2 : 8;
        km->e = nm_eval_xrealloc(km->e, km->cap * sizeof *km->e);
    }
    km->e[km->n].src = src;
    km->e[km->n++].dst = dst;
}

/* The "KIND:" prefix of item, if any: 0 (none), 1 (kind set), 2 (error). */
static int map_kind(nm_eslice *item, int *kind, nm_ebuf *err)
{
    const char *eq = memchr(item->p, '=', item->n);
    size_t head = eq ? (size_t)(eq - item->p) : item->n;
    const char *colon = memchr(item->p, ':', head);
    nm_ebuf up = {0};
    if (!colon)
        return 0;
    nm_eslice k = {item->p, (size_t)(colon - item->p)};
    nm_py_upper(nm_py_strip(k), &up);
    *kind = -1;
    for (int i = 0; i < NM_EK_N; i++)
        if (nm_es_eqs(nm_ebuf_slice(&up), nm_eval_kind_names[i]))
            *kind = i;
    if (*kind < 0) {
        nm_ebuf_puts(err, "--map: unknown kind ");
        nm_py_repr(nm_ebuf_slice(&up), err);
    }
    nm_ebuf_free(&up);
    item->n -= k.n + 1;
    item->p = colon + 1;
    return *kind < 0 ? 2 : 1;
}

/* One SRC=DST item of a --map spec (kind already known); 0 or 2. */
static int map_item(nm_emaps *m, int kind, nm_eslice item, nm_eslice spec, nm_ebuf *err)
{
    const char *eq = item.n ? memchr(item.p, '=', item.n) : NULL;
    if (kind < 0 || !eq) {
        nm_ebuf_puts(err, "--map: expected KIND:SRC=DST[,SRC=DST], got ");
        nm_py_repr(spec, err);
        return 2;
    }
    nm_eslice src = {item.p, (size_t)(eq - item.p)};
    nm_eslice dst = {eq + 1, item.n - src.n - 1};
    src = nm_py_strip(src);
    dst = nm_py_strip(dst);
    if (!src.n || !dst.n) {
        nm_ebuf_puts(err, "--map: empty type in ");
        nm_py_repr(item, err);
        nm_ebuf_puts(err, " (use DST \"-\" to drop a type)");
        return 2;
    }
    map_set(m, kind, src, dst);
    return 0;
}

int nm_emaps_parse(nm_emaps *m, const char *const *specs, size_t nspecs, nm_ebuf *err)
{
    int kind = -1;
    memset(m, 0, sizeof *m);
    for (size_t i = 0; i < nspecs; i++) {
        nm_eslice spec = nm_es(specs[i]), rest = spec;
        for (;;) {
            const char *comma = rest.n ? memchr(rest.p, ',', rest.n) : NULL;
            nm_eslice item = {rest.p, comma ? (size_t)(comma - rest.p) : rest.n};
            item = nm_py_strip(item);
            if (item.n && (map_kind(&item, &kind, err) == 2 ||
                           map_item(m, kind, item, spec, err)))
                return 2;
            if (!comma)
                break;
            rest.n -= (size_t)(comma - rest.p) + 1;
            rest.p = comma + 1;
        }
    }
    return 0;
}

void nm_emaps_free(nm_emaps *m)
{
    for (int k = 0; k < NM_EK_N; k++)
        free(m->kind[k].e);
    memset(m, 0, sizeof *m);
}

/* apply_map() for one annotation: 0 if the type is dropped. */
static int map_type(const nm_emaps *m, const nm_eann *a, nm_eslice *type)
{
    const nm_emap *km = &m->kind[a->kind];
    const nm_eslice *star = NULL;
    *type = a->type;
    if (!km->n)
        return 1;
    for (size_t i = 0; i < km->n; i++) {
        if (nm_es_eq(km->e[i].src, a->type)) {
            *type = km->e[i].dst;
            star = NULL;
            break;
        }
        if (nm_es_eqs(km->e[i].src, "*"))
            star = &km->e[i].dst;
    }
    if (star)
        *type = *star;
    return !nm_es_eqs(*type, "-");
}

/* ---------------------------------------------------------------- views and groups */

typedef struct {
    const nm_eann *a;
    nm_eslice type;
    size_t idx;     /* index in the file */
} view;

static int key_cmp(const view *a, const view *b)
{
    if (a->a->kind != b->a->kind)
        return a->a->kind < b->a->kind ? -1 : 1;
    size_t n = a->type.n < b->type.n ? a->type.n : b->type.n;
    int c = n ? memcmp(a->type.p, b->type.p, n) : 0;
    if (c || a->type.n == b->type.n)
        return c;
    return a->type.n < b->type.n ? -1 : 1;
}

static int view_cmp(const void *x, const void *y)
{
    const view *a = x, *b = y;
    int c = key_cmp(a, b);
    if (c)
        return c;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* The mapped annotations of t, grouped by (kind, type), file order within a group. */
static view *make_views(const nm_etsv *t, const nm_emaps *m, size_t *count)
{
    view *v = nm_eval_xrealloc(NULL, (t->n + 1) * sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++) {
        v[k].a = &t->anns[i];
        v[k].idx = i;
        if (map_type(m, &t->anns[i], &v[k].type))
            k++;
    }
    qsort(v, k, sizeof *v, view_cmp);
    *count = k;
    return v;
}

static size_t group_end(const view *v, size_t n, size_t i)
{
    size_t j = i + 1;
    while (j < n && v[j].a->kind == v[i].a->kind && nm_es_eq(v[j].type, v[i].type))
        j++;
    return j;
}

static nm_ecell *cell_for(nm_ecells *cs, int kind, nm_eslice type)
{
    for (size_t i = 0; i < cs->n; i++)
        if (cs->v[i].kind == kind && nm_es_eq(cs->v[i].type, type))
            return &cs->v[i];
    if (cs->n == cs->cap) {
        cs->cap = cs->cap ? cs->cap * 2 : 16;
        cs->v = nm_eval_xrealloc(cs->v, cs->cap * sizeof *cs->v);
    }
    nm_ecell *c = &cs->v[cs->n++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->type.p = nm_eval_xstrndup(type.p, type.n);
    c->type.n = type.n;
    return c;
}

void nm_ecells_free(nm_ecells *c)
{
    for (size_t i = 0; i < c->n; i++)
        free((char *)c->v[i].type.p);
    free(c->v);
    memset(c, 0, sizeof *c);
}

/* ---------------------------------------------------------------- matching */

typedef struct {
    int64_t span[2];
} span_key;

static int span_cmp(const void *x, const void *y)
{
    const span_key *a = x, *b = y;
    for (int k = 0; k < 2; k++)
        if (a->span[k] != b->span[k])
            return a->span[k] < b->span[k] ? -1 : 1;
    return 0;
}

static span_key *spans_of(const view *v, size_t n)
{
    span_key *s = nm_eval_xrealloc(NULL, (n + 1) * sizeof *s);
    for (size_t i = 0; i < n; i++) {
        s[i].span[0] = v[i].a->start;
        s[i].span[1] = v[i].a->end;
    }
    qsort(s, n, sizeof *s, span_cmp);
    return s;
}

/* strict_tp(): size of the multiset intersection of (start, end). */
static long long strict_tp(const view *g, size_t ng, const view *s, size_t ns)
{
    span_key *a = spans_of(g, ng), *b = spans_of(s, ns);
    size_t i = 0, j = 0;
    long long tp = 0;
    while (i < ng && j < ns) {
        int c = span_cmp(&a[i], &b[j]);
        tp += c == 0;
        i += c <= 0;
        j += c >= 0;
    }
    free(a);
    free(b);
    return tp;
}

typedef struct {
    int64_t key[5];   /* -overlap, not exact, dist, g.start, s.start */
    size_t gi, si;
} cand;

static int cand_cmp(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    for (int k = 0; k < 5; k++)
        if (a->key[k] != b->key[k])
            return a->key[k] < b->key[k] ? -1 : 1;
    if (a->gi != b->gi)
        return a->gi < b->gi ? -1 : 1;
    return a->si < b->si ? -1 : a->si > b->si;
}

static size_t candidates(const view *g, size_t ng, const view *s, size_t ns, cand **out)
{
    size_t n = 0, cap = 16;
    cand *c = nm_eval_xrealloc(NULL, cap * sizeof *c);
    for (size_t gi = 0; gi < ng; gi++)
        for (size_t si = 0; si < ns; si++) {
            const nm_eann *a = g[gi].a, *b = s[si].a;
            int64_t ov = (a->end < b->end ? a->end : b->end) -
                         (a->start > b->start ? a->start : b->start);
            if (ov <= 0)
                continue;
            if (n == cap)
                c = nm_eval_xrealloc(c, (cap *= 2) * sizeof *c);
            c[n].key[0] = -ov;
            c[n].key[1] = !(a->start == b->start && a->end == b->end);
            c[n].key[2] = llabs(a->start - b->start) + llabs(a->end - b->end);
            c[n].key[3] = a->start;
            c[n].key[4] = b->start;
            c[n].gi = gi;
            c[n++].si = si;
        }
    qsort(c, n, sizeof *c, cand_cmp);
    *out = c;
    return n;
}

/* relaxed_pairs(): greedy one-to-one; pair k is (g[pg[k]], s[ps[k]]). */
static size_t relaxed_pairs(const view *g, size_t ng, const view *s, size_t ns, size_t *pg,
                            size_t *ps)
{
    cand *c;
    size_t nc = candidates(g, ng, s, ns, &c), np = 0;
    char *used = calloc(ng + ns + 1, 1);
    if (!used)
        abort();
    for (size_t k = 0; k < nc; k++) {
        if (used[c[k].gi] || used[ng + c[k].si])
            continue;
        used[c[k].gi] = used[ng + c[k].si] = 1;
        pg[np] = c[k].gi;
        ps[np++] = c[k].si;
    }
    free(used);
    free(c);
    return np;
}

/* ---------------------------------------------------------------- values */

static int lower_eq(nm_eslice a, nm_eslice b)
{
    nm_ebuf la = {0}, lb = {0};
    nm_py_lower(nm_py_strip(a), &la);
    nm_py_lower(nm_py_strip(b), &lb);
    int eq = nm_es_eq(nm_ebuf_slice(&la), nm_ebuf_slice(&lb));
    nm_ebuf_free(&la);
    nm_ebuf_free(&lb);
    return eq;
}

static double dabs(double x)
{
    return x < 0 ? -x : x;
}

static int values_equal(nm_eslice a, nm_eslice b)
{
    double na, nb;
    if (nm_py_num(a, &na) && nm_py_num(b, &nb))
        return dabs(na - nb) <= rel_tol * (dabs(na) > dabs(nb) ? dabs(na) : dabs(nb)) ||
               na == nb;
    return lower_eq(a, b);
}

static void unit_of(const nm_etsv *t, const view *v, nm_ebuf *u)
{
    nm_py_lower(nm_py_strip(nm_etsv_attr(t, v->a, "unit")), u);
    if (!u->n && nm_es_eqs(v->type, "PERCENT"))
        nm_ebuf_puts(u, "percent");
}

static int value_correct(const nm_etsv *gt, const view *g, const nm_etsv *st, const view *s)
{
    nm_ebuf ug = {0}, us = {0};
    int ok;
    if (g->a->kind != NM_EK_FIGURE)
        return lower_eq(g->a->value, s->a->value);
    ok = values_equal(g->a->value, s->a->value);
    if (ok) {
        unit_of(gt, g, &ug);
        unit_of(st, s, &us);
        ok = nm_es_eq(nm_ebuf_slice(&ug), nm_ebuf_slice(&us));
    }
    nm_ebuf_free(&ug);
    nm_ebuf_free(&us);
    return ok;
}

/* ---------------------------------------------------------------- counting */

typedef struct {
    size_t cell, g, s;   /* cell index, gold and system annotation index */
} evpair;

typedef struct {         /* one document being scored */
    const nm_etsv *gold, *sys;
    nm_ecells *cells;
    size_t *partner;     /* gold annotation index -> system annotation index */
    evpair *ev;
    size_t nev, evcap;
} doc_ctx;

static void count_pair(doc_ctx *d, size_t ci, const view *g, const view *s)
{
    nm_ecell *c = &d->cells->v[ci];
    d->partner[g->idx] = s->idx;
    if ((c->kind == NM_EK_FIGURE || c->kind == NM_EK_DATE) && nm_py_strip(g->a->value).n) {
        c->value_total++;
        c->value_correct += value_correct(d->gold, g, d->sys, s);
    }
    if (c->kind != NM_EK_EVENT)
        return;
    if (d->nev == d->evcap) {
        d->evcap = d->evcap ? d->evcap * 2 : 16;
        d->ev = nm_eval_xrealloc(d->ev, d->evcap * sizeof *d->ev);
    }
    d->ev[d->nev].cell = ci;
    d->ev[d->nev].g = g->idx;
    d->ev[d->nev++].s = s->idx;
}

static void score_group(doc_ctx *d, const view *key, const view *g, size_t ng, const view *s,
                        size_t ns)
{
    nm_ecell *c = cell_for(d->cells, key->a->kind, key->type);
    size_t ci = (size_t)(c - d->cells->v), np, k;
    size_t *pg = nm_eval_xrealloc(NULL, (ng + ns + 1) * sizeof *pg), *ps = pg + ng;
    c->gold += (long long)ng;
    c->sys += (long long)ns;
    c->strict_tp += strict_tp(g, ng, s, ns);
    np = relaxed_pairs(g, ng, s, ns, pg, ps);
    c->relaxed_tp += (long long)np;
    for (k = 0; k < np; k++)
        count_pair(d, ci, &g[pg[k]], &s[ps[k]]);
    free(pg);
}

/* Distinct ids of a slot value (the set() of slot_ids()). */
static size_t id_set(nm_eslice v, nm_eslice **ids, size_t *cap)
{
    nm_eslice id;
    size_t n = 0, k;
    while (nm_eval_next_id(&v, &id)) {
        for (k = 0; k < n && !nm_es_eq((*ids)[k], id); k++)
            ;
        if (k < n)
            continue;
        if (n == *cap)
            *ids = nm_eval_xrealloc(*ids, (*cap = *cap ? *cap * 2 : 8) * sizeof **ids);
        (*ids)[n++] = id;
    }
    return n;
}

static void count_slot(doc_ctx *d, const evpair *e, int slot, nm_eslice **sids, size_t *cap)
{
    nm_ecell *c = &d->cells->v[e->cell];
    const char *name = nm_eval_slot_names[slot];
    nm_eslice gv = nm_etsv_attr(d->gold, &d->gold->anns[e->g], name), x;
    size_t ns = id_set(nm_etsv_attr(d->sys, &d->sys->anns[e->s], name), sids, cap);
    long long right = 0, ng = 0;
    while (nm_eval_next_id(&gv, &x)) {
        size_t gi = nm_eindex_get(&d->gold->ids, x), k;
        ng++;
        if (gi == (size_t)-1 || d->partner[gi] == (size_t)-1)
            continue;
        nm_eslice pid = d->sys->anns[d->partner[gi]].id;
        for (k = 0; k < ns && !nm_es_eq((*sids)[k], pid); k++)
            ;
        right += k < ns;
    }
    c->slot_correct += right;
    c->slot_gold += ng;
    c->slot_sys += (long long)ns;
    c->slots[slot][0] += right;
    c->slots[slot][1] += ng;
    c->slots[slot][2] += (long long)ns;
}

void nm_eval_score_doc(const nm_etsv *gold, const nm_etsv *sys, const nm_emaps *maps,
                       nm_ecells *cells)
{
    doc_ctx d = {gold, sys, cells, NULL, NULL, 0, 0};
    size_t ng, ns, i = 0, j = 0, cap = 0;
    view *gv = make_views(gold, maps, &ng), *sv = make_views(sys, maps, &ns);
    nm_eslice *sids = NULL;
    d.partner = nm_eval_xrealloc(NULL, (gold->n + 1) * sizeof *d.partner);
    memset(d.partner, 0xFF, (gold->n + 1) * sizeof *d.partner);
    while (i < ng || j < ns) {
        int c = i < ng && j < ns ? key_cmp(&gv[i], &sv[j]) : i < ng ? -1 : 1;
        size_t ie = c <= 0 ? group_end(gv, ng, i) : i, je = c >= 0 ? group_end(sv, ns, j) : j;
        score_group(&d, c <= 0 ? &gv[i] : &sv[j], gv + i, ie - i, sv + j, je - j);
        i = ie;
        j = je;
    }
    for (size_t k = 0; k < d.nev; k++)
        for (int slot = 0; slot < NM_EVAL_NSLOTS; slot++)
            count_slot(&d, &d.ev[k], slot, &sids, &cap);
    free(sids);
    free(d.ev);
    free(d.partner);
    free(gv);
    free(sv);
}
