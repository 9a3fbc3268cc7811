/* extract.c - the extractor table and token helpers. */
#include "extract.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const nm_extractor nm_extractors[] = {
    {"dates", nm_dates_init, nm_dates_run, nm_dates_release, nm_dates_rules_text},
    {"figures", nm_figures_init, nm_figures_run, nm_figures_free, nm_figures_rules_text},
    {"entities", nm_entities_init, nm_entities_run, nm_entities_free, nm_entities_rules_text},
    {"events", nm_events_init, nm_events_run, nm_events_free, nm_events_rules_text},
};
const size_t nm_extractor_count = sizeof nm_extractors / sizeof nm_extractors[0];

void nm_ctx_msg(nm_ctx *ctx, const char *fmt, ...)
{
    char buf[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    NM_VEC_PUSH(ctx->msgs, ctx->nmsgs, ctx->cmsgs, nm_xstrdup(buf));
}

void nm_lex_each(const nm_lexset *ls, const char *kind, nm_lex_visit fn, void *arg)
{
    for (size_t i = 0; i < ls->nlists; i++) {
        const nm_lex_list *l = &ls->lists[i];
        if (strcmp(l->kind, kind) != 0)
            continue;
        for (size_t j = 0; j < l->n; j++)
            fn(l, &l->entries[j], arg);
    }
}

/* The first token in [lo, hi) starting at or after off (hi if none). */
static size_t tok_search(const nm_doc *doc, size_t lo, size_t hi, uint32_t off)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (doc->toks[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t nm_tok_at_from(const nm_doc *doc, size_t lo, uint32_t off)
{
    size_t hi = lo, step = 1;
    while (hi < doc->ntoks && doc->toks[hi].off < off) { /* doubling steps */
        lo = hi + 1;
        hi += step;
        step *= 2;
    }
    return tok_search(doc, lo, hi < doc->ntoks ? hi : doc->ntoks, off);
}

size_t nm_tok_at(const nm_doc *doc, uint32_t off)
{
    return tok_search(doc, 0, doc->ntoks, off);
}

size_t nm_tok_before(const nm_doc *doc, uint32_t off)
{
    size_t i = nm_tok_at(doc, off);
    while (i > 0) {
        i--;
        if (doc->toks[i].off + doc->toks[i].len <= off)
            return i;
    }
    return SIZE_MAX;
}

size_t nm_tok_lower(const nm_doc *doc, size_t t, char *buf, size_t cap)
{
    if (t >= doc->ntoks) {
        buf[0] = '\0';
        return 0;
    }
    const nm_tok *k = &doc->toks[t];
    size_t n = nm_ascii_lower(buf, cap, doc->text + k->off, k->len);
    if (n == SIZE_MAX) {
        buf[0] = '\0';
        return 0;
    }
    return n;
}
