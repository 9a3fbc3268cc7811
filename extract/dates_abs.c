/* dates_abs.c - calendar dates: numeric forms, day and month, years,
 * decades, quarters, seasons, holidays and clock times. */
#include "dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool lower_word(const dctx *c, size_t t)
{
    return nm_dt_valid(c, t) && (c->doc->toks[t].flags & NM_TOK_WORD) && !nm_dt_cap(c, t);
}

/* The last token ending at or before normalized offset off. */
static size_t tok_ending(const dctx *c, size_t off)
{
    size_t t = nm_tok_before(c->doc, (uint32_t)off);
    return t == SIZE_MAX ? c->s0 : t;
}

static void fmt_date(dexpr *e, int y, int m, int d)
{
    char ys[8];
    nm_dt_fmt_year(ys, sizeof ys, y);
    nm_dt_fmt_ymd(e->value, sizeof e->value, ys, m, d, d != 0);
    e->y = y;
    e->m = m;
    e->d = d;
}

/* ------------------------------------------------------------ years */

static bool money_sign(const dctx *c, size_t t)
{
    if (!nm_dt_valid(c, t) || !(c->doc->toks[t].flags & NM_TOK_PUNCT))
        return false;
    const unsigned char *s = (const unsigned char *)c->doc->text + c->doc->toks[t].off;
    return s[0] == '$' || s[0] == '#' || s[0] == 0xE2 || s[0] == 0xC2; /* € £ ¥ */
}

bool nm_dt_year_ok(const dctx *c, size_t t)
{
    if (!nm_dt_year_tok(c, t))
        return false;
    size_t p = t - 1, n = t + 1;
    if (t > c->s0) {
        if (money_sign(c, p) || nm_dw_tok(c, p, DW_CODE))
            return false;
        if (nm_dt_char(c, p, '.') && NM_DT_WORD(c, p - 1, "no"))
            return false;
        if (nm_dw_tok(c, p, DW_YEARWORD) || nm_dw_tok(c, p, DW_DETERMINER) ||
            nm_dw_tok(c, p, DW_MONTH) || nm_dw_tok(c, p, DW_DATEPREP) || NM_DT_WORD(c, p, "'s"))
            return true;
        const nm_lex_entry *m = nm_dw_tok(c, p, DW_MOD);
        if (m && !nm_dt_attr(m, "on"))
            return false; /* about 2000, nearly 1500 */
    }
    if (nm_dt_char(c, n, '-') || nm_dt_char(c, n, '/'))
        return true;
    if (lower_word(c, n) && !nm_dw_tok(c, n, DW_STOP) && !nm_dw_tok(c, n, DW_DETERMINER) &&
        !nm_dw_tok(c, n, DW_UNIT) && !nm_dw_tok(c, n, DW_SET) && !nm_dw_tok(c, n, DW_DATEPREP))
        return false; /* 1952 people */
    return true;
}

/* Decades: 1990s, 90s, 1990's. */
static bool decade(dctx *c, size_t t, dexpr *e)
{
    const nm_tok *k = &c->doc->toks[t];
    const char *s = c->doc->text + k->off;
    size_t nd = 0;
    while (nd < k->len && s[nd] >= '0' && s[nd] <= '9')
        nd++;
    size_t t1 = t;
    bool suffix = nd + 1 == k->len && s[nd] == 's';
    if (!suffix && nd == k->len && NM_DT_WORD(c, t + 1, "'s") && nm_dt_adjacent(c, t, t + 1))
        suffix = true, t1 = t + 1;
    if (!suffix || (nd != 4 && nd != 2) || s[nd - 1] != '0')
        return false;
    int v = nm_dt_atoi(s);
    if (nd == 4 && (v < 1000 || v > 2190))
        return false;
    if (nd == 2) /* 90s: the 1990s; 20s: the 2020s */
        v += v <= 30 && c->dy >= 2000 + v ? 2000 : 1900;
    nm_dt_fmt(e->value, sizeof e->value, "%03d", v / 10);
    e->t1 = t1;
    e->rule = "date.decade";
    if (t > c->s0 && nm_dt_char(c, t - 1, '\'') && nm_dt_adjacent(c, t - 1, t))
        e->t0 = t - 1;
    nm_dt_part_left(c, e);
    nm_dt_take_the(c, e);
    return true;
}

static bool year(dctx *c, size_t t, dexpr *e)
{
    int y = nm_dt_year_tok(c, t);
    if (!y || !nm_dt_year_ok(c, t))
        return false;
    nm_dt_fmt_year(e->value, sizeof e->value, y); /* 1000-2199: as "%04d" */
    e->year = e->y = y;
    e->rule = "date.year";
    nm_dt_part_left(c, e);
    return true;
}

/* "2023-24": the second year of a range written short. */
static bool short_year(dctx *c, size_t t, dexpr *e)
{
    if (t < c->s0 + 2 || !nm_dt_char(c, t - 1, '-') || c->doc->toks[t].len != 2)
        return false;
    int y0 = nm_dt_year_tok(c, t - 2);
    long v = nm_dt_digits(c, t);
    if (!y0 || v < 0 || !nm_dt_adjacent(c, t - 2, t - 1) || !nm_dt_adjacent(c, t - 1, t) ||
        (y0 % 100) + 1 > v + (v < y0 % 100 ? 100 : 0))
        return false;
    int y = y0 / 100 * 100 + (int)v + (v < y0 % 100 ? 100 : 0);
    nm_dt_fmt(e->value, sizeof e->value, "%04d", y);
    e->year = e->y = y;
    e->rule = "date.year";
    return true;
}

/* ------------------------------------------------------------ day month */

/* A month word at t usable after a day or before a day/year. */
static const nm_lex_entry *month_at(const dctx *c, size_t t)
{
    return nm_dt_valid(c, t) ? nm_dw_tok(c, t, DW_MONTH) : NULL;
}

/* 5 October 2024, 5th of October, 16. Nov. 2016, 1-jan. */
static bool day_month(dctx *c, size_t t, dexpr *e)
{
    bool ord;
    int d = nm_dt_day(c, t, &ord);
    if (d < 0)
        return false;
    size_t k = t + 1;
    if (nm_dt_char(c, k, '.') || (nm_dt_char(c, k, '-') && nm_dt_adjacent(c, t, k)))
        k++;
    else if (NM_DT_WORD(c, k, "of"))
        k++;
    const nm_lex_entry *m = month_at(c, k);
    if (!m || (NM_DT_IS(c, k, "may") && !nm_dt_cap(c, k) && !ord))
        return false;
    int mon = nm_dw_int(m);
    if (d > nm_cal_mdays(2000, mon))
        return false;
    e->t1 = k;
    if (nm_dt_char(c, k + 1, '.') && nm_dt_attr(m, "abbr"))
        k++;
    size_t end;
    int y = nm_dt_year_after(c, k, e, &end);
    if (y) {
        e->t1 = end;
    } else {
        y = nm_dt_year_for(c, e, mon, d);
    }
    fmt_date(e, y, mon, d);
    e->rule = "date.day-month";
    return true;
}

/* the 27th, on the 21st: a day of the document's month. */
static bool bare_day(dctx *c, size_t t, dexpr *e)
{
    bool ord;
    int d = nm_dt_day(c, t, &ord);
    if (d < 0 || !ord || t == c->s0 || !(NM_DT_WORD(c, t - 1, "the") || NM_DT_WORD(c, t - 1, "on")))
        return false;
    size_t n = t + 1;
    if (nm_dt_valid(c, n) && !(c->doc->toks[n].flags & NM_TOK_PUNCT) && !NM_DT_WORD(c, n, "of"))
        return false; /* the 27th floor, the 25th Anniversary */
    if (NM_DT_WORD(c, n, "of"))
        return false;
    if (NM_DT_WORD(c, t - 1, "the"))
        e->t0 = t - 1;
    int y = 0, m = 0;
    if (nm_dt_need_doc(c, e, false)) {
        y = c->dy;
        m = c->dm;
    }
    char ys[8];
    nm_dt_fmt_year(ys, sizeof ys, y);
    if (m)
        nm_dt_fmt(e->value, sizeof e->value, "%s-%02d-%02d", ys, m, d);
    else
        nm_dt_fmt(e->value, sizeof e->value, "%s-XX-%02d", ys, d);
    e->rule = "date.day";
    return true;
}

/* 3pm, 3 p.m., 11.30 am */
static bool hour_ampm(dctx *c, size_t t, dexpr *e)
{
    const nm_tok *k = &c->doc->toks[t];
    const char *s = c->doc->text + k->off;
    size_t i = 0;
    int h = 0, mi = 0;
    while (i < k->len && i < 2 && s[i] >= '0' && s[i] <= '9')
        h = h * 10 + (s[i++] - '0');
    if (i < k->len && (s[i] == '.' || s[i] == ':') && i + 3 <= k->len) {
        mi = nm_dt_atoi(s + i + 1);
        i += 3;
    }
    const char *ap = NULL;
    if (i < k->len) {
        char suf[4] = {0};
        if (k->len - i != 2)
            return false;
        suf[0] = (char)(s[i] | 32);
        suf[1] = (char)(s[i + 1] | 32);
        ap = strcmp(suf, "am") == 0 ? "am" : strcmp(suf, "pm") == 0 ? "pm" : NULL;
    } else {
        const nm_lex_entry *a = nm_dw_tok(c, t + 1, DW_AMPM);
        if (a && nm_dt_valid(c, t + 1) && strcmp(a->surface, "am") != 0) {
            ap = nm_dw_val(a);
            e->t1 = t + 1;
        } else if (a && nm_dt_valid(c, t + 1) && NM_DT_IS(c, t + 1, "am") &&
                   nm_dt_valid(c, t + 2) && (c->doc->toks[t + 2].flags & NM_TOK_PUNCT)) {
            ap = "am";
            e->t1 = t + 1;
        }
    }
    if (!ap || h < 1 || h > 12 || mi > 59)
        return false;
    h = h % 12 + (ap[0] == 'p' ? 12 : 0);
    char ds[24] = "XXXX-XX-XX";
    if (nm_dt_need_doc(c, e, true))
        nm_dt_fmt(ds, sizeof ds, "%04d-%02d-%02d", c->dy, c->dm, c->dd);
    nm_dt_fmt(e->value, sizeof e->value, "%sT%02d:%02d", ds, h, mi);
    e->type = "TIME";
    e->rule = "date.clock";
    return true;
}

/* 3h, 3day, 3.5years: a number with its unit attached. */
static bool attached_unit(dctx *c, size_t t, dexpr *e)
{
    const nm_tok *k = &c->doc->toks[t];
    const char *s = c->doc->text + k->off;
    size_t i = 0;
    while (i < k->len && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
        i++;
    if (i == 0 || i == k->len || k->len - i > 12)
        return false;
    const nm_dword *w = nm_dw_lookup(c, s + i, k->len - i);
    const nm_lex_entry *u = w ? w->e[DW_UNIT] : NULL;
    if (!u)
        return false;
    char num[16];
    snprintf(num, sizeof num, "%.*s", (int)i, s);
    const char *uv = nm_dw_val(u);
    bool time = strcmp(uv, "H") == 0 || strcmp(uv, "MIN") == 0 || strcmp(uv, "S") == 0;
    nm_dt_fmt(e->value, sizeof e->value, "P%s%s%c", time ? "T" : "", num,
             strcmp(uv, "MIN") == 0 ? 'M' : uv[0]);
    e->type = "DURATION";
    e->rule = "date.duration";
    return strchr("YMWDHS", uv[0]) != NULL;
}

/* 60 in "between 60 and 90 days": the unit of the second number. */
static bool range_first(dctx *c, size_t t, dexpr *e)
{
    size_t n = t + 1, q0;
    if (!(NM_DT_WORD(c, n, "and") || NM_DT_WORD(c, n, "to") || nm_dt_char(c, n, '-')))
        return false;
    if (nm_dt_quantity(c, n + 1, &q0) < 0 || q0 != n + 1)
        return false;
    const nm_lex_entry *u = nm_dw_tok(c, n + 2, DW_UNIT);
    if (!u || !nm_dt_valid(c, n + 2) || nm_dw_fwd(c, n + 3, DW_SIGNAL, &q0))
        return false;
    long v = nm_dt_digits(c, t);
    const char *uv = nm_dw_val(u);
    if (v < 0 || !strchr("YMWD", uv[0]) || strcmp(uv, "MIN") == 0)
        return false;
    nm_dt_fmt(e->value, sizeof e->value, "P%ld%c", v, uv[0]);
    e->type = "DURATION";
    e->rule = "date.duration";
    return true;
}

/* Could nm_dt_number find a date at number token t (s, len bytes, nd
 * leading digits, i: the end of the digits and periods from the start,
 * j: of the digits, periods and commas)?  A necessary condition from the
 * shape of the token and its neighbours: most numbers are amounts ("15
 * mln", "3,000", "1.5"), and this turns them away without the parsers.
 * Each branch mirrors what the parsers below require. */
static bool number_may(const dctx *c, size_t t, const char *s, size_t len, size_t nd, size_t i,
                       size_t j)
{
    size_t n = t + 1;
    bool next = nm_dt_valid(c, n);
    uint32_t nl = next ? c->doc->toks[n].len : 0; /* (the tests below want these lengths) */
    bool dash = nl == 1 && nm_dt_char(c, n, '-');
    if ((dash || (nl == 3 && NM_DT_IS(c, n, "and")) || (nl == 2 && NM_DT_IS(c, n, "to"))) &&
        nm_dt_valid(c, n + 2) && nm_dw_tok(c, n + 2, DW_UNIT))
        return true; /* range_first: 60 and 90 days */
    if (nd == len) { /* digits only */
        if (len == 4)
            return true; /* year, decade ("1990's") */
        if (len > 2)
            return false; /* only range_first takes those */
        if (len == 2 && t > c->s0 && nm_dt_char(c, t - 1, '-'))
            return true; /* short_year */
        if (!next)
            return false;
        if (len == 2 && nl == 2 && NM_DT_IS(c, n, "'s"))
            return true; /* decade ("90's") */
        int v = len == 1 ? s[0] - '0' : (s[0] - '0') * 10 + (s[1] - '0');
        if (v >= 1 && v <= 31) { /* day_month: 5 October, 5. Oct, 1-jan, 5 of May */
            size_t m = n;
            if ((nl == 1 && nm_dt_char(c, n, '.')) || (dash && nm_dt_adjacent(c, t, n)) ||
                (nl == 2 && NM_DT_IS(c, n, "of")))
                m++;
            if (nm_dt_valid(c, m) && c->doc->toks[m].len &&
                nm_dt_sig_has(&c->r->monthampm, c->doc->text + c->doc->toks[m].off,
                              c->doc->toks[m].len) &&
                nm_dw_tok(c, m, DW_MONTH))
                return true;
        }
        /* hour_ampm: 3 pm (the signatures spare most words the lookup) */
        return nl && nm_dt_sig_has(&c->r->monthampm, c->doc->text + c->doc->toks[n].off, nl) &&
               nm_dw_tok(c, n, DW_AMPM) != NULL;
    }
    if (j < len)
        return true; /* letters after the digits: ordinals, decades, units, am/pm */
    /* Digits with separators (3,000 or 1.5): no day (nm_dt_day wants a
     * letter suffix), no decade or year.  attached_unit looks up what
     * follows the digits and periods: a ',' only when some key starts
     * with one; hour_ampm takes "11.30" before am/pm. */
    if (i < len && c->r->comma_key)
        return true;
    return nd <= 2 && s[nd] == '.' && len == nd + 3 && next && nm_dw_tok(c, n, DW_AMPM);
}

/* nm_dt_number gives up at once when a unit follows the number (or its
 * hyphen): the unit heads the expression. */
static bool unit_heads(const dctx *c, size_t t)
{
    size_t n = t + 1;
    if (nm_dt_char(c, n, '-') && nm_dt_adjacent(c, t, n))
        n++;
    return nm_dw_tok(c, n, DW_UNIT) && nm_dt_valid(c, n);
}

unsigned nm_dt_number_shape(const dctx *c, size_t t)
{
    const nm_tok *k = &c->doc->toks[t];
    const char *s = c->doc->text + k->off;
    size_t len = k->len;
    /* One pass: nd, the leading digits; i, the first byte that is no
     * digit or period; j, the first that is no digit, period or comma;
     * dot, the first period, and dot2: a period or comma after it. */
    size_t nd = len, i = len, j = len, dot = len;
    bool dot2 = false;
    for (size_t x = 0; x < len; x++) {
        unsigned char ch = (unsigned char)s[x];
        if (ch >= '0' && ch <= '9')
            continue;
        if (nd == len)
            nd = x;
        if (ch == '.') {
            dot2 = dot2 || dot < len;
            dot = dot < len ? dot : x;
            continue;
        }
        i = i < len ? i : x;
        if (ch == ',') {
            dot2 = dot2 || dot < len;
            continue;
        }
        j = j < len ? j : x;
    }
    /* The numeric patterns (dates_lex.c) need two numbers and a
     * separator: one of -/.: right after the token and then a digit, or
     * inside it (the only one a token can hold is '.') a period, and
     * then, for a date with a period, a second separator (a date without
     * a year is never written with periods: numeric_date). */
    size_t rest = c->doc->text_len - k->off;
    char nx = len < rest ? s[len] : '\0';
    bool numeric = dot2 || ((nx == '-' || nx == '/' || nx == '.' || nx == ':') && len + 1 < rest &&
                            s[len + 1] >= '0' && s[len + 1] <= '9');
    return (numeric ? DT_SHAPE_NUMERIC : 0u) |
           (number_may(c, t, s, len, nd, i, j) && !unit_heads(c, t) ? DT_SHAPE_NUMBER : 0u);
}

bool nm_dt_number(dctx *c, size_t t, dexpr *e)
{
    size_t n = t + 1;
    if (nm_dt_char(c, n, '-') && nm_dt_adjacent(c, t, n))
        n++;
    if (nm_dw_tok(c, n, DW_UNIT) && nm_dt_valid(c, n))
        return false; /* the unit heads it */
    /* Each parser needs a shape of the token (its leading digits nd and
     * length): those that would fail at once, leaving e as it is, are not
     * called. */
    const nm_tok *k = &c->doc->toks[t];
    const char *s = c->doc->text + k->off;
    size_t nd = 0;
    while (nd < k->len && s[nd] >= '0' && s[nd] <= '9')
        nd++;
    if (range_first(c, t, e) || (nd < k->len && attached_unit(c, t, e)) ||
        (nd <= 2 && hour_ampm(c, t, e)))
        return true;
    if ((nd <= 2 && day_month(c, t, e)) || ((nd == 2 || nd == 4) && decade(c, t, e)) ||
        (nd == 4 && k->len == 4 && year(c, t, e)) || (k->len == 2 && short_year(c, t, e)))
        return true;
    if (nd > 2 || k->len != nd + 2) /* a day with an ordinal suffix */
        return false;
    memset(e, 0, sizeof *e);
    e->type = "DATE";
    e->t0 = e->t1 = t;
    return bare_day(c, t, e);
}

/* ------------------------------------------------------------ numeric */

static int two_digit_year(int v) { return v < 50 ? 2000 + v : 1900 + v; }

static bool set_ymd(dctx *c, dexpr *e, int y, int m, int d)
{
    NM_UNUSED(c);
    if (m < 1 || m > 12 || d < 1 || (y && d > nm_cal_mdays(y, m)) || d > nm_cal_mdays(2000, m))
        return false;
    fmt_date(e, y, m, d);
    e->year = y;
    return true;
}

static bool numeric_date(dctx *c, size_t t, dexpr *e, const size_t *ov)
{
    const char *s = c->doc->text;
    int a = nm_dt_atoi(s + ov[2]), b = nm_dt_atoi(s + ov[6]);
    char sep = s[ov[4]];
    size_t ys = ov[8] != SIZE_MAX ? ov[8] : ov[10];
    size_t ye = ov[8] != SIZE_MAX ? ov[9] : ov[11];
    int y = ys != SIZE_MAX ? nm_dt_atoi(s + ys) : 0;
    if (ys != SIZE_MAX && ye - ys == 2)
        y = two_digit_year(y);
    if (!y) { /* 4/22: only after on/by/since..., never with a period */
        if (sep == '.' || t == c->s0 || !nm_dw_tok(c, t - 1, DW_DATEPREP) ||
            NM_DT_IS(c, t - 1, "the") || NM_DT_IS(c, t - 1, "of"))
            return false;
    }
    int m = c->r->day_first ? b : a, d = c->r->day_first ? a : b;
    if (m > 12 && d <= 12) {
        int x = m;
        m = d;
        d = x;
    }
    if (!y) {
        e->t1 = tok_ending(c, ov[1]);
        y = nm_dt_year_for(c, e, m, d);
        if (!set_ymd(c, e, y, m, d))
            return false;
        e->year = 0;
        return true;
    }
    return set_ymd(c, e, y, m, d);
}

static bool clock_time(dctx *c, size_t t, dexpr *e, const size_t *ov)
{
    const char *s = c->doc->text;
    int h = nm_dt_atoi(s + ov[2]), mi = nm_dt_atoi(s + ov[4]);
    e->t1 = tok_ending(c, ov[1]);
    const nm_lex_entry *ap = nm_dw_tok(c, e->t1 + 1, DW_AMPM);
    if (ap && nm_dt_valid(c, e->t1 + 1)) {
        if (h < 1 || h > 12)
            return false;
        h = h % 12 + (nm_dw_val(ap)[0] == 'p' ? 12 : 0);
        e->t1++;
    }
    if (h > 24)
        return false;
    bool z = false;
    if (nm_dw_tok(c, e->t1 + 1, DW_ZONE) && nm_dt_valid(c, e->t1 + 1)) {
        z = true;
        e->t1++;
    }
    NM_UNUSED(t);
    char ds[24] = "XXXX-XX-XX";
    dexpr day;
    memset(&day, 0, sizeof day);
    size_t n = e->t1 + 1;
    day.type = "DATE";
    day.t0 = day.t1 = n;
    if (nm_dt_valid(c, n) && (nm_dt_weekday(c, n, &day) || nm_dt_ref(c, n, &day)) &&
        strlen(day.value) == 10 && day.value[4] == '-') {
        memcpy(ds, day.value, 11); /* YYYY-MM-DD and its NUL, checked above */
        e->t1 = day.t1;
        e->relative = true;
    } else if (nm_dt_need_doc(c, e, true)) {
        nm_dt_fmt(ds, sizeof ds, "%04d-%02d-%02d", c->dy, c->dm, c->dd);
    }
    nm_dt_fmt(e->value, sizeof e->value, "%sT%02d:%02d%s", ds, h, mi, z ? "Z" : "");
    e->type = "TIME";
    e->rule = "date.clock";
    return true;
}

/* Quick tests of what each numeric pattern needs at the start of s (n
 * bytes): a false one proves that the pattern cannot match there. */
static bool dig_at(const char *s, size_t n, size_t i) { return i < n && s[i] >= '0' && s[i] <= '9'; }

static bool sep_at(const char *s, size_t n, size_t i)
{
    return i < n && (s[i] == '-' || s[i] == '/' || s[i] == '.');
}

static bool may_ymd(const char *s, size_t n)
{
    return n > 5 && (s[0] == '1' || s[0] == '2') && dig_at(s, n, 1) && dig_at(s, n, 2) &&
           dig_at(s, n, 3) && sep_at(s, n, 4) && dig_at(s, n, 5);
}

static bool may_clock(const char *s, size_t n)
{
    size_t i = dig_at(s, n, 1) ? 2 : 1; /* the colon */
    return i + 2 < n && s[i] == ':' && s[i + 1] >= '0' && s[i + 1] <= '5' && dig_at(s, n, i + 2);
}

static bool may_numdate(const char *s, size_t n)
{
    return (sep_at(s, n, 1) && dig_at(s, n, 2)) ||
           (dig_at(s, n, 1) && sep_at(s, n, 2) && dig_at(s, n, 3));
}

/* A numeric date without a year is taken only after a date preposition
 * and never with a period (numeric_date): when no year can follow
 * ("1.5", "12.50"), the pattern need not run. */
static bool numdate_hopeless(const dctx *c, size_t t, const char *s, size_t n)
{
    size_t p = dig_at(s, n, 1) ? 2 : 1; /* the separator */
    char sep = s[p];
    for (size_t q = p + 2; q <= p + 3; q++) /* after one or two digits */
        if (q < n && (s[q] == sep || s[q] == ',') && dig_at(s, n, q + 1))
            return false;
    return sep == '.' || t == c->s0 || !nm_dw_tok(c, t - 1, DW_DATEPREP) ||
           NM_DT_IS(c, t - 1, "the") || NM_DT_IS(c, t - 1, "of");
}

bool nm_dt_numeric(dctx *c, size_t t, dexpr *e)
{
    size_t ov[12];
    size_t off = c->doc->toks[t].off, n = c->doc->text_len - off;
    const char *s = c->doc->text;
    if (may_ymd(s + off, n) && nm_pattern_at(&c->r->rx[RX_YMD], c->doc, off, ov, 5) == 1) {
        e->t1 = tok_ending(c, ov[1]);
        e->rule = "date.numeric";
        return set_ymd(c, e, nm_dt_atoi(s + ov[2]), nm_dt_atoi(s + ov[6]), nm_dt_atoi(s + ov[8]));
    }
    if (may_clock(s + off, n) && nm_pattern_at(&c->r->rx[RX_CLOCK], c->doc, off, ov, 4) == 1)
        return clock_time(c, t, e, ov);
    if (t > c->s0 && nm_dt_char(c, t - 1, '/') && nm_dt_adjacent(c, t - 1, t))
        return false; /* inside a longer code */
    if (may_numdate(s + off, n) && !numdate_hopeless(c, t, s + off, n) &&
        nm_pattern_at(&c->r->rx[RX_NUMDATE], c->doc, off, ov, 6) == 1) {
        e->t1 = tok_ending(c, ov[1]);
        e->rule = "date.numeric";
        return numeric_date(c, t, e, ov);
    }
    return false;
}
