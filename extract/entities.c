/* entities.c - the ENTITY extractor: start-up, surname endings, emission.
 * See entities.h for the steps. */
#include "entities.h"
#include "nm_hash.h"

#include <stdlib.h>
#include <string.h>

const char nm_entities_rules_text[] =
    "entities 1: lexicon longest match; chunk rules (head, title, role, say, given, suffix);"
    " coref (first/last name, acronym definitions, quoted names)\n";

static const char *const types[] = {"PERSON", "ORG", "GPE", "LOC", "FACILITY", "NORP"};

const char *nm_ent_type(const char *t)
{
    size_t i;
    switch (t[0]) { /* the first letters differ: one comparison */
    case 'P': i = 0; break;
    case 'O': i = 1; break;
    case 'G': i = 2; break;
    case 'L': i = 3; break;
    case 'F': i = 4; break;
    case 'N': i = 5; break;
    default: return NULL;
    }
    const char *a = types[i], *b = t; /* strcmp of a few bytes, inline */
    while (*a && *a == *b)
        a++, b++;
    return *a == *b ? types[i] : NULL;
}

static void add_name(const nm_lex_list *l, const nm_lex_entry *e, void *arg)
{
    NM_UNUSED(l);
    nm_entity_rules *r = arg;
    if (nm_ent_type(e->type))
        nm_matcher_add(r->names, e->surface, e->icase, e);
}

static uint32_t cue_bit(const char *c)
{
    static const char *const names[] = {"title", "role", "say", "org", "facility",
                                        "gpe", "loc", "func", "given"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], c) == 0)
            return 1u << i;
    return 0;
}

typedef struct cue_load {
    nm_ctx *ctx;
    nm_entity_rules *r;
} cue_load;

static void add_suffix(nm_entity_rules *r, const char *suf)
{
    size_t k = strlen(suf);
    uint64_t bit = 1ULL << r->nsuffix;
    if (k) {
        r->suffix_last[(unsigned char)suf[k - 1]] |= bit;
    } else {
        for (size_t c = 0; c < 256; c++)
            r->suffix_last[c] |= bit;
    }
    r->suffix_len[r->nsuffix] = k;
    r->suffix[r->nsuffix++] = suf;
}

static void add_cue(const nm_lex_list *l, const nm_lex_entry *e, void *arg)
{
    cue_load *cl = arg;
    nm_entity_rules *r = cl->r;
    const char *c = nm_lex_attr(e, "class");
    if (strcmp(c, "suffix") == 0) {
        if (e->surface[0] != '-' || r->nsuffix == NM_ENT_MAX_SUFFIX) {
            nm_ctx_msg(cl->ctx, "%s:%u: a suffix starts with '-' (at most %d suffixes)",
                       l->path, e->line, NM_ENT_MAX_SUFFIX);
        } else {
            add_suffix(r, e->surface + 1);
        }
        return;
    }
    uint32_t bit = cue_bit(c);
    char key[128];
    size_t n = nm_fold(key, sizeof key, e->surface, strlen(e->surface));
    if (!bit || n == SIZE_MAX) {
        nm_ctx_msg(cl->ctx, "%s:%u: unknown name cue class '%s'", l->path, e->line, c);
        return;
    }
    nm_ent_word_of(r, key, n)->cue |= (uint16_t)bit;
}

nm_status nm_entities_init(nm_ctx *ctx)
{
    nm_entity_rules *r = nm_xcalloc(1, sizeof *r);
    ctx->entities = r;
    r->names = nm_matcher_new();
    nm_lex_each(&ctx->lex, "ENTITY", add_name, r);
    size_t before = ctx->nmsgs;
    cue_load cl = {ctx, r};
    nm_lex_each(&ctx->lex, "NAMECUE", add_cue, &cl);
    nm_ent_words_build(r);
    return ctx->nmsgs == before ? NM_OK : NM_E_LEXICON;
}

void nm_entities_free(nm_ctx *ctx)
{
    nm_entity_rules *r = ctx->entities;
    if (!r)
        return;
    nm_matcher_free(r->names);
    nm_ent_words_free(r);
    nm_arena_free(&r->arena);
    free(r);
    ctx->entities = NULL;
}

/* s (k bytes) ASCII lower-cased is w. */
static bool lower_eq(const char *s, const char *w, size_t k)
{
    for (size_t i = 0; i < k; i++)
        if ((s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]) != w[i])
            return false;
    return true;
}

bool nm_ent_surname(const nm_entity_rules *r, const nm_doc *doc, size_t t)
{
    if (t >= doc->ntoks || doc->toks[t].len >= 128 || doc->toks[t].len == 0)
        return false; /* as nm_tok_lower into 128 bytes: no text */
    const char *w = doc->text + doc->toks[t].off;
    size_t n = doc->toks[t].len;
    char last = w[n - 1] >= 'A' && w[n - 1] <= 'Z' ? (char)(w[n - 1] + 32) : w[n - 1];
    for (uint64_t bits = r->suffix_last[(unsigned char)last]; bits; bits &= bits - 1) {
        int i = __builtin_ctzll(bits);
        size_t k = r->suffix_len[i];
        if (n >= k + 3 && lower_eq(w + n - k, r->suffix[i], k))
            return true;
    }
    return false;
}

/* As nm_fold_space(out, n + 2, s, n, false): every run of white space
 * (space, TAB, CR, LF) as one space, none at either end; the bytes above
 * the space are copied without more tests. */
static void collapse_space(char *out, const char *s, size_t n)
{
    size_t o = 0;
    bool sp = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if ((unsigned char)c > ' ' && !sp) {
            out[o++] = c;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            sp = o > 0;
            continue;
        }
        if (sp)
            out[o++] = ' ';
        sp = false;
        out[o++] = c;
    }
    out[o] = '\0';
}

const char *nm_ent_text(nm_doc *doc, uint32_t t0, uint32_t t1)
{
    uint32_t s = doc->toks[t0].off, e = doc->toks[t1 - 1].off + doc->toks[t1 - 1].len;
    char *out = nm_arena_alloc(&doc->arena, e - s + 2);
    /* Tokens that touch or have one space between them (nearly always):
     * the text as it is. */
    bool plain = true;
    for (uint32_t t = t0 + 1; t < t1 && plain; t++) {
        uint32_t gap = doc->toks[t - 1].off + doc->toks[t - 1].len;
        plain = doc->toks[t].off == gap || (doc->toks[t].off == gap + 1 && doc->text[gap] == ' ');
    }
    if (plain) {
        memcpy(out, doc->text + s, e - s);
        out[e - s] = '\0';
    } else {
        collapse_space(out, doc->text + s, e - s);
    }
    return out;
}

void nm_ent_grow(nm_ent_run *er)
{
    size_t cap = er->cap ? 2 * er->cap : 64;
    if (er->e == er->e_stack) {
        nm_ent *e = nm_xmalloc(cap * sizeof *e);
        if (er->n)
            memcpy(e, er->e, er->n * sizeof *e);
        er->e = e;
    } else {
        er->e = nm_xrealloc(er->e, cap * sizeof *er->e);
    }
    er->cap = cap;
}


static void emit(nm_ent_run *er)
{
    nm_doc *doc = er->doc;
    size_t live = 0;
    for (size_t i = 0; i < er->n; i++)
        live += er->e[i].type != NULL;
    /* Room for them all at once, not by doubling on the way. */
    nm_fact_reserve(doc, live);
    for (size_t i = 0; i < er->n; i++) {
        const nm_ent *e = &er->e[i];
        if (!e->type)
            continue;
        uint32_t s = doc->toks[e->t0].off;
        uint32_t end = doc->toks[e->t1 - 1].off + doc->toks[e->t1 - 1].len;
        int32_t f = nm_fact_add(doc, NM_ENTITY, e->type, s, end, e->rule);
        if (e->canon && e->canon_doc) /* already in the document's arena */
            nm_fact_attr_lit(doc, f, "canonical", e->canon);
        else if (e->canon) /* a lexicon string: copied, as the document may outlive the lexicons */
            nm_fact_attr(doc, f, "canonical", e->canon);
        else /* already in the document's arena */
            nm_fact_attr_lit(doc, f, "canonical", nm_ent_text(doc, e->t0, e->t1));
    }
}

static int ent_cmp(const void *a, const void *b)
{
    const nm_ent *x = a, *y = b;
    return x->t0 < y->t0 ? -1 : x->t0 > y->t0;
}

/* Index of the first candidate out of order from i on, or n. */
static size_t sorted_until(const nm_ent *e, size_t i, size_t n)
{
    for (i = i ? i : 1; i < n && e[i - 1].t0 <= e[i].t0; i++)
        ;
    return i < n ? i : n;
}

/* Orders the candidates by first token.  Those of the sentence rules come
 * in order and the aliases of entities_coref.c after them, in order too:
 * two runs, merged in one pass (stably, as qsort's merge sort); anything
 * else is sorted. */
static void sort_ents(nm_ent *e, size_t n)
{
    size_t mid = sorted_until(e, 0, n);
    if (mid == n)
        return;
    if (sorted_until(e, mid + 1, n) != n) {
        qsort(e, n, sizeof *e, ent_cmp);
        return;
    }
    nm_ent buf[64];
    nm_ent *left = mid <= 64 ? buf : nm_xmalloc(mid * sizeof *left);
    memcpy(left, e, mid * sizeof *left);
    size_t i = 0, j = mid, k = 0;
    while (i < mid && j < n)
        e[k++] = e[j].t0 < left[i].t0 ? e[j++] : left[i++];
    while (i < mid)
        e[k++] = left[i++];
    if (left != buf)
        free(left);
}

nm_status nm_entities_run(nm_doc *doc, const nm_ctx *ctx)
{
    nm_ent_run er;
    nm_ent first[64]; /* most documents have fewer candidates: no malloc */
    memset(&er, 0, sizeof er);
    er.doc = doc;
    er.r = ctx->entities;
    er.e = er.e_stack = first;
    er.cap = sizeof first / sizeof first[0];
    nm_ent_tokens(&er);
    for (size_t s = 0; s < doc->nsents; s++) {
        const nm_sent *se = &doc->sents[s];
        size_t s0 = se->tok, s1 = s0 + se->ntok;
        /* No candidate in [s0, s1) next to er.next (the first candidate
         * not passed yet): nothing to propose, and nm_ent_sentence would
         * leave er.next as it is. */
        if ((er.next == er.ncand || er.cand[er.next] >= s1) &&
            (er.next == 0 || er.cand[er.next - 1] < s0))
            continue;
        nm_ent_sentence(&er, s0, s1);
    }
    nm_ent_coref(&er);
    sort_ents(er.e, er.n);
    emit(&er);
    if (er.e != er.e_stack)
        free(er.e);
    return NM_OK;
}
