/* dates_cal.c - proleptic Gregorian calendar arithmetic and the token
 * helpers the date parsers share. */
#include "dates.h"

#include <stdlib.h>
#include <string.h>

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int nm_cal_mdays(int y, int m)
{
    static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 31;
    return md[m - 1] + (m == 2 && leap(y));
}

/* Days since 1970-01-01 (Howard Hinnant's days_from_civil). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int nm_cal_weekday(int y, int m, int d)
{
    long z = days_from_civil(y, m, d);
    long w = (z + 3) % 7; /* 1970-01-01 was a Thursday (ISO 4) */
    if (w < 0)
        w += 7;
    return (int)w + 1;
}

void nm_cal_add_days(int *y, int *m, int *d, long n)
{
    civil_from_days(days_from_civil(*y, *m, *d) + n, y, m, d);
}

void nm_cal_add_months(int *y, int *m, int n)
{
    long k = (long)*y * 12 + (*m - 1) + n;
    *y = (int)(k >= 0 ? k / 12 : (k - 11) / 12);
    *m = (int)(k - (long)*y * 12) + 1;
}

void nm_cal_isoweek(int y, int m, int d, int *wy, int *w)
{
    int wd = nm_cal_weekday(y, m, d);
    int ty = y, tm = m, td = d; /* the Thursday of this week decides the year */
    nm_cal_add_days(&ty, &tm, &td, 4 - wd);
    long doy = days_from_civil(ty, tm, td) - days_from_civil(ty, 1, 1);
    *wy = ty;
    *w = (int)(doy / 7) + 1;
}

/* ------------------------------------------------------------ tokens */

bool nm_dt_valid(const dctx *c, size_t t) { return t >= c->s0 && t < c->s1; }

bool nm_dt_char(const dctx *c, size_t t, char ch)
{
    return nm_dt_valid(c, t) && c->doc->toks[t].len == 1 && c->doc->text[c->doc->toks[t].off] == ch;
}

bool nm_dt_adjacent(const dctx *c, size_t a, size_t b)
{
    const nm_tok *x = &c->doc->toks[a], *y = &c->doc->toks[b];
    return x->off + x->len == y->off;
}

bool nm_dt_cap(const dctx *c, size_t t) { return (c->doc->toks[t].flags & NM_TOK_CAP) != 0; }

long nm_dt_digits(const dctx *c, size_t t)
{
    if (!nm_dt_valid(c, t))
        return -1;
    const nm_tok *k = &c->doc->toks[t];
    const char *s = c->doc->text + k->off;
    if (k->len > 9)
        return -1;
    long v = 0;
    for (uint32_t i = 0; i < k->len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int nm_dt_day(const dctx *c, size_t t, bool *ord)
{
    *ord = false;
    if (!nm_dt_valid(c, t) || !(c->doc->toks[t].flags & NM_TOK_NUM))
        return -1;
    const nm_tok *k = &c->doc->toks[t];
    const char *s = c->doc->text + k->off;
    uint32_t i = 0;
    int v = 0;
    while (i < k->len && i < 2 && s[i] >= '0' && s[i] <= '9')
        v = v * 10 + (s[i++] - '0');
    if (i < k->len) {
        if (k->len - i != 2)
            return -1;
        char a = (char)(s[i] | 32), b = (char)(s[i + 1] | 32);
        if (!((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
              (a == 't' && b == 'h')))
            return -1;
        *ord = true;
    }
    return v >= 1 && v <= 31 ? v : -1;
}

int nm_dt_year_tok(const dctx *c, size_t t)
{
    if (!nm_dt_valid(c, t) || c->doc->toks[t].len != 4)
        return 0;
    long v = nm_dt_digits(c, t);
    return v >= 1000 && v <= 2199 ? (int)v : 0;
}

/* A number word (with twenty-five style compounds) ending at t. */
static double number_word(const dctx *c, size_t t, size_t *start)
{
    const nm_lex_entry *e = nm_dw_tok(c, t, DW_NUMBER);
    if (!e) {
        if (nm_dt_valid(c, t) && (nm_tok_is(c->doc, t, "a") || nm_tok_is(c->doc, t, "an"))) {
            *start = t;
            return 1;
        }
        return -1;
    }
    double v = strtod(nm_dw_val(e), NULL);
    *start = t;
    size_t p = t;
    if (v < 10 && t >= 2 && nm_dt_char(c, t - 1, '-') && nm_dt_adjacent(c, t - 1, t))
        p = t - 2;
    else if (v < 10 && t >= 1)
        p = t - 1;
    if (p != t && nm_dt_valid(c, p)) {
        const nm_lex_entry *tens = nm_dw_tok(c, p, DW_NUMBER);
        double tv = tens ? strtod(nm_dw_val(tens), NULL) : 0;
        if (tv >= 20 && tv <= 90 && (long)tv % 10 == 0) {
            v += tv;
            *start = p;
        }
    }
    return v;
}

double nm_dt_quantity(const dctx *c, size_t t, size_t *start)
{
    if (!nm_dt_valid(c, t))
        return -1;
    const nm_tok *k = &c->doc->toks[t];
    if (k->flags & NM_TOK_NUM) {
        const char *s = c->doc->text + k->off;
        char buf[24];
        size_t n = 0;
        for (uint32_t i = 0; i < k->len; i++) {
            if (s[i] == ',')
                continue;
            if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.') || n + 1 >= sizeof buf)
                return -1;
            buf[n++] = s[i];
        }
        buf[n] = '\0';
        *start = t;
        return strtod(buf, NULL);
    }
    return number_word(c, t, start);
}
