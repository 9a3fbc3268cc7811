/* dates.c - DATE facts: the driver.
 *
 * For each sentence: note its explicit years and tense markers, then walk
 * its tokens; a token that can head a time expression goes to every parser
 * that applies, and the longest expression wins.  Words before it that
 * give a mod ("since", "more than") are looked up, then the fact is added
 * with its type, value, mod and anchor (relative when the value needed the
 * document date or a year elsewhere in the text).
 *
 * The document date comes from the caller (nm_doc_set_date) or, failing
 * that, from a dateline in the first lines of the text; without one,
 * relative expressions keep unresolved values (XXXX-11) and a warning says
 * so once.
 */
#include "dates.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nm_dt_fmt_year(char *out, size_t cap, int y)
{
    if (cap >= 5 && y < 10000) { /* the common case, written directly */
        if (y > 0) {
            out[0] = (char)('0' + y / 1000);
            out[1] = (char)('0' + y / 100 % 10);
            out[2] = (char)('0' + y / 10 % 10);
            out[3] = (char)('0' + y % 10);
        } else {
            memcpy(out, "XXXX", 4);
        }
        out[4] = '\0';
    } else if (y > 0) {
        nm_dt_fmt(out, cap, "%04d", y);
    } else {
        nm_dt_fmt(out, cap, "XXXX");
    }
}

void nm_dt_take_the(dctx *c, dexpr *e)
{
    if (e->t0 > 0 && nm_dt_free(c, e->t0 - 1) && NM_DT_IS(c, e->t0 - 1, "the"))
        e->t0--;
}

/* ------------------------------------------------------------ context */

/* A participle after an auxiliary ("will be held", "has been closed")
 * carries no tense of its own. */
static bool after_aux(const dctx *c, size_t t)
{
    static const dt_word aux[] = {
        NM_DT_W("be"),  NM_DT_W("been"), NM_DT_W("being"), NM_DT_W("is"),   NM_DT_W("are"),
        NM_DT_W("was"), NM_DT_W("were"), NM_DT_W("has"),   NM_DT_W("have"), NM_DT_W("had"),
        NM_DT_W("get"), NM_DT_W("got"),  {NULL, 0}};
    return t > c->s0 && nm_dt_is_one(c, t - 1, aux);
}

/* A regular past form (-ed). */
static bool past_form(const dctx *c, size_t t)
{
    const nm_tok *k = &c->doc->toks[t];
    const char *s = c->doc->text + k->off;
    return (k->flags & NM_TOK_WORD) && !(k->flags & NM_TOK_CAP) && k->len > 4 &&
           s[k->len - 2] == 'e' && s[k->len - 1] == 'd';
}

/* A year that belongs to a date with a month ("October 7, 1952", "March
 * 2024"): a year-less date of the same sentence may share it. */
static bool dated_year(const dctx *c, size_t t)
{
    size_t p = t - 1;
    if (t <= c->s0 + 1)
        return false;
    if (nm_dt_char(c, p, ',') || NM_DT_IS(c, p, "of"))
        p--;
    bool ord;
    if (p > c->s0 && nm_dt_day(c, p, &ord) > 0)
        p--;
    if (p > c->s0 && nm_dt_char(c, p, '.'))
        p--;
    return nm_dt_valid(c, p) && nm_dw_tok(c, p, DW_MONTH) != NULL;
}

static int tense_of(const dctx *c, size_t t, const nm_tok *k)
{
    /* (most words of the sentence are looked up here first: the
     * signature of the tense words spares most of them the lookup) */
    const nm_lex_entry *e = k->len && nm_dt_sig_has(&c->r->tense, c->doc->text + k->off, k->len)
                                ? nm_dw_tok(c, t, DW_TENSE)
                                : NULL;
    if (e && strcmp(nm_dw_val(e), "future") == 0)
        return TENSE_FUTURE;
    if ((e || past_form(c, t)) && (e && nm_dt_attr(e, "aux") ? true : !after_aux(c, t)))
        return TENSE_PAST;
    if (k->len > 3 && memcmp(c->doc->text + k->off + k->len - 3, "'ll", 3) == 0)
        return TENSE_FUTURE;
    return -1;
}

/* Explicit years of dates in the sentence.  Made when first asked for
 * (years or tense: nm_dt_year_count, nm_dt_tense_at, sentence_year). */
static void scan_years(dctx *c)
{
    c->scanned = true;
    c->nyears = 0;
    for (size_t t = c->s0; t < c->s1; t++) {
        if (!(c->doc->toks[t].flags & NM_TOK_NUM))
            continue;
        int y = nm_dt_year_tok(c, t);
        if (y && c->nyears < 16 && dated_year(c, t)) {
            c->years[c->nyears].tok = t;
            c->years[c->nyears++].year = y;
        }
    }
}

/* Tense markers of the sentence: looked for only when a tense is asked
 * (most sentences need only their years). */
static void scan_marks(dctx *c)
{
    c->marked = true;
    c->nmarks = 0;
    for (size_t t = c->s0; t < c->s1 && c->nmarks < 32; t++) {
        const nm_tok *k = &c->doc->toks[t];
        if (!(k->flags & NM_TOK_WORD) || (k->flags & NM_TOK_NUM))
            continue;
        int tense = tense_of(c, t, k);
        if (tense >= 0) {
            c->marks[c->nmarks].tok = t;
            c->marks[c->nmarks++].tense = tense;
        }
    }
}

/* How many explicit years of dates the sentence holds. */
int nm_dt_year_count(dctx *c)
{
    if (!c->scanned)
        scan_years(c);
    return c->nyears;
}

/* The tense of the closest marker before t, else after it. */
int nm_dt_tense_at(dctx *c, size_t t)
{
    if (!c->scanned)
        scan_years(c);
    if (!c->marked)
        scan_marks(c);
    int before = -1, after = -1;
    for (int i = 0; i < c->nmarks; i++) {
        if (c->marks[i].tok < t)
            before = c->marks[i].tense;
        else if (after < 0)
            after = c->marks[i].tense;
    }
    return before >= 0 ? before : after >= 0 ? after : TENSE_PRESENT;
}

/* The closest year of a dated expression in the sentence, outside e. */
static int sentence_year(dctx *c, const dexpr *e)
{
    if (!c->scanned)
        scan_years(c);
    int best = 0;
    size_t bd = SIZE_MAX;
    for (int i = 0; i < c->nyears; i++) {
        size_t k = c->years[i].tok;
        if (k >= e->t0 && k <= e->t1)
            continue;
        size_t d = k > e->t1 ? k - e->t1 : e->t0 - k;
        if (d < bd) {
            bd = d;
            best = c->years[i].year;
        }
    }
    return best;
}

bool nm_dt_need_doc(dctx *c, dexpr *e, bool need_day)
{
    e->relative = true;
    if (!c->dy || (need_day && !c->dd)) {
        if (!c->dy)
            e->unresolved = true;
        return false;
    }
    return true;
}

/* Months from the document date to y-m-d (d 0: the month itself). */
static long month_dist(const dctx *c, int y, int m, int d)
{
    long a = (long)y * 372 + (m - 1) * 31 + (d ? d - 1 : 15);
    long b = (long)c->dy * 372 + (c->dm - 1) * 31 + (c->dd ? c->dd - 1 : 15);
    return a - b;
}

int nm_dt_year_for(dctx *c, dexpr *e, int m, int d)
{
    int y = sentence_year(c, e);
    if (y)
        return y;
    if (!nm_dt_need_doc(c, e, false))
        return 0;
    int tense = nm_dt_tense_at(c, e->t0);
    if (tense == TENSE_PRESENT)
        tense = TENSE_PAST; /* news reports what happened */
    int best = c->dy;
    long bd = -1;
    for (int cy = c->dy - 1; cy <= c->dy + 1; cy++) {
        long dist = month_dist(c, cy, m, d);
        bool same_month = cy == c->dy && m == c->dm && (!d || !c->dd);
        if (!same_month && ((tense == TENSE_PAST && dist > 0) || (tense == TENSE_FUTURE && dist < 0)))
            continue;
        long ad = dist < 0 ? -dist : dist;
        if (bd < 0 || ad < bd) {
            bd = ad;
            best = cy;
        }
    }
    return best;
}

/* ------------------------------------------------------------ parsing */

typedef bool (*parse_fn)(dctx *c, size_t t, dexpr *e);

/* Runs parser p at t; keeps its expression in best when it is the
 * longest so far (ties: the one starting first).  Inline at its three
 * call sites in parse_with: a call per parser costs more than its body. */
static inline __attribute__((always_inline)) bool
try_parser(dctx *c, size_t t, parse_fn p, dexpr *best, bool found)
{
    dexpr e;
    memset(&e, 0, sizeof e);
    e.type = "DATE";
    e.t0 = e.t1 = t;
    if (!p(c, t, &e) || e.t0 < c->floor || e.t1 < t)
        return false;
    if (found && !(e.t1 > best->t1 || (e.t1 == best->t1 && e.t0 < best->t0)))
        return false;
    *best = e;
    return true;
}

/* nm_dt_parse for the token of a word (its parsers, a DP_* mask) or of a
 * number (the parsers its shape allows, numeric and number). */
static bool parse_with(dctx *c, size_t t, dexpr *best, unsigned parsers, bool numeric,
                       bool number)
{
    static const parse_fn word_parsers[DP_COUNT] = {
        [DP_UNIT] = nm_dt_unit,       [DP_MONTH] = nm_dt_month, [DP_WEEKDAY] = nm_dt_weekday,
        [DP_SEASON] = nm_dt_season,   [DP_HOLIDAY] = nm_dt_holiday,
        [DP_QUARTER] = nm_dt_quarter, [DP_REF] = nm_dt_ref,     [DP_SET] = nm_dt_set,
        [DP_CLOCK] = nm_dt_clockword};
    bool found = numeric && try_parser(c, t, nm_dt_numeric, best, false);
    if (number)
        found = try_parser(c, t, nm_dt_number, best, found) || found;
    for (unsigned m = parsers; m; m &= m - 1) /* in DP_* order */
        found = try_parser(c, t, word_parsers[__builtin_ctz(m)], best, found) || found;
    return found;
}

bool nm_dt_parse(dctx *c, size_t t, dexpr *best)
{
    if (c->doc->toks[t].flags & NM_TOK_NUM) {
        unsigned sh = nm_dt_number_shape(c, t);
        return sh && parse_with(c, t, best, 0, sh & DT_SHAPE_NUMERIC, sh & DT_SHAPE_NUMBER);
    }
    const nm_dword *w = nm_dw_word(c, t);
    return w && w->parsers && parse_with(c, t, best, w->parsers, false, false);
}

/* A mod from the words before the expression. */
static void outer_mod(dctx *c, dexpr *e)
{
    size_t ms;
    if (e->t0 == 0 || e->mod) /* (a mod of its own: the words before are not asked) */
        return;
    const nm_lex_entry *m = nm_dw_back(c, e->t0 - 1, DW_MOD, &ms);
    if (!m)
        return;
    const char *on = nm_dt_attr(m, "on");
    bool dur = strcmp(e->type, "DURATION") == 0;
    if (on && ((strcmp(on, "date") == 0 && (dur || e->ago)) ||
               (strcmp(on, "duration") == 0 && !dur) || (strcmp(on, "ago") == 0 && !e->ago)))
        return;
    const char *v = nm_dw_val(m);
    if (strcmp(e->type, "SET") == 0)
        return;
    bool cmp = strcmp(v, "MORE_THAN") == 0 || strcmp(v, "LESS_THAN") == 0 ||
               strncmp(v, "EQUAL_", 6) == 0;
    if (cmp && !dur && !e->ago)
        return; /* 40% more than the previous year: a comparison */
    if (e->ago && strcmp(v, "MORE_THAN") == 0)
        v = "BEFORE";
    else if (e->ago && strcmp(v, "LESS_THAN") == 0)
        v = "AFTER";
    e->mod = v;
}

static void emit(dctx *c, dexpr *e)
{
    nm_doc *doc = c->doc;
    uint32_t s = doc->toks[e->t0].off, end = doc->toks[e->t1].off + doc->toks[e->t1].len;
    int32_t id = nm_fact_add(doc, NM_DATE, e->type, s, end, e->rule ? e->rule : "date");
    doc->facts[id].value = nm_arena_strdup(&doc->arena, e->value);
    if (e->mod)
        nm_fact_attr(doc, id, "mod", e->mod);
    nm_fact_attr_lit(doc, id, "anchor", e->relative ? "relative" : "absolute");
    if (e->unresolved && !c->warned) {
        c->warned = true;
        nm_diag_add(doc, NM_E_DATE, NM_SEV_WARNING, nm_doc_raw_start(doc, s),
                    "no document date: relative time expressions are left unresolved (first: %s)",
                    e->value);
    }
    if (e->year)
        c->last_year = e->year;
}

/* The candidates of nm_dt_sentences: the tokens that pass the cheap half
 * of nm_dw_trigger (a number, or a word whose signature is a trigger's).
 * Tokens are screened a chunk at a time, without a branch per token (a
 * branch on the screen's answer mispredicts for about one token in
 * five): the first pass keeps the tokens whose bytes pass r->lead (most
 * are turned away there, with no flags read), the second the numbers and
 * words among them whose signature is a trigger's.  Each pass writes
 * every index it reads and moves its end past the kept ones only. */
enum { DT_CHUNK = 256 };
typedef struct dt_cands {
    uint32_t at[DT_CHUNK]; /* candidates of [lo, next), ascending, from i */
    unsigned i, n;
    size_t lo, next;
} dt_cands;

/* Screens tokens [from, min(from + DT_CHUNK, end)) into q. */
static void screen_chunk(dt_cands *q, const nm_tok *toks, const char *text, const nm_date_rules *r,
                         size_t from, size_t end)
{
    const unsigned char *tx = (const unsigned char *)text;
    size_t to = end - from > DT_CHUNK ? from + DT_CHUNK : end;
    size_t m = 0; /* (a size_t: no widening for the index) */
#pragma GCC unroll 4
    for (size_t t = from; t < to; t++) {
        const unsigned char *p = tx + toks[t].off;
        uint32_t n = toks[t].len;
        /* (row 0 when n is 0, and p[0] read for the last byte, never p[-1]) */
        uint64_t row = r->lead[p[0]][n & 63];
        q->at[m] = (uint32_t)t;
        m += (row >> (p[n - (n != 0)] & 63)) & 1u;
    }
    size_t k = 0;
    for (size_t j = 0; j < m; j++) {
        uint32_t t = q->at[j];
        uint32_t f = toks[t].flags;
        /* (n is at least 1 here, and the text ends in a NUL: nm_dt_sig
         * may read the byte after a number of one byte) */
        unsigned num = (f & NM_TOK_NUM) != 0, word = (f & NM_TOK_WORD) != 0;
        unsigned sig = nm_dt_sig_has(&r->trig, text + toks[t].off, toks[t].len);
        q->at[k] = t;
        k += num | (word & sig);
    }
    q->i = 0;
    q->n = (unsigned)k;
    q->lo = from;
    q->next = to;
}

/* The first candidate of [t, end), or end.  The candidates before t are
 * dropped from q, which then holds those of [t, q->next): a later call
 * with a smaller t screens the tokens again. */
static inline size_t next_candidate(dt_cands *q, const nm_tok *toks, const char *text,
                                    const nm_date_rules *r, size_t t, size_t end)
{
    if (t < q->lo)
        screen_chunk(q, toks, text, r, t, end);
    q->lo = t;
    for (;;) {
        while (q->i < q->n) {
            if (q->at[q->i] >= t)
                return q->at[q->i];
            q->i++;
        }
        if (q->next >= end)
            return end;
        /* (none of [t, q->next) is a candidate) */
        screen_chunk(q, toks, text, r, q->next > t ? q->next : t, end);
        q->lo = t;
    }
}

/* Makes sentence si the current one. */
static void enter_sentence(dctx *c, uint32_t si)
{
    const nm_sent *se = &c->doc->sents[si];
    c->s0 = se->tok;
    c->s1 = (size_t)se->tok + se->ntok;
    c->floor = c->s0;
    c->scanned = c->marked = false;
}

void nm_dt_sentences(dctx *c)
{
    const nm_doc *doc = c->doc;
    const uint32_t ns = doc->nsents;
    if (ns == 0)
        return;
    const nm_tok *toks = doc->toks;
    const char *text = doc->text;
    const nm_date_rules *r = c->r;
    const nm_sent *sents = doc->sents;
    const size_t end = (size_t)sents[ns - 1].tok + sents[ns - 1].ntok;
    uint32_t si = 0;
    size_t s0 = sents[0].tok, s1 = s0 + sents[0].ntok; /* sents[si]'s tokens */
    bool entered = false; /* sents[si] is the current sentence */
    dt_cands q;
    q.i = q.n = 0;
    q.lo = q.next = s0;
    for (size_t t = s0; (t = next_candidate(&q, toks, text, r, t, end)) < end; t++) {
        if (t >= s1) { /* past it: the sentence of t */
            /* (most often the one its token names; else the sentences
             * are walked to the first that ends past t) */
            uint32_t ts = toks[t].sent;
            if (ts > si && ts < ns && t >= sents[ts].tok && t < (size_t)sents[ts].tok + sents[ts].ntok)
                si = ts;
            else
                do
                    si++;
                while (si < ns && t >= (size_t)sents[si].tok + sents[si].ntok);
            if (si == ns)
                break;
            s0 = sents[si].tok;
            s1 = s0 + sents[si].ntok;
            entered = false;
        }
        if (t < s0)
            continue; /* between sentences */
        if (!entered) {
            enter_sentence(c, si);
            entered = true;
        }
        /* The rest of nm_dw_trigger, then nm_dt_parse: most candidates
         * are turned away by the shape of a number or by their word. */
        dexpr e;
        if (toks[t].flags & NM_TOK_NUM) {
            unsigned sh = nm_dt_number_shape(c, t);
            if (!sh || !parse_with(c, t, &e, 0, sh & DT_SHAPE_NUMERIC, sh & DT_SHAPE_NUMBER))
                continue;
        } else {
            /* (what the word is, from r->hot: the word itself is read
             * only when some parser may take it) */
            uint16_t id = nm_dw_id(c, t);
            const nm_dword *w = NULL;
            dt_hot h;
            if (__builtin_expect(id == DW_NOID, 0)) {
                w = nm_dw_find(c, t);
                h = (dt_hot){0, w->parsers, w->longer, w->flags, w->trig};
            } else {
                h = r->hot[id];
            }
            if (!h.trig)
                continue;
            /* The parsers that need a longer entry, when none can follow;
             * holidays, at a word in lower case: they would find nothing. */
            unsigned ps = h.parsers;
            if ((ps & h.longer) && !nm_dw_next_may(c, t, w ? w : r->byid[id]))
                ps &= ~(unsigned)h.longer;
            if ((ps & (1u << DP_HOLIDAY)) && !(toks[t].flags & NM_TOK_CAP))
                ps &= ~(1u << DP_HOLIDAY);
            if (!ps || !parse_with(c, t, &e, ps, false, false))
                continue;
        }
        outer_mod(c, &e);
        emit(c, &e);
        c->floor = e.t1 + 1;
        /* the next token tried is the floor, or the next sentence's first */
        t = e.t1 + 1 < c->s1 ? e.t1 : c->s1 - 1;
    }
}

/* ------------------------------------------------------------ run */

static void doc_date(dctx *c)
{
    const char *d = c->doc->date;
    if (!d[0])
        return;
    c->dy = atoi(d);
    c->dm = atoi(d + 5);
    c->dd = strlen(d) >= 10 ? atoi(d + 8) : 0;
}

nm_status nm_dates_run(nm_doc *doc, const nm_ctx *ctx)
{
    dctx c;
    memset(&c, 0, offsetof(dctx, fwd)); /* the rest is large, and need not be */
    c.fwd.made = c.back.made = false;
    c.doc = doc;
    c.r = ctx->dates;
    /* (on the stack for most documents, else from the document's arena:
     * no malloc and free per document) */
    uint16_t wc_stack[2048];
    size_t wc_size = (doc->ntoks + 1) * sizeof *c.wc;
    c.wc = wc_size <= sizeof wc_stack ? wc_stack : nm_arena_alloc(&doc->arena, wc_size);
    memset(c.wc, 0, wc_size);
    if (!doc->date[0])
        nm_dt_dateline(&c);
    doc_date(&c);
#ifdef NM_DT_CHECK_SENTS
    for (uint32_t i = 1; i < doc->nsents; i++)
        if (doc->sents[i].tok < doc->sents[i - 1].tok + doc->sents[i - 1].ntok)
            abort();
#endif
    nm_dt_sentences(&c);
    return NM_OK;
}
