/* dates_word.c - looking words up.
 *
 * The word of a token is looked up once per document and cached.  Most
 * tokens never reach the hash: a signature bit set (dt_sigset) proves
 * that their text is no key.  Entries of several tokens are looked up
 * only from a word that starts (or ends) one: the tokens around it are
 * folded once, each span whose signature is in the set is looked up, and
 * what was found is kept for the next class asked about the same token.
 */
#include "dates.h"

#include <string.h>

/* ------------------------------------------------------------ short keys */

/* ASCII lower-casing of the eight bytes of x at once. */
static uint64_t lower8(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ull;
    uint64_t low7 = x & (0x7F * ones);
    uint64_t ge_a = low7 + 0x3F * ones, gt_z = low7 + 0x25 * ones; /* high bit: >= 'A', > 'Z' */
    uint64_t upper = (ge_a ^ gt_z) & ~x & (0x80 * ones);
    return x | (upper >> 2);
}

static size_t short_slot(uint64_t key, size_t len, unsigned bits)
{
    return (size_t)(((key ^ len) * 0x9E3779B97F4A7C15ull) >> (64 - bits));
}

void nm_dw_make_shorts(nm_date_rules *r)
{
    uint16_t id = 2;
    r->byid = nm_xcalloc(r->ci.n + 2, sizeof *r->byid);
    r->hot = nm_xcalloc(r->ci.n + 2, sizeof *r->hot);
    size_t nshort = 0;
    for (size_t i = 0; i < r->ci.cap; i++)
        if (r->ci.slots[i].key) {
            nm_dword *w = r->ci.slots[i].val;
            w->id = id;
            if (id == DW_NOID)
                continue;
            r->byid[id] = w;
            dt_hot *h = &r->hot[id++];
            for (int k = 0; k < DW_NCLASS; k++)
                if (w->e[k])
                    h->cls |= 1u << k;
            h->parsers = w->parsers;
            h->longer = w->longer;
            h->flags = w->flags;
            h->trig = w->trig;
            nshort += r->ci.slots[i].len <= 8;
        }
    if (id == DW_NOID)
        return; /* (no short keys: a slot holds an id) */
    r->short_bits = 4;
    while ((1u << r->short_bits) < 2 * nshort)
        r->short_bits++;
    size_t cap = (size_t)1 << r->short_bits;
    r->short_keys = nm_xcalloc(cap, sizeof *r->short_keys);
    r->short_vals = nm_xcalloc(cap, sizeof *r->short_vals);
    for (size_t i = 0; i < r->ci.cap; i++) {
        const nm_hash_slot *s = &r->ci.slots[i];
        if (!s->key || s->len == 0 || s->len > 8)
            continue;
        uint64_t key = 0;
        memcpy(&key, s->key, s->len);
        size_t j = short_slot(key, s->len, r->short_bits);
        while (r->short_keys[j])
            j = (j + 1) & (cap - 1);
        const nm_dword *w = s->val;
        r->short_keys[j] = key;
        r->short_vals[j] = w->id | (uint32_t)s->len << 16;
    }
}

/* The id of the word of the n <= 8 bytes at s (of the text, which ends at
 * end), or 1.  (A key is no zero: a key of 1 to 8 bytes has no NUL.) */
static inline __attribute__((always_inline)) uint16_t
short_get(const nm_date_rules *r, const char *s, size_t n, const char *end)
{
    uint64_t x = 0;
    if (end - s >= 8) {
        memcpy(&x, s, 8);
        if (n < 8)
            x &= (1ull << (8 * n)) - 1;
    } else {
        memcpy(&x, s, n);
    }
    x = lower8(x);
    size_t mask = ((size_t)1 << r->short_bits) - 1;
    for (size_t j = short_slot(x, n, r->short_bits); r->short_keys[j]; j = (j + 1) & mask)
        if (r->short_keys[j] == x && r->short_vals[j] >> 16 == n)
            return (uint16_t)r->short_vals[j];
    return 1;
}

/* ------------------------------------------------------------ words */

/* The word of the n bytes at s: its id (1: none), and *w when it is
 * DW_NOID or was read anyway.  (A short word goes straight to its probe,
 * about as cheap as the signature test, which most words looked up
 * pass.) */
static inline __attribute__((always_inline)) uint16_t
lookup_id(const dctx *c, const char *s, size_t n, const nm_dword **w)
{
    *w = NULL;
    if (n <= 8 && c->r->short_keys)
        return short_get(c->r, s, n, c->doc->text + c->doc->text_len);
    *w = nm_dt_sig_has(&c->r->words, s, n) ? nm_hash_get_lower(&c->r->ci, s, n) : NULL;
    return *w ? (*w)->id : 1;
}

const nm_dword *nm_dw_lookup(const dctx *c, const char *s, size_t n)
{
    const nm_dword *w;
    uint16_t id = lookup_id(c, s, n, &w);
    return id == DW_NOID ? w : c->r->byid[id];
}

/* The id of the word of token t, cached (but DW_NOID); *w as lookup_id. */
static inline __attribute__((always_inline)) uint16_t find_id(const dctx *c, size_t t,
                                                              const nm_dword **w)
{
    const nm_tok *k = &c->doc->toks[t];
    uint16_t id = 1;
    *w = NULL;
    if (k->len > 0 && k->len < 64 && !(k->flags & NM_TOK_PUNCT))
        id = lookup_id(c, c->doc->text + k->off, k->len, w);
    if (id != DW_NOID)
        c->wc[t] = id;
    return id;
}

uint16_t nm_dw_find_id(const dctx *c, size_t t)
{
    const nm_dword *w;
    return find_id(c, t, &w);
}

const nm_dword *nm_dw_find(const dctx *c, size_t t)
{
    const nm_dword *w;
    uint16_t id = find_id(c, t, &w);
    return id == DW_NOID ? w : c->r->byid[id];
}

/* The case-sensitive word of token t as written. */
static const nm_dword *cs_token(const dctx *c, size_t t)
{
    const nm_tok *k = &c->doc->toks[t];
    char buf[160];
    if (k->len >= sizeof buf)
        return NULL;
    size_t n = nm_dt_fold(buf, sizeof buf, c->doc->text + k->off, k->len, false);
    return n == SIZE_MAX ? NULL : nm_hash_get(&c->r->cs, buf, n);
}

const nm_lex_entry *nm_dw_cs_tok(const dctx *c, size_t t)
{
    const nm_dword *x = cs_token(c, t);
    return x ? x->e[DW_HOLIDAY] : NULL;
}

/* The entry of class cls that token t alone makes, its word being w. */
static const nm_lex_entry *lookup1(const dctx *c, size_t t, const nm_dword *w, dw_class cls)
{
    if (w->e[cls])
        return w->e[cls];
    return cls == DW_HOLIDAY && (w->flags & DWF_CS) ? nm_dw_cs_tok(c, t) : NULL;
}

/* ------------------------------------------------------------ spans */

typedef struct folder {
    char buf[160];
    size_t o;
    bool sp;
} folder;

/* Appends s[0, n) folded as nm_dt_fold does (case kept); *mark, while
 * SIZE_MAX, becomes the position of the first byte written. */
static void fold_more(folder *f, const char *s, size_t n, size_t *mark)
{
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            f->sp = f->o > 0;
            continue;
        }
        if (f->sp)
            f->buf[f->o++] = ' ';
        f->sp = false;
        if (*mark == SIZE_MAX)
            *mark = f->o;
        f->buf[f->o++] = ch;
    }
}

/* Looks up the folded key of a span of k > 1 tokens in both maps, when
 * some key the word begins or ends (sw) has its length. */
static void look_span(const dctx *c, dspan *sp, size_t k, const char *key, size_t n,
                      const dw_spans *sw)
{
    if (n == 0 || n > c->r->maxkey || !((sw->lens >> (n < 63 ? n : 63)) & 1u))
        return;
    const nm_dword *ci = NULL, *cs = NULL;
    if (nm_dt_sig_has(&c->r->words, key, n)) {
        char low[160];
        nm_ascii_lower(low, sizeof low, key, n);
        ci = nm_hash_get(&c->r->ci, low, n);
    }
    if (nm_dt_sig_has(&c->r->cswords, key, n))
        cs = nm_hash_get(&c->r->cs, key, n);
    if (ci || cs) {
        sp->ci[k] = ci;
        sp->cs[k] = cs;
        sp->found |= 1u << k;
    }
}

/* Starts sp for token t (word w) in the current sentence; false when it
 * already holds it. */
static bool span_reset(const dctx *c, dspan *sp, size_t t, const nm_dword *w)
{
    if (sp->made && sp->t == t && sp->s0 == c->s0 && sp->s1 == c->s1)
        return false;
    sp->made = true; /* (no need to clear ci and cs: found says what holds) */
    sp->found = 1u << 1;
    sp->t = t;
    sp->s0 = c->s0;
    sp->s1 = c->s1;
    sp->ci[1] = w;
    sp->cs[1] = (w->flags & DWF_CS) ? cs_token(c, t) : NULL;
    return true;
}

/* The spans of 2 to maxw tokens from t (of the sentence, under 160 bytes
 * of text, no longer than the keys its word w begins). */
static const dspan *span_fwd(dctx *c, size_t t, const nm_dword *w)
{
    dspan *sp = &c->fwd;
    if (!span_reset(c, sp, t, w))
        return sp;
    const nm_tok *toks = c->doc->toks;
    size_t start = toks[t].off, prev = start, mark = 0;
    folder f;
    f.o = 0;
    f.sp = false;
    for (size_t k = 1; k <= c->r->maxw && t + k - 1 < c->s1; k++) {
        const nm_tok *y = &toks[t + k - 1];
        size_t end = (size_t)y->off + y->len;
        if (end - start >= sizeof f.buf)
            break;
        fold_more(&f, c->doc->text + prev, end - prev, &mark);
        prev = end;
        if (f.o > w->fwd.max)
            break;
        if (k > 1)
            look_span(c, sp, k, f.buf, f.o, &w->fwd);
    }
    return sp;
}

/* The spans of 2 to maxw tokens that end at t. */
static const dspan *span_back(dctx *c, size_t t, const nm_dword *w)
{
    dspan *sp = &c->back;
    if (!span_reset(c, sp, t, w))
        return sp;
    const nm_tok *toks = c->doc->toks;
    size_t end = (size_t)toks[t].off + toks[t].len;
    size_t lo = t + 1 >= c->r->maxw ? t + 1 - c->r->maxw : 0, a0 = t, bytes = toks[t].len;
    if (lo < c->s0)
        lo = c->s0;
    while (a0 > lo && (bytes += toks[a0 - 1].len) <= w->back.max) /* folds to no fewer */
        a0--;
    while (a0 < t && end - toks[a0].off >= sizeof ((folder *)0)->buf)
        a0++;
    size_t mark[DT_SPAN_MAX], gap = 0, prev = toks[a0].off;
    folder f;
    f.o = 0;
    f.sp = false;
    for (size_t a = a0; a <= t; a++) {
        mark[a - a0] = SIZE_MAX;
        fold_more(&f, c->doc->text + prev, toks[a].off - prev, &gap);
        fold_more(&f, c->doc->text + toks[a].off, toks[a].len, &mark[a - a0]);
        prev = (size_t)toks[a].off + toks[a].len;
    }
    for (size_t a = t + 1; a-- > a0;) /* a token of white space only */
        if (mark[a - a0] == SIZE_MAX)
            mark[a - a0] = a < t ? mark[a + 1 - a0] : f.o;
    for (size_t a = a0; a < t; a++)
        look_span(c, sp, t + 1 - a, f.buf + mark[a - a0], f.o - mark[a - a0], &w->back);
    return sp;
}

static const nm_lex_entry *span_entry(const dspan *sp, size_t k, dw_class cls)
{
    if (!((sp->found >> k) & 1u))
        return NULL;
    if (sp->ci[k] && sp->ci[k]->e[cls])
        return sp->ci[k]->e[cls];
    if (cls == DW_HOLIDAY && sp->cs[k])
        return sp->cs[k]->e[cls];
    return NULL;
}

static bool fold_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

static unsigned char ascii_lower(char ch)
{
    return (unsigned char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
}

/* Can a longer key that begins with word w (token t) follow it: the
 * sentence goes on, and the text after t, past white space, starts as
 * the rest of such a key does (one byte, or two folded as the spans are:
 * see fnext1/fnext2)? */
bool nm_dw_next_may(const dctx *c, size_t t, const nm_dword *w)
{
    if (t + 1 >= c->s1)
        return false;
    const char *s = c->doc->text;
    size_t n = c->doc->text_len, p = (size_t)c->doc->toks[t].off + c->doc->toks[t].len;
    while (p < n && fold_space(s[p]))
        p++;
    if (p >= n)
        return false;
    unsigned char a = ascii_lower(s[p]);
    if ((w->fnext1[a >> 6] >> (a & 63)) & 1u)
        return true;
    if (p + 1 >= n)
        return false;
    unsigned char b = fold_space(s[p + 1]) ? ' ' : ascii_lower(s[p + 1]);
    unsigned h = nm_dt_hash2(a, b);
    return (w->fnext2[h >> 6] >> (h & 63)) & 1u;
}

/* ------------------------------------------------------------ API */

const nm_lex_entry *nm_dw_fwd(dctx *c, size_t t, dw_class cls, size_t *end)
{
    if (!nm_dt_valid(c, t))
        return NULL;
    const nm_dword *w = nm_dw_word(c, t);
    if (!w)
        return NULL;
    if (!(w->flags & (DWF_MULTI_START | DWF_CS)) || !((w->fwd.cls >> cls) & 1u) ||
        !nm_dw_next_may(c, t, w)) {
        const nm_lex_entry *e = lookup1(c, t, w, cls);
        if (e)
            *end = t;
        return e;
    }
    const dspan *sp = span_fwd(c, t, w);
    for (size_t k = c->r->maxw; k >= 1; k--) {
        const nm_lex_entry *e = span_entry(sp, k, cls);
        if (e) {
            *end = t + k - 1;
            return e;
        }
    }
    return NULL;
}

const nm_lex_entry *nm_dw_back(dctx *c, size_t t, dw_class cls, size_t *start)
{
    if (!nm_dt_valid(c, t))
        return NULL;
    const nm_dword *w = nm_dw_word(c, t);
    if (!w)
        return NULL;
    const nm_lex_entry *e;
    if (!(w->flags & DWF_MULTI_END) || !((w->back.cls >> cls) & 1u)) {
        e = lookup1(c, t, w, cls);
        if (e)
            *start = t;
        return e;
    }
    const dspan *sp = span_back(c, t, w);
    for (size_t k = c->r->maxw; k >= 1; k--) {
        e = span_entry(sp, k, cls);
        if (e) {
            *start = t + 1 - k;
            return e;
        }
    }
    return NULL;
}

