/* dates_lex.c - compiling the date lexicons and patterns.
 *
 * Every DATEWORD entry goes into one map keyed by its lower-cased surface
 * (white space folded to one space); the value holds one entry per class,
 * so "second" is both a unit and an ordinal.  Case-sensitive lists
 * (holidays) go into a second map.  NUMBER cardinals and the WORDCLASS
 * yearword/determiner/stop words are added as classes of their own.
 * Surfaces never start with "the": an entry with the=yes needs "the"
 * before it, and takes it into the span.
 */
#include "dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Numeric forms.  Explicit ASCII classes, bounded repeats: no pattern can
 * backtrack more than a few steps. */
#define RX_YMD_SRC "([12][0-9]{3})([-/.])([0-9]{1,2})\\2([0-9]{1,2})(?![0-9A-Za-z]|[-/.][0-9])"
#define RX_NUMDATE_SRC                                                          \
    "([0-9]{1,2})([-/.])([0-9]{1,2})(?:\\2([0-9]{4}|[0-9]{2})|,([0-9]{4}|[0-9]{2}))?"  \
    "(?![0-9A-Za-z]|[-/.,][0-9])"
#define RX_CLOCK_SRC "([0-9]{1,2}):([0-5][0-9])(?::([0-5][0-9]))?(?![0-9]|[:.][0-9])"

const char nm_dates_rules_text[] = "dates 1\n" RX_YMD_SRC "\n" RX_NUMDATE_SRC "\n" RX_CLOCK_SRC "\n";

static const struct {
    const char *name;
    dw_class cls;
} class_names[] = {
    {"month", DW_MONTH}, {"weekday", DW_WEEKDAY}, {"season", DW_SEASON},
    {"holiday", DW_HOLIDAY}, {"unit", DW_UNIT}, {"ordinal", DW_ORDINAL}, {"ref", DW_REF},
    {"shift", DW_SHIFT}, {"part", DW_PART}, {"mod", DW_MOD}, {"set", DW_SET},
    {"each", DW_EACH}, {"vague", DW_VAGUE}, {"clock", DW_CLOCK}, {"daypart", DW_DAYPART},
    {"ampm", DW_AMPM}, {"zone", DW_ZONE}, {"signal", DW_SIGNAL}, {"quarter", DW_QUARTER},
    {"tense", DW_TENSE}, {"code", DW_CODE}, {"dateprep", DW_DATEPREP},
};

/* Classes that can head an expression: their first words trigger parsing. */
static bool head_class(dw_class k)
{
    return k == DW_MONTH || k == DW_WEEKDAY || k == DW_SEASON || k == DW_HOLIDAY ||
           k == DW_UNIT || k == DW_REF || k == DW_SET || k == DW_CLOCK || k == DW_DAYPART ||
           k == DW_QUARTER;
}

static int class_of(const char *name)
{
    for (size_t i = 0; i < sizeof class_names / sizeof class_names[0]; i++)
        if (strcmp(class_names[i].name, name) == 0)
            return (int)class_names[i].cls;
    return -1;
}

/* Folds runs of white space to one space; lower-cases when asked. */
size_t nm_dt_fold(char *out, size_t cap, const char *s, size_t n, bool lower)
{
    size_t o = 0;
    bool sp = false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            sp = o > 0;
            continue;
        }
        if (o + 2 >= cap)
            return SIZE_MAX;
        if (sp)
            out[o++] = ' ';
        sp = false;
        out[o++] = lower && ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
    }
    out[o] = '\0';
    return o;
}

typedef struct load_arg {
    nm_ctx *ctx;
    nm_date_rules *r;
    int fixed;  /* class for non-DATEWORD lists, or -1 */
} load_arg;

static void set_first(nm_date_rules *r, const char *k)
{
    unsigned char a = (unsigned char)k[0], b = (unsigned char)k[1];
    if (a >= 128)
        return;
    if (a >= 'A' && a <= 'Z')
        a = (unsigned char)(a + 32);
    if (b == ' ' || b >= 128)
        b = 0;
    if (b >= 'A' && b <= 'Z')
        b = (unsigned char)(b + 32);
    r->first[a] |= 1u << (b & 31);
}

static size_t count_words(const char *k)
{
    size_t w = 1;
    for (const char *p = k; *p; p++)
        w += *p == ' ' || *p == '\'' || *p == '-' || (*p == '.' && p[1] && p[1] != ' ');
    return w;
}

static nm_dword *get_word(load_arg *x, nm_hash *h, const char *k, size_t n)
{
    nm_dword *w = nm_hash_get(h, k, n);
    if (!w) {
        w = nm_arena_alloc(&x->ctx->lex.arena, sizeof *w);
        memset(w, 0, sizeof *w);
        nm_hash_put(h, nm_arena_strndup(&x->ctx->lex.arena, k, n), n, w);
    }
    return w;
}

/* Flags the first and last word of a multi-word entry, and the lower-cased
 * first word of a case-sensitive one, so lookups try longer keys only
 * after such words. */
static void mark_words(load_arg *x, const char *k, size_t n, bool lower)
{
    char low[256];
    nm_ascii_lower(low, sizeof low, k, n);
    size_t a = strcspn(low, " '");
    const char *sp = strrchr(low, ' ');
    if (!lower)
        get_word(x, &x->r->ci, low, a)->flags |= DWF_CS;
    if (!sp)
        return;
    get_word(x, &x->r->ci, low, a)->flags |= DWF_MULTI_START;
    get_word(x, &x->r->ci, sp + 1, strlen(sp + 1))->flags |= DWF_MULTI_END;
}

static void add_word(const nm_lex_list *l, const nm_lex_entry *e, void *arg)
{
    load_arg *x = arg;
    nm_date_rules *r = x->r;
    int k = x->fixed;
    if (k < 0) {
        const char *cl = nm_dt_attr(e, "class");
        k = cl ? class_of(cl) : -1;
        if (k < 0) {
            nm_ctx_msg(x->ctx, "%s:%u: unknown or missing class for DATEWORD '%s'", l->path,
                       e->line, e->surface);
            return;
        }
    } else if (k == DW_NUMBER && strcmp(e->type, "cardinal") != 0) {
        return;
    } else if (k == DW_YEARWORD) { /* WORDCLASS: keep the classes we use */
        const char *cl = nm_dt_attr(e, "class");
        k = !cl ? -1 : strcmp(cl, "yearword") == 0 ? DW_YEARWORD
                   : strcmp(cl, "determiner") == 0 ? DW_DETERMINER
                   : strcmp(cl, "stop") == 0       ? DW_STOP : -1;
        if (k < 0)
            return;
    }
    char buf[256];
    bool lower = l->icase;
    size_t n = nm_dt_fold(buf, sizeof buf, e->surface, strlen(e->surface), lower);
    if (n == SIZE_MAX || n == 0)
        return;
    nm_dword *w = get_word(x, lower ? &r->ci : &r->cs, buf, n);
    if (!w->e[k])
        w->e[k] = e;
    if (head_class((dw_class)k))
        w->heads |= 1u << k;
    mark_words(x, buf, n, lower);
    if (head_class((dw_class)k))
        set_first(r, buf);
    size_t nw = count_words(buf);
    if (nw > r->maxw)
        r->maxw = nw;
    if (n > r->maxkey)
        r->maxkey = n;
}

static void sig_add(dt_sigset *set, const char *k, size_t n)
{
    char one[2] = {k[0], 0};
    for (int b = 0; b < (n == 1 ? 256 : 1); b++) { /* one byte: any byte after it */
        one[1] = (char)b;
        uint32_t h = nm_dt_sig(n == 1 ? one : k, n);
        set->b[h >> 6] |= 1ull << (h & 63);
    }
}

/* Could the word, as a token, head an expression: a head word, or the
 * first word of a multi-word or case-sensitive entry, whose first letters
 * pass the first[] test. */
static bool is_trigger(const nm_date_rules *r, const char *k, size_t n, const nm_dword *w)
{
    unsigned a = (unsigned char)k[0], b = n > 1 ? (unsigned char)k[1] : 0;
    if (a >= 128 || b >= 128 || !((r->first[a] >> (b & 31)) & 1u))
        return false;
    return w->heads || (w->flags & (DWF_MULTI_START | DWF_CS));
}

/* The classes of key word k that a span lookup can return (only
 * holidays from the cs map). */
static uint32_t key_classes(const nm_dword *k, bool cs)
{
    uint32_t m = 0;
    for (int i = 0; i < DW_NCLASS; i++)
        if (k->e[i] && (!cs || i == DW_HOLIDAY))
            m |= 1u << i;
    return m;
}

static void spans_add(dw_spans *sp, size_t n, uint32_t cls)
{
    if (!cls)
        return;
    sp->cls |= cls;
    sp->lens |= 1ull << (n < 63 ? n : 63);
    if (n > sp->max)
        sp->max = n;
}

/* Notes key k (n bytes, its word kw) in the spans of word w (key wk, m
 * bytes) when k is longer and begins or ends with wk. */
static void note_key(nm_dword *w, const char *wk, size_t m, const nm_hash_slot *k, bool cs)
{
    char low[256];
    size_t n = k->len;
    char a = k->key[0], z = k->key[n - 1]; /* a quick test on the first and last bytes */
    a = a >= 'A' && a <= 'Z' ? (char)(a + 32) : a;
    z = z >= 'A' && z <= 'Z' ? (char)(z + 32) : z;
    if (n <= m || (a != wk[0] && z != wk[m - 1]) ||
        nm_ascii_lower(low, sizeof low, k->key, n) == SIZE_MAX)
        return;
    uint32_t cls = key_classes(k->val, cs);
    if (memcmp(low, wk, m) == 0 && cls) {
        spans_add(&w->fwd, n, cls);
        size_t r = low[m] == ' ' ? m + 1 : m; /* the rest of the key */
        unsigned char a = (unsigned char)low[r], b = (unsigned char)low[r + 1];
        if (!b)
            w->fnext1[a >> 6] |= 1ull << (a & 63);
        else
            w->fnext2[nm_dt_hash2(a, b) >> 6] |= 1ull << (nm_dt_hash2(a, b) & 63);
    }
    if (memcmp(low + n - m, wk, m) == 0)
        spans_add(&w->back, n, cls);
}

/* Could the word's parser for head class cls (that looks up entries of
 * several words from the token) find one? */
static bool may_find(const nm_dword *w, dw_class cls)
{
    bool multi = (w->flags & (DWF_MULTI_START | DWF_CS)) && ((w->fwd.cls >> cls) & 1u);
    return w->e[cls] || multi || (cls == DW_HOLIDAY && (w->flags & DWF_CS));
}

/* The parsers that apply to a word: by its classes and the longer entries
 * it begins (a parser that would find nothing is left out). */
static uint16_t word_parsers(const nm_dword *w)
{
    static const uint32_t need[DP_COUNT] = {
        1u << DW_UNIT, 1u << DW_MONTH, 1u << DW_WEEKDAY, 1u << DW_SEASON, 1u << DW_HOLIDAY,
        1u << DW_QUARTER, 1u << DW_REF, 1u << DW_SET, (1u << DW_CLOCK) | (1u << DW_DAYPART)};
    bool multi = (w->flags & DWF_MULTI_START) != 0;
    uint16_t m = 0;
    for (int i = 0; i < DP_COUNT; i++) {
        bool applies = (w->heads & need[i]) || (i == DP_HOLIDAY && (w->flags & DWF_CS)) ||
                       (multi && (i == DP_SEASON || i == DP_HOLIDAY || i == DP_REF));
        if (i == DP_SEASON || i == DP_HOLIDAY || i == DP_REF)
            applies = applies && may_find(w, i == DP_SEASON    ? DW_SEASON
                                             : i == DP_HOLIDAY ? DW_HOLIDAY
                                                               : DW_REF);
        if (applies)
            m |= (uint16_t)(1u << i);
    }
    return m;
}

/* The parsers of word w that start by looking up an entry of their class
 * from the token (nm_dw_fwd) and that the word alone cannot give one:
 * reference words, seasons and holidays ("at" of "at present"). */
static uint16_t longer_parsers(const nm_dword *w)
{
    uint16_t m = 0;
    if (!w->e[DW_REF])
        m |= 1u << DP_REF;
    if (!w->e[DW_SEASON])
        m |= 1u << DP_SEASON;
    if (!w->e[DW_HOLIDAY] && !(w->flags & DWF_CS_HOLIDAY))
        m |= 1u << DP_HOLIDAY;
    return m & w->parsers;
}

/* The spans of the words that begin or end longer entries. */
static void make_spans(nm_date_rules *r)
{
    for (size_t i = 0; i < r->ci.cap; i++) {
        const nm_hash_slot *s = &r->ci.slots[i];
        nm_dword *w = s->val;
        if (!s->key || !(w->flags & (DWF_MULTI_START | DWF_MULTI_END | DWF_CS)))
            continue;
        for (size_t j = 0; j < r->ci.cap; j++)
            if (r->ci.slots[j].key)
                note_key(w, s->key, s->len, &r->ci.slots[j], false);
        for (size_t j = 0; j < r->cs.cap; j++)
            if (r->cs.slots[j].key)
                note_key(w, s->key, s->len, &r->cs.slots[j], true);
    }
    /* The words a case-sensitive holiday is, in any case (cs_token). */
    for (size_t i = 0; i < r->cs.cap; i++) {
        const nm_hash_slot *s = &r->cs.slots[i];
        const nm_dword *x = s->val;
        char low[256];
        if (!s->key || !x->e[DW_HOLIDAY] ||
            nm_ascii_lower(low, sizeof low, s->key, s->len) == SIZE_MAX)
            continue;
        nm_dword *w = nm_hash_get(&r->ci, low, s->len);
        if (w)
            w->flags |= DWF_CS_HOLIDAY;
    }
    for (size_t i = 0; i < r->ci.cap; i++)
        if (r->ci.slots[i].key) {
            nm_dword *w = r->ci.slots[i].val;
            w->parsers = word_parsers(w);
            w->longer = longer_parsers(w);
        }
}

/* Can a token that is not turned away by its letters begin with byte a? */
static bool lead_any(unsigned a) { return (a >= '0' && a <= '9') || a >= 128; }

/* Enters trigger key k (n bytes) in r->lead, in both cases of its first
 * and last bytes (as nm_dt_sig folds them); a key of 64 bytes or more is
 * never a token's word (nm_dw_find). */
static void lead_add(nm_date_rules *r, const char *k, size_t n)
{
    if (n >= 64)
        return;
    unsigned a = (unsigned char)k[0], z = (unsigned char)k[n - 1];
    uint64_t bits = 1ull << (z & 63) | 1ull << ((z ^ 32u) & 63);
    r->lead[a][n] |= bits;
    r->lead[a ^ 32u][n] |= bits;
}

/* The signature sets of both maps and the trigger flags of the words. */
static void make_sigs(nm_date_rules *r)
{
    for (unsigned a = 0; a < 256; a++)
        if (lead_any(a))
            memset(r->lead[a] + 1, 0xFF, sizeof r->lead[a] - sizeof r->lead[a][0]);
    for (size_t i = 0; i < r->ci.cap; i++) {
        nm_hash_slot *s = &r->ci.slots[i];
        if (!s->key)
            continue;
        nm_dword *w = s->val;
        if (s->key[0] == ',')
            r->comma_key = true;
        sig_add(&r->words, s->key, s->len);
        if (w->e[DW_TENSE])
            sig_add(&r->tense, s->key, s->len);
        if (w->e[DW_MONTH] || w->e[DW_AMPM])
            sig_add(&r->monthampm, s->key, s->len);
        /* (a word no parser takes, "from" or "more", would only be
         * looked up to be turned away: not a trigger; make_spans has set
         * the parsers) */
        w->trig = w->parsers && is_trigger(r, s->key, s->len, w);
        if (w->trig) {
            sig_add(&r->trig, s->key, s->len);
            lead_add(r, s->key, s->len);
        }
    }
    for (size_t i = 0; i < r->cs.cap; i++)
        if (r->cs.slots[i].key)
            sig_add(&r->cswords, r->cs.slots[i].key, r->cs.slots[i].len);
}

static nm_status compile(nm_ctx *ctx, nm_date_rules *r)
{
    static const struct {
        const char *id, *src;
    } rx[RX_COUNT] = {
        {"date.ymd", RX_YMD_SRC}, {"date.numeric", RX_NUMDATE_SRC}, {"date.clock", RX_CLOCK_SRC},
    };
    nm_status res = NM_OK;
    for (int i = 0; i < RX_COUNT; i++) {
        char err[300];
        nm_status st =
            nm_pattern_compile(&r->rx[i], rx[i].id, rx[i].src, PCRE2_ANCHORED, err, sizeof err);
        if (st != NM_OK) {
            nm_ctx_msg(ctx, "%s", err);
            res = st;
        }
    }
    return res;
}

nm_status nm_dates_init(nm_ctx *ctx)
{
    nm_date_rules *r = nm_xcalloc(1, sizeof *r);
    ctx->dates = r;
    r->day_first = ctx->opt.day_first != 0;
    load_arg x = {ctx, r, -1};
    nm_lex_each(&ctx->lex, "DATEWORD", add_word, &x);
    x.fixed = DW_NUMBER;
    nm_lex_each(&ctx->lex, "NUMBER", add_word, &x);
    x.fixed = DW_YEARWORD;
    nm_lex_each(&ctx->lex, "WORDCLASS", add_word, &x);
    if (r->maxw > DT_SPAN_MAX)
        r->maxw = DT_SPAN_MAX;
    if (r->maxkey > DT_KEY_MAX)
        r->maxkey = DT_KEY_MAX;
    make_spans(r);
    make_sigs(r);
    nm_dw_make_shorts(r);
    return compile(ctx, r);
}

void nm_dates_release(nm_ctx *ctx)
{
    nm_date_rules *r = ctx->dates;
    if (!r)
        return;
    nm_hash_free(&r->ci);
    nm_hash_free(&r->cs);
    free(r->short_keys);
    free(r->short_vals);
    free(r->hot);
    free(r->byid);
    for (int i = 0; i < RX_COUNT; i++)
        if (r->rx[i].code)
            nm_pattern_free(&r->rx[i]);
    free(r);
    ctx->dates = NULL;
}
