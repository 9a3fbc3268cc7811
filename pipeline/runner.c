/* runner.c - the stage table and the per-document run. */
#include "stages.h"

#include <stdlib.h>
#include <string.h>

const nm_stage nm_stages[] = {
    {"normalize", nm_stage_normalize},
    {"segment", nm_stage_segment},
    {"extract", nm_stage_extract},
    {"link", nm_stage_link},
    {"emit", nm_stage_emit},
};
const size_t nm_stage_count = sizeof nm_stages / sizeof nm_stages[0];

nm_status nm_run(nm_doc *doc, const nm_ctx *ctx)
{
    nm_status st = NM_OK;
    if (!doc->raw)
        nm_doc_set_raw(doc, "", 0);
    size_t limit = ctx->opt.max_bytes ? ctx->opt.max_bytes : (size_t)256 << 20;
    if (doc->raw_len > limit) {
        doc->stage = "ingest";
        nm_diag_add(doc, NM_E_TOO_BIG, NM_SEV_ERROR, 0,
                    "document is %zu bytes, over the limit of %zu", doc->raw_len, limit);
        return NM_E_TOO_BIG;
    }
    for (size_t i = 0; i < nm_stage_count; i++) {
        doc->stage = nm_stages[i].name;
        st = nm_stages[i].fn(doc, ctx);
        if (st != NM_OK) {
            if (!doc->failed)
                nm_diag_add(doc, st, NM_SEV_ERROR, 0, "stage %s failed: %s", nm_stages[i].name,
                            nm_status_name(st));
            break;
        }
    }
    doc->stage = "done";
    return st;
}

nm_status nm_stage_extract(nm_doc *doc, const nm_ctx *ctx)
{
    for (size_t i = 0; i < nm_extractor_count; i++) {
        nm_status st = nm_extractors[i].run(doc, ctx);
        if (st != NM_OK)
            return st;
    }
    return NM_OK;
}

/* ------------------------------------------------------------ finalize */

typedef struct sort_key {
    uint32_t start, end;
    int32_t kind, idx;
} sort_key;

/* Position order: start, then kind, then end, then creation order. */
static inline bool key_lt(const sort_key *x, const sort_key *y)
{
    if (x->start != y->start)
        return x->start < y->start;
    if (x->kind != y->kind)
        return x->kind < y->kind;
    if (x->end != y->end)
        return x->end < y->end;
    return x->idx < y->idx;
}

/* Facts arrive as a few ordered runs (each extractor works left to right),
 * so a natural merge sort does it in one or two linear passes.  Sorts a[n]
 * with the help of b[n]; returns whichever of the two holds the result. */
static sort_key *sort_keys(sort_key *a, sort_key *b, size_t n)
{
    for (;;) {
        size_t i = 0, o = 0, runs = 0;
        while (i < n) {
            size_t m = i + 1, e;
            while (m < n && !key_lt(&a[m], &a[m - 1]))
                m++;
            e = m;
            if (m < n)
                for (e = m + 1; e < n && !key_lt(&a[e], &a[e - 1]); e++)
                    ;
            size_t p = i, q = m;
            while (p < m && q < e)
                b[o++] = key_lt(&a[q], &a[p]) ? a[q++] : a[p++];
            while (p < m)
                b[o++] = a[p++];
            while (q < e)
                b[o++] = a[q++];
            i = e;
            runs++;
        }
        sort_key *t = a;
        a = b;
        b = t;
        if (runs <= 1)
            return a;
    }
}

/* Drops dead facts, sorts by position, renumbers slots, assigns ids and
 * raw offsets. */
static void finalize(nm_doc *doc)
{
    size_t n = doc->nfacts, ckeys, cpos, cout;
    sort_key *keys = nm_spare_take(NM_SPARE_SORT_KEYS, &ckeys);
    int32_t *newpos = nm_spare_take(NM_SPARE_SORT_POS, &cpos);
    nm_vec_reserve((void **)&keys, &ckeys, 2 * n + 1, sizeof *keys);
    nm_vec_reserve((void **)&newpos, &cpos, n + 1, sizeof *newpos);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const nm_fact *f = &doc->facts[i];
        newpos[i] = -1;
        if (!f->dead)
            keys[m++] = (sort_key){f->start, f->end, (int32_t)f->kind, (int32_t)i};
    }
    const sort_key *order = sort_keys(keys, keys + n, m);
    for (size_t i = 0; i < m; i++)
        newpos[order[i].idx] = (int32_t)i;
    nm_fact *out = nm_spare_take(NM_SPARE_FACTS_SORTED, &cout);
    nm_vec_reserve((void **)&out, &cout, m + 1, sizeof *out);
    static const char prefix[NM_KIND_COUNT] = {'F', 'T', 'E', 'V'};
    /* one identity segment over all the text (most ASCII articles) */
    bool plain = doc->nmap == 1 && doc->map[0].ident && doc->map[0].norm == 0 &&
                 doc->map[0].raw == 0 && doc->map[0].nlen == doc->text_len &&
                 doc->text_len == doc->raw_len;
    unsigned num[NM_KIND_COUNT] = {0};
    /* every id ("F12") fits in 12 bytes: a letter, up to 10 digits, NUL */
    char *ids = nm_arena_alloc(&doc->arena, m * 12 + 1);
    for (size_t i = 0; i < m; i++) {
        nm_fact *f = &out[i];
        const nm_fact *from = &doc->facts[order[i].idx];
        /* the attributes past nattrs are never read: not copied */
        memcpy(f, from, offsetof(nm_fact, attrs) + from->nattrs * sizeof *from->attrs);
        if (f->kind == NM_EVENT) /* only events fill slots */
            for (int s = 0; s < NM_SLOT_COUNT; s++)
                f->slot[s] = f->slot[s] >= 0 ? newpos[f->slot[s]] : -1;
        if (plain) { /* normalized text == raw bytes: offsets are the same */
            f->rstart = f->start < doc->text_len ? f->start : doc->raw_len;
            f->rend = f->end < doc->text_len ? f->end : doc->text_len;
        } else {
            f->rstart = nm_doc_raw_start(doc, f->start);
            f->rend = nm_doc_raw_end(doc, f->end);
        }
        ids[0] = prefix[f->kind];
        size_t il = nm_utoa(++num[f->kind], ids + 1);
        f->id = ids;
        ids += il + 2;
        doc->kind_count[f->kind]++;
    }
    nm_spare_put(NM_SPARE_FACTS_SORTED, doc->facts, doc->cfacts, sizeof *doc->facts);
    doc->facts = out;
    doc->nfacts = m;
    doc->cfacts = cout;
    for (int k = 0; k < NM_KIND_COUNT; k++) { /* the kind index follows the new order */
        doc->nby[k] = 0;
        doc->unsorted[k] = false;
        nm_vec_reserve((void **)&doc->by_kind[k], &doc->cby[k], doc->kind_count[k] + 1,
                       sizeof *doc->by_kind[k]);
    }
    for (size_t i = 0; i < m; i++) {
        nm_kind k = out[i].kind;
        doc->by_kind[k][doc->nby[k]++] = (int32_t)i;
    }
    nm_spare_put(NM_SPARE_SORT_KEYS, keys, ckeys, sizeof *keys);
    nm_spare_put(NM_SPARE_SORT_POS, newpos, cpos, sizeof *newpos);
}

nm_status nm_stage_link(nm_doc *doc, const nm_ctx *ctx)
{
    NM_UNUSED(ctx);
    finalize(doc);
    return NM_OK;
}
