/* matcher.c - token-sequence phrase matcher (see matcher.h).
 *
 * Each table maps the 64-bit hash of a key prefix (key_hash: eight bytes
 * at a time) to a slot that
 * says whether a longer key continues it (PREFIX) and whether a whole key
 * ends there (FULL, with the key bytes kept for verification and the
 * value).  Prefixes are inserted at every place a token boundary can fall
 * in the surface (before a space, and wherever letters or digits meet other
 * characters): a superset of the tokenizer's boundaries, so the scan over
 * real tokens always finds its prefixes; the extra ones only cost memory.
 */
#include "matcher.h"
#include "nm_hash.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

enum { SLOT_PREFIX = 1, SLOT_FULL = 2 };

/* For the scan of one table, made twice (case-sensitive and folded) so
 * that each copy has its table's tests decided. */
#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif


/* 16 bytes, so that a table of many keys takes fewer cache lines: a
 * key's value is in the pool, just before its bytes (pool_val). */
typedef struct mslot {
    uint64_t h;         /* 0 = empty (a real hash of 0 is stored as 1) */
    uint32_t key;       /* FULL: key bytes in the pool */
    uint8_t klen;       /* FULL: their number (<= NM_MATCH_MAXKEY) */
    uint8_t flags;
} mslot;
_Static_assert(NM_MATCH_MAXKEY <= UINT8_MAX, "mslot.klen");

typedef struct mtable {
    mslot *slots;
    size_t cap, n;
    /* A cheap first test: 4 bits per slot (8 or more per key; more would
     * take more cache lines than they save probes), two bits set per
     * stored hash, so that tokens that start no key (most of them) are
     * turned away in cache whatever the number of entries.  Both bits of a
     * hash are in one 64-bit word: a test reads one cache line. */
    uint64_t *bloom;
} mtable;

#define BLOOM_BITS_PER_SLOT 4

static inline size_t bloom_word(const mtable *t, uint64_t h)
{
    return (size_t)(h >> 7) & (t->cap * BLOOM_BITS_PER_SLOT / 64 - 1);
}

static inline uint64_t bloom_bits(uint64_t h)
{
    return (1ULL << ((h >> 37) & 63)) | (1ULL << ((h >> 43) & 63));
}

static void bloom_set(mtable *t, uint64_t h)
{
    t->bloom[bloom_word(t, h)] |= bloom_bits(h);
}

static bool bloom_test(const mtable *t, uint64_t h)
{
    uint64_t b = bloom_bits(h);
    return (t->bloom[bloom_word(t, h)] & b) == b;
}

struct nm_matcher {
    mtable tab[2];  /* 0: case-sensitive, 1: folded */
    char *pool;     /* key bytes */
    size_t npool, cpool;
    size_t nkeys;
};


/* The hash of key bytes s[0, n), read eight at a time: s must be readable
 * up to the next multiple of 8 (KEY_PAD bytes past n do); the bytes past
 * n do not count. */
#define KEY_PAD 8
static inline uint64_t key_hash(const char *s, size_t n)
{
    uint64_t h = nm_hash_words(n * 0x9e3779b97f4a7c15ULL, s, n);
    h ^= h >> 29; /* every bit to the low ones (the slot) */
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 32);
}

static uint64_t fix_hash(uint64_t h) { return h ? h : 1; }

static void table_grow(mtable *t);

/* The slot of hash h in a table with slots (t->cap > 0), or NULL. */
static inline mslot *table_probe(const mtable *t, uint64_t h)
{
    h = fix_hash(h);
    size_t mask = t->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        if (t->slots[i].h == h)
            return &t->slots[i];
        if (!t->slots[i].h)
            return NULL;
    }
}

static mslot *table_put(mtable *t, uint64_t h)
{
    if ((t->n + 1) * 2 > t->cap)
        table_grow(t);
    bloom_set(t, h);
    h = fix_hash(h);
    size_t i = h & (t->cap - 1);
    while (t->slots[i].h && t->slots[i].h != h)
        i = (i + 1) & (t->cap - 1);
    if (!t->slots[i].h) {
        t->slots[i].h = h;
        t->n++;
    }
    return &t->slots[i];
}

static void table_grow(mtable *t)
{
    mtable old = *t;
    t->cap = old.cap ? old.cap * 2 : 1024;
    t->slots = nm_xcalloc(t->cap, sizeof *t->slots);
    free(t->bloom);
    t->bloom = nm_xcalloc(t->cap * BLOOM_BITS_PER_SLOT / 64, sizeof *t->bloom);
    t->n = 0;
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.slots[i].h)
            continue;
        mslot *s = table_put(t, old.slots[i].h);
        *s = old.slots[i];
    }
    free(old.slots);
}

nm_matcher *nm_matcher_new(void) { return nm_xcalloc(1, sizeof(nm_matcher)); }

void nm_matcher_free(nm_matcher *m)
{
    if (!m)
        return;
    for (int i = 0; i < 2; i++) {
        free(m->tab[i].slots);
        free(m->tab[i].bloom);
    }
    free(m->pool);
    free(m);
}

size_t nm_matcher_size(const nm_matcher *m) { return m->nkeys; }

static void put_utf8(char *dst, size_t *k, utf8proc_int32_t c)
{
    *k += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)dst + *k);
}

size_t nm_fold(char *dst, size_t cap, const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            if (k + 1 > cap)
                return SIZE_MAX;
            dst[k++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
            i++;
            continue;
        }
        utf8proc_int32_t c;
        utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                                (utf8proc_ssize_t)(n - i), &c);
        if (len <= 0)
            len = 1, c = 0xFFFD;
        if (k + 4 > cap)
            return SIZE_MAX;
        put_utf8(dst, &k, utf8proc_tolower(c));
        i += (size_t)len;
    }
    return k;
}

static bool is_wordc(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (unsigned char)c >= 0x80;
}

/* Collapses white space runs to one space and trims; returns the length. */
static size_t collapse(char *dst, const char *s)
{
    size_t k = 0;
    bool sp = false;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            sp = k > 0;
            continue;
        }
        if (sp)
            dst[k++] = ' ';
        sp = false;
        dst[k++] = *s;
    }
    return k;
}

/* A token boundary may fall between key[i-1] and key[i]. */
static bool maybe_boundary(const char *key, size_t i)
{
    if (key[i] == ' ')
        return true;
    if (key[i - 1] == ' ')
        return false;
    return !is_wordc(key[i - 1]) || !is_wordc(key[i]);
}

static void add_key(nm_matcher *m, mtable *t, const char *key, size_t n, const void *val)
{
    char pad[NM_MATCH_MAXKEY + KEY_PAD] = {0};
    memcpy(pad, key, n);
    for (size_t i = 1; i < n; i++)
        if (maybe_boundary(key, i))
            table_put(t, key_hash(pad, i))->flags |= SLOT_PREFIX;
    mslot *s = table_put(t, key_hash(pad, n));
    if (!(s->flags & SLOT_FULL))
        m->nkeys++;
    s->flags |= SLOT_FULL;
    nm_vec_reserve((void **)&m->pool, &m->cpool, m->npool + sizeof val + n + KEY_PAD, 1); /* key_eq */
    memcpy(m->pool + m->npool, &val, sizeof val);
    m->npool += sizeof val;
    memcpy(m->pool + m->npool, key, n);
    s->key = (uint32_t)m->npool;
    s->klen = (uint8_t)n;
    m->npool += n;
}

size_t nm_matcher_key(char *key, const char *surface, bool icase)
{
    size_t n = strlen(surface);
    if (n > 4 * NM_MATCH_MAXKEY)
        return SIZE_MAX;
    char *buf = nm_xmalloc(n + 1);
    size_t k = collapse(buf, surface);
    if (k == 0 || k > NM_MATCH_MAXKEY)
        k = SIZE_MAX;
    else if (icase)
        k = nm_fold(key, NM_MATCH_MAXKEY, buf, k);
    else
        memcpy(key, buf, k);
    free(buf);
    return k;
}

bool nm_matcher_boundary(const char *key, size_t i) { return maybe_boundary(key, i); }

bool nm_matcher_add(nm_matcher *m, const char *surface, bool icase, const void *val)
{
    char key[NM_MATCH_MAXKEY + 1];
    size_t k = nm_matcher_key(key, surface, icase);
    if (k == SIZE_MAX)
        return false;
    add_key(m, &m->tab[icase ? 1 : 0], key, k, val);
    return true;
}

void nm_matcher_each_first(const nm_matcher *m, nm_matcher_first_fn fn, void *arg)
{
    for (int i = 0; i < 2; i++) {
        const mtable *t = &m->tab[i];
        for (size_t j = 0; j < t->cap; j++) {
            const mslot *s = &t->slots[j];
            if (!(s->flags & SLOT_FULL))
                continue;
            const char *key = m->pool + s->key;
            size_t n = 1;
            for (; n < s->klen && key[n - 1] != ' '; n++)
                if (maybe_boundary(key, n))
                    fn(key, n, i == 1, arg);
            if (n == s->klen)
                fn(key, n, i == 1, arg);
        }
    }
}

/* The longest key of table ti (0: case-sensitive, 1: folded) made of the
 * tokens from t (before limit) that is longer than best tokens: extends
 * the key one token at a time (its bytes kept for the check of a whole
 * key, its hash updated) while it is a known prefix.  Sets *out and
 * returns the new best. */

/* Some byte of s[0, n) is not ASCII. */
static bool nm_has_high(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return true;
    return false;
}

/* Copies n bytes; by words (up to 7 bytes more) when wide: s may be read
 * up to the next multiple of 8 bytes. */
static inline void copy_token(char *dst, const char *s, size_t n, bool wide)
{
    uint64_t b[2];
    if (!wide || n > 16) {
        memcpy(dst, s, n);
        return;
    }
    memcpy(b, s, 8); /* one or two words: no call */
    memcpy(dst, b, 8);
    if (n > 8) {
        memcpy(b + 1, s + 8, 8);
        memcpy(dst + 8, b + 1, 8);
    }
}


/* Copies n ASCII bytes lower-cased (by words, as copy_token, when wide);
 * false when some byte is not ASCII (dst then undefined). */
static inline bool fold_ascii(char *dst, const char *s, size_t n, bool wide)
{
    if (!wide) {
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c >= 0x80)
                return false;
            dst[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        return true;
    }
    for (size_t i = 0; i < n; i += 8) {
        uint64_t b;
        memcpy(&b, s + i, 8);
        b &= nm_keep_bytes(n - i); /* the bytes past the token: 0, ASCII */
        if (b & NM_HIGH_BITS)
            return false;
        b = nm_lower8(b);
        memcpy(dst + i, &b, 8);
    }
    return true;
}

/* The value of a FULL slot (before its key bytes in the pool). */
static inline const void *pool_val(const nm_matcher *m, const mslot *s)
{
    const void *val;
    memcpy(&val, m->pool + s->key - sizeof val, sizeof val);
    return val;
}

/* Whole keys are compared by words: the pool has KEY_PAD bytes after its
 * last key, the key buffer of scan_table as many after its n bytes. */
static inline bool key_eq(const char *a, const char *b, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        if (memcmp(a + i, b + i, 8) != 0)
            return false;
    if (i == n)
        return true;
    uint64_t x, y;
    memcpy(&x, a + i, 8);
    memcpy(&y, b + i, 8);
    return ((x ^ y) & nm_keep_bytes(n - i)) == 0;
}

static ALWAYS_INLINE size_t scan_table(const nm_matcher *m, int ti, const nm_doc *doc, size_t t,
                                       size_t limit, size_t best, nm_match *out)
{
    const mtable *tb = &m->tab[ti];
    /* KEY_PAD for key_hash, 8 more for the copies by words */
    char key[NM_MATCH_MAXKEY + 1 + KEY_PAD + 8];
    size_t n = 0;
    if (!tb->cap)
        return best;
    for (size_t k = t; k < limit; k++) {
        const nm_tok *tk = &doc->toks[k];
        const char *s = doc->text + tk->off;
        size_t len = tk->len;
        if (k > t && doc->toks[k - 1].off + doc->toks[k - 1].len < tk->off) {
            if (n + 1 > NM_MATCH_MAXKEY)
                break;
            key[n++] = ' ';
        }
        if (n + len > NM_MATCH_MAXKEY && (ti == 0 || !nm_has_high(s, len)))
            break; /* too long as written (folded ASCII: the same length) */
        if (ti == 0) {
            copy_token(key + n, s, len, (size_t)tk->off + len + 8 <= doc->text_len);
            n += len;
        } else if (n + len <= NM_MATCH_MAXKEY &&
                   fold_ascii(key + n, s, len, (size_t)tk->off + len + 8 <= doc->text_len)) {
            n += len;
        } else { /* not ASCII: nm_fold */
            char buf[NM_MATCH_MAXKEY + 1];
            size_t f = nm_fold(buf, sizeof buf - 1, s, len);
            if (f == SIZE_MAX || n + f > NM_MATCH_MAXKEY)
                break;
            memcpy(key + n, buf, f);
            n += f;
        }
        uint64_t h = key_hash(key, n);
        /* Past the first token (which the caller found may start a key),
         * most prefixes are no prefix of a key: the bloom filter (cap
         * bytes, mostly in cache) turns them away before the slots
         * (32 bytes each, mostly not in cache) are read. */
        if (k > t && !bloom_test(tb, h))
            break;
        const mslot *sl = table_probe(tb, h); /* tb->cap tested above */
        if (!sl)
            break;
        if ((sl->flags & SLOT_FULL) && k + 1 - t > best && sl->klen == n &&
            key_eq(m->pool + sl->key, key, n)) {
            best = k + 1 - t;
            *out = (nm_match){t, best, pool_val(m, sl), ti == 1};
        }
        if (!(sl->flags & SLOT_PREFIX))
            break;
    }
    return best;
}

/* Could the first token start a key of t?  Hashes the token (ASCII
 * folded for the folded table) and tests the bloom bit. */
static bool may_start(const mtable *t, const char *s, size_t n, bool fold)
{
    if (!t->n)
        return false;
    if (n > NM_MATCH_MAXKEY)
        return true; /* let the full probe decide */
    char key[NM_MATCH_MAXKEY + KEY_PAD];
    if (fold) {
        if (!fold_ascii(key, s, n, false))
            return true; /* non-ASCII: let the full probe decide */
    } else {
        memcpy(key, s, n);
    }
    return bloom_test(t, key_hash(key, n));
}

size_t nm_matcher_longest_in(const nm_matcher *m, const nm_doc *doc, size_t t, size_t limit,
                             unsigned tables, nm_match *out)
{
    size_t best = 0;
    if (t >= limit)
        return 0;
    /* The case-sensitive table first: a folded match must be longer. */
    if (tables & 1)
        best = scan_table(m, 0, doc, t, limit, best, out);
    if (tables & 2)
        best = scan_table(m, 1, doc, t, limit, best, out);
    return best;
}

size_t nm_matcher_longest(const nm_matcher *m, const nm_doc *doc, size_t t, size_t limit,
                          nm_match *out)
{
    if (t >= limit)
        return 0;
    const char *first = doc->text + doc->toks[t].off;
    unsigned tables = 0;
    for (int i = 0; i < 2; i++)
        if (may_start(&m->tab[i], first, doc->toks[t].len, i == 1))
            tables |= 1u << i;
    return nm_matcher_longest_in(m, doc, t, limit, tables, out);
}
