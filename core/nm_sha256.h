/* nm_sha256.h - SHA-256 (FIPS 180-4), C11, no dependencies.
 *
 * Usage, streaming:
 *     nm_sha256 s;
 *     nm_sha256_init(&s);
 *     nm_sha256_update(&s, buf, n);      // any number of times, any sizes
 *     nm_sha256_final(&s, digest);       // digest: uint8_t[32]
 *
 * or one-shot: nm_sha256_hex(data, n, hex) with char hex[65].
 *
 * The state is a plain value owned by the caller (stack or embedded); nothing
 * is allocated and no function can fail. After nm_sha256_final() the state is
 * wiped; call nm_sha256_init() again to reuse it. Functions are reentrant:
 * distinct states may be used from distinct threads.
 *
 * On x86 CPUs with the SHA extensions (SHA-NI) a hardware-accelerated block
 * function is used automatically; elsewhere the portable C code runs.
 */
#ifndef NM_SHA256_H
#define NM_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define NM_SHA256_DIGEST_LEN 32 /* bytes in a digest */
#define NM_SHA256_HEX_LEN 65    /* chars for lower-case hex + NUL */

typedef struct nm_sha256 {
    uint32_t h[8];    /* chaining value */
    uint64_t len;     /* message bytes hashed so far */
    uint8_t buf[64];  /* partial block */
    size_t nbuf;      /* bytes used in buf, 0..63 */
} nm_sha256;

/* Start a new hash in *s. */
void nm_sha256_init(nm_sha256 *s);

/* Hash n more bytes at data (data may be NULL when n == 0). */
void nm_sha256_update(nm_sha256 *s, const void *data, size_t n);

/* Finish: write the 32-byte digest to out and wipe *s. */
void nm_sha256_final(nm_sha256 *s, uint8_t out[32]);

/* One-shot: lower-case hex digest of n bytes at data, NUL-terminated (65 chars). */
void nm_sha256_hex(const void *data, size_t n, char out[65]);

/* Lower-case hex of a 32-byte digest, NUL-terminated (65 chars). */
void nm_sha256_tohex(const uint8_t dig[32], char out[65]);

/* Name of the compression code in use: "sha-ni" (x86 SHA extensions, chosen
 * at run time when the CPU has them) or "portable". Digests are identical. */
const char *nm_sha256_impl(void);

/* Testing/benchmark hook, not for normal use: on != 0 forces the portable
 * code, on == 0 restores the automatic choice. Safe to call at any time from
 * any thread (hashes in progress simply continue with the other code). */
void nm_sha256_force_portable(int on);

#endif /* NM_SHA256_H */
