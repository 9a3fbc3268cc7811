/* nm_sha256.c - SHA-256 per FIPS 180-4 (sections 4.1.2, 4.2.2, 5.1.1, 6.2).
 *
 * Portable C11: words are assembled from bytes (no unaligned or type-punned
 * loads, no dependence on host byte order), all shifts are by 1..31 on
 * uint32_t, so the code is clean under -fsanitize=address,undefined.
 * Speed comes from a fully unrolled compression function: the eight working
 * variables are renamed per round by the macros instead of being shuffled,
 * and the message schedule lives in a 16-word ring.
 */
#include "nm_sha256.h"

#include <string.h>

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

/* Hash nblocks consecutive 64-byte blocks at p into h. */
static void compress(uint32_t h8[8], const uint8_t *p, size_t nblocks)
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

    if (n == 0)
        return;
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
