/* dates_line.c - the document date from a dateline.
 *
 * When the caller gave no document date, the first lines of the text are
 * searched for a dateline: a line (after bullets and a label such as
 * "Published:" or "Updated") that is a calendar date and little else:
 * "Oct 8", "April 23, 2025", "Published: 2025-04-23", "ALMATY, May 16,
 * 2025 -".  A dateline without a year ("Oct 8") takes the latest year
 * written in the text.  The date found becomes the document date, with
 * source "dateline".
 */
#include "dates.h"

#include <stdio.h>
#include <string.h>

#define DATELINE_LINES 8
#define DATELINE_BYTES 1200

/* published, updated, posted, date, dated, on, last, modified, created,
 * by: chosen by length and first letter, then compared. */
static bool label_word(const dctx *c, size_t t)
{
    const nm_tok *k = &c->doc->toks[t];
    char a = c->doc->text[k->off];
    a = a >= 'A' && a <= 'Z' ? (char)(a + 32) : a;
    switch (k->len) {
    case 2:
        return a == 'o' ? NM_DT_IS(c, t, "on") : a == 'b' && NM_DT_IS(c, t, "by");
    case 4:
        return a == 'd' ? NM_DT_IS(c, t, "date") : a == 'l' && NM_DT_IS(c, t, "last");
    case 5:
        return a == 'd' && NM_DT_IS(c, t, "dated");
    case 6:
        return a == 'p' && NM_DT_IS(c, t, "posted");
    case 7:
        return a == 'u' ? NM_DT_IS(c, t, "updated") : a == 'c' && NM_DT_IS(c, t, "created");
    case 8:
        return a == 'm' && NM_DT_IS(c, t, "modified");
    case 9:
        return a == 'p' && NM_DT_IS(c, t, "published");
    default:
        return false;
    }
}

/* The first token of the sentence that could start its date. */
static size_t skip_lead(const dctx *c)
{
    size_t t = c->s0;
    for (int n = 0; t < c->s1 && n < 6; n++, t++) {
        const nm_tok *k = &c->doc->toks[t];
        if ((k->flags & NM_TOK_PUNCT) || label_word(c, t))
            continue;
        if ((k->flags & NM_TOK_UPPER) && nm_dt_char(c, t + 1, ',')) {
            t++; /* ALMATY, */
            continue;
        }
        break;
    }
    return t;
}

/* The rest of the line after the date is short or starts with a dash. */
static bool rest_ok(const dctx *c, size_t t)
{
    if (t >= c->s1)
        return true;
    const nm_tok *k = &c->doc->toks[t];
    if (nm_dt_char(c, t, '-') || nm_dt_char(c, t, '|') || nm_dt_char(c, t, '('))
        return true;
    const char *nl = memchr(c->doc->text + k->off, '\n', c->doc->text_len - k->off);
    size_t lend = nl ? (size_t)(nl - c->doc->text) : c->doc->text_len;
    return lend - k->off <= 24;
}

static int latest_year(dctx *c)
{
    int best = 0;
    for (uint32_t si = 0; si < c->doc->nsents; si++) {
        const nm_sent *se = &c->doc->sents[si];
        c->s0 = se->tok;
        c->s1 = (size_t)se->tok + se->ntok;
        for (size_t t = c->s0; t < c->s1; t++)
            if ((c->doc->toks[t].flags & NM_TOK_NUM) && nm_dt_year_ok(c, t)) {
                int y = nm_dt_year_tok(c, t);
                if (y > best && y <= 2199)
                    best = y;
            }
    }
    return best;
}

static bool try_sentence(dctx *c, uint32_t si, int *y, int *m, int *d)
{
    const nm_sent *se = &c->doc->sents[si];
    c->s0 = se->tok;
    c->s1 = (size_t)se->tok + se->ntok;
    c->floor = c->s0;
    c->scanned = c->marked = false;
    size_t t = skip_lead(c);
    if (t >= c->s1 || !nm_dw_trigger(c, t))
        return false;
    /* Of the parsers of a word, only the month's gives a day and month
     * (those of a number: nm_dt_number and nm_dt_numeric). */
    if (!(c->doc->toks[t].flags & NM_TOK_NUM) && !(nm_dw_word(c, t)->parsers & (1u << DP_MONTH)))
        return false;
    dexpr e;
    if (!nm_dt_parse(c, t, &e) || !e.m || !e.d || strcmp(e.type, "DATE") != 0 ||
        !rest_ok(c, e.t1 + 1))
        return false;
    *y = e.y;
    *m = e.m;
    *d = e.d;
    return true;
}

void nm_dt_dateline(dctx *c)
{
    nm_doc *doc = c->doc;
    int y = 0, m = 0, d = 0;
    bool found = false;
    /* A sentence is past the first lines when it starts after the
     * DATELINE_LINES-th newline: found once, among the bytes a sentence
     * tried can start after. */
    size_t span = doc->text_len < DATELINE_BYTES ? doc->text_len : DATELINE_BYTES, last = SIZE_MAX;
    const char *p = doc->text;
    for (int lines = 0; lines < DATELINE_LINES; lines++, p++) {
        p = memchr(p, '\n', (size_t)(doc->text + span - p));
        if (!p)
            break;
        if (lines + 1 == DATELINE_LINES)
            last = (size_t)(p - doc->text);
    }
    for (uint32_t si = 0; si < doc->nsents && !found; si++) {
        uint32_t off = doc->sents[si].off;
        if (off > DATELINE_BYTES || (last != SIZE_MAX && off > last))
            break;
        found = try_sentence(c, si, &y, &m, &d);
    }
    if (!found)
        return;
    if (!y)
        y = latest_year(c);
    char buf[16];
    if (y < 1000 || y > 2199 || d > nm_cal_mdays(y, m))
        return;
    nm_dt_fmt(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    nm_doc_set_date(doc, buf, "dateline");
}
