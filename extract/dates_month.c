/* dates_month.c - dates headed by a word: months ("October 5, 1952",
 * "last November", "June last year"), seasons, holidays, quarter codes,
 * clock words; and the year and part ("early", "the end of") around them. */
#include "dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nm_dt_part_left(dctx *c, dexpr *e)
{
    size_t p = e->t0 - 1, ps;
    if (e->t0 == 0 || !nm_dt_free(c, p))
        return;
    if (nm_dt_char(c, p, '-') && nm_dt_adjacent(c, p, e->t0) && p > 0)
        p--; /* mid-2011 */
    const nm_lex_entry *pe = nm_dw_back(c, p, DW_PART, &ps);
    if (!pe || ps < c->floor)
        return;
    if (nm_dt_attr(pe, "the")) {
        if (ps == 0 || !nm_dt_free(c, ps - 1) || !NM_DT_IS(c, ps - 1, "the"))
            return;
        ps--;
    }
    e->t0 = ps;
    if (!e->mod)
        e->mod = nm_dw_val(pe);
}

/* "last year", "this year", "next year" after token t. */
static int shifted_year(dctx *c, size_t t, dexpr *e, size_t *end)
{
    const nm_lex_entry *s = nm_dw_tok(c, t, DW_SHIFT);
    const nm_lex_entry *u = nm_dw_tok(c, t + 1, DW_UNIT);
    if (!s || !u || !nm_dt_valid(c, t + 1) || strcmp(nm_dw_val(u), "Y") != 0 ||
        nm_dt_attr(u, "plural") || NM_DT_WORD(c, t, "past"))
        return 0;
    *end = t + 1;
    if (!nm_dt_need_doc(c, e, false))
        return -1;
    return c->dy + nm_dw_int(s);
}

int nm_dt_year_after(dctx *c, size_t t, dexpr *e, size_t *end)
{
    size_t k = t + 1;
    if (nm_dt_char(c, k, ',') || NM_DT_WORD(c, k, "of"))
        k++;
    int y = nm_dt_year_tok(c, k);
    if (y && !(nm_dt_valid(c, k + 1) && nm_dt_adjacent(c, k, k + 1) &&
               (c->doc->toks[k + 1].flags & NM_TOK_NUM))) {
        *end = k;
        e->year = y;
        return y;
    }
    long v = nm_dt_digits(c, k);
    if (v >= 0 && c->doc->toks[k].len == 2 && nm_dt_char(c, k - 1, ',')) {
        *end = k;
        return v < 50 ? 2000 + (int)v : 1900 + (int)v;
    }
    if (NM_DT_WORD(c, t + 1, "of") || !nm_dt_char(c, k, ','))
        k = t + 1 + NM_DT_WORD(c, t + 1, "of");
    y = shifted_year(c, k, e, end);
    return y < 0 ? 0 : y;
}

/* A day after the month at t: "5", "5th", "Oct. 8", "jan first", "Oct-2". */
static int day_after(const dctx *c, size_t t, size_t *end)
{
    size_t k = t + 1;
    if (nm_dt_char(c, k, '.') || ((nm_dt_char(c, k, '-') || nm_dt_char(c, k, '/')) &&
                                  nm_dt_adjacent(c, t, k)))
        k++;
    else if (NM_DT_WORD(c, k, "the"))
        k++;
    bool ord;
    int d = nm_dt_day(c, k, &ord);
    if (d > 0) {
        if (nm_dt_valid(c, k + 1) && (c->doc->toks[k + 1].flags & NM_TOK_NUM) &&
            nm_dt_adjacent(c, k, k + 1))
            return -1;
        if (nm_dt_char(c, k + 1, ':') || nm_dt_char(c, k + 1, '%'))
            return -1;
        *end = k;
        return d;
    }
    const nm_lex_entry *o = nm_dw_tok(c, k, DW_ORDINAL);
    if (o && nm_dw_int(o) > 0 && nm_dt_valid(c, k)) {
        *end = k;
        return nm_dw_int(o);
    }
    return -1;
}

/* A day word before the month at t: "fifth of May", "the 5th of". */
static size_t day_before(const dctx *c, size_t t, int *d)
{
    if (t < 2 || !NM_DT_WORD(c, t - 1, "of") || !nm_dt_free(c, t - 2))
        return t;
    const nm_lex_entry *o = nm_dw_tok(c, t - 2, DW_ORDINAL);
    if (!o || nm_dw_int(o) < 1)
        return t;
    *d = nm_dw_int(o);
    size_t s = t - 2;
    if (s > 0 && nm_dt_free(c, s - 1) && NM_DT_IS(c, s - 1, "the"))
        s--;
    return s;
}

/* Shift before a month: "last November" (the latest November before the
 * document month), "next March". */
static bool shifted_month(dctx *c, dexpr *e, int mon, int *y)
{
    if (e->t0 == 0 || !nm_dt_free(c, e->t0 - 1))
        return false;
    const nm_lex_entry *s = nm_dw_tok(c, e->t0 - 1, DW_SHIFT);
    if (!s || NM_DT_WORD(c, e->t0 - 1, "current"))
        return false;
    e->t0--;
    int k = nm_dw_int(s);
    if (!nm_dt_need_doc(c, e, false)) {
        *y = 0;
        return true;
    }
    *y = c->dy;
    if (k < 0 && mon >= c->dm)
        (*y)--;
    else if (k > 0 && mon <= c->dm)
        (*y)++;
    return true;
}

/* Is a month alone (no day, no year) a date here? */
static bool month_alone_ok(const dctx *c, size_t t, const nm_lex_entry *m)
{
    if (!nm_dt_cap(c, t) || nm_dt_attr(m, "abbr"))
        return false;
    bool prep = t > c->s0 && (nm_dw_tok(c, t - 1, DW_DATEPREP) || nm_dw_tok(c, t - 1, DW_SHIFT) ||
                              nm_dw_tok(c, t - 1, DW_PART) || nm_dt_char(c, t - 1, '-'));
    if (nm_dt_attr(m, "ambiguous") && !prep)
        return false;
    if (!prep && nm_dt_valid(c, t + 1) && nm_dt_cap(c, t + 1) && !nm_dw_tok(c, t + 1, DW_MONTH))
        return false; /* April Smith */
    return true;
}

/* Weekday before the date: "Monday, January 12". */
static void weekday_left(dctx *c, dexpr *e)
{
    size_t p = e->t0 - 1;
    if (e->t0 == 0)
        return;
    if (nm_dt_char(c, p, ',') && p > 0)
        p--;
    if (nm_dt_free(c, p) && nm_dw_tok(c, p, DW_WEEKDAY))
        e->t0 = p;
}

bool nm_dt_month(dctx *c, size_t t, dexpr *e)
{
    const nm_lex_entry *m = nm_dw_tok(c, t, DW_MONTH);
    if (!m)
        return false;
    int mon = nm_dw_int(m), d = -1, y = 0;
    size_t end = t, yend;
    e->rule = "date.month";
    e->t0 = day_before(c, t, &d);
    if (d < 0)
        d = day_after(c, t, &end);
    if (d > nm_cal_mdays(2000, mon) || (d > 0 && !nm_dt_cap(c, t) && NM_DT_WORD(c, t, "may")))
        return false;
    y = nm_dt_year_after(c, d > 0 ? end : t + (nm_dt_char(c, t + 1, '.') ? 1 : 0), e, &yend);
    if (y || e->relative)
        end = yend;
    if (d < 0 && !y && !e->relative && !month_alone_ok(c, t, m))
        return false;
    if (d < 0 && !y && !e->relative && !nm_dt_cap(c, t))
        return false;
    e->t1 = end;
    if (!y && !e->relative && !shifted_month(c, e, mon, &y))
        y = nm_dt_year_for(c, e, mon, d > 0 ? d : 0);
    if (d > 0 && y && d > nm_cal_mdays(y, mon))
        return false;
    char ys[8];
    nm_dt_fmt_year(ys, sizeof ys, y);
    nm_dt_fmt_ymd(e->value, sizeof e->value, ys, mon, d, d > 0);
    e->y = y;
    e->m = mon;
    e->d = d > 0 ? d : 0;
    nm_dt_part_left(c, e);
    if (d > 0)
        weekday_left(c, e);
    return true;
}

/* ------------------------------------------------------------ seasons */

static int season_first_month(const char *v)
{
    return strcmp(v, "SP") == 0 ? 3 : strcmp(v, "SU") == 0 ? 6 : strcmp(v, "FA") == 0 ? 9 : 12;
}

bool nm_dt_season(dctx *c, size_t t, dexpr *e)
{
    size_t end, yend;
    const nm_lex_entry *s = nm_dw_fwd(c, t, DW_SEASON, &end);
    if (!s)
        return false;
    const char *v = nm_dw_val(s);
    e->t1 = end;
    e->rule = "date.season";
    int y = nm_dt_year_after(c, end, e, &yend);
    bool prep = t > c->s0 && (nm_dw_tok(c, t - 1, DW_DATEPREP) || nm_dw_tok(c, t - 1, DW_SHIFT) ||
                              nm_dw_tok(c, t - 1, DW_PART));
    bool open = t == c->s0 || (c->doc->toks[t - 1].flags & NM_TOK_PUNCT);
    if (!y && !e->relative && !prep && !(open && !nm_dt_attr(s, "ambiguous")))
        return false;
    if (nm_dt_attr(s, "ambiguous") && !y && !e->relative &&
        (NM_DT_WORD(c, end + 1, "of") || !(t > c->s0 && (nm_dw_tok(c, t - 1, DW_SHIFT) ||
                                                       NM_DT_WORD(c, t - 1, "in") ||
                                                       NM_DT_WORD(c, t - 1, "during") ||
                                                       NM_DT_WORD(c, t - 1, "since") ||
                                                       NM_DT_WORD(c, t - 1, "by")))))
        return false; /* the fall of the regime */
    if (y || e->relative) {
        e->t1 = yend;
    } else if (t > c->s0 && nm_dw_tok(c, t - 1, DW_SHIFT) && nm_dt_free(c, t - 1)) {
        int k = nm_dw_int(nm_dw_tok(c, t - 1, DW_SHIFT)), first = season_first_month(v);
        e->t0 = t - 1;
        if (nm_dt_need_doc(c, e, false))
            y = c->dy + (k < 0 && c->dm < first + 3 ? -1 : 0) + (k > 0 && c->dm >= first ? 1 : 0);
    } else if (nm_dt_year_count(c) == 0 && nm_dt_tense_at(c, t) == TENSE_PRESENT) {
        y = 0; /* generic: "in the summer, more migrants come" */
    } else {
        y = nm_dt_year_for(c, e, season_first_month(v), 0);
        if (!y && !e->unresolved)
            y = 0;
    }
    char ys[8];
    nm_dt_fmt_year(ys, sizeof ys, y);
    nm_dt_fmt(e->value, sizeof e->value, "%s-%s", ys, v);
    nm_dt_part_left(c, e);
    nm_dt_take_the(c, e);
    return true;
}

/* ------------------------------------------------------------ holidays */

bool nm_dt_holiday(dctx *c, size_t t, dexpr *e)
{
    size_t end, yend;
    if (!nm_dt_cap(c, t)) /* first: the lookup costs more */
        return false;
    const nm_lex_entry *h = nm_dw_fwd(c, t, DW_HOLIDAY, &end);
    if (!h)
        return false;
    const char *v = nm_dw_val(h);
    int mon = nm_dt_atoi(v), d = strlen(v) >= 5 ? nm_dt_atoi(v + 3) : 0;
    if (mon < 1 || mon > 12 || d < 1 || d > 31)
        return false;
    e->t1 = end;
    e->rule = "date.holiday";
    int y = nm_dt_year_after(c, end, e, &yend);
    if (y || e->relative)
        e->t1 = yend;
    else
        y = nm_dt_year_for(c, e, mon, d);
    char ys[8];
    nm_dt_fmt_year(ys, sizeof ys, y);
    nm_dt_fmt_ymd(e->value, sizeof e->value, ys, mon, d, true);
    return true;
}

/* ------------------------------------------------------------ quarters */

bool nm_dt_quarter(dctx *c, size_t t, dexpr *e)
{
    const nm_lex_entry *q = nm_dw_tok(c, t, DW_QUARTER);
    if (!q || !nm_dt_cap(c, t))
        return false;
    size_t yend;
    int y = nm_dt_year_after(c, t, e, &yend);
    if (y || e->relative) {
        e->t1 = yend;
    } else {
        if (t > c->s0 && nm_dt_year_tok(c, t - 1) == 0 && !nm_dw_tok(c, t - 1, DW_DATEPREP))
            return false;
        y = nm_dt_year_for(c, e, 1, 0);
        if (y && !e->unresolved)
            e->relative = true;
    }
    char ys[8];
    nm_dt_fmt_year(ys, sizeof ys, y);
    nm_dt_fmt(e->value, sizeof e->value, "%s-%s", ys, nm_dw_val(q));
    e->rule = "date.quarter";
    return true;
}

/* ------------------------------------------------------------ clock words */

bool nm_dt_clockword(dctx *c, size_t t, dexpr *e)
{
    const nm_lex_entry *k = nm_dw_tok(c, t, DW_CLOCK);
    const nm_lex_entry *dp = k ? NULL : nm_dw_tok(c, t, DW_DAYPART);
    if (!k && !dp)
        return false;
    char ds[24] = "XXXX-XX-XX";
    int off = 0;
    if (dp) { /* this morning, last night */
        const nm_lex_entry *s = t > c->s0 ? nm_dw_tok(c, t - 1, DW_SHIFT) : NULL;
        if (!s || !nm_dt_free(c, t - 1) || nm_dw_int(s) > 0)
            return false;
        off = nm_dw_int(s);
        e->t0 = t - 1;
    }
    if (nm_dt_need_doc(c, e, true)) {
        int y = c->dy, m = c->dm, d = c->dd;
        nm_cal_add_days(&y, &m, &d, off);
        nm_dt_fmt(ds, sizeof ds, "%04d-%02d-%02d", y, m, d);
    }
    nm_dt_fmt(e->value, sizeof e->value, "%s%s", ds, nm_dw_val(k ? k : dp));
    e->type = "TIME";
    e->rule = "date.clock";
    return true;
}
