/* nm_sha256.c - SHA-256 per FIPS 180-4 (sections 4.1.2, 4.2.2, 5.1.1, 6.2).
 *
 * Two compression functions behind one streaming front end:
 *
 * - compress_portable(), plain C11: words are assembled from bytes (no
 *   unaligned or type-punned loads, no dependence on host byte order), all
 *   shifts are by 1..31 on uint32_t, so the code is clean under
 *   -fsanitize=address,undefined. Speed comes from full unrolling: the eight
 *   working variables are renamed per round by the macros instead of being
 *   shuffled, and the message schedule lives in a 16-word ring.
 *
 * - compress_shani(), x86/x86-64 only: the SHA extensions (SHA256RNDS2,
 *   SHA256MSG1, SHA256MSG2) plus SSSE3/SSE4.1 shuffles, in the structure of
 *   the public-domain Intel sample (Sean Gulley). It is compiled with a
 *   per-function target attribute, so the file still builds with plain
 *   -std=c11 for any x86 baseline, and it is only called after CPUID says the
 *   CPU has SHA, SSSE3 and SSE4.1.
 *
 * Both keep the chaining value in s->h[] in FIPS order (H0..H7), so they are
 * interchangeable block by block, even in the middle of a message.
 *
 * CPUID is queried once and the answer cached in a C11 atomic; racing first
 * callers compute and store the same value, so relaxed ordering is enough. Define
 * NM_SHA256_NO_SHANI to build the portable code only.
 */
#include "nm_sha256.h"

#include <string.h>

#if !defined(NM_SHA256_NO_SHANI) && (defined(__x86_64__) || defined(__i386__)) && \
    !defined(__STDC_NO_ATOMICS__) &&                                                \
    ((defined(__clang__) && __clang_major__ >= 4) ||                                \
     (!defined(__clang__) && defined(__GNUC__) && __GNUC__ >= 5))
#define NM_SHA256_SHANI 1
#include <cpuid.h>
#include <immintrin.h>
#include <stdatomic.h>
#else
#define NM_SHA256_SHANI 0
#endif

static const uint32_t K[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define BSIG0(x) (ROTR((x), 2) ^ ROTR((x), 13) ^ ROTR((x), 22))
#define BSIG1(x) (ROTR((x), 6) ^ ROTR((x), 11) ^ ROTR((x), 25))
#define SSIG0(x) (ROTR((x), 7) ^ ROTR((x), 18) ^ ((x) >> 3))
#define SSIG1(x) (ROTR((x), 17) ^ ROTR((x), 19) ^ ((x) >> 10))
#define CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

/* One round; j is the round number mod 16, k the round constant. */
#define RND(a, b, c, d, e, f, g, h, j, k)                               \
    do {                                                                \
        uint32_t t1_ = (h) + BSIG1(e) + CH((e), (f), (g)) + (k) + w[j]; \
        (d) += t1_;                                                     \
        (h) = t1_ + BSIG0(a) + MAJ((a), (b), (c));                      \
    } while (0)

/* Replace w[j] (= W[t-16]) by W[t] for round t with t mod 16 == j. */
#define SCHED(j)                                                         \
    (w[j] += SSIG1(w[((j) + 14) & 15]) + w[((j) + 9) & 15] + SSIG0(w[((j) + 1) & 15]))

/* Eight rounds t..t+7 with base t (multiple of 8), with or without schedule. */
#define R8(t, j0, S)                                             \
    do {                                                         \
        S(j0 + 0); RND(a, b, c, d, e, f, g, h, j0 + 0, K[(t) + 0]); \
        S(j0 + 1); RND(h, a, b, c, d, e, f, g, j0 + 1, K[(t) + 1]); \
        S(j0 + 2); RND(g, h, a, b, c, d, e, f, j0 + 2, K[(t) + 2]); \
        S(j0 + 3); RND(f, g, h, a, b, c, d, e, j0 + 3, K[(t) + 3]); \
        S(j0 + 4); RND(e, f, g, h, a, b, c, d, j0 + 4, K[(t) + 4]); \
        S(j0 + 5); RND(d, e, f, g, h, a, b, c, j0 + 5, K[(t) + 5]); \
        S(j0 + 6); RND(c, d, e, f, g, h, a, b, j0 + 6, K[(t) + 6]); \
        S(j0 + 7); RND(b, c, d, e, f, g, h, a, j0 + 7, K[(t) + 7]); \
    } while (0)
#define NOSCHED(j) ((void)0)

static inline uint32_t load_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Hash nblocks consecutive 64-byte blocks at p into h8 (portable C). */
static void compress_portable(uint32_t h8[8], const uint8_t *p, size_t nblocks)
{
    uint32_t w[16];

    for (; nblocks > 0; nblocks--, p += 64) {
        uint32_t a = h8[0], b = h8[1], c = h8[2], d = h8[3];
        uint32_t e = h8[4], f = h8[5], g = h8[6], h = h8[7];

        for (int j = 0; j < 16; j++)
            w[j] = load_be32(p + 4 * j);
        R8(0, 0, NOSCHED);
        R8(8, 8, NOSCHED);
        for (int t = 16; t < 64; t += 16) {
            R8(t, 0, SCHED);
            R8(t + 8, 8, SCHED);
        }
        h8[0] += a; h8[1] += b; h8[2] += c; h8[3] += d;
        h8[4] += e; h8[5] += f; h8[6] += g; h8[7] += h;
    }
}

typedef void (*compress_fn)(uint32_t h8[8], const uint8_t *p, size_t nblocks);

#if NM_SHA256_SHANI

/* Four rounds 4i..4i+3 with message words m (W[4i..4i+3], lane 0 = lowest
 * index): add the constants, run two SHA256RNDS2 (the second one takes the
 * upper two words moved down by the 0x0e shuffle). st0 = ABEF, st1 = CDGH. */
#define SHANI_4ROUNDS(m, i)                                                   \
    do {                                                                      \
        mk = _mm_add_epi32((m), _mm_loadu_si128((const __m128i *)&K[4 * (i)])); \
        st1 = _mm_sha256rnds2_epu32(st1, st0, mk);                            \
        mk = _mm_shuffle_epi32(mk, 0x0e);                                     \
        st0 = _mm_sha256rnds2_epu32(st0, st1, mk);                            \
    } while (0)

/* Finish W[4i+4..4i+7] in `next`, which already holds the SHA256MSG1 part of
 * W[4i-12..4i-9]: add W[4i-7..4i-4] (= alignr(cur, prev)) and run MSG2. */
#define SHANI_MSG2(next, cur, prev)                                 \
    do {                                                            \
        (next) = _mm_add_epi32((next), _mm_alignr_epi8((cur), (prev), 4)); \
        (next) = _mm_sha256msg2_epu32((next), (cur));               \
    } while (0)

/* Hash nblocks consecutive 64-byte blocks at p into h8 with the SHA
 * extensions. p needs no alignment: all loads are _mm_loadu_si128. */
__attribute__((target("sha,sse4.1,ssse3")))
static void compress_shani(uint32_t h8[8], const uint8_t *p, size_t nblocks)
{
    /* Byte swap of each 32-bit word (message words are big-endian). */
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i st0, st1, tmp, mk, m0, m1, m2, m3, save0, save1;

    /* h8 = H0..H7 as lanes 0..7; SHA256RNDS2 wants ABEF and CDGH, with A
     * and C in the top lane: ABEF = {F, E, B, A}, CDGH = {H, G, D, C}. */
    tmp = _mm_loadu_si128((const __m128i *)&h8[0]); /* {A, B, C, D} */
    st1 = _mm_loadu_si128((const __m128i *)&h8[4]); /* {E, F, G, H} */
    tmp = _mm_shuffle_epi32(tmp, 0xb1);             /* {B, A, D, C} */
    st1 = _mm_shuffle_epi32(st1, 0x1b);             /* {H, G, F, E} */
    st0 = _mm_alignr_epi8(tmp, st1, 8);             /* {F, E, B, A} */
    st1 = _mm_blend_epi16(st1, tmp, 0xf0);          /* {H, G, D, C} */

    for (; nblocks > 0; nblocks--, p += 64) {
        save0 = st0;
        save1 = st1;

        /* Rounds 0-15: message words straight from the block. */
        m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 0)), bswap);
        SHANI_4ROUNDS(m0, 0);
        m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), bswap);
        SHANI_4ROUNDS(m1, 1);
        m0 = _mm_sha256msg1_epu32(m0, m1);
        m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), bswap);
        SHANI_4ROUNDS(m2, 2);
        m1 = _mm_sha256msg1_epu32(m1, m2);
        m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), bswap);
        SHANI_4ROUNDS(m3, 3);
        SHANI_MSG2(m0, m3, m2); /* W16..19 */
        m2 = _mm_sha256msg1_epu32(m2, m3);

        /* Rounds 16-51: schedule four words ahead while hashing. */
        SHANI_4ROUNDS(m0, 4);
        SHANI_MSG2(m1, m0, m3); /* W20..23 */
        m3 = _mm_sha256msg1_epu32(m3, m0);
        SHANI_4ROUNDS(m1, 5);
        SHANI_MSG2(m2, m1, m0); /* W24..27 */
        m0 = _mm_sha256msg1_epu32(m0, m1);
        SHANI_4ROUNDS(m2, 6);
        SHANI_MSG2(m3, m2, m1); /* W28..31 */
        m1 = _mm_sha256msg1_epu32(m1, m2);
        SHANI_4ROUNDS(m3, 7);
        SHANI_MSG2(m0, m3, m2); /* W32..35 */
        m2 = _mm_sha256msg1_epu32(m2, m3);
        SHANI_4ROUNDS(m0, 8);
        SHANI_MSG2(m1, m0, m3); /* W36..39 */
        m3 = _mm_sha256msg1_epu32(m3, m0);
        SHANI_4ROUNDS(m1, 9);
        SHANI_MSG2(m2, m1, m0); /* W40..43 */
        m0 = _mm_sha256msg1_epu32(m0, m1);
        SHANI_4ROUNDS(m2, 10);
        SHANI_MSG2(m3, m2, m1); /* W44..47 */
        m1 = _mm_sha256msg1_epu32(m1, m2);
        SHANI_4ROUNDS(m3, 11);
        SHANI_MSG2(m0, m3, m2); /* W48..51 */
        m2 = _mm_sha256msg1_epu32(m2, m3);
        SHANI_4ROUNDS(m0, 12);
        SHANI_MSG2(m1, m0, m3); /* W52..55 */
        m3 = _mm_sha256msg1_epu32(m3, m0);

        /* Rounds 52-63: the last words need no more MSG1. */
        SHANI_4ROUNDS(m1, 13);
        SHANI_MSG2(m2, m1, m0); /* W56..59 */
        SHANI_4ROUNDS(m2, 14);
        SHANI_MSG2(m3, m2, m1); /* W60..63 */
        SHANI_4ROUNDS(m3, 15);

        st0 = _mm_add_epi32(st0, save0);
        st1 = _mm_add_epi32(st1, save1);
    }

    /* Back to H0..H7. */
    tmp = _mm_shuffle_epi32(st0, 0x1b);    /* {A, B, E, F} */
    st1 = _mm_shuffle_epi32(st1, 0xb1);    /* {G, H, C, D} */
    st0 = _mm_blend_epi16(tmp, st1, 0xf0); /* {A, B, C, D} */
    st1 = _mm_alignr_epi8(st1, tmp, 8);    /* {E, F, G, H} */
    _mm_storeu_si128((__m128i *)&h8[0], st0);
    _mm_storeu_si128((__m128i *)&h8[4], st1);
}

#undef SHANI_4ROUNDS
#undef SHANI_MSG2

/* CPUID: SHA (leaf 7 EBX bit 29), SSSE3 (leaf 1 ECX bit 9), SSE4.1 (leaf 1
 * ECX bit 19). These are all XMM instructions, whose state every x86-64 OS
 * (and any i386 OS with SSE) saves, so no XGETBV check is needed. */
static int cpu_has_shani(void)
{
    unsigned a, b, c, d;

    if (__get_cpuid_max(0, NULL) < 7)
        return 0;
    __cpuid(1, a, b, c, d);
    if (!(c & (1u << 9)) || !(c & (1u << 19)))
        return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return (b & (1u << 29)) != 0;
}

#endif /* NM_SHA256_SHANI */

enum { IMPL_UNKNOWN = 0, IMPL_PORTABLE = 1, IMPL_SHANI = 2 };

#if NM_SHA256_SHANI
/* CPUID result, IMPL_UNKNOWN until first use, and the testing override. */
static atomic_int hw_impl = IMPL_UNKNOWN;
static atomic_int force_portable = 0;

static int current_impl(void)
{
    int v;

    if (atomic_load_explicit(&force_portable, memory_order_relaxed))
        return IMPL_PORTABLE;
    v = atomic_load_explicit(&hw_impl, memory_order_relaxed);
    if (v == IMPL_UNKNOWN) {
        v = cpu_has_shani() ? IMPL_SHANI : IMPL_PORTABLE;
        atomic_store_explicit(&hw_impl, v, memory_order_relaxed);
    }
    return v;
}
#else
static int current_impl(void)
{
    return IMPL_PORTABLE;
}
#endif

static compress_fn pick_compress(void)
{
#if NM_SHA256_SHANI
    if (current_impl() == IMPL_SHANI)
        return compress_shani;
#endif
    return compress_portable;
}

const char *nm_sha256_impl(void)
{
    return current_impl() == IMPL_SHANI ? "sha-ni" : "portable";
}

void nm_sha256_force_portable(int on)
{
#if NM_SHA256_SHANI
    atomic_store_explicit(&force_portable, on != 0, memory_order_relaxed);
#else
    (void)on;
#endif
}

void nm_sha256_init(nm_sha256 *s)
{
    static const uint32_t iv[8] = {
        0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
        0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
    };
    memcpy(s->h, iv, sizeof iv);
    s->len = 0;
    s->nbuf = 0;
}

void nm_sha256_update(nm_sha256 *s, const void *data, size_t n)
{
    const uint8_t *p = data;
    compress_fn compress;

    if (n == 0)
        return;
    compress = pick_compress();
    s->len += (uint64_t)n;
    if (s->nbuf > 0) {
        size_t take = 64 - s->nbuf;
        if (take > n)
            take = n;
        memcpy(s->buf + s->nbuf, p, take);
        s->nbuf += take;
        p += take;
        n -= take;
        if (s->nbuf < 64)
            return;
        compress(s->h, s->buf, 1);
        s->nbuf = 0;
    }
    if (n >= 64) {
        compress(s->h, p, n / 64);
        p += n & ~(size_t)63;
        n &= 63;
    }
    if (n > 0) {
        memcpy(s->buf, p, n);
        s->nbuf = n;
    }
}

void nm_sha256_final(nm_sha256 *s, uint8_t out[32])
{
    uint64_t bits = s->len << 3; /* length mod 2^64, as FIPS 180-4 5.1.1 */
    size_t n = s->nbuf;
    compress_fn compress = pick_compress();

    s->buf[n++] = 0x80;
    if (n > 56) {
        memset(s->buf + n, 0, 64 - n);
        compress(s->h, s->buf, 1);
        n = 0;
    }
    memset(s->buf + n, 0, 56 - n);
    store_be32(s->buf + 56, (uint32_t)(bits >> 32));
    store_be32(s->buf + 60, (uint32_t)bits);
    compress(s->h, s->buf, 1);
    for (int i = 0; i < 8; i++)
        store_be32(out + 4 * i, s->h[i]);
    memset(s, 0, sizeof *s);
}

void nm_sha256_tohex(const uint8_t dig[32], char out[65])
{
    static const char hexdig[] = "0123456789abcdef";

    for (int i = 0; i < 32; i++) {
        out[2 * i] = hexdig[dig[i] >> 4];
        out[2 * i + 1] = hexdig[dig[i] & 15];
    }
    out[64] = '\0';
}

void nm_sha256_hex(const void *data, size_t n, char out[65])
{
    nm_sha256 s;
    uint8_t dig[32];

    nm_sha256_init(&s);
    nm_sha256_update(&s, data, n);
    nm_sha256_final(&s, dig);
    nm_sha256_tohex(dig, out);
}
