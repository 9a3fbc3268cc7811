/* eval_util.c — byte buffers, slices and a small string-keyed index for `newsmine eval`. */
#include "eval_priv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void *nm_eval_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("newsmine eval: out of memory\n", stderr);
        abort();
    }
    return q;
}

char *nm_eval_xstrndup(const char *p, size_t n)
{
    char *s = nm_eval_xrealloc(NULL, n + 1);
    if (n)
        memcpy(s, p, n);
    s[n] = 0;
    return s;
}

nm_eslice nm_es(const char *s)
{
    nm_eslice r = {s, strlen(s)};
    return r;
}

int nm_es_eq(nm_eslice a, nm_eslice b)
{
    return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

int nm_es_eqs(nm_eslice a, const char *s)
{
    return nm_es_eq(a, nm_es(s));
}

nm_eslice nm_ebuf_slice(const nm_ebuf *b)
{
    nm_eslice r = {b->p ? b->p : "", b->n};
    return r;
}

static void ebuf_reserve(nm_ebuf *b, size_t more)
{
    size_t need = b->n + more + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->p = nm_eval_xrealloc(b->p, cap);
    b->cap = cap;
}

void nm_ebuf_add(nm_ebuf *b, const void *p, size_t n)
{
    ebuf_reserve(b, n);
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = 0;
}

void nm_ebuf_addc(nm_ebuf *b, char c)
{
    nm_ebuf_add(b, &c, 1);
}

void nm_ebuf_puts(nm_ebuf *b, const char *s)
{
    nm_ebuf_add(b, s, strlen(s));
}

void nm_ebuf_adds(nm_ebuf *b, nm_eslice s)
{
    nm_ebuf_add(b, s.p, s.n);
}

void nm_ebuf_printf(nm_ebuf *b, const char *fmt, ...)
{
    va_list ap;
    if (!fmt)       /* never; tells GCC 12 + UBSan (-Wformat-truncation) so */
        return;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    ebuf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

void nm_ebuf_free(nm_ebuf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

int nm_eval_slurp(const char *path, nm_ebuf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char chunk[65536];
    size_t got;
    out->n = 0;
    ebuf_reserve(out, 0);
    out->p[0] = 0;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        nm_ebuf_add(out, chunk, got);
    int bad = ferror(f);
    int saved = errno;
    fclose(f);
    if (bad) {
        errno = saved ? saved : EIO;
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- index */

static size_t slice_hash(nm_eslice s)
{
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < s.n; i++) {
        h ^= (unsigned char)s.p[i];
        h *= 1099511628211u;
    }
    return (size_t)h;
}

static void eindex_grow(nm_eindex *ix)
{
    nm_eindex big = {NULL, NULL, 0, ix->cap ? ix->cap * 2 : 16};
    big.keys = nm_eval_xrealloc(NULL, big.cap * sizeof *big.keys);
    big.vals = nm_eval_xrealloc(NULL, big.cap * sizeof *big.vals);
    for (size_t i = 0; i < big.cap; i++)
        big.keys[i].p = NULL;
    for (size_t i = 0; i < ix->cap; i++)
        if (ix->keys[i].p)
            nm_eindex_put(&big, ix->keys[i], ix->vals[i]);
    nm_eindex_free(ix);
    *ix = big;
}

size_t nm_eindex_put(nm_eindex *ix, nm_eslice key, size_t val)
{
    if ((ix->n + 1) * 2 > ix->cap)
        eindex_grow(ix);
    size_t mask = ix->cap - 1, i = slice_hash(key) & mask;
    while (ix->keys[i].p) {
        if (nm_es_eq(ix->keys[i], key))
            return ix->vals[i];
        i = (i + 1) & mask;
    }
    ix->keys[i].p = key.p ? key.p : "";
    ix->keys[i].n = key.n;
    ix->vals[i] = val;
    ix->n++;
    return val;
}

size_t nm_eindex_get(const nm_eindex *ix, nm_eslice key)
{
    if (!ix->cap)
        return (size_t)-1;
    size_t mask = ix->cap - 1, i = slice_hash(key) & mask;
    while (ix->keys[i].p) {
        if (nm_es_eq(ix->keys[i], key))
            return ix->vals[i];
        i = (i + 1) & mask;
    }
    return (size_t)-1;
}

void nm_eindex_free(nm_eindex *ix)
{
    free(ix->keys);
    free(ix->vals);
    ix->keys = NULL;
    ix->vals = NULL;
    ix->n = ix->cap = 0;
}
