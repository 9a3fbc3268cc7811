/* dates_cal.c - proleptic Gregorian calendar arithmetic, value
 * formatting and the token helpers the date parsers share. */
#include "dates.h"

#include <stdarg.h>
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

/* ------------------------------------------------------------ format */

/* v in decimal into out (24 bytes), at least width characters, padded
 * with zeros after the sign or with spaces before it; returns the length. */
static size_t fmt_long(char *out, long v, int width, bool zero)
{
    char dig[24];
    size_t nd = 0, o = 0;
    unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
    do
        dig[nd++] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    size_t len = nd + (v < 0), pad = width > 0 && (size_t)width > len ? (size_t)width - len : 0;
    if (pad > 20)
        pad = 20;
    for (size_t i = 0; !zero && i < pad; i++)
        out[o++] = ' ';
    if (v < 0)
        out[o++] = '-';
    for (size_t i = 0; zero && i < pad; i++)
        out[o++] = '0';
    while (nd)
        out[o++] = dig[--nd];
    return o;
}

size_t nm_dt_fmt(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[48];
    size_t o = 0, lim = cap ? cap - 1 : 0; /* bytes before the NUL */
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') { /* literal bytes go straight out */
            if (o < lim)
                out[o++] = *f;
            continue;
        }
        bool zero = f[1] == '0', lng;
        int width = 0;
        for (f += 1 + zero; *f >= '0' && *f <= '9'; f++)
            width = width * 10 + (*f - '0');
        if ((lng = *f == 'l'))
            f++;
        if (*f == 's') {
            for (const char *s = va_arg(ap, const char *); *s && o < lim; s++)
                out[o++] = *s;
        } else if (*f == 'c') {
            char ch = (char)va_arg(ap, int);
            if (o < lim)
                out[o++] = ch;
        } else if (*f == 'd') {
            size_t n = fmt_long(tmp, lng ? va_arg(ap, long) : va_arg(ap, int), width, zero);
            for (size_t i = 0; i < n && o < lim; i++)
                out[o++] = tmp[i];
        } else if (o < lim) { /* %% */
            out[o++] = *f;
        }
    }
    out[o] = '\0';
    va_end(ap);
    return o;
}

size_t nm_dt_fmt_ulong(char *out, size_t cap, unsigned long v)
{
    char dig[24];
    size_t nd = 0, o = 0;
    do
        dig[nd++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (nd && o + 1 < cap)
        out[o++] = dig[--nd];
    if (cap)
        out[o] = '\0';
    return o;
}

size_t nm_dt_fmt_ymd(char *out, size_t cap, const char *ys, int m, int d, bool day)
{
    size_t n = strlen(ys);
    if (m < 0 || m > 99 || (day && (d < 0 || d > 99)) || n + 7 >= cap) /* by the format */
        return day ? nm_dt_fmt(out, cap, "%s-%02d-%02d", ys, m, d)
                   : nm_dt_fmt(out, cap, "%s-%02d", ys, m);
    memcpy(out, ys, n);
    out[n++] = '-';
    out[n++] = (char)('0' + m / 10);
    out[n++] = (char)('0' + m % 10);
    if (day) {
        out[n++] = '-';
        out[n++] = (char)('0' + d / 10);
        out[n++] = (char)('0' + d % 10);
    }
    out[n] = '\0';
    return n;
}

/* ------------------------------------------------------------ tokens */

bool nm_dt_is_one(const dctx *c, size_t t, const dt_word *list)
{
    if (t >= c->doc->ntoks || c->doc->toks[t].len == 0)
        return false;
    size_t n = c->doc->toks[t].len;
    char a = c->doc->text[c->doc->toks[t].off];
    a = a >= 'A' && a <= 'Z' ? (char)(a + 32) : a;
    for (; list->w; list++)
        if (list->n == n && list->w[0] == a && nm_dt_is(c, t, list->w, n))
            return true;
    return false;
}

/* strtod(s, NULL), with plain integers of up to 15 digits (exact in a
 * double, as strtod gives them) read directly. */
static double dt_strtod(const char *s)
{
    double v = 0;
    size_t i = 0;
    for (; s[i] >= '0' && s[i] <= '9' && i < 15; i++)
        v = v * 10 + (s[i] - '0');
    return i > 0 && s[i] == '\0' ? v : strtod(s, NULL);
}

/* A number word (with twenty-five style compounds) ending at t. */
static double number_word(const dctx *c, size_t t, size_t *start)
{
    const nm_lex_entry *e = nm_dw_tok(c, t, DW_NUMBER);
    if (!e) {
        if (nm_dt_valid(c, t) && (NM_DT_IS(c, t, "a") || NM_DT_IS(c, t, "an"))) {
            *start = t;
            return 1;
        }
        return -1;
    }
    double v = dt_strtod(nm_dw_val(e));
    *start = t;
    size_t p = t;
    if (v < 10 && t >= 2 && nm_dt_char(c, t - 1, '-') && nm_dt_adjacent(c, t - 1, t))
        p = t - 2;
    else if (v < 10 && t >= 1)
        p = t - 1;
    if (p != t && nm_dt_valid(c, p)) {
        const nm_lex_entry *tens = nm_dw_tok(c, p, DW_NUMBER);
        double tv = tens ? dt_strtod(nm_dw_val(tens)) : 0;
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
        return dt_strtod(buf);
    }
    return number_word(c, t, start);
}
