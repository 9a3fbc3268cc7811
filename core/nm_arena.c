/* nm_arena.c - allocation helpers and the per-document arena.
 *
 * Out of memory aborts (as cmark's xcalloc does): a fact extractor has no
 * useful way to go on without memory.  With -Darena_debug=true every arena
 * allocation is its own malloc, so AddressSanitizer sees overflows.
 */
#include "nm_core.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void nm_oom(void)
{
    fputs("newsmine: out of memory\n", stderr);
    abort();
}

size_t nm_utoa(uint64_t v, char *buf)
{
    static const char pairs[201] = "00010203040506070809101112131415161718192021222324"
                                   "25262728293031323334353637383940414243444546474849"
                                   "50515253545556575859606162636465666768697071727374"
                                   "75767778798081828384858687888990919293949596979899";
    size_t n = 1;
    for (uint64_t t = v; t >= 10; t /= 10)
        n++;
    char *p = buf + n;
    while (v >= 100) { /* two digits a step, from the right */
        unsigned d = (unsigned)(v % 100) * 2;
        v /= 100;
        *--p = pairs[d + 1];
        *--p = pairs[d];
    }
    if (v >= 10) {
        *--p = pairs[v * 2 + 1];
        *--p = pairs[v * 2];
    } else {
        *--p = (char)('0' + v);
    }
    buf[n] = '\0';
    return n;
}

void *nm_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        nm_oom();
    return p;
}

void *nm_xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz ? sz : 1);
    if (!p)
        nm_oom();
    return p;
}

void *nm_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        nm_oom();
    return q;
}

char *nm_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(nm_xmalloc(n), s, n);
}

void nm_vec_reserve(void **v, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    *v = nm_xrealloc(*v, c * sz);
    *cap = c;
}

/* ---------------------------------------------------------------- spares */
typedef struct spares {
    void *p[NM_SPARE_COUNT];
    size_t cap[NM_SPARE_COUNT];
    void *block;  /* one arena chunk (nm_arena_free keeps it) */
    bool keyed;   /* the destructor is registered for this thread */
} spares;

static _Thread_local spares sp;
static pthread_key_t sp_key;
static pthread_once_t sp_once = PTHREAD_ONCE_INIT;
static bool sp_key_ok;

/* The key's destructor: frees what the ending thread keeps. */
static void sp_free(void *unused)
{
    (void)unused;
    for (int i = 0; i < NM_SPARE_COUNT; i++)
        free(sp.p[i]);
    free(sp.block);
    sp = (spares){0};
}

static void sp_key_init(void) { sp_key_ok = pthread_key_create(&sp_key, sp_free) == 0; }

/* Whether this thread may keep spares: its destructor is registered. */
static bool sp_register(void)
{
    if (!sp.keyed) {
        pthread_once(&sp_once, sp_key_init);
        sp.keyed = sp_key_ok && pthread_setspecific(sp_key, &sp) == 0; /* non-NULL: it runs */
    }
    return sp.keyed;
}

void *nm_spare_take(int slot, size_t *cap)
{
    void *p = sp.p[slot];
    *cap = p ? sp.cap[slot] : 0;
    sp.p[slot] = NULL;
    return p;
}

void nm_spare_put(int slot, void *p, size_t cap, size_t sz)
{
#ifndef NM_ARENA_DEBUG
    if (p && !sp.p[slot] && cap <= NM_SPARE_MAX / sz && sp_register()) {
        sp.p[slot] = p;
        sp.cap[slot] = cap;
        return;
    }
#else
    (void)cap;
    (void)sz;
#endif
    free(p);
}

/* ---------------------------------------------------------------- arena */
struct nm_arena_block {
    nm_arena_block *next;
    size_t cap, used;
    max_align_t data[];
};

#define NM_ARENA_CHUNK (64 * 1024)

void *nm_arena_alloc(nm_arena *a, size_t n)
{
    size_t align = sizeof(max_align_t);
    n = (n + align - 1) / align * align;
#ifdef NM_ARENA_DEBUG
    nm_arena_block *b = nm_xmalloc(sizeof *b + n);
    b->cap = b->used = n;
    b->next = a->head;
    a->head = b;
    return b->data;
#else
    nm_arena_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > NM_ARENA_CHUNK / 2 ? n : NM_ARENA_CHUNK;
        nm_arena_block *nb = cap == NM_ARENA_CHUNK ? sp.block : NULL;
        if (nb)
            sp.block = NULL; /* the chunk a freed arena left this thread */
        else
            nb = nm_xmalloc(sizeof *nb + cap);
        nb->cap = cap;
        nb->used = 0;
        if (b && n > NM_ARENA_CHUNK / 2) { /* big one: keep the current block on top */
            nb->next = b->next;
            b->next = nb;
            nb->used = n;
            return nb->data;
        }
        nb->next = b;
        a->head = b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
#endif
}

char *nm_arena_strndup(nm_arena *a, const char *s, size_t n)
{
    char *p = nm_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *nm_arena_strdup(nm_arena *a, const char *s)
{
    return nm_arena_strndup(a, s, strlen(s));
}

char *nm_arena_printf(nm_arena *a, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return nm_arena_strdup(a, "");
    if ((size_t)n < sizeof small)
        return nm_arena_strndup(a, small, (size_t)n);
    char *p = nm_arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void nm_arena_free(nm_arena *a)
{
    nm_arena_block *b = a->head;
    while (b) {
        nm_arena_block *next = b->next;
#ifndef NM_ARENA_DEBUG
        if (!sp.block && b->cap == NM_ARENA_CHUNK && sp_register())
            sp.block = b; /* for the next arena of this thread */
        else
#endif
            free(b);
        b = next;
    }
    a->head = NULL;
}
