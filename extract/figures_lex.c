/* figures_lex.c - compiling the figure lexicons and patterns.
 *
 * Word lists come from lexicons/ (NUMBER, SCALE, UNIT, CURRENCY, QUALIFIER,
 * CHANGE, WORDCLASS, COUNTED).  Two PCRE2 patterns find candidates: digit
 * numbers (explicit ASCII classes, no UCP, so JIT scans at GB/s) and the
 * number words, built from the NUMBER and SCALE lists.
 */
#include "figures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fixed patterns of the figure extractor, hashed into the digest. */
#define DIGITS_RX "(?<![0-9A-Za-z_])[0-9]{1,3}(?:,[0-9]{3})+(?:\\.[0-9]+)?|(?<![0-9A-Za-z_])[0-9]+(?:\\.[0-9]+)?"
const char nm_figures_rules_text[] = "figures 1\n" DIGITS_RX "\n";

/* Lower-cases and folds runs of white space to one space. */
char *nm_fig_key(nm_arena *a, const char *s, size_t n, bool lower)
{
    char *k = nm_arena_alloc(a, n + 1);
    size_t o = 0;
    bool sp = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            sp = o > 0;
            continue;
        }
        if (sp)
            k[o++] = ' ';
        sp = false;
        k[o++] = lower && c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
    k[o] = '\0';
    return k;
}

typedef struct add_arg {
    nm_ctx *ctx;
    nm_figure_rules *r;
    nm_hash *cs, *ci;
    size_t *maxw;
} add_arg;

static size_t count_words(const char *k)
{
    size_t w = 1;
    for (const char *p = k; *p; p++)
        w += *p == ' ' || *p == '$' || *p == '.' || *p == '-';
    return w;
}

static void add_entry(const nm_lex_list *l, const nm_lex_entry *e, void *arg)
{
    add_arg *x = arg;
    nm_arena *a = &x->ctx->lex.arena;
    char *k = nm_fig_key(a, e->surface, strlen(e->surface), l->icase);
    if (!*k)
        return;
    nm_hash_put(l->icase ? x->ci : x->cs, k, strlen(k), (void *)e);
    if (x->maxw) {
        size_t w = count_words(k);
        if (w > *x->maxw)
            *x->maxw = w;
    }
}

static void load(nm_ctx *ctx, const char *kind, nm_hash *cs, nm_hash *ci, size_t *maxw)
{
    add_arg x = {ctx, ctx->figures, cs, ci, maxw};
    nm_lex_each(&ctx->lex, kind, add_entry, &x);
}

/* Appends the escaped surface of NUMBER and SCALE entries to a pattern. */
typedef struct rx_buf {
    char *s;
    size_t n, cap;
} rx_buf;

static void rx_put(rx_buf *b, const char *s)
{
    size_t n = strlen(s);
    nm_vec_reserve((void **)&b->s, &b->cap, b->n + n + 1, 1);
    memcpy(b->s + b->n, s, n + 1);
    b->n += n;
}

static void rx_word(const nm_lex_list *l, const nm_lex_entry *e, void *arg)
{
    NM_UNUSED(l);
    rx_buf *b = arg;
    const char *s = e->surface;
    if (nm_lex_attr(e, "attached"))
        return; /* 5k, 3m: found with the digits */
    char esc[256];
    size_t o = 0;
    for (; *s && o < sizeof esc - 3; s++) {
        if (strchr("\\^$.|?*+()[]{}", *s))
            esc[o++] = '\\';
        esc[o++] = *s;
    }
    esc[o] = '\0';
    rx_put(b, b->n > 0 && b->s[b->n - 1] != '(' ? "|" : "");
    rx_put(b, esc);
}

static nm_status compile_words(nm_ctx *ctx, nm_figure_rules *r)
{
    rx_buf b = {NULL, 0, 0};
    rx_put(&b, "(?<![A-Za-z0-9_])(?:");
    size_t before = b.n;
    nm_lex_each(&ctx->lex, "NUMBER", rx_word, &b);
    nm_lex_each(&ctx->lex, "SCALE", rx_word, &b);
    if (b.n == before)
        rx_put(&b, "(*FAIL)");
    rx_put(&b, ")(?![A-Za-z0-9_])");
    char err[300];
    nm_status st = nm_pattern_compile(&r->words, "figure.words", b.s, PCRE2_CASELESS, err, sizeof err);
    if (st != NM_OK)
        nm_ctx_msg(ctx, "%s", err);
    free(b.s);
    return st;
}

nm_status nm_figures_init(nm_ctx *ctx)
{
    nm_figure_rules *r = nm_xcalloc(1, sizeof *r);
    ctx->figures = r;
    load(ctx, "NUMBER", &r->numbers, &r->numbers, NULL);
    load(ctx, "SCALE", &r->scales, &r->scales, NULL);
    load(ctx, "UNIT", &r->units, &r->units, &r->max_unit);
    load(ctx, "CURRENCY", &r->cur_cs, &r->cur_ci, &r->max_cur);
    load(ctx, "QUALIFIER", &r->quals, &r->quals, &r->max_qual);
    load(ctx, "CHANGE", &r->change, &r->change, NULL);
    load(ctx, "WORDCLASS", &r->wclass, &r->wclass, NULL);
    load(ctx, "COUNTED", &r->lemmas, &r->lemmas, NULL);
    char err[300];
    nm_status st = nm_pattern_compile(&r->digits, "figure.digits", DIGITS_RX, 0, err, sizeof err);
    if (st != NM_OK) {
        nm_ctx_msg(ctx, "%s", err);
        return st;
    }
    return compile_words(ctx, r);
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
    if (r->digits.code)
        nm_pattern_free(&r->digits);
    if (r->words.code)
        nm_pattern_free(&r->words);
    free(r);
    ctx->figures = NULL;
}

const char *nm_fig_class(const nm_figure_rules *r, const nm_doc *doc, size_t t)
{
    if (t >= doc->ntoks)
        return NULL;
    char buf[64];
    size_t n = nm_tok_lower(doc, t, buf, sizeof buf);
    if (!n)
        return NULL;
    const nm_lex_entry *e = nm_hash_get(&r->wclass, buf, n);
    if (!e)
        return NULL;
    const char *c = nm_lex_attr(e, "class");
    /* months are capitalized in English: "may" is a verb */
    if (c && strcmp(c, "month") == 0 && !(doc->toks[t].flags & NM_TOK_CAP))
        return NULL;
    return c;
}

/* Looks up the text of tokens [a, b] (inclusive) in cs, then lower-cased
 * in ci. */
const nm_lex_entry *nm_fig_lookup(const nm_doc *doc, size_t a, size_t b, const nm_hash *cs,
                                  const nm_hash *ci)
{
    if (a > b || b >= doc->ntoks)
        return NULL;
    uint32_t s = doc->toks[a].off, e = doc->toks[b].off + doc->toks[b].len;
    if (e - s > 120)
        return NULL;
    char raw[128], low[128];
    size_t o = 0;
    bool sp = false;
    for (uint32_t i = s; i < e; i++) {
        char c = doc->text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            sp = true;
            continue;
        }
        if (sp)
            raw[o++] = ' ';
        sp = false;
        raw[o++] = c;
    }
    raw[o] = '\0';
    const nm_lex_entry *x = cs ? nm_hash_get(cs, raw, o) : NULL;
    if (x || !ci)
        return x;
    nm_ascii_lower(low, sizeof low, raw, o);
    return nm_hash_get(ci, low, o);
}
