/* nm_hash.c - string-keyed hash map. */
#include "nm_hash.h"
#include "nm_core.h"

#include <stdlib.h>
#include <string.h>

uint64_t nm_hash_bytes(const void *s, size_t n)
{
    const unsigned char *p = s;
    uint64_t h = NM_FNV_OFFSET;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= NM_FNV_PRIME;
    }
    return h ? h : 1;
}

static void grow(nm_hash *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    nm_hash_slot *s = nm_xcalloc(cap, sizeof *s);
    for (size_t i = 0; i < m->cap; i++) {
        nm_hash_slot *o = &m->slots[i];
        if (!o->key)
            continue;
        size_t j = o->h & (cap - 1);
        while (s[j].key)
            j = (j + 1) & (cap - 1);
        s[j] = *o;
    }
    free(m->slots);
    m->slots = s;
    m->cap = cap;
}

bool nm_hash_put(nm_hash *m, const char *key, size_t len, void *val)
{
    if ((m->n + 1) * 4 >= m->cap * 3)
        grow(m);
    uint64_t h = nm_hash_bytes(key, len);
    size_t j = h & (m->cap - 1);
    while (m->slots[j].key) {
        nm_hash_slot *s = &m->slots[j];
        if (s->h == h && s->len == len && memcmp(s->key, key, len) == 0)
            return false;
        j = (j + 1) & (m->cap - 1);
    }
    m->slots[j] = (nm_hash_slot){key, len, h, val};
    m->n++;
    return true;
}

void **nm_hash_slot_of(nm_hash *m, const char *key, size_t len)
{
    nm_hash_put(m, key, len, NULL);
    uint64_t h = nm_hash_bytes(key, len);
    size_t j = h & (m->cap - 1);
    while (m->slots[j].key) {
        nm_hash_slot *s = &m->slots[j];
        if (s->h == h && s->len == len && memcmp(s->key, key, len) == 0)
            return &s->val;
        j = (j + 1) & (m->cap - 1);
    }
    return NULL; /* not reached: the key was just put */
}

void *nm_hash_get(const nm_hash *m, const char *key, size_t len)
{
    return m->cap ? nm_hash_get_hashed(m, nm_hash_bytes(key, len), key, len) : NULL;
}

void *nm_hash_get_hashed(const nm_hash *m, uint64_t h, const char *key, size_t len)
{
    if (!m->cap)
        return NULL;
    size_t j = h & (m->cap - 1);
    while (m->slots[j].key) {
        const nm_hash_slot *s = &m->slots[j];
        if (s->h == h && s->len == len && memcmp(s->key, key, len) == 0)
            return s->val;
        j = (j + 1) & (m->cap - 1);
    }
    return NULL;
}

void *nm_hash_get_lower(const nm_hash *m, const char *key, size_t len)
{
    if (!m->cap)
        return NULL;
    uint64_t h = 1469598103934665603ULL; /* nm_hash_bytes of the lower-cased key */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)key[i];
        h ^= c >= 'A' && c <= 'Z' ? c + 32u : c;
        h *= 1099511628211ULL;
    }
    h = h ? h : 1;
    size_t j = h & (m->cap - 1);
    while (m->slots[j].key) {
        const nm_hash_slot *s = &m->slots[j];
        if (s->h == h && s->len == len) {
            size_t i = 0;
            for (; i < len; i++) {
                char c = key[i];
                if (s->key[i] != (c >= 'A' && c <= 'Z' ? (char)(c + 32) : c))
                    break;
            }
            if (i == len)
                return s->val;
        }
        j = (j + 1) & (m->cap - 1);
    }
    return NULL;
}

void nm_hash_free(nm_hash *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

size_t nm_ascii_lower(char *dst, size_t cap, const char *s, size_t n)
{
    if (n + 1 > cap)
        return SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        dst[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    dst[n] = '\0';
    return n;
}

size_t nm_fold_space(char *dst, size_t cap, const char *s, size_t n, bool lower)
{
    size_t o = 0;
    bool sp = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            sp = o > 0;
            continue;
        }
        if (o + 2 >= cap)
            return SIZE_MAX;
        if (sp)
            dst[o++] = ' ';
        sp = false;
        dst[o++] = lower && c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
    if (cap)
        dst[o] = '\0';
    return o;
}
