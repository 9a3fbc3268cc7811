/* nm_hash.h - a string-keyed hash map (open addressing, FNV-1a).
 *
 * Keys are byte strings with a length; the map copies nothing: keys and
 * values must outlive it (lexicon arenas do).  Read-only after building, so
 * it can be shared by threads.
 */
#ifndef NM_HASH_H
#define NM_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct nm_hash_slot {
    const char *key;
    size_t len;
    uint64_t h;
    void *val;
} nm_hash_slot;

typedef struct nm_hash {
    nm_hash_slot *slots;
    size_t cap, n;
} nm_hash;

/* FNV-1a, the hash of every key (0 is stored as 1). */
#define NM_FNV_OFFSET 1469598103934665603ULL
#define NM_FNV_PRIME 1099511628211ULL

uint64_t nm_hash_bytes(const void *s, size_t n);
/* Inserts key -> val; an existing key keeps its first value.  Returns false
 * when the key was already there. */
bool nm_hash_put(nm_hash *m, const char *key, size_t len, void *val);
void *nm_hash_get(const nm_hash *m, const char *key, size_t len);
/* nm_hash_get with h = nm_hash_bytes(key, len) already computed (hashed
 * while the key was made, e.g. folded). */
void *nm_hash_get_hashed(const nm_hash *m, uint64_t h, const char *key, size_t len);
/* nm_hash_get of the ASCII-lower-cased key, without a copy. */
void *nm_hash_get_lower(const nm_hash *m, const char *key, size_t len);
/* The value slot of key, inserted (as NULL) when missing. */
void **nm_hash_slot_of(nm_hash *m, const char *key, size_t len);
void nm_hash_free(nm_hash *m);

/* ASCII lower-casing into dst (at most cap-1 bytes); returns the length or
 * SIZE_MAX when it does not fit.  Non-ASCII bytes are copied. */
size_t nm_ascii_lower(char *dst, size_t cap, const char *s, size_t n);

/* Copies s[0..n) into dst with every run of white space (space, TAB, CR,
 * LF) as one space and none at either end, ASCII lower-cased when lower.
 * Returns the length, or SIZE_MAX when it does not fit in cap bytes. */
size_t nm_fold_space(char *dst, size_t cap, const char *s, size_t n, bool lower);

/* ---- eight bytes at a time (SWAR), for word look-ups */
#define NM_HIGH_BITS 0x8080808080808080ULL

/* The bytes of a word loaded from memory that hold its first n (0-8) bytes. */
static inline uint64_t nm_keep_bytes(size_t n)
{
    if (n >= 8)
        return ~0ULL;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return n ? ~0ULL << (8 * (8 - n)) : 0;
#else
    return (1ULL << (8 * n)) - 1;
#endif
}

/* h mixed with the bytes s[0, n), eight at a time: s must be readable up to
 * the next multiple of eight; the bytes past n do not count.  Each whole
 * word is multiplied in and folded (h ^= h >> 32); a last, partial word is
 * only multiplied in, and the caller finishes.  The body of the key hashes
 * of the lexicon matcher and of the event phrase tables. */
static inline uint64_t nm_hash_words(uint64_t h, const char *s, size_t n)
{
    uint64_t b;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&b, s + i, 8);
        h = (h ^ b) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    if (i < n) {
        memcpy(&b, s + i, 8);
        h = (h ^ (b & nm_keep_bytes(n - i))) * 0xff51afd7ed558ccdULL;
    }
    return h;
}

/* ASCII upper to lower case in eight bytes whose high bits are clear. */
static inline uint64_t nm_lower8(uint64_t x)
{
    uint64_t ge_a = x + 0x3f3f3f3f3f3f3f3fULL; /* high bit: byte >= 'A' */
    uint64_t gt_z = x + 0x2525252525252525ULL; /* high bit: byte > 'Z' */
    return x | ((ge_a & ~gt_z & NM_HIGH_BITS) >> 2);
}

#endif
