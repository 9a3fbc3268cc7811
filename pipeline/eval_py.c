/* eval_py.c — the parts of Python's str, float and os.path that score.py
 * relies on, on UTF-8 byte slices: strict UTF-8 decoding with CPython's error
 * messages, surrogateescape for undecodable bytes, Unicode strip/lower/upper,
 * repr(), json string escapes, float() and float repr, path joining.
 */
#include "eval_priv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CONT(b) (((b) & 0xC0) == 0x80)

/* Length of the UTF-8 sequence at s, or 0 with the length of the bad range
 * and the reason exactly as CPython's decoder reports them. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp, size_t *bad,
                       const char **why)
{
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    size_t i;
    *bad = 1;
    *why = "invalid start byte";
    if (c >= 0x80 && (c < 0xC2 || c > 0xF4))
        return 0;
    *why = "invalid continuation byte";
    for (i = 1; i < len && i < n; i++) {
        unsigned b = s[i];
        int ok = CONT(b);
        if (i == 1 && ok)
            ok = !((c == 0xE0 && b < 0xA0) || (c == 0xED && b >= 0xA0) ||
                   (c == 0xF0 && b < 0x90) || (c == 0xF4 && b >= 0x90));
        if (!ok) {
            *bad = i;
            return 0;
        }
    }
    if (i < len) {
        *bad = n;
        *why = "unexpected end of data";
        return 0;
    }
    *cp = len == 1 ? c : c & (0x7F >> len);
    for (i = 1; i < len; i++)
        *cp = (*cp << 6) | (s[i] & 0x3F);
    return len;
}

static uint32_t py_next(const char *p, size_t n, size_t *i)
{
    const unsigned char *s = (const unsigned char *)p + *i;
    uint32_t cp = 0;
    size_t bad;
    const char *why;
    size_t len = utf8_seq(s, n - *i, &cp, &bad, &why);
    if (!len) {
        *i += 1;
        return 0xDC00 + s[0];
    }
    *i += len;
    return cp;
}

int nm_py_utf8_error(const char *p, size_t n, nm_ebuf *why)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0, bad;
    uint32_t cp;
    const char *reason;
    while (i < n) {
        size_t len = utf8_seq(s + i, n - i, &cp, &bad, &reason);
        if (len) {
            i += len;
            continue;
        }
        if (bad == 1)
            nm_ebuf_printf(why, "'utf-8' codec can't decode byte 0x%02x in position %zu: %s",
                           s[i], i, reason);
        else
            nm_ebuf_printf(why, "'utf-8' codec can't decode bytes in position %zu-%zu: %s",
                           i, i + bad - 1, reason);
        return 1;
    }
    return 0;
}

static void put_cp(nm_ebuf *b, uint32_t c)
{
    char u[4];
    if (c >= 0xDC80 && c <= 0xDCFF) {     /* surrogateescape'd byte */
        nm_ebuf_addc(b, (char)(c - 0xDC00));
    } else if (c < 0x80) {
        nm_ebuf_addc(b, (char)c);
    } else if (c < 0x800) {
        u[0] = (char)(0xC0 | (c >> 6));
        u[1] = (char)(0x80 | (c & 0x3F));
        nm_ebuf_add(b, u, 2);
    } else if (c < 0x10000) {
        u[0] = (char)(0xE0 | (c >> 12));
        u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F));
        nm_ebuf_add(b, u, 3);
    } else {
        u[0] = (char)(0xF0 | (c >> 18));
        u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[3] = (char)(0x80 | (c & 0x3F));
        nm_ebuf_add(b, u, 4);
    }
}

static int py_isspace(uint32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

nm_eslice nm_py_strip(nm_eslice s)
{
    size_t i = 0, first = s.n, last = 0;
    while (i < s.n) {
        size_t at = i;
        if (!py_isspace(py_next(s.p, s.n, &i))) {
            if (first == s.n)
                first = at;
            last = i;
        }
    }
    nm_eslice r = {s.p + (first < s.n ? first : 0), first < s.n ? last - first : 0};
    return r;
}

/* Decode s into code points (surrogateescape); caller frees. */
static uint32_t *decode_all(nm_eslice s, size_t *count)
{
    uint32_t *cps = nm_eval_xrealloc(NULL, (s.n + 1) * sizeof *cps);
    size_t i = 0, k = 0;
    while (i < s.n)
        cps[k++] = py_next(s.p, s.n, &i);
    *count = k;
    return cps;
}

/* CPython's handle_capital_sigma(): final sigma after a cased letter, not before one. */
static uint32_t capital_sigma(const uint32_t *cps, size_t n, size_t i)
{
    size_t j = i;
    int cls = 0;
    while (j > 0 && (cls = nm_uni_caseclass(cps[j - 1])) == NM_UNI_IGNORABLE)
        j--;
    if (j == 0 || cls != NM_UNI_CASED)
        return 0x3C3;
    for (j = i + 1; j < n; j++) {
        cls = nm_uni_caseclass(cps[j]);
        if (cls != NM_UNI_IGNORABLE)
            return cls == NM_UNI_CASED ? 0x3C3 : 0x3C2;
    }
    return 0x3C2;
}

void nm_py_lower(nm_eslice s, nm_ebuf *out)
{
    size_t n, k, m;
    uint32_t *cps = decode_all(s, &n), mapped[3];
    for (k = 0; k < n; k++) {
        if (cps[k] == 0x3A3) {
            put_cp(out, capital_sigma(cps, n, k));
            continue;
        }
        size_t cnt = nm_uni_lower(cps[k], mapped);
        for (m = 0; m < cnt; m++)
            put_cp(out, mapped[m]);
    }
    free(cps);
}

void nm_py_upper(nm_eslice s, nm_ebuf *out)
{
    size_t i = 0, m;
    uint32_t mapped[3];
    while (i < s.n) {
        size_t cnt = nm_uni_upper(py_next(s.p, s.n, &i), mapped);
        for (m = 0; m < cnt; m++)
            put_cp(out, mapped[m]);
    }
}

void nm_py_repr(nm_eslice s, nm_ebuf *out)
{
    int squote = s.n && memchr(s.p, '\'', s.n), dquote = s.n && memchr(s.p, '"', s.n);
    char quote = squote && !dquote ? '"' : '\'';
    size_t i = 0;
    nm_ebuf_addc(out, quote);
    while (i < s.n) {
        uint32_t c = py_next(s.p, s.n, &i);
        if (c == (uint32_t)quote || c == '\\') {
            nm_ebuf_addc(out, '\\');
            nm_ebuf_addc(out, (char)c);
        } else if (c == '\t' || c == '\n' || c == '\r') {
            nm_ebuf_puts(out, c == '\t' ? "\\t" : c == '\n' ? "\\n" : "\\r");
        } else if (c < 0x20 || c == 0x7F) {
            nm_ebuf_printf(out, "\\x%02x", (unsigned)c);
        } else if (c < 0x7F || nm_uni_isprintable(c)) {
            put_cp(out, c);
        } else if (c <= 0xFF) {
            nm_ebuf_printf(out, "\\x%02x", (unsigned)c);
        } else if (c <= 0xFFFF) {
            nm_ebuf_printf(out, "\\u%04x", (unsigned)c);
        } else {
            nm_ebuf_printf(out, "\\U%08x", (unsigned)c);
        }
    }
    nm_ebuf_addc(out, quote);
}

void nm_py_json_str(nm_eslice s, nm_ebuf *out)
{
    size_t i = 0;
    nm_ebuf_addc(out, '"');
    while (i < s.n) {
        uint32_t c = py_next(s.p, s.n, &i);
        const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n"
                        : c == '\r' ? "\\r" : c == '\t' ? "\\t" : c == '\b' ? "\\b"
                        : c == '\f' ? "\\f" : NULL;
        if (esc)
            nm_ebuf_puts(out, esc);
        else if (c >= 0x20 && c < 0x7F)
            nm_ebuf_addc(out, (char)c);
        else if (c < 0x10000)
            nm_ebuf_printf(out, "\\u%04x", (unsigned)c);
        else
            nm_ebuf_printf(out, "\\u%04x\\u%04x", (unsigned)(0xD800 + ((c - 0x10000) >> 10)),
                           (unsigned)(0xDC00 + ((c - 0x10000) & 0x3FF)));
    }
    nm_ebuf_addc(out, '"');
}

int nm_py_cmp(nm_eslice a, nm_eslice b)
{
    size_t i = 0, j = 0;
    while (i < a.n && j < b.n) {
        uint32_t x = py_next(a.p, a.n, &i), y = py_next(b.p, b.n, &j);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return (i < a.n) - (j < b.n);
}

size_t nm_py_len(nm_eslice s)
{
    size_t i = 0, k = 0;
    for (; i < s.n; k++)
        py_next(s.p, s.n, &i);
    return k;
}

nm_eslice nm_py_head(nm_eslice s, size_t ncp)
{
    size_t i = 0, k = 0;
    for (; i < s.n && k < ncp; k++)
        py_next(s.p, s.n, &i);
    s.n = i;
    return s;
}

/* ---------------------------------------------------------------- numbers */

/* _PyUnicode_TransformDecimalAndSpaceToASCII(), then the underscore rule of
 * _Py_string_to_number_with_underscores(); 0 if that already rejects s. */
static int float_ascii(nm_eslice s, nm_ebuf *out)
{
    size_t i = 0;
    char prev = 0;
    while (i < s.n) {
        uint32_t c = py_next(s.p, s.n, &i);
        int d = c < 127 ? -1 : nm_uni_decimal(c);
        char ch = c < 127 ? (char)c : py_isspace(c) ? ' ' : d >= 0 ? (char)('0' + d) : 0;
        if (!ch)
            return 0;                        /* '?', or an embedded NUL */
        if (ch == '_' && !(prev >= '0' && prev <= '9'))
            return 0;
        if (prev == '_' && !(ch >= '0' && ch <= '9'))
            return 0;
        if (ch != '_')
            nm_ebuf_addc(out, ch);
        prev = ch;
    }
    return prev != '_';
}

static size_t digits(const char *s)
{
    size_t k = 0;
    while (s[k] >= '0' && s[k] <= '9')
        k++;
    return k;
}

/* ASCII-only strcasecmp(), whatever the locale. */
static int ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return 0;
    }
    return *a == *b;
}

/* The grammar of PyOS_string_to_double() over the whole of s: sign, then
 * inf|infinity|nan or digits[.digits]|.digits, then [eE][sign]digits. */
static int float_syntax(const char *s, int *special)
{
    size_t k;
    if (*s == '+' || *s == '-')
        s++;
    *special = ascii_ieq(s, "inf") || ascii_ieq(s, "infinity") || ascii_ieq(s, "nan");
    if (*special)
        return 1;
    k = digits(s);
    s += k;
    if (*s == '.') {
        size_t f = digits(s + 1);
        if (!k && !f)
            return 0;
        s += 1 + f;
    } else if (!k) {
        return 0;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        k = digits(s);
        if (!k)
            return 0;
        s += k;
    }
    return *s == 0;
}

/* num(): float(s.replace(',', '')) when that is finite, else 0. */
int nm_py_num(nm_eslice s, double *out)
{
    nm_ebuf nocomma = {0}, a = {0};
    int ok = 0, special = 0;
    for (size_t i = 0; i < s.n; i++)
        if (s.p[i] != ',')
            nm_ebuf_addc(&nocomma, s.p[i]);
    if (float_ascii(nm_ebuf_slice(&nocomma), &a) && a.n) {
        char *b = a.p, *e = a.p + a.n;
        while (b < e && strchr(" \t\n\r\v\f", *b))
            b++;
        while (e > b && strchr(" \t\n\r\v\f", e[-1]))
            e--;
        *e = 0;
        if (float_syntax(b, &special) && !special) {
            *out = strtod(b, NULL);
            ok = isfinite(*out);
        }
    }
    nm_ebuf_free(&nocomma);
    nm_ebuf_free(&a);
    return ok;
}

/* s.isdigit() and int(s): 0 with the value, 1 where Python refuses the field
 * (not all digits), 2 where it would not cope either (int() of a digit that
 * is not decimal raises) or the value is beyond 10^18. */
int nm_py_offset(nm_eslice s, int64_t *out)
{
    size_t i = 0, sig = 0;
    int64_t v = 0;
    int rc = s.n ? 0 : 1;
    while (i < s.n) {
        uint32_t c = py_next(s.p, s.n, &i);
        int d = nm_uni_decimal(c);
        if (!nm_uni_isdigit(c))
            return 1;
        if (d < 0 || sig >= 18) {
            rc = 2;
            continue;
        }
        v = v * 10 + d;
        sig += v != 0;
    }
    *out = v;
    return rc;
}

/* The shortest decimal digits that read back as x (dtoa mode 0), and the
 * position of the decimal point: x = 0.DIGITS * 10^decpt. */
static int shortest_digits(double x, char dig[32], int *decpt)
{
    char buf[64];
    int prec, nd = 0;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    for (char *p = buf; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            dig[nd++] = *p;
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;
    dig[nd] = 0;
    *decpt = x == 0 ? 1 : atoi(strchr(buf, 'e') + 1) + 1;
    return nd;
}

/* repr(x) for a finite float. */
void nm_py_float_repr(double x, nm_ebuf *out)
{
    char dig[32];
    int decpt, nd = shortest_digits(x, dig, &decpt);
    if (x < 0 || (x == 0 && signbit(x)))
        nm_ebuf_addc(out, '-');
    if (decpt <= -4 || decpt > 16) {
        nm_ebuf_addc(out, dig[0]);
        if (nd > 1)
            nm_ebuf_printf(out, ".%s", dig + 1);
        nm_ebuf_printf(out, "e%c%02d", decpt - 1 < 0 ? '-' : '+', abs(decpt - 1));
    } else if (decpt <= 0) {
        nm_ebuf_puts(out, "0.");
        for (int k = 0; k < -decpt; k++)
            nm_ebuf_addc(out, '0');
        nm_ebuf_puts(out, dig);
    } else if (decpt >= nd) {
        nm_ebuf_puts(out, dig);
        for (int k = nd; k < decpt; k++)
            nm_ebuf_addc(out, '0');
        nm_ebuf_puts(out, ".0");
    } else {
        nm_ebuf_add(out, dig, (size_t)decpt);
        nm_ebuf_printf(out, ".%s", dig + decpt);
    }
}

/* '%.3f' % x (nm_eval_main runs in the "C" locale). */
void nm_py_fmt3(double x, nm_ebuf *out)
{
    nm_ebuf_printf(out, "%.3f", x);
}

/* ---------------------------------------------------------------- paths */

/* os.path.join(dir, name) for a name that does not start with '/'. */
void nm_py_join(nm_ebuf *out, const char *dir, nm_eslice name)
{
    size_t n = strlen(dir);
    nm_ebuf_add(out, dir, n);
    if (n && dir[n - 1] != '/')
        nm_ebuf_addc(out, '/');
    nm_ebuf_adds(out, name);
}

/* posixpath.normpath() of an absolute path. */
static void normpath(nm_ebuf *out, const char *path)
{
    size_t slashes = path[0] == '/' ? (path[1] == '/' && path[2] != '/' ? 2 : 1) : 0;
    size_t *ends = nm_eval_xrealloc(NULL, (strlen(path) + 1) * sizeof *ends), depth = 0;
    const char *p = path;
    nm_ebuf_add(out, "//", slashes);
    while (*p) {
        size_t len = strcspn(p, "/");
        if (len == 2 && p[0] == '.' && p[1] == '.' && slashes) {
            if (depth)
                out->n = --depth ? ends[depth - 1] : slashes;
        } else if (len && !(len == 1 && p[0] == '.')) {
            if (depth)
                nm_ebuf_addc(out, '/');
            nm_ebuf_add(out, p, len);
            ends[depth++] = out->n;
        }
        p += len;
        p += *p == '/';
    }
    out->p[out->n] = 0;
    free(ends);
}

/* os.path.dirname(os.path.abspath(path)); 0, or -1 if the cwd is unknown. */
int nm_py_abs_dirname(nm_ebuf *out, const char *path)
{
    nm_ebuf full = {0}, norm = {0};
    if (path[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        if (!cwd)
            return -1;
        nm_py_join(&full, cwd, nm_es(path));
        free(cwd);
    } else {
        nm_ebuf_puts(&full, path);
    }
    normpath(&norm, full.p);
    char *slash = strrchr(norm.p, '/');
    size_t head = slash ? (size_t)(slash - norm.p) + 1 : 0, k = head;
    while (k > 0 && norm.p[k - 1] == '/')
        k--;
    nm_ebuf_add(out, norm.p, k ? k : head);
    nm_ebuf_free(&full);
    nm_ebuf_free(&norm);
    return 0;
}

/* Write text to stderr as Python does (errors='backslashreplace'). */
void nm_py_write_err(FILE *f, const char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t at = i;
        uint32_t c = py_next(p, n, &i);
        if (c >= 0xDC80 && c <= 0xDCFF && i == at + 1 && (unsigned char)p[at] >= 0x80)
            fprintf(f, "\\u%04x", (unsigned)c);
        else
            fwrite(p + at, 1, i - at, f);
    }
}
