/* dates_rel.c - expressions headed by a unit of time ("three days", "two
 * years ago", "last year", "the first quarter of 2009", "each year"),
 * weekdays, reference words ("now", "yesterday", "recent years") and
 * set words ("quarterly"). */
#include "dates.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void doc_ymd(const dctx *c, int *y, int *m, int *d)
{
    *y = c->dy;
    *m = c->dm;
    *d = c->dd;
}

static void fmt_num(char *out, size_t cap, double q)
{
    if (fabs(q - nearbyint(q)) < 1e-9 && !signbit(q) && q < 1e15)
        nm_dt_fmt_ulong(out, cap, (unsigned long)nearbyint(q)); /* as %.0f */
    else if (fabs(q - nearbyint(q)) < 1e-9)
        snprintf(out, cap, "%.0f", q);
    else
        snprintf(out, cap, "%g", q);
}

/* P3D, PT2H, P20Y (two decades), PXM. */
static void duration_value(dexpr *e, const char *num, const char *u)
{
    const char *unit = u;
    char buf[16];
    if (strcmp(u, "DE") == 0 || strcmp(u, "CE") == 0 || strcmp(u, "Q") == 0 ||
        strcmp(u, "FN") == 0) {
        int f = u[0] == 'D' ? 10 : u[0] == 'C' ? 100 : u[0] == 'Q' ? 3 : 2;
        unit = u[0] == 'Q' ? "M" : u[0] == 'F' ? "W" : "Y";
        if (num[0] != 'X') {
            fmt_num(buf, sizeof buf, atof(num) * f);
            num = buf;
        } else if (u[0] == 'D' || u[0] == 'C') {
            unit = u; /* PXDE, PXCE */
        }
    } else if (strcmp(u, "WE") == 0) {
        unit = "WE";
    }
    bool min = strcmp(u, "MIN") == 0, time = min || strcmp(u, "H") == 0 || strcmp(u, "S") == 0;
    /* "P%s%s%s" */
    size_t n = nm_dt_put(e->value, sizeof e->value, 0, "P");
    n = nm_dt_put(e->value, sizeof e->value, n, time ? "T" : "");
    n = nm_dt_put(e->value, sizeof e->value, n, num);
    nm_dt_put(e->value, sizeof e->value, n, min ? "M" : unit);
    e->type = "DURATION";
    e->rule = "date.duration";
}

/* The date q units before (sign -1) or after (+1) the document date, at
 * the unit's granularity: 20 years ago -> 2004, 1 month ago -> 2024-10. */
static bool shifted_date(dctx *c, dexpr *e, double q, const char *u, int sign)
{
    if (fabs(q - nearbyint(q)) > 1e-9 || q > 5000)
        return false;
    long n = (long)nearbyint(q) * sign;
    e->type = "DATE";
    e->rule = sign < 0 ? "date.ago" : "date.hence";
    if (!nm_dt_need_doc(c, e, false)) {
        nm_dt_fmt(e->value, sizeof e->value, "XXXX");
        return true;
    }
    int y, m, d;
    doc_ymd(c, &y, &m, &d);
    char u0 = u[0];
    if (strcmp(u, "DE") == 0 || strcmp(u, "CE") == 0 || u0 == 'Y') {
        y += (int)n * (u0 == 'D' ? 10 : u0 == 'C' ? 100 : 1);
        nm_dt_fmt(e->value, sizeof e->value, "%04d", y);
    } else if (u0 == 'M' && u[1] != 'I') {
        nm_cal_add_months(&y, &m, (int)n);
        nm_dt_fmt(e->value, sizeof e->value, "%04d-%02d", y, m);
    } else if (u0 == 'Q') {
        nm_cal_add_months(&y, &m, (int)n * 3);
        nm_dt_fmt(e->value, sizeof e->value, "%04d-Q%d", y, (m - 1) / 3 + 1);
    } else if (!d) {
        if (u0 == 'W' || u0 == 'F')
            nm_dt_fmt(e->value, sizeof e->value, "%04d-WXX", y);
        else
            nm_dt_fmt(e->value, sizeof e->value, "%04d-%02d-XX", y, m);
    } else if (u0 == 'W' || u0 == 'F') {
        int wy, w;
        nm_cal_add_days(&y, &m, &d, n * (u0 == 'F' ? 14 : 7));
        nm_cal_isoweek(y, m, d, &wy, &w);
        nm_dt_fmt(e->value, sizeof e->value, "%04d-W%02d", wy, w);
    } else {
        if (u0 == 'D')
            nm_cal_add_days(&y, &m, &d, n);
        nm_dt_fmt(e->value, sizeof e->value, "%04d-%02d-%02d", y, m, d);
    }
    return true;
}

/* last/this/next + unit, relative to the document date (or, for "the
 * previous/following year", to the last year named in the text). */
static bool shift_unit(dctx *c, dexpr *e, int k, const char *u, bool the)
{
    e->rule = "date.shift";
    int y, m, d;
    bool prev = NM_DT_WORD(c, e->t0 + the, "previous") || NM_DT_WORD(c, e->t0 + the, "following") ||
                NM_DT_WORD(c, e->t0 + the, "preceding");
    if (prev && u[0] == 'Y' && c->last_year) {
        e->relative = true;
        nm_dt_fmt(e->value, sizeof e->value, "%04d", c->last_year + k);
        return true;
    }
    if (!nm_dt_need_doc(c, e, false)) {
        nm_dt_fmt(e->value, sizeof e->value, u[0] == 'Y' ? "XXXX" : "XXXX-XX");
        return true;
    }
    doc_ymd(c, &y, &m, &d);
    if (u[0] == 'Y') {
        nm_dt_fmt(e->value, sizeof e->value, "%04d", y + k);
    } else if (u[0] == 'M' && u[1] != 'I') {
        nm_cal_add_months(&y, &m, k);
        nm_dt_fmt(e->value, sizeof e->value, "%04d-%02d", y, m);
    } else if (u[0] == 'Q') {
        nm_cal_add_months(&y, &m, 3 * k);
        nm_dt_fmt(e->value, sizeof e->value, "%04d-Q%d", y, (m - 1) / 3 + 1);
    } else if ((u[0] == 'W' || strcmp(u, "WE") == 0) && d) {
        int wy, w;
        nm_cal_add_days(&y, &m, &d, 7L * k);
        nm_cal_isoweek(y, m, d, &wy, &w);
        nm_dt_fmt(e->value, sizeof e->value, "%04d-W%02d%s", wy, w, u[1] == 'E' ? "-WE" : "");
    } else if (u[0] == 'D' && u[1] != 'E' && d) {
        nm_cal_add_days(&y, &m, &d, k);
        nm_dt_fmt(e->value, sizeof e->value, "%04d-%02d-%02d", y, m, d);
    } else if (u[0] == 'W') {
        nm_dt_fmt(e->value, sizeof e->value, "%04d-WXX", y);
    } else {
        return false;
    }
    return true;
}

/* the first quarter (of 2009 / of last year), third-quarter, Q by ordinal. */
static bool ordinal_quarter(dctx *c, size_t u, dexpr *e)
{
    size_t p = u - 1;
    if (u == 0)
        return false;
    if (nm_dt_char(c, p, '-') && nm_dt_adjacent(c, p, u) && p > 0)
        p--;
    const nm_lex_entry *o = nm_dw_tok(c, p, DW_ORDINAL);
    int q = nm_dw_int(o);
    if (!o || !nm_dt_free(c, p) || q > 4 || q == 0)
        return false;
    e->t0 = p;
    nm_dt_take_the(c, e);
    e->rule = "date.quarter";
    size_t yend;
    int y = nm_dt_year_after(c, u, e, &yend);
    if (y || e->relative) {
        e->t1 = yend;
    } else if (q < 0) { /* the last quarter: the one before the document's */
        if (nm_dt_need_doc(c, e, false)) {
            int m = c->dm;
            y = c->dy;
            nm_cal_add_months(&y, &m, -3);
            q = (m - 1) / 3 + 1;
        }
    } else {
        y = nm_dt_year_for(c, e, q * 3 - 2, 0);
    }
    if (q < 0)
        q = 4;
    char ys[8];
    nm_dt_fmt_year(ys, sizeof ys, y);
    nm_dt_fmt(e->value, sizeof e->value, "%s-Q%d", ys, q);
    return true;
}

/* What comes after the unit: ago, from now, later. */
static int signal_after(dctx *c, size_t u, size_t *end)
{
    const nm_lex_entry *s = nm_dw_fwd(c, u + 1, DW_SIGNAL, end);
    if (!s)
        return 0;
    const char *v = nm_dw_val(s);
    return strcmp(v, "ago") == 0 ? -1 : strcmp(v, "hence") == 0 ? 1 : 0;
}

/* A quantity before the unit: 3, three, a, twenty-five, many, a few. */
static bool quantity_left(dctx *c, size_t u, dexpr *e, char *num, size_t cap, double *q)
{
    size_t p = u - 1, qs;
    if (u == 0 || !nm_dt_free(c, p))
        return false;
    if (nm_dt_char(c, p, '-') && nm_dt_adjacent(c, p, u) && p > 0 && nm_dt_free(c, p - 1))
        p--; /* a 3-day visit, 30-minutes */
    const nm_lex_entry *v = nm_dw_back(c, p, DW_VAGUE, &qs);
    if (v && qs >= c->floor) {
        e->t0 = qs;
        nm_dt_fmt(num, cap, "%s", nm_dw_val(v));
        *q = num[0] == 'X' ? -1 : atof(num);
        return true;
    }
    *q = nm_dt_quantity(c, p, &qs);
    if (*q < 0 || qs < c->floor || (*q == 0 && !(c->doc->toks[p].flags & NM_TOK_NUM)))
        return false;
    if ((c->doc->toks[p].flags & NM_TOK_NUM) && qs > c->s0 && nm_dt_char(c, qs - 1, '$'))
        return false;
    e->t0 = qs;
    fmt_num(num, cap, *q);
    return true;
}

static bool abbr_unit_ok(const dctx *c, size_t u, const nm_lex_entry *ue)
{
    if (!nm_dt_attr(ue, "abbr"))
        return true;
    return u > c->s0 && (c->doc->toks[u - 1].flags & NM_TOK_NUM);
}

/* "the year", "the month": the document's (DECISIONS.md: "Throughout the
 * year" -> 2024). */
static bool the_unit(dctx *c, size_t u, dexpr *e, const char *uv)
{
    if ((uv[0] != 'Y' && !(uv[0] == 'M' && !uv[1])) || u == 0 || !NM_DT_WORD(c, u - 1, "the") ||
        !nm_dt_free(c, u - 1))
        return false;
    size_t n = u + 1;
    if (nm_dt_valid(c, n) && ((c->doc->toks[n].flags & NM_TOK_NUM) || nm_dw_tok(c, n, DW_SIGNAL) ||
                              NM_DT_WORD(c, n, "after") ||
                              NM_DT_WORD(c, n, "when") || NM_DT_WORD(c, n, "that") ||
                              NM_DT_WORD(c, n, "'s") || NM_DT_WORD(c, n, "of") || NM_DT_WORD(c, n, "in")))
        return false;
    e->t0 = u - 1;
    if (uv[0] == 'Y' && (NM_DT_WORD(c, n, "previous") || NM_DT_WORD(c, n, "before") ||
                         NM_DT_WORD(c, n, "earlier"))) {
        e->t1 = n; /* the year previous: before the last year named */
        e->relative = true;
        int y = c->last_year ? c->last_year : c->dy;
        if (!y)
            return false;
        nm_dt_fmt(e->value, sizeof e->value, "%04d", y - 1);
        e->rule = "date.shift";
        return true;
    }
    return shift_unit(c, e, 0, uv, true);
}

static bool unit_with_quantity(dctx *c, size_t u, dexpr *e, const char *uv, const char *num,
                               double q)
{
    size_t end;
    int sig = signal_after(c, u, &end);
    if (sig != 0 && num[0] == 'X') { /* a few days ago: TimeML PAST_REF */
        e->t1 = end;
        e->relative = true;
        e->rule = "date.ago";
        nm_dt_fmt(e->value, sizeof e->value, "%s", sig < 0 ? "PAST_REF" : "FUTURE_REF");
        return true;
    }
    if (sig != 0) {
        e->t1 = end;
        e->ago = sig < 0;
        return shifted_date(c, e, q, uv, sig);
    }
    if (e->t0 > c->s0 && nm_dt_free(c, e->t0 - 1) && nm_dw_tok(c, e->t0 - 1, DW_SHIFT)) {
        e->t0--; /* the last two years, the next six months */
        nm_dt_take_the(c, e);
    }
    duration_value(e, num, uv);
    return true;
}

bool nm_dt_unit(dctx *c, size_t u, dexpr *e)
{
    const nm_lex_entry *ue = nm_dw_tok(c, u, DW_UNIT);
    if (!ue || !abbr_unit_ok(c, u, ue))
        return false;
    const char *uv = nm_dw_val(ue);
    char num[24];
    double q;
    if (uv[0] == 'Q' && ordinal_quarter(c, u, e))
        return true;
    if (uv[0] == 'Q' && NM_DT_WORD(c, u + 1, "of") && !nm_dt_year_tok(c, u + 2))
        return false; /* a quarter of its dealers: a fraction */
    if (quantity_left(c, u, e, num, sizeof num, &q)) {
        if (num[0] == 'X' && !nm_dt_attr(ue, "plural"))
            return false;
        if (uv[0] == 'S' && !(c->doc->toks[e->t0].flags & NM_TOK_NUM) && nm_dt_valid(c, u + 1) &&
            (c->doc->toks[u + 1].flags & NM_TOK_WORD) && !nm_dw_tok(c, u + 1, DW_STOP))
            return false; /* a second time */
        return unit_with_quantity(c, u, e, uv, num, q);
    }
    const nm_lex_entry *ea = u > c->s0 ? nm_dw_tok(c, u - 1, DW_EACH) : NULL;
    if (ea && nm_dt_free(c, u - 1) && !nm_dt_attr(ue, "plural")) {
        e->t0 = u - 1;
        e->type = "SET";
        e->rule = "date.set";
        duration_value(e, "1", uv);
        e->type = "SET";
        return true;
    }
    const nm_lex_entry *sh = u > c->s0 ? nm_dw_tok(c, u - 1, DW_SHIFT) : NULL;
    if (sh && nm_dt_free(c, u - 1) && !nm_dt_attr(ue, "plural")) {
        e->t0 = u - 1;
        nm_dt_take_the(c, e);
        if (NM_DT_WORD(c, u - 1, "past") || ((uv[0] == 'D' && uv[1] == 'E') || uv[0] == 'C')) {
            duration_value(e, "1", uv); /* the past year, the last decade */
            return true;
        }
        if (shift_unit(c, e, nm_dw_int(sh), uv, e->t0 < u - 1)) {
            nm_dt_part_left(c, e);
            return true;
        }
        return false;
    }
    if (the_unit(c, u, e, uv)) {
        nm_dt_part_left(c, e);
        return true;
    }
    return false;
}

/* ------------------------------------------------------------ weekdays */

void nm_dt_daypart_after(dctx *c, dexpr *e)
{
    const nm_lex_entry *p = nm_dw_tok(c, e->t1 + 1, DW_DAYPART);
    if (!p || !nm_dt_valid(c, e->t1 + 1))
        return;
    size_t n = strlen(e->value);
    nm_dt_fmt(e->value + n, sizeof e->value - n, "%s", nm_dw_val(p));
    e->t1++;
    e->type = "TIME";
}

static int weekday_date(dctx *c, dexpr *e, int wd, int shift, bool has_shift, int *y, int *m,
                        int *d)
{
    doc_ymd(c, y, m, d);
    int dw = nm_cal_weekday(*y, *m, *d);
    long delta;
    if (has_shift) { /* the weekday of last/this/next week */
        delta = (long)(wd - dw) + 7L * shift;
    } else if (nm_dt_tense_at(c, e->t0) == TENSE_FUTURE) {
        delta = (wd - dw + 7) % 7;
    } else {
        delta = -(long)((dw - wd + 7) % 7);
    }
    nm_cal_add_days(y, m, d, delta);
    return 1;
}

bool nm_dt_weekday(dctx *c, size_t t, dexpr *e)
{
    const nm_lex_entry *w = nm_dw_tok(c, t, DW_WEEKDAY);
    if (!w)
        return false;
    int wd = nm_dw_int(w);
    const nm_lex_entry *sh = t > c->s0 ? nm_dw_tok(c, t - 1, DW_SHIFT) : NULL;
    bool on = t > c->s0 && NM_DT_WORD(c, t - 1, "on");
    if (sh && (!nm_dt_free(c, t - 1) || NM_DT_WORD(c, t - 1, "current")))
        sh = NULL;
    if ((!nm_dt_cap(c, t) && !on && !sh) || (nm_dt_attr(w, "abbr") && !on && !sh))
        return false;
    e->rule = "date.weekday";
    if (sh)
        e->t0 = t - 1;
    if (!nm_dt_need_doc(c, e, true)) {
        nm_dt_fmt(e->value, sizeof e->value, "XXXX-WXX-%d", wd);
    } else {
        int y, m, d;
        weekday_date(c, e, wd, sh ? nm_dw_int(sh) : 0, sh != NULL, &y, &m, &d);
        nm_dt_fmt(e->value, sizeof e->value, "%04d-%02d-%02d", y, m, d);
    }
    nm_dt_daypart_after(c, e);
    return true;
}

/* ------------------------------------------------------------ references */

static bool ref_value(dctx *c, dexpr *e, const nm_lex_entry *r)
{
    const char *v = nm_dw_val(r);
    e->relative = true;
    if (v[0] != 'D') {
        nm_dt_fmt(e->value, sizeof e->value, "%s", v);
        return true;
    }
    int n = nm_dt_atoi(v + 1);
    bool to = e->t0 > c->s0 && NM_DT_WORD(c, e->t0 - 1, "to");
    if ((n == 0 && (to || NM_DT_WORD(c, e->t1 + 1, "'s"))) || (n == 0 && c->dy && !c->dd)) {
        nm_dt_fmt(e->value, sizeof e->value, "PRESENT_REF"); /* to this day, today's */
        return true;
    }
    if (!nm_dt_need_doc(c, e, true)) {
        nm_dt_fmt(e->value, sizeof e->value, c->dy ? "%04d-%02d-XX" : "XXXX-XX-XX", c->dy, c->dm);
        return true;
    }
    int y, m, d;
    doc_ymd(c, &y, &m, &d);
    nm_cal_add_days(&y, &m, &d, n);
    nm_dt_fmt(e->value, sizeof e->value, "%04d-%02d-%02d", y, m, d);
    const char *part = nm_dt_attr(r, "part");
    if (part) {
        size_t k = strlen(e->value);
        nm_dt_fmt(e->value + k, sizeof e->value - k, "%s", part);
        e->type = "TIME";
    }
    return true;
}

bool nm_dt_ref(dctx *c, size_t t, dexpr *e)
{
    size_t end;
    const nm_lex_entry *r = nm_dw_fwd(c, t, DW_REF, &end);
    if (!r)
        return false;
    if (nm_dt_attr(r, "the")) {
        if (t == 0 || !nm_dt_free(c, t - 1) || !NM_DT_IS(c, t - 1, "the"))
            return false;
        size_t n = end + 1, qs;
        if (nm_dt_valid(c, n) && (nm_dw_tok(c, n, DW_UNIT) || nm_dt_quantity(c, n, &qs) >= 0 ||
                                  nm_dw_tok(c, n, DW_VAGUE)))
            return false; /* the past decade, the past two years */
        e->t0 = t - 1;
    }
    if (NM_DT_WORD(c, t, "soon") && t > c->s0 && NM_DT_WORD(c, t - 1, "as"))
        return false; /* as soon as */
    if (NM_DT_WORD(c, t, "now") && t > c->s0 && NM_DT_WORD(c, t - 1, "from"))
        return false;
    e->t1 = end;
    e->rule = "date.ref";
    if (!ref_value(c, e, r))
        return false;
    if (strcmp(e->type, "TIME") != 0 && strlen(e->value) == 10 && e->value[4] == '-')
        nm_dt_daypart_after(c, e);
    return true;
}

/* ------------------------------------------------------------ sets */

bool nm_dt_set(dctx *c, size_t t, dexpr *e)
{
    const nm_lex_entry *s = nm_dw_tok(c, t, DW_SET);
    if (!s)
        return false;
    const char *ty = nm_dt_attr(s, "type");
    e->type = ty && strcmp(ty, "DURATION") == 0 ? "DURATION" : "SET";
    nm_dt_fmt(e->value, sizeof e->value, "%s", nm_dw_val(s));
    e->rule = "date.set";
    return true;
}
